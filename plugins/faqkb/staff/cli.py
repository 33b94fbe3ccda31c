"""The `faqkb` command line: validate content (and, with the search steps, search it)."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path


from ..content.check import check
from ..content.dates import UnknownTimezone
from ..content.problems import echo, format_problems, summary
from .project import check_project, project_max_depth, project_today, whole_number, day


# Modules that add a subcommand: each has register(subparsers), which adds its parser and sets
# `run` (a function of the parsed arguments returning the exit status).
COMMAND_MODULES: tuple[str, ...] = (
    "faqkb.staff.schema",
    "faqkb.staff.fmt", "faqkb.staff.frequency", "faqkb.staff.new", "faqkb.staff.stats", "faqkb.staff.duplicates",
    "faqkb.staff.diff", "faqkb.staff.insights",
)


def _validate(args: argparse.Namespace) -> int:
    max_depth = args.max_depth or project_max_depth(args.config)
    from ..site.engine import material_icon_svg

    _, problems = check(args.path, display_base=Path.cwd(), max_depth=max_depth,
                                 today=args.today or project_today(args.config),
                                 icon_exists=lambda name: material_icon_svg(name) is not None)
    if problems:
        print(format_problems(problems, args.format))
    if args.format == "text":
        print(summary(problems), file=sys.stderr)
    errors = any(p.is_error for p in problems)
    return 1 if errors or (args.strict and problems) else 0


def _search(args: argparse.Namespace) -> int:
    import json

    from ..search.job import search_data
    from ..search.query import Searcher

    content, problems = check_project(args.content)
    if any(p.is_error for p in problems):
        print(format_problems([p for p in problems if p.is_error]), file=sys.stderr)
        print("内容有错误，请先修正（make validate 会列出全部问题）。", file=sys.stderr)
        return 1
    data, pinyin = search_data(content)
    results = Searcher(data, pinyin).search(args.query, limit=args.limit)
    if args.json:
        print(json.dumps([{"id": r.id, "url": r.url, "question": r.question, "breadcrumb": r.breadcrumb,
                           "score": round(r.score, 4)} for r in results], ensure_ascii=False, indent=2))
        return 0
    if not results:
        print(f"没有找到与“{echo(args.query)}”相关的问题。")
        return 0
    for rank, r in enumerate(results, 1):
        print(f"{rank:>2}. {r.question}  [{r.id}]\n    {' › '.join(r.breadcrumb)}  得分 {r.score:.1f}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="faqkb", description="FAQ 帮助中心：检查内容、搜索。")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("validate", help="检查 FAQ 内容，列出所有问题")
    check.add_argument("path", nargs="?", default="faq", help="内容目录（默认 faq）")
    check.add_argument("--format", choices=["text", "github", "json"], default="text",
                       help="text：给人看；github：GitHub Actions 注释；json：给程序用")
    check.add_argument("--strict", action="store_true", help="有警告也算失败")
    check.add_argument("--max-depth", type=whole_number(1), default=None, help="最多几层（默认读取 mkdocs.yml，否则 4）")
    check.add_argument("--config", default="mkdocs.yml", help="mkdocs.yml 的位置")
    check.add_argument("--today", type=day, default=None, metavar="YYYY-MM-DD",
                       help="把这一天当作今天（默认：mkdocs.yml 里 timezone 时区的今天，未设置则为北京时间）")
    check.set_defaults(run=_validate)

    find = commands.add_parser("search", help="像顾客一样搜索，看看会得到哪些问题")
    find.add_argument("query", help="搜索内容，例如 “退款多久到账”")
    find.add_argument("-n", "--limit", type=whole_number(1), default=10, help="最多显示几条（默认 10）")
    find.add_argument("--json", action="store_true", help="输出 JSON")
    find.add_argument("--content", default="faq", help="内容目录（默认 faq）")
    find.set_defaults(run=_search)

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except UnknownTimezone as error:
        print(f"mkdocs.yml 里 faqkb 的 timezone 设置不对：{error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
