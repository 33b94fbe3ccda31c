"""What a search query may carry out of the browser: personal data masked, length capped.

Shoppers paste phone numbers, order numbers and e-mail addresses into the search box. Before the
site's analytics send a query anywhere (site/analytics.js), and again when `faqkb insights` reads
a log, the query goes through `mask_query`. The rules are plain data written in the part of the
regular-expression syntax that Python and JavaScript read alike (ASCII classes, no \\d, \\b or \\s,
which differ between the two), so the page applies exactly these rules (site/scripts.py writes
them into the script) and Node's tests check it against this module (tests/test_mask.py).

Each replacement holds neither digits, letters nor "@", so masking a masked query changes nothing:
insights can mask again whatever a log holds, whether the browser masked it or an old page did not.
"""

from __future__ import annotations

import re
import unicodedata

from .query import QUERY_MAX_CHARS

# The search reads no more than this many characters of a query, so no more are ever sent.
QUERY_CAP = QUERY_MAX_CHARS

# Control characters and every kind of space become one ordinary space.
SPACES = "[\\u0000-\\u0020\\u007f\\u00a0\\u1680\\u2000-\\u200b\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]+"

# (name, pattern, replacement), applied in this order to NFKC-normalised text: an e-mail address
# holds digits, and a phone number written with spaces is no run of five digits.
MASK_RULES: tuple[tuple[str, str, str], ...] = (
    ("email", "[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+", "[邮箱]"),
    ("phone",
     # mobile (+86 and separators optional), landline with its area code, 400/800 service numbers
     "(?<![0-9])(?:\\+?86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{4}){2}(?![0-9])"
     "|(?<![0-9])0[1-9][0-9]{1,2}[ -]?[0-9]{7,8}(?![0-9])"
     "|(?<![0-9])[48]00[ -]?[0-9]{3}[ -]?[0-9]{4}(?![0-9])",
     "[电话]"),
    # order, tracking and ticket numbers: a word of letters, digits and hyphens, at least 8 long,
    # with at least 5 digits and a letter or hyphen (SO20261204001, JD-1234-5678, SF1234567890); not iphone15 or gtx1080ti
    ("order", "(?<![A-Za-z0-9-])(?=[A-Za-z0-9-]{8})(?=[A-Za-z0-9-]*[A-Za-z-])(?=(?:[A-Za-z-]*[0-9]){5})[A-Za-z0-9-]+",
     "[单号]"),
    # runs of 5 or more digits, and card numbers typed in groups (6222 0212 3456 7890)
    ("digits", "(?<![0-9])[0-9]{3,}(?: [0-9]{4,})+(?![0-9])|[0-9]{5,}", "[数字]"),
)
MASK_TOKENS = tuple(dict.fromkeys(replacement for _, _, replacement in MASK_RULES))

_SPACES = re.compile(SPACES)
_RULES = tuple((re.compile(pattern), replacement) for _, pattern, replacement in MASK_RULES)


def mask_query(text: str) -> str:
    """The query as analytics may send and report it: NFKC (full-width digits are digits), spaces
    collapsed and trimmed, personal data masked, at most QUERY_CAP characters."""
    text = _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip(" ")
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text[:QUERY_CAP].rstrip(" ")


def is_masked(text: str) -> bool:
    """Whether a (masked) query had personal data taken out of it."""
    return any(token in text for token in MASK_TOKENS)


def exported_rules() -> dict:
    """The rules as the page's script reads them (site/scripts.py writes them in as JSON)."""
    return {"spaces": SPACES, "rules": [[pattern, replacement] for _, pattern, replacement in MASK_RULES],
            "cap": QUERY_CAP}
