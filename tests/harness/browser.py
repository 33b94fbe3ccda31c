"""Debian's Chromium, launched the one way tests and benchmarks launch it (Playwright cannot
download browsers here), and browser contexts whose requests never leave 127.0.0.1."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
DEFAULT_CONTEXT = {"locale": "zh-CN", "timezone_id": "Asia/Shanghai", "color_scheme": "light", **DESKTOP}
# Requests that would leave the machine: anything but 127.0.0.1 and data inside the page. A pattern,
# not a function, so that Playwright intercepts only these: with a function it intercepts every
# request, which stalls a page while a script sleeps and slows what a benchmark times.
FOREIGN = re.compile(r"^(?!(?:data|blob|about):)(?![a-zA-Z][\w+.-]*://127\.0\.0\.1(?::\d+)?(?:[/?#]|$))")


def is_local(url: str) -> bool:
    """Whether a request stays on this machine (the local site, or data inside the page)."""
    return not FOREIGN.match(url)


def launch(playwright):
    """Chromium from /usr/bin/chromium, headless, with the project's flags."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)


def new_context(browser, **options):
    """A fresh context (DEFAULT_CONTEXT, then `options`); requests to other hosts are aborted, so
    they neither slow a page down nor leave the machine."""
    context = browser.new_context(**{**DEFAULT_CONTEXT, **options})
    context.route(FOREIGN, lambda route: route.abort("blockedbyclient"))
    return context


@contextlib.contextmanager
def chromium() -> Iterator:
    """Playwright started and Chromium launched, for a script; both stopped afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            yield browser
        finally:
            browser.close()
