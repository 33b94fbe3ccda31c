"""A build writes into a staging folder beside the site and swaps it in only when all went well.

A failed build (bad content, a strict-mode warning, an error in the theme) leaves the previous
site untouched; so does a killed one.
"""

from __future__ import annotations

import shutil
from pathlib import Path


def staging_dir(site_dir: Path | str) -> Path:
    """Where a build writes the site before it replaces the previous one."""
    final = Path(site_dir)
    return final.with_name(f".{final.name}.faqkb-new")


def search_side_dir(site_dir: Path | str) -> Path:
    """Beside the site folder: where a build's search worker writes its files (MkDocs empties the
    site folder after the worker has started)."""
    site = Path(site_dir)
    return site.with_name(f".{site.name}.faqkb-search")


def swap_in(staging: Path, final: Path) -> None:
    """Puts the finished staging folder in place of the site, the previous one out of the way first."""
    old = final.with_name(f".{final.name}.faqkb-old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def discard(folder: Path | None) -> None:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
