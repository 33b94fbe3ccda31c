"""`faqkb duplicates`: entries that are probably the same question, to merge into one with aliases.

Two entries are compared by their wordings: the question, its first sentence when it asks two
things (运费怎么算？满多少包邮？ → 运费怎么算), and the aliases. Each wording goes through the
search's text pipeline (NFKC, lower case, Traditional → Simplified, 七天 → 7天, filler words and
particles dropped) with every synonym replaced by the first word of its group, and becomes a set of
features: the toneless pinyin of every character and of every pair of neighbouring characters, and
ASCII words. Pinyin makes a homophone typo (退宽, 运废) the same as the word it replaces. A feature
weighs the square of its inverse document frequency (an entry's wordings together are one
document), so rare words decide and common ones barely count. Two wordings score the weighted Dice
overlap of their features (0–1); two entries, the best score between a question of one and any
wording of the other. Aliases are not compared with aliases: short aliases of related entries
legitimately overlap.

The search ranking is not used: its scores blend in the answers and how often an entry is asked, so
related questions with different meanings (退款多久能到账 and 退款成功却没收到钱) rank each other
as high as true duplicates do.

THRESHOLD: no pair of the sample content reaches it (its two most similar distinct questions,
在哪里可以领到优惠券 and 我领到的优惠券在哪里查看, score 0.72). Planted as new entries, nearly every
Traditional or typo variant of a sample question is found, and so is a rewording that keeps the key
words or matches an alias; chatty paraphrases that share few characters (钱退回来要几天) are not.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .project import check_project
from .gitrev import GitError, content_at_revision
from ..content.model import Content, Entry
from ..content.problems import github_data, github_property, format_problems
from ..search.text import PARTICLES, char_pinyins, is_cjk, normalize, runs, split_stop_words

THRESHOLD = 0.75
PAIR_WEIGHT = 0.5  # a pair of neighbouring characters counts half as much as one more character
IDF_POWER = 2
TITLE = "可能重复的问题"
# A question that asks two things is also compared by its first sentence; commas do not end one
# (人在泰国，还能…吗 would otherwise match any question about Thailand).
_SENTENCE_END = re.compile(r"[?？!！。；;]")

Features = dict[str, float]


@dataclass(frozen=True)
class Wording:
    """One way an entry is asked, with the weight of each of its features (value × idf²)."""

    text: str
    alias: bool
    weights: Features
    total: float


@dataclass(frozen=True)
class Pair:
    """Two entries that probably ask the same thing: `merge` should become aliases of `keep`.

    `merge_wording` and `keep_wording` are the two wordings that matched best.
    """

    keep: Entry
    merge: Entry
    score: float
    merge_wording: str
    keep_wording: str

    @property
    def message(self) -> str:
        keep, merge = self.keep, self.merge
        line = keep.where("id")[0]
        matched = ""
        if (self.merge_wording, self.keep_wording) != (merge.question, keep.question):
            matched = f"最相近的问法：“{self.merge_wording}”和“{self.keep_wording}”，"
        return (f"“{merge.question}”（{merge.id}）和 {keep.file}:{line} 的“{keep.question}”（{keep.id}）"
                f"很可能是同一个问题（{matched}相似度 {self.score:.2f}）。")

    @property
    def hint(self) -> str:
        keep, merge = self.keep, self.merge
        has_aliases = isinstance(merge.aliases, list) and any(isinstance(a, str) for a in merge.aliases)
        moved = f"“{merge.question}”" + (f"和 {merge.id} 的 aliases " if has_aliases else "")
        return (f"请合并成一个条目：把{moved}写进 {keep.id} 的 aliases，"
                f"把 {merge.id} 的答案里 {keep.id} 没有的内容补进 {keep.id} 的答案，然后删除 {merge.id}，"
                f"并把指向 {merge.id} 的 related 和 [[{merge.id}]] 改成 {keep.id}。"
                "如果确实是两个不同的问题，可以忽略这条提示。")

    def as_text(self) -> str:
        line, column = self.merge.where("id")
        return f"{self.merge.file}:{line}:{column}: 可能重复 {self.message}\n    怎么改：{self.hint}"

    def as_github(self) -> str:
        # The same form as Problem.as_github (faqkb validate), as a warning without a code.
        line, column = self.merge.where("id")
        return (f"::warning file={github_property(self.merge.file)},line={line},col={column},"
                f"title={github_property(TITLE)}::{github_data(self.message + ' 怎么改：' + self.hint)}")

    def as_dict(self) -> dict:
        def side(entry: Entry, wording: str) -> dict:
            line, column = entry.where("id")
            return {"id": entry.id, "question": entry.question, "file": entry.file, "line": line,
                    "column": column, "wording": wording}

        return {"score": self.score, "merge": side(self.merge, self.merge_wording),
                "keep": side(self.keep, self.keep_wording), "message": self.message, "hint": self.hint}


def find_duplicates(content: Content, *, threshold: float = THRESHOLD,
                    new_ids: Iterable[str] | None = None) -> list[Pair]:
    """Pairs of entries whose wordings are at least `threshold` alike, most similar first.

    With `new_ids`, only pairs that involve one of those entries; the new entry is then the one to
    merge. Otherwise the entry asked less often is. Entries without a usable id or question (which
    validate reports) are left out.
    """
    entries = [e for e in content.entries if isinstance(e.id, str) and isinstance(e.question, str)]
    new = set(new_ids) if new_ids is not None else None
    canonical = _synonym_canonicals(content)
    texts = [[(text, alias, wording_features(text, canonical)) for text, alias in _texts(entry)] for entry in entries]
    weight = _idf({f for _, _, features in own for f in features} for own in texts)
    wordings = [[Wording(text, alias, weights, sum(weights.values()))
                 for text, alias, features in own
                 if (weights := {f: value * weight[f] for f, value in features.items()})]
                for own in texts]

    subjects = range(len(entries)) if new is None else [n for n, e in enumerate(entries) if e.id in new]
    pairs: list[tuple[Pair, int]] = []
    for a, b in sorted(_candidates(wordings, threshold, subjects)):
        score, wa, wb = _best_match(wordings[a], wordings[b], threshold)
        if score < threshold:
            continue
        score = round(score, 4)  # sums of the same weights in another order: identical wordings give 1
        if _merge_second(entries[a], entries[b], new):
            pairs.append((Pair(entries[a], entries[b], score, wb, wa), b))
        else:
            pairs.append((Pair(entries[b], entries[a], score, wa, wb), a))
    pairs.sort(key=lambda item: (-item[0].score, item[0].merge.file, item[0].merge.where("id"), item[1]))
    return [pair for pair, _ in pairs]


def _candidates(wordings: list[list[Wording]], threshold: float, subjects: Iterable[int]) -> set[tuple[int, int]]:
    """Pairs of entries (lower number first), one of them a subject, that may reach `threshold`.

    Prefix filtering: with every wording's features in one order, rarest first, two wordings whose
    Dice overlap reaches t share a feature among the first ones of each that weigh more than
    (2 - 2t) / (2 - t) of its total (the rest is too light to reach t alone). Only those first
    features are indexed, so common characters do not make every entry a candidate of every other.
    """
    share = (2 - 2 * threshold) / (2 - threshold)
    prefixes: list[list[list[str]]] = []
    holders: dict[str, list[tuple[int, bool]]] = {}
    for number, own in enumerate(wordings):
        prefixes.append([])
        for wording in own:
            # A feature's weight is the same in every wording, so this is one order for all.
            ordered = sorted(wording.weights, key=lambda f: (-wording.weights[f], f))
            prefix, covered = [], 0.0
            for feature in ordered:
                prefix.append(feature)
                covered += wording.weights[feature]
                if covered > share * wording.total:
                    break
            prefixes[number].append(prefix)
            for feature in prefix:
                holders.setdefault(feature, []).append((number, wording.alias))
    found: set[tuple[int, int]] = set()
    for a in subjects:
        for wording, prefix in zip(wordings[a], prefixes[a]):
            for feature in prefix:
                for b, alias in holders[feature]:
                    if b != a and not (alias and wording.alias):
                        found.add((min(a, b), max(a, b)))
    return found


def _merge_second(first: Entry, second: Entry, new: set[str] | None) -> bool:
    """Whether `second` (later in the content) is the one to fold into `first`."""
    if new is not None and (first.id in new) != (second.id in new):
        return second.id in new
    first_count = first.frequency if isinstance(first.frequency, int) else 0
    second_count = second.frequency if isinstance(second.frequency, int) else 0
    return second_count <= first_count


def _best_match(a: list[Wording], b: list[Wording], threshold: float) -> tuple[float, str, str]:
    """The most similar wordings of two entries, question against question or alias (not alias against alias)."""
    best = (0.0, "", "")
    for x in a:
        for y in b:
            if x.alias and y.alias:
                continue
            # Dice cannot exceed 2·min/(sum): skip pairs of very different lengths early.
            if 2 * min(x.total, y.total) / (x.total + y.total) < max(best[0], threshold):
                continue
            score = similarity(x, y)
            if score > best[0]:
                best = (score, x.text, y.text)
    return best


def similarity(a: Wording, b: Wording) -> float:
    """Weighted Dice overlap of two wordings' features: 1 for the same features, 0 for none in common."""
    common = a.weights.keys() & b.weights.keys()
    return 2 * sum(a.weights[f] for f in common) / (a.total + b.total)


