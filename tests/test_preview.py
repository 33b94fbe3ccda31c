"""`make serve` as content staff use it: edit YAML, see the page change; make a mistake, keep the preview.

Runs the real `mkdocs serve` on a copy of the project and reads pages over HTTP.
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


def copy_project(tmp_path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project)
    shutil.copytree(ROOT / "faq", project / "faq")
    return project


@pytest.fixture
def serve(tmp_path):
    project = copy_project(tmp_path)
    server = Serve(project)
    server.project = project
    server.wait_for(lambda: server.get(f"/q/{ENTRY_ID}/"), what="the first build")
    yield server
    server.stop()


def problem_list(page: str | None) -> str:
    """The preview's list of content problems at the top of a page ("" when there is none)."""
    match = re.search(r'<div class="faqkb-problems".*?</div>', page or "", re.S)
    return match.group(0) if match else ""


def _save(path: Path, text: str) -> None:
    """As an editor saves: write a new file and move it over the old one."""
    scratch = path.with_name(path.name + ".tmp~")
    scratch.write_text(text, encoding="utf-8")
    scratch.replace(path)


def _search_meta(server: Serve) -> str | None:
    page = server.get("/") or ""
    match = re.search(r'<meta name="faqkb-search" content="([^"]+)"', page)
    return server.get("/" + match.group(1).lstrip("./") + "meta.json") if match else None


def test_an_edited_answer_shows_up_and_the_search_follows(serve):
    path = serve.project / ENTRY_FILE
    source = path.read_text(encoding="utf-8")
    assert "  answer: |\n" in source
    before = serve.builds()
    _save(path, source.replace("  answer: |\n", "  answer: |\n    预览标记甲：退款规则已更新。\n\n", 1))
    serve.wait_for(lambda: "预览标记甲" in (serve.get(f"/q/{ENTRY_ID}/") or ""), what="the edited answer")
    serve.wait_for(lambda: serve.builds() > before, what="MkDocs to report the rebuild")  # output arrives late
    # The other question pages are still there after the rebuild.
    assert "运费" in (serve.get("/q/shipping-fee/") or "")
    # The search index is rewritten for the new content (in the background, right after the pages).
    serve.wait_for(lambda: _search_meta(serve), what="the search files")


def test_a_yaml_mistake_is_reported_and_the_last_good_site_stays_served(serve):
    path = serve.project / ENTRY_FILE
    source = path.read_text(encoding="utf-8")
    first_line = source.splitlines()[0]
    assert first_line.startswith("- id:")
    _save(path, source.replace(first_line, first_line + ": oops", 1))
    serve.wait_for(lambda: any("FAQ001" in line for line in serve.lines), what="the validation message")
    message = next(line for line in serve.lines if "FAQ001" in line)
    assert f"{ENTRY_FILE.as_posix()}:1:" in message and "错误" in message
    serve.wait_for(lambda: any("预览仍显示上一次没有错误的内容" in line for line in serve.lines), what="the notice")
    page = serve.get(f"/q/{ENTRY_ID}/", timeout=10)
    assert page is not None, "the preview stopped answering after a content error"
    assert "退款多久能到账" in page
    assert not any("Traceback" in line for line in serve.lines), "\n".join(serve.lines)
    # The writer looks at the browser, not the terminal: every page lists the mistake on top.
    for path_ in (f"/q/{ENTRY_ID}/", "/"):
        notice = serve.wait_for(lambda: problem_list(serve.get(path_)), what=f"the problem list on {path_}")
        assert f"{ENTRY_FILE.as_posix()}:1:" in notice and "FAQ001" in notice and "上一次没有错误的内容" in notice

    _save(path, source.replace("  answer: |\n", "  answer: |\n    预览标记乙。\n\n", 1))
    serve.wait_for(lambda: "预览标记乙" in (serve.get(f"/q/{ENTRY_ID}/") or ""), what="the fixed content")
    assert not problem_list(serve.get(f"/q/{ENTRY_ID}/")) and not problem_list(serve.get("/"))


def test_a_preview_started_on_broken_content_lists_the_problems_safely_and_recovers(tmp_path):
    project = copy_project(tmp_path)
    path = project / ENTRY_FILE
    source = path.read_text(encoding="utf-8")
    payload = "<img src=x onerror=alert(1)>"
    _save(path, source.replace(f"- id: {ENTRY_ID}\n", f'- id: {ENTRY_ID}\n  "{payload}": 1\n', 1))
    server = Serve(project)
    try:
        notice = server.wait_for(lambda: problem_list(server.get("/")), what="the problem list")
        assert f"{ENTRY_FILE.as_posix()}:2:" in notice and "FAQ103" in notice
        assert "&lt;img src=x onerror=alert(1)&gt;" in notice and payload not in notice
        assert server.get(f"/q/{ENTRY_ID}/") is None  # nothing but the list until the content is fixed
        assert "热门问题" not in server.get("/") and "问题分类" not in server.get("/")  # no empty headings
        _save(path, source)
        server.wait_for(lambda: server.get(f"/q/{ENTRY_ID}/"), what="the site after the fix")
        assert not problem_list(server.get("/"))
        assert not any("Traceback" in line for line in server.lines), "\n".join(server.lines)
    finally:
        server.stop()


def test_the_preview_parses_again_only_the_files_that_changed(write_tree, monkeypatch):
    import faqkb.content.load as load

    faq = write_tree({"a/_category.yml": "title: 账户\n",
                      "a/x.yml": "- id: x\n  question: 怎么改密码？\n  answer: 在设置里改。\n  frequency: 1\n",
                      "a/y.yml": "- id: y\n  question: 怎么注销？\n  answer: 联系客服。\n  frequency: 1\n"})
    parsed_files, parsed = {}, []
    read = load._read_yaml_bytes
    monkeypatch.setattr(load, "_read_yaml_bytes", lambda raw, display: parsed.append(display) or read(raw, display))
    load.load_content(faq, parsed_files=parsed_files)
    assert sorted(parsed) == ["faq/a/_category.yml", "faq/a/x.yml", "faq/a/y.yml"]

    parsed.clear()
    (faq / "a" / "y.yml").write_text("- id: y\n  question: 怎么注销账户？\n  answer: 联系客服。\n  frequency: 1\n",
                                     encoding="utf-8")
    content, _ = load.load_content(faq, parsed_files=parsed_files)
    assert parsed == ["faq/a/y.yml"]
    assert [e.question for e in content.categories[0].entries] == ["怎么改密码？", "怎么注销账户？"]

    parsed.clear()
    load.load_content(faq)  # a build keeps nothing
    assert len(parsed) == 3
