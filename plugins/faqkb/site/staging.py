"""A build writes into folders of its own beside the site and swaps the site in only when all went well.

A failed build (bad content, a strict-mode warning, an error in the theme) leaves the previous
site untouched; so does a killed one. Builds running at the same time (two `make site` in two
terminals, a CI job and a person) do not mix:
- every build's staging, search and old-site folders carry its process id and a random token:
  `.site.faqkb-new.<pid>.<token>`, `.site.faqkb-search.…`, `.site.faqkb-old.…`;
- a lock beside the site (`.site.faqkb-lock`, an flock, kept from build to build) lets one build
  at a time work on the site: a second one says so and waits, at most LOCK_WAIT_SECONDS, then
  stops with the site untouched. The operating system frees the lock when its holder ends, even
  killed; the search worker a build forks holds it too, so a build killed while its worker runs
  keeps the lock until that worker has finished writing;
- under the lock, folders left by builds whose process is gone are removed (a killed build's
  previous site is put back first if the kill came between the two renames of the swap).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

LOCK_WAIT_SECONDS = 600  # a build of 10,000 questions takes about a minute; ten is a stuck build
_POLL_SECONDS = 0.1


class SiteBusy(Exception):
    """Another build held the site for longer than a build may wait; the message is for staff."""


@dataclass(frozen=True)
class BuildFolders:
    """The folders one build writes beside the site folder."""

    staging: Path  # MkDocs writes the new site here
    search: Path  # the search worker writes the search files here (MkDocs empties the staging folder first)
    old: Path  # the previous site, for the moment of the swap

    @classmethod
    def new(cls, site_dir: Path | str) -> BuildFolders:
        site = Path(site_dir)
        owner = f"{os.getpid()}.{secrets.token_hex(4)}"
        return cls(*(site.with_name(f".{site.name}.faqkb-{kind}.{owner}") for kind in ("new", "search", "old")))

    def discard(self) -> None:
        for folder in (self.staging, self.search, self.old):
            discard(folder)


def swap_in(folders: BuildFolders, final: Path) -> None:
    """Puts the finished staging folder in place of the site, the previous one out of the way first.
    Call it holding the site's lock."""
    discard(folders.old)
    if final.exists():
        final.rename(folders.old)
    folders.staging.rename(final)
    discard(folders.old)


def discard(folder: Path | None) -> None:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def _stale_pattern(site: Path) -> re.Pattern:
    return re.compile(rf"\.{re.escape(site.name)}\.faqkb-(new|search|old)\.(\d+)\.[0-9a-f]+")


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def remove_stale(site_dir: Path | str) -> list[Path]:
    """Removes the folders of builds whose process is gone; returns them. Call it holding the lock.

    A previous site left aside by a build killed in the middle of its swap is first put back
    where the site belongs, if nothing is there."""
    site = Path(site_dir)
    pattern = _stale_pattern(site)
    stale = []
    with contextlib.suppress(FileNotFoundError):
        for folder in site.parent.iterdir():
            match = pattern.fullmatch(folder.name)
            if match and folder.is_dir() and not folder.is_symlink() and not _running(int(match.group(2))):
                stale.append((match.group(1), folder))
    olds = sorted((folder for kind, folder in stale if kind == "old"), key=lambda f: f.stat().st_mtime)
    if olds and not site.exists():
        olds[-1].rename(site)
    for _, folder in stale:
        discard(folder)
    return [folder for _, folder in stale]


class SiteLock:
    """One build at a time on a site folder: an exclusive flock on a file beside it."""

    def __init__(self, site_dir: Path | str):
        site = Path(site_dir)
        self.site = site
        self.path = site.with_name(f".{site.name}.faqkb-lock")
        self._file = None

    def acquire(self, wait: float = LOCK_WAIT_SECONDS, on_wait: Callable[[str], None] | None = None) -> SiteLock:
        """Takes the lock, waiting up to `wait` seconds for another build to finish (telling
        `on_wait` once); raises SiteBusy when it is not free by then."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = open(self.path, "a+", encoding="utf-8")
        deadline = time.monotonic() + wait
        told = False
        try:
            while True:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    pass
                holder = _holder(lock)
                if time.monotonic() >= deadline:
                    raise SiteBusy(
                        f"{self._whose(holder)}正在生成 {self.site.name}/，等了 {_minutes(wait)} 还没有完成，"
                        f"这次没有生成，{self.site.name}/ 保持不变。请等它完成后再运行；"
                        f"如果它卡住了，请先结束它（kill {holder or '进程号'}）。")
                if not told and on_wait:
                    on_wait(f"{self._whose(holder)}正在生成 {self.site.name}/，等它完成后再继续"
                            f"（最多等 {_minutes(wait)}）……")
                    told = True
                time.sleep(_POLL_SECONDS)
        except BaseException:
            lock.close()
            raise
        lock.seek(0)
        lock.truncate()
        lock.write(f"{os.getpid()}\n")
        lock.flush()
        self._file = lock
        return self

    @staticmethod
    def _whose(holder: int | None) -> str:
        if holder is None:
            return "另一个生成"
        if not _running(holder):  # killed, but the search worker it forked still holds the lock
            return f"一个被中断的生成（进程 {holder}）留下的搜索进程"
        return f"另一个生成（进程 {holder}）"

    def release(self) -> None:
        if self._file is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


def _holder(lock) -> int | None:
    lock.seek(0)
    text = lock.read().strip()
    return int(text) if text.isdigit() else None


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:g} 分钟" if seconds >= 60 else f"{seconds:g} 秒"
