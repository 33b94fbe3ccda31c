"""`faqkb diff BASE_REF`: what a change does to the help centre, as a reviewer wants to read it.

Compared with the content of a git revision (a pull request's base branch): questions added,
removed, renamed (previous_ids), moved between categories, reworded; answers changed, with a short
before and after; categories added or removed; new counts that reorder a category; the new 热门问题
against the old; and new questions that probably repeat one. Drafts are listed apart: the site
does not publish them. The pull-request workflow posts the markdown form as one comment, updated
on every push, and writes it to the job's summary; `--format github` prints a warning annotation
for each question removed with no successor (its URL will be a 404).
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..content.model import Content, Entry
from ..content.order import by_frequency
from ..content.problems import format_problems, github_data, github_property
from ..content.publish import published
from .duplicates import THRESHOLD, find_duplicates
from .gitrev import GitError, content_at_revision
from .project import check_project, plugin_settings, whole_number

MARKER = "<!-- faqkb-diff -->"  # finds the pull request's comment to update instead of adding one
EXCERPT = 60
SUGGEST_THRESHOLD = 0.5  # a removed question this alike to a new one was probably renamed


@dataclass
class Ref:
    """One question as a reviewer sees it: id, question, where it is and where it shows."""

    id: str
    question: str
    category: str  # breadcrumb of titles
    file: str
    line: int
    section: str  # the category page that lists it, e.g. after-sales/refunds/
    draft: bool = False

    @property
    def page(self) -> str:
        return f"q/{self.id}/"


@dataclass
class Change:
    before: Ref | None
    after: Ref | None
    detail: str = ""  # what changed, in words
    excerpt_before: str = ""
    excerpt_after: str = ""


@dataclass
class Reorder:
    category: str
    path: str  # the category page
    moves: list[str]  # e.g. 退货运费谁出？ 第 3 → 第 1


@dataclass
class ContentDiff:
    added: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)  # detail: the suggested successor, if any
    renamed: list[Change] = field(default_factory=list)
    moved: list[Change] = field(default_factory=list)
    reworded: list[Change] = field(default_factory=list)
    answers: list[Change] = field(default_factory=list)
    drafts: list[Change] = field(default_factory=list)
    categories_added: list[str] = field(default_factory=list)
    categories_removed: list[str] = field(default_factory=list)
    reordered: list[Reorder] = field(default_factory=list)
    hot_before: list[Ref] = field(default_factory=list)
    hot_after: list[Ref] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)  # the duplicates command's messages for new questions
    pages: list[str] = field(default_factory=list)  # site paths whose page changes

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.renamed or self.moved or self.reworded or self.answers
                    or self.drafts or self.categories_added or self.categories_removed or self.reordered
                    or self.hot_changed)

    @property
    def hot_changed(self) -> bool:
        return [r.id for r in self.hot_before] != [r.id for r in self.hot_after]

    def as_dict(self) -> dict:
        return asdict(self) | {"hot_changed": self.hot_changed}


# -- comparing ------------------------------------------------------------------------------------


def _titles(content: Content) -> dict[tuple[str, ...], str]:
    return {c.path: c.title if isinstance(c.title, str) else "/".join(c.path) for c in content.walk_categories()}


def _ref(entry: Entry, titles: dict) -> Ref:
    crumb = " › ".join(titles.get(entry.category[:i], entry.category[i - 1]) for i in range(1, len(entry.category) + 1))
    return Ref(entry.id, entry.question, crumb, entry.file, entry.where("id")[0], "/".join(entry.category) + "/",
               entry.is_draft)


def _excerpts(before: str, after: str) -> tuple[str, str]:
    """The first stretch of text that differs, with a little context, cut to EXCERPT characters."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag != "equal":
            return _around(before, a1, a2), _around(after, b1, b2)
    return "", ""


def _around(text: str, start: int, end: int) -> str:
    lead = max(0, start - 12)
    piece = " ".join(text[lead:max(end, start + 1) + EXCERPT].split())[:EXCERPT]
    return ("…" if lead else "") + piece + ("…" if lead + len(piece) < len(text) else "")


def _counted(content: Content) -> Content:
    """The published entries whose count is a number (the base revision is read, not validated)."""
    shown = published(content)
    shown.entries = [e for e in shown.entries
                     if isinstance(e.frequency, int) and not isinstance(e.frequency, bool) and isinstance(e.question, str)]
    return shown


