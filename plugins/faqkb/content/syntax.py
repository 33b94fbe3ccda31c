"""How ids and links are written in the content: the rules load, validate, link and schema share."""

from __future__ import annotations

import re

# An id, and a category folder's name: lowercase ASCII words joined by single hyphens.
KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# [[refund-time]] or [[refund-time|自定义文字]] in an answer
INLINE_LINK = re.compile(r"\[\[(?P<id>[^\[\]|\n]+)(?:\|(?P<text>[^\[\]\n]+))?\]\]")


def is_kebab(text: object) -> bool:
    return isinstance(text, str) and bool(KEBAB.match(text))


def inline_targets(answer: str) -> list[str]:
    """The ids an answer links to with [[id]], in order."""
    return [match.group("id").strip() for match in INLINE_LINK.finditer(answer)]
