"""The 404 page, as a static host serves it for any missing address (issue #16, defect 2).

MkDocs renders 404.html without a page: its `base_url` is the path of `site_url` ("/" for a site
at the domain root), so a template writing `{{ base_url }}/assets/…` gets `//assets/…`, a
protocol-relative URL to a host named `assets`. The sample's mkdocs.yml has its site_url at a
domain root, the case that broke.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import expect

from conftest import CONFIG_FILE, WATCHES  # tests/browser is on sys.path (rootdir-relative conftest)
from harness.static_nginx import nginx_serving

SEARCH_SCRIPT = "assets/faqkb/search.js"
HOST = "https://help.example.com/"  # any host: what matters is that every URL stays on it


class _Urls(HTMLParser):
    """Every URL-carrying attribute of a page, (tag, attribute, value), and every tag's attributes."""

    ATTRIBUTES = {"src", "href", "content", "action", "data-root"}

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str, str]] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        for name, value in attrs:
            if name in self.ATTRIBUTES and value is not None:
                self.found.append((tag, name, value))


def page_urls(path: Path) -> list[tuple[str, str, str]]:
    parser = _Urls()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.found


def site_url_path() -> str:
    from mkdocs.config import load_config

    return urlsplit(load_config(config_file=str(CONFIG_FILE)).site_url or "/").path


@pytest.mark.slow
def test_no_built_page_refers_to_a_protocol_relative_url(built_site):
    assert site_url_path() == "/", "the sample's site_url must be at a domain root: the case this test is about"
    pages = sorted(built_site.rglob("*.html"))
    assert built_site / "404.html" in pages
    offending = [(page.relative_to(built_site).as_posix(), tag, name, value)
                 for page in pages for tag, name, value in page_urls(page) if value.startswith("//")]
    assert offending == []


def tags(path: Path) -> list[tuple[str, dict]]:
    parser = _Urls()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tags


def address(site: Path, page: Path) -> str:
    """Where a host serves the page; 404.html at some missing address deep in the site."""
    rel = page.relative_to(site).as_posix()
    if rel == "404.html":
        return HOST + "q/no-such-question/"
    return HOST + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


@pytest.mark.slow
def test_every_page_finds_the_search_script_and_index_at_the_site_root(built_site):
    """Resolved from where each page is served (404.html: any missing address), the search script,
    the search index and the site root are the site's own."""
    [index] = [p.name for p in (built_site / "search").iterdir() if p.is_dir()]
    checked = 0
    for page in sorted(built_site.rglob("*.html")):
        found = tags(page)
        scripts = [a["src"] for tag, a in found if tag == "script" and a.get("src", "").endswith(SEARCH_SCRIPT)]
        metas = [a for tag, a in found if tag == "meta" and a.get("name") == "faqkb-search"]
        here = address(built_site, page)
        assert [urljoin(here, src) for src in scripts] == [HOST + SEARCH_SCRIPT], page
        assert [(urljoin(here, m["content"]), urljoin(here, m["data-root"])) for m in metas] == [
            (f"{HOST}search/{index}/", HOST)], page
        checked += 1
    assert checked >= 10


# -- served by nginx, as a static host serves a missing address ----------------------------------

@pytest.mark.browser
@pytest.mark.server
def test_search_works_on_the_404_page_of_a_missing_address(page, built_site, tmp_path, request, screenshot):
    missing = "q/no-such-question/"
    with nginx_serving(built_site, tmp_path / "nginx") as base:
        response = page.goto(base + missing)
        assert response.status == 404
        assert "404" in page.inner_text("article")  # Material's 404 page, not some other page
        # The document's own 404 is what this test asks for, not a broken file of the site.
        for watch in request.node.stash[WATCHES]:
            watch.broken = [item for item in watch.broken if not item.startswith(f"404 {base}{missing} ")]

        box = ".md-header .faqkb-search-input"
        page.fill(box, "退款多久到账")
        results = page.locator(".md-header .faqkb-results")
        expect(results).to_have_attribute("data-query", "退款多久到账")
        first = results.locator(".faqkb-result").first
        expect(first).to_be_visible()
        screenshot(page, "404-search")
        href = first.get_attribute("href")
        assert href.startswith(base + "q/"), href
        first.click()
        page.wait_for_url(href)
        assert page.locator("h1").inner_text().strip()
