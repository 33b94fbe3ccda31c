"""The whole loop with the real parts: a site built with analytics on, served by Debian's nginx with
deploy/nginx.conf, a shopper's session in Chromium, nginx stopped, `faqkb insights` on its events
log, and the content changed from it (frequencies and an alias) building a site whose search now
finds the entry by what the shopper typed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from playwright.sync_api import expect

from faqkb.content.load import load_content
from faqkb.search.job import search_data
from faqkb.search.query import Searcher
from faqkb.staff.insights import weekly

from conftest import CONFIG_FILE, ROOT, build_site  # tests/browser is on sys.path
from nginx import Nginx  # tests/ is on sys.path (rootdir)
from harness.server import free_port

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.slow]

FAQKB = Path(sys.executable).parent / "faqkb"
BOX = ".md-header .faqkb-search-input"
BOX_RESULTS = ".md-header .faqkb-results"
FOUND_LOW = "券用不了过期"  # coupon-expired, the third result, answers it
NOTHING = "你们招聘吗"
PHONE = "我的手机13812345678收不到验证码"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project's content and mkdocs.yml, with analytics on."""
    root = tmp_path_factory.mktemp("nginx-analytics") / "project"
    root.mkdir()
    subprocess.run(["cp", "-r", str(ROOT / "faq"), str(root / "faq")], check=True)
    data = yaml.safe_load(CONFIG_FILE.read_text(encoding="utf-8"))
    data["plugins"][0]["faqkb"]["analytics"] = {"endpoint": "/e.gif"}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return root


def faqkb(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(FAQKB), *args], cwd=project, capture_output=True, text=True, timeout=300)


def type_query(page, text: str):
    page.fill(BOX, "")
    page.type(BOX, text, delay=15)
    expect(page.locator(BOX_RESULTS)).to_have_attribute("data-query", text)


def wait_for_lines(page, log: Path, count: int, timeout: float = 30) -> list[str]:
    """Waits until nginx has written `count` lines to the log (each a request it answered).

    Polls through the page, not time.sleep: the browser's requests wait on Playwright's routing
    (conftest.py aborts those to other hosts), which runs only while the test talks to Playwright."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
        if len(lines) >= count:
            return lines
        page.wait_for_timeout(50)
    pytest.fail(f"nginx logged {len(lines)} events, not {count}:\n" + "\n".join(lines))


def test_a_session_in_the_browser_becomes_a_report_and_a_change_of_frequencies_and_aliases(new_page, project,
                                                                                            tmp_path):
    content, _ = load_content(project / "faq")
    reference = Searcher(*search_data(content))
    shown = reference.search(FOUND_LOW, limit=8, prefix=True)
    third = shown[2].id
    assert third == "coupon-expired" and FOUND_LOW not in content.entries_by_id()[third].aliases

    site = build_site(tmp_path / "site", project / "mkdocs.yml")
    server = Nginx(tmp_path / "nginx", site, free_port())
    with server:
        page = new_page()
        page.goto(server.url)
        type_query(page, FOUND_LOW)  # a search that finds something, and a click on its third result
        page.locator(f"{BOX_RESULTS} .faqkb-result").nth(2).click()
        page.wait_for_url(f"**/q/{third}/")  # the first page view
        vote = page.locator(".faqkb-vote")
        vote.get_by_role("button", name="没帮助").click()  # an unhelpful vote, with a reason
        vote.get_by_role("button", name="看不懂").click()
        expect(vote.get_by_role("status")).to_have_text("感谢您的反馈，我们会改进这个回答。")
        type_query(page, NOTHING)  # a search with no results
        page.keyboard.press("Enter")
        expect(page.locator(".faqkb-search-empty")).to_be_visible()
        page.goto(server.url + "q/refund-time/")  # the second page view
        expect(page.locator(".faqkb-vote")).to_be_visible()
        type_query(page, PHONE)  # a query with a phone number, left to settle
        lines = wait_for_lines(page, server.events_log, 7)
    # nginx has stopped (nginx -s quit): the log is complete.
    log = server.events_log.read_text(encoding="utf-8")
    assert len(log.splitlines()) == 7
    assert "13812345678" not in log and "127.0.0.1" not in log and "Mozilla" not in log
    assert all(line.startswith("[") and line.endswith('" 200') for line in lines), lines

    result = faqkb(project, "insights", str(server.events_log), "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["lines"], report["events"], report["malformed"]["count"], report["other_requests"]) == (7, 7, 0, 0)
    assert report["by_event"] == {"search": 3, "click": 1, "view": 2, "vote": 1}
    masked = "我的手机[电话]收不到验证码"
    assert sorted(report["top_searches"], key=lambda row: row["q"]) == sorted([
        {"q": FOUND_LOW, "count": 1, "no_results": 0},
        {"q": NOTHING, "count": 1, "no_results": 1},
        {"q": masked, "count": 1, "no_results": 0 if reference.search(PHONE, limit=8, prefix=True) else 1},
    ], key=lambda row: row["q"])
    assert report["no_results"] == [{"form": "招聘", "count": 1, "queries": [NOTHING]}]
    assert report["alias_candidates"] == [{"q": FOUND_LOW, "id": third, "count": 1, "skip": ""}]
    assert report["views"] == [{"id": third, "count": 1}, {"id": "refund-time", "count": 1}]
    assert report["votes"] == [{"id": third, "up": 0, "down": 1, "reasons": {"看不懂": 1}, "helpful": 0.0}]
    days = report["period"]["days"]
    assert days in (1, 2)  # 2 only when the session crossed midnight in the shop's time zone

    result = faqkb(project, "insights", str(server.events_log), "--write-frequency", "--apply-aliases", "1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{third}：{FOUND_LOW}" in result.stdout
    assert faqkb(project, "validate", "faq").returncode == 0
    changed, _ = load_content(project / "faq")
    entries = changed.entries_by_id()
    assert entries[third].aliases[-1] == FOUND_LOW
    assert entries[third].frequency == entries["refund-time"].frequency == weekly(1, days) >= 1
    assert {entry.frequency for entry in changed.entries if entry.id not in (third, "refund-time")} == {0}

    # The next build: its search finds the entry by the shopper's words, first.
    rebuilt = build_site(tmp_path / "site-next", project / "mkdocs.yml")
    with Nginx(tmp_path / "nginx-next", rebuilt, free_port()) as next_server:
        page = new_page()
        page.goto(next_server.url + "search/?q=" + quote(FOUND_LOW))
        first = page.locator(".faqkb-search-list .faqkb-result").first
        expect(first).to_have_attribute("data-id", third)
        page.goto(next_server.url)
        type_query(page, FOUND_LOW)
        expect(page.locator(f"{BOX_RESULTS} .faqkb-result").first).to_have_attribute("data-id", third)
