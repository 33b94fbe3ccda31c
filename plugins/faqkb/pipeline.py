"""The steps in order, as plain functions: load → validate → link → render (→ index → export)."""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .dates import shop_today
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


UNREADABLE_FILE = {"FAQ001", "FAQ002", "FAQ004", "FAQ006"}  # the file's entries could not be read
LINK_TARGET_MISSING = {"FAQ401", "FAQ402"}


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
          today: dt.date | None = None,
          icon_exists: Callable[[str], bool] | None = None) -> tuple[Content, list[Problem]]:
    """Load and validate: every problem in the content, none of it fatal to the caller.

    `today` (default: today in Beijing) is the latest date an answer may say it was checked.
    """
    content, problems = load_content(content_dir, display_base)
    checks = validate(content, max_depth=max_depth, today=today or shop_today(), icon_exists=icon_exists)
    if any(p.code in UNREADABLE_FILE for p in problems):
        # The entries of a file that cannot be read are missing, so every link to them would be
        # reported too, burying the one mistake to fix; they are checked again once it is fixed.
        checks = [p for p in checks if p.code not in LINK_TARGET_MISSING]
    return content, problems + checks


def build(content_dir: Path | str, *, display_base: Path | str | None = None, max_depth: int = 4,
          today: dt.date | None = None, options: RenderOptions | None = None,
          icon_exists: Callable[[str], bool] | None = None) -> Build:
    """Check the content and, if it has no errors, link it and render every page (search: SearchJob)."""
    content, problems = check(content_dir, display_base=display_base, max_depth=max_depth, today=today,
                              icon_exists=icon_exists)
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


def search_files(content: Content, processes: int = 1, write_to: Path | None = None) -> dict[str, bytes]:
    """Index, score and export: the static search files (runs in a worker process during builds).

    With `write_to`, the worker writes them into that folder itself and returns nothing: writing
    thousands of files then overlaps with the pages being written by the main process.
    """
    files = export_search(*search_data(content, processes=processes))
    if write_to is None:
        return files
    write_files(write_to, files)
    return {}


def write_files(folder: Path, files: dict[str, str | bytes]) -> None:
    """Writes relative path → contents (text as UTF-8) under `folder`, creating folders as needed."""
    for path, data in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


class SearchJob:
    """Builds the search files in another process while MkDocs renders the pages in this one."""

    def __init__(self, content: Content, processes: int | None = None, write_to: Path | None = None):
        # Forked, the worker starts with the content in memory instead of receiving it pickled.
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
        # By default the worker splits the indexing over every core but one: this process renders
        # the answers and writes the question pages meanwhile, and since the index got cheaper
        # that is the longer path (on 2 cores, a second index process only slowed the pages down).
        processes = processes or min(max(1, (os.cpu_count() or 1) - 1), 4)
        self.directory = search_directory(content)
        self._results, sender = context.Pipe(duplex=False)
        self._process = context.Process(target=_search_worker, args=(sender, content, processes, write_to),
                                        name="faqkb-search")
        self._process.start()
        sender.close()

    def result(self) -> dict[str, bytes]:
        try:
            message = self._results.recv()
        except EOFError:
            raise RuntimeError(f"搜索索引进程意外退出（退出码 {self._process.exitcode}）") from None
        finally:
            self._results.close()
            self._process.join()
        if isinstance(message, BaseException):
            raise message
        return message

    def cancel(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._results.close()


def _search_worker(sender, content: Content, processes: int, write_to: Path | None) -> None:
    # Cancelled (terminated), exit through Python so that the index parts are stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        sender.send(search_files(content, processes, write_to))
    except BaseException as error:  # re-raised in the build's process, with this traceback as text
        import traceback

        failure = RuntimeError(f"{error!r}")
        failure.__cause__ = RuntimeError(traceback.format_exc())
        sender.send(failure)
    finally:
        sender.close()


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
