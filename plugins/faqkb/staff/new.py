"""`faqkb new`: add a question to a category, asking for whatever the options leave out.

The entry goes into the category's entries file at the place its frequency gives it, so the file
stays in the order the validator requires; nothing else in the file changes.
"""

from __future__ import annotations

import argparse
import functools
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml
from pypinyin import lazy_pinyin
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from . import fmt, yamledit
from .project import check_project, day, project_today, whole_number
from .duplicates import find_duplicates
from .frequency import question_key
from ..content.load import YAML_SUFFIXES
from ..content.syntax import id_fault
from ..content.model import Category, Content, Entry
from ..content.problems import echo, format_problems
from ..search.text import PARTICLES, STOP_SET, Segmenter, is_cjk, normalize, runs, split_stop_words

# A proposed id reads like a short phrase: 退款多久能到账？ → tui-kuan-duo-jiu-dao-zhang. Whole
# words are kept, so it may run one syllable over.
ID_SYLLABLES = 5
EXAMPLE = 'make new ARGS="--question 退款多久能到账？ --category after-sales/refunds --answer-file 答案.md --frequency 10"'


class Stop(Exception):
    """The question cannot be added; the message says why, for staff."""


def register(subparsers) -> None:
    parser = subparsers.add_parser("new", help="新建一个问题（没有给出的内容会逐项询问）")
    parser.add_argument("path", nargs="?", default="faq", help="内容目录（默认 faq）")
    parser.add_argument("--question", help="问题，例如“退款多久能到账？”")
    parser.add_argument("--category", help="分类目录，例如 after-sales/refunds")
    answer = parser.add_mutually_exclusive_group()
    answer.add_argument("--answer-file", help="从这个文件读取答案（Markdown，UTF-8）；写 - 表示从标准输入读取")
    answer.add_argument("--answer", help="答案（Markdown）")
    parser.add_argument("--frequency", type=whole_number(), default=None,
                        help="被问次数（必填；新问题还没有统计就写 0，每周的导入会更新它）")
    parser.add_argument("--alias", action="append", default=[], help="别的问法；有几个就写几次 --alias")
    parser.add_argument("--tag", action="append", default=[], help="标签；有几个就写几次 --tag")
    parser.add_argument("--id", help="问题的 id（默认根据问题的拼音生成）")
    parser.add_argument("--today", type=day, default=None, metavar="YYYY-MM-DD",
                        help="写进 updated 的日期（默认 mkdocs.yml 里 timezone 时区的今天，未设置则为北京时间）")
    parser.add_argument("--file", help="写进分类里的哪个文件，例如 refunds.yml（默认：分类里唯一的条目文件）")
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    try:
        return _add(args)
    except Stop as error:
        print(error, file=sys.stderr)
        return 1
    except EOFError:
        print("\n输入结束，没有添加问题。", file=sys.stderr)
        return 1


def _add(args: argparse.Namespace) -> int:
    root = Path(args.path)
    if not root.is_dir():
        raise Stop(f"找不到内容目录 {args.path}。")
    interactive = sys.stdin.isatty()
    given = (("--question", args.question), ("--category", args.category),
             ("--answer 或 --answer-file", args.answer or args.answer_file),
             ("--frequency", "" if args.frequency is None else str(args.frequency)))
    missing = [flag for flag, value in given if not value]
    if missing and not interactive:
        raise Stop(f"缺少 {'、'.join(missing)}。现在不是在终端里运行，无法逐项询问，请用参数给出，例如：\n  {EXAMPLE}")

    today = args.today or project_today()
    content, problems = check_project(root, today)
    question = " ".join((args.question or _ask("问题：")).split())
    if not question:
        raise Stop("问题是空的，没有添加。")
    category = _category(args.category, content, interactive)
    file = _file(category, args.file, interactive)
    blocked = fmt.blocking_problems(problems).get(file)
    if blocked:
        raise Stop(fmt.skipped(file, blocked, "添加到"))
    _warn_if_asked_already(question, content)
    answer = _answer(args, interactive)
    frequency = args.frequency if args.frequency is not None else _ask_frequency()
    entry_id = _entry_id(args.id, question, content, interactive)

    entry = CommentedMap([("id", entry_id), ("question", _text(question)), ("answer", LiteralScalarString(answer)),
                          ("frequency", frequency)])
    for name, values in (("aliases", args.alias), ("tags", args.tag)):
        values = list(dict.fromkeys(" ".join(value.split()) for value in values if value.strip()))
        if values:
            entry[name] = CommentedSeq(_text(value) for value in values)
            entry[name].fa.set_flow_style()  # as the sample content writes them: aliases: [a, b]
    entry["updated"] = today

    path = Path(file)
    entries = fmt.file_entries(content, file)
    position = next((index for index, other in enumerate(entries) if other.frequency < frequency), len(entries))
    try:
        document = fmt.read_for_edit(file) if path.exists() else yamledit.new_file(path)
        items = list(document.data) if isinstance(document.data, list) else []
        if len(items) != len(entries):
            raise yamledit.Unsafe("无法把文件里的条目一一对应起来")
        items.insert(position, entry)
        text = yamledit.render(document, items, field_order=None)  # other entries stay exactly as written
    except yamledit.Unsafe as error:
        raise Stop(f"没有添加到 {file}：{error}。文件没有改动。") from error
    try:
        yamledit.write_all([(path, text)])
    except yamledit.Unwritable as error:
        raise Stop(f"没有添加问题。{error}") from None

    print(f"已添加问题“{question}”（id：{entry_id}）到 {file}，是其中第 {position + 1} 个。")
    _, problems = check_project(root, today)
    own = [problem for problem in problems if problem.file == file]
    if own:
        print(format_problems(own))
        return 1 if any(problem.is_error for problem in own) else 0
    print("检查通过：这个文件没有问题。")
    return 0


