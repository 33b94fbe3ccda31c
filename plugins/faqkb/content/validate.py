"""Step 2: check loaded content against the content rules; returns every problem at once."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from typing import Any

from .model import CATEGORY_FIELDS, RESERVED_TOP_LEVEL, ENTRY_FIELDS, LIST_FIELDS, REQUIRED_ENTRY_FIELDS, Category, Content, Entry
from .problems import Problem, echo
from .syntax import INLINE_LINK, MAX_ID_LENGTH, character_name, forbidden_character, id_fault, is_kebab

FIELD_NAMES_ZH = {
    "id": "唯一标识，小写英文加连字符，例如 refund-time",
    "question": "问题",
    "answer": "答案（Markdown）",
    "frequency": "被问次数（整数）",
    "aliases": "别的问法（列表）",
    "related": "相关问题的 id（列表）",
    "tags": "标签（列表）",
    "updated": "最后核对日期，例如 2026-11-01",
    "previous_ids": "这个问题以前用过的 id（列表），旧网址会自动跳转过来",
    "draft": "草稿：true 表示暂不发布",
}


def validate(
    content: Content,
    *,
    today: dt.date,
    max_depth: int = 4,
    icon_exists: Callable[[str], bool] | None = None,
) -> list[Problem]:
    """All problems in `content`: fields, ids, structure, ordering, links and synonyms.

    `today` is the shop's date (dates.shop_today): `updated` may not be later.
    """
    problems: list[Problem] = []
    for stray in content.stray_files:
        problems.append(Problem("FAQ206", stray, 1, 1, "", "条目文件必须放在分类目录里，不能直接放在内容根目录下。",
                                "请把它移到某个分类目录（带 _category.yml 的文件夹）里。"))
    for category in content.walk_categories():
        problems += _check_category(category, max_depth, icon_exists)
    for entry in content.entries:
        problems += _check_entry_fields(entry, today)
    problems += _check_ids(content.entries)
    problems += _check_previous_ids(content.entries)
    problems += _check_order(content)
    problems += _check_links(content)
    problems += _check_synonyms(content)
    return problems


def has_errors(problems: list[Problem]) -> bool:
    return any(p.is_error for p in problems)


def suggest(word: str, choices, n: int = 3, cutoff: float = 0.6) -> list[str]:
    return difflib.get_close_matches(word, list(choices), n=n, cutoff=cutoff)


def _did_you_mean(word: str, choices, cutoff: float = 0.6) -> str:
    close = suggest(word, choices, cutoff=cutoff)
    return "是不是想写 " + " 或 ".join(f"“{echo(c)}”" for c in close) + "？" if close else ""


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "是/否（true/false）"
    if isinstance(value, int):
        return "数字"
    if isinstance(value, float):
        return "小数"
    if isinstance(value, str):
        return "文字"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "“字段: 值”映射"
    if isinstance(value, (dt.date, dt.datetime)):
        return "日期"
    if value is None:
        return "空值"
    return "无法识别的值"


def _check_category(category: Category, max_depth: int, icon_exists) -> list[Problem]:
    problems = []
    where = category.file or category.folder
    if not is_kebab(category.slug):
        problems.append(Problem("FAQ205", category.folder, 1, 1, "",
                                f"目录名“{echo(category.slug)}”不合法：目录名会成为网址的一部分。",
                                "请只用小写英文字母、数字和连字符，例如 after-sales。"))
    if category.depth == 1 and category.slug in RESERVED_TOP_LEVEL:
        problems.append(Problem("FAQ205", category.folder, 1, 1, "",
                                f"目录名“{category.slug}”被网站自己占用了（{', '.join(sorted(RESERVED_TOP_LEVEL))}）。",
                                "请给这个分类换一个目录名。"))
    if category.depth > max_depth - 1 and category.file is not None:
        line, column = category.position
        problems.append(Problem("FAQ201", where, line, column, "",
                                f"分类层级太深：这个目录里的问题在第 {category.depth + 1} 层，最多允许 {max_depth} 层"
                                f"（最多 {max_depth - 1} 层分类目录）。",
                                "请把这个目录移到上一级，或与上级分类合并。"))
    if category.file is None:
        hint = "请在这个目录里新建 _category.yml，至少写一行：title: 分类名称"
        problems.append(Problem("FAQ202", category.folder, 1, 1, "", f"分类目录 {category.folder} 里没有 _category.yml。", hint))
        # Also on a line a pull request's diff holds (a folder has none): the first of each entry file.
        for file in category.entry_files:
            problems.append(Problem("FAQ202", file, 1, 1, "",
                                    f"这个文件所在的分类目录 {category.folder} 里没有 _category.yml。", hint))
    else:
        problems += _check_category_fields(category, icon_exists)
    if not category.entries and not category.children and not category.entry_files:
        problems.append(Problem("FAQ203", where, 1, 1, "", "这个分类是空的：既没有问题，也没有子分类。",
                                "请添加至少一个问题文件，或者删除这个目录。"))
    for entry in category.entries:
        if entry.level > max_depth:
            line, column = entry.position
            problems.append(Problem("FAQ201", entry.file, line, column, "id",
                                    f"问题“{echo(entry.id)}”在第 {entry.level} 层，超过了最多 {max_depth} 层的限制。",
                                    f"请把这个文件移到不超过 {max_depth - 1} 层的分类目录里。"))
    return problems


def _check_category_fields(category: Category, icon_exists) -> list[Problem]:
    problems = []
    file = category.file
    for name, pos in category.unknown_fields.items():
        hint = _did_you_mean(name, CATEGORY_FIELDS) or f"_category.yml 只能有这些字段：{', '.join(CATEGORY_FIELDS)}。"
        problems.append(Problem("FAQ103", file, *pos, echo(name), f"未知字段“{echo(name)}”。", hint))
    line, column = category.position
    if category.shape_error:
        pass
    elif category.title is None:
        problems.append(Problem("FAQ101", file, line, column, "title", "缺少必填字段 title（分类名称）。",
                                "请加上一行：title: 分类名称"))
    elif not isinstance(category.title, str) or not category.title.strip():
        pos = category.value_positions.get("title", category.position)
        problems.append(Problem("FAQ102", file, *pos, "title", "title 必须是非空的文字。", "例如：title: 售后服务"))
    for name in ("description", "icon"):
        value = getattr(category, name)
        if value not in (None, "") and not isinstance(value, str):
            pos = category.value_positions.get(name, category.position)
            problems.append(Problem("FAQ102", file, *pos, name, f"{name} 必须是文字，这里是{_type_name(value)}。",
                                    "请写成文字，必要时用引号括起来。"))
    for name in ("title", "description", "icon"):
        value = getattr(category, name)
        if isinstance(value, str):
            problems += _invisible_character(file, category.value_positions.get(name, category.position), name, value)
    order = category.order
    if order is not None and (isinstance(order, bool) or not isinstance(order, int)):
        pos = category.value_positions.get("order", category.position)
        problems.append(Problem("FAQ102", file, *pos, "order", f"order 必须是整数，这里是{_type_name(order)}。",
                                "例如：order: 1（数字小的排在前面）；不写则按被问次数排序。"))
    if isinstance(category.icon, str) and category.icon and icon_exists and not icon_exists(category.icon):
        pos = category.value_positions.get("icon", category.position)
        problems.append(Problem("FAQ204", file, *pos, "icon", f"图标“{echo(category.icon)}”不存在，将显示默认图标。",
                                "请用 Material 图标名，例如 material/cart、material/truck-delivery。"))
    return problems


def _check_entry_fields(entry: Entry, today: dt.date) -> list[Problem]:
    problems = []
    file = entry.file
    for name, pos in entry.unknown_fields.items():
        hint = _did_you_mean(name, ENTRY_FIELDS, cutoff=0.5) or f"条目只能有这些字段：{', '.join(ENTRY_FIELDS)}。"
        problems.append(Problem("FAQ103", file, *pos, echo(name), f"未知字段“{echo(name)}”。", hint))
    for name in REQUIRED_ENTRY_FIELDS:
        if name not in entry.present:
            line, column = entry.position
            label = f"“{echo(entry.id)}”" if isinstance(entry.id, str) else ""
            problems.append(Problem("FAQ101", file, line, column, name,
                                    f"条目{label}缺少必填字段 {name}（{FIELD_NAMES_ZH[name]}）。",
                                    f"请在这个条目里加上“{name}: ...”。"))
    if "id" in entry.present and (fault := id_fault(entry.id)):
        problems.append(Problem("FAQ105", file, *entry.where("id"), "id", f"id“{echo(entry.id)}”格式不对：{fault}。",
                                f"例如 refund-time、invoice-title。{_id_suggestion(entry.id)}"))
    for name in ("question", "answer"):
        if name not in entry.present:
            continue
        value = getattr(entry, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.append(Problem("FAQ104", file, *entry.where(name), name, f"{name} 是空的。",
                                    "请填写内容；答案较长时用“answer: |”后面换行缩进书写。"))
        elif not isinstance(value, str):
            problems.append(Problem("FAQ102", file, *entry.where(name), name,
                                    f"{name} 必须是文字，这里是{_type_name(value)}。",
                                    f"请直接写文字；内容会被误读时用引号括起来，例如 {name}: \"2024 年发票\"。"))
        else:
            at = (lambda offset: _answer_position(entry, offset)) if name == "answer" else entry.where(name)
            problems += _invisible_character(file, at, name, value)
    if "draft" in entry.present and not isinstance(entry.draft, bool):
        problems.append(Problem("FAQ102", file, *entry.where("draft"), "draft",
                                f"draft 必须是 true 或 false，这里是{_type_name(entry.draft)}。",
                                "暂不发布写 draft: true；要发布时删掉这一行，或写 draft: false。"))
    if "frequency" in entry.present:
        value = entry.frequency
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems.append(Problem("FAQ107", file, *entry.where("frequency"), "frequency",
                                    f"frequency 必须是大于等于 0 的整数，这里是“{echo(value)}”。",
                                    "请写被问次数，例如 frequency: 120，不要加引号或单位。"))
    for name in LIST_FIELDS:
        if name not in entry.present:
            continue
        value = getattr(entry, name)
        if value is None:
            setattr(entry, name, [])
            continue
        if not isinstance(value, list):
            problems.append(Problem("FAQ102", file, *entry.where(name), name,
                                    f"{name} 必须是列表，这里是{_type_name(value)}。",
                                    f"写成 {name}: [词语一, 词语二]，或每行一个“- 词语”。"))
            continue
        positions = entry.item_positions.get(name, [])
        seen: set[str] = set()
        for index, item in enumerate(value):
            pos = positions[index] if index < len(positions) else entry.where(name)
            if not isinstance(item, str) or not item.strip():
                problems.append(Problem("FAQ102", file, *pos, name,
                                        f"{name} 的第 {index + 1} 项必须是非空的文字，这里是{_type_name(item)}。",
                                        "请写成文字，必要时用引号括起来。"))
                continue
            if name != "related":  # an id with such a character is reported as a missing id
                problems += _invisible_character(file, pos, name, item, f"{name} 的第 {index + 1} 项")
            if item in seen and name != "related":  # duplicate related ids are FAQ404, checked with links
                problems.append(Problem("FAQ109", file, *pos, name, f"{name} 里“{echo(item)}”出现了两次。", "请删掉重复的一项。"))
            elif name in ("aliases", "tags") and "，" in item and name in entry.flow_fields:
                words = "、".join(f"“{word.strip()}”" for word in item.split("，") if word.strip())
                problems.append(Problem("FAQ122", file, *pos, name,
                                        f"{name} 里的“{echo(item)}”是一项：中文逗号“，”不会把它分开。",
                                        f"如果想写成几项（{echo(words)}），请改用英文逗号加空格，例如 {name}: [退钱, 返款]。"))
            seen.add(item)
    if "updated" in entry.present and entry.updated is not None:
        value = entry.updated
        if isinstance(value, dt.datetime):
            value = value.date()
        if not isinstance(value, dt.date):
            problems.append(Problem("FAQ108", file, *entry.where("updated"), "updated",
                                    f"updated“{echo(value)}”不是有效日期。", "请写成 年-月-日，例如 updated: 2026-11-01。"))
        elif value > today:
            problems.append(Problem("FAQ108", file, *entry.where("updated"), "updated",
                                    f"updated 是未来的日期 {value}。", f"请写实际核对答案的日期（不晚于 {today}）。"))
    return problems


def _invisible_character(file: str, at, field: str, text: str, what: str = "") -> list[Problem]:
    """FAQ111 for the first character of `text` no text may hold; `at` is the value's position, or
    a function of the character's offset that gives its own."""
    match = forbidden_character(text)
    if not match:
        return []
    line, column = at(match.start()) if callable(at) else at
    return [Problem("FAQ111", file, line, column, field,
                    f"{what or field + ' '}的第 {match.start() + 1} 个字符是看不见的 {character_name(match.group(0))}，"
                    "它会弄乱网页。",
                    "请删掉它：重新输入这段文字，不要从网页、聊天工具或 Word 里复制带格式的内容；"
                    "引号里的 \\x、\\u 转义也不能用来写这类字符。")]


