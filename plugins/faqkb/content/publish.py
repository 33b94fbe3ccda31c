"""What the public site holds: the content without its drafts.

A draft (`draft: true`) is checked like any other entry, and the live preview shows it, but a
published site has no trace of it: no page, no search entry, no place in the sitemap, 热门问题,
category counts or another entry's related list. A category left with nothing published is left
out too.
"""

from __future__ import annotations

import dataclasses

from .model import Category, Content


def published(content: Content) -> Content:
    """The content as the public site shows it."""
    if not any(entry.is_draft for entry in content.entries):
        return content
    categories = [kept for kept in (_published_category(c) for c in content.categories) if kept]
    result = dataclasses.replace(content, categories=categories)
    result.entries = [entry for category in result.walk_categories() for entry in category.entries]
    return result


def _published_category(category: Category) -> Category | None:
    children = [kept for kept in (_published_category(c) for c in category.children) if kept]
    entries = [entry for entry in category.entries if not entry.is_draft]
    if not entries and not children:
        return None
    return dataclasses.replace(category, children=children, entries=entries)
