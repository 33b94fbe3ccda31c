"""Search as a shopper uses it, in headless Chromium, on the built sample site.

The browser client must rank exactly like `faqkb search` (the Python reference over the BM25F
scores): the agreement test runs the whole query set through both.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
import yaml
from playwright.sync_api import expect

from faqkb.content.load import load_content
from faqkb.search.job import search_data
from faqkb.search.query import Searcher

from conftest import CONFIG_FILE, ROOT, build_site, serving  # tests/browser is on sys.path (rootdir-relative conftest)

pytestmark = pytest.mark.browser

QUERIES = [json.loads(line) for line in (ROOT / "tests" / "data" / "search_queries.jsonl").read_text(encoding="utf-8").splitlines()]
ABSURD = ["x" * 10_000, "😀😀😀", "\x00\x01\x1f", "？？！！……", "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']


@pytest.fixture(scope="module")
def reference():
    content, _ = load_content(ROOT / "faq")
    data, pinyin = search_data(content)
    return Searcher(data, pinyin)


def type_query(page, selector: str, text: str):
    """Types like a shopper, then waits until the box shows the results of the whole text (results
    for what was typed so far come and go while typing)."""
    page.fill(selector, "")
    page.type(selector, text, delay=10)
    results = page.locator(selector).locator("xpath=ancestor::form").locator(".faqkb-results")
    expect(results).to_have_attribute("data-query", text)
    expect(results).to_be_visible()


def browser_disagreements(page, base: str, reference: Searcher, queries: list[str]) -> tuple[list[str], int]:
    """The queries whose top 10 (ids and scores) differ between the page and `reference`; and how many found something."""
    page.goto(base)
    page.wait_for_function("window.faqkb && window.faqkb.search")
    browser_results = page.evaluate(
        "async qs => { const out = []; for (const q of qs) out.push(await window.faqkb.search(q, {limit: 10})); return out; }",
        queries)
    differences = []
    for query, got in zip(queries, browser_results):
        expected = [(r.id, r.score) for r in reference.search(query, limit=10)]
        if [(r["id"], r["score"]) for r in got] != expected:
            differences.append(query)
    return differences, sum(1 for r in browser_results if r)


def test_browser_ranks_exactly_like_the_command_line(page, site_server, reference):
    differences, answered = browser_disagreements(page, site_server, reference, [q["q"] for q in QUERIES] + ABSURD)
    assert differences == []
    assert answered > 200


@pytest.fixture(scope="module")
def shared_score_site(tmp_path_factory):
    """The sample built with 3 scored postings per term, so most lists end in entries sharing one score
    (on the sample itself no term reaches the real limit; on a large help centre most common ones do)."""
    import faqkb.search.index

    saved = faqkb.search.index.SCORED_POSTINGS
    faqkb.search.index.SCORED_POSTINGS = 3  # the forked search worker of the build inherits it
    try:
        site = build_site(tmp_path_factory.mktemp("shared-score") / "site")
        content, _ = load_content(ROOT / "faq")
        data, pinyin = search_data(content)
    finally:
        faqkb.search.index.SCORED_POSTINGS = saved
    assert sum(1 for postings in data.terms.values() if len(postings) > 3) > 100
    with serving(site) as url:
        yield url, Searcher(data, pinyin)


def test_browser_ranks_like_the_command_line_when_postings_share_scores(page, shared_score_site):
    base, reference = shared_score_site
    differences, answered = browser_disagreements(page, base, reference, [q["q"] for q in QUERIES])
    assert differences == []
    assert answered > 200


@pytest.mark.parametrize("kind", ["keyword", "colloquial", "traditional", "pinyin", "typo", "mixed", "short",
                                  "fragment", "filler", "alias"])
def test_typing_each_kind_of_query_shows_the_answer_highlighted_with_its_breadcrumb(page, site_server, reference, kind):
    query = next(q for q in QUERIES if q["kind"] == kind and reference.search(q["q"], limit=1)
                 and reference.search(q["q"], limit=1)[0].id in q["expected"])
    page.goto(site_server)
    type_query(page, ".md-header .faqkb-search-input", query["q"])
    first = page.locator(".md-header .faqkb-result").first
    expected = reference.search(query["q"], limit=1)[0]
    expect(first.locator(".faqkb-result-question")).to_have_text(expected.question)
    assert first.locator(".faqkb-result-breadcrumb").inner_text() == " › ".join(expected.breadcrumb)
    expect(first.locator("mark").first).to_be_visible()  # the matched words are highlighted
    first.click()
    page.wait_for_url(f"**/q/{expected.id}/")
    assert page.locator("h1").inner_text() == expected.question


def test_home_hero_search_gives_instant_results(page, site_server):
    page.goto(site_server)
    type_query(page, ".faqkb-hero-search input", "退款多久到账")
    assert page.locator(".faqkb-hero .faqkb-result").first.inner_text().startswith("退款多久能到账")


def test_keyboard_moves_through_results_and_enter_opens_one(page, site_server):
    page.goto(site_server)
    type_query(page, ".md-header .faqkb-search-input", "发票")
    second = page.locator(".md-header .faqkb-result").nth(1)
    target = second.get_attribute("href")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert second.get_attribute("aria-selected") == "true"
    assert page.get_attribute(".md-header .faqkb-search-input", "aria-activedescendant") == second.get_attribute("id")
    page.keyboard.press("Enter")
    page.wait_for_url(target)


def test_enter_without_a_selection_opens_the_results_page(page, site_server, reference):
    page.goto(site_server)
    type_query(page, ".md-header .faqkb-search-input", "运费")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    page.wait_for_selector(".faqkb-search-list .faqkb-result")
    shown = page.locator(".faqkb-search-list .faqkb-result-question").all_inner_texts()
    assert shown[:5] == [r.question for r in reference.search("运费", limit=5)]


def test_shared_link_with_q_opens_results(page, site_server, reference):
    page.goto(site_server + "search/?q=" + quote("怎么退货"))
    page.wait_for_selector(".faqkb-search-list .faqkb-result")
    assert page.locator(".faqkb-search-list .faqkb-result-question").first.inner_text() == reference.search("怎么退货")[0].question
    page.goto(site_server + "payment/?q=" + quote("积分"))
    page.wait_for_selector(".md-header .faqkb-results:not([hidden]) .faqkb-result")
    assert page.input_value(".md-header .faqkb-search-input") == "积分"


def test_no_results_says_so_and_offers_hot_questions_and_contacts(page, site_server):
    page.goto(site_server + "search/?q=" + quote("你们招聘吗"))
    page.wait_for_selector(".faqkb-search-empty:not([hidden])")
    assert "没有找到" in page.inner_text(".faqkb-search-status")
    assert page.locator(".faqkb-search-empty .faqkb-questions li").count() == 10
    assert "联系客服" in page.inner_text(".faqkb-search-empty .faqkb-contact")


def test_a_query_nothing_answers_says_so_above_the_closest_questions(page, site_server):
    page.goto(site_server + "search/?q=" + quote("今天天气怎么样"))
    page.wait_for_selector(".faqkb-search-list .faqkb-result")
    assert page.inner_text(".faqkb-search-status").startswith("没有找到完全匹配“今天天气怎么样”的问题，下面是可能相关的")
    type_query(page, ".md-header .faqkb-search-input", "今天天气怎么样")
    assert "没有找到完全匹配的问题" in page.inner_text(".md-header .faqkb-results")


@pytest.mark.parametrize("payload", ['<img src=x onerror="window.__xss=1">', "<script>window.__xss=1</script>",
                                     '"><svg onload="window.__xss=1">'])
def test_query_payloads_are_shown_as_text_never_run(page, site_server, payload):
    page.goto(site_server + "search/?q=" + quote(payload))
    page.wait_for_function("document.querySelector('.faqkb-search-status').textContent.length > 8")
    assert payload in page.inner_text(".faqkb-search-status")
    type_query(page, ".md-header .faqkb-search-input", payload)
    assert page.evaluate("window.__xss") is None
    assert page.locator("#faqkb-search-page img, #faqkb-search-page svg[onload], .faqkb-results img").count() == 0


# -- a site whose content itself carries script ---------------------------------------------------

XSS_ENTRY = """\
- id: evil-question
  question: '<img src=x onerror="window.__xss=1">退款<script>window.__xss=2</script>'
  answer: |
    审核通过后原路退回。<script>window.__xss=3</script>
    <img src="javascript:void(0)" onerror="window.__xss=4">
    [点我](javascript:window.__xss=5)
    <a href="javascript:window.__xss=6">链接</a>
  frequency: 10
  aliases: ['"><svg onload="window.__xss=7">']