def _id_suggestion(value: Any) -> str:
    if not isinstance(value, str):
        return f"YAML 把它读成了{_type_name(value)}：请用英文字母开头，例如“q-{echo(value, 20)}”。"
    text = re.sub(r"[^a-z0-9]+", "-", value[: 4 * MAX_ID_LENGTH].lower())[:MAX_ID_LENGTH].strip("-")
    return f"可以改成“{text}”。" if text and text != value else ""


def _check_ids(entries: list[Entry]) -> list[Problem]:
    problems = []
    first: dict[str, Entry] = {}
    for entry in entries:
        if not isinstance(entry.id, str):
            continue
        if entry.id in first:
            other = first[entry.id]
            line, column = entry.where("id")
            problems.append(Problem("FAQ106", entry.file, line, column, "id",
                                    f"id“{echo(entry.id)}”重复：{other.file}:{other.where('id')[0]} 已经用过这个 id。",
                                    "每个问题的 id 必须全站唯一：如果是同一个问题，请合并，把另一种问法写进 aliases；否则换一个 id。"))
        else:
            first[entry.id] = entry
    return problems


def _check_order(content: Content) -> list[Problem]:
    """Most asked first within a file. The entries reported are the fewest whose moving puts the file
    in order (the ones an editor changed, as a rule), each with where it belongs."""
    problems = []
    by_file: dict[str, list[Entry]] = {}
    for entry in content.entries:
        by_file.setdefault(entry.file, []).append(entry)
    for file, entries in by_file.items():
        counted = [e for e in entries if isinstance(e.frequency, int) and not isinstance(e.frequency, bool)]
        keep = _longest_in_order(counted)
        for entry in (e for index, e in enumerate(counted) if index not in keep):
            kept = [counted[index] for index in sorted(keep)]
            before = next((e for e in kept if e.frequency < entry.frequency), None)
            if before is not None:
                place = f"“{echo(before.id)}”（{before.frequency}，第 {before.position[0]} 行）的前面"
            else:
                after = kept[-1]
                place = f"“{echo(after.id)}”（{after.frequency}，第 {after.position[0]} 行）的后面"
            line, column = entry.where("frequency")
            problems.append(Problem("FAQ301", file, line, column, "frequency",
                                    f"“{echo(entry.id)}”（被问 {entry.frequency} 次）的位置不对：同一个文件里的条目要按"
                                    f"被问次数从高到低排列。",
                                    f"请把这个条目移到{place}。也可以在自己电脑上运行 make fmt 自动排序。"))
    return problems


