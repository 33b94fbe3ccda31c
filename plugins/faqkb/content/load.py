"""Step 1: read the YAML under the content root into entries and categories, with positions.

Only problems that stop a file from being read are reported here (encoding, BOM, tabs,
syntax, shape); everything about the values is `validate`'s job.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .model import CATEGORY_FIELDS, CATEGORY_FILE, ENTRY_FIELDS, SYNONYMS_FILE, Category, Content, Entry, SynonymGroup
from .problems import Problem, echo
from .syntax import FORBIDDEN_CHARACTER, character_name

YAML_SUFFIXES = (".yml", ".yaml")
# Lists and mappings inside each other: an entries file needs three levels (the list of entries,
# an entry, a list field). Deeper is a mistake, and hundreds of levels would exhaust Python's stack.
MAX_NESTING = 20
# How much larger aliases (*name) may make a file's values than they are written: repeating a
# short list is fine; an "anchor bomb" of 1 KB expands to gigabytes.
ALIAS_BUDGET = 100_000  # characters
RAW_CHARACTER_REPORTS = 10  # per file: one invisible character is usually pasted with many more
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


def load_content(root: Path | str, display_base: Path | str | None = None,
                 parsed_files: dict | None = None) -> tuple[Content, list[Problem]]:
    """Read every category folder and entry file under `root`.

    `parsed_files` (from an earlier load, updated in place) saves parsing unchanged files again:
    the live preview reads every file at every rebuild, and few change. A build parses each file
    once and keeps no parse trees (at 50,000 questions they were 320 MB held to the end).

    File names in problems are shown relative to `display_base` (default: the folder that holds
    `root`, so they read `faq/...` as in the repository), as the path they were reached by: a
    symbolic link inside the tree is shown as the link.
    """
    root = Path(root)
    base = Path(display_base) if display_base is not None else root.resolve().parent
    content = Content(root=root)
    walk = _Walk(root, base, parsed_files)

    if not root.is_dir():
        walk.problems.append(Problem("FAQ207", walk.shown(root), 1, 1, "", f"找不到内容目录 {walk.shown(root)}。",
                                     "请确认 FAQ 内容放在这个目录里，或在 mkdocs.yml 的 faqkb 插件里设置 content_dir。"))
        return content, walk.problems

    for path in walk.yaml_files(root):
        if path.name == SYNONYMS_FILE:
            content.synonyms_file = walk.shown(path)
            node, file_problems, _ = read_yaml_file(path, content.synonyms_file, walk.parsed_files)
            walk.problems += file_problems
            if node is not None:
                groups, shape_problems = _synonym_groups(node, content.synonyms_file)
                content.synonyms = groups
                walk.problems += shape_problems
        else:
            content.stray_files.append(walk.shown(path))

    for folder in walk.subfolders(root):
        content.categories.append(_load_category(folder, (folder.name,), walk))

    content.entries = [entry for category in content.walk_categories() for entry in category.entries]
    return content, walk.problems


class _Walk:
    """The walk through the content folder: which folders it is inside (by their real path, so a
    symbolic link back up the tree is seen as a loop), and how a path is shown in problems."""

    def __init__(self, root: Path, base: Path, parsed_files: dict | None):
        self.root = root
        self.parsed_files = parsed_files
        self.root_real = Path(os.path.realpath(root))
        self.base_real = Path(os.path.realpath(base))
        self.inside = [self.root_real]  # real paths of the folders being walked, outermost first
        self.problems: list[Problem] = []

    def shown(self, path: Path) -> str:
        try:
            real = self.root_real / path.relative_to(self.root)
        except ValueError:  # already a real path (a link's own place)
            real = Path(os.path.abspath(path))
        try:
            return Path(os.path.relpath(real, self.base_real)).as_posix()
        except ValueError:
            return path.as_posix()

    def yaml_files(self, folder: Path) -> list[Path]:
        found = []
        for path in _listing(folder):
            if path.name in (".yml", ".yaml"):
                self.problems.append(Problem(
                    "FAQ209", self.shown(path), 1, 1, "", f"文件名只有扩展名“{path.name}”，没有名字，faqkb 不会读取它。",
                    "请给它起个名字，例如 refunds.yml（名字不要以点开头）；不需要的话请删除它。"))
            elif path.suffix in YAML_SUFFIXES and not path.name.startswith(".") and self._followed(path, False):
                found.append(path)
        return found

    def subfolders(self, folder: Path) -> list[Path]:
        return [path for path in _listing(folder) if not path.name.startswith((".", "_")) and self._followed(path, True)]

    def _followed(self, path: Path, want_folder: bool) -> bool:
        """Whether to read `path` as a file (or walk it as a folder); a symbolic link that leaves
        the content folder, points nowhere or leads back into a folder being walked is reported
        (named where the link itself is) and not followed."""
        if not path.is_symlink():
            return path.is_dir() if want_folder else path.is_file()
        target = Path(os.path.realpath(path))
        if not target.exists():
            if want_folder:  # reported once, by the files' pass, when named like a content file
                return False
            why, fix = f"指向的“{echo(os.readlink(path))}”不存在", "请删除这个链接，或让它指向内容目录里存在的文件。"
        elif target.is_dir() != want_folder:
            return False
        elif target != self.root_real and self.root_real not in target.parents:
            why = f"指向内容目录以外的“{echo(os.readlink(path))}”"
            fix = "faqkb 只读取内容目录里的文件：请把要用的文件复制进来，再删除这个链接。"
        elif want_folder and target in self.inside:
            why, fix = "指回了它所在的目录或上级目录，会形成循环", "请删除这个链接：内容目录里的文件夹不需要链接也会被读取。"
        else:
            return True
        where = self.shown(Path(os.path.realpath(path.parent)) / path.name)
        problem = Problem("FAQ208", where, 1, 1, "", f"符号链接 {where} {why}。", fix)
        if problem not in self.problems:  # a link reached again through another link
            self.problems.append(problem)
        return False


def _listing(folder: Path) -> list[Path]:
    try:
        return sorted(folder.iterdir())
    except OSError:
        return []


def _load_category(folder: Path, path: tuple[str, ...], walk: _Walk) -> Category:
    category = Category(path=path, folder=walk.shown(folder))
    walk.inside.append(Path(os.path.realpath(folder)))
    for file in walk.yaml_files(folder):
        display = walk.shown(file)
        if file.name == CATEGORY_FILE:
            category.file = display
            node, file_problems, _ = read_yaml_file(file, display, walk.parsed_files)
            walk.problems += file_problems
            if node is not None:
                walk.problems += _fill_category(category, node, display)
            continue
        category.entry_files.append(display)
        node, file_problems, lines = read_yaml_file(file, display, walk.parsed_files)
        walk.problems += file_problems
        if node is not None:
            entries, shape_problems = _entries(node, display, path, lines)
            category.entries += entries
            walk.problems += shape_problems
    for sub in walk.subfolders(folder):
        category.children.append(_load_category(sub, path + (sub.name,), walk))
    walk.inside.pop()
    return category


def read_yaml_file(path: Path, display: str,
                   parsed_files: dict | None = None) -> tuple[Node | None, list[Problem], list[str]]:
    """Parse one file into a YAML node tree and its lines, or report why it cannot be read."""
    raw = path.read_bytes()
    if parsed_files is None:
        node, problems, lines = _read_yaml_bytes(raw, display)
    else:
        known = parsed_files.get(display)
        if known is None or known[0] != raw:
            known = parsed_files[display] = (raw, _read_yaml_bytes(raw, display))
        node, problems, lines = known[1]
    return node, list(problems), lines


def _read_yaml_bytes(raw: bytes, display: str) -> tuple[Node | None, tuple[Problem, ...], list[str]]:
    problems: list[Problem] = []
    if _utf16(raw):
        problems.append(Problem("FAQ002", display, 1, 1, "", "文件是 UTF-16 编码（Windows 记事本叫它“Unicode”），不是 UTF-8。",
                                "请把文件另存为 UTF-8：记事本里“另存为”，编码选“UTF-8”；VS Code 里点右下角的“UTF-16 LE”，"
                                "选“通过编码保存”，再选“UTF-8”。"))
        return None, tuple(problems), []
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


def _utf16(raw: bytes) -> bool:
    """UTF-16, with or without its byte-order mark: every other byte of the ASCII parts is zero
    (text in UTF-8 never holds a zero byte)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    even, odd = raw[0::2].count(0), raw[1::2].count(0)
    return max(even, odd) >= 4 and min(even, odd) * 10 <= max(even, odd)


