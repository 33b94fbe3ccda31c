"""The one module of faqkb that imports MkDocs and Material.

Every other module is plain Python over plain data. Moving to another engine that reads
mkdocs.yml and loads `mkdocs.plugins` entry points (ProperDocs, Zensical) means changing this
module, plugin.py (MkDocs' events and config objects) and the templates; DESIGN.md lists what
each relies on.
"""

from __future__ import annotations

import functools
import logging
import os
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
           "options", "MemoryBytecodeCache", "material_icon_svg", "strict_warning_count", "watch_without_following_links",
           "WholeNumber"]


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


def watch_without_following_links(server):
    """MkDocs' live reload polls the folders it watches with os.stat, which follows symbolic links: a
    link to / in docs_dir kept `mkdocs serve` walking the whole disk. Its observer is replaced by one
    polling with os.lstat (a link is watched as itself; links within the content point at folders
    that are watched anyway). Uses LiveReloadServer's bookkeeping of watched paths (MkDocs 1.6)."""
    from watchdog.observers.polling import PollingObserverVFS

    watched = dict(server._watched_paths)
    for path, count in watched.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = PollingObserverVFS(os.lstat, os.scandir, polling_interval=server.observer.timeout)
    for path, count in watched.items():
        for _ in range(count):
            server.watch(path)
    return server


class WholeNumber(options.Type):
    """A plugin option that is a whole number of at least `minimum`, refused in Chinese otherwise
    (MkDocs' Type(int) took -5 for hot_questions, and True, a bool, for a number)."""

    def __init__(self, minimum: int = 0, default: int | None = None):
        super().__init__(int, default=default)
        self.minimum = minimum

    def run_validation(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < self.minimum:
            raise ValidationError(f"{getattr(self, '_name', '这个设置')} 必须是大于等于 {self.minimum} 的整数，"
                                  f"这里是“{str(value)[:80]}”。请在 mkdocs.yml 里改正。")
        return value


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept across the live preview's rebuilds (jinja checks them against their source)."""

    def __init__(self):
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()
