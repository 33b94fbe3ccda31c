"""The built help site, as a shopper uses it, in headless Chromium.

Every expectation comes from the FAQ content itself, read with faqkb's loader (questions, frequencies,
categories, `related`, `[[id]]` links), so the tests keep holding while staff edit faq/. Where two
questions are asked equally often, either may come first.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from faqkb.content.load import load_content
from faqkb.content.model import QUESTION_DIR, Category, Entry

ROOT = Path(__file__).resolve().parents[2]
CONFIG_FILE = ROOT / "mkdocs.yml"

pytestmark = pytest.mark.browser

MOBILE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
CONTACT_HEADING = "没有找到答案？联系客服"
HOT_HEADING = "热门问题"
# [[id]] and [[id|text]], read here independently of faqkb's own parser.
INLINE = re.compile(r"\[\[\s*([a-z0-9-]+)\s*(?:\|([^\[\]\n]+))?\]\]")


# -- what the content says -----------------------------------------------------------------------


@dataclass
class Faq:
    entries: list[Entry]
    by_id: dict[str, Entry]
    categories: dict[tuple[str, ...], Category]
    top: list[Category]
    hot_count: int
    contact: dict
    site_url: str

    def title_path(self, path: tuple[str, ...]) -> list[str]:
        """Titles of a category and its parents, outermost first."""
        return [self.categories[path[:depth]].title for depth in range(1, len(path) + 1)]


@pytest.fixture(scope="session")
def faq() -> Faq:
    from mkdocs.config import load_config

    config = load_config(config_file=str(CONFIG_FILE))
    options = config.plugins["faqkb"].config
    content_dir = ROOT / options.content_dir if options.content_dir else Path(config.docs_dir)
    content, problems = load_content(content_dir)
    assert not problems, "the FAQ content does not load:\n" + "\n".join(p.as_text() for p in problems)
    assert content.entries, f"no questions under {content_dir}"
    return Faq(
        entries=content.entries,
        by_id=content.entries_by_id(),
        categories={c.path: c for c in content.walk_categories()},
        top=list(content.categories),
        hot_count=options.hot_questions,
        contact=dict(options.contact),
        site_url=config.site_url or "",
    )


def question_url(base: str, entry_id: str) -> str:
    return f"{base}{QUESTION_DIR}/{entry_id}/"


def category_url(base: str, path: tuple[str, ...]) -> str:
    return base + "".join(f"{slug}/" for slug in path)


def most_asked(entries, count: int | None = None) -> list[Entry]:
    ranked = sorted(entries, key=lambda e: -e.frequency)
    return ranked if count is None else ranked[:count]


def exactly(text: str) -> re.Pattern:
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


# -- what the page shows -------------------------------------------------------------------------


def links(page, selector: str) -> list[tuple[str, str]]:
    """(text, absolute href) of every link the selector matches."""
    return page.locator(selector).evaluate_all("els => els.map(a => [a.textContent.trim(), a.href])")


def shown_questions(faq: Faq, base: str, shown: list[tuple[str, str]]) -> list[Entry]:
    """The entries a list of question links points at; each link's text must be that entry's question."""
    entries = []
    for text, href in shown:
        match = re.fullmatch(rf"{re.escape(base)}{QUESTION_DIR}/([^/]+)/", href)
        assert match and match.group(1) in faq.by_id, f"link {text!r} → {href} is not a question page"
        entry = faq.by_id[match.group(1)]
        assert text == entry.question, f"link to {entry.id} reads {text!r}, not its question {entry.question!r}"
        entries.append(entry)
    return entries


def assert_most_asked_first(shown: list[Entry], candidates: list[Entry], count: int | None = None):
    """`shown` is the `count` most asked of `candidates` (all of them by default), most asked first."""
    expected = most_asked(candidates, count)
    ids = {e.id for e in candidates}
    assert all(e.id in ids for e in shown), f"not among the expected questions: {[e.id for e in shown if e.id not in ids]}"
    assert len({e.id for e in shown}) == len(shown), f"a question is listed twice: {[e.id for e in shown]}"
    got = [(e.frequency, e.question) for e in shown]
    want = [(e.frequency, e.question) for e in expected]
    assert [f for f, _ in got] == [f for f, _ in want], f"not the most asked, most asked first:\n got  {got}\n want {want}"


def tile(page, title: str):
    return page.locator("a.faqkb-tile").filter(has=page.locator(".faqkb-tile-title", has_text=exactly(title)))


def follow(page, link, url: str):
    """Clicks a link, as a shopper would, and waits for the page it leads to."""
    assert link.count() >= 1, f"no link to {url}"
    link.first.click()
    page.wait_for_url(url)


def h1(page) -> str:
    headings = page.locator("article h1").all_text_contents()
    assert len(headings) == 1, f"{page.url} has {len(headings)} h1 headings: {headings}"
    return headings[0].strip()


def breadcrumb(page) -> list[str]:
    return [text.strip() for text in page.locator(".faqkb-breadcrumb a").all_text_contents()]


def assert_contact_block(page, faq: Faq):
    block = page.locator(".faqkb-contact")
    assert block.count() == 1, f"{page.url}: no “{CONTACT_HEADING}” block"
    assert block.locator("h2").inner_text().strip() == CONTACT_HEADING
    assert block.is_visible()
    text = block.inner_text()
    for key in ("phone", "email", "hours"):
        if faq.contact.get(key):
            assert faq.contact[key] in text, f"{page.url}: contact block lacks the {key} {faq.contact[key]!r}"


def no_horizontal_scroll(page) -> dict:
    return page.evaluate("""() => ({
        scrollWidth: document.scrollingElement.scrollWidth,
        innerWidth: window.innerWidth,
        wide: [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1 && el.offsetParent !== null
                          && !el.closest('.md-sidebar, .md-typeset__scrollwrap, .md-nav'))
            .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '')),
    })""")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def html_text(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    return squash("".join(parser.parts))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", html.unescape(text or ""))


# -- 1. the home page ----------------------------------------------------------------------------


def test_home_lists_the_most_asked_questions_and_a_tile_per_category(page, site_server, faq, screenshot):
    page.goto(site_server)
    assert page.locator("h2#hot").inner_text().strip() == HOT_HEADING

    hot = shown_questions(faq, site_server, links(page, "h2#hot + ol.faqkb-questions > li > a"))
    assert len(hot) == min(faq.hot_count, len(faq.entries))
    assert_most_asked_first(hot, faq.entries, faq.hot_count)
    assert page.locator("h2#hot + ol.faqkb-questions").is_visible()

    tiles = page.locator("h2#categories + .faqkb-tiles > a.faqkb-tile")
    titles = [t.strip() for t in tiles.locator(".faqkb-tile-title").all_text_contents()]
    assert sorted(titles) == sorted(c.title for c in faq.top), "one tile per top-level category"
    for category in faq.top:
        card = tile(page, category.title)
        assert card.count() == 1
        assert card.evaluate("a => a.href") == category_url(site_server, category.path)
        count = sum(1 for _ in category.all_entries())
        assert card.locator(".faqkb-tile-count").inner_text().strip() == f"{count} 个问题"
        assert card.is_visible()
    screenshot(page, "desktop-home")


# -- 2. home → category → question ---------------------------------------------------------------


def test_category_tile_leads_to_its_questions_and_a_question_page(page, site_server, faq, screenshot):
    category = max(faq.top, key=lambda c: len(c.entries))  # a top-level category with questions of its own
    assert category.entries, "no top-level category has questions of its own"
    page.goto(site_server)
    follow(page, tile(page, category.title), category_url(site_server, category.path))

    assert h1(page) == category.title
    assert breadcrumb(page) == ["首页"]
    listed = shown_questions(faq, site_server, links(page, "article .faqkb-questions > li > a"))
    assert_most_asked_first(listed, category.entries)
    subtitles = [t.strip() for t in page.locator("article .faqkb-tile-title").all_text_contents()]
    assert sorted(subtitles) == sorted(c.title for c in category.children)
    assert_contact_block(page, faq)
    screenshot(page, "desktop-category")

    entry = listed[0]
    follow(page, page.locator("article .faqkb-questions").get_by_role("link", name=entry.question, exact=True),
           question_url(site_server, entry.id))
    assert h1(page) == entry.question
    assert breadcrumb(page) == ["首页", *faq.title_path(entry.category)]
    assert page.locator(".faqkb-answer").inner_text().strip()
    assert_contact_block(page, faq)
    assert page.title().startswith(entry.question)
    screenshot(page, "desktop-question")


def test_tiles_lead_down_to_the_deepest_question_and_the_breadcrumb_leads_back(page, site_server, faq):
    deepest = max(len(e.category) for e in faq.entries)
    entry = most_asked(e for e in faq.entries if len(e.category) == deepest)[0]
    page.goto(site_server)
    for depth in range(1, deepest + 1):
        path = entry.category[:depth]
        follow(page, tile(page, faq.categories[path].title), category_url(site_server, path))
        assert h1(page) == faq.categories[path].title
        assert breadcrumb(page) == ["首页", *faq.title_path(path[:-1])]
    follow(page, page.locator("article .faqkb-questions").get_by_role("link", name=entry.question, exact=True),
           question_url(site_server, entry.id))
    titles = faq.title_path(entry.category)
    assert breadcrumb(page) == ["首页", *titles]

    # The breadcrumb goes back up: the top-level category, then the home page.
    top = entry.category[:1]
    follow(page, page.locator(".faqkb-breadcrumb").get_by_role("link", name=titles[0], exact=True),
           category_url(site_server, top))
    assert h1(page) == titles[0]
    follow(page, page.locator(".faqkb-breadcrumb").get_by_role("link", name="首页", exact=True), site_server)
    assert page.locator("h2#hot").count() == 1


# -- 3. related questions, both ways -------------------------------------------------------------


def test_related_link_opens_the_question_which_links_back(page, site_server, faq):
    source = next((e for e in most_asked(faq.entries) if any(r in faq.by_id for r in e.related or [])), None)
    if source is None:
        pytest.skip("no question declares `related`")
    target = faq.by_id[next(r for r in source.related if r in faq.by_id)]

    page.goto(question_url(site_server, source.id))
    section = page.locator(".faqkb-related")
    assert section.locator("h2").inner_text().strip() == "相关问题"
    follow(page, section.get_by_role("link", name=target.question, exact=True), question_url(site_server, target.id))
    assert h1(page) == target.question

    back = page.locator(".faqkb-related").get_by_role("link", name=source.question, exact=True)
    assert back.count() == 1, f"{target.id} does not list {source.id}, which declares it related"
    follow(page, back, question_url(site_server, source.id))
    assert h1(page) == source.question


# -- 4. inline [[id]] links ----------------------------------------------------------------------


def test_inline_link_reads_as_the_target_question_and_opens_it(page, site_server, faq):
    pairs = [(e, m.group(1)) for e in most_asked(faq.entries) for m in INLINE.finditer(e.answer)
             if not m.group(2) and m.group(1) in faq.by_id and m.group(1) != e.id]
    if not pairs:
        pytest.skip("no answer has an [[id]] link without its own text")
    source, target_id = pairs[0]
    target = faq.by_id[target_id]

    page.goto(question_url(site_server, source.id))
    answer = page.locator(".faqkb-answer")
    assert "[[" not in answer.inner_text()
    follow(page, answer.get_by_role("link", name=target.question, exact=True), question_url(site_server, target.id))
    assert h1(page) == target.question


# -- 5. every question page: heading, breadcrumb, links, JSON-LD ----------------------------------

# What a question page holds, read from the served HTML without rendering it (about 100 pages in a
# second or two; the click-through tests above render the same pages for real).
QUESTION_PAGE_FACTS = """async urls => Promise.all(urls.map(async url => {
    const response = await fetch(url);
    const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
    const text = el => el ? el.textContent.trim() : null;
    const links = sel => [...doc.querySelectorAll(sel)]
        .map(a => [a.textContent.trim(), new URL(a.getAttribute('href'), url).href]);
    return {
        url, status: response.status,
        h1: [...doc.querySelectorAll('article h1')].map(text),
        crumbs: [...doc.querySelectorAll('.faqkb-breadcrumb a')].map(text),
        related: links('.faqkb-related a'),
        inline: links('.faqkb-answer a'),
        answer: text(doc.querySelector('.faqkb-answer')) ?? '',
        contact: text(doc.querySelector('.faqkb-contact h2')),
        jsonld: [...doc.querySelectorAll('script[type="application/ld+json"]')].map(s => s.textContent),
    };
}))"""


def json_ld_problems(scripts: list[str], heading: str | None, answer_text: str) -> list[str]:
    """Why these JSON-LD scripts are not one valid schema.org FAQPage for this question (none if they are)."""
    if len(scripts) != 1:
        return [f"{len(scripts)} JSON-LD scripts, not 1"]
    try:
        data = json.loads(scripts[0])
    except ValueError as error:
        return [f"JSON-LD is not JSON: {error}"]
    questions = data.get("mainEntity") if isinstance(data, dict) else None
    if not (data.get("@context") in ("https://schema.org", "https://schema.org/", "http://schema.org")
            and data.get("@type") == "FAQPage" and isinstance(questions, list) and len(questions) == 1
            and isinstance(questions[0], dict)):
        return [f"JSON-LD is not one schema.org FAQPage with one question: {data}"]
    question = questions[0]
    answer = question.get("acceptedAnswer") or {}
    problems = []
    if question.get("@type") != "Question" or question.get("name") != heading:
        problems.append(f"JSON-LD Question name {question.get('name')!r} is not the h1 {heading!r}")
    if not isinstance(answer, dict) or answer.get("@type") != "Answer" or not isinstance(answer.get("text"), str):
        problems.append(f"JSON-LD acceptedAnswer is not an Answer with text: {answer}")
    elif html_text(answer["text"]) != squash(answer_text):
        problems.append("JSON-LD answer text differs from the answer on the page")
    return problems


def assert_faq_json_ld(page):
    scripts = page.locator('script[type="application/ld+json"]').all_text_contents()
    problems = json_ld_problems(scripts, h1(page), page.locator(".faqkb-answer").text_content())
    assert not problems, f"{page.url}: " + "; ".join(problems)


def test_question_page_carries_faqpage_json_ld_named_as_its_h1(page, site_server, faq):
    entry = most_asked(faq.entries)[0]
    page.goto(question_url(site_server, entry.id))
    assert h1(page) == entry.question
    assert_faq_json_ld(page)


def test_every_question_page_is_complete(page, site_server, faq):
    """h1, breadcrumb, contact block, related both ways, [[id]] links and JSON-LD, on every question."""
    declared_by: dict[str, list[str]] = {}
    for entry in faq.entries:
        for target in entry.related or []:
            declared_by.setdefault(target, []).append(entry.id)

    page.goto(site_server)
    facts = page.evaluate(QUESTION_PAGE_FACTS, [question_url(site_server, e.id) for e in faq.entries])
    failures: list[str] = []
    for entry, seen in zip(faq.entries, facts):
        def fail(message):
            failures.append(f"{entry.id}: {message}")

        if seen["status"] != 200:
            fail(f"{seen['url']} answered {seen['status']}")
            continue
        if seen["h1"] != [entry.question]:
            fail(f"h1 is {seen['h1']}, not [{entry.question!r}]")
        if seen["crumbs"] != ["首页", *faq.title_path(entry.category)]:
            fail(f"breadcrumb is {seen['crumbs']}")
        if seen["contact"] != CONTACT_HEADING:
            fail(f"no “{CONTACT_HEADING}” block")
        if "[[" in seen["answer"]:
            fail("an unresolved [[...]] shows in the answer")

        related = {href: text for text, href in seen["related"]}
        if len(related) != len(seen["related"]) or question_url(site_server, entry.id) in related:
            fail(f"related list repeats a question or links to itself: {seen['related']}")
        for other in [*(entry.related or []), *declared_by.get(entry.id, [])]:
            if other in faq.by_id and other != entry.id:
                if related.get(question_url(site_server, other)) != faq.by_id[other].question:
                    fail(f"related list lacks {other} ({faq.by_id[other].question})")

        inline = set(map(tuple, seen["inline"]))
        for match in INLINE.finditer(entry.answer):
            target = faq.by_id.get(match.group(1))
            if target and target.id != entry.id:
                wanted = ((match.group(2) or target.question).strip(), question_url(site_server, target.id))
                if wanted not in inline:
                    fail(f"answer lacks the link {wanted[0]!r} → {target.id}")

        for problem in json_ld_problems(seen["jsonld"], (seen["h1"] or [None])[0], seen["answer"]):
            fail(problem)

    assert not failures, f"{len(failures)} problem(s) on question pages:\n" + "\n".join(failures)


# -- 6. phones and dark mode ---------------------------------------------------------------------


def test_mobile_home_fits_the_screen_and_shows_the_tiles(new_page, site_server, faq, screenshot):
    page = new_page(**MOBILE)
    page.goto(site_server)
    width = no_horizontal_scroll(page)
    assert width["scrollWidth"] <= width["innerWidth"], f"the home page scrolls sideways on a phone: {width}"
    tiles = page.locator("h2#categories + .faqkb-tiles > a.faqkb-tile")
    assert tiles.count() == len(faq.top)
    for index in range(tiles.count()):
        card = tiles.nth(index)
        card.scroll_into_view_if_needed()
        assert card.is_visible()
        box = card.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width["innerWidth"], f"tile {index} is cut off: {box}"
    assert page.locator("h2#hot + ol.faqkb-questions").is_visible()
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "mobile-home")


def test_mobile_category_and_question_pages_fit_the_screen(new_page, site_server, faq, screenshot):
    """Answers hold tables; on a phone they must scroll inside the answer, not drag the page sideways.

    Checked on every top-level category and every question whose answer has a table or code block
    (rendering each page takes a fifth of a second, so not on all of them).
    """
    page = new_page(**MOBILE)
    wide: list[str] = []
    urls = [category_url(site_server, c.path) for c in faq.top]
    urls += [question_url(site_server, e.id) for e in faq.entries
             if re.search(r"^\s*\|.*\|\s*$", e.answer, re.M) or "```" in e.answer or "~~~" in e.answer]
    for url in urls:
        page.goto(url)
        width = no_horizontal_scroll(page)
        if width["scrollWidth"] > width["innerWidth"]:
            wide.append(f"{url}: {width}")
    assert not wide, "pages that scroll sideways on a 390 px phone:\n" + "\n".join(wide)

    with_table = next((e for e in most_asked(faq.entries) if re.search(r"^\s*\|.*\|\s*$", e.answer, re.M)), None)
    page.goto(question_url(site_server, (with_table or faq.entries[0]).id))
    screenshot(page, "mobile-question")


def test_dark_mode_uses_the_slate_scheme(new_page, site_server, faq, screenshot):
    page = new_page(color_scheme="dark")
    page.goto(site_server)
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    luminance = page.evaluate("""() => {
        const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+(\\.\\d+)?/g).map(Number);
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    }""")
    assert luminance < 0.3, f"the dark page's background is light (luminance {luminance:.2f})"
    screenshot(page, "dark-home")
    entry = most_asked(faq.entries)[0]
    page.goto(question_url(site_server, entry.id))
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    screenshot(page, "dark-question")


# -- 7. sitemap ----------------------------------------------------------------------------------


def test_sitemap_lists_every_question_page(page, site_server, faq, built_site):
    response = page.goto(site_server + "sitemap.xml")
    assert response and response.ok, "no sitemap.xml"
    tree = ET.fromstring(response.body())
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text.strip() for loc in tree.findall("s:url/s:loc", namespace)]
    assert len(locations) == len(set(locations)), "a URL is listed twice"

    base = faq.site_url or site_server
    wanted = {question_url(base, e.id) for e in faq.entries}
    missing = sorted(wanted - set(locations))
    assert not missing, f"{len(missing)} question pages missing from sitemap.xml: {missing[:10]}"
    for path in faq.categories:
        assert category_url(base, path) in locations, f"category {'/'.join(path)} missing from sitemap.xml"
    for location in locations:  # and nothing it lists is missing from the site
        assert location.startswith(base), location
        relative = location[len(base):]
        assert (built_site / relative / "index.html").is_file() or (built_site / relative).is_file(), location