- id: plain-question
  question: 发票怎么开？
  answer: 订单完成后申请。
  frequency: 5
"""


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("xss")
    faq = root / "faq" / "refunds"
    faq.mkdir(parents=True)
    (faq / "_category.yml").write_text('title: "<b onmouseover=window.__xss=8>退款</b>"\n', encoding="utf-8")
    (faq / "refunds.yml").write_text(XSS_ENTRY, encoding="utf-8")
    config_data = yaml.safe_load(CONFIG_FILE.read_text(encoding="utf-8"))
    config_data["docs_dir"] = str(root / "faq")
    config_file = root / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config_data, allow_unicode=True), encoding="utf-8")
    with serving(build_site(root / "site", config_file)) as url:
        yield url


def test_script_in_content_never_runs_on_any_page(page, xss_site):
    for path in ["", "q/evil-question/", "refunds/", "search/?q=" + quote("退款")]:
        page.goto(xss_site + path)
        page.wait_for_load_state("networkidle")
        for link in page.locator("a[href^='javascript']").all():
            pytest.fail(f"javascript: link on {path}: {link.get_attribute('href')}")
        page.hover("h1")
        assert page.evaluate("window.__xss") is None, path
    type_query(page, ".md-header .faqkb-search-input", "退款")
    page.locator(".md-header .faqkb-result").first.hover()
    assert page.evaluate("window.__xss") is None
    assert "<img" in page.locator(".md-header .faqkb-result-question").first.inner_text()
