"""Writing files: the one helper every layer that writes a tree of files uses."""

from __future__ import annotations

from pathlib import Path


def write_files(folder: Path, files: dict[str, str | bytes]) -> None:
    """Writes relative path → contents (text as UTF-8) under `folder`, creating folders as needed."""
    for path, data in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
