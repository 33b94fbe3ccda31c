"""Step 1: read the YAML under the content root into entries and categories, with positions.

Only problems that stop a file from being read are reported here (encoding, BOM, tabs,
syntax, shape); everything about the values is `validate`'s job.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .model import CATEGORY_FIELDS, CATEGORY_FILE, ENTRY_FIELDS, SYNONYMS_FILE, Category, Content, Entry, SynonymGroup
from .problems import Problem

YAML_SUFFIXES = (".yml", ".yaml")
# libyaml's parser gives the same nodes and marks, several times faster, where it is installed.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# PyYAML's messages, and what they usually mean to someone editing FAQ entries.
_SYNTAX_HINTS = [
    ("mapping values are not allowed", "这一行的值里有“冒号+空格”。请把整个值用引号括起来，例如 question: \"时间: 几点\"，或把冒号换成中文冒号“：”。"),
    ("could not find expected ':'", "这一行缺少“字段: 值”里的英文冒号，或上一行的引号没有关上。"),
    ("found character '\\t'", "YAML 不允许用 Tab 缩进，请改成两个空格。"),
    ("did not find expected key", "缩进没有对齐：同一个条目的字段要左对齐，每个条目以“- ”开头。"),
    ("did not find expected '-' indicator", "列表项缩进没有对齐：每个条目都要以同样缩进的“- ”开头。"),
    ("found unexpected end of stream", "引号或括号没有关上，请检查这一行附近的 \" ' [ {。"),
    ("while scanning a quoted scalar", "引号没有关上，请检查这一行的引号是否成对。"),
    ("found undefined alias", "“*”在 YAML 里有特殊含义：以 * 开头的值请用引号括起来。"),
    ("found character that cannot start any token", "这个字符不能出现在值的开头（例如 @ 或 `），请把值用引号括起来。"),
    ("expected <block end>, but found", "缩进没有对齐，或一行里写了两个值。请检查这一行和上一行的缩进。"),
    ("found a tab character", "YAML 不允许用 Tab 缩进，请改成两个空格。"),
]


def load_content(root: Path | str, display_base: Path | str | None = None) -> tuple[Content, list[Problem]]:
    """Read every category folder and entry file under `root`.

    File names in problems are shown relative to `display_base` (default: the folder that holds
    `root`, so they read `faq/...` as in the repository).
    """
    root = Path(root)
    base = Path(display_base) if display_base is not None else root.resolve().parent
    content = Content(root=root)
    problems: list[Problem] = []

    def shown(path: Path) -> str:
        try:
            return Path(os.path.relpath(path.resolve(), base.resolve())).as_posix()
        except ValueError:
            return path.as_posix()

    if not root.is_dir():
        problems.append(Problem("FAQ207", shown(root), 1, 1, "", f"找不到内容目录 {shown(root)}。",
                                "请确认 FAQ 内容放在这个目录里，或在 mkdocs.yml 的 faqkb 插件里设置 content_dir。"))
        return content, problems

    synonyms_path = root / SYNONYMS_FILE
    if synonyms_path.is_file():
        content.synonyms_file = shown(synonyms_path)
        node, file_problems, _ = read_yaml_file(synonyms_path, content.synonyms_file)
        problems += file_problems
        if node is not None:
            groups, shape_problems = _synonym_groups(node, content.synonyms_file)
            content.synonyms = groups
            problems += shape_problems

    for path in _yaml_files(root):
        if path.name != SYNONYMS_FILE:
            content.stray_files.append(shown(path))

    for folder in _subfolders(root):
        category, folder_problems = _load_category(folder, (folder.name,), shown)
        content.categories.append(category)
        problems += folder_problems

    content.entries = [entry for category in content.walk_categories() for entry in category.entries]
    return content, problems


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in YAML_SUFFIXES and not p.name.startswith("."))


def _subfolders(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def _load_category(folder: Path, path: tuple[str, ...], shown) -> tuple[Category, list[Problem]]:
    category = Category(path=path, folder=shown(folder))
    problems: list[Problem] = []
    for file in _yaml_files(folder):
        display = shown(file)
        if file.name == CATEGORY_FILE:
            category.file = display
            node, file_problems, _ = read_yaml_file(file, display)
            problems += file_problems
            if node is not None:
                problems += _fill_category(category, node, display)
            continue
        category.entry_files.append(display)
        node, file_problems, lines = read_yaml_file(file, display)
        problems += file_problems
        if node is not None:
            entries, shape_problems = _entries(node, display, path, lines)
            category.entries += entries
            problems += shape_problems
    for sub in _subfolders(folder):
        child, child_problems = _load_category(sub, path + (sub.name,), shown)
        category.children.append(child)
        problems += child_problems
    return category, problems


def read_yaml_file(path: Path, display: str) -> tuple[Node | None, list[Problem], list[str]]:
    """Parse one file into a YAML node tree and its lines, or report why it cannot be read."""
    node, problems, lines = _read_yaml_bytes(path.read_bytes(), display)
    return node, list(problems), lines


@functools.lru_cache(maxsize=4096)  # the live preview reads every file at every rebuild; few change
def _read_yaml_bytes(raw: bytes, display: str) -> tuple[Node | None, tuple[Problem, ...], list[str]]:
    problems: list[Problem] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem("FAQ003", display, 1, 1, "", "文件开头有 BOM（字节顺序标记）。",
                                "请用编辑器把文件另存为“UTF-8（无 BOM）”。"))
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        problems.append(Problem("FAQ002", display, line, column, "", "文件不是 UTF-8 编码（可能是 GBK）。",
                                "请用编辑器把文件另存为“UTF-8（无 BOM）”编码。"))
        return None, tuple(problems), []
    node, problems = parse_yaml_text(text, display, problems)
    return node, tuple(problems), text.splitlines()


def parse_yaml_text(text: str, display: str, problems: list[Problem] | None = None) -> tuple[Node | None, list[Problem]]:
    problems = [] if problems is None else problems
    tab_lines = [(number, line) for number, line in enumerate(text.splitlines(), 1)
                 if "\t" in line[: len(line) - len(line.lstrip(" \t"))]]
    for number, line in tab_lines:
        column = line.index("\t") + 1
        problems.append(Problem("FAQ004", display, number, column, "", "缩进里有 Tab 字符。",
                                "YAML 只能用空格缩进：请把 Tab 换成两个空格。"))
    if tab_lines:
        return None, problems
    mistakes = _typing_mistakes(text, display)
    if mistakes:
        return None, problems + mistakes
    if not any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines()):
        problems.append(Problem("FAQ005", display, 1, 1, "", "文件是空的，没有任何内容。",
                                "请写入内容，或者删除这个文件。"))
        return None, problems
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        node = None  # read the error again with the pure-Python parser: its messages are the ones we map
    try:
        if node is None:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        detail = " ".join(filter(None, [error.context, error.problem]))
        problems.append(Problem("FAQ001", display, line, column, "", f"YAML 语法错误（{detail}）。",
                                _syntax_hint(str(error))))
        return None, problems
    except yaml.YAMLError as error:
        problems.append(Problem("FAQ001", display, 1, 1, "", f"YAML 语法错误（{error}）。", _syntax_hint(str(error))))
        return None, problems
    if node is None:
        problems.append(Problem("FAQ005", display, 1, 1, "", "文件是空的，没有任何内容。", "请写入内容，或者删除这个文件。"))
    return node, problems


_FIELD = "|".join(sorted(set(ENTRY_FIELDS) | set(CATEGORY_FIELDS), key=len, reverse=True))
# `question：退款？`: the full-width colon of a Chinese input method after a field name.
_FULL_WIDTH_COLON = re.compile(rf"^(?P<lead>\s*(?:-\s+)?)(?P<field>{_FIELD})\s*(?P<colon>：)")
# `-id: x`: the dash that starts an entry, with no space after it.
_DASH_WITHOUT_SPACE = re.compile(rf"^(?P<lead>\s*)-(?P<field>{_FIELD})\s*:")


def _typing_mistakes(text: str, display: str) -> list[Problem]:
    """Mistakes YAML reports lines away from where they are (or not at all), named where they were typed."""
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        colon = _FULL_WIDTH_COLON.match(line)
        if colon:
            field = colon["field"]
            problems.append(Problem("FAQ001", display, number, colon.start("colon") + 1, field,
                                    f"字段 {field} 后面是中文全角冒号“：”，YAML 只认英文冒号“:”。",
                                    f"请把“{field}：”改成“{field}: ”（英文冒号后面加一个空格）。"))
        dash = _DASH_WITHOUT_SPACE.match(line)
        if dash:
            field = dash["field"]
            problems.append(Problem("FAQ001", display, number, len(dash["lead"]) + 1, field,
                                    f"“-{field}:”的“-”后面少了一个空格。",
                                    f"每个条目以“- ”（短横线加空格）开头：请写成“- {field}: ...”。"))
    return problems


def _syntax_hint(message: str) -> str:
    for needle, hint in _SYNTAX_HINTS:
        if needle in message:
            return hint
    return "请检查这一行和上一行的缩进、冒号和引号；值里有特殊字符时用引号括起来。"


def position(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def to_python(node: Node):
    """The Python value of a node, as yaml.safe_load would give it; None where YAML cannot build one."""
    try:
        return SafeConstructor().construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError):
        return _Unreadable(node)


class _Unreadable:
    """A value YAML could not construct (e.g. 2026-13-45 as a date); validate reports its type."""

    def __init__(self, node: Node):
        self.text = node.value if isinstance(node, ScalarNode) else ""

    def __repr__(self) -> str:
        return self.text


def _mapping_items(node: MappingNode, display: str, problems: list[Problem]):
    seen: dict[str, tuple[int, int]] = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, ScalarNode) else str(to_python(key_node))
        if key in seen:
            line, column = position(key_node)
            problems.append(Problem("FAQ007", display, line, column, key,
                                    f"字段 {key} 写了两次（第一次在第 {seen[key][0]} 行），后面的会覆盖前面的。",
                                    "请删掉其中一个，只保留正确的那一个。"))
            continue
        seen[key] = position(key_node)
        yield key, key_node, value_node


def _entries(node: Node, display: str, category: tuple[str, ...], lines: list[str]) -> tuple[list[Entry], list[Problem]]:
    problems: list[Problem] = []
    if not isinstance(node, SequenceNode):
        line, column = position(node)
        problems.append(Problem("FAQ006", display, line, column, "",
                                "条目文件的顶层必须是一个列表，每个条目以“- id: ...”开头。",
                                "请把每个条目写成“- id: xxx”，下面的字段缩进两个空格。"))
        return [], problems
    entries = []
    for item in node.value:
        if not isinstance(item, MappingNode):
            line, column = position(item)
            problems.append(Problem("FAQ110", display, line, column, "",
                                    "这个列表项不是一个条目（应当是若干“字段: 值”）。",
                                    "条目写法：“- id: xxx”，下一行缩进两个空格写“question: ...”。"))
            continue
        entry = Entry(id=None, question=None, answer=None, frequency=None, file=display,
                      position=position(item), category=category)
        present = []
        for key, key_node, value_node in _mapping_items(item, display, problems):
            if key not in ENTRY_FIELDS:
                entry.unknown_fields[key] = position(key_node)
                continue
            present.append(key)
            entry.key_positions[key] = position(key_node)
            entry.value_positions[key] = position(value_node)
            setattr(entry, key, to_python(value_node))
            if isinstance(value_node, SequenceNode):
                entry.item_positions[key] = [position(n) for n in value_node.value]
                if value_node.flow_style:
                    entry.flow_fields.add(key)
            if key == "answer" and isinstance(value_node, ScalarNode) and value_node.style == "|":
                entry.answer_origin = _block_origin(value_node, lines)
        entry.present = tuple(present)
        entries.append(entry)
    return entries, problems


def _block_origin(node: ScalarNode, lines: list[str]) -> tuple[int, int]:
    """Line and indentation of a literal block's first line, so answer lines map back to the file."""
    first = node.start_mark.line + 1  # 0-based index of the line after the "|"
    for index in range(first, min(len(lines), node.end_mark.line + 1)):
        if lines[index].strip():
            return first + 1, len(lines[index]) - len(lines[index].lstrip(" "))
    return first + 1, 0


