"""`faqkb stats`: how the content is spread over categories and levels, and what needs looking after.

Answers not checked for longer than `--max-age` days, answers with no `updated` date at all,
questions with no link in or out (nothing leads shoppers to them but search and the category page),
and the most and least asked questions. Informational: the exit status is 0 unless the content has
errors, which are reported as `faqkb validate` reports them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import unicodedata
from dataclasses import asdict, dataclass, field

from .project import check_project, day, project_today, whole_number
from ..content.link import Links, link
from ..content.model import Category, Content, Entry
from ..content.problems import format_problems
from ..content.order import by_frequency, sorted_categories

DEFAULT_MAX_AGE = 180
DEFAULT_TOP = 10
BREADCRUMB_SEPARATOR = " › "  # as `faqkb search` and the site's breadcrumbs show it


@dataclass
class CategoryStats:
    path: str  # folder path under the content root, e.g. "after-sales/returns"
    breadcrumb: list[str]  # titles from the top-level category down
    level: int
    folder: str  # as shown in problems: relative to the current folder
    entries: int  # questions in this category itself
    entries_with_subcategories: int
    frequency: int  # times all those questions were asked


@dataclass
class EntryStats:
    id: str
    question: str
    breadcrumb: list[str]
    level: int
    frequency: int
    file: str
    line: int
    updated: str | None = None  # ISO date
    age_days: int | None = None  # days between `updated` and the statistics' date


@dataclass
class Stats:
    """Everything `faqkb stats` reports, as plain data (the JSON output is exactly this)."""

    today: str
    max_age_days: int
    entries: int
    categories: list[CategoryStats] = field(default_factory=list)  # in the site's order
    levels: dict[int, int] = field(default_factory=dict)  # question level → questions
    stale: list[EntryStats] = field(default_factory=list)  # longest unchecked first
    undated: list[EntryStats] = field(default_factory=list)  # most asked first
    orphans: list[EntryStats] = field(default_factory=list)  # most asked first
    most_asked: list[EntryStats] = field(default_factory=list)
    least_asked: list[EntryStats] = field(default_factory=list)  # least asked first

    def as_dict(self) -> dict:
        data = asdict(self)
        # JSON object keys are strings; a list keeps the level a number for whoever reads it.
        data["levels"] = [{"level": level, "entries": count} for level, count in self.levels.items()]
        return data


def collect_stats(content: Content, links: Links, today: dt.date, max_age_days: int = DEFAULT_MAX_AGE,
                  *, top: int = DEFAULT_TOP) -> Stats:
    """Statistics of valid, linked content as of `today`; `top` bounds the most and least asked lists."""
    titles = {category.path: category.title for category in content.walk_categories()}

    def breadcrumb(path: tuple[str, ...]) -> list[str]:
        return [titles[path[:depth]] for depth in range(1, len(path) + 1)]

    def describe(entry: Entry, line: int | None = None) -> EntryStats:
        updated = _day(entry.updated)
        return EntryStats(entry.id, " ".join(entry.question.split()), breadcrumb(entry.category), entry.level,
                          entry.frequency, entry.file, line or entry.position[0],
                          updated.isoformat() if updated else None,
                          (today - updated).days if updated else None)

    stats = Stats(today.isoformat(), max_age_days, len(content.entries))
    for category in _site_order(content.categories):
        everything = list(category.all_entries())
        stats.categories.append(CategoryStats(
            "/".join(category.path), breadcrumb(category.path), category.depth, category.folder,
            len(category.entries), len(everything), sum(entry.frequency for entry in everything)))

    levels = sorted(entry.level for entry in content.entries)
    if levels:
        stats.levels = {level: 0 for level in range(levels[0], levels[-1] + 1)}  # a gap shows as 0
        for level in levels:
            stats.levels[level] += 1

    ranked = by_frequency(content.entries)
    for entry in ranked:
        updated = _day(entry.updated)
        if updated is None:
            stats.undated.append(describe(entry))
        elif (today - updated).days > max_age_days:
            stats.stale.append(describe(entry, entry.where("updated")[0]))
        if not (links.declared.get(entry.id) or links.inline.get(entry.id) or links.incoming.get(entry.id)):
            stats.orphans.append(describe(entry))
    stats.stale.sort(key=lambda item: -item.age_days)  # stable: equally old ones stay most asked first
    stats.most_asked = [describe(entry) for entry in ranked[:top]]
    least = sorted(content.entries, key=lambda entry: (entry.frequency, entry.question))
    stats.least_asked = [describe(entry) for entry in least[:top]]
    return stats


def _site_order(categories: list[Category]):
    """Categories parents first, siblings in the order the site shows them."""
    for category in sorted_categories(categories):
        yield category
        yield from _site_order(category.children)


def _day(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


# -- text for content staff ------------------------------------------------------------------------

def format_text(stats: Stats, content_path: str = "faq") -> str:
    """The report as content staff read it: Chinese headings, aligned columns, file:line to fix."""
    lines = [f"FAQ 统计：{content_path}（统计日期 {stats.today}）",
             f"共 {stats.entries} 个问题，{len(stats.categories)} 个分类。", ""]

    lines.append("各分类的问题数（按网站上的顺序）")
    lines += _table(["分类", "层级", "本分类", "含子分类", "被问次数合计"],
                    [[BREADCRUMB_SEPARATOR.join(c.breadcrumb), c.level, c.entries, c.entries_with_subcategories,
                      c.frequency] for c in stats.categories])
    lines.append("")

    lines.append("各层级的问题数（问题的层级 = 上面的分类层数 + 1）")
    lines += _table(["层级", "问题数"], [[f"第 {level} 层", count] for level, count in stats.levels.items()])
    lines.append("")

    lines += _entry_section(f"超过 {stats.max_age_days} 天没有更新的答案", stats.stale, "最久没更新的在前",
                            ["位置", "id", "更新日期", "已过天数", "问题"],
                            lambda e: [f"{e.file}:{e.line}", e.id, e.updated, e.age_days, e.question],
                            "请核对答案是否还准确，改好后把 updated 改成核对的日期。")
    lines += _entry_section("未填写更新日期（updated）的答案", stats.undated, "被问多的在前",
                            ["位置", "id", "被问次数", "问题"],
                            lambda e: [f"{e.file}:{e.line}", e.id, e.frequency, e.question],
                            "核对答案后加上 updated: 年-月-日。")
    lines += _entry_section("没有任何链接的问题（既没有链接别的问题，也没有被别的问题链接）", stats.orphans,
                            "被问多的在前", ["位置", "id", "被问次数", "问题"],
                            lambda e: [f"{e.file}:{e.line}", e.id, e.frequency, e.question],
                            "在 related 里写上相关问题的 id，或在答案里用 [[id]] 链接。")

    for title, entries in ((f"被问最多的 {len(stats.most_asked)} 个问题", stats.most_asked),
                           (f"被问最少的 {len(stats.least_asked)} 个问题（最少的在前）", stats.least_asked)):
        lines.append(title)
        lines += _table(["排名", "被问次数", "id", "问题", "分类"],
                        [[rank, e.frequency, e.id, e.question, BREADCRUMB_SEPARATOR.join(e.breadcrumb)]
                         for rank, e in enumerate(entries, 1)])
        lines.append("")
    return "\n".join(lines).rstrip("\n")


def _entry_section(title: str, entries: list[EntryStats], order: str, columns, row, hint) -> list[str]:
    if not entries:
        return [f"{title}：没有", ""]
    return ([f"{title}：{len(entries)} 个（{order}）"] + _table(columns, [row(entry) for entry in entries])
            + [f"  怎么改：{hint}", ""])


def _table(header: list[str], rows: list[list]) -> list[str]:
    """Rows under a header, columns aligned by display width (a Chinese character takes two columns).

    Numbers are right-aligned; the last column is not padded, so long questions do not push the
    others apart.
    """
    if not rows:
        return ["  （没有）"]
    cells = [[str(value) for value in row] for row in [header] + rows]
    numeric = [all(isinstance(row[i], int) for row in rows) for i in range(len(header))]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(header))]
    lines = []
    for row in cells:
        parts = []
        for i, text in enumerate(row):
            gap = " " * (widths[i] - _width(text))
            if numeric[i]:
                parts.append(gap + text)
            else:
                parts.append(text if i == len(row) - 1 else text + gap)
        lines.append(("  " + "  ".join(parts)).rstrip())
    return lines


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# -- command line ----------------------------------------------------------------------------------

def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "stats", help="统计：各分类和各层级的问题数、很久没更新的答案、没有链接的问题、被问最多和最少的问题",
        description="只读取内容，不修改任何文件。内容有错误时列出错误并返回 1，否则返回 0。")
    parser.add_argument("path", nargs="?", default="faq", help="内容目录（默认 faq）")
    parser.add_argument("--max-age", type=whole_number(), default=DEFAULT_MAX_AGE, metavar="DAYS",
                        help=f"updated 距今超过这么多天的答案算“很久没更新”（默认 {DEFAULT_MAX_AGE}）")
    parser.add_argument("--today", type=day, default=None, metavar="YYYY-MM-DD",
                        help="按这一天统计（默认 mkdocs.yml 里 timezone 时区的今天，未设置则为北京时间；写固定日期可以让结果不随日期变化）")
    parser.add_argument("-n", "--top", type=whole_number(), default=DEFAULT_TOP, metavar="N",
                        help=f"被问最多、最少的问题各列几个（默认 {DEFAULT_TOP}）")
    parser.add_argument("--format", choices=["text", "json"], default="text", help="text：给人看；json：给程序用")
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    today = args.today or project_today()
    content, problems = check_project(args.path, today)
    errors = [problem for problem in problems if problem.is_error]
    if errors:
        print(format_problems(errors), file=sys.stderr)
        print("内容有错误，请先修正（make validate 会列出全部问题）。", file=sys.stderr)
        return 1
    stats = collect_stats(content, link(content.entries), today, args.max_age, top=args.top)
    if args.format == "json":
        print(json.dumps(stats.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_text(stats, args.path))
    return 0
