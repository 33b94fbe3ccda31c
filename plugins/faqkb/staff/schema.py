"""JSON Schemas for the FAQ YAML, so an editor checks entries and explains each field while staff type.

The schemas are built from the validator's own rules: the field lists in faqkb.model and the id
pattern in faqkb.load, so a field added there shows up here (or fails the tests) instead of drifting.
`faqkb schema` writes them to schemas/, which is committed; .vscode/settings.json points the YAML
extension at them, and tests/test_schema.py fails when the committed files are stale.

A schema sees one file at a time, so it can only check shapes and single values. Everything that
needs the whole tree (duplicate ids, broken links, order by frequency, depth, future dates, icons)
stays with `faqkb validate`, which remains the authority: the schemas are early, friendly hints.

Draft-07 because that is the newest draft yaml-language-server (VS Code's YAML extension)
understands. `errorMessage`, `patternErrorMessage` and `defaultSnippets` are VS Code extensions to
JSON Schema: validators ignore them, and the editor then shows Chinese messages and offers a
template for a new entry.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
from pathlib import Path

from ..files import os_reason
from ..content.syntax import KEBAB, MAX_ID_LENGTH, RESERVED_IDS
from ..content.model import CATEGORY_FIELDS, ENTRY_FIELDS, LIST_FIELDS, REQUIRED_ENTRY_FIELDS

DRAFT = "http://json-schema.org/draft-07/schema#"
ENTRIES_SCHEMA_FILE = "faq-entries.schema.json"
CATEGORY_SCHEMA_FILE = "faq-category.schema.json"
SYNONYMS_SCHEMA_FILE = "faq-synonyms.schema.json"
DEFAULT_OUT = "schemas"

# The validator's id rule, as JSON Schema needs it: a pattern string, valid ECMAScript, that ends where
# the text ends in every engine (Python's "$", which jsonschema uses, also matches before a final "\n").
ID_PATTERN = KEBAB.pattern.removesuffix("$") + r"(?![\s\S])"
# Editors read YAML 1.2, where 2026-11-01 is text, and faqkb reads it as a date: both match this.
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
# "Some visible character": the validator rejects text that is empty or only spaces (FAQ104).
NOT_BLANK = r"\S"

_ID_HELP = (f"小写英文字母和数字，单词之间用一个连字符“-”隔开，最多 {MAX_ID_LENGTH} 个字符，"
            "例如 refund-time、invoice-title。")


def _text(description: str, field: str) -> dict:
    return {
        "type": "string",
        "pattern": NOT_BLANK,
        "description": description,
        "errorMessage": f"{field} 必须是文字。内容会被误读成数字、日期或是/否时，请用引号括起来。",
        "patternErrorMessage": f"{field} 不能是空的。",
    }


def _word_list(description: str, field: str, item: dict | None = None, unique: bool = False) -> dict:
    schema = {
        # Empty (`aliases:` with nothing after it) is allowed: the validator treats it as an empty list.
        "type": ["array", "null"],
        "description": description,
        "errorMessage": f"{field} 必须是列表：写成 {field}: [词语一, 词语二]，或每行一个“- 词语”。",
        "items": item or {
            "type": "string",
            "pattern": NOT_BLANK,
            "errorMessage": f"{field} 的每一项都必须是文字，必要时用引号括起来。",
            "patternErrorMessage": f"{field} 里不能有空的一项。",
        },
    }
    if unique:
        schema["uniqueItems"] = True
    return schema


# Schemas of the entry fields that hold one value; the list fields (faqkb.model.LIST_FIELDS) follow.
_ENTRY_PROPERTIES: dict[str, dict] = {
    "id": {
        "type": "string",
        "pattern": ID_PATTERN,
        "maxLength": MAX_ID_LENGTH,
        "not": {"enum": sorted(RESERVED_IDS)},
        "description": "问题的唯一标识（必填），全站不能重复，也会成为网址：/q/<id>/。" + _ID_HELP
                       + "发布后尽量不要再改，否则别人收藏的链接会失效。",
        "errorMessage": "id 必须是文字（像 2024 这样的纯数字会被读成数字），例如 refund-time、q-2024。",
        "patternErrorMessage": "id 格式不对：" + _ID_HELP,
        "examples": ["refund-time"],
    },
    "question": _text("顾客看到的问题（必填），用顾客自己的话写，例如：退款多久到账？", "question"),
    "answer": _text("答案（必填），支持 Markdown：**加粗**、列表、表格。较长的答案写成“answer: |”，"
                    "下面每一行比 answer 多缩进两个空格。链接到别的问题：[[问题id]] 或 [[问题id|链接文字]]。", "answer"),
    "frequency": {
        "type": "integer",
        "minimum": 0,
        "description": "这个问题被问到的次数（必填），大于等于 0 的整数，不加引号和单位。"
                       "同一个文件里的条目必须按它从高到低排列（make fmt 可以自动排好）；每周的导入会自动更新。",
        "errorMessage": "frequency 必须是大于等于 0 的整数，例如 frequency: 120，不要加引号或单位。",
        "examples": [120],
    },
    "draft": {
        "type": "boolean",
        "description": "草稿（可选）：写 draft: true 时，这个问题照常检查，但不会发布到网站上（本地预览 make serve 里"
                       "会显示，带“草稿”标记）。要发布时删掉这一行。",
        "errorMessage": "draft 只能写 true 或 false。",
        "examples": [True],
    },
    "updated": {
        "type": ["string", "null"],
        "format": "date",
        "pattern": DATE_PATTERN,
        "description": "最后一次核对答案的日期（可选），写成 年-月-日，例如 2026-11-01。会显示为“最后更新”，不能晚于今天。",
        "errorMessage": "updated 必须是日期，写成 年-月-日，例如 2026-11-01。",
        "patternErrorMessage": "updated 要写成 年-月-日，例如 2026-11-01。",
        "examples": ["2026-11-01"],
    },
}

# What each list field is for; every one of faqkb.model.LIST_FIELDS is a list of non-blank words.
_LIST_DESCRIPTIONS: dict[str, str] = {
    "previous_ids": "这个问题以前用过的 id（可选）。改 id 时把旧 id 写在这里，旧网址 /q/<旧id>/ 会自动跳转到这个问题，"
                    "例如：[refund-days]。",
    "aliases": "顾客的其他问法（可选），帮助搜索找到这个问题，例如：[钱什么时候到, 退款进度]。",
    "related": "相关问题的 id（可选），显示在答案下方的“相关问题”里，例如：[return-how, refund-partial]。"
               "只写别的问题的 id，不要写自己，也不要重复。",
    "tags": "标签（可选），也会帮助搜索，例如：[退款, 售后]。",
}
# `related` holds ids: an item that is not an id can never name an entry (FAQ401), and a repeat is an
# error (FAQ404). Repeated aliases or tags are only warnings (FAQ109), which an editor would show as errors.
_LIST_ITEMS: dict[str, dict] = {
    "previous_ids": {
        "type": "string",
        "pattern": ID_PATTERN,
        "errorMessage": "previous_ids 的每一项都必须是一个以前用过的 id（文字）。",
        "patternErrorMessage": "这不是一个有效的 id：" + _ID_HELP,
    },
    "related": {
        "type": "string",
        "pattern": ID_PATTERN,
        "maxLength": MAX_ID_LENGTH,
        "errorMessage": "related 的每一项都必须是另一个问题的 id（文字）。",
        "patternErrorMessage": "这不是一个有效的 id：" + _ID_HELP,
    },
}
_UNIQUE_LISTS = frozenset({"related", "previous_ids"})

_CATEGORY_PROPERTIES: dict[str, dict] = {
    "title": _text("分类名称（必填），显示在导航和分类页上，例如：售后服务。", "title"),
    "description": {
        "type": ["string", "null"],
        "description": "分类的一句话介绍（可选），显示在分类页标题下面。",
        "errorMessage": "description 必须是文字，必要时用引号括起来。",
    },
    "icon": {
        "type": ["string", "null"],
        "description": "分类图标（可选），用 Material 图标名，例如 material/cash-refund、material/truck-delivery。"
                       "图标名不存在时 make validate 会给出警告。",
        "errorMessage": "icon 必须是文字，例如 material/cart。",
    },
    "order": {
        "type": ["integer", "null"],
        "description": "排序（可选），整数，数字小的排在前面。不写则按这个分类里问题的被问次数排序。",
        "errorMessage": "order 必须是整数，例如 order: 1。",
    },
}


def _properties(fields: tuple[str, ...], described: dict[str, dict], what: str) -> dict[str, dict]:
    # A field added to faqkb.model without a schema here must fail loudly, not be rejected as unknown.
    missing = [name for name in fields if name not in described]
    if missing:
        raise KeyError(f"faqkb.schema has no {what} schema for: {', '.join(missing)}")
    return {name: described[name] for name in fields}


def _entry_properties() -> dict[str, dict]:
    described = dict(_ENTRY_PROPERTIES)
    for name in LIST_FIELDS:
        if name in _LIST_DESCRIPTIONS:
            described[name] = _word_list(_LIST_DESCRIPTIONS[name], name, _LIST_ITEMS.get(name), name in _UNIQUE_LISTS)
    return _properties(ENTRY_FIELDS, described, "entry field")


def entries_schema() -> dict:
    """Schema of an entry file: a list of entries (faq/<category>/.../<name>.yml)."""
    entry = {
        "type": "object",
        "description": "一个问题和它的答案。",
        "required": list(REQUIRED_ENTRY_FIELDS),
        "properties": _entry_properties(),
        "additionalProperties": False,
        "errorMessage": "这个列表项不是一个条目：条目写法是“- id: xxx”，下面每行缩进两个空格写“字段: 值”。",
        "defaultSnippets": [{
            "label": "新条目",
            "description": "一个新的问题（id、question、answer、frequency 必填）",
            "body": {"id": "${1:new-question-id}", "question": "${2:问题}", "answer": "${3:答案}", "frequency": 0},
        }],
    }
    return {
        "$schema": DRAFT,
        "title": "FAQ 条目文件",
        "description": "一个条目文件是一个列表，每一项是一个问题：“- id: ...”开头，下面缩进两个空格写 question、answer、"
                       "frequency 等字段。条目按 frequency 从高到低排列。完整检查请运行 make validate。",
        "type": "array",
        "errorMessage": "条目文件的顶层必须是一个列表，每个条目以“- id: ...”开头。",
        "items": {"$ref": "#/definitions/entry"},
        "definitions": {"entry": entry},
    }


def category_schema() -> dict:
    """Schema of a category folder's _category.yml."""
    return {
        "$schema": DRAFT,
        "title": "FAQ 分类（_category.yml）",
        "description": "每个分类目录里的 _category.yml：分类名称、介绍、图标和排序。目录名会成为网址的一部分。",
        "type": "object",
        "required": ["title"],
        "properties": _properties(CATEGORY_FIELDS, _CATEGORY_PROPERTIES, "category field"),
        "additionalProperties": False,
        "errorMessage": "_category.yml 的内容必须是“字段: 值”的形式，至少写一行：title: 分类名称",
    }


