"""Problems found in the content, with stable codes, and their text, GitHub and JSON forms.

Every message is written for content staff: in Chinese, naming the file, line, column and field,
saying what is wrong and how to fix it.
"""

from __future__ import annotations

import json
import reprlib
from dataclasses import asdict, dataclass
from typing import Iterable

from .syntax import FORBIDDEN_CHARACTER

ERROR = "error"
WARNING = "warning"

# code -> (severity, short title). The README's table of codes is generated from this.
CATALOG: dict[str, tuple[str, str]] = {
    "FAQ001": (ERROR, "YAML 语法错误"),
    "FAQ002": (ERROR, "文件不是 UTF-8 编码"),
    "FAQ003": (ERROR, "文件开头有 BOM"),
    "FAQ004": (ERROR, "缩进里有 Tab 字符"),
    "FAQ005": (ERROR, "文件是空的"),
    "FAQ006": (ERROR, "文件的顶层结构不对"),
    "FAQ007": (ERROR, "同一个字段写了两次"),
    "FAQ008": (ERROR, "用 * 引用的内容展开后太大或引用了自己"),
    "FAQ009": (ERROR, "列表或映射嵌套的层数太多"),
    "FAQ101": (ERROR, "缺少必填字段"),
    "FAQ102": (ERROR, "字段类型不对"),
    "FAQ103": (ERROR, "未知字段"),
    "FAQ104": (ERROR, "问题或答案是空的"),
    "FAQ105": (ERROR, "id 格式不对"),
    "FAQ106": (ERROR, "id 重复"),
    "FAQ107": (ERROR, "frequency 不是大于等于 0 的整数"),
    "FAQ108": (ERROR, "updated 日期不对"),
    "FAQ109": (WARNING, "列表里有重复的词"),
    "FAQ110": (ERROR, "条目不是“字段: 值”的形式"),
    "FAQ111": (ERROR, "文字里有看不见的控制字符"),
    "FAQ120": (ERROR, "previous_ids 里写了现有问题的 id"),
    "FAQ121": (ERROR, "同一个旧 id 被两个问题认领"),
    "FAQ122": (WARNING, "列表的一项里有中文逗号"),
    "FAQ201": (ERROR, "层级太深"),
    "FAQ202": (ERROR, "分类目录缺少 _category.yml"),
    "FAQ203": (ERROR, "空分类"),
    "FAQ204": (WARNING, "图标名称不存在"),
    "FAQ205": (ERROR, "目录名不合法"),
    "FAQ206": (ERROR, "条目文件不在分类目录里"),
    "FAQ207": (ERROR, "找不到内容目录"),
    "FAQ208": (ERROR, "符号链接指向内容目录以外或形成循环"),
    "FAQ209": (ERROR, "文件名只有扩展名"),
    "FAQ301": (ERROR, "条目没有按 frequency 从高到低排列"),
    "FAQ401": (ERROR, "related 指向不存在的 id"),
    "FAQ402": (ERROR, "答案里的 [[...]] 链接指向不存在的 id"),
    "FAQ403": (ERROR, "链接指向了自己"),
    "FAQ404": (ERROR, "同一个 id 在列表里出现了两次"),
    "FAQ405": (ERROR, "答案链接到了草稿"),
    "FAQ501": (ERROR, "同义词组格式不对"),
    "FAQ502": (ERROR, "一个词出现在两个同义词组里"),
    "FAQ503": (WARNING, "同义词组里有重复的词"),
}


ECHO_LIMIT = 80  # characters of a value a message quotes at most
# Lists and mappings are shown a few items and levels deep: an alias bomb must not expand here.
_SHORT_REPR = reprlib.Repr()
_SHORT_REPR.maxlevel, _SHORT_REPR.maxlist, _SHORT_REPR.maxdict = 3, 5, 5
_SHORT_REPR.maxstring = _SHORT_REPR.maxother = ECHO_LIMIT


def echo(value: object, limit: int = ECHO_LIMIT) -> str:
    """A value as a message quotes it: on one line, invisible characters written as \\x7f or \\n,
    at most `limit` characters, lists and mappings never expanded beyond a few items."""
    if isinstance(value, (list, tuple, dict, set)):
        text = _SHORT_REPR.repr(value)
    else:
        try:
            text = str(value)
        except ValueError:  # an integer too long to print
            text = "（很长的数字）"
    text = text[: limit + 1]  # escaping only lengthens: enough to tell whether it must be cut
    text = FORBIDDEN_CHARACTER.sub(_escaped, text.replace("\n", "\\n").replace("\t", "\\t"))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _escaped(match) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the content: where, which rule, what and how to fix it."""

    code: str
    file: str
    line: int
    column: int
    field: str
    message: str
    hint: str = ""

    @property
    def severity(self) -> str:
        return CATALOG[self.code][0]

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_text(self) -> str:
        level = "错误" if self.is_error else "警告"
        where = f"{self.file}:{self.line}:{self.column}"
        field = f" [{self.field}]" if self.field else ""
        text = f"{where}: {level} {self.code}{field} {self.message}"
        if self.hint:
            text += f"\n    怎么改：{self.hint}"
        return text

    def as_github(self) -> str:
        kind = "error" if self.is_error else "warning"
        title = f"{self.code} {CATALOG[self.code][1]}"
        body = self.message + (f" 怎么改：{self.hint}" if self.hint else "")
        return (
            f"::{kind} file={github_property(self.file)},line={self.line},col={self.column},"
            f"title={github_property(title)}::{github_data(body)}"
        )

    def as_dict(self) -> dict:
        data = asdict(self)
        data["severity"] = self.severity
        data["title"] = CATALOG[self.code][1]
        return data


def github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in reading order: by file, then line and column."""
    return sorted(problems, key=lambda p: (p.file, p.line, p.column, p.code))


def format_problems(problems: Iterable[Problem], fmt: str = "text") -> str:
    """Render problems as `text` (for people), `github` (Actions annotations) or `json`."""
    ordered = sort_problems(problems)
    if fmt == "json":
        return json.dumps([p.as_dict() for p in ordered], ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(p.as_github() for p in ordered)
    return "\n".join(p.as_text() for p in ordered)


def preview_notice(problems: Iterable[Problem], showing_last_good: bool, limit: int = 20) -> dict:
    """What the live preview shows above every page while the content has errors (plain text: the
    template escapes it). The first `limit` problems, errors first, in reading order."""
    ordered = sorted(sort_problems(problems), key=lambda p: not p.is_error)
    return {
        "summary": summary(ordered),
        "problems": [{"where": f"{p.file}:{p.line}:{p.column}", "level": "错误" if p.is_error else "警告",
                      "code": p.code, "field": p.field, "message": p.message, "hint": p.hint}
                     for p in ordered[:limit]],
        "more": max(0, len(ordered) - limit),
        "showing_last_good": showing_last_good,
    }


def summary(problems: Iterable[Problem]) -> str:
    problems = list(problems)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if not problems:
        return "检查通过：没有发现问题。"
    return f"发现 {errors} 个错误，{warnings} 个警告。"