def parse_yaml_text(text: str, display: str, problems: list[Problem] | None = None) -> tuple[Node | None, list[Problem]]:
    """The YAML node tree of one file's text, or None with the problems that stop it being read."""
    problems = [] if problems is None else problems
    lines = text.splitlines()
    tab_lines = [(number, line) for number, line in enumerate(lines, 1)
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
    if not any(line.strip() and not line.lstrip().startswith("#") for line in lines):
        problems.append(Problem("FAQ005", display, 1, 1, "", "文件是空的，没有任何内容。",
                                "请写入内容，或者删除这个文件。"))
        return None, problems
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as error:
        invisible = _invisible_characters(text, display) if isinstance(error, yaml.reader.ReaderError) else []
        if invisible:
            return None, problems + invisible
        if "exceeded maximum nesting depth" in str(error):  # libyaml stops at 1,000 levels
            problems.append(_too_deep(display, _deepest_position(text)))
            return None, problems
        node = None  # read the error again with the pure-Python parser: its messages are the ones we map
    try:
        if node is None:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        problems.append(_too_deep(display, _deepest_position(text)))
        return None, problems
    except yaml.MarkedYAMLError as error:
        problems.append(_syntax_error(text, display, error))
        return None, problems
    except yaml.YAMLError as error:
        problems.append(Problem("FAQ001", display, 1, 1, "", f"YAML 语法错误（{error}）。", _syntax_hint(str(error))))
        return None, problems
    if node is None:
        problems.append(Problem("FAQ005", display, 1, 1, "", "文件是空的，没有任何内容。", "请写入内容，或者删除这个文件。"))
        return None, problems
    shape = _shape_problem(node, text, display)
    if shape:
        problems.append(shape)
        return None, problems
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
def _invisible_characters(text: str, display: str) -> list[Problem]:
    """Characters YAML refuses in a file (controls, DEL, C1, noncharacters), each with its line and
    column: the reader's own error says only "position 1234"."""
    found = []
    for match in FORBIDDEN_CHARACTER.finditer(text):
        if match.group(0) == "\r":  # Windows line ends are fine
            continue
        if len(found) == RAW_CHARACTER_REPORTS:
            more = sum(1 for m in FORBIDDEN_CHARACTER.finditer(text, match.start()) if m.group(0) != "\r")
            last = found[-1]
            found[-1] = Problem(last.code, last.file, last.line, last.column, last.field,
                                last.message + f"这个文件里还有 {more} 个这样的字符没有一一列出。", last.hint)
            break
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        found.append(Problem("FAQ001", display, line, column, "",
                             f"这里有一个看不见的字符 {character_name(match.group(0))}，YAML 文件里不能有它。",
                             "请删掉它（把光标放在这个位置前后按删除键）：这类字符多半是从网页、聊天工具或"
                             " Word 复制文字时带进来的，VS Code 会把它显示成红色的小方块。"))
    return found


def _syntax_error(text: str, display: str, error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    opened = _unclosed_quote(text, line)
    if opened:
        quote_line, quote_column, quote = opened
        return Problem("FAQ001", display, quote_line, quote_column, "",
                       f"YAML 语法错误：这一行的引号 {quote} 没有关上，后面的内容都被当成了它的一部分"
                       f"（直到第 {line} 行才出错）。",
                       f"请在这一行的值末尾补上引号 {quote}，或去掉开头的引号 {quote}。")
    detail = " ".join(filter(None, [error.context, error.problem]))
    return Problem("FAQ001", display, line, column, "", f"YAML 语法错误（{detail}）。", _syntax_hint(str(error)))


_QUOTE_TRIES = 5
_QUOTED_VALUE = re.compile(r"""^(?P<lead>\s*(?:-\s+)*(?:[^\s#"'][^:#]*:\s+)?)(?P<quote>["'])""")


def _unclosed_quote(text: str, error_line: int) -> tuple[int, int, str] | None:
    """A line before the error whose quoted value is not closed on that line, if closing it there
    makes the file readable: the parser only notices such a quote where a later quote ends it."""
    lines = text.split("\n")
    tries = 0
    for index in range(min(error_line, len(lines)) - 1):
        match = _QUOTED_VALUE.match(lines[index])
        if not match or _closes(lines[index], match.end(), match.group("quote")):
            continue
        tries += 1
        if tries > _QUOTE_TRIES:  # each try reads the whole file again
            return None
        fixed = "\n".join(lines[:index] + [lines[index].rstrip() + match.group("quote")] + lines[index + 1:])
        try:
            yaml.compose(fixed, Loader=_Loader)
        except yaml.YAMLError:
            continue
        except RecursionError:
            return None
        return index + 1, match.end(), match.group("quote")
    return None


def _closes(line: str, start: int, quote: str) -> bool:
    index = start
    while index < len(line):
        char = line[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if char == quote:
            if quote == "'" and line[index + 1: index + 2] == "'":  # '' is a quote inside '...'
                index += 2
                continue
            return True
        index += 1
    return False


def _too_deep(display: str, where: tuple[int, int]) -> Problem:
    return Problem("FAQ009", display, where[0], where[1], "",
                   f"列表或映射一层套一层，超过了 {MAX_NESTING} 层。",
                   "条目文件最多只需要三层：条目的列表、每个条目的“字段: 值”、aliases 这样的列表。"
                   "请检查这一行的方括号 [ ] 和花括号 { } 是否多写了，或缩进是否一行比一行多。")


def _deepest_position(text: str) -> tuple[int, int]:
    """Where the nesting first goes past MAX_NESTING, read from the pure-Python parser's events: it
    neither recurses nor, unlike libyaml, stops at 1,000 levels before its first event."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_NESTING:
                    return event.start_mark.line + 1, event.start_mark.column + 1
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        if mark:
            return mark.line + 1, mark.column + 1
    return 1, 1


def _shape_problem(root: Node, text: str, display: str) -> Problem | None:
    """Nesting deeper than MAX_NESTING (FAQ009), or aliases that expand the values by more than
    ALIAS_BUDGET or refer to themselves (FAQ008)."""
    if "&" not in text or not _ANCHOR.search(text):  # no anchor, no alias: a plain tree, only its depth to check
        too_deep = _deeper_than(root, MAX_NESTING)
        return _too_deep(display, position(too_deep)) if too_deep is not None else None
    cap = len(text) + ALIAS_BUDGET + 1
    shape = _Shape(root, cap)
    if shape.height[id(root)] > MAX_NESTING:
        node, depth = root, 0
        while depth < MAX_NESTING:
            node = max((child for child in _children(node) if id(child) in shape.height),
                       key=lambda child: shape.height[id(child)])
            depth += 1
        return _too_deep(display, position(node))
    if shape.cyclic or shape.weight[id(root)] - shape.written > ALIAS_BUDGET:
        line, column, name = _worst_alias(text, cap)
        return Problem("FAQ008", display, line, column, "",
                       f"用 *{echo(name, 20)} 引用的内容" + ("引用了它自己，展开后没有尽头。" if shape.cyclic else
                                                         f"展开后太大：整个文件会多出超过 {ALIAS_BUDGET} 个字符。"),
                       "YAML 的 &名称 和 *名称 只适合重复一小段内容，不能一层套一层地引用：请把要重复的内容直接写出来。")
    return None


# "&name" where YAML reads an anchor: at the start of a value (or of the text), after a space or
# a flow indicator. Also matches some answers' "&nbsp;", which only costs the slower check.
_ANCHOR = re.compile(r"(?:^|[\s\[\{,])&[^\s\[\]\{\},]")


def _deeper_than(root: Node, limit: int) -> Node | None:
    """The first list or mapping nested more than `limit` deep in a tree without aliases, if any."""
    if type(root) is ScalarNode:
        return None
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return node
        if type(node) is SequenceNode:
            stack += [(child, depth + 1) for child in node.value if type(child) is not ScalarNode]
        else:
            for key, value in node.value:
                if type(key) is not ScalarNode:
                    stack.append((key, depth + 1))
                if type(value) is not ScalarNode:
                    stack.append((value, depth + 1))
    return None


class _Shape:
    """Height and expanded size of every distinct node, in one pass without recursion. An alias is
    the node it names, so an anchor bomb's 9**8 values are 9 × 8 nodes here."""

    def __init__(self, root: Node, cap: int):
        self.height: dict[int, int] = {}
        self.weight: dict[int, int] = {}  # characters of the value with aliases expanded, at most `cap`
        self.written = 0  # the same, each node counted once
        self.cyclic = False
        entered: set[int] = set()
        stack: list[Node] = [root]
        while stack:
            node = stack[-1]
            key = id(node)
            if key in self.height:
                stack.pop()
                continue
            children = _children(node)
            if key not in entered:
                entered.add(key)
                self.written += len(node.value) + 1 if isinstance(node, ScalarNode) else 1
                for child in children:
                    if id(child) in entered and id(child) not in self.height:
                        self.cyclic = True  # an alias inside the value it names
                    elif id(child) not in self.height:
                        stack.append(child)
                continue
            stack.pop()
            if isinstance(node, ScalarNode):
                self.height[key], self.weight[key] = 0, len(node.value) + 1
                continue
            done = [child for child in children if id(child) in self.height]
            self.height[key] = 1 + max((self.height[id(child)] for child in done), default=0)
            complete = len(done) == len(children)
            self.weight[key] = min(cap, 1 + sum(self.weight[id(child)] for child in done)) if complete else cap


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return node.value
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _worst_alias(text: str, cap: int) -> tuple[int, int, str]:
    """Line, column and name of the first alias whose value alone expands past the budget (else of
    the one that expands most), reading the file again with the pure-Python composer, which can say
    where each alias is (nesting is checked by then)."""
    loader = _AliasRecorder(text)
    try:
        root = loader.get_single_node()
    except (yaml.YAMLError, RecursionError):
        return 1, 1, ""
    finally:
        loader.dispose()
    weight = _Shape(root, cap).weight
    uses = [(-weight.get(id(node), cap), mark.line, mark.column, name) for mark, name, node in loader.uses]
    if not uses:
        return 1, 1, ""
    _, line, column, name = min(uses)
    return line + 1, column + 1, name


class _AliasRecorder(yaml.SafeLoader):
    """Composes a document and records each alias: (where, anchor name, the node it names)."""

    def __init__(self, stream):
        super().__init__(stream)
        self.uses: list = []

    def compose_node(self, parent, index):
        if self.check_event(AliasEvent):
            event = self.peek_event()
            node = super().compose_node(parent, index)
            self.uses.append((event.start_mark, event.anchor, node))
            return node
        return super().compose_node(parent, index)


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
        key = key_node.value if isinstance(key_node, ScalarNode) else echo(to_python(key_node))
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