def diff_content(before: Content | None, after: Content, hot_count: int = 10) -> ContentDiff:
    """What changes from `before` (None: nothing yet) to `after`, both checked content."""
    before = before or Content(root=after.root)
    result = ContentDiff()
    old_titles, new_titles = _titles(before), _titles(after)
    old = {e.id: e for e in before.entries if isinstance(e.id, str)}
    new = {e.id: e for e in after.entries if isinstance(e.id, str)}
    successor = {previous: e.id for e in after.entries for previous in (e.previous_ids or [])
                 if previous in old and previous not in new}

    pairs: list[tuple[Entry, Entry]] = []
    for entry_id, entry in new.items():
        if entry_id in old:
            pairs.append((old[entry_id], entry))
        elif entry_id in successor.values():
            renamed_from = [previous for previous, target in successor.items() if target == entry_id]
            for previous in renamed_from:
                result.renamed.append(Change(_ref(old[previous], old_titles), _ref(entry, new_titles),
                                             f"{previous} → {entry_id}"))
            pairs.append((old[renamed_from[0]], entry))
        elif entry.is_draft:
            result.drafts.append(Change(None, _ref(entry, new_titles), "新增草稿"))
        else:
            result.added.append(Change(None, _ref(entry, new_titles)))
    for entry_id, entry in old.items():
        if entry_id not in new and entry_id not in successor:
            result.removed.append(Change(_ref(entry, old_titles), None))

    for was, now in pairs:
        a, b = _ref(was, old_titles), _ref(now, new_titles)
        if now.is_draft and not was.is_draft:
            result.drafts.append(Change(a, b, "改成了草稿：合并后网站上不再显示"))
        elif was.is_draft and not now.is_draft:
            result.added.append(Change(a, b, "草稿转为发布"))
        if was.category != now.category:
            result.moved.append(Change(a, b, f"{a.category} → {b.category}"))
        if was.question != now.question:
            result.reworded.append(Change(a, b, f"“{was.question}” → “{now.question}”"))
        if was.answer != now.answer and isinstance(was.answer, str) and isinstance(now.answer, str):
            excerpt_before, excerpt_after = _excerpts(was.answer, now.answer)
            result.answers.append(Change(a, b, "", excerpt_before, excerpt_after))

    _suggest_successors(result, before, after)
    _compare_categories(result, before, after, old_titles, new_titles)
    _compare_orders(result, _counted(before), _counted(after), new_titles)
    result.hot_before = [_ref(e, old_titles) for e in by_frequency(_counted(before).entries)[:hot_count]]
    result.hot_after = [_ref(e, new_titles) for e in by_frequency(_counted(after).entries)[:hot_count]]
    added_ids = [c.after.id for c in result.added + result.drafts if c.before is None]
    if added_ids:
        result.duplicates = [pair.message for pair in find_duplicates(after, threshold=THRESHOLD, new_ids=added_ids)]
    result.pages = _changed_pages(result)
    return result


def _suggest_successors(result: ContentDiff, before: Content, after: Content) -> None:
    """A removed question that a new one asks again: the new one should take its id in previous_ids."""
    if not result.removed or not (result.added or result.drafts):
        return
    removed = {c.before.id for c in result.removed}
    added = {c.after.id for c in result.added + result.drafts if c.after and c.before is None}
    both = Content(root=after.root, synonyms=after.synonyms,
                   entries=[e for e in before.entries if e.id in removed] + [e for e in after.entries if e.id in added])
    for pair in find_duplicates(both, threshold=SUGGEST_THRESHOLD, new_ids=added):
        if pair.keep.id in removed:
            for change in result.removed:
                if change.before.id == pair.keep.id and not change.detail:
                    change.detail = pair.merge.id


def _compare_categories(result: ContentDiff, before: Content, after: Content, old_titles, new_titles) -> None:
    old_paths = {c.path for c in before.walk_categories()}
    new_paths = {c.path for c in after.walk_categories()}
    result.categories_added = [f"{'/'.join(p)}（{new_titles[p]}）" for p in sorted(new_paths - old_paths)]
    result.categories_removed = [f"{'/'.join(p)}（{old_titles[p]}）" for p in sorted(old_paths - new_paths)]


