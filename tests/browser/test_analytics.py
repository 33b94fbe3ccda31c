"""The site's analytics as a shopper meets them, in headless Chromium: the vote under every answer,
and the events the pages send (site/analytics.js) when mkdocs.yml sets analytics.endpoint.

The sample content is built with `analytics: {endpoint: /e.gif}` and served like a static host
that has an e.gif file; every request the pages make is watched (tests/browser/conftest.py: none
may go to another host). tests/test_nginx_analytics.py does the same session through Debian's
nginx and deploy/nginx.conf, and reads the events back from its log with `faqkb insights`.
"""

from __future__ import annotations

import contextlib
import functools
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from playwright.sync_api import expect

from faqkb.content.load import load_content
from faqkb.search.job import search_data
from faqkb.search.query import Searcher
from faqkb.site.analytics import REASONS

from conftest import GIF, ROOT, analytics_config, build_site, serving  # tests/browser is on sys.path

pytestmark = pytest.mark.browser

FIELDS = {"v", "e", "q", "n", "id", "rank", "vote", "reason"}
MOBILE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
BOX = ".md-header .faqkb-search-input"
BOX_RESULTS = ".md-header .faqkb-results"


class Received:
    """The requests for the endpoint a server answered, as the server saw them (a request sent as
    the page is left is made by the browser after the page is gone: only the server sees it)."""

    def __init__(self):
        self.events: list[dict] = []
        self.lock = threading.Lock()

    def add(self, path: str) -> None:
        with self.lock:
            self.events.append(dict(parse_qsl(urlsplit(path).query)))

    def wait_for(self, page, timeout: float = 15, **fields) -> dict:
        """Waits for an event with these fields. Polls through the page: the browser's requests wait
        on Playwright's routing (conftest.py), which runs only while the test talks to Playwright."""
        wanted = {key: str(value) for key, value in fields.items()}
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                found = next((e for e in self.events if all(e.get(k) == v for k, v in wanted.items())), None)
            if found:
                return found
            page.wait_for_timeout(50)
        pytest.fail(f"the server received no event {wanted}: {self.events}")


@contextlib.contextmanager
def recording(directory: Path, received: Received, endpoint: str = "/e.gif"):
    """Serves `directory` on 127.0.0.1 like conftest.serving, noting every request for the endpoint."""
    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 - the base class's name
            pass

        def do_GET(self):
            if urlsplit(self.path).path == endpoint:
                received.add(self.path)
            super().do_GET()

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(directory)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def reference():
    content, _ = load_content(ROOT / "faq")
    return Searcher(*search_data(content))


class Events:
    """The analytics events a browser context sent, in order, as {field: value}."""

    def __init__(self, context, path: str = "/e.gif"):
        self.context, self.path = context, path
        self.sent: list[dict] = []
        self.requests = []  # Playwright's Request of each
        context.on("request", self._record)

    def _is_event(self, request) -> bool:
        return urlsplit(request.url).path == self.path

    def _record(self, request) -> None:
        if self._is_event(request):
            self.sent.append(dict(parse_qsl(urlsplit(request.url).query)))
            self.requests.append(request)

    def of(self, kind: str) -> list[dict]:
        return [event for event in self.sent if event["e"] == kind]

    @contextlib.contextmanager
    def expect(self, timeout: float = 15_000, **fields):
        """Waits, after the body, for an event with these fields (sent during or after the body)."""
        wanted = {key: str(value) for key, value in fields.items()}

        def matches(request) -> bool:
            event = dict(parse_qsl(urlsplit(request.url).query))
            return self._is_event(request) and all(event.get(k) == v for k, v in wanted.items())

        with self.context.expect_event("request", predicate=matches, timeout=timeout):
            yield


@pytest.fixture
def shopper(new_page):
    """A page in a fresh browser (no votes, no history) and the events it sends."""

    def open_page(**options):
        page = new_page(**options)
        return page, Events(page.context)

    return open_page


def type_query(page, text: str):
    """Types like a shopper (keystroke by keystroke) and waits for the results of the whole text."""
    page.fill(BOX, "")
    page.type(BOX, text, delay=15)
    expect(page.locator(BOX_RESULTS)).to_have_attribute("data-query", text)


