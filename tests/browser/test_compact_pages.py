"""Compacted question pages look exactly like MkDocs' and Material's own (issue #17, smaller pages).

site/compact.py removes line breaks, moves icons into a sprite and Material's inline scripts into
files, drops the hidden table of contents and unused texts. tests/test_question_layout.py checks
the bytes; this test checks what a shopper sees: the same question page from the plain MkDocs +
Material build and from faqkb's, on a phone and a desktop, light and dark, with the navigation
drawer open on the phone, must give the same pixels.
"""

from __future__ import annotations

import pytest
from harness.plain import faqkb_and_plain_sites
from harness.server import serving

QUESTIONS = ["refund-time", "change-shipping-address", "contact-customer-service"]  # related links, lists, long answers
VIEWS = [(390, 844, "light"), (390, 844, "dark"), (1280, 800, "light"), (1280, 800, "dark")]


@pytest.fixture(scope="module")
def both_served(tmp_path_factory):
    ours, plain, bodies = faqkb_and_plain_sites(tmp_path_factory.mktemp("compact-pixels"))
    assert set(QUESTIONS) <= bodies.keys()
    with serving(ours) as ours_url, serving(plain) as plain_url:
        yield ours_url, plain_url


def shot(new_page, url: str, width: int, height: int, scheme: str, drawer: bool) -> bytes:
    page = new_page(viewport={"width": width, "height": height}, color_scheme=scheme)
    page.goto(url)
    page.wait_for_load_state("networkidle")  # the icon sprite and the scripts moved into files
    page.evaluate("document.fonts.ready.then(() => true)")
    if drawer:
        page.locator("label.md-header__button[for=__drawer]").click()
        page.locator(".md-sidebar--primary").wait_for(state="visible")
    return page.screenshot(full_page=True, animations="disabled", caret="hide")


@pytest.mark.parametrize("question", QUESTIONS)
def test_a_compacted_question_page_draws_the_same_pixels_as_materials_own(both_served, new_page, question,
                                                                           screenshot_dir):
    ours_url, plain_url = both_served
    for width, height, scheme in VIEWS:
        for drawer in ([False, True] if width < 600 else [False]):
            ours = shot(new_page, f"{ours_url}q/{question}/", width, height, scheme, drawer)
            theirs = shot(new_page, f"{plain_url}q/{question}/", width, height, scheme, drawer)
            if ours != theirs:
                name = f"compact-{question}-{width}-{scheme}{'-drawer' if drawer else ''}"
                (screenshot_dir / f"{name}-faqkb.png").write_bytes(ours)
                (screenshot_dir / f"{name}-material.png").write_bytes(theirs)
                pytest.fail(f"q/{question}/ at {width} px, {scheme}{', drawer open' if drawer else ''}: "
                            f"faqkb's page is drawn differently from Material's; see {screenshot_dir}/{name}-*.png")
