"""The layout is the architecture: imports run one way, and each frozen library sits behind one module.

    staff  (the command line and the staff tools)
      ↓
    site   (pages, the MkDocs plugin, the live preview)  →  search  (text, index, export, query)
      ↓                                                       ↓
    content  (model, load, validate, link: what staff write and its rules)

A module may import its own package and the packages below it; faqkb/files.py (shared helpers)
is below all of them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "plugins" / "faqkb"
MAY_IMPORT = {
    "staff": {"staff", "site", "search", "content", "files"},
    "site": {"site", "search", "content", "files"},
    "search": {"search", "content", "files"},
    "content": {"content", "files"},
    "files": set(),
}
# Unmaintained or replaceable libraries, each behind one module (DESIGN.md).
ONLY_HERE = {
    "mkdocs": {"site/engine.py"},
    "material": {"site/engine.py"},
    "jieba": {"search/text.py"},
    "whoosh": {"search/index.py"},
}
MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


def layer(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def imports(path: Path) -> list[tuple[str, int]]:
    return imports_in(path.read_text(encoding="utf-8"), ["faqkb", *path.relative_to(PACKAGE).parent.parts])


def imports_in(source: str, package: list[str]) -> list[tuple[str, int]]:
    """(absolute module name, line) of every import in a module of `package`, relative ones resolved."""
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
                if not node.module:  # from . import x: each name is a module of the package
                    found += [(f"{name}.{alias.name}", node.lineno) for alias in node.names]
                    continue
            else:
                name = node.module
            found.append((name, node.lineno))
    return found


def test_every_module_belongs_to_a_layer():
    assert {layer(path) for path in MODULES} <= set(MAY_IMPORT) | {"__init__"}


def upward(own: str, found: list[tuple[str, int]]) -> list[str]:
    wrong = []
    for name, line in found:
        parts = name.split(".")
        if parts[0] == "faqkb" and len(parts) > 1 and parts[1] not in MAY_IMPORT.get(own, set()):
            wrong.append(f"line {line} imports {name} ({own} may not import {parts[1]})")
    return wrong


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_imports_only_run_downwards(module):
    assert upward(layer(module), imports(module)) == []


@pytest.mark.parametrize("library", sorted(ONLY_HERE))
def test_each_frozen_library_is_imported_by_one_module(library):
    importers = {module.relative_to(PACKAGE).as_posix() for module in MODULES
                 for name, _ in imports(module) if name.split(".")[0] == library}
    assert importers == ONLY_HERE[library]


def test_the_plugin_only_wires_events():
    plugin = PACKAGE / "site" / "plugin.py"
    assert len(plugin.read_text(encoding="utf-8").splitlines()) <= 150
    tree = ast.parse(plugin.read_text(encoding="utf-8"))
    [plugin_class] = [node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == "FaqPlugin"]
    for method in plugin_class.body:
        if isinstance(method, ast.FunctionDef):
            assert method.end_lineno - method.lineno < 25, f"{method.name} does more than wire a step"


@pytest.mark.parametrize("source", ["from ..site import render\n", "from ..site.render import Page\n",
                                    "import faqkb.staff.cli\n", "    from faqkb.search import query\n"])
def test_the_checker_sees_an_import_against_the_direction(source):
    found = imports_in(source.strip() + "\n", ["faqkb", "content"])
    assert len(upward("content", found)) == 1
    assert upward("staff", found) == []
