"""Ranking a shopper's query against the term table: the reference the browser search mirrors.

engine.js implements the same steps in the same order with the constants exported in the
search metadata; tests run the same queries through both and compare the results.

A query is normalised, split at filler words, and every substring found in the term table becomes
a query term (so 偏远地区 matches 地区, and 退款 matches 退款 and its characters). Characters
that no word of two or more characters explains are tried as pinyin (推货 → tuihuo → 退货), with
one syllable as a southern accent says it (正平 → zhengpin → 正品), and joined to the letters typed
next to them (发piao → fapiao). A word of the table that a clause says
in two parts, apart or turned round, matches over both (积分是怎么攒的: 攒积分; split_terms).
ASCII tokens match words, pinyin and initials (tuikuan, tk), joined (tui kuan) or split (zmtk).
A match that scores under a quarter of the term's best (the word only in an answer) covers half
as much: answer words can lift an entry, but not stand in for the question's own. A document's score adds up, for each query position, the best credit among the terms it matches
there (a term's weighted score over the square root of its length, on each of its positions): so a
word and its own characters count once, not three times. That sum is multiplied by the square of
the share of the query the document covers, so entries matching every part of the question come before partial matches; and
times how much of the entry's own question the query's characters account for (with a floor), so
that among questions that all contain the query, the one that says no more than it comes first.
An entry that asks what the query asks (why, how, whether, when…: text.INTENTS) gains for each
kind they share, and covers the query's words that ask it (几天 and 多久 both ask when).
When no word of the query is in the table (only single characters and pinyin guesses match), an
entry must cover all of it but one position: scattered characters alone are not an answer.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

from .index import SCORED_POSTINGS, SearchData
from .text import PARTICLES, intent_spans, intents, is_cjk, normalize, runs, split_stop_words

QUERY_MAX_CHARS = 64
ASCII_TOKEN_MAX = 24
MAX_TERM_LENGTH = 8
CJK_WEIGHTS = {1: 0.3, 2: 1.0, 3: 1.3}  # longer: CJK_LONG_WEIGHT
CJK_LONG_WEIGHT = 1.5
ASCII_WEIGHT = 1.0
ASCII_JOINED_WEIGHT = 1.2
ASCII_PIECE_WEIGHT = 0.7
ASCII_PREFIX_WEIGHT = 0.5
ASCII_PREFIX_LIMIT = 8
TYPO_FACTOR = 0.6
SPLIT_FACTOR = 0.5  # a word of the table said in two parts (split_terms)
SPLIT_PART_MAX = 4
SPLIT_GAP = 6
UNIGRAM_COVER = 0.8
WEAK_MISSES = 1  # positions an entry may miss when the query matched only single characters or pinyin guesses
MIN_COVERAGE = 0.1
# Below this share of the query, even the best entry is not what the query asks: the box and the
# results page say so above it (8 % of right first answers get the notice; 85 % of unanswerable
# queries get it or no result at all, on the tuning half of the blind query set).
WEAK_SHARE = 0.45
PINYIN_READINGS = 2
# Spellings a southern accent, or a slip on the input method, confuses (正平 for 正品, 黄货 for 换货,
# 资付宝 for 支付宝). One of them per guess; an initial only after the guess's first syllable, so a
# guess never needs a lexicon shard the exact spellings do not (shards go by the first two letters).
FUZZY_FINALS = (("ang", "an"), ("eng", "en"), ("ing", "in"))
FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"), ("h", "f"))
FUZZY_FACTOR = 0.8
SEPARABLE_INFIXES = "了完过个"  # between a verb and its object: 付完款 is 付款, 下了单 is 下单
MIXED_HAN_LENGTHS = (1, 2)  # Han characters joined to a word of letters next to them (发piao, 退kuan)
INTENT_WEIGHT = 2.5
# A posting scoring under this share of the term's best is faint: its positions count FAINT_COVER
# of what they would toward the share of the query an entry covers.
FAINT_SHARE = 0.25
FAINT_COVER = 0.5
# A query character an entry holds only through a word it matches (直接退钱 for 仅退款) counts this
# much toward the share of its question the query holds; the word must score at least
# WORD_HELD_SHARE of its best entry's score there (not a faint answer match).
WORD_HELD = 0.5
WORD_HELD_SHARE = 0.5
QUESTION_COVER_FLOOR = 0.3  # the factor for an entry whose question shares no character with the query

CONSTANTS = {
    "queryMaxChars": QUERY_MAX_CHARS, "asciiTokenMax": ASCII_TOKEN_MAX, "maxTermLength": MAX_TERM_LENGTH,
    "cjkWeights": [0, CJK_WEIGHTS[1], CJK_WEIGHTS[2], CJK_WEIGHTS[3]], "cjkLongWeight": CJK_LONG_WEIGHT,
    "asciiWeight": ASCII_WEIGHT, "asciiJoinedWeight": ASCII_JOINED_WEIGHT, "asciiPieceWeight": ASCII_PIECE_WEIGHT,
    "asciiPrefixWeight": ASCII_PREFIX_WEIGHT, "asciiPrefixLimit": ASCII_PREFIX_LIMIT, "typoFactor": TYPO_FACTOR,
    "fuzzyFinals": [list(pair) for pair in FUZZY_FINALS], "fuzzyInitials": [list(pair) for pair in FUZZY_INITIALS],
    "fuzzyFactor": FUZZY_FACTOR, "splitFactor": SPLIT_FACTOR, "splitPartMax": SPLIT_PART_MAX, "splitGap": SPLIT_GAP,
    "unigramCover": UNIGRAM_COVER, "minCoverage": MIN_COVERAGE, "pinyinReadings": PINYIN_READINGS,
    "weakMisses": WEAK_MISSES, "mixedHanLengths": list(MIXED_HAN_LENGTHS), "separableInfixes": SEPARABLE_INFIXES,
    "intentWeight": INTENT_WEIGHT, "questionCoverFloor": QUESTION_COVER_FLOOR,
    "wordHeld": WORD_HELD, "wordHeldShare": WORD_HELD_SHARE,
    "weakShare": WEAK_SHARE, "faintShare": FAINT_SHARE, "faintCover": FAINT_COVER, "scoredPostings": SCORED_POSTINGS,
}


@dataclass
class QueryTerm:
    term: str
    weight: float
    start: int  # span in the normalised query
    end: int
    unigram: bool = False
    guess: bool = False  # a pinyin spelling of characters the table does not know (typo round)
    length: int = 0  # the term's own length when its span is one of two parts (split phrases); else 0

    @property
    def size(self) -> int:
        return self.length or self.end - self.start


@dataclass
class Analysis:
    """A normalised query: its Han pieces, ASCII tokens and the weight of each position."""

    text: str
    cjk: list[tuple[str, int]]
    ascii: list[tuple[str, int]]
    units: dict[int, float]  # position -> how much it counts toward coverage
    intents: int  # what it asks (text.intents)
    asking: list[tuple[int, int, int]]  # the words that ask it: (start, end, kind), text.intent_spans


@dataclass
class QuerySteps:
    analysis: Analysis
    found: list[QueryTerm]  # matched terms, typo guesses last
    ranked: list[tuple[int, float, list[str], float]]  # (doc number, score, matched terms, share), best first


@dataclass
class Result:
    number: int
    id: str
    question: str
    breadcrumb: list[str]
    score: float
    matched: list[str]
    share: float = 1.0  # how much of the query it answers (coverage, 0–1)

    @property
    def weak(self) -> bool:
        """Not what the query asks, though the closest there is (WEAK_SHARE)."""
        return self.share < WEAK_SHARE

    @property
    def url(self) -> str:
        return f"q/{self.id}/"


def cjk_weight(length: int) -> float:
    return CJK_WEIGHTS.get(length, CJK_LONG_WEIGHT)


def analyze(query: str) -> Analysis:
    text = normalize(query)[:QUERY_MAX_CHARS]
    cjk: list[tuple[str, int]] = []
    tokens: list[tuple[str, int]] = []
    units: dict[int, float] = {}
    for run, start in runs(text):
        if is_cjk(run):
            for piece, offset in split_stop_words(run):
                cjk.append((piece, start + offset))
                for i in range(len(piece)):
                    units[start + offset + i] = 1.0
        else:
            token = run[:ASCII_TOKEN_MAX]
            tokens.append((token, start))
            for i in range(len(token)):
                units[start + i] = 2.0 / len(token)
    return Analysis(text, cjk, tokens, units, intents(text), intent_spans(text))


def shard_keys(analysis: Analysis) -> list[str]:
    """The shard keys whose terms the first round of matching needs."""
    keys = []
    for piece, _ in analysis.cjk:
        keys += ["c" + ch for ch in piece]
    for token, _ in analysis.ascii:
        keys += ["a" + token[i:i + 2] for i in range(max(1, len(token) - 1))]
    return list(dict.fromkeys(keys))


def term_key(term: str) -> str:
    """Which shard key a term is stored under: Han terms by first character, others by two letters."""
    return "c" + term[0] if is_cjk(term) else "a" + term[:2]


def match_terms(analysis: Analysis, has: Callable[[str], bool], prefix_terms: Callable[[str], list[str]],
                prefix: bool) -> list[QueryTerm]:
    """First round: every substring of a Han piece in the table; ASCII words, joins, pieces, prefixes."""
    found: list[QueryTerm] = []
    for piece, start in analysis.cjk:
        for i in range(len(piece)):
            for length in range(1, min(MAX_TERM_LENGTH, len(piece) - i) + 1):
                sub = piece[i:i + length]
                if length == 1 and sub in PARTICLES:
                    continue
                if has(sub):
                    found.append(QueryTerm(sub, cjk_weight(length), start + i, start + i + length, length == 1))
        # A verb and its object said apart (付完款, 下了单, 开个票): the word they make, over all three.
        for i in range(len(piece) - 2):
            word = piece[i] + piece[i + 2]
            if piece[i + 1] in SEPARABLE_INFIXES and has(word):
                found.append(QueryTerm(word, cjk_weight(2), start + i, start + i + 3))
    found += split_terms(analysis, has, found)
    tokens = analysis.ascii
    for index, (token, start) in enumerate(tokens):
        end = start + len(token)
        if has(token):
            found.append(QueryTerm(token, ASCII_WEIGHT, start, end))
        else:
            found += _ascii_pieces(token, start, has)
        if index + 1 < len(tokens):
            following, following_start = tokens[index + 1]
            joined = token + following
            if set(analysis.text[end:following_start]) <= {" "} and has(joined):
                found.append(QueryTerm(joined, ASCII_JOINED_WEIGHT, start, following_start + len(following)))
        if prefix and index == len(tokens) - 1 and len(token) >= 2 and end == len(analysis.text):
            for term in prefix_terms(token)[:ASCII_PREFIX_LIMIT]:
                found.append(QueryTerm(term, ASCII_PREFIX_WEIGHT, start, end))
    return found


def clauses(analysis: Analysis) -> list[list[tuple[str, int]]]:
    """The query's Han pieces grouped by the run they come from (filler words split a run, spaces
    and punctuation end it)."""
    grouped: list[list[tuple[str, int]]] = []
    end = -1
    for piece, start in analysis.cjk:
        if grouped and all(is_cjk(ch) for ch in analysis.text[end:start]):
            grouped[-1].append((piece, start))
        else:
            grouped.append([(piece, start)])
        end = start + len(piece)
    return grouped


def split_terms(analysis: Analysis, has: Callable[[str], bool], words: list[QueryTerm]) -> list[QueryTerm]:
    """Words of the table (three to MAX_TERM_LENGTH characters) that a clause says in two parts,
    apart or the other way round: 密码换个 says 换个密码, 积分是怎么攒的 says 攒积分. The parts are at
    most SPLIT_GAP characters apart and one has two or more characters; a part of one character
    inside a longer word of the query is not one (还 of 还款: 花呗还款 does not say 还花呗). Each
    part is a term of its own over its span, weighed as the whole word."""
    in_words = {p for t in words if not t.unigram for p in range(t.start, t.end)}
    looked_up: dict[str, bool] = {}
    found: list[QueryTerm] = []
    for clause in clauses(analysis):
        parts = [(start + i, start + i + length) for piece, start in clause for i in range(len(piece))
                 for length in range(1, min(SPLIT_PART_MAX, len(piece) - i) + 1)
                 if length > 1 or start + i not in in_words]
        for a_start, a_end in parts:
            for b_start, b_end in parts:
                gap = b_start - a_end if b_start >= a_end else a_start - b_end
                size = a_end - a_start + b_end - b_start
                if gap < 0 or gap > SPLIT_GAP or b_start == a_end or size < 3 or size > MAX_TERM_LENGTH \
                        or max(a_end - a_start, b_end - b_start) < 2:
                    continue
                word = analysis.text[a_start:a_end] + analysis.text[b_start:b_end]
                if word not in looked_up:
                    looked_up[word] = has(word)
                if looked_up[word]:
                    weight = SPLIT_FACTOR * cjk_weight(size)
                    found.append(QueryTerm(word, weight, a_start, a_end, length=size))
                    found.append(QueryTerm(word, weight, b_start, b_end, length=size))
    return found


def _ascii_pieces(token: str, start: int, has: Callable[[str], bool]) -> list[QueryTerm]:
    """Cover an unknown ASCII token with the longest known pieces, left to right (zmtk → tk)."""
    pieces = []
    i = 0
    while i < len(token) - 1:
        for length in range(len(token) - i, 1, -1):
            sub = token[i:i + length]
            if has(sub):
                pieces.append(QueryTerm(sub, ASCII_PIECE_WEIGHT, start + i, start + i + length))
                i += length
                break
        else:
            i += 1
    return pieces


def weak_positions(analysis: Analysis, found: list[QueryTerm]) -> set[int]:
    """Han positions that no matched term of two or more characters explains."""
    strong = {p for t in found if not t.unigram and is_cjk(t.term) for p in range(t.start, t.end)}
    return {start + i for piece, start in analysis.cjk for i in range(len(piece))
            if start + i not in strong and piece[i] not in PARTICLES}


def typo_candidates(analysis: Analysis, found: list[QueryTerm], readings: Callable[[str], list[str]]):
    """Second round: pinyin spellings of 2–3 character stretches made only of weak positions, and
    of one or two weak characters typed against a word of letters (发piao, tui款: the input method
    switched mid-word), joined into one spelling."""
    weak = weak_positions(analysis, found)
    candidates: list[tuple[str, int, int]] = []

    def all_weak(start: int, end: int) -> bool:
        return all(p in weak for p in range(start, end))

    def spellings(start: int, end: int) -> list[tuple[str, bool]]:
        """Every combination of the characters' readings, then those with one reading confused."""
        options = [readings(analysis.text[p])[:PINYIN_READINGS] for p in range(start, end)]
        if not all(options):
            return []
        out = [("".join(combo), False) for combo in itertools.product(*options)]
        for i, choices in enumerate(options):
            confused = [v for reading in choices for v in fuzzy_spellings(reading, i > 0)]
            out += [("".join(combo), True) for combo in itertools.product(*options[:i], confused, *options[i + 1:])]
        return out

    for piece, start in analysis.cjk:
        for length in (2, 3):
            for i in range(len(piece) - length + 1):
                if all_weak(start + i, start + i + length):
                    candidates += [(s, start + i, start + i + length, f) for s, f in spellings(start + i, start + i + length)]
    for token, start in analysis.ascii:
        if not token.isalpha():
            continue
        end = start + len(token)
        for length in MIXED_HAN_LENGTHS:
            if all_weak(start - length, start):
                candidates += [(s + token, start - length, end, f) for s, f in spellings(start - length, start)]
            if all_weak(end, end + length):
                candidates += [(token + s, start, end + length, f) for s, f in spellings(end, end + length)]
    # The first of a spelling at a span wins: an exact reading before a confused one.
    unique: dict[tuple[str, int, int], bool] = {}
    for spelling, start, end, fuzzy in candidates:
        unique.setdefault((spelling, start, end), fuzzy)
    return [(spelling, start, end, fuzzy) for (spelling, start, end), fuzzy in unique.items()]