def _idf(documents: Iterable[set[str]]) -> dict[str, float]:
    """Inverse document frequency, squared, of every feature; each entry (all its wordings) is a document."""
    counts: dict[str, int] = {}
    total = 0
    for features in documents:
        total += 1
        for feature in features:
            counts[feature] = counts.get(feature, 0) + 1
    return {f: math.log(1 + total / n) ** IDF_POWER for f, n in counts.items()}


def _texts(entry: Entry) -> list[tuple[str, bool]]:
    """(wording, is an alias): the question, its first sentence if it has several, the aliases."""
    question = entry.question.strip()
    texts = [(question, False)]
    sentences = [c.strip() for c in _SENTENCE_END.split(question) if c.strip()]
    if len(sentences) > 1:
        texts.append((sentences[0], False))
    aliases = entry.aliases if isinstance(entry.aliases, list) else []
    return texts + [(alias, True) for alias in aliases if isinstance(alias, str) and alias.strip()]


def wording_features(text: str, canonical: dict[str, str] | None = None) -> Features:
    """Pinyin of characters (weight 1) and of neighbouring pairs (PAIR_WEIGHT), and ASCII words.

    Filler words split the text like the search does, and particles are dropped; `canonical`
    (word → first word of its synonym group) is applied first.
    """
    features: Features = {}
    for run, _ in runs(_replace_synonyms(normalize(text), canonical or {})):
        if not is_cjk(run):
            features["a:" + run] = 1.0
            continue
        for piece, _ in split_stop_words(run):
            syllables = [_reading(ch) for ch in piece if ch not in PARTICLES]
            for syllable in syllables:
                features["c:" + syllable] = 1.0
            for left, right in zip(syllables, syllables[1:]):
                features[f"p:{left} {right}"] = PAIR_WEIGHT
    return features


