"""`faqkb frequency import`: set `frequency` from a ticket, chat or search-log export, then reorder.

The CSV has a header and two columns: `id,count`, or `question,count` (Chinese tools write
问题,次数), where the question is matched against every entry's question and aliases. A count
replaces the entry's frequency; several rows for the same entry add up. Entries the CSV does not
mention keep theirs. Only files whose counts change are written, and those are then ordered like
`faqkb fmt` orders them. Two rows naming the same id or the same question are an error (a slip when
copying, as a rule) unless --sum asks to add them up; different wordings of one entry add up.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ruamel.yaml.comments import CommentedSeq

from . import fmt, yamledit
from .project import check_project
from ..content.model import Content, Entry
from ..content.problems import echo
from ..search.text import normalize

MAX_COUNT_DIGITS = 18  # a billion billion asks: anything longer is a column mix-up, not a count
ID_COLUMNS = ("id",)
QUESTION_COLUMNS = ("question", "问题")
COUNT_COLUMNS = ("count", "次数", "frequency", "被问次数")
_NOT_WORD = re.compile(r"[\W_]+")


def register(subparsers) -> None:
    parser = subparsers.add_parser("frequency", help="被问次数：从客服、搜索统计导入")
    actions = parser.add_subparsers(dest="action", required=True)
    imported = actions.add_parser("import", help="从 CSV 导入被问次数，并按新的次数重新排序",
                                  description="CSV 第一行是表头：id,count 或 question,count（也可以写 问题,次数）。"
                                              "UTF-8（可带 BOM）或 GBK 编码都可以。")
    imported.add_argument("csv", help="导出的 CSV 文件")
    imported.add_argument("path", nargs="?", default="faq", help="内容目录（默认 faq）")
    imported.add_argument("--dry-run", action="store_true", help="只显示会有哪些变化，不修改任何文件")
    imported.add_argument("--sum", action="store_true",
                          help="同一个问题有好几行时把次数加起来（默认：这算错误，什么都不改）")
    imported.set_defaults(run=_import)


def question_key(text: str) -> str:
    """What two wordings must share to be the same question: normalised, without punctuation or spaces."""
    return _NOT_WORD.sub("", normalize(text))


class CsvError(Exception):
    """The CSV cannot be used at all; the message says why, for staff."""


@dataclass
class Row:
    line: int
    id: str
    question: str
    count: int


def read_counts(path: Path) -> tuple[list[Row], list[tuple[int, str]]]:
    """The usable rows, and (line, note) for every row that is not (bad counts)."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CsvError(f"无法读取 CSV 文件 {path}：{error.strerror or error}。") from error
    text = _decode(raw, path)
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next((row for row in reader if any(cell.strip() for cell in row)), None)
    except csv.Error as error:
        raise CsvError(f"CSV 文件 {path} 的格式不对（{error}）。") from error
    if header is None:
        raise CsvError(f"CSV 文件 {path} 是空的。")
    names = [cell.strip().lower() for cell in header]
    id_column, question_column, count_column = (_column(names, choices)
                                                for choices in (ID_COLUMNS, QUESTION_COLUMNS, COUNT_COLUMNS))
    if count_column is None or (id_column is None and question_column is None):
        raise CsvError(f"CSV 文件 {path} 第 {reader.line_num} 行的表头是“{delimiter.join(header)}”，"
                       "需要两列：id,count 或 question,count（也可以写 问题,次数）。")
    rows, notes = [], []
    line = reader.line_num + 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue

            def cell(column):
                return cells[column].strip() if column is not None and column < len(cells) else ""

            if len(cells) > len(header):
                raise CsvError(f"CSV 文件 {path} 第 {start} 行有 {len(cells)} 列，表头只有 {len(header)} 列："
                               f"“{echo(delimiter.join(cells))}”。多半是次数里有千位分隔符（例如 1,520），"
                               "请去掉逗号（写成 1520），或把这一格用英文引号括起来。没有导入任何次数。")
            try:
                count = _count(cell(count_column))
            except ValueError as why:
                notes.append((start, f"第 {start} 行：次数“{echo(cell(count_column), 30)}”{why}，没有导入"))
                continue
            rows.append(Row(start, cell(id_column), cell(question_column), count))
    except csv.Error as error:
        raise CsvError(f"CSV 文件 {path} 第 {line} 行的格式不对（{error}）。") from error
    return rows, notes


