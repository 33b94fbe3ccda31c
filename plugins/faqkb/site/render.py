"""Step 4: turn valid, linked content into pages (Markdown documents holding safe HTML).

Answers are Markdown written by staff and published to everyone, so they are rendered here once,
sanitised with nh3, and embedded as HTML. MkDocs then only wraps the pages in the theme.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import markdown
import nh3

from ..content.link import Links
from ..content.model import QUESTION_DIR, Category, Content, Entry
from ..content.order import by_frequency, sorted_categories
from ..content.syntax import FORBIDDEN_CHARACTER, INLINE_LINK

EXCERPT_LENGTH = 60

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "hr", "i", "img",
    "kbd", "li", "mark", "ol", "p", "pre", "s", "small", "strong", "sub", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "u", "ul",
}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align"},
    "th": {"align"},
    "ol": {"start"},
}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}


@dataclass
class Contact:
    """Customer-service channels shown under "没有找到答案？" (all optional)."""

    chat_url: str = ""
    phone: str = ""
    email: str = ""
    hours: str = ""


@dataclass
class RenderOptions:
    directory_urls: bool = True
    hot_count: int = 10
    contact: Contact = field(default_factory=Contact)
    home_heading: str = "您好，有什么可以帮您？"
    search_placeholder: str = "搜索问题，如：退款多久到账"
    icon_svg: Callable[[str], str | None] = lambda name: None


@dataclass
class Page:
    uri: str  # source path MkDocs sees, e.g. "q/refund-time.md"
    title: str
    front: str  # the YAML front matter (front_matter())
    body: str  # the HTML under it
    kind: str  # "home", "category", "question" or "search"
    description: str = ""

    @property
    def markdown(self) -> str:
        """The page's source: front matter and body (made when asked: a large site's question
        pages are never given to MkDocs, and holding each body twice was a tenth of the build's memory)."""
        return f"{self.front}\n\n{self.body}\n"


_SCRIPT_END = re.compile(r"</(?=script)", re.I)


def script_json(value) -> str:
    """`value` as compact JSON that can sit inside a <script> element. Only "</script" (in any
    case) ends one, and "<!" (as in "<!--") changes how the rest is read (HTML's script data
    states), so those are escaped: JSON reads "\\/" as "/" and "\\u0021" as "!". Escaping every "<",
    ">" and "&" instead made an answer's markup most of its page's bytes, and every "</" a closing
    tag's byte more each."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _SCRIPT_END.sub("<\\/", text).replace("<!", "<\\u0021")


def question_uri(entry_id: str) -> str:
    return f"{QUESTION_DIR}/{entry_id}.md"


def category_uri(path: tuple[str, ...]) -> str:
    return "/".join(path) + "/index.md"


def page_url(uri: str, directory_urls: bool = True) -> str:
    """The URL MkDocs gives a source path, relative to the site root."""
    stem = uri[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return stem + "/" if directory_urls else stem + ".html"


def relative_url(from_uri: str, to_uri: str, directory_urls: bool = True) -> str:
    source = page_url(from_uri, directory_urls)
    target = page_url(to_uri, directory_urls)
    base = source if source.endswith("/") or not source else posixpath.dirname(source) + "/"
    # posixpath.relpath, without its normalisation of absolute paths (most of a large site's render time)
    base_parts = [part for part in base.split("/") if part]
    target_parts = [part for part in target.split("/") if part]
    common = 0
    while common < min(len(base_parts), len(target_parts)) and base_parts[common] == target_parts[common]:
        common += 1
    rel = "/".join([".."] * (len(base_parts) - common) + target_parts[common:]) or "."
    if (not target or target.endswith("/")) and not rel.endswith("/"):
        rel += "/"
    return "./" if rel in (".", "./") else rel


def excerpt(answer_html: str, length: int = EXCERPT_LENGTH) -> str:
    """Plain text of the answer's first paragraph (tables and lists read badly flattened)."""
    first = re.search(r"<p>(.*?)</p>", answer_html, re.S)
    text = html.unescape(nh3.clean(first.group(1) if first else answer_html, tags=set()))
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= length else text[:length].rstrip() + "…"


def _safe_url(url: str) -> str:
    url = url.strip()
    scheme = url.split(":", 1)[0].lower() if ":" in url.split("/", 1)[0] else ""
    return url if scheme in ("", "http", "https", "mailto", "tel") else ""


_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def _separate_lists(text: str) -> str:
    """Python-Markdown only starts a list after a blank line; staff rarely leave one."""
    lines = text.split("\n")
    out: list[str] = []
    in_fence = False
    for line in lines:
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        if (not in_fence and out and _LIST_ITEM.match(line) and out[-1].strip()
                and not _LIST_ITEM.match(out[-1]) and not out[-1].startswith((" ", "\t"))):
            out.append("")
        out.append(line)
    return "\n".join(out)


