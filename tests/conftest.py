import logging
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true", help="rewrite the expected outputs of golden tests")


@pytest.fixture
def update_goldens(request) -> bool:
    return request.config.getoption("--update-goldens")


@pytest.fixture
def write_tree(tmp_path):
    """Write {relative path: text or bytes} under tmp_path/faq and return that folder."""

    def write(files: dict) -> Path:
        root = tmp_path / "faq"
        for rel, data in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                path.write_text(data, encoding="utf-8")
        return root

    return write


class CapturedLog(logging.Handler):
    """Records warnings; a test fails at teardown if it left one it did not look at."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []
        self.checked = False

    def emit(self, record):
        self.records.append(record)

    def messages(self) -> list[str]:
        self.checked = True
        return [r.getMessage() for r in self.records]


@pytest.fixture
def cap_log():
    handler = CapturedLog()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)
    if handler.records and not handler.checked:
        pytest.fail("unexpected warnings: " + "; ".join(r.getMessage() for r in handler.records))
