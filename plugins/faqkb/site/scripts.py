"""The search script the pages load: the engine (search/engine.js) and the search box
(search-ui.js) in one file, one request, with the index format they expect written in at build time."""

from __future__ import annotations

import functools
from pathlib import Path

from ..search.version import ENGINE_SCRIPT, FORMAT_VERSION

SEARCH_SCRIPT = "assets/faqkb/search.js"
UI_SCRIPT = Path(__file__).parent / "search-ui.js"


@functools.lru_cache(maxsize=1)
def search_script() -> str:
    return "\n".join([
        "/* faqkb search: search/engine.js and site/search-ui.js of the faqkb package. */",
        "(function () {",
        f"var FORMAT = {FORMAT_VERSION};  // the index format (search/version.py)",
        ENGINE_SCRIPT.read_text(encoding="utf-8"),
        UI_SCRIPT.read_text(encoding="utf-8"),
        "})();",
        "",
    ])