def front_matter(title: str, description: str, kind: str) -> str:
    """A page's YAML front matter. Material prints page.meta.title and description without escaping
    them, so they are escaped here; JSON strings are valid YAML scalars, so any text is safe once the
    characters YAML refuses or reads as line breaks (DEL, C1, noncharacters) are escaped too."""
    return "---\n" + "\n".join([
        f"title: {_yaml_string(html.escape(title))}",
        f"description: {_yaml_string(html.escape(description))}",
        f"faqkb: {kind}",
        "hide: [toc]",  # headings are raw HTML, so the table of contents would stay empty
    ]) + "\n---"


_NOT_IN_YAML_TEXT = re.compile(FORBIDDEN_CHARACTER.pattern[:-1] + "\u2028\u2029]")


def _yaml_string(text: str) -> str:
    """A double-quoted YAML scalar of `text` (validate refuses such characters; a page must still parse)."""
    return _NOT_IN_YAML_TEXT.sub(_yaml_escape, json.dumps(text, ensure_ascii=False))


def _yaml_escape(match: re.Match) -> str:
    code = ord(match.group(0))
    if 0xD800 <= code <= 0xDFFF:  # a lone surrogate cannot be written as UTF-8 at all
        return "\\ufffd"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


class Renderer:
    """Renders every page of the site from valid, linked content."""

    def __init__(self, content: Content, links: Links, options: RenderOptions | None = None,
                 answer_cache: dict[tuple[str, str], str] | None = None):
        self.content = content
        # (page, Markdown) → sanitised HTML from an earlier build (the live preview rebuilds often)
        self.previous_answers = answer_cache or {}
        self.rendered_answers: dict[tuple[str, str], str] = {}
        self.links = links
        self.options = options or RenderOptions()
        self.entries = {entry.id: entry for entry in content.entries}
        self.categories = {category.path: category for category in content.walk_categories()}
        self._markdown = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists"], output_format="html")
        self.answer_html: dict[str, str] = {}
        self.excerpts: dict[str, str] = {}

    # -- answers -------------------------------------------------------------------------------
    def render_answer(self, entry: Entry, page_uri: str) -> str:
        def replace(match: re.Match) -> str:
            target = self.entries.get(match.group("id").strip())
            if target is None:
                return match.group(0)
            text = (match.group("text") or target.question).strip()
            text = re.sub(r"([\[\]\\`*_])", r"\\\1", text)
            link = f"[{text}]({self.url(page_uri, question_uri(target.id))})"
            # A question ends in ？; quoted, it reads right before the writer's own 。or ，
            return link if match.group("text") else f"「{link}」"

        source = INLINE_LINK.sub(replace, _separate_lists(entry.answer.strip("\n")))
        key = (page_uri, source)
        cleaned = self.previous_answers.get(key)
        if cleaned is None:
            self._markdown.reset()
            converted = self._markdown.convert(source)
            cleaned = nh3.clean(converted, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES,
                                url_schemes=_URL_SCHEMES, link_rel=None)
        self.rendered_answers[key] = cleaned
        return cleaned

    def url(self, from_uri: str, to_uri: str) -> str:
        return relative_url(from_uri, to_uri, self.options.directory_urls)

    # -- pages ---------------------------------------------------------------------------------
    def pages(self) -> list[Page]:
        pages = [self.question_page(entry) for entry in self.content.entries]
        pages += [self.category_page(category) for category in self.categories.values()]
        pages.append(self.home_page())
        pages.append(self.search_page())
        return pages

    def question_page(self, entry: Entry) -> Page:
        uri = question_uri(entry.id)
        answer = self.answer_html[entry.id] = self.render_answer(entry, uri)
        self.excerpts[entry.id] = excerpt(answer)
        parts = [
            front_matter(entry.question, self.excerpts[entry.id], "question"),
            self._breadcrumb(uri, entry.category),
            f'<h1 class="faqkb-question">{html.escape(entry.question)}{_draft_badge(entry)}</h1>',
            f'<div class="faqkb-answer" data-faqkb-id="{html.escape(entry.id)}">\n{answer}\n</div>',
        ]
        if isinstance(entry.updated, (dt.date, dt.datetime)):
            day = entry.updated.date() if isinstance(entry.updated, dt.datetime) else entry.updated
            parts.append(f'<p class="faqkb-updated">最后更新：<time datetime="{day.isoformat()}">'
                         f"{day.year} 年 {day.month} 月 {day.day} 日</time></p>")
        related = [self.entries[i] for i in self.links.related(entry.id)]
        if related:
            items = "".join(f'<li><a href="{self.url(uri, question_uri(r.id))}">{html.escape(r.question)}</a></li>'
                            for r in related)
            parts.append(f'<section class="faqkb-related"><h2>相关问题</h2><ul>{items}</ul></section>')
        parts.append(self._contact())
        parts.append(self._json_ld(entry, answer, uri))
        return Page(uri, entry.question, parts[0], "\n\n".join(parts[1:]), "question", self.excerpts[entry.id])

    def category_page(self, category: Category) -> Page:
        uri = category_uri(category.path)
        description = category.description if isinstance(category.description, str) else ""
        parts = [
            front_matter(category.title, description, "category"),
            self._breadcrumb(uri, category.path[:-1]),
            f'<h1>{html.escape(category.title)}</h1>',
        ]
        if description:
            parts.append(f'<p class="faqkb-description">{html.escape(description)}</p>')
        if category.children:
            parts.append('<h2>分类</h2>\n' + self._tiles(uri, sorted_categories(category.children)))
        if category.entries:
            parts.append('<h2>常见问题</h2>\n' + self._question_list(uri, by_frequency(category.entries), excerpts=True))
        parts.append(self._contact())
        return Page(uri, category.title, parts[0], "\n\n".join(parts[1:]), "category")

    def home_page(self) -> Page:
        uri = "index.md"
        options = self.options
        hot = by_frequency(self.content.entries)[: options.hot_count]
        search_url = html.escape(posixpath.join(self.url(uri, "search/index.md"), ""))
        parts = [
            front_matter("首页", options.home_heading, "home"),
            '<section class="faqkb-hero">'
            f'<h1>{html.escape(options.home_heading)}</h1>'
            f'<form class="faqkb-hero-search" role="search" action="{search_url}" method="get">'
            f'<input type="search" name="q" aria-label="搜索问题" placeholder="{html.escape(options.search_placeholder)}"'
            ' autocomplete="off" enterkeyhint="search">'
            '<button type="submit">搜索</button></form></section>',
        ]
        # Both are empty only in the preview of content broken from the start (nothing loaded yet).
        if hot:
            parts.append('<h2 id="hot">热门问题</h2>\n' + self._question_list(uri, hot, excerpts=False, numbered=True))
        if self.content.categories:
            parts.append('<h2 id="categories">问题分类</h2>\n'
                         + self._tiles(uri, sorted_categories(self.content.categories)))
        return Page(uri, "首页", parts[0], "\n\n".join(parts[1:]), "home")

    def search_page(self) -> Page:
        """The full results page (search/?q=...); the client fills it in."""
        uri = "search/index.md"
        hot = by_frequency(self.content.entries)[: self.options.hot_count]
        parts = [
            front_matter("搜索结果", "在帮助中心搜索问题", "search"),
            '<div id="faqkb-search-page">'
            '<h1>搜索结果</h1>'
            '<form class="faqkb-page-search" role="search" action="./" method="get">'
            f'<input type="search" name="q" aria-label="搜索问题" placeholder="{html.escape(self.options.search_placeholder)}"'
            ' autocomplete="off" enterkeyhint="search"><button type="submit">搜索</button></form>'
            '<p class="faqkb-search-status" role="status" aria-live="polite">'
            '<noscript>搜索需要浏览器开启 JavaScript。</noscript></p>'
            '<ol class="faqkb-search-list"></ol>'
            '<div class="faqkb-search-empty" hidden>'
            '<p>换个说法试试，比如只输入关键词“退款”“发票”“运费”。</p>'
            '<h2>热门问题</h2>' + self._question_list(uri, hot, excerpts=False, numbered=True)
            + self._contact() + '</div></div>',
        ]
        return Page(uri, "搜索结果", parts[0], "\n\n".join(parts[1:]), "search")

    # -- pieces --------------------------------------------------------------------------------
    def _breadcrumb(self, uri: str, path: tuple[str, ...]) -> str:
        links = [f'<a href="{self.url(uri, "index.md")}">首页</a>']
        for depth in range(1, len(path) + 1):
            category = self.categories[path[:depth]]
            links.append(f'<a href="{self.url(uri, category_uri(category.path))}">{html.escape(category.title)}</a>')
        return '<nav class="faqkb-breadcrumb" aria-label="当前位置">' + '<span aria-hidden="true"> › </span>'.join(links) + "</nav>"

    def _question_list(self, uri: str, entries: list[Entry], *, excerpts: bool, numbered: bool = False) -> str:
        items = []
        for entry in entries:
            link = f'<a href="{self.url(uri, question_uri(entry.id))}">{html.escape(entry.question)}</a>'
            link += _draft_badge(entry)
            if excerpts:
                text = self.excerpts.get(entry.id) or excerpt(self.render_answer(entry, uri))
                link += f'<p class="faqkb-excerpt">{html.escape(text)}</p>'
            items.append(f"<li>{link}</li>")
        tag = "ol" if numbered else "ul"
        return f'<{tag} class="faqkb-questions">{"".join(items)}</{tag}>'

    def _tiles(self, uri: str, categories: list[Category]) -> str:
        tiles = []
        for category in categories:
            count = sum(1 for _ in category.all_entries())
            icon = self.options.icon_svg(category.icon) if isinstance(category.icon, str) else None
            icon = icon or self.options.icon_svg("material/folder-question-outline") or ""
            description = category.description if isinstance(category.description, str) else ""
            tiles.append(
                f'<a class="faqkb-tile" href="{self.url(uri, category_uri(category.path))}">'
                f'<span class="faqkb-tile-icon" aria-hidden="true">{icon}</span>'
                f'<span class="faqkb-tile-title">{html.escape(category.title)}</span>'
                f'<span class="faqkb-tile-description">{html.escape(description)}</span>'
                f'<span class="faqkb-tile-count">{count} 个问题</span></a>'
            )
        return f'<div class="faqkb-tiles">{"".join(tiles)}</div>'

    def _contact(self) -> str:
        contact = self.options.contact
        items = []
        if contact.chat_url and _safe_url(contact.chat_url):
            items.append(f'<li>在线客服：<a href="{html.escape(_safe_url(contact.chat_url))}">立即咨询</a></li>')
        if contact.phone:
            tel = re.sub(r"[^0-9+]", "", contact.phone)
            items.append(f'<li>客服热线：<a href="tel:{tel}">{html.escape(contact.phone)}</a></li>')
        if contact.email:
            items.append(f'<li>客服邮箱：<a href="mailto:{html.escape(contact.email)}">{html.escape(contact.email)}</a></li>')
        if contact.hours:
            items.append(f"<li>服务时间：{html.escape(contact.hours)}</li>")
        if not items:
            return ""
        return f'<aside class="faqkb-contact"><h2>没有找到答案？联系客服</h2><ul>{"".join(items)}</ul></aside>'

    def _json_ld(self, entry: Entry, answer_html: str, uri: str) -> str:
        data = {
            "@context": "https://schema.org",
            "@type": "FAQPage",
            "mainEntity": [{
                "@type": "Question",
                "name": entry.question,
                "acceptedAnswer": {"@type": "Answer", "text": answer_html},
            }],
        }
        return f'<script type="application/ld+json">{script_json(data)}</script>'


