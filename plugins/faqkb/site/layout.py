"""Every question page has the same layout: one page of placeholders rendered by the theme, filled in.

MkDocs renders a single page of placeholders through the theme like any other page; each
question's page is that output with the placeholders filled in. Rendering thousands of pages
through Python-Markdown and Material's templates one by one was most of a large site's build
time; the filled pages are byte for byte what the theme would have produced for the same title,
description, URL and content (tests/test_question_layout.py).
"""

from __future__ import annotations

import html
import re

from .render import Page, front_matter, question_uri

SLOT_ID = "faqkb-slot-id"
SLOT_TITLE = "FAQKB-SLOT-TITLE"
SLOT_DESCRIPTION = "FAQKB-SLOT-DESCRIPTION"
SLOT_CONTENT = '<div data-faqkb-slot="content"><h1></h1></div>'  # an h1, or Material adds the title
_SLOTS = re.compile("|".join(re.escape(slot) for slot in (SLOT_ID, SLOT_TITLE, SLOT_DESCRIPTION, SLOT_CONTENT)))


def slot_page() -> Page:
    """The page of placeholders that MkDocs renders as the layout of every question page."""
    uri = question_uri(SLOT_ID)
    front = front_matter(SLOT_TITLE, SLOT_DESCRIPTION, "question")
    return Page(uri, SLOT_TITLE, f"{front}\n\n{SLOT_CONTENT}\n", "question", SLOT_DESCRIPTION, SLOT_CONTENT)


class QuestionLayout:
    """The theme's output for the slot page, split at its placeholders, ready to be filled."""

    def __init__(self, rendered: str):
        if rendered.count(SLOT_CONTENT) != 1:
            raise ValueError("the theme did not print the question page's content exactly once")
        self._pieces = _SLOTS.split(rendered)
        self._slots = _SLOTS.findall(rendered)

    def fill(self, page: Page, entry_id: str) -> str:
        values = {SLOT_ID: entry_id, SLOT_TITLE: html.escape(page.title), SLOT_DESCRIPTION: html.escape(page.description),
                  SLOT_CONTENT: page.body}
        out = [self._pieces[0]]
        for slot, piece in zip(self._slots, self._pieces[1:]):
            out += (values[slot], piece)
        return "".join(out)


