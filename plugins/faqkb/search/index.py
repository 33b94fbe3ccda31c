"""Step 5: count the entries' terms and score every (term, entry) pair with whoosh's BM25F.

This is the only module that imports whoosh (unmaintained, pinned): its BM25F parameters, idf and
field-length encoding define the scores. Its output is a term table:
for each term, the entries it occurs in with a precomputed integer score. The command-line
search and the browser search both rank from that same table, so they agree.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from whoosh import scoring
from whoosh.util.numeric import byte_to_length, length_to_byte

from ..content.model import Category, Content, Entry
from ..content.order import by_frequency, sorted_categories
from .text import INTENT_KINDS, Segmenter, intents, normalize, question_characters, vocabulary

FIELD_WEIGHTS = {"question": 3.0, "aliases": 2.4, "tags": 1.5, "category": 0.8, "answer": 0.7}
FREQUENCY_WEIGHT = 0.1  # how much the most-asked entry gains over one never asked, among equal matches
SCORE_SCALE = 100  # scores are stored as integers: round(score * SCORE_SCALE)
# Long or repetitive fields skip some kinds of terms: indexing time grows with the number of
# postings, and pinyin of answer words or single characters of category titles add little.
# Answers are not expanded with the shop vocabulary's synonyms: with some 5,000 colloquial variants
# every answer word brought its group, which made the Han postings files a query fetches larger
# (the first query on 10,000 questions past 60 KB) for two blind tuning queries in R@5.
FIELD_TERMS = {"answer": {"characters": False, "pinyin": False, "synonyms": False},
               "category": {"characters": False, "pinyin": False}}
BM25_B, BM25_K1 = scoring.BM25F().B, scoring.BM25F().K1  # whoosh's defaults
# Per term, the best-scoring entries keep their own score; every other entry that has the term in
# one of LISTED_FIELDS is still listed, with the lowest score among them. So an entry whose words
# are all common can be found (version 2 kept only the best, and such an entry fell out of every
# list); shared scores, and leaving out entries with the term only in their answer or category
# title (thousands, for words such as 退款), keep the long lists small.
SCORED_POSTINGS = 100
LISTED_FIELDS = ("question", "aliases", "tags")


@dataclass
class Doc:
    """One searchable entry as the search results show it."""

    id: str
    question: str
    category: int  # index into SearchData.categories
    frequency: int
    characters: int  # distinct characters of the question (text.question_characters)
    intents: int  # what its question and aliases ask (text.intents)


@dataclass
class SearchData:
    """What both searches rank from: documents, category paths and the scored term table."""

    docs: list[Doc]
    categories: list[list[str]]  # breadcrumb titles of each category
    # term -> [(doc number, integer score)], best first; past SCORED_POSTINGS they all share one
    # score and only entries with the term in LISTED_FIELDS are there
    terms: dict[str, list[tuple[int, int]]]
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # per kind of intent (text.INTENT_KINDS), what sharing it with the query adds to a score:
    # the question field's weight times the kind's idf, so that rarer kinds (为什么) count more
    intent_scores: list[int] = field(default_factory=list)


def ordered_entries(content: Content) -> tuple[list[Entry], list[Category]]:
    """Entries grouped by category (in site order), most asked first within each; and the categories."""
    entries: list[Entry] = []
    categories: list[Category] = []

    def visit(category: Category):
        categories.append(category)
        entries.extend(by_frequency(category.entries))
        for child in sorted_categories(category.children):
            visit(child)

    for top in sorted_categories(content.categories):
        visit(top)
    return entries, categories


def content_segmenter(content: Content, synonyms: dict[str, tuple[str, ...]]) -> Segmenter:
    """The segmenter that indexes `content`: taught its tags and every word of the vocabulary."""
    extra_words = [w for words in synonyms.values() for w in words]
    extra_words += [t for e in content.entries for t in (e.tags or [])]
    return Segmenter(extra_words)


def build_search_data(content: Content, segmenter: Segmenter | None = None) -> SearchData:
    """Count the content's terms and score every (term, entry) pair with whoosh's BM25F."""
    synonyms = vocabulary(g.words for g in content.synonyms)
    segmenter = segmenter or content_segmenter(content, synonyms)
    entries, categories = ordered_entries(content)
    category_number = {c.path: n for n, c in enumerate(categories)}
    titles = {c.path: c.title for c in categories}

    def field_terms(name: str, text: str) -> Counter:
        options = dict(FIELD_TERMS.get(name, {}))
        expand = options.pop("synonyms", True)
        return Counter(segmenter.index_terms(text, synonyms if expand else None, **options))

    category_terms: dict[tuple[str, ...], Counter] = {}  # every entry of a category has its titles

    def documents():
        for entry in entries:
            if entry.category not in category_terms:
                path = [titles[entry.category[:i]] for i in range(1, len(entry.category) + 1)]
                category_terms[entry.category] = field_terms("category", "\n".join(path))
            texts = {"question": entry.question, "aliases": "\n".join(entry.aliases or []),
                     "tags": "\n".join(entry.tags or []), "answer": entry.answer}
            fields_ = {name: field_terms(name, text) for name, text in texts.items()}
            fields_["category"] = category_terms[entry.category]
            yield fields_

    counts = _Counts.of(documents())
    # Scoring needs neither jieba's dictionary nor the segmenter's words of every run: let them go
    # before the term lists grow (the search worker's peak memory, at 50,000 questions).
    segmenter = category_terms = None
    terms = _scored_terms(counts, _frequency_boosts(entries))
    docs = [Doc(e.id, e.question, category_number[e.category], e.frequency, question_characters(e.question),
                intents(normalize("\n".join([e.question] + list(e.aliases or []))))) for e in entries]
    breadcrumbs = [[titles[c.path[:i]] for i in range(1, len(c.path) + 1)] for c in categories]
    return SearchData(docs=docs, categories=breadcrumbs, terms=dict(sorted(terms.items())), synonyms=synonyms,
                      intent_scores=_intent_scores(docs))


def _intent_scores(docs: list[Doc]) -> list[int]:
    total = len(docs)
    scores = []
    for kind in range(len(INTENT_KINDS)):
        holders = sum(1 for doc in docs if doc.intents >> kind & 1)
        idf = math.log(total / (holders + 1)) + 1 if total else 0.0  # as in _scored_terms
        scores.append(max(0, round(FIELD_WEIGHTS["question"] * idf * SCORE_SCALE)))
    return scores


@dataclass
class _Counts:
    """Per field: each entry's length and every term's (entry, term frequency) pairs.

    What BM25F reads from an index, counted directly: building a whoosh index of the same terms
    only to read them back took nine tenths of the search build and a gigabyte at 10,000 questions.
    """

    lengths: dict[str, list[int]] = field(default_factory=dict)  # per entry, as whoosh stores it
    total_lengths: dict[str, int] = field(default_factory=dict)
    # term -> array of entry << 32 | term frequency, in entry order; arrays, not lists of tuples:
    # at 50,000 questions there are some 16 million pairs
    postings: dict[str, dict[str, array]] = field(default_factory=dict)

    @classmethod
    def of(cls, documents: Iterable[dict[str, Counter]]) -> "_Counts":
        counts = cls(lengths={name: [] for name in FIELD_WEIGHTS}, total_lengths=dict.fromkeys(FIELD_WEIGHTS, 0),
                     postings={name: {} for name in FIELD_WEIGHTS})
        for number, fields_ in enumerate(documents):
            for name in FIELD_WEIGHTS:
                counter = fields_[name]
                length = sum(counter.values())
                counts.total_lengths[name] += length
                # whoosh keeps a field's length in one byte, approximately; scores use that value
                counts.lengths[name].append(byte_to_length(length_to_byte(length)))
                table = counts.postings[name]
                for term, frequency in counter.items():
                    pairs = table.get(term)
                    if pairs is None:
                        pairs = table[term] = array("q")
                    pairs.append(number << 32 | frequency)
        return counts

    @property
    def doc_count(self) -> int:
        return len(self.lengths["question"])


def _scored_terms(counts: _Counts, boosts: list[float]) -> dict[str, list[tuple[int, int]]]:
    """term → its entries and integer scores: BM25F over the fields (whoosh's bm25 and idf with its
    B and K1, and its stored field lengths), times field weight and frequency boost; then cut to
    the best SCORED_POSTINGS and the other LISTED_FIELDS holders at the lowest score among them."""
    total = counts.doc_count
    norms = {}
    for name in FIELD_WEIGHTS:
        average = counts.total_lengths[name] / total if total else 0.0
        if average:
            norms[name] = [(1 - BM25_B) + BM25_B * length / average for length in counts.lengths[name]]
    every_term = sorted({term for table in counts.postings.values() for term in table})
    # One int object per entry number and per score, shared by every list: at 50,000 questions the
    # lists hold 5.6 million pairs, and their own copies of the numbers were a third of their memory.
    numbers = list(range(total))
    shared_scores: dict[int, int] = {}
    result = {}
    for term in every_term:
        scores: dict[int, float] = {}
        listed: set[int] = set()
        for name, weight in FIELD_WEIGHTS.items():
            pairs = counts.postings[name].pop(term, None)
            if pairs is None or name not in norms:
                continue
            idf = math.log(total / (len(pairs) + 1)) + 1  # whoosh's WeightingModel.idf
            norm = norms[name]
            for pair in pairs:
                number, tf = pair >> 32, pair & 0xFFFFFFFF
                value = idf * tf * (BM25_K1 + 1) / (tf + BM25_K1 * norm[number])
                scores[number] = scores.get(number, 0.0) + weight * value
            if name in LISTED_FIELDS:
                listed.update(pair >> 32 for pair in pairs)
        scored = []
        for number, value in scores.items():
            score = round(value * boosts[number] * SCORE_SCALE)
            if score > 0:
                scored.append((numbers[number], shared_scores.setdefault(score, score)))
        if scored:
            result[term] = _listed_postings(scored, listed)
    return result


def _listed_postings(table: list[tuple[int, int]], listed: set[int]) -> list[tuple[int, int]]:
    """The best SCORED_POSTINGS with their own scores, then the other entries holding the term in
    LISTED_FIELDS with the lowest score any of them has."""
    table.sort(key=lambda item: (-item[1], item[0]))
    best = table[:SCORED_POSTINGS]
    rest = [item for item in table[SCORED_POSTINGS:] if item[0] in listed]
    if not rest:
        return best
    floor = rest[-1][1]
    complete = best + [(number, floor) for number, _ in rest]
    complete.sort(key=lambda item: (-item[1], item[0]))
    return complete


def _frequency_boosts(entries: Iterable[Entry]) -> list[float]:
    entries = list(entries)
    top = max((e.frequency for e in entries), default=0)
    scale = math.log1p(top) or 1.0
    return [1.0 + FREQUENCY_WEIGHT * math.log1p(e.frequency) / scale for e in entries]
