"""The question layout's compaction (faqkb.site.compact): fewer bytes, the same page."""

from __future__ import annotations

import json
import re

from faqkb.site.compact import compact

KEEP = '<div data-faqkb-slot="content"><h1></h1></div>'
ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M3 6h18v2H3z"/></svg>'


def page(middle: str = "", after: str = "") -> str:
    return f"<html>\n  <body>\n    {middle}\n\n    {KEEP}\n      {after}\n  </body>\n</html>\n"


def test_indentation_and_blank_lines_go_and_every_line_break_stays_one():
    out = compact(page("<p>\n      标题\n    </p>"), KEEP, "../")
    assert out.html == f"<html>\n<body>\n<p>\n标题\n</p>\n{KEEP}\n</body>\n</html>\n"
    assert out.files == {}


def test_the_kept_part_is_left_byte_for_byte():
    keep = "<pre>  a\n\n    b</pre>\n   <p>  x  </p>"
    html = f"<div>\n   {keep}\n   </div>"
    assert compact(html, keep, "../").html == f"<div>\n{keep}\n</div>"


def test_pre_textarea_and_scripts_keep_their_spaces():
    middle = "<pre>  a\n\n    b</pre><textarea>\n  x</textarea><script>if(a)\n  b()</script>"
    assert middle in compact(page(middle), KEEP, "../").html


def test_a_non_breaking_or_ideographic_space_is_text_and_stays():
    assert "\n\u00a0\u3000文字" in compact(page("<p>\n   \u00a0\u3000文字</p>"), KEEP, "../").html


def test_the_same_icon_twice_is_one_symbol_of_a_sprite_named_after_its_content():
    out = compact(page(ICON + ICON, ICON), KEEP, "../")
    [name] = out.files
    assert re.fullmatch(r"icons\.[0-9a-f]{10}\.svg", name)
    assert out.html.count(f'<svg viewBox="0 0 24 24"><use href="../{name}#i0"/></svg>') == 3
    assert out.files[name] == ('<svg xmlns="http://www.w3.org/2000/svg"><symbol id="i0" viewBox="0 0 24 24">'
                               '<path d="M3 6h18v2H3z"/></symbol></svg>\n')
    other = compact(page(ICON.replace("M3", "M4")), KEEP, "../")
    assert list(other.files) != [name]


def test_an_svg_with_attributes_of_its_own_is_left_inline():
    styled = '<svg class="big" viewBox="0 0 24 24"><path d="M1 1"/></svg>'
    out = compact(page(styled), KEEP, "../")
    assert styled in out.html and out.files == {}


def test_json_data_keeps_its_value_without_escapes():
    data = {"base": "../..", "translations": {"copy": "复制", "x": "</script><!--"}}
    escaped = json.dumps(data).replace("<", "\\u003c")  # as a theme writes it: "\u590d", "\u003c/"
    script = f'<script id="__config" type="application/json">{escaped}</script>'
    out = compact(page(after=script), KEEP, "../").html
    text = re.search(r'type="application/json">(.*?)</script>', out).group(1)
    assert json.loads(text) == data and "复制" in text and "</" not in text and "<!--" not in text


def test_inline_scripts_stay_inline():
    code = "var palette=1;" * 20
    out = compact(page(f"<script>{code}</script>"), KEEP, "./")
    assert f"<script>{code}</script>" in out.html and out.files == {}