def _draft_badge(entry: Entry) -> str:
    """Drafts reach only the live preview (content/publish.py): there they carry a 草稿 badge."""
    return '<span class="faqkb-draft">草稿</span>' if entry.is_draft else ""


def redirect_pages(content: Content, directory_urls: bool = True, site_url: str = "") -> dict[str, str]:
    """Site path → a page that sends the old URL of a renamed entry (previous_ids) to its new one.

    A meta refresh for browsers and a canonical link for search engines; no MkDocs page, so neither
    the search index nor the sitemap lists it.
    """
    pages = {}
    for entry in content.entries:
        for old in entry.previous_ids or []:
            source = question_uri(old)
            path = page_url(source, directory_urls)
            path = path + "index.html" if path.endswith("/") else path
            target = html.escape(relative_url(source, question_uri(entry.id), directory_urls))
            canonical = html.escape(site_url.rstrip("/") + "/" + page_url(question_uri(entry.id), directory_urls)
                                    if site_url else target)
            title = html.escape(entry.question)
            pages[path] = (
                '<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
                f"<title>{title}</title>\n"
                '<meta name="robots" content="noindex">\n'
                f'<link rel="canonical" href="{canonical}">\n'
                f'<meta http-equiv="refresh" content="0; url={target}">\n'
                "</head>\n<body>\n"
                f'<p>这个问题的网址已经更改，正在前往新页面：<a href="{target}">{title}</a></p>\n'
                "</body>\n</html>\n")
    return pages


def render_pages(content: Content, links: Links, options: RenderOptions | None = None,
                 answer_cache: dict[tuple[str, str], str] | None = None) -> list[Page]:
    """Every page of the site: questions, categories and the home page.

    `answer_cache` (from an earlier build, updated in place) saves rendering unchanged answers again.
    """
    renderer = Renderer(content, links, options, answer_cache)
    pages = renderer.pages()
    if answer_cache is not None:
        answer_cache.clear()
        answer_cache.update(renderer.rendered_answers)
    return pages


def navigation(content: Content) -> list:
    """MkDocs `nav`: the home page and the top-level categories only.

    The theme renders the whole nav into every page, so a nav of every category made a
    10,000-question site 1.6 GB and slow to build; deeper levels are reached through the
    category pages' tiles and every page's breadcrumb.
    """
    entries = [{"首页": "index.md"}]
    for category in sorted_categories(content.categories):
        entries.append({html.escape(category.title): category_uri(category.path)})  # printed unescaped by the theme
    return entries