def _compare_orders(result: ContentDiff, before: Content, after: Content, titles) -> None:
    """Categories whose questions come in another order now (the category page lists them by frequency)."""
    kept = {id(e) for e in before.entries}
    old_orders = {c.path: [e.id for e in by_frequency(e for e in c.entries if id(e) in kept)]
                  for c in before.walk_categories()}
    counted = {id(e) for e in after.entries}
    for category in after.walk_categories():
        if category.path not in old_orders:
            continue
        now = [e.id for e in by_frequency(e for e in category.entries if id(e) in counted)]
        common = [i for i in now if i in old_orders[category.path]]
        was = [i for i in old_orders[category.path] if i in common]
        if common == was:
            continue
        questions = {e.id: e.question for e in category.entries}
        moves = [f"{questions[i]}：第 {was.index(i) + 1} → 第 {common.index(i) + 1}"
                 for i in common if was.index(i) != common.index(i)]
        result.reordered.append(Reorder(titles[category.path], "/".join(category.path) + "/", moves))


def _changed_pages(result: ContentDiff) -> list[str]:
    pages: list[str] = []
    for change in result.added + result.renamed + result.moved + result.reworded + result.answers + result.drafts:
        if change.after and not change.after.draft:
            pages.append(change.after.page)
    for change in result.removed + result.renamed:
        pages.append(change.before.page)
    for change in result.added + result.removed + result.moved + result.reworded:  # the lists that show them
        pages += [ref.section for ref in (change.before, change.after) if ref and not ref.draft]
    pages += [reorder.path for reorder in result.reordered]
    if result.hot_changed or result.categories_added or result.categories_removed:
        pages.append("./")
    return list(dict.fromkeys(pages))


# -- writing it out -------------------------------------------------------------------------------


def _link(ref: Ref, preview: str) -> str:
    text = ref.question.replace("[", "\\[").replace("]", "\\]")
    return f"[{text}]({preview}{ref.page})" if preview and not ref.draft else text


def format_markdown(diff: ContentDiff, base: str, preview: str = "", artifact: str = "") -> str:
    """The pull-request comment (and the job summary): every question line links to its preview page."""
    lines = [MARKER, f"### 这个 pull request 对帮助中心的改动（对比 {base}）", ""]
    if diff.empty:
        return "\n".join(lines + ["没有改动任何问题、分类或排序。", ""])
    if preview:
        lines += [f"预览网站：{preview}", ""]
    elif artifact:
        lines += [f"预览：下载这次检查生成的网站（{artifact}），解压后用浏览器打开。", ""]

    def section(title: str, changes: list[Change], render) -> None:
        if changes:
            lines.extend([f"**{title}（{len(changes)}）**", ""] + [f"- {render(c)}" for c in changes] + [""])

    section("新增的问题", diff.added, lambda c: f"{_link(c.after, preview)} · {c.after.category}"
            + (f" · {c.detail}" if c.detail else ""))
    section("删除的问题", diff.removed, lambda c: f"~~{c.before.question}~~（{c.before.id}）· {c.before.category}"
            + (f" · 是不是改名成了 `{c.detail}`？请在它的 previous_ids 里写上 `{c.before.id}`，旧网址就会跳转过去"
               if c.detail else " · 没有问题接替它：旧网址会变成“找不到页面”"))
    section("改了 id 的问题（旧网址会自动跳转）", diff.renamed,
            lambda c: f"{_link(c.after, preview)} · `{c.before.id}` → `{c.after.id}`")
    section("换了分类的问题", diff.moved, lambda c: f"{_link(c.after, preview)} · {c.detail}")
    section("改了问法的问题", diff.reworded, lambda c: f"{_link(c.after, preview)} · {c.detail}")
    section("改了答案的问题", diff.answers, lambda c: f"{_link(c.after, preview)}<br>改前：{c.excerpt_before or '（空）'}"
            f"<br>改后：{c.excerpt_after or '（空）'}")
    section("草稿（不会发布）", diff.drafts, lambda c: f"{c.after.question}（{c.after.id}）· {c.detail}")
    if diff.categories_added or diff.categories_removed:
        lines += ["**分类**", ""] + [f"- 新增：{c}" for c in diff.categories_added] \
            + [f"- 删除：{c}" for c in diff.categories_removed] + [""]
    if diff.reordered:
        lines += ["**被问次数变化带来的排序变化**", ""]
        for reorder in diff.reordered:
            lines.append(f"- {reorder.category}（`{reorder.path}`）：" + "；".join(reorder.moves[:8])
                         + ("……" if len(reorder.moves) > 8 else ""))
        lines.append("")
    if diff.hot_changed:
        lines += ["**首页“热门问题”**", "", "| 名次 | 改前 | 改后 |", "| --- | --- | --- |"]
        for rank in range(max(len(diff.hot_before), len(diff.hot_after))):
            was = diff.hot_before[rank].question if rank < len(diff.hot_before) else ""
            now = _link(diff.hot_after[rank], preview) if rank < len(diff.hot_after) else ""
            lines.append(f"| {rank + 1} | {was} | {now} |")
        lines.append("")
    if diff.duplicates:
        lines += ["**可能重复的问题**", ""] + [f"- {message}" for message in diff.duplicates] + [""]
    lines += ["<details><summary>改动的页面（" + str(len(diff.pages)) + "）</summary>", ""]
    lines += [f"- `{page}`" for page in diff.pages] + ["", "</details>", ""]
    return "\n".join(lines)