def _text(value: str) -> str:
    """Quoted where faqkb's reader (YAML 1.1) would not read the bare words back as this text,
    e.g. yes, off or 12:30; ruamel writes YAML 1.2, where those are plain text."""
    try:
        plain = yaml.safe_load(value) == value
    except yaml.YAMLError:
        plain = False
    return value if plain else DoubleQuotedScalarString(value)


def _ask(prompt: str) -> str:
    while not (value := input(prompt).strip()):
        print("不能为空，请再输入一次。")
    return value


def _category(value: str | None, content: Content, interactive: bool) -> Category:
    categories = {"/".join(category.path): category for category in content.walk_categories()}
    if not categories:
        raise Stop(f"{content.root} 里还没有分类：请先建一个目录，在里面写好 _category.yml。")
    listing = "\n".join(f"  {number:>2}. {path}  {category.title if isinstance(category.title, str) else ''}"
                        for number, (path, category) in enumerate(categories.items(), 1))
    while True:
        if value is None:
            print(f"现有的分类：\n{listing}")
            value = _ask("分类（输入编号或目录，例如 after-sales/refunds）：")
            if value.isdigit() and 1 <= int(value) <= len(categories):
                return list(categories.values())[int(value) - 1]
        path = value.strip().replace("\\", "/").strip("/")
        found = categories.get(path) or categories.get(path.removeprefix(f"{content.root.name}/"))
        if found:
            return found
        message = f"分类“{value}”不存在。现有的分类：\n{listing}"
        if not interactive:
            raise Stop(message)
        print(message.split("\n")[0])
        value = None


def _file(category: Category, name: str | None, interactive: bool) -> str:
    """The entries file (shown as in problems) the question goes into; it may not exist yet."""
    existing = [Path(file).name for file in category.entry_files]
    if name is not None:
        if "/" in name or "\\" in name or not name.endswith(YAML_SUFFIXES) or name.startswith(("_", ".")):
            raise Stop(f"--file 只写文件名，以 .yml 结尾，例如 --file {category.slug}.yml。")
    elif len(existing) == 1:
        name = existing[0]
    elif not existing:
        name = f"{category.slug}.yml"
    elif not interactive:
        raise Stop(f"分类 {'/'.join(category.path)} 里有 {len(existing)} 个条目文件：{'、'.join(existing)}。"
                   "请用 --file 指定写进哪一个。")
    else:
        print("这个分类里有几个条目文件：\n" + "\n".join(f"  {n}. {file}" for n, file in enumerate(existing, 1)))
        while name is None:
            choice = _ask("写进哪一个（输入编号）：")
            if choice.isdigit() and 1 <= int(choice) <= len(existing):
                name = existing[int(choice) - 1]
    return f"{category.folder}/{name}"


def _warn_if_asked_already(question: str, content: Content) -> None:
    """Warns (never stops) when an entry already asks this: the same words, or what `faqkb duplicates`
    would call the same question."""
    key = question_key(question)
    same = [entry for entry in content.entries
            if any(isinstance(text, str) and question_key(text) == key
                   for text in [entry.question, *(entry.aliases if isinstance(entry.aliases, list) else [])])]
    probe = Entry(id="faqkb-new-question", question=question, answer="", frequency=0, file="")
    alike = Content(root=content.root, synonyms=content.synonyms, entries=[*content.entries, probe])
    for pair in find_duplicates(alike, new_ids=[probe.id]):
        if pair.keep not in same:
            same.append(pair.keep)
    if key and same:
        where = "、".join(f"“{entry.question}”（{entry.id}，{entry.file}）" for entry in same[:3])
        print(f"注意：已经有很可能相同的问题：{where}。如果是同一个问题，请不要新建，把新问法写进它的 aliases。",
              file=sys.stderr)


def _ask_frequency() -> int:
    while True:
        text = _ask("被问次数（整数；新问题还没有统计就写 0）：")
        if text.isdecimal():
            return int(text)
        print(f"“{text}”不是大于等于 0 的整数。")


