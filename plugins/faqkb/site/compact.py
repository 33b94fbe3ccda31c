"""The question pages' layout, made smaller without changing what a shopper sees.

Every question page repeats the theme's chrome (header, navigation, footer, Material's scripts),
and at 10,000 questions that repetition was most of the site: about 15 KB a page. `compact()`
rewrites the theme's output once, before the questions are filled in:

- Indentation, trailing spaces and blank lines go (every run of whitespace keeps at least one
  character, so text and inline elements are laid out as before); `<pre>` and `<textarea>` keep
  theirs.
- Inline `<svg>` icons become `<svg viewBox=…><use href="…#iN"/></svg>` pointing into one sprite
  file that browsers download once and cache; the icon is drawn the same, in the same box and
  colour (`<use>` inherits the `fill: currentcolor` the theme sets).
- JSON data blocks (`<script type="application/json">`, Material's `__config`) are written again
  without `\\uXXXX` escapes and spaces: the same value, in fewer bytes.

Material's inline scripts stay inline. Moved into files loaded by `<script src>` in the same
place they save about 900 bytes a page; that was backed out while a hang of the analytics browser
tests was suspected of coming from it, and the hang later showed without it too (a test-side
teardown wait, see tests/browser/conftest.py). Moving them is the next step to 10 KB a page.

The part given as `keep` (the question's own HTML, or its placeholder) is left byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import re

_RAW = re.compile(r"(<pre\b.*?</pre>|<textarea\b.*?</textarea>|<script\b[^>]*>.*?</script>)", re.S | re.I)
_SVG = re.compile(r"<svg\b([^>]*)>(.*?)</svg>", re.S)
_VIEWBOX = re.compile(r'\bviewBox="([^"]*)"')
_JSON_SCRIPT = re.compile(r'(<script\b[^>]*\btype="application/json"[^>]*>)(.*?)(</script>)', re.S)
_LINE_SPACE = re.compile(r"[ \t]*\n[ \t\r\n]*")  # a line break with the blanks around it, and blank lines after it


class Compacted:
    """A compacted page and the files it now points at (file name → text), in the same folder."""

    def __init__(self, html: str, files: dict[str, str]):
        self.html = html
        self.files = files


def content_name(stem: str, text: str, suffix: str) -> str:
    """A file named after its content, so that a change never reuses a cached file."""
    return f"{stem}.{hashlib.sha256(text.encode('utf-8')).hexdigest()[:10]}.{suffix}"


def compact(html: str, keep: str, asset_url: str) -> Compacted:
    """`html` made smaller, `keep` untouched; the files it points at are to be written in the
    folder that `asset_url` (relative to the page, ending in "/") names."""
    if html.count(keep) != 1:
        raise ValueError("the part to keep must appear exactly once")
    before, after = html.split(keep)
    symbols: dict[str, str] = {}  # symbol → its id
    before, after = (_icons_to_sprite(part, symbols) for part in (before, after))
    files = {}
    if symbols:
        sprite = ('<svg xmlns="http://www.w3.org/2000/svg">' + "".join(
            symbol.replace("<symbol ", f'<symbol id="{symbol_id}" ', 1) for symbol, symbol_id in symbols.items())
            + "</svg>\n")
        name = content_name("icons", sprite, "svg")
        files[name] = sprite
        before, after = (part.replace(_SPRITE, asset_url + name) for part in (before, after))
    before, after = (_compact_text(part) for part in (before, after))
    return Compacted(before + keep + after, files)


_SPRITE = "\x00sprite\x00"


def _icons_to_sprite(html: str, symbols: dict[str, str]) -> str:
    def replace(match: re.Match) -> str:
        attributes, inner = match.group(1), match.group(2)
        viewbox = _VIEWBOX.search(attributes)
        rest = re.sub(r'\s*\b(?:xmlns|viewBox)="[^"]*"', "", attributes)
        if not viewbox or "<use" in inner or "id=" in inner or rest.strip():
            return match.group(0)  # not a plain icon: left as it is
        symbol = f'<symbol viewBox="{viewbox.group(1)}">{inner.strip()}</symbol>'
        symbol_id = symbols.setdefault(symbol, f"i{len(symbols)}")
        return f'<svg viewBox="{viewbox.group(1)}"><use href="{_SPRITE}#{symbol_id}"/></svg>'

    return _SVG.sub(replace, html)


def _compact_text(html: str) -> str:
    pieces = _RAW.split(html)
    out = []
    for number, piece in enumerate(pieces):
        if number % 2:  # <pre>, <textarea> or <script>: spaces are content
            out.append(_JSON_SCRIPT.sub(_compact_json, piece))
        else:
            out.append(_LINE_SPACE.sub("\n", piece))
    return "".join(out)


def _compact_json(match: re.Match) -> str:
    try:
        value = json.loads(match.group(2))
    except ValueError:
        return match.group(0)
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    # Inside a script element neither "</" nor "<!--" may appear; JSON reads "\/" as "/".
    text = text.replace("</", "<\\/").replace("<!--", "<\\u0021--")
    return match.group(1) + text + match.group(3)