def format_text(diff: ContentDiff, base: str) -> str:
    if diff.empty:
        return f"和 {base} 相比，没有改动任何问题、分类或排序。"
    text = format_markdown(diff, base).replace(MARKER + "\n", "")
    for markup in ("### ", "**", "~~", "`", "<br>", "<details><summary>", "</summary>", "</details>"):
        text = text.replace(markup, "\n    " if markup == "<br>" else "")
    return text.rstrip()


def format_github(diff: ContentDiff) -> str:
    """A warning where a removed question was, when nothing takes over its URL."""
    lines = []
    for change in diff.removed:
        ref = change.before
        message = (f"删除了“{ref.question}”（{ref.id}）。它的网址 /{ref.page} 会变成“找不到页面”："
                   f"顾客的收藏和搜索引擎里的链接都会失效。")
        hint = (f"如果是改名成了 {change.detail}，请在 {change.detail} 的 previous_ids 里写上 {ref.id}。"
                if change.detail else "如果有问题接替它，请在那个问题的 previous_ids 里写上这个 id。")
        lines.append(f"::warning file={github_property(ref.file)},line={ref.line},"
                     f"title={github_property('删除的问题没有接替者')}::{github_data(message + ' 怎么改：' + hint)}")
    return "\n".join(lines)


# -- command line ---------------------------------------------------------------------------------


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "diff", help="和某个 git 版本相比，这次改动对帮助中心有什么影响（新增、删除、改名、移动、排序、热门问题）",
        description="只读取内容，不修改任何文件。内容有错误时列出错误并返回 1。")
    parser.add_argument("base", metavar="BASE_REF", help="和哪个 git 版本比较，例如 main 或 origin/main")
    parser.add_argument("path", nargs="?", default="faq", help="内容目录（默认 faq）")
    parser.add_argument("--format", choices=["text", "markdown", "json", "github"], default="text",
                        help="text：给人看；markdown：pull request 评论；json：给程序用；github：删除问题的警告注释")
    parser.add_argument("--preview-url", default="", metavar="URL",
                        help="预览网站的地址（以 / 结尾），每个问题会链接到它在预览里的页面")
    parser.add_argument("--artifact", default="", metavar="文字", help="没有预览网站时，说明去哪里下载生成的网站")
    parser.add_argument("--base-label", default="", metavar="名称", help="说明里怎么称呼 BASE_REF（默认就是 BASE_REF）")
    parser.add_argument("--hot", type=whole_number(1), default=None, metavar="N",
                        help="热门问题的个数（默认读取 mkdocs.yml 的 hot_questions，否则 10）")
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    root = Path(args.path)
    content, problems = check_project(root)
    errors = [p for p in problems if p.is_error]
    if errors:
        print(format_problems(errors), file=sys.stderr)
        print("内容有错误，请先修正（make validate 会列出全部问题）。", file=sys.stderr)
        return 1
    hot = args.hot or plugin_settings(Path("mkdocs.yml")).get("hot_questions")
    hot = hot if isinstance(hot, int) and not isinstance(hot, bool) and hot > 0 else 10
    preview = args.preview_url if not args.preview_url or args.preview_url.endswith("/") else args.preview_url + "/"
    try:
        with content_at_revision(root, args.base) as old:
            diff = diff_content(old, content, hot)
    except GitError as error:
        print(error, file=sys.stderr)
        return 1
    label = args.base_label or args.base
    if args.format == "json":
        print(json.dumps(diff.as_dict(), ensure_ascii=False, indent=2))
    elif args.format == "markdown":
        print(format_markdown(diff, label, preview, args.artifact))
    elif args.format == "github":
        output = format_github(diff)
        if output:
            print(output)
    else:
        print(format_text(diff, label))
    return 0