@functools.lru_cache(maxsize=20_000)
def _reading(char: str) -> str:
    readings = char_pinyins(char, limit=1)
    return readings[0] if readings else char


def _synonym_canonicals(content: Content) -> dict[str, str]:
    table: dict[str, str] = {}
    for group in content.synonyms:
        words = group.words if isinstance(group.words, list) else []
        words = [normalize(w).strip() for w in words if isinstance(w, str) and w.strip()]
        for word in words:
            table.setdefault(word, words[0])
    return table


def _replace_synonyms(text: str, canonical: dict[str, str]) -> str:
    """Every synonym in `text` replaced by its group's first word, longest match first."""
    if not canonical:
        return text
    longest = max(map(len, canonical))
    out: list[str] = []
    i = 0
    while i < len(text):
        for size in range(min(longest, len(text) - i), 0, -1):
            word = text[i:i + size]
            if word in canonical and not _inside_ascii_word(text, i, i + size):
                out.append(canonical[word])
                i += size
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _inside_ascii_word(text: str, start: int, end: int) -> bool:
    """vip in vipshop is not the word vip."""
    def ascii_word(ch: str) -> bool:
        return ch.isascii() and ch.isalnum()

    return ((ascii_word(text[start]) and start > 0 and ascii_word(text[start - 1]))
            or (ascii_word(text[end - 1]) and end < len(text) and ascii_word(text[end])))


# -- command line ---------------------------------------------------------------------------------


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "duplicates", help="找出可能重复的问题（应合并成一个条目，把另一种问法写进 aliases）",
        description="比较所有问题和别名（aliases），列出很可能是同一个问题的条目。发现重复不算失败（除非加 --fail）。")
    parser.add_argument("path", nargs="?", default="faq", help="内容目录（默认 faq）")
    parser.add_argument("--since", metavar="GIT版本",
                        help="只检查这个 git 版本之后新增的问题（id 在那个版本里不存在），例如 origin/main")
    parser.add_argument("--format", choices=["text", "github", "json"], default="text",
                        help="text：给人看；github：GitHub Actions 注释；json：给程序用")
    parser.add_argument("--threshold", type=_threshold, default=THRESHOLD,
                        help=f"相似度达到多少算重复，0 到 1 之间（默认 {THRESHOLD}；越小报告越多）")
    parser.add_argument("--fail", action="store_true", help="发现重复时返回 1")
    parser.set_defaults(run=_run)


def _threshold(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"“{text}”不是 0 到 1 之间的数，例如 0.75")
    return value


def _run(args: argparse.Namespace) -> int:
    root = Path(args.path)
    content, problems = check_project(root)
    errors = [p for p in problems if p.is_error]
    if errors:
        print(format_problems(errors), file=sys.stderr)
        print("内容有错误，请先修正（make validate 会列出全部问题）。", file=sys.stderr)
        return 1
    new_ids = None
    if args.since:
        try:
            with content_at_revision(root, args.since) as old:
                new_ids = {e.id for e in content.entries} - ({e.id for e in old.entries} if old else set())
        except GitError as error:
            print(error, file=sys.stderr)
            return 1
    pairs = find_duplicates(content, threshold=args.threshold, new_ids=new_ids)

    if args.format == "json":
        print(json.dumps([pair.as_dict() for pair in pairs], ensure_ascii=False, indent=2))
    elif args.format == "github":
        for pair in pairs:
            print(pair.as_github())
    else:
        for pair in pairs:
            print(pair.as_text())
        scope = f"检查了 {args.since} 之后新增的 {len(new_ids)} 个问题" if new_ids is not None else "检查了所有问题"
        found = f"发现 {len(pairs)} 对可能重复的问题" if pairs else "没有发现可能重复的问题"
        print(f"{scope}：{found}。", file=sys.stderr)
    return 1 if pairs and args.fail else 0