def fuzzy_spellings(reading: str, initial: bool) -> list[str]:
    """A syllable as an accent or a slip spells it: its final (an/ang, en/eng, in/ing) and, when
    `initial`, its initial (zh/z, ch/c, sh/s, n/l, h/f) swapped for the other of the pair."""
    out = []
    for one, other in FUZZY_FINALS:
        for a, b in ((one, other), (other, one)):
            if reading.endswith(a) and not (a == "an" and reading.endswith("ang")) \
                    and not (a == "en" and reading.endswith("eng")) and not (a == "in" and reading.endswith("ing")):
                out.append(reading[:-len(a)] + b)
    if initial:
        for one, other in FUZZY_INITIALS:
            for a, b in ((one, other), (other, one)):
                if reading.startswith(a) and not (len(a) == 1 and reading[1:2] == "h" and a in "zcs"):
                    out.append(b + reading[len(a):])
    return [v for v in dict.fromkeys(out) if v != reading]


def coverage_units(analysis: Analysis, found: list[QueryTerm]) -> dict[int, float]:
    """Positions that count toward coverage: particles count only inside a longer matched word."""
    covered_by_words = {p for t in found if not t.unigram for p in range(t.start, t.end)}
    return {p: unit for p, unit in analysis.units.items()
            if analysis.text[p] not in PARTICLES or p in covered_by_words}


