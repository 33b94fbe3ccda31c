"""A shopper's bookmark of a renamed question still leads to its answer, in a real browser."""

from __future__ import annotations

import pytest
from review_project import reviewed_project

from conftest import build_site, serving  # tests/browser is on sys.path (rootdir-relative conftest)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = reviewed_project(tmp_path_factory.mktemp("renamed"))
    with serving(build_site(project / "site", project / "mkdocs.yml")) as url:
        yield url


def test_the_old_url_leads_to_the_new_page(page, site):
    page.goto(site + "q/refund-time/")
    page.wait_for_url("**/q/refund-arrival/")
    assert page.locator("h1").inner_text() == "退款多久能到账？"


def test_search_finds_the_question_under_its_new_id_only(page, site):
    page.goto(site)
    page.wait_for_function("window.faqkb && window.faqkb.search")
    ids = page.evaluate("async () => (await window.faqkb.search('退款多久到账')).map(r => r.id)")
    assert ids[0] == "refund-arrival" and "refund-time" not in ids
