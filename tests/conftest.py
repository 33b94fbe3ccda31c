import logging
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from gitrepo import git

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@pytest.fixture(autouse=True, scope="session")
def jieba_dictionary_read_once():
    """Every index the tests build starts a jieba Tokenizer, and each one read jieba's 500,000-word
    dictionary again (0.8 s; most of the quick suite's time). In this process it is read once and
    each Tokenizer gets its own copy, as reading it would give: pinned jieba keeps the dictionary in
    FREQ and total. A search worker forked from this process does the same; a build run as a
    command reads the dictionary as users' builds do."""
    import jieba

    read = jieba.Tokenizer.initialize
    base = jieba.Tokenizer()
    read(base)

    def initialize(self, dictionary=None):
        if dictionary is None and self.dictionary == base.dictionary and not self.initialized:
            self.FREQ, self.total, self.initialized = dict(base.FREQ), base.total, True
        else:
            read(self, dictionary)

    jieba.Tokenizer.initialize = initialize
    yield
    jieba.Tokenizer.initialize = read


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


@pytest.fixture(autouse=True)
def cap_log():
    """Every test: a warning MkDocs or faqkb logs fails the test unless the test read it (messages())."""
    handler = CapturedLog()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)
    if handler.records and not handler.checked:
        pytest.fail("unexpected warnings: " + "; ".join(r.getMessage() for r in handler.records))


# -- the project as a fresh clone would have it --------------------------------------------------


def tracked_files() -> list[str]:
    """The working tree as a commit would hold it: tracked and new files, minus ignored ones."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            check=True, capture_output=True).stdout.decode("utf-8").split("\0")
    return [name for name in listed if name and (ROOT / name).is_file()]


@pytest.fixture(scope="session")
def origin(tmp_path_factory) -> Path:
    """A bare repository whose main branch is the project's working tree."""
    source = tmp_path_factory.mktemp("source") / "project"
    for name in tracked_files():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    git(source, "init", "-q")
    git(source, "add", "-A")
    git(source, "commit", "-q", "-m", "The project as it is")
    bare = source.parent / "origin.git"
    git(source.parent, "clone", "-q", "--bare", str(source), str(bare))
    return bare


@pytest.fixture
def checkout(origin, tmp_path) -> Path:
    """A clone of origin on a new branch `change`, as actions/checkout leaves a pull request."""
    repo = tmp_path / "checkout"
    git(tmp_path, "clone", "-q", str(origin), str(repo))
    git(repo, "checkout", "-q", "-b", "change")
    (repo / ".venv").symlink_to(ROOT / ".venv", target_is_directory=True)
    (repo / "tests" / "node_modules").symlink_to(ROOT / "tests" / "node_modules", target_is_directory=True)
    return repo
