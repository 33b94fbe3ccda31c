"""Plain data passed between the steps: load → validate → link → render → index → export."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Position = tuple[int, int]  # 1-based line and column

ENTRY_FIELDS = ("id", "previous_ids", "draft", "question", "answer", "frequency", "aliases", "related", "tags",
                "updated")
REQUIRED_ENTRY_FIELDS = ("id", "question", "answer", "frequency")
LIST_FIELDS = ("previous_ids", "aliases", "related", "tags")
CATEGORY_FIELDS = ("title", "description", "icon", "order")
CATEGORY_FILE = "_category.yml"
SYNONYMS_FILE = "_synonyms.yml"
QUESTION_DIR = "q"  # question pages live at q/<id>/ so their URL survives a move between categories
RESERVED_TOP_LEVEL = frozenset({QUESTION_DIR, "search", "assets", "faqkb"})


@dataclass
class Entry:
    """One question and its answer, as written, with where each field was written.

    Values keep the types YAML gave them until `validate` has checked them.
    """

    id: Any
    question: Any
    answer: Any
    frequency: Any
    aliases: Any = field(default_factory=list)
    related: Any = field(default_factory=list)
    tags: Any = field(default_factory=list)
    updated: Any = None
    previous_ids: Any = field(default_factory=list)  # ids this entry had before: their URLs redirect here
    draft: Any = False  # validated like any other, published nowhere; the preview shows it
    file: str = ""
    position: Position = (1, 1)
    category: tuple[str, ...] = ()
    present: tuple[str, ...] = ()  # fields written in the file, in order
    key_positions: dict[str, Position] = field(default_factory=dict)
    value_positions: dict[str, Position] = field(default_factory=dict)
    item_positions: dict[str, list[Position]] = field(default_factory=dict)
    flow_fields: set[str] = field(default_factory=set)  # lists written [a, b] rather than "- a" per line
    unknown_fields: dict[str, Position] = field(default_factory=dict)
    answer_origin: Position | None = None  # for a literal "|" answer: its first line and indentation

    def where(self, name: str = "") -> Position:
        """Where a field's value was written, else the entry itself."""
        return self.value_positions.get(name) or self.key_positions.get(name) or self.position

    @property
    def level(self) -> int:
        return len(self.category) + 1

    @property
    def is_draft(self) -> bool:
        return self.draft is True


@dataclass
class Category:
    """A folder under the content root; `file` is its _category.yml when there is one."""

    path: tuple[str, ...]
    title: Any = None
    description: Any = ""
    icon: Any = None
    order: Any = None
    file: str | None = None
    folder: str = ""
    position: Position = (1, 1)
    value_positions: dict[str, Position] = field(default_factory=dict)
    unknown_fields: dict[str, Position] = field(default_factory=dict)
    children: list[Category] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    entry_files: list[str] = field(default_factory=list)
    shape_error: bool = False  # _category.yml was not a mapping (already reported)

    @property
    def slug(self) -> str:
        return self.path[-1]

    @property
    def depth(self) -> int:
        return len(self.path)

    def walk(self):
        """This category and every category below it, parents first."""
        yield self
        for child in self.children:
            yield from child.walk()

    def all_entries(self):
        for category in self.walk():
            yield from category.entries


@dataclass
class SynonymGroup:
    words: Any
    position: Position
    item_positions: list[Position] = field(default_factory=list)


@dataclass
class Content:
    """Everything under the content root, as loaded."""

    root: Path
    categories: list[Category] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    synonyms: list[SynonymGroup] = field(default_factory=list)
    synonyms_file: str | None = None
    stray_files: list[str] = field(default_factory=list)  # entry files outside any category

    def walk_categories(self):
        for category in self.categories:
            yield from category.walk()

    def entries_by_id(self) -> dict[str, Entry]:
        """First entry for each id (duplicates are reported by validate)."""
        found: dict[str, Entry] = {}
        for entry in self.entries:
            if isinstance(entry.id, str):
                found.setdefault(entry.id, entry)
        return found
