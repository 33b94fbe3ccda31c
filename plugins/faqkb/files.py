"""Writing files: the one helper every layer that writes a tree of files uses."""

from __future__ import annotations

import errno
from collections.abc import Iterable, Mapping
from pathlib import Path

_REASONS = {errno.EACCES: "没有权限", errno.EPERM: "不允许修改（文件或目录被锁定）", errno.EROFS: "文件系统是只读的",
            errno.ENOSPC: "磁盘已满", errno.ENOTDIR: "路径中有一段不是目录", errno.ENOENT: "找不到这个路径",
            errno.EISDIR: "这是一个目录", errno.EEXIST: "已经有同名的文件"}


def write_files(folder: Path, files: Mapping[str, str | bytes] | Iterable[tuple[str, str | bytes]]) -> None:
    """Writes relative path → contents (text as UTF-8) under `folder`, creating folders as needed.
    `files` may be a mapping or (path, contents) pairs, written as they come."""
    made: set[Path] = set()  # folders known to exist
    for path, data in files.items() if isinstance(files, Mapping) else files:
        target = folder / path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


def os_reason(error: OSError) -> str:
    """Why the operating system refused, in Chinese where it is a common reason (else its own words)."""
    return _REASONS.get(error.errno, error.strerror or str(error))