def _longest_in_order(entries: list[Entry]) -> set[int]:
    """Indexes of a longest run (not necessarily adjacent) of entries by non-increasing frequency;
    among equally long ones, the one keeping earlier entries in place."""
    best: list[int] = [1] * len(entries)  # best[i]: longest such run ending at entry i
    previous: list[int] = [-1] * len(entries)
    for i, entry in enumerate(entries):
        for j in range(i):
            if entries[j].frequency >= entry.frequency and best[j] + 1 > best[i]:
                best[i], previous[i] = best[j] + 1, j
    if not entries:
        return set()
    end = max(range(len(entries)), key=lambda i: (best[i], -i))
    kept = set()
    while end >= 0:
        kept.add(end)
        end = previous[end]
    return kept


def _check_previous_ids(entries: list[Entry]) -> list[Problem]:
    """Ids an entry had before: well formed, not in use, each claimed by one entry only."""
    problems = []
    live = {e.id: e for e in entries if isinstance(e.id, str)}
    claimed: dict[str, Entry] = {}
    for entry in entries:
        previous = entry.previous_ids if isinstance(entry.previous_ids, list) else []
        positions = entry.item_positions.get("previous_ids", [])
        for index, old in enumerate(previous):
            if not isinstance(old, str) or not old.strip():
                continue  # reported with the list's other items (FAQ102)
            pos = positions[index] if index < len(positions) else entry.where("previous_ids")
            if not is_kebab(old):
                problems.append(Problem("FAQ105", entry.file, *pos, "previous_ids",
                                        f"previous_ids 里的“{echo(old)}”格式不对：只能用小写英文字母、数字和单个连字符。",
                                        "请照抄这个问题以前的 id（旧网址 /q/<id>/ 里的那一段）。"))
            elif old in live:
                owner = live[old]
                where = "就是这个问题现在的 id" if owner is entry else f"是 {owner.file}:{owner.where('id')[0]} 那个问题现在的 id"
                problems.append(Problem("FAQ120", entry.file, *pos, "previous_ids",
                                        f"previous_ids 里的“{echo(old)}”{where}：旧网址只能跳转到一个问题。",
                                        "previous_ids 只写这个问题以前用过、现在已经没有问题在用的 id。"))
            elif old in claimed and claimed[old] is not entry:
                other = claimed[old]
                problems.append(Problem("FAQ121", entry.file, *pos, "previous_ids",
                                        f"旧 id“{echo(old)}”已经写在 {other.file}:{other.where('id')[0]}（{echo(other.id)}）的 previous_ids 里。",
                                        "一个旧网址只能跳转到一个问题：请只在内容最接近的那个问题里保留它。"))
            else:
                claimed.setdefault(old, entry)
    return problems


