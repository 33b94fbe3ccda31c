"""`faqkb fmt`: put the entries of every file in the order the validator requires (FAQ301) and the
fields of every entry in the usual order, keeping comments and answers exactly as written."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ruamel.yaml.error import YAMLError

from . import yamledit
from .project import check_project
from ..content.model import CATEGORY_FILE, Content, Entry
from ..content.problems import Problem, sort_problems

# Problems that leave a file unreadable, or its entries impossible to order or to match up with
# what ruamel reads: such files are not touched.
_BLOCKING = frozenset({"FAQ001", "FAQ002", "FAQ004", "FAQ005", "FAQ006", "FAQ007", "FAQ008", "FAQ009", "FAQ107", "FAQ110",
                       "FAQ111"})


def register(subparsers) -> None:
    parser = subparsers.add_parser("fmt", help="按被问次数从高到低排好条目、统一字段顺序（注释和答案原样保留）")
    parser.add_argument("path", nargs="?", default="faq", help="内容目录、其中一个分类目录或一个条目文件（默认 faq）")
    parser.add_argument("--check", action="store_true", help="只检查，不修改：列出需要整理的文件，有就返回 1")
    parser.set_defaults(run=_run)


def content_root(target: Path) -> Path:
    """The content directory that holds `target`: the nearest folder, from it upwards, that is not a category."""
    folder = target.resolve() if target.is_dir() else target.resolve().parent
    while (folder / CATEGORY_FILE).is_file() and folder.parent != folder:
        folder = folder.parent
    return folder


def blocking_problems(problems: list[Problem]) -> dict[str, list[Problem]]:
    """File → the problems that make editing it unsafe."""
    found: dict[str, list[Problem]] = {}
    for problem in sort_problems(problems):
        if problem.code in _BLOCKING or (problem.code == "FAQ101" and problem.field == "frequency"):
            found.setdefault(problem.file, []).append(problem)
    return found


def file_entries(content: Content, file: str) -> list[Entry]:
    return [entry for entry in content.entries if entry.file == file]


def tidy(document: yamledit.EntryFile, frequencies: list[int]) -> str:
    """The file's text with entries by descending frequency (ties keep their order) and fields in order.

    `frequencies` are the entries' counts as faqkb's loader read them, in file order, so the order
    is exactly the one the validator checks. Raises yamledit.Unsafe if that cannot be done safely.
    """
    entries = document.data
    if not isinstance(entries, list) or len(entries) != len(frequencies):
        raise yamledit.Unsafe("无法把文件里的条目一一对应起来")
    order = sorted(range(len(entries)), key=lambda index: -frequencies[index])
    return yamledit.render(document, [entries[index] for index in order])


def read_for_edit(file: str) -> yamledit.EntryFile:
    """Read a content file (named as in problems: relative to the current folder) for editing."""
    try:
        return yamledit.read(Path(file))
    except (OSError, UnicodeDecodeError, YAMLError) as error:
        raise yamledit.Unsafe(f"无法读取（{error}）") from error


def skipped(file: str, problems: list[Problem], action: str = "整理") -> str:
    lines = [f"没有{action} {file}：请先修正下面的问题，文件没有改动。"]
    return "\n".join(lines + [problem.as_text() for problem in problems])


def _run(args: argparse.Namespace) -> int:
    target = Path(args.path)
    if not target.exists():
        print(f"找不到 {args.path}。请给出内容目录（例如 faq）、分类目录或条目文件。", file=sys.stderr)
        return 1
    content, problems = check_project(content_root(target))
    blocked = blocking_problems(problems)
    wanted = target.resolve()
    files = [file for category in content.walk_categories() for file in category.entry_files
             if Path(file).resolve() == wanted or wanted in Path(file).resolve().parents]
    changed, failed, pending = [], 0, []
    for file in files:
        if file in blocked:
            print(skipped(file, blocked[file]), file=sys.stderr)
            failed += 1
            continue
        try:
            document = read_for_edit(file)
            text = tidy(document, [entry.frequency for entry in file_entries(content, file)])
        except yamledit.Unsafe as error:
            print(f"没有整理 {file}：{error}。文件没有改动。", file=sys.stderr)
            failed += 1
            continue
        if text.encode("utf-8") == document.raw:
            continue
        changed.append(file)
        pending.append((document.path, text))
    try:
        if not args.check:
            yamledit.write_all(pending)  # every file, or none
    except yamledit.Unwritable as error:
        print(error, file=sys.stderr)
        return 1
    for file in changed:
        print(f"需要整理：{file}" if args.check else f"已整理：{file}")
    if changed:
        print(f"{len(changed)} 个文件需要整理，请运行 make fmt" if args.check else f"{len(changed)} 个文件已整理")
    elif not failed:
        print("所有文件都已整理好")
    if failed:
        print(f"{failed} 个文件没有整理，原因见上面。", file=sys.stderr)
    return 1 if failed or (args.check and changed) else 0
