"""The seed rule "most asked first", in one place: how entries and categories are ordered everywhere
(pages, the search index's entry numbers, statistics)."""

from __future__ import annotations

from .model import Category, Entry


def by_frequency(entries) -> list[Entry]:
    """Most asked first; ties by question."""
    return sorted(entries, key=lambda e: (-e.frequency, e.question))


def sorted_categories(categories: list[Category]) -> list[Category]:
    """Manual `order` first, then by how often their questions are asked, most first."""

    def key(category: Category):
        total = sum(e.frequency for e in category.all_entries())
        manual = category.order if isinstance(category.order, int) else None
        return (manual is None, manual or 0, -total, category.slug)

    return sorted(categories, key=key)