def _renamed(entries: list[Entry]) -> dict[str, str]:
    """Old id → the entry that now claims it in previous_ids."""
    names: dict[str, str] = {}
    for entry in entries:
        for old in entry.previous_ids if isinstance(entry.previous_ids, list) else []:
            if isinstance(old, str) and isinstance(entry.id, str):
                names.setdefault(old, entry.id)
    return names


def _missing_target_hint(target: str, ids: set, renamed: dict[str, str], how: str) -> str:
    if target in renamed:
        return f"“{target}”已经改名为“{renamed[target]}”（见它的 previous_ids）：请改成 {renamed[target]}。"
    return _did_you_mean(target, ids, cutoff=0.5) or how


def _check_links(content: Content) -> list[Problem]:
    problems = []
    ids = {e.id for e in content.entries if isinstance(e.id, str)}
    drafts = {e.id for e in content.entries if e.is_draft and isinstance(e.id, str)}
    renamed = _renamed(content.entries)
    for entry in content.entries:
        related = entry.related if isinstance(entry.related, list) else []
        positions = entry.item_positions.get("related", [])
        seen: set[str] = set()
        for index, target in enumerate(related):
            if not isinstance(target, str):
                continue
            pos = positions[index] if index < len(positions) else entry.where("related")
            if target == entry.id:
                problems.append(Problem("FAQ403", entry.file, *pos, "related", f"related 里的“{echo(target)}”是这个问题自己。",
                                        "请删掉这一项：related 只写其他相关问题的 id。"))
            elif target in seen:
                problems.append(Problem("FAQ404", entry.file, *pos, "related", f"related 里“{echo(target)}”写了两次。",
                                        "请删掉重复的一项。"))
            elif target not in ids:
                problems.append(Problem("FAQ401", entry.file, *pos, "related", f"related 里的“{echo(target)}”不存在。",
                                        _missing_target_hint(target, ids, renamed, "请检查 id 的拼写，或删掉这一项。")))
            seen.add(target)
        if isinstance(entry.answer, str):
            problems += _check_inline_links(entry, ids, drafts, renamed)
    return problems