def rank(analysis: Analysis, found: list[QueryTerm], postings: Callable[[str], list[tuple[int, int]]],
         question: Callable[[int], tuple[int, int]], intent_scores: list[int],
         limit: int) -> list[tuple[int, float, list[str], float]]:
    """(doc number, score, matched terms, share of the query), best first. `question(number)` is
    the entry's (question characters, intents)."""
    units = coverage_units(analysis, found)
    total = sum(units[p] for p in sorted(units))
    if total <= 0:
        return []
    credit: dict[int, dict[int, float]] = {}  # per entry, per query position: the best term's credit
    cover: dict[int, dict[int, float]] = {}
    matched: dict[int, list[str]] = {}
    # Per entry, the query characters it holds: single characters (indexed from question, aliases
    # and tags only) and the typed characters a pinyin guess stands for. Apart, those of words it
    # matches well but not character by character: its question says them with a synonym.
    characters: dict[int, set[str]] = {}
    word_characters: dict[int, set[str]] = {}
    any_word = any(not term.unigram and not term.guess for term in found)
    for term in found:
        full_value = UNIGRAM_COVER if term.unigram else 1.0
        length = term.size
        listed = postings(term.term)
        scores = [score for _, score in listed]
        best = max(scores, default=0)
        # A long list ends with every other entry holding the term in its question, aliases or tags,
        # at the lowest score (index.SCORED_POSTINGS): not faint.
        floor = min(scores) if len(listed) > SCORED_POSTINGS else -1
        term_characters = [ch for ch in analysis.text[term.start:term.end] if is_cjk(ch)]
        for number, score in listed:
            # A faint match (the word only in the answer, or in a long answer of a rarely asked
            # entry) covers less of the query than the question's own words.
            faint = score < FAINT_SHARE * best and score != floor
            value = full_value * FAINT_COVER if faint else full_value
            per_position = term.weight * score / math.sqrt(length)
            doc_credit = credit.setdefault(number, {})
            for p in range(term.start, term.end):
                if doc_credit.get(p, 0.0) < per_position:
                    doc_credit[p] = per_position
            doc_cover = cover.setdefault(number, {})
            for p in range(term.start, term.end):
                if p in units and doc_cover.get(p, 0.0) < value:
                    doc_cover[p] = value
            held_by = characters if term.unigram or term.guess else (
                word_characters if not term.length and score >= WORD_HELD_SHARE * best else None)
            if held_by is not None:
                held_by.setdefault(number, set()).update(term_characters)
            terms = matched.setdefault(number, [])
            if term.term not in terms:
                terms.append(term.term)
    ranked = []
    for number, doc_credit in credit.items():
        score = sum(doc_credit[p] for p in sorted(doc_credit))
        doc_cover = cover[number]
        if not any_word and len(doc_cover) < len(units) - WEAK_MISSES:
            continue
        size, asks = question(number)
        shared = analysis.intents & asks
        # An entry that asks what the query asks answers the words that ask it (几天 for 多久).
        asked = {p for start, end, kind in analysis.asking if shared >> kind & 1 for p in range(start, end)}
        share = sum(units[p] * (1.0 if p in asked else doc_cover[p])
                    for p in sorted(units) if p in asked or p in doc_cover) / total
        if share >= MIN_COVERAGE:
            score += INTENT_WEIGHT * sum(value for kind, value in enumerate(intent_scores) if shared >> kind & 1)
            own = characters.get(number, set())
            by_word = len(word_characters.get(number, set()) - own)
            held = min(1.0, (len(own) + WORD_HELD * by_word) / size) if size and analysis.cjk else 1.0
            question_cover = QUESTION_COVER_FLOOR + (1 - QUESTION_COVER_FLOOR) * held
            ranked.append((number, score * share * share * question_cover, matched[number], share))
    ranked.sort(key=lambda item: (-item[1], item[0]))
    return ranked[:limit]


