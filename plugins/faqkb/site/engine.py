"""The one module of faqkb that imports MkDocs and Material.

Every other module is plain Python over plain data. Moving to another engine that reads
mkdocs.yml and loads `mkdocs.plugins` entry points (ProperDocs, Zensical) means changing this
module, plugin.py (MkDocs' events and config objects) and the templates; DESIGN.md lists what
each relies on.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import jinja2
from mkdocs.config import base
from mkdocs.config import config_options as options
from mkdocs.config.base import ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

__all__ = ["BasePlugin", "File", "Files", "MkDocsConfig", "PluginError", "ValidationError", "base", "get_plugin_logger",
           "options", "MemoryBytecodeCache", "material_icon_svg", "strict_warning_count"]


@functools.lru_cache(maxsize=None)
def material_icon_svg(name: str) -> str | None:
    """The SVG of a Material for MkDocs icon such as `material/cart`, or None if there is none."""
    import material

    if not name or ".." in name or name.startswith("/"):
        return None
    path = Path(material.__file__).parent / "templates" / ".icons" / f"{name}.svg"
    return path.read_text(encoding="utf-8") if path.is_file() else None


def strict_warning_count() -> int:
    """Warnings MkDocs has counted in this build: with --strict, any of them fails the build after
    on_post_build, so the staged site must not be swapped in. (MkDocs' internal CountHandler.)"""
    from mkdocs.utils import CountHandler

    handlers = [h for h in logging.getLogger("mkdocs").handlers if isinstance(h, CountHandler)]
    return sum(n for h in handlers for _, n in h.get_counts())


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept across the live preview's rebuilds (jinja checks them against their source)."""

    def __init__(self):
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()