def tab_to(page, name: str, limit: int = 80):
    """Presses Tab until the focused element is the button called `name`: it is reachable by keyboard."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName === 'BUTTON' && document.activeElement.textContent") == name:
            return
    pytest.fail(f"the button {name!r} cannot be reached with Tab")


# -- with analytics off (the repository's mkdocs.yml) ----------------------------------------------


def test_without_an_endpoint_no_vote_is_asked_and_nothing_is_sent(page, site_server):
    requests = []
    page.context.on("request", lambda request: requests.append(request.url))
    page.goto(site_server)
    type_query(page, "优惠券过期")
    page.locator(f"{BOX_RESULTS} .faqkb-result[href*=\"coupon-expired\"]").click()
    page.wait_for_url("**/q/coupon-expired/")
    expect(page.locator(".faqkb-answer")).to_be_visible()
    assert page.locator(".faqkb-vote").count() == 0
    assert page.locator('meta[name="faqkb-analytics"], script[src*="analytics"]').count() == 0
    assert not [url for url in requests if "analytics" in url or "e.gif" in url]


# -- the vote --------------------------------------------------------------------------------------


def test_a_helpful_vote_by_keyboard_is_announced_sent_once_and_remembered(shopper, analytics_site):
    page, events = shopper()
    with events.expect(e="view", id="refund-time"):
        page.goto(analytics_site + "q/refund-time/")
    box = page.locator(".faqkb-vote")
    expect(box.get_by_role("heading")).to_have_text("这个回答对您有帮助吗？")
    status = box.get_by_role("status")
    assert status.get_attribute("aria-live") == "polite" and status.inner_text() == ""
    tab_to(page, "有帮助")
    with events.expect(e="vote", id="refund-time", vote="up"):
        page.keyboard.press("Space")
    expect(status).to_have_text("感谢您的反馈！")
    helpful = box.get_by_role("button", name="有帮助")
    assert helpful.get_attribute("aria-pressed") == "true" and helpful.get_attribute("aria-disabled") == "true"
    assert page.evaluate("document.activeElement.textContent") == "有帮助"  # focus stays where it was
    page.keyboard.press("Enter")  # a second vote is not taken
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # nor a change of mind
    with events.expect(e="view", id="refund-time"):
        page.reload()
    expect(page.locator(".faqkb-vote").get_by_role("status")).to_have_text("感谢您的反馈！")
    assert page.locator(".faqkb-vote").get_by_role("button", name="有帮助").get_attribute("aria-pressed") == "true"
    with events.expect(e="view", id="how-to-return"):  # the vote is per page: another page asks again
        page.goto(analytics_site + "q/how-to-return/")
    expect(page.locator(".faqkb-vote").get_by_role("status")).to_have_text("")
    assert [(e["e"], e.get("vote")) for e in events.sent] == [("view", None), ("vote", "up"), ("view", None),
                                                              ("view", None)]


def test_an_unhelpful_vote_asks_why_and_sends_the_reason_chosen_by_keyboard(shopper, analytics_site):
    page, events = shopper()
    page.goto(analytics_site + "q/refund-method/")
    box = page.locator(".faqkb-vote")
    reasons = box.get_by_role("group")
    expect(reasons).to_be_hidden()
    tab_to(page, "没帮助")
    page.keyboard.press("Enter")
    expect(reasons).to_be_visible()
    expect(box.get_by_role("status")).to_contain_text("可以选择没帮到您的原因")
    assert reasons.get_by_role("button").all_inner_texts() == list(REASONS.values())
    assert not events.of("vote")  # not yet: it goes with its reason
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    with events.expect(e="vote", id="refund-method", vote="down", reason="unclear"):
        page.keyboard.press("Enter")
    expect(box.get_by_role("status")).to_have_text("感谢您的反馈，我们会改进这个回答。")
    assert reasons.get_by_role("button", name="看不懂").get_attribute("aria-pressed") == "true"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # another reason is not sent
    with events.expect(e="view", id="refund-time"):
        page.goto(analytics_site + "q/refund-time/")
    assert [e for e in events.sent if e["e"] == "vote"] == [
        {"v": "1", "e": "vote", "id": "refund-method", "vote": "down", "reason": "unclear"}]


def test_an_unhelpful_vote_without_a_reason_is_sent_when_the_shopper_leaves(shopper, analytics_build):
    received = Received()
    with recording(analytics_build, received) as site:
        page, _ = shopper()
        page.goto(site + "q/refund-method/")
        page.locator(".faqkb-vote").get_by_role("button", name="没帮助").click()
        related = page.locator(".faqkb-related a").first.get_attribute("href").strip("./").split("/")[-1]
        page.locator(".faqkb-related a").first.click()
        page.wait_for_url(f"**/q/{related}/")
        received.wait_for(page, e="view", id=related)
        assert received.wait_for(page, e="vote") == {"v": "1", "e": "vote", "id": "refund-method", "vote": "down"}
        assert len([e for e in received.events if e["e"] == "vote"]) == 1


@pytest.mark.parametrize(("size", "scheme"), [("390", "light"), ("390", "dark"), ("1280", "light"), ("1280", "dark")])
def test_the_vote_fits_and_reads_on_a_phone_and_a_desktop_in_both_schemes(shopper, analytics_site, screenshot_dir,
                                                                           size, scheme):
    options = {**(MOBILE if size == "390" else {}), "color_scheme": scheme}
    page, _ = shopper(**options)
    page.goto(analytics_site + "q/refund-time/")
    box = page.locator(".faqkb-vote")
    box.get_by_role("button", name="没帮助").click()
    expect(box.get_by_role("group")).to_be_visible()
    box.scroll_into_view_if_needed()
    box.screenshot(path=str(screenshot_dir / f"vote-{size}-{scheme}.png"))
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing sticks out sideways
    for button in box.get_by_role("button").all():
        bounds = button.bounding_box()
        assert bounds["x"] >= 0 and bounds["x"] + bounds["width"] <= width
        assert bounds["height"] >= 40, "a finger needs room"  # WCAG 2.5.8 asks 24 px; phones want more
    background = page.locator("body").evaluate("b => getComputedStyle(b).backgroundColor")
    for text in (box.get_by_role("heading"), box.get_by_role("status"), box.get_by_role("button", name="看不懂")):
        colour = text.evaluate("e => getComputedStyle(e).color")
        assert contrast(colour, background) >= 4.5, (colour, background)  # WCAG AA for text


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two CSS rgb()/rgba() colours (the foreground's alpha over the background)."""
    def channels(css: str) -> list[float]:
        return [float(part) for part in css[css.index("(") + 1:-1].replace("/", ",").split(",")]

    def luminance(rgb) -> float:
        linear = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    back = channels(background)[:3]
    fore = channels(foreground)
    alpha = fore[3] if len(fore) > 3 else 1.0
    fore = [alpha * f + (1 - alpha) * b for f, b in zip(fore[:3], back)]
    lighter, darker = sorted((luminance(fore), luminance(back)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# -- searches and clicks ---------------------------------------------------------------------------


def test_a_query_is_sent_once_when_it_settles_never_per_keystroke(shopper, analytics_site, reference):
    page, events = shopper()
    page.goto(analytics_site)
    shown = len(reference.search("退款多久", limit=8, prefix=True))
    with events.expect(e="search", q="退款多久"):
        type_query(page, "退款多久")
    assert events.of("search") == [{"v": "1", "e": "search", "q": "退款多久", "n": str(shown)}]
    page.keyboard.press("Enter")  # the results page of the same query: already counted
    page.wait_for_url("**/search/?q=*")
    expect(page.locator(".faqkb-search-list .faqkb-result").first).to_be_visible()
    with events.expect(e="click", rank=1):  # a later event, so anything sent before it has arrived
        page.locator(".faqkb-search-list .faqkb-result").first.click()
    assert len(events.of("search")) == 1


def test_enter_sends_the_query_with_the_results_pages_count_and_a_reload_does_not_count_again(
        shopper, analytics_site, reference):
    page, events = shopper()
    page.goto(analytics_site)
    type_query(page, "运费")
    with events.expect(e="search", q="运费", n=len(reference.search("运费", limit=50))):
        page.keyboard.press("Enter")
    page.reload()
    expect(page.locator(".faqkb-search-list .faqkb-result").first).to_be_visible()
    with events.expect(e="click", q="运费", rank=2):
        page.locator(".faqkb-search-list .faqkb-result").nth(1).click()
    assert len(events.of("search")) == 1


def test_opening_the_third_result_sends_the_query_its_id_and_rank(shopper, analytics_site, reference):
    page, events = shopper()
    page.goto(analytics_site)
    results = reference.search("优惠券过期", limit=8, prefix=True)
    type_query(page, "优惠券过期")
    with events.expect(e="view", id=results[2].id):
        page.locator(f"{BOX_RESULTS} .faqkb-result").nth(2).click()
    assert events.sent == [{"v": "1", "e": "search", "q": "优惠券过期", "n": str(len(results))},
                           {"v": "1", "e": "click", "q": "优惠券过期", "id": results[2].id, "rank": "3"},
                           {"v": "1", "e": "view", "id": results[2].id}]


def test_a_result_opened_with_the_keyboard_counts_like_a_click(shopper, analytics_site, reference):
    page, events = shopper()
    page.goto(analytics_site)
    type_query(page, "发票")
    second = reference.search("发票", limit=8, prefix=True)[1]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    with events.expect(e="click", q="发票", id=second.id, rank=2):
        page.keyboard.press("Enter")


def test_a_search_with_no_results_is_sent_with_none(shopper, analytics_site):
    page, events = shopper()
    with events.expect(e="search", q="你们招聘吗", n=0):
        page.goto(analytics_site + "search/?q=" + quote("你们招聘吗"))
    expect(page.locator(".faqkb-search-empty")).to_be_visible()


# -- privacy ---------------------------------------------------------------------------------------


def test_a_phone_number_never_leaves_the_page(shopper, analytics_site):
    page, events = shopper()
    urls = []
    page.context.on("request", lambda request: urls.append(request.url))
    page.goto(analytics_site)
    with events.expect(e="search", q="我的手机[电话]收不到验证码"):
        type_query(page, "我的手机13812345678收不到验证码")
    assert not [url for url in urls if "13812345678" in url]


def test_events_carry_no_cookie_no_referrer_and_only_their_fields(shopper, analytics_site):
    page, events = shopper()
    host = urlsplit(analytics_site).hostname
    page.context.add_cookies([{"name": "session", "value": "shopper-42", "domain": host, "path": "/"}])
    with events.expect(e="view"):
        page.goto(analytics_site + "q/refund-time/")
    with events.expect(e="vote"):
        page.locator(".faqkb-vote").get_by_role("button", name="有帮助").click()
    for request in events.requests:
        headers = request.all_headers()
        assert "cookie" not in headers and "referer" not in headers, headers
    assert all(set(event) <= FIELDS for event in events.sent)
    assert [cookie["name"] for cookie in page.context.cookies()] == ["session"]  # the page set none of its own


@pytest.mark.parametrize("signal", ["navigator.globalPrivacyControl", "navigator.doNotTrack"])
def test_a_browser_that_asks_not_to_be_tracked_sends_nothing_and_is_not_asked_to_vote(shopper, analytics_site, signal):
    page, events = shopper()
    name = signal.split(".")[1]
    value = "true" if name == "globalPrivacyControl" else '"1"'
    page.add_init_script(f"Object.defineProperty(Navigator.prototype, {name!r}, {{get: () => {value}}});")
    page.goto(analytics_site + "q/refund-time/")
    assert page.evaluate(signal) in (True, "1")
    expect(page.locator(".faqkb-answer")).to_be_visible()
    page.wait_for_load_state("load")  # the deferred scripts have run
    assert page.locator(".faqkb-vote").count() == 0
    type_query(page, "优惠券过期")
    page.locator(f"{BOX_RESULTS} .faqkb-result[href*=\"coupon-expired\"]").click()
    page.wait_for_url("**/q/coupon-expired/")
    page.wait_for_load_state("load")
    assert events.sent == []


# -- an endpoint on another origin -----------------------------------------------------------------


@pytest.fixture(scope="module")
def collector_and_site(tmp_path_factory):
    """A site whose endpoint is another origin (another port): a CDN's or a log server's."""
    root = tmp_path_factory.mktemp("analytics-cross")
    (root / "collector").mkdir()
    (root / "collector" / "hit.gif").write_bytes(GIF)
    with serving(root / "collector") as collector:
        site = build_site(root / "site", analytics_config(root, collector + "hit.gif"))
        with serving(site) as url:
            yield collector, url


def test_an_endpoint_on_another_origin_receives_the_events(shopper, collector_and_site):
    collector, site = collector_and_site
    page, _ = shopper()
    events = Events(page.context, path="/hit.gif")
    with events.expect(e="view", id="refund-time"):
        page.goto(site + "q/refund-time/")
    assert events.requests[0].url.startswith(collector)
    assert "cookie" not in events.requests[0].all_headers()
