"""Question pages are filled into one layout rendered by MkDocs (faqkb.site.layout.QuestionLayout).

The promise is that the result is what MkDocs and Material would have produced for each page on
their own, made smaller by faqkb.site.compact (the same page to a shopper). This test holds faqkb
to it: it builds the sample site with the plugin, then builds the same generated Markdown (every
page, questions included) with plain MkDocs and Material and no faqkb plugin, compacts each plain
question page around its own content, and compares every question page byte for byte, and the
files the compacted pages point at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from harness.plain import faqkb_and_plain_sites
from harness.site import build_site, write_config

from faqkb.content.check import check
from faqkb.site.compact import compact
from faqkb.site.layout import SLOT_CONTENT, QuestionLayout, slot_page

pytestmark = pytest.mark.slow  # two real mkdocs builds

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def both_sites(tmp_path_factory):
    return faqkb_and_plain_sites(tmp_path_factory.mktemp("layout"))


def test_every_question_page_is_what_mkdocs_renders_for_it_compacted(both_sites):
    with_plugin, plain, bodies = both_sites
    assert len(bodies) > 50
    files = {}
    for entry_id, body in bodies.items():
        ours = (with_plugin / "q" / entry_id / "index.html").read_text(encoding="utf-8")
        theirs = compact((plain / "q" / entry_id / "index.html").read_text(encoding="utf-8"), body, "../")
        assert ours == theirs.html, f"q/{entry_id}/ differs from MkDocs' own rendering, compacted"
        files.update(theirs.files)
    assert sorted(files) == sorted(p.name for p in (with_plugin / "q").iterdir() if p.is_file())
    for name, text in files.items():
        assert (with_plugin / "q" / name).read_text(encoding="utf-8") == text


def test_compacted_question_pages_keep_no_indentation_or_inline_icon(both_sites):
    with_plugin, _, bodies = both_sites
    page = (with_plugin / "q" / next(iter(bodies)) / "index.html").read_text(encoding="utf-8")
    assert "\n " not in page and "\n\n" not in page.split('<nav class="faqkb-breadcrumb"')[0]
    assert "<path" not in page.split('<div class="faqkb-answer"')[0]  # icons come from the sprite
    assert '<use href="../icons.' in page
    assert '<script id="__config" type="application/json">{"base":' in page  # compact JSON, no null settings


def test_the_layout_page_itself_is_not_published(both_sites):
    with_plugin, _, _ = both_sites
    slot_folder = Path(slot_page().uri).with_suffix("").name
    assert not (with_plugin / "q" / slot_folder).exists()
    assert slot_folder not in (with_plugin / "sitemap.xml").read_text(encoding="utf-8")


def test_a_title_with_markup_is_escaped_wherever_the_layout_prints_it():
    layout = QuestionLayout("<title>FAQKB-SLOT-TITLE - 帮助</title><meta content=\"FAQKB-SLOT-DESCRIPTION\">"
                            f"<link href=\"/q/faqkb-slot-id/\"><h1>FAQKB-SLOT-TITLE</h1>{SLOT_CONTENT}")
    page = slot_page()
    page.title, page.description, page.body = '</title><script>alert(1)</script>', '"><img src=x onerror=1>', "<p>答</p>"
    filled = layout.fill(page, "refund-time")
    assert "<script>" not in filled and "<img" not in filled
    assert "&lt;/title&gt;&lt;script&gt;" in filled and "&quot;&gt;&lt;img" in filled
    assert '<link href="/q/refund-time/">' in filled and filled.endswith("<p>答</p>")


def test_a_theme_that_drops_the_content_is_refused():
    with pytest.raises(ValueError):
        QuestionLayout("<html>FAQKB-SLOT-TITLE</html>")


def test_without_directory_urls_every_question_is_one_html_file(tmp_path):
    config_file = write_config(tmp_path / "mkdocs.yml", docs_dir=str(ROOT / "faq"), use_directory_urls=False)
    build_site(tmp_path / "site", config_file)
    content, _ = check(ROOT / "faq")
    pages = sorted(p.name for p in (tmp_path / "site" / "q").iterdir() if p.suffix == ".html")
    assert pages == sorted(f"{e.id}.html" for e in content.entries)
    page = (tmp_path / "site" / "q" / "refund-time.html").read_text(encoding="utf-8")
    assert "退款多久能到账" in page and 'href="../index.html"' in page
    [name] = set(re.findall(r'<use href="\./(icons\.[0-9a-f]+\.svg)#', page))
    assert (tmp_path / "site" / "q" / name).is_file()