def _answer(args: argparse.Namespace, interactive: bool) -> str:
    if args.answer is not None:
        text = args.answer
    elif args.answer_file == "-":
        text = sys.stdin.read()
    elif args.answer_file:
        try:
            text = Path(args.answer_file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise Stop(f"无法读取答案文件 {args.answer_file}（{error}）。请确认文件存在，并保存为 UTF-8 编码。") from error
    elif editor := _editor():
        text = _edit(editor)
    else:
        print("请输入答案（Markdown，可以用空行分段）；写完后单独一行输入一个英文句点“.”结束：")
        lines = []
        while (line := input()) != ".":
            lines.append(line)
        text = "\n".join(lines)
    text = text.replace("\r\n", "\n").strip("\n").rstrip()
    if not text.strip():
        raise Stop("答案是空的，没有添加问题。")
    # faqkb refuses a file with a tab in any line's indentation (FAQ004), answers included;
    # Markdown reads a leading tab as four spaces anyway.
    lines = [(line, len(line) - len(line.lstrip(" \t"))) for line in text.split("\n")]
    return "\n".join(line[:indent].expandtabs(4) + line[indent:] for line, indent in lines) + "\n"


def _editor() -> str | None:
    """The staff member's editor: $VISUAL or $EDITOR, else, on a terminal screen, the system's
    (editor, nano, vi)."""
    for variable in ("VISUAL", "EDITOR"):
        if os.environ.get(variable, "").strip():
            return os.environ[variable]
    if not sys.stdout.isatty():
        return None
    return next((name for name in ("editor", "nano", "vi") if shutil.which(name)), None)


def _edit(editor: str) -> str:
    handle, name = tempfile.mkstemp(prefix="faqkb-answer-", suffix=".md")
    os.close(handle)
    try:
        print(f"正在用 {editor} 打开一个临时文件：写好答案，保存并关闭编辑器后继续。")
        try:
            result = subprocess.run([*shlex.split(editor), name])
        except OSError as error:
            raise Stop(f"无法打开编辑器 {editor}（{error}）。也可以用 --answer-file 给出答案。") from error
        if result.returncode:
            raise Stop(f"编辑器 {editor} 没有正常退出（返回 {result.returncode}），没有添加问题。")
        return Path(name).read_text(encoding="utf-8-sig")
    finally:
        os.unlink(name)


def _entry_id(value: str | None, question: str, content: Content, interactive: bool) -> str:
    taken = {entry.id: entry.file for entry in content.entries if isinstance(entry.id, str)}
    proposed = propose_id(question, taken)
    if value is None:
        value = (input(f"id（直接回车使用 {proposed}）：").strip() or proposed) if interactive else proposed
    while True:
        if fault := id_fault(value):
            problem = f"id“{echo(value)}”格式不对：{fault}，例如 {proposed}。"
        elif value in taken:
            problem = f"id“{value}”已经被 {taken[value]} 里的问题用了，id 必须全站唯一。"
        else:
            return value
        if not interactive:
            raise Stop(problem)
        print(problem)
        value = input(f"id（直接回车使用 {proposed}）：").strip() or proposed


def propose_id(question: str, taken) -> str:
    """An unused kebab-case id from the pinyin of the question's meaningful words."""
    base = "-".join(_id_syllables(question)) or "question"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def _id_syllables(question: str) -> list[str]:
    words: list[tuple[str, list[str]]] = []  # (word, its syllables)
    for run, _ in runs(normalize(question)):
        if not is_cjk(run):
            words.append((run, [run]))
            continue
        for piece, _ in split_stop_words(run):  # drops 怎么, 请问, 可以 ...
            for word in _cut(piece):
                if word not in STOP_SET and word not in PARTICLES:
                    syllables = [s for s in lazy_pinyin(word) if s.isascii() and s.isalnum()]
                    if syllables:
                        words.append((word, syllables))
    if sum(len(syllables) for _, syllables in words) > ID_SYLLABLES:
        # Single characters (能, 会, 要) carry the least meaning: they go first.
        words = [(word, s) for word, s in words if not (is_cjk(word) and len(word) == 1)] or words
    chosen: list[str] = []
    for _, syllables in words:
        if chosen and (len(chosen) >= ID_SYLLABLES or len(chosen) + len(syllables) > ID_SYLLABLES + 1):
            break
        chosen += syllables
    return chosen[:ID_SYLLABLES + 1]


@functools.lru_cache(maxsize=1)
def _segmenter() -> Segmenter:
    return Segmenter()  # loading jieba's dictionary takes most of a second


def _cut(piece: str) -> list[str]:
    """Words of a Han run without overlaps: the longest of jieba's search-mode words at each place."""
    known = set(_segmenter().words(piece))
    words, start = [], 0
    while start < len(piece):
        size = max((len(word) for word in known if piece.startswith(word, start)), default=1)
        words.append(piece[start:start + size])
        start += size
    return words
