"""The help site's analytics: what the page sends (site/analytics.js) and `faqkb insights` reads.

Off unless mkdocs.yml sets `analytics: {endpoint: ...}`. Each event is one GET request to the
endpoint with the event in its query string, so any web server's or CDN's access log collects
them (deploy/nginx.conf). No cookies and no identifiers: an event is only these fields.

    v       EVENT_VERSION
    e       view | search | click | vote
    q       the query, masked and capped (search/mask.py)        search, click
    n       how many results the shopper was shown               search
    id      the question's id                                    view, click, vote
    rank    the position of the opened result, from 1            click
    vote    up | down                                            vote
    reason  one of REASONS (only after "down", optional)         vote
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..search.mask import exported_rules

EVENT_VERSION = 1
EVENTS = ("view", "search", "click", "vote")
VOTES = ("up", "down")
# The chips offered after 没帮助, in this order: the code travels, the label is shown.
REASONS = {"unsolved": "没解决我的问题", "unclear": "看不懂", "outdated": "信息过时", "other": "其他"}
# A query typed into the search box counts once it has stood this long (or on Enter, or on a click).
SETTLE_MS = 2000

_UNSAFE = re.compile(r"[\s\"'<>\\`]")


def endpoint_problem(endpoint: str) -> str | None:
    """Why `endpoint` cannot be the analytics endpoint (in Chinese, for mkdocs.yml), or None."""
    if not endpoint:
        return None
    parts = urlsplit(endpoint)
    if _UNSAFE.search(endpoint) or parts.fragment or (parts.scheme and parts.scheme not in ("http", "https")) \
            or (parts.scheme and not parts.netloc) or (not parts.scheme and not endpoint.startswith("/")):
        return (f"analytics.endpoint “{endpoint}”不是可以用的地址：请写以 / 开头的本站路径（例如 /e.gif），"
                "或以 https:// 开头的完整网址；不要包含空格、引号或 #。")
    return None


def endpoint_path(endpoint: str) -> str:
    """The path part of an endpoint: what its requests look like in an access log."""
    return urlsplit(endpoint).path or "/"


def protocol() -> dict:
    """What the page's script needs to know, written into it by site/scripts.py."""
    return {"version": EVENT_VERSION, "settleMs": SETTLE_MS, "reasons": [[code, label] for code, label in REASONS.items()],
            "mask": exported_rules()}
