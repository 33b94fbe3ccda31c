"""Load and validate in one call: every problem in the content, none of it fatal to the caller."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from .dates import shop_today
from .load import load_content
from .model import Content
from .problems import Problem
from .validate import validate

# The file's entries could not be read (or a linked or misnamed file was not read at all).
UNREADABLE_FILE = {"FAQ001", "FAQ002", "FAQ004", "FAQ006", "FAQ008", "FAQ009", "FAQ208", "FAQ209"}
LINK_TARGET_MISSING = {"FAQ401", "FAQ402"}


def check(content_dir: Path | str, *, display_base: Path | str | None = None, max_depth: int = 4,
          today: dt.date | None = None,
          icon_exists: Callable[[str], bool] | None = None,
          parsed_files: dict | None = None) -> tuple[Content, list[Problem]]:
    """The content under `content_dir` and every problem in it.

    `today` (default: today in Beijing) is the latest date an answer may say it was checked.
    `parsed_files` is load_content's.
    """
    content, problems = load_content(content_dir, display_base, parsed_files)
    checks = validate(content, max_depth=max_depth, today=today or shop_today(), icon_exists=icon_exists)
    if any(p.code in UNREADABLE_FILE for p in problems):
        # The entries of a file that cannot be read are missing, so every link to them would be
        # reported too, burying the one mistake to fix; they are checked again once it is fixed.
        checks = [p for p in checks if p.code not in LINK_TARGET_MISSING]
    return content, problems + checks
