"""How ids and links are written in the content: the rules load, validate, link and schema share."""

from __future__ import annotations

import re

# An id, and a category folder's name: lowercase ASCII words joined by single hyphens. Always
# fullmatch: with match(), "$" also matches before a final newline ("evil-id\n").
KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# An id is a folder name on disk and part of a URL: file systems stop at 255 bytes, and people
# read and type these.
MAX_ID_LENGTH = 80
# The placeholder page every question page is made from (site/layout.py) lives at q/<this>/.
SLOT_ID = "faqkb-slot-id"
RESERVED_IDS = frozenset({SLOT_ID})

# [[refund-time]] or [[refund-time|自定义文字]] in an answer
INLINE_LINK = re.compile(r"\[\[(?P<id>[^\[\]|\n]+)(?:\|(?P<text>[^\[\]\n]+))?\]\]")

# Characters no text field may hold: C0 controls but tab and line feed, DEL, the C1 controls,
# lone surrogates and the noncharacters (U+FDD0–U+FDEF and the last two of every plane). YAML's
# reader refuses them written into a file, but a quoted "\x7f" or "\uffff" escape writes them into
# a value, and a page's front matter then no longer parses.
FORBIDDEN_CHARACTER = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane * 0x10000 + 0xfffe)}{chr(plane * 0x10000 + 0xffff)}" for plane in range(17))
    + "]")


def is_kebab(text: object) -> bool:
    return isinstance(text, str) and KEBAB.fullmatch(text) is not None


def id_fault(value: object) -> str | None:
    """Why `value` cannot be an id (Chinese, for staff), or None when it can."""
    if not isinstance(value, str) or not is_kebab(value):
        return "只能用小写英文字母、数字和单个连字符"
    if len(value) > MAX_ID_LENGTH:
        return f"太长了（{len(value)} 个字符，最多 {MAX_ID_LENGTH} 个字符）：id 会成为网址和文件夹名"
    if value in RESERVED_IDS:
        return "被网站内部占用了（它是问题页面模板的占位名）"
    return None


def forbidden_character(text: str) -> re.Match | None:
    """The first character of `text` that no text field may hold, if any."""
    return FORBIDDEN_CHARACTER.search(text)


def character_name(char: str) -> str:
    """U+007F (DEL): how a message names a character staff cannot see."""
    names = {"\x00": "NUL", "\t": "Tab", "\r": "回车符 CR", "\x1b": "ESC", "\x7f": "DEL", "\x85": "NEL",
             "\ufeff": "BOM"}
    code = f"U+{ord(char):04X}"
    if char in names:
        return f"{code}（{names[char]}）"
    if "\ud800" <= char <= "\udfff":
        return f"{code}（不成对的代理项）"
    if "\x80" <= char <= "\x9f":
        return f"{code}（C1 控制字符）"
    if ord(char) < 0x20:
        return f"{code}（控制字符）"
    return f"{code}（非字符）"


def inline_targets(answer: str) -> list[str]:
    """The ids an answer links to with [[id]], in order."""
    return [match.group("id").strip() for match in INLINE_LINK.finditer(answer)]
