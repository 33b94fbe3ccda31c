"""A shopper with a keyboard only, and one with a screen reader: every control is reachable, visibly
focused, and the search box tells what it found (the WAI-ARIA combobox pattern)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
MAX_TABS = 80  # far more than any page here needs: a control that Tab never reaches fails


def focused(page) -> dict:
    return page.evaluate("""() => {
        const el = document.activeElement;
        // A visually hidden control (Material's scheme toggle) shows its focus on the label shown after it.
        const next = el.nextElementSibling;
        const shown = el.getBoundingClientRect().width <= 1 && next && next.tagName === 'LABEL' ? next : el;
        const style = getComputedStyle(shown);
        return {tag: el.tagName, text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim(),
                href: el.getAttribute('href') || '', classes: el.className || '',
                outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
                shadow: style.boxShadow !== 'none'};
    }""")


def tab_to(page, matches, backwards: bool = False) -> dict:
    """Presses Tab (or Shift+Tab) until the focused element satisfies `matches`; checks each stop shows focus."""
    visited = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        element = focused(page)
        visited.append(f"{element['tag']} {element['href'] or element['text'][:12]}")
        if element["tag"] in ("A", "BUTTON", "INPUT"):
            assert element["outline"] or element["shadow"], f"no visible focus on {element}"
        if matches(element):
            return element
    pytest.fail("Tab never reached the control; it visited: " + " | ".join(visited))


def back_home_with_shift_tab(page, home_url: str) -> None:
    """Shift+Tab back to the breadcrumb's 首页 link and follow it to the home page."""
    home = tab_to(page, lambda e: e["text"] == "首页" and page.evaluate(
        "document.activeElement.closest('.faqkb-breadcrumb') !== null"), backwards=True)
    assert home["tag"] == "A"
    page.keyboard.press("Enter")
    page.wait_for_url(home_url)
    expect(page.locator("h2#hot")).to_be_visible()


def test_keyboard_only_from_home_to_a_question_its_related_links_and_back(page, site_server):
    page.goto(site_server)
    hot = tab_to(page, lambda e: e["href"].endswith("refund-time/"))
    assert hot["text"] == "退款多久能到账？"
    page.keyboard.press("Enter")
    page.wait_for_url("**/q/refund-time/")
    related = tab_to(page, lambda e: e["href"].endswith("refund-not-received/")
                     and page.evaluate("document.activeElement.closest('.faqkb-related') !== null"))
    assert related["text"] == "显示退款成功，但我没收到钱怎么办？"
    back_home_with_shift_tab(page, site_server)


def test_keyboard_only_past_the_related_links_to_the_helpful_vote_and_back(page, analytics_site):
    """With analytics on, the vote under the answer is on the same Tab path, after the related links."""
    page.goto(analytics_site + "q/refund-time/")
    tab_to(page, lambda e: e["href"].endswith("refund-not-received/"))
    helpful = tab_to(page, lambda e: e["tag"] == "BUTTON" and e["text"] == "有帮助")
    assert "faqkb-vote-choice" in helpful["classes"]
    assert tab_to(page, lambda e: e["tag"] == "BUTTON")["text"] == "没帮助"  # the very next stop
    page.keyboard.press("Enter")
    reason = tab_to(page, lambda e: e["tag"] == "BUTTON")  # the reasons appear right after it
    assert reason["text"] == "没解决我的问题"
    page.keyboard.press("Space")
    expect(page.locator(".faqkb-vote").get_by_role("status")).to_have_text("感谢您的反馈，我们会改进这个回答。")
    back_home_with_shift_tab(page, analytics_site)


def test_the_search_box_is_a_combobox_that_announces_what_it_found(page, site_server):
    page.goto(site_server)
    box = page.locator(".faqkb-hero-search input")
    tab_to(page, lambda e: e["tag"] == "INPUT" and "hero" not in e["classes"] and page.evaluate(
        "document.activeElement.closest('.faqkb-hero-search') !== null"))
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-expanded", "false")
    page.keyboard.type("发票")
    popup = page.locator(".faqkb-hero-search .faqkb-results")
    expect(popup).to_have_attribute("data-query", "发票")
    expect(box).to_have_attribute("aria-expanded", "true")
    listbox = page.locator("#" + box.get_attribute("aria-controls"))
    expect(listbox).to_have_attribute("role", "listbox")
    options = listbox.locator("[role=option]")
    count = options.count()
    assert count >= 2
    status = page.locator(".faqkb-hero-search [role=status]")
    expect(status).to_have_text(f"找到 {count} 个相关问题，按上下方向键选择。")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    second = options.nth(1)
    expect(box).to_have_attribute("aria-activedescendant", second.get_attribute("id"))
    expect(second).to_have_attribute("aria-selected", "true")
    target = second.get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_url(target)


def test_no_results_are_announced_too(page, site_server):
    page.goto(site_server)
    page.locator(".faqkb-hero-search input").fill("你们招聘吗")
    expect(page.locator(".faqkb-hero-search [role=status]")).to_have_text(
        "没有找到相关问题。按回车查看热门问题和客服联系方式。")
    page.keyboard.press("Escape")
    expect(page.locator(".faqkb-hero-search input")).to_have_attribute("aria-expanded", "false")
