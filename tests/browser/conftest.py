"""Browser fixtures: one real MkDocs build per session, served on 127.0.0.1, driven by Debian's Chromium.

Playwright cannot download browsers here, so Chromium is launched from /usr/bin/chromium. Without it
the browser tests are skipped on a workstation, but fail under CI (CI=true): a CI run that silently
skipped them would prove nothing.

Every page a test opens is watched. The test fails if the page
- requested anything from a host other than 127.0.0.1 (web fonts, CDNs, analytics: shoppers in China
  often cannot reach them, and a help page must not wait for them),
- threw an uncaught JavaScript error, or
- got a 4xx/5xx answer for one of the site's own files (a missing stylesheet, script or icon).
Requests to other hosts are aborted, so they neither slow the suite down nor leave the machine.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from harness.browser import CHROMIUM, is_local, launch, new_context
from harness.server import serving
from harness.site import CONFIG_FILE, build_site

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_MS = 10_000

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
BROWSER_TESTS = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Every test in this folder drives Chromium: marked `browser`, so `make test-fast` leaves it out
    even when its module forgets the mark (test_compact_pages.py once did and slowed it 40 s)."""
    for item in items:
        if BROWSER_TESTS in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _skip_or_fail(reason: str):
    if in_ci():
        pytest.fail(f"{reason} (CI is set, so the browser tests must run)", pytrace=False)
    pytest.skip(reason)


# -- the site ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The repository's mkdocs.yml built once into a temporary folder."""
    return build_site(tmp_path_factory.mktemp("faqkb-build") / "site")


@pytest.fixture(scope="session")
def site_server(built_site):
    with serving(built_site) as url:
        yield url


# The same site with analytics on: the vote under every answer, events sent to /e.gif.
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"


def analytics_config(root: Path, endpoint: str) -> Path:
    """The repository's mkdocs.yml with analytics on."""
    data = yaml.safe_load(CONFIG_FILE.read_text(encoding="utf-8"))
    data["docs_dir"] = str(ROOT / "faq")
    data["plugins"][0]["faqkb"]["analytics"] = {"endpoint": endpoint}
    config_file = root / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return config_file


@pytest.fixture(scope="session")
def analytics_build(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("analytics")
    site = build_site(root / "site", analytics_config(root, "/e.gif"))
    (site / "e.gif").write_bytes(GIF)  # what a static host serves at the endpoint
    return site


@pytest.fixture(scope="session")
def analytics_site(analytics_build):
    with serving(analytics_build) as url:
        yield url


# -- the browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _skip_or_fail(f"{CHROMIUM} is missing (install it with scripts/install-browser.sh)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_or_fail("Playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class PageWatch:
    """What the pages of one browser context did that a help site must never do."""

    foreign: list[str] = field(default_factory=list)  # requests to another host
    errors: list[str] = field(default_factory=list)  # uncaught JavaScript errors
    broken: list[str] = field(default_factory=list)  # 4xx/5xx for the site's own files
    pages: list = field(default_factory=list)

    def problems(self) -> list[str]:
        found = [f"request to another host: {url}" for url in dict.fromkeys(self.foreign)]
        found += [f"JavaScript error: {error}" for error in self.errors]
        found += [f"broken link to the site's own file: {item}" for item in dict.fromkeys(self.broken)]
        return found


WATCHES = pytest.StashKey[list]()


@pytest.fixture
def new_page(browser, request):
    """Opens a page in a fresh browser context (options as for Browser.new_context), watched as above."""
    contexts = []
    watches = request.node.stash.setdefault(WATCHES, [])

    def open_page(**options):
        context = new_context(browser, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        watch = PageWatch()
        watches.append(watch)

        def on_request(req):
            if not is_local(req.url):
                watch.foreign.append(req.url)

        def on_response(response):
            if response.status >= 400 and is_local(response.url):
                watch.broken.append(f"{response.status} {response.url} (from {response.frame.url})")

        def on_page(new):
            if new in watch.pages:
                return
            watch.pages.append(new)
            new.on("pageerror", lambda error: watch.errors.append(f"{new.url}: {error}"))

        context.on("request", on_request)
        context.on("response", on_response)
        context.on("page", on_page)
        page = context.new_page()
        on_page(page)  # in case the "page" event for it has not been delivered yet
        return page

    yield open_page
    for context in contexts:
        # context.close() has no timeout, and Chromium sometimes never finishes it while a page is
        # between documents (a test that ends on a click that navigates, a keep-alive event request
        # on its way): it hung CI. Each page is first taken to a blank document, a bounded wait.
        for page in context.pages:
            try:
                page.goto("about:blank", timeout=TIMEOUT_MS)
            except Exception:  # a crashed page: closing the context still ends it
                pass
        context.close()


@pytest.fixture
def page(new_page):
    """A desktop page (1280×800, light scheme, zh-CN) in its own browser context."""
    return new_page()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After the test body: fail it if one of its pages broke a rule (see the module docstring)."""
    try:
        result = yield
    except BaseException:
        problems = _watched_problems(item)
        if problems:
            item.add_report_section("call", "browser", "\n".join(problems))
        raise
    problems = _watched_problems(item)
    if problems:
        pytest.fail("the site did what a help page must not:\n  " + "\n  ".join(problems), pytrace=False)
    return result


def _watched_problems(item) -> list[str]:
    problems = []
    for watch in item.stash.get(WATCHES, []):
        # One round trip to the browser lets Playwright deliver the events still on their way. Not
        # page.evaluate: it has no timeout and waits for the page's next document when a test ends
        # on a click that navigates, which hung a CI run for 85 minutes.
        context = next((page.context for page in watch.pages), None)
        if context is not None:
            try:
                context.cookies()
            except Exception:  # a closed context: its events are already in
                pass
        problems += watch.problems()
    return problems


# -- screenshots ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    """$FAQKB_SCREENSHOTS if set, else a temporary folder."""
    wanted = os.environ.get("FAQKB_SCREENSHOTS")
    folder = Path(wanted) if wanted else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def screenshot(screenshot_dir):
    """screenshot(page, "name") saves the whole page as <name>.png and returns the path."""

    def take(page, name: str) -> Path:
        path = screenshot_dir / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