class Searcher:
    """Searches SearchData the way the browser does, with every term at hand."""

    def __init__(self, data: SearchData, pinyin_table: dict[str, list[str]]):
        self.data = data
        self.pinyin = pinyin_table
        self._sorted_ascii = sorted(t for t in data.terms if not is_cjk(t))

    def has(self, term: str) -> bool:
        return term in self.data.terms

    def question(self, number: int) -> tuple[int, int]:
        doc = self.data.docs[number]
        return doc.characters, doc.intents

    def postings(self, term: str) -> list[tuple[int, int]]:
        return self.data.terms.get(term, [])

    def prefix_terms(self, prefix: str) -> list[str]:
        import bisect

        start = bisect.bisect_left(self._sorted_ascii, prefix)
        out = []
        for term in self._sorted_ascii[start:]:
            if not term.startswith(prefix):
                break
            if term != prefix:
                out.append(term)
        return sorted(out, key=lambda t: (len(t), t))

    def steps(self, query: str, limit: int = 10, prefix: bool = False) -> QuerySteps:
        """Every step of a query: what engine.js computes too (tests compare them step by step)."""
        analysis = analyze(query)
        found = match_terms(analysis, self.has, self.prefix_terms, prefix)
        for spelling, start, end, fuzzy in typo_candidates(analysis, found, lambda ch: self.pinyin.get(ch, [])):
            if self.has(spelling):
                weight = TYPO_FACTOR * cjk_weight(end - start) * (FUZZY_FACTOR if fuzzy else 1.0)
                found.append(QueryTerm(spelling, weight, start, end, guess=True))
        ranked = rank(analysis, found, self.postings, self.question, self.data.intent_scores, limit)
        return QuerySteps(analysis, found, ranked)

    def search(self, query: str, limit: int = 10, prefix: bool = False) -> list[Result]:
        results = []
        for number, score, matched, share in self.steps(query, limit, prefix).ranked:
            doc = self.data.docs[number]
            results.append(Result(number, doc.id, doc.question, self.data.categories[doc.category],
                                  score, matched, share))
        return results
