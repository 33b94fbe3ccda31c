"""The search files of some content, built in a worker process while the pages render."""

from __future__ import annotations

import hashlib
import multiprocessing
import signal
import sys
from pathlib import Path

from ..content.model import Content
from ..files import write_files
from .export import export_search
from .index import SearchData, build_search_data
from .text import pinyin_table
from .version import rules_fingerprint


def search_data(content: Content) -> tuple[SearchData, dict[str, list[str]]]:
    """The scored term table and the pinyin table both searches read."""
    data = build_search_data(content)
    return data, pinyin_table(ch for term in data.terms for ch in term)


def build_search_files(content: Content, write_to: Path | None = None) -> dict[str, bytes]:
    """Index, score and export: the static search files (runs in a worker process during builds).

    With `write_to`, the worker writes them into that folder itself and returns nothing: writing
    thousands of files then overlaps with the pages being written by the main process.
    """
    files = export_search(*search_data(content))
    if write_to is None:
        return files
    write_files(write_to, files)
    return {}


def search_folder(content: Content) -> str:
    """Where the search files go: named after their input, so pages can point at it before it exists."""
    return f"search/{content_fingerprint(content)}/"


def content_fingerprint(content: Content) -> str:
    """A short hash of everything the search files are made from: the content and the search rules."""
    digest = hashlib.sha256(rules_fingerprint().encode())
    for path in sorted(p for p in Path(content.root).rglob("*") if p.is_file() and p.suffix in (".yml", ".yaml")):
        digest.update(str(path.relative_to(content.root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:10]


class SearchJob:
    """Builds the search files in another process while MkDocs renders the pages in this one."""

    def __init__(self, content: Content, write_to: Path | None = None):
        # Forked, the worker starts with the content in memory instead of receiving it pickled.
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
        self.folder = search_folder(content)
        self._results, sender = context.Pipe(duplex=False)
        self._process = context.Process(target=_search_worker, args=(sender, content, write_to),
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


def _search_worker(sender, content: Content, write_to: Path | None) -> None:
    # Cancelled (terminated), exit through Python, so that the pipe is closed in `finally`.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        sender.send(build_search_files(content, write_to))
    except BaseException as error:  # re-raised in the build's process, with this traceback as text
        import traceback

        failure = RuntimeError(f"{error!r}")
        failure.__cause__ = RuntimeError(traceback.format_exc())
        sender.send(failure)
    finally:
        sender.close()
