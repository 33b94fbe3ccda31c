"""WCAG 2.1 AA on every kind of page, as axe-core (tests/node_modules) measures it in Chromium.

Every page type a shopper meets (home, category, question, search results, no results, 404, and
the search box with its results open), in the light and the dark scheme, on a phone (390 px) and
a desktop (1280 px). Any violation of the wcag2a, wcag2aa, wcag21a or wcag21aa rules fails, with
the rule, the element and axe's description of the fix.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGES = {
    "home": "",
    "category": "after-sales/",
    "question": "q/refund-time/",
    "results": "search/?q=" + quote("退款"),
    "no-results": "search/?q=" + quote("你们招聘吗"),
    "404": "404.html",
}
SCHEMES = ["light", "dark"]
WIDTHS = {"phone": 390, "desktop": 1280}


def violations(page) -> list[str]:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: make test installs it from tests/package-lock.json")
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async rules => {
        const result = await axe.run(document, {runOnly: {type: 'tag', values: rules}});
        return result.violations.flatMap(v => v.nodes.map(n =>
            `${v.id} (${v.impact}) at ${n.target.join(' ')}: ${n.failureSummary.replace(/\\s+/g, ' ')}`));
    }""", RULES)
    return found


def open_page(new_page, site_server, path: str, scheme: str, width: int):
    page = new_page(color_scheme=scheme, viewport={"width": width, "height": 900})
    page.goto(site_server + path)
    page.wait_for_load_state("networkidle")
    if path.startswith("search/"):
        page.wait_for_function("document.querySelector('.faqkb-search-status').textContent.trim().length > 0 "
                               "&& !document.querySelector('.faqkb-search-status').textContent.includes('正在搜索')")
    return page


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("kind", PAGES)
def test_page_has_no_wcag_violations(new_page, site_server, kind, scheme, width):
    page = open_page(new_page, site_server, PAGES[kind], scheme, width)
    assert violations(page) == []


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_box_with_its_results_open_has_no_wcag_violations(new_page, site_server, scheme, width):
    page = open_page(new_page, site_server, "", scheme, width)
    box = page.locator(".faqkb-hero-search input")
    box.fill("发票")
    results = page.locator(".faqkb-hero-search .faqkb-results")
    results.wait_for(state="visible")
    page.wait_for_function("document.querySelector('.faqkb-hero-search .faqkb-results').dataset.query === '发票'")
    assert violations(page) == []


def test_the_checker_reports_a_violation(new_page, site_server):
    # axe is really looking: an image without a text alternative is a wcag2a violation.
    page = open_page(new_page, site_server, "", "light", 1280)
    page.evaluate("document.querySelector('.md-content').insertAdjacentHTML('beforeend', '<img src=\"data:,\">')")
    assert any(line.startswith("image-alt") for line in violations(page))
