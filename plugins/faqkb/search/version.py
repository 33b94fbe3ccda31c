"""The search index's format version, and a fingerprint of everything that decides its contents.

FORMAT_VERSION is the one number both searches agree on: every file export.py writes carries it,
and the browser engine is handed it by the page (templates/main.html) and refuses files of another.
"""

from __future__ import annotations

import functools
import hashlib
from importlib import metadata
from pathlib import Path

FORMAT_VERSION = 7

HERE = Path(__file__).parent
# What turns content into search files: this package's code and data, and the libraries whose
# dictionaries and tables it reads. A change to any of them must give the files a new URL.
LIBRARIES = ("jieba", "whoosh-reloaded", "pypinyin", "opencc-python-reimplemented")


@functools.lru_cache(maxsize=1)
def rules_fingerprint() -> str:
    """A hash of the search rules: format version, this package's sources and data, library versions."""
    digest = hashlib.sha256(f"format {FORMAT_VERSION}\n".encode())
    for path in sorted(p for p in HERE.rglob("*") if p.is_file() and p.suffix in (".py", ".js", ".txt")):
        digest.update(path.relative_to(HERE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in LIBRARIES:
        try:
            digest.update(f"{name}=={metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} missing\n".encode())
    return digest.hexdigest()

# The browser's half of the search (query.py's twin), bundled into the site by site/scripts.py.
ENGINE_SCRIPT = HERE / "engine.js"
