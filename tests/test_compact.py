"""The question layout's compaction (faqkb.site.compact): fewer bytes, the same page."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from faqkb.site.compact import compact
from faqkb.site.render import script_json

KEEP = '<div data-faqkb-slot="content"><h1></h1></div>'
ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M3 6h18v2H3z"/></svg>'


def page(middle: str = "", after: str = "") -> str:
    return f"<html>\n  <body>\n    {middle}\n\n    {KEEP}\n      {after}\n  </body>\n</html>\n"


def test_indentation_and_blank_lines_go_and_a_line_break_among_inline_elements_stays_one():
    out = compact(page("<span>\n      标题\n    </span>"), KEEP, "../")
    assert out.html == f"<html><body><span>\n标题\n</span>\n{KEEP}\n</body></html>\n"
    assert out.files == {}


def test_a_line_break_next_to_a_block_tag_or_inside_head_goes():
    html = ('<html>\n<head>\n<meta charset="utf-8">\n<title>标题</title>\n</head>\n<body>\n'
            '<div>\n<a href="x">甲</a>\n<a href="y">乙</a>\n<label>丙</label>\n</div>\n' + KEEP + '\n</body>\n</html>\n')
    out = compact(html, KEEP, "../").html
    assert out.startswith('<html><head><meta charset="utf-8"><title>标题</title></head><body>'
                          '<div><a href="x">甲</a>\n<a href="y">乙</a>\n<label>丙</label></div>\n' + KEEP)


def test_the_kept_part_is_left_byte_for_byte():
    keep = "<pre>  a\n\n    b</pre>\n   <p>  x  </p>"
    html = f"<div>\n   {keep}\n   </div>"
    assert compact(html, keep, "../").html == f"<div>\n{keep}\n</div>"


def test_pre_textarea_and_scripts_keep_their_spaces():
    middle = "<pre>  a\n\n    b</pre><textarea>\n  x</textarea>"
    script = '<script type="module">if(a)\n  b()</script>'
    assert middle + script in compact(page(middle + script), KEEP, "../").html
    assert list(compact(page("<script>if(a)\n  b()</script>"), KEEP, "../").files.values()) == ["if(a)\n  b()"]


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


def test_inline_scripts_move_to_files_named_after_them_in_the_same_places():
    first, second = "var palette=1;" * 20, "__md_scope=new URL('../..',location)"
    data = '<script id="__config" type="application/json">{"a":1}</script>'
    loaded = '<script src="../../assets/bundle.js"></script>'
    out = compact(page(f"<script>{first}</script><p>中</p><script>{second}</script>", data + loaded), KEEP, "../")
    names = re.findall(r'<script src="\.\./(inline\.[0-9a-f]{10}\.js)"></script>', out.html)
    assert [out.files[name] for name in names] == [first, second]
    assert out.html.index(names[0]) < out.html.index("<p>中</p>") < out.html.index(names[1]) < out.html.index(KEEP)
    assert data in out.html and loaded in out.html and "<script>" not in out.html


TOC = ('<div class="md-sidebar md-sidebar--secondary" data-md-component="sidebar" data-md-type="toc" hidden>\n'
       '  <div class="md-sidebar__scrollwrap">\n    <div class="md-sidebar__inner">\n'
       '      <nav class="md-nav md-nav--secondary" aria-label="目录">\n      </nav>\n    </div>\n  </div>\n</div>\n')


def test_the_empty_hidden_table_of_contents_goes_and_one_with_links_stays():
    assert "md-sidebar--secondary" not in compact(page(TOC + "<p>正文</p>"), KEEP, "../").html
    filled = TOC.replace("</nav>", '<ul><li><a href="#a">甲</a></li></ul></nav>')
    assert '<a href="#a">甲</a>' in compact(page(filled), KEEP, "../").html
    shown = TOC.replace(" hidden>", ">")
    assert "md-sidebar--secondary" in compact(page(shown), KEEP, "../").html


def test_materials_search_settings_go_from_its_config_only_when_its_search_box_is_not_on_the_page():
    data = {"base": "../..", "features": [], "search": "../../assets/javascripts/workers/search.js", "tags": None,
            "version": None, "translations": {"clipboard.copy": "复制", "search.result.none": "没有",
                                              "select.version": "版本"}}
    script = f'<script id="__config" type="application/json">{json.dumps(data)}</script>'

    def config(html: str) -> dict:
        out = compact(html, KEEP, "../").html
        return json.loads(re.search(r'type="application/json">(.*?)</script>', out).group(1))

    assert config(page(after=script)) == {"base": "../..", "features": [], "translations": {"clipboard.copy": "复制"}}
    with_search = config(page('<div data-md-component="search"></div>', script))
    assert with_search["search"] == data["search"] and "tags" not in with_search
    assert with_search["translations"] == {"clipboard.copy": "复制", "search.result.none": "没有"}


def test_ellipsis_text_in_navigation_links_and_header_titles_loses_its_line_breaks():
    nav = ('<li><a href="../x/" class="md-nav__link md-nav__link--active">\n<span class="md-ellipsis">\n账户 与安全\n'
           '</span>\n</a></li><div class="md-header__topic"><span class="md-ellipsis">\n帮助中心\n</span></div>')
    html = compact(nav + KEEP, KEEP, "../").html
    assert html.startswith('<li><a href="../x/" class="md-nav__link md-nav__link--active"><span class="md-ellipsis">'
                           '账户 与安全</span></a></li><div class="md-header__topic"><span class="md-ellipsis">帮助中心'
                           '</span></div>')
    # in running text the spaces around a span are drawn: left as they are
    prose = '<p>见 <span class="md-ellipsis">\n说明\n</span> 一节</p>'
    assert compact(prose + KEEP, KEEP, "../").html.startswith('<p>见 <span class="md-ellipsis">\n说明\n</span> 一节</p>')


class _ScriptData(HTMLParser):
    """The text of each <script> as a browser reads it (Python's parser ends one at "</script" too)."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.scripts, self._open = [], False

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._open = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._open = tag != "script" and self._open

    def handle_data(self, data):
        if self._open:
            self.scripts[-1] += data


@pytest.mark.parametrize("text", ["</script><script>window.__xss=1</script>", "</SCRIPT >", "</sCrIpT/",
                                  "<!--<script>", "<p>一 <strong>二</strong></p>"])
def test_json_in_a_script_element_cannot_end_it_and_reads_back_the_same(text):
    value = {"name": text, "list": [text, "退款"]}
    written = script_json(value)
    parser = _ScriptData()
    parser.feed(f'<script type="application/ld+json">{written}</script><p>after</p>')
    assert parser.scripts == [written]
    assert json.loads(parser.scripts[0]) == value
    assert "</strong>" in script_json("</strong>")  # other closing tags cost no escape
