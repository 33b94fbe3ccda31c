"""A pasted page of text and Enter (issue #16, defect 9): the results page's address carries only
as much of the query as the search reads (search/query.py QUERY_MAX_CHARS), so real servers, which
refuse addresses over about 8 KB with 414, still answer it."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from faqkb.search.query import QUERY_MAX_CHARS

from harness.static_nginx import nginx_serving

pytestmark = [pytest.mark.browser, pytest.mark.server]

PASTED = "退款多久到账" + "，请尽快处理我的订单问题😀" * 8000  # about 100 KB, astral characters included


def test_a_pasted_100kb_query_opens_a_results_page_the_server_answers(page, built_site, tmp_path):
    assert len(PASTED.encode("utf-8")) > 100_000
    with nginx_serving(built_site, tmp_path / "nginx") as base:
        page.goto(base)
        box = ".md-header .faqkb-search-input"
        page.fill(box, PASTED)  # as a paste: the whole text at once
        more = page.locator(".md-header .faqkb-results-more")
        expect(more).to_be_visible()
        [linked] = parse_qs(urlsplit(more.get_attribute("href")).query)["q"]  # "查看全部结果"
        with page.expect_navigation() as navigation:
            page.press(box, "Enter")
        response = navigation.value
        assert response.status == 200, f"the server answered {response.status} for a {len(page.url)}-character address"
        [query] = parse_qs(urlsplit(page.url).query)["q"]
        assert query == "".join(list(PASTED)[:QUERY_MAX_CHARS])
        assert len(page.url) < 2_000
        page.wait_for_selector(".faqkb-search-list .faqkb-result")
        assert page.input_value("#faqkb-search-page input[name=q]") == query
        assert linked == query