def _check_inline_links(entry: Entry, ids: set, drafts: set, renamed: dict[str, str]) -> list[Problem]:
    problems = []
    for match in INLINE_LINK.finditer(entry.answer):
        target = match.group("id").strip()
        line, column = _answer_position(entry, match.start())
        if target == entry.id:
            problems.append(Problem("FAQ403", entry.file, line, column, "answer",
                                    f"答案里的 [[{echo(target)}]] 链接到了这个问题自己。", "请删掉这个链接，或改成别的问题的 id。"))
        elif target not in ids:
            problems.append(Problem("FAQ402", entry.file, line, column, "answer",
                                    f"答案里的 [[{echo(target)}]] 指向的 id 不存在。",
                                    _missing_target_hint(target, ids, renamed,
                                                         "请检查 id 的拼写；写法是 [[id]] 或 [[id|链接文字]]。")))
        elif target in drafts and not entry.is_draft:
            problems.append(Problem("FAQ405", entry.file, line, column, "answer",
                                    f"答案里的 [[{echo(target)}]] 链接到了草稿（draft: true），草稿不会发布，顾客点开会找不到页面。",
                                    f"请等“{echo(target)}”发布后再加这个链接，或先删掉它。"))
    return problems


def _answer_position(entry: Entry, offset: int) -> tuple[int, int]:
    """File position of a character of the answer; exact for "|" blocks, else the answer's start."""
    if entry.answer_origin is None:
        return entry.where("answer")
    first_line, indent = entry.answer_origin
    line_start = entry.answer.rfind("\n", 0, offset) + 1
    return first_line + entry.answer.count("\n", 0, offset), indent + offset - line_start + 1


