"""The scripts the pages load. The search script: the engine (search/engine.js) and the search box
(search-ui.js) in one file, one request, with the index format they expect written in at build time.
The analytics script (analytics.js), only when analytics are configured, with the event protocol
and the query-masking rules written in from Python (site/analytics.py, search/mask.py)."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from ..search.query import QUERY_MAX_CHARS
from ..search.version import ENGINE_SCRIPT, FORMAT_VERSION
from .analytics import protocol

SEARCH_SCRIPT = "assets/faqkb/search.js"
UI_SCRIPT = Path(__file__).parent / "search-ui.js"
ANALYTICS_SCRIPT = "assets/faqkb/analytics.js"
ANALYTICS_SOURCE = Path(__file__).parent / "analytics.js"


@functools.lru_cache(maxsize=1)
def search_script() -> str:
    return "\n".join([
        "/* faqkb search: search/engine.js and site/search-ui.js of the faqkb package. */",
        "(function () {",
        f"var FORMAT = {FORMAT_VERSION};  // the index format (search/version.py)",
        f"var QUERY_MAX_CHARS = {QUERY_MAX_CHARS};  // what the search reads of a query (search/query.py)",
        ENGINE_SCRIPT.read_text(encoding="utf-8"),
        UI_SCRIPT.read_text(encoding="utf-8"),
        "})();",
        "",
    ])


@functools.lru_cache(maxsize=1)
def analytics_script() -> str:
    return "\n".join([
        "/* faqkb analytics: site/analytics.js of the faqkb package. */",
        "(function () {",
        f"var PROTOCOL = {json.dumps(protocol(), ensure_ascii=False)};  // site/analytics.py, search/mask.py",
        ANALYTICS_SOURCE.read_text(encoding="utf-8"),
        "})();",
        "",
    ])


def site_scripts(analytics: bool) -> dict[str, str]:
    """Site path → text of every script the pages load."""
    scripts = {SEARCH_SCRIPT: search_script()}
    if analytics:
        scripts[ANALYTICS_SCRIPT] = analytics_script()
    return scripts
