"""What the build puts in the pages for analytics, decided without a build: the endpoint check,
which scripts a site gets, and what the analytics script is told (site/analytics.py, scripts.py)."""

from __future__ import annotations

import json
import re

import pytest

from faqkb.search.mask import MASK_RULES, QUERY_CAP
from faqkb.site.analytics import EVENT_VERSION, REASONS, SETTLE_MS, endpoint_path, endpoint_problem
from faqkb.site.scripts import ANALYTICS_SCRIPT, SEARCH_SCRIPT, analytics_script, site_scripts


@pytest.mark.parametrize("endpoint", ["", "/e.gif", "/help/e.gif?site=shop", "https://log.example.com/e.gif",
                                      "http://127.0.0.1:8080/hit.gif"])
def test_a_site_path_or_a_web_address_is_a_usable_endpoint(endpoint):
    assert endpoint_problem(endpoint) is None


@pytest.mark.parametrize("endpoint", ["javascript:alert(1)", "data:image/gif,", "e.gif", "//log.example.com/e.gif x",
                                      '/e.gif"><script>', "/e.gif#top", "https://", "ftp://log.example.com/e.gif"])
def test_anything_else_is_refused_with_how_to_write_it(endpoint):
    problem = endpoint_problem(endpoint)
    assert problem and f"“{endpoint}”" in problem and "/e.gif" in problem


def test_the_endpoints_path_is_what_an_access_log_shows():
    assert endpoint_path("/e.gif") == endpoint_path("https://log.example.com/e.gif?x=1") == "/e.gif"


def test_a_site_gets_the_analytics_script_only_with_an_endpoint():
    assert set(site_scripts(analytics=False)) == {SEARCH_SCRIPT}
    assert set(site_scripts(analytics=True)) == {SEARCH_SCRIPT, ANALYTICS_SCRIPT}


def test_the_analytics_script_is_told_the_protocol_and_the_rules_python_uses():
    script = analytics_script()
    protocol = json.loads(re.search(r"^var PROTOCOL = (\{.*\});", script, re.M).group(1))
    assert protocol["version"] == EVENT_VERSION and protocol["settleMs"] == SETTLE_MS
    assert protocol["reasons"] == [[code, label] for code, label in REASONS.items()]
    assert protocol["mask"]["rules"] == [[pattern, replacement] for _, pattern, replacement in MASK_RULES]
    assert protocol["mask"]["cap"] == QUERY_CAP == 64
