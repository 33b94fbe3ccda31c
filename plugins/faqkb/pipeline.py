"""The steps in order, as plain functions: load → validate → link → render (→ index → export)."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .export import FORMAT_VERSION as EXPORT_FORMAT
from .export import export_search
from .index import INDEX_VERSION, SearchData, build_search_data
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
          options: RenderOptions | None = None, icon_exists: Callable[[str], bool] | None = None) -> Build:
    """Check the content and, if it has no errors, link it and render every page (search: SearchJob)."""
    content, problems = check(content_dir, display_base=display_base, max_depth=max_depth, icon_exists=icon_exists)
    return render(content, problems, options)


def render(content: Content, problems: list[Problem], options: RenderOptions | None = None,
           answer_cache: dict | None = None) -> Build:
    """Link and render checked content (nothing, if the problems include errors)."""
    result = Build(content, problems)
    if result.has_errors:
        return result
    result.links = link(content.entries)
    result.pages = render_pages(content, result.links, options, answer_cache)
    result.navigation = navigation(content)
    return result


def search_files(content: Content, processes: int = 1) -> dict[str, bytes]:
    """Index, score and export: the static search files (runs in a worker process during builds)."""
    data, pinyin = search_data(content, processes=processes)
    return export_search(data, pinyin)


class SearchJob:
    """Builds the search files in a second process while MkDocs renders the pages in this one."""

    def __init__(self, content: Content, processes: int | None = None):
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
        # By default the worker splits the indexing over the cores: on large sites the index takes
        # longer than the pages, whose rendering keeps this process busy only at the start.
        processes = processes or min(os.cpu_count() or 1, 4)
        self._future = self._pool.submit(search_files, content, processes)
        self.directory = search_directory(content)

    def result(self) -> dict[str, bytes]:
        try:
            return self._future.result()
        finally:
            self._pool.shutdown(wait=False, cancel_futures=True)

    def cancel(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def search_directory(content: Content) -> str:
    """Where the search files go: named after their input, so pages can point at it before it exists."""
    return f"search/{content_fingerprint(content)}/"


def content_fingerprint(content: Content) -> str:
    """A short hash of everything the search files are made from, and of the code's formats."""
    digest = hashlib.sha256(f"{EXPORT_FORMAT}.{INDEX_VERSION}".encode())
    for path in sorted(p for p in Path(content.root).rglob("*") if p.is_file() and p.suffix in (".yml", ".yaml")):
        digest.update(str(path.relative_to(content.root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:10]


def search_data(content: Content, processes: int = 1) -> tuple[SearchData, dict[str, list[str]]]:
    """The scored term table and the pinyin table both searches read."""
    data = build_search_data(content, processes=processes)
    return data, pinyin_table(ch for term in data.terms for ch in term)
