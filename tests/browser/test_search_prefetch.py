"""What a page fetches for the search before the shopper types, and what a first query still needs.

On a phone network every round trip a query waits for costs 100–300 ms, so the page fetches what
every query needs (meta.json: the ranking's per-entry facts and the Han lexicon) ahead of the first
query: when the page is idle, or as soon as a search box gets focus or a pointer. A Chinese query
then fetches only the postings of the characters it holds, which bring most of its results'
documents with them.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NO_IDLE = "window.requestIdleCallback = function () { return 0; };"  # a page that never gets idle time


def search_files(requests: list[str]) -> list[str]:
    """The search folder's files among request URLs, as "meta.json", "postings/3.json", …"""
    out = []
    for url in requests:
        path = urlsplit(url).path
        if path.startswith("/search/") and path.endswith(".json"):
            out.append(path.split("/", 3)[3])
    return out


def watch_requests(page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def test_an_idle_page_fetches_what_every_query_needs_before_anyone_types(page, site_server):
    seen = watch_requests(page)
    with page.expect_response(lambda response: response.url.endswith("/meta.json")) as meta:
        page.goto(site_server)
    assert meta.value.ok
    assert search_files(seen) == ["meta.json"]  # nothing a query alone needs


def test_focusing_the_search_box_fetches_it_on_a_page_that_never_gets_idle(page, site_server):
    page.add_init_script(NO_IDLE)
    seen = watch_requests(page)
    page.goto(site_server)
    page.wait_for_load_state("networkidle")
    assert search_files(seen) == []
    with page.expect_response(lambda response: response.url.endswith("/meta.json")):
        page.focus(".md-header .faqkb-search-input")
    assert search_files(seen) == ["meta.json"]


def typed_after_the_prefetch(page, site_server, query: str):
    """`query` put into the header's box (as a Chinese input method commits it) once meta.json is
    in: its results locator and the search files fetched for it."""
    page.add_init_script(NO_IDLE)
    seen = watch_requests(page)
    page.goto(site_server)
    with page.expect_response(lambda response: response.url.endswith("/meta.json")):
        page.focus(".md-header .faqkb-search-input")
    before = len(seen)
    page.keyboard.insert_text(query)
    results = page.locator(".md-header .faqkb-results")
    expect(results).to_have_attribute("data-query", query)
    return results, lambda: search_files(seen[before:])


def test_after_the_prefetch_a_chinese_query_fetches_only_postings_and_documents(page, site_server):
    results, fetched_so_far = typed_after_the_prefetch(page, site_server, "退款多久到账")
    expect(results.locator(".faqkb-result").first).to_contain_text("退款多久能到账")
    fetched = fetched_so_far()
    folders = {name.split("/")[0] for name in fetched}
    assert "han" in folders and folders <= {"han", "docs"}, fetched  # no meta.json again, no lexicon shard
    # postings by character: one round of HTTP/1.1's 6 connections; so are the documents that
    # did not come with them
    assert len([name for name in fetched if name.startswith("han/")]) <= 6, fetched
    assert len([name for name in fetched if name.startswith("docs/")]) <= 6, fetched


def test_a_typo_needs_no_character_table_for_characters_the_index_knows(page, site_server):
    """取效订单 (quxiao, meant 取消): the pinyin of 取 and 效 comes in the files of their postings.
    (取销 itself is in the shop vocabulary's typos: it matches whole, with no guess to look up.)"""
    results, fetched_so_far = typed_after_the_prefetch(page, site_server, "取效订单")
    expect(results.locator(".faqkb-result").first).to_have_text(re.compile("如何取消订单"))
    fetched = fetched_so_far()
    assert not [name for name in fetched if name.startswith("chars/")], fetched
    assert [name for name in fetched if name.startswith("lexicon/")], fetched  # the spelling quxiao was looked up


def test_pinyin_results_show_before_the_readings_for_highlighting_arrive(page, site_server):
    """Highlighting a pinyin match needs every character's reading (pinyin.json, the largest search
    file): the results do not wait for it, their titles are highlighted when it comes."""
    held = []
    page.route("**/pinyin.json", lambda route: held.append(route))
    page.goto(site_server)
    page.focus(".md-header .faqkb-search-input")
    with page.expect_request("**/pinyin.json"):
        page.keyboard.insert_text("tuikuan")
    results = page.locator(".md-header .faqkb-results")
    expect(results).to_have_attribute("data-query", "tuikuan")
    first = results.locator(".faqkb-result-question").first
    expect(first).to_contain_text("退款")
    assert len(held) == 1 and first.locator("mark").count() == 0  # shown while the readings are held back
    held[0].continue_()
    expect(first.locator("mark").first).to_contain_text("退款")
