"""What a reviewed change publishes: a draft nowhere on the site, a renamed question still at its old URL.

A real `mkdocs build` of a copy of the sample project, where one question is renamed
(previous_ids) and a draft is added to a category, to a new category of its own and as the
related question of a published one; and the real `mkdocs serve`, where staff see the draft.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from harness.server import Serve

from review_project import DRAFT_WORD, ENV, ROOT, reviewed_project

@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    project = reviewed_project(tmp_path_factory.mktemp("review"))
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=ENV,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


@pytest.mark.slow
def test_a_draft_appears_nowhere_on_the_built_site(built):
    found = [path.relative_to(built).as_posix() for path in built.rglob("*") if path.is_file()
             and path.suffix in (".html", ".json", ".xml")
             and (DRAFT_WORD in path.read_text(encoding="utf-8", errors="replace")
                  or "draft-question" in path.read_text(encoding="utf-8", errors="replace")
                  or "gift-card" in path.read_text(encoding="utf-8", errors="replace"))]
    assert found == []
    assert not (built / "q" / "refund-draft-question").exists() and not (built / "gift-cards").exists()


@pytest.mark.slow
def test_a_draft_is_not_counted_in_its_category(built):
    home = (built / "index.html").read_text(encoding="utf-8")
    published = sum(1 for path in (ROOT / "faq" / "after-sales").rglob("*.yml") if path.name != "_category.yml"
                    for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("- id: "))
    assert f"{published} 个问题" in home


@pytest.mark.slow
def test_the_old_url_of_a_renamed_question_redirects_to_its_new_page(built):
    page = (built / "q" / "refund-time" / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../refund-arrival/">' in page
    assert '<link rel="canonical" href="https://help.example.com/q/refund-arrival/">' in page
    assert '<meta name="robots" content="noindex">' in page
    assert (built / "q" / "refund-arrival" / "index.html").is_file()


@pytest.mark.slow
def test_the_redirect_is_in_neither_the_sitemap_nor_the_search(built):
    sitemap = (built / "sitemap.xml").read_text(encoding="utf-8")
    assert "/q/refund-arrival/" in sitemap and "/q/refund-time/" not in sitemap
    folder = next(p for p in (built / "search").iterdir() if p.is_dir())
    ids = [doc[0] for path in sorted((folder / "docs").glob("*.json"))
           for doc in json.loads(path.read_text(encoding="utf-8"))["d"]]
    assert "refund-arrival" in ids and "refund-time" not in ids


@pytest.mark.server
@pytest.mark.slow
def test_the_preview_shows_the_draft_with_its_badge(tmp_path):
    project = reviewed_project(tmp_path)
    server = Serve(project)
    try:
        page = server.wait_for(lambda: server.get("/q/refund-draft-question/"), what="the draft's page")
        assert '<span class="faqkb-draft">草稿</span>' in page and DRAFT_WORD in page
        listing = server.get("/after-sales/refunds/") or ""
        assert f"{DRAFT_WORD}退款要交手续费吗？</a><span class=\"faqkb-draft\">草稿</span>" in listing
    finally:
        server.stop()
