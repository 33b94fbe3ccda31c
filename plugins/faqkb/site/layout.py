"""Every question page has the same layout: one page of placeholders rendered by the theme, filled in.

MkDocs renders a single page of placeholders through the theme like any other page; each
question's page is that output with the placeholders filled in. Rendering thousands of pages
through Python-Markdown and Material's templates one by one was most of a large site's build
time; the filled pages are byte for byte what the theme would have produced for the same title,
description, URL and content, made smaller by compact.py (tests/test_question_layout.py).
"""

from __future__ import annotations

import html
import posixpath
import re

from ..content.model import QUESTION_DIR
from ..content.syntax import SLOT_ID  # reserved there, so that no entry can take it
from .compact import compact
from .render import Page, front_matter, question_uri

SLOT_TITLE = "FAQKB-SLOT-TITLE"
SLOT_DESCRIPTION = "FAQKB-SLOT-DESCRIPTION"
SLOT_CONTENT = '<div data-faqkb-slot="content"><h1></h1></div>'  # an h1, or Material adds the title
_SLOTS = re.compile("|".join(re.escape(slot) for slot in (SLOT_ID, SLOT_TITLE, SLOT_DESCRIPTION, SLOT_CONTENT)))


def slot_page() -> Page:
    """The page of placeholders that MkDocs renders as the layout of every question page."""
    uri = question_uri(SLOT_ID)
    front = front_matter(SLOT_TITLE, SLOT_DESCRIPTION, "question")
    return Page(uri, SLOT_TITLE, front, SLOT_CONTENT, "question", SLOT_DESCRIPTION)


def layout_assets_url(slot_dest: str) -> str:
    """From a question page (its site path, `slot_dest`) to the question folder, where the files
    the compacted layout points at are written."""
    return posixpath.relpath(QUESTION_DIR, posixpath.dirname(slot_dest) or ".") + "/"


class QuestionLayout:
    """The theme's output for the slot page, compacted, split at its placeholders, ready to be filled.

    `files` are the files the layout points at (icons, Material's scripts), to be written into
    the question folder: site path → text."""

    def __init__(self, rendered: str, slot_dest: str = question_uri(SLOT_ID)[:-3] + "/index.html"):
        if rendered.count(SLOT_CONTENT) != 1:
            raise ValueError("the theme did not print the question page's content exactly once")
        compacted = compact(rendered, SLOT_CONTENT, layout_assets_url(slot_dest))
        self.files = {f"{QUESTION_DIR}/{name}": text for name, text in compacted.files.items()}
        self._pieces = _SLOTS.split(compacted.html)
        self._slots = _SLOTS.findall(compacted.html)

    def fill(self, page: Page, entry_id: str) -> str:
        values = {SLOT_ID: entry_id, SLOT_TITLE: html.escape(page.title), SLOT_DESCRIPTION: html.escape(page.description),
                  SLOT_CONTENT: page.body}
        out = [self._pieces[0]]
        for slot, piece in zip(self._slots, self._pieces[1:]):
            out += (values[slot], piece)
        return "".join(out)