def synonyms_schema() -> dict:
    """Schema of faq/_synonyms.yml: groups of words that search treats as the same."""
    return {
        "$schema": DRAFT,
        "title": "FAQ 同义词（_synonyms.yml）",
        "description": "搜索用的同义词：每一行是一组意思相同的词，搜其中一个词也能找到写了其他词的问题。"
                       "一个词只能出现在一组里。",
        "type": "array",
        "errorMessage": "_synonyms.yml 的顶层必须是一个列表，每一项是一组同义词。",
        "items": {
            "type": "array",
            "minItems": 2,
            "description": "一组同义词，至少两个词，例如：[退款, 退钱, 返款]。",
            "errorMessage": "同义词组必须是至少两个词的列表，例如：- [退款, 退钱, 返款]",
            "items": {
                "type": "string",
                "pattern": NOT_BLANK,
                "errorMessage": "同义词必须是文字，必要时用引号括起来。",
                "patternErrorMessage": "同义词组里不能有空的一项。",
            },
        },
    }


def schemas() -> dict[str, dict]:
    """File name -> schema, for everything `faqkb schema` writes."""
    return {
        ENTRIES_SCHEMA_FILE: entries_schema(),
        CATEGORY_SCHEMA_FILE: category_schema(),
        SYNONYMS_SCHEMA_FILE: synonyms_schema(),
    }


def render(schema: dict) -> str:
    # Unescaped Chinese keeps the committed files readable and their diffs reviewable.
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write_schemas(out: Path | str = DEFAULT_OUT) -> list[Path]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        path = out / name
        path.write_text(render(schema), encoding="utf-8", newline="\n")
        written.append(path)
    return written


def _run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    try:
        if out.is_dir() and not os.access(out, os.W_OK | os.X_OK):
            raise PermissionError(errno.EACCES, "Permission denied", str(out))
        written = write_schemas(out)
    except OSError as error:
        where = Path(error.filename).as_posix() if error.filename else out.as_posix()
        print(f"无法写入 {where}：{os_reason(error)}。请用 --out 给出一个可以写入的目录，例如 --out schemas。",
              file=sys.stderr)
        return 1
    for path in written:
        print(f"已写入 {path.as_posix()}")
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("schema", help="生成编辑器用的 JSON Schema（字段说明和实时检查）")
    parser.add_argument("--out", default=DEFAULT_OUT, help=f"输出目录（默认 {DEFAULT_OUT}）")
    parser.set_defaults(run=_run)
