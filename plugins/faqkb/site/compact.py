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
- Line breaks between tags go where no text can be laid out around them: inside `<head>`, and
  next to a block-level tag (a `<div>`, `<li>`, `<nav>`...), where white space is never drawn.
- JSON data blocks (`<script type="application/json">`, Material's `__config`) are written again
  without `\\uXXXX` escapes and spaces: the same value, in fewer bytes. From Material's config go
  the translations of its own search and version selector when the page has neither (Material
  reads them only there), the search worker's URL without its search, and null settings (its
  bundle reads `annotate`, `tags` and `version` so that a missing one is the same as null).
- Material's inline scripts (its localStorage helpers, the saved colour scheme, the tab from the
  address) move into files loaded by `<script src>` in the same place: they still run in the
  same order before the page is drawn, and are downloaded once for every question page.
- The table of contents' sidebar goes when it is empty and hidden (always, on a question page).
- In Material's navigation and header titles, the line breaks around the text of an ellipsis span
  and around the span in a navigation link go: the link and the title are flex containers, whose
  items are laid out as blocks, and white space at the start or end of a block is never drawn.

The part given as `keep` (the question's own HTML, or its placeholder) is left byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import re

from .render import script_json

_RAW = re.compile(r"(<pre\b.*?</pre>|<textarea\b.*?</textarea>|<script\b[^>]*>.*?</script>)", re.S | re.I)
_SVG = re.compile(r"<svg\b([^>]*)>(.*?)</svg>", re.S)
_VIEWBOX = re.compile(r'\bviewBox="([^"]*)"')
_JSON_SCRIPT = re.compile(r'(<script\b[^>]*\btype="application/json"[^>]*>)(.*?)(</script>)', re.S)
_LINE_SPACE = re.compile(r"[ \t]*\n[ \t\r\n]*")  # a line break with the blanks around it, and blank lines after it
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)  # no type, no src: plain JavaScript
_TAG_BREAK = re.compile(r"<(/?)([a-zA-Z][\w-]*)[^<>]*>\n(?=<(/?)([a-zA-Z][\w-]*))")
# Elements a browser lays out as blocks: white space next to their tags starts or ends a line,
# where it is not drawn. (Not script, label, input, button...: inline, or hidden among inline text.)
_BLOCK_ELEMENTS = frozenset("html body div nav ul ol li header footer main article section aside form p h1 h2 h3 h4 "
                            "h5 h6 table thead tbody tr td th dialog".split())
_EMPTY_HIDDEN_TOC = re.compile(
    r'<div class="md-sidebar md-sidebar--secondary"[^>]*\bhidden>\s*<div class="md-sidebar__scrollwrap">\s*'
    r'<div class="md-sidebar__inner">\s*<nav class="md-nav md-nav--secondary"[^>]*>\s*</nav>\s*</div>\s*</div>\s*'
    r'</div>\s*')
# The only child of a navigation link or a header title (flex containers): an ellipsis span.
_ELLIPSIS = re.compile(r'(<(a|div)\b[^<>]*\bclass="(?:md-nav__link|md-header__topic)\b[^"]*"[^<>]*>)\s*'
                       r'<span class="md-ellipsis">\s*([^<]*?)\s*</span>\s*(</\2>)')
# Material's own search and version selector; their texts in its config are read by them only.
_UNUSED_WITHOUT = {"search.": 'data-md-component="search"', "select.": 'class="md-version'}


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
    before, after = (_EMPTY_HIDDEN_TOC.sub("", part) for part in (before, after))
    unused = tuple(prefix for prefix, marker in _UNUSED_WITHOUT.items() if marker not in html)
    before, after = (_compact_text(part, unused) for part in (before, after))
    before, after = (_scripts_to_files(part, files, asset_url) for part in (before, after))
    return Compacted(before + keep + after, files)


def _scripts_to_files(html: str, files: dict[str, str], asset_url: str) -> str:
    def replace(match: re.Match) -> str:
        name = content_name("inline", match.group(1), "js")
        files[name] = match.group(1)
        return f'<script src="{asset_url}{name}"></script>'

    return _INLINE_SCRIPT.sub(replace, html)


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


def _compact_text(html: str, unused_translations: tuple[str, ...] = ()) -> str:
    head_end = html.find("</head>")
    if head_end < 0:
        return _compact_pieces(html, unused_translations, in_head=False)
    return (_compact_pieces(html[:head_end], unused_translations, in_head=True).rstrip("\n")
            + _compact_pieces(html[head_end:], unused_translations, in_head=False))


def _compact_pieces(html: str, unused_translations: tuple[str, ...], in_head: bool) -> str:
    pieces = _RAW.split(html)
    out = []
    for number, piece in enumerate(pieces):
        if number % 2:  # <pre>, <textarea> or <script>: spaces are content
            out.append(_JSON_SCRIPT.sub(lambda match: _compact_json(match, unused_translations), piece))
            continue
        # the tags either side of this piece, so that a break next to them can be judged
        before = pieces[number - 1][pieces[number - 1].rfind("<"):] if number else ""
        after = pieces[number + 1][:pieces[number + 1].find(">") + 1] if number + 1 < len(pieces) else ""
        text = before + _LINE_SPACE.sub("\n", piece) + after
        text = _TAG_BREAK.sub(lambda match: _tag_break(match, in_head), text)
        text = _ELLIPSIS.sub(r'\1<span class="md-ellipsis">\3</span>\4', text)
        out.append(text[len(before):len(text) - len(after)])
    return "".join(out)


def _tag_break(match: re.Match, in_head: bool) -> str:
    """A line break between two tags, gone in <head> (nothing there is drawn) and next to a
    block-level element's tag."""
    if in_head or match.group(2).lower() in _BLOCK_ELEMENTS or match.group(4).lower() in _BLOCK_ELEMENTS:
        return match.group(0)[:-1]
    return match.group(0)


def _compact_json(match: re.Match, unused_translations: tuple[str, ...] = ()) -> str:
    try:
        value = json.loads(match.group(2))
    except ValueError:
        return match.group(0)
    if isinstance(value, dict) and isinstance(value.get("translations"), dict):  # Material's __config
        value["translations"] = {key: text for key, text in value["translations"].items()
                                 if not key.startswith(unused_translations)}
        # Its bundle reads the search worker's URL only to start its search, and every null
        # setting (annotate, tags, version) only where a missing one reads the same.
        value = {key: setting for key, setting in value.items()
                 if setting is not None and not (key == "search" and "search." in unused_translations)}
    return match.group(1) + script_json(value) + match.group(3)
