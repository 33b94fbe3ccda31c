"""The steps in order, as plain functions: load → validate → link → render (→ index → export)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .export import export_search, version_of
from .index import SearchData, build_search_data
from .link import Links, link
from .load import load_content
from .model import Content
from .problems import Problem
from .render import Page, RenderOptions, navigation, render_pages
from .text import pinyin_table
from .validate import has_errors, validate


@dataclass
class Build:
    content: Content
    problems: list[Problem]
    links: Links | None = None
    pages: list[Page] = field(default_factory=list)
    navigation: list = field(default_factory=list)
    search: SearchData | None = None
    search_files: dict[str, bytes] = field(default_factory=dict)  # path under search_dir -> bytes
    search_dir: str = ""  # e.g. "search/3fa4c1b2d9/": versioned, so browsers may cache it forever

    @property
    def has_errors(self) -> bool:
        return has_errors(self.problems)


def check(content_dir: Path | str, *, display_base: Path | str | None = None, max_depth: int = 4,
          icon_exists: Callable[[str], bool] | None = None) -> tuple[Content, list[Problem]]:
    """Load and validate: every problem in the content, none of it fatal to the caller."""
    content, problems = load_content(content_dir, display_base)
    problems += validate(content, max_depth=max_depth, icon_exists=icon_exists)
    return content, problems


def build(content_dir: Path | str, *, display_base: Path | str | None = None, max_depth: int = 4,
          options: RenderOptions | None = None, icon_exists: Callable[[str], bool] | None = None,
          with_search: bool = True) -> Build:
    """Check the content and, if it has no errors, link it and render every page."""
    content, problems = check(content_dir, display_base=display_base, max_depth=max_depth, icon_exists=icon_exists)
    result = Build(content, problems)
    if result.has_errors:
        return result
    result.links = link(content.entries)
    result.pages = render_pages(content, result.links, options)
    result.navigation = navigation(content)
    if with_search:
        result.search, pinyin = search_data(content)
        result.search_files = export_search(result.search, pinyin)
        result.search_dir = f"search/{version_of(result.search_files)}/"
    return result


def search_data(content: Content) -> tuple[SearchData, dict[str, list[str]]]:
    """The scored term table and the pinyin table both searches read."""
    data = build_search_data(content)
    return data, pinyin_table(ch for term in data.terms for ch in term)