def _decode(raw: bytes, path: Path) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")  # GBK and its extension: what Chinese Windows tools write
    except UnicodeDecodeError as error:
        raise CsvError(f"CSV 文件 {path} 既不是 UTF-8 也不是 GBK 编码，请另存为“CSV UTF-8”后再导入。") from error


def _column(names: list[str], choices: tuple[str, ...]) -> int | None:
    return next((index for index, name in enumerate(names) if name in choices), None)


def _count(text: str) -> int:
    """The whole number a count cell holds, exactly as written (a float would round counts above
    2**53); ValueError saying why (Chinese) for anything else."""
    text = unicodedata.normalize("NFKC", text).replace(",", "").replace(" ", "")
    try:
        value = Decimal(text) if len(text) <= 4 * MAX_COUNT_DIGITS else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value < 0:
        raise ValueError("不是大于等于 0 的整数")
    if value.adjusted() >= MAX_COUNT_DIGITS:
        raise ValueError(f"太大了（最多 {MAX_COUNT_DIGITS} 位数）")
    if value != value.to_integral_value():
        raise ValueError("不是大于等于 0 的整数")
    return int(value)


def repeated_rows(rows: list[Row]) -> list[list[Row]]:
    """Rows that name the same id, or the same question however it is written (full width,
    Traditional, punctuation): a slip when copying the export, unless the rows are meant to add up.
    Different wordings of one entry (its question and an alias) are not repeats: they add up."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        key = f"id:{row.id}" if row.id else f"q:{question_key(row.question)}"
        groups.setdefault(key, []).append(row)
    return [same for same in groups.values() if len(same) > 1]


@dataclass
class Match:
    entry: Entry
    count: int = 0


def match_rows(content: Content, rows: list[Row]) -> tuple[list[Match], list[tuple[int, str]]]:
    """Counts per entry (in content order), and (line, note) for every row that matches no single entry."""
    by_id: dict[str, list[Entry]] = {}
    # key → id(entry) → (rank, entry): a row matching one entry's question and another's alias is the former's.
    by_question: dict[str, dict[int, tuple[int, Entry]]] = {}
    for entry in content.entries:
        if isinstance(entry.id, str):
            by_id.setdefault(entry.id, []).append(entry)
        aliases = entry.aliases if isinstance(entry.aliases, list) else []
        for rank, text in [(0, entry.question)] + [(1, alias) for alias in aliases]:
            if isinstance(text, str) and (key := question_key(text)):
                seen = by_question.setdefault(key, {})
                if id(entry) not in seen or rank < seen[id(entry)][0]:
                    seen[id(entry)] = (rank, entry)
    matches: dict[int, Match] = {}
    notes: list[tuple[int, str]] = []
    for row in rows:
        if row.id:
            found = by_id.get(row.id, [])
            label = f"id“{echo(row.id, 40)}”"
        else:
            candidates = by_question.get(question_key(row.question), {}).values()
            rank = min((rank for rank, _ in candidates), default=None)
            found = [entry for each, entry in candidates if each == rank]
            label = f"“{echo(row.question, 40)}”"
        if not found:
            notes.append((row.line, f"第 {row.line} 行：{label}没有对应的问题"))
        elif len(found) > 1:
            where = "、".join(f"{entry.id}（{entry.file}）" for entry in found)
            notes.append((row.line, f"第 {row.line} 行：{label}同时对应多个问题：{where}，没有导入"))
        else:
            match = matches.setdefault(id(found[0]), Match(found[0]))
            match.count += row.count
    order = {id(entry): index for index, entry in enumerate(content.entries)}
    return sorted(matches.values(), key=lambda match: order[id(match.entry)]), notes


@dataclass
class Change:
    """What a command sets in one entry: a new frequency, aliases to add (or both)."""

    entry: Entry
    frequency: int | None = None
    aliases: list[str] = field(default_factory=list)


def write_changes(content: Content, problems: list, changes: list[Change], *,
                  dry_run: bool = False) -> tuple[list[Change], list[str], list[str]]:
    """Writes the changes into the content files through the round-trip editor, each changed file
    ordered again like `faqkb fmt` (comments and answers kept). A file with problems that make
    editing it unsafe, or that cannot be written back exactly, is left alone. With dry_run nothing
    is written; when one of the files cannot be written, none is (yamledit.Unwritable). Returns the
    changes made (or that would be), the files written, and a message for every file left alone."""
    blocked = fmt.blocking_problems(problems)
    by_file: dict[str, list[Change]] = {}
    for change in changes:
        by_file.setdefault(change.entry.file, []).append(change)
    done, written, failed, pending = [], [], [], []
    for file, file_changes in by_file.items():
        if file in blocked:
            failed.append(fmt.skipped(file, blocked[file], "更新"))
            continue
        try:
            document = fmt.read_for_edit(file)
            entries = fmt.file_entries(content, file)
            if not isinstance(document.data, list) or len(document.data) != len(entries):
                raise yamledit.Unsafe("无法把文件里的条目一一对应起来")
            frequencies = [entry.frequency for entry in entries]
            for change in file_changes:
                index = next(index for index, entry in enumerate(entries) if entry is change.entry)
                if change.frequency is not None:
                    document.data[index]["frequency"] = frequencies[index] = change.frequency
                if change.aliases:
                    _add_aliases(document.data[index], change.aliases)
            text = fmt.tidy(document, frequencies)
        except yamledit.Unsafe as error:
            failed.append(f"没有更新 {file}：{error}。文件没有改动。")
            continue
        pending.append((document.path, text))
        done += file_changes
        written.append(file)
    if not dry_run:
        yamledit.write_all(pending)  # every file, or none (raises yamledit.Unwritable)
    return done, written, failed


def _add_aliases(node, aliases: list[str]) -> None:
    existing = node.get("aliases")
    if existing is None:
        added = CommentedSeq(aliases)
        added.fa.set_flow_style()  # aliases: [a, b], as the content writes them
        node["aliases"] = added
    elif isinstance(existing, list):
        existing.extend(aliases)
    else:
        raise yamledit.Unsafe("aliases 不是列表")


def _import(args: argparse.Namespace) -> int:
    try:
        rows, notes = read_counts(Path(args.csv))
    except CsvError as error:
        print(error, file=sys.stderr)
        return 1
    root = Path(args.path)
    if not root.is_dir():
        print(f"找不到内容目录 {args.path}。", file=sys.stderr)
        return 1
    content, problems = check_project(root)
    repeated = repeated_rows(rows)
    if repeated and not args.sum:
        for same in repeated:
            lines = "、".join(f"第 {row.line} 行" for row in same)
            print(f"{lines}写的是同一个{'id' if same[0].id else '问题'}“{same[0].id or same[0].question}”。",
                  file=sys.stderr)
        print("CSV 里有重复的行，没有导入任何次数。请删掉多余的行；如果这些行本来就该加在一起"
              "（例如几个渠道分别统计），请加上 --sum（make frequency CSV=… ARGS=--sum）。", file=sys.stderr)
        return 1
    matches, unmatched = match_rows(content, rows)
    changes = [match for match in matches if match.count != match.entry.frequency]
    try:
        done, written, failed = write_changes(content, problems, [Change(m.entry, frequency=m.count) for m in changes],
                                              dry_run=args.dry_run)
    except yamledit.Unwritable as error:
        print(error, file=sys.stderr)
        return 1
    updated = [match for match in changes if any(change.entry is match.entry for change in done)]

    if args.dry_run:
        print("试运行（--dry-run）：下面是导入后会有的变化，没有修改任何文件。")
    verb = "将更新" if args.dry_run else "已更新"
    if updated:
        print(f"{verb} {len(updated)} 个问题的被问次数：")
        for match in updated:
            print(f"  {match.entry.id}：{match.entry.frequency} → {match.count}（{match.entry.file}）")
        print(f"{'将重新排序并写入' if args.dry_run else '已重新排序并写入'} {len(written)} 个文件。")
    elif not failed:
        print("被问次数没有变化，没有修改任何文件。")
    same = len(matches) - len(changes)
    if same:
        print(f"{same} 个问题的次数和原来一样。")
    skipped_rows = notes + unmatched
    if skipped_rows:
        print(f"有 {len(skipped_rows)} 行没有导入：")
        for _, note in sorted(skipped_rows):
            print(f"  {note}")
    for message in failed:
        print(message, file=sys.stderr)
    return 1 if failed else 0
