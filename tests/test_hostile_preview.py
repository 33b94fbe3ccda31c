"""The live preview on hostile content (issue #16): it lists the problem on every page and carries on,
in seconds, with no traceback; once the content is fixed the site comes back.

MkDocs itself walks docs_dir following every symbolic link, so a link to / in faq/ kept the preview
walking the whole disk after faqkb had reported it: while such a link is there, the preview gives
MkDocs an empty folder to walk and shows the problem list.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from harness.server import Serve

pytestmark = pytest.mark.server  # runs the real `mkdocs serve`

ROOT = Path(__file__).resolve().parents[1]
ENTRY_FILE = Path("faq/after-sales/refunds/refunds.yml")
ENTRY_ID = "refund-time"


def problem_list(page: str | None) -> str:
    match = re.search(r'<div class="faqkb-problems".*?</div>', page or "", re.S)
    return match.group(0) if match else ""


def save(path: Path, text: str) -> None:
    scratch = path.with_name(path.name + ".tmp~")
    scratch.write_text(text, encoding="utf-8")
    scratch.replace(path)


def test_a_link_to_the_root_and_deep_nesting_are_listed_and_the_preview_recovers(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project)
    shutil.copytree(ROOT / "faq", project / "faq")
    link = project / "faq" / "payment" / "root"
    link.symlink_to("/")
    server = Serve(project)
    try:
        notice = server.wait_for(lambda: problem_list(server.get("/")), timeout=60, what="the problem list")
        assert "faq/payment/root" in notice and "FAQ208" in notice

        link.unlink()
        server.wait_for(lambda: server.get(f"/q/{ENTRY_ID}/"), timeout=60, what="the site once the link is gone")
        assert not problem_list(server.get("/"))

        path = project / ENTRY_FILE
        source = path.read_text(encoding="utf-8")
        save(path, source + "- id: deep\n  question: 问\n  answer: 答\n  frequency: 0\n  tags: " + "[" * 400 + "]" * 400 + "\n")
        notice = server.wait_for(lambda: problem_list(server.get(f"/q/{ENTRY_ID}/")), timeout=60, what="FAQ009")
        assert "FAQ009" in notice and ENTRY_FILE.as_posix() in notice
        save(path, source)
        server.wait_for(lambda: not problem_list(server.get(f"/q/{ENTRY_ID}/")), timeout=60, what="the fixed content")
        assert not any("Traceback" in line for line in server.lines), "\n".join(server.lines)
    finally:
        server.stop()