def _fill_category(category: Category, node: Node, display: str) -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(node, MappingNode):
        line, column = position(node)
        problems.append(Problem("FAQ006", display, line, column, "",
                                "_category.yml 的内容必须是“字段: 值”的形式（title、description、icon、order）。",
                                "例如写成两行：“title: 售后服务”和“icon: material/cash-refund”。"))
        category.shape_error = True
        return problems
    category.position = position(node)
    for key, key_node, value_node in _mapping_items(node, display, problems):
        if key not in ("title", "description", "icon", "order"):
            category.unknown_fields[key] = position(key_node)
            continue
        category.value_positions[key] = position(value_node)
        setattr(category, key, to_python(value_node))
    return problems


def _synonym_groups(node: Node, display: str) -> tuple[list[SynonymGroup], list[Problem]]:
    if not isinstance(node, SequenceNode):
        line, column = position(node)
        return [], [Problem("FAQ006", display, line, column, "",
                            "_synonyms.yml 的顶层必须是一个列表，每一项是一组同义词。",
                            "每行写一组，例如“- [退款, 退钱, 返款]”。")]
    groups = []
    for item in node.value:
        items = item.value if isinstance(item, SequenceNode) else []
        groups.append(SynonymGroup(words=to_python(item), position=position(item),
                                   item_positions=[position(n) for n in items]))
    return groups, []

