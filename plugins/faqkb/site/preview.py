"""The live preview (`mkdocs serve`): question pages and search files kept across rebuilds.

MkDocs empties the site folder before every rebuild. The question folder and the search folder
are moved aside before that and back after it, and only pages whose HTML changed are written:
an edit to one answer rewrites a handful of files instead of every question page. The search
files follow from their worker once it is done.
"""

from __future__ import annotations

import contextlib
import shutil
import threading
from pathlib import Path

from ..content.model import QUESTION_DIR
from ..files import write_files
from ..search.job import SearchJob

PREVIEW_SEARCH = "search/preview/"  # the preview's pages point at a fixed folder


class PreviewFiles:
    """The question pages and search files on disk, and the search worker on its way."""

    def __init__(self):
        self.lock = threading.Lock()  # the search files arrive from another thread
        self.pages: dict[str, str] = {}  # page path → HTML on disk
        self.search_key: str | None = None  # whose search files are on disk
        self.aside: Path | None = None
        self.closed = False  # MkDocs is removing the preview's site: write nothing more
        self.job: SearchJob | None = None  # the search files on their way

    def hold(self, site: Path) -> None:
        with self.lock:
            self.aside = site.with_name(site.name + ".faqkb-preview")
            shutil.rmtree(self.aside, ignore_errors=True)
            for folder in (QUESTION_DIR, PREVIEW_SEARCH):
                if (site / folder).is_dir():
                    (self.aside / folder).parent.mkdir(parents=True, exist_ok=True)
                    (site / folder).rename(self.aside / folder)

    def restore(self, site: Path) -> None:
        with self.lock:
            for folder in (QUESTION_DIR, PREVIEW_SEARCH):
                if self.aside and (self.aside / folder).is_dir() and not (site / folder).exists():
                    (site / folder).parent.mkdir(parents=True, exist_ok=True)
                    (self.aside / folder).rename(site / folder)
            if not (site / PREVIEW_SEARCH).is_dir():
                self.search_key = None

    def write_pages(self, site: Path, pages: dict[str, str]) -> None:
        if self.aside and (self.aside / QUESTION_DIR).is_dir():
            shutil.rmtree(site / QUESTION_DIR, ignore_errors=True)  # holds only the layout page's folder
        self.restore(site)
        if not (site / QUESTION_DIR).is_dir():
            self.pages = {}
        for dest in set(self.pages) - set(pages):
            (site / dest).unlink(missing_ok=True)
            with contextlib.suppress(OSError):  # the page's own folder, once empty (directory URLs)
                (site / dest).parent.rmdir()
        write_files(site, {dest: text for dest, text in pages.items() if self.pages.get(dest) != text})
        self.pages = pages

    def write_search(self, site: Path, key: str, files: dict[str, bytes]) -> None:
        with self.lock:
            if self.closed:
                return
            target = site / PREVIEW_SEARCH
            fresh, old = target.with_name(".preview-new"), target.with_name(".preview-old")
            try:
                shutil.rmtree(fresh, ignore_errors=True)
                write_files(fresh, files)
                if target.exists():
                    target.rename(old)
                fresh.rename(target)
                shutil.rmtree(old, ignore_errors=True)
                self.search_key = key
            except OSError:
                self.search_key = None  # the site was emptied meanwhile; the next rebuild writes them

    def close(self) -> None:
        self.closed = True
        if self.job:
            self.job.cancel()
        with self.lock:  # waits for a write in progress
            if self.aside:
                shutil.rmtree(self.aside, ignore_errors=True)