def _check_synonyms(content: Content) -> list[Problem]:
    problems = []
    file = content.synonyms_file
    first_group: dict[str, tuple[int, int]] = {}
    for group in content.synonyms:
        words = group.words
        if not isinstance(words, list) or len(words) < 2 or not all(isinstance(w, str) and w.strip() for w in words):
            problems.append(Problem("FAQ501", file, *group.position, "",
                                    "同义词组必须是至少两个词的列表，每个词是非空的文字。",
                                    "例如：- [退款, 退钱, 返款]"))
            continue
        in_group: set[str] = set()
        for index, word in enumerate(words):
            pos = group.item_positions[index] if index < len(group.item_positions) else group.position
            key = word.strip()
            if key in in_group:
                problems.append(Problem("FAQ503", file, *pos, "", f"“{echo(word)}”在同一组里写了两次。", "请删掉重复的一项。"))
                continue
            in_group.add(key)
            problems += _invisible_character(file, pos, "", word, f"同义词“{echo(word, 20)}”")
            if key in first_group:
                problems.append(Problem("FAQ502", file, *pos, "",
                                        f"“{echo(word)}”已经出现在第 {first_group[key][0]} 行的同义词组里。",
                                        "一个词只能属于一个同义词组：请把两组合并，或删掉其中一处。"))
            else:
                first_group[key] = pos
    return problems
