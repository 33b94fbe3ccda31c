"""Step 5: index entries with whoosh and score every (term, entry) pair with BM25F.

This is the only module that imports whoosh (unmaintained, pinned). Its output is a term table:
for each term, the entries it occurs in with a precomputed integer score. The command-line
search and the browser search both rank from that same table, so they agree.
"""

from __future__ import annotations

import math
import multiprocessing
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from whoosh import fields, formats, scoring
from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher
from whoosh.filedb.filestore import RamStorage
from whoosh.system import pack_uint

from ..content.model import Category, Content, Entry
from ..content.order import by_frequency, sorted_categories
from .text import INTENT_KINDS, Segmenter, intents, normalize, question_characters, vocabulary

FIELD_WEIGHTS = {"question": 3.0, "aliases": 2.4, "tags": 1.5, "category": 0.8, "answer": 0.7}
FREQUENCY_WEIGHT = 0.3  # how much the most-asked entry gains over one never asked, among equal matches
SCORE_SCALE = 100  # scores are stored as integers: round(score * SCORE_SCALE)
# Long or repetitive fields skip some kinds of terms: indexing time grows with the number of
# postings, and pinyin of answer words or single characters of category titles add little.
FIELD_TERMS = {"answer": {"characters": False, "pinyin": False}, "category": {"characters": False, "pinyin": False}}
BM25_B, BM25_K1 = scoring.BM25F().B, scoring.BM25F().K1
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


def build_search_data(content: Content, segmenter: Segmenter | None = None, *, processes: int = 1) -> SearchData:
    """Index the content with whoosh and extract the scored term table.

    With `processes` > 1 the entries are split into that many whoosh indexes built in parallel
    (forked processes); BM25F then uses the statistics of all of them together, so the scores
    are the same whatever the split.
    """
    synonyms = vocabulary(g.words for g in content.synonyms)
    extra_words = [w for words in synonyms.values() for w in words]
    extra_words += [t for e in content.entries for t in (e.tags or [])]
    segmenter = segmenter or Segmenter(extra_words)
    entries, categories = ordered_entries(content)
    category_number = {c.path: n for n, c in enumerate(categories)}
    titles = {c.path: c.title for c in categories}
    boosts = _frequency_boosts(entries)

    def documents(start: int, stop: int):
        for number in range(start, stop):
            entry = entries[number]
            path = [titles[entry.category[:i]] for i in range(1, len(entry.category) + 1)]
            texts = {"question": entry.question, "aliases": "\n".join(entry.aliases or []),
                     "tags": "\n".join(entry.tags or []), "category": "\n".join(path), "answer": entry.answer}
            yield number, {name: Counter(segmenter.index_terms(text, synonyms, **FIELD_TERMS.get(name, {})))
                           for name, text in texts.items()}

    processes = max(1, min(processes, len(entries) // 500 or 1))
    bounds = [len(entries) * i // processes for i in range(processes + 1)]
    parts = [(bounds[i], bounds[i + 1]) for i in range(processes)]
    if processes == 1:
        part = _Part(documents(0, len(entries)), boosts)
        postings = [part.postings(part.statistics())]
    else:
        postings = _in_processes(parts, lambda start, stop: _Part(documents(start, stop), boosts))

    pieces: dict[str, list[_Scored]] = {}
    for table in postings:
        for term, scored in table.items():
            pieces.setdefault(term, []).append(scored)
    terms = {term: _complete_postings(scored) for term, scored in pieces.items()}
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
        idf = math.log(total / (holders + 1)) + 1 if total else 0.0  # as in _Part.postings
        scores.append(max(0, round(FIELD_WEIGHTS["question"] * idf * SCORE_SCALE)))
    return scores


@dataclass
class _Scored:
    """One part's entries for one term: its best with their scores, the others listed with their lowest."""

    best: list[tuple[int, int]]  # (entry number, score), best first, at most SCORED_POSTINGS
    listed: set[int]  # which of `best` hold the term in LISTED_FIELDS
    rest: list[int]  # the others that do
    rest_floor: int  # the lowest score among `rest` (0 when there is none)


def _scored(table: list[tuple[int, int]], listed: set[int]) -> _Scored:
    table.sort(key=lambda item: (-item[1], item[0]))
    best = table[:SCORED_POSTINGS]
    rest = [item for item in table[SCORED_POSTINGS:] if item[0] in listed]
    return _Scored(best, {number for number, _ in best if number in listed},
                   [number for number, _ in rest], rest[-1][1] if rest else 0)


def _complete_postings(pieces: list[_Scored]) -> list[tuple[int, int]]:
    """Every part's entries for a term: the collection's best (which are among each part's best)
    with their own scores, then the other listed ones with the lowest score any of them has."""
    best = sorted((item for piece in pieces for item in piece.best), key=lambda item: (-item[1], item[0]))
    listed = set().union(*(piece.listed for piece in pieces))
    spilled = [item for item in best[SCORED_POSTINGS:] if item[0] in listed]
    rest = [number for number, _ in spilled] + [number for piece in pieces for number in piece.rest]
    if not rest:
        return best[:SCORED_POSTINGS]
    floor = min([score for _, score in spilled] + [piece.rest_floor for piece in pieces if piece.rest])
    complete = best[:SCORED_POSTINGS] + [(number, floor) for number in rest]
    complete.sort(key=lambda item: (-item[1], item[0]))
    return complete


@dataclass
class Statistics:
    """What BM25F needs from the whole collection: documents, field lengths, document frequencies."""

    doc_count: int = 0
    field_lengths: dict[str, int] = field(default_factory=dict)
    doc_frequencies: dict[str, dict[bytes, int]] = field(default_factory=dict)

    def add(self, other: "Statistics") -> "Statistics":
        self.doc_count += other.doc_count
        for name, length in other.field_lengths.items():
            self.field_lengths[name] = self.field_lengths.get(name, 0) + length
        for name, frequencies in other.doc_frequencies.items():
            mine = self.doc_frequencies.setdefault(name, {})
            for term, count in frequencies.items():
                mine[term] = mine.get(term, 0) + count
        return self


class _Part:
    """A whoosh index of some of the entries (documents numbered in site order)."""

    def __init__(self, documents, boosts: list[float]):
        self.boosts = boosts
        # whoosh spills large postings runs to <tmp>/<indexname>.tmp; a per-process name keeps two
        # concurrent builds from deleting each other's runs, and a generous limit avoids the spill.
        self.index = RamStorage().create_index(_schema(), indexname=f"faqkb{os.getpid()}")
        writer = self.index.writer(limitmb=1024, codec=_Codec())
        for number, fields_ in documents:
            writer.add_document(number=number, **fields_)
        writer.commit()

    def statistics(self) -> Statistics:
        reader = self.index.reader()
        try:
            return Statistics(
                doc_count=reader.doc_count_all(),
                field_lengths={name: reader.field_length(name) for name in FIELD_WEIGHTS},
                doc_frequencies={name: {term: reader.doc_frequency(name, term) for term in reader.lexicon(name)}
                                 for name in FIELD_WEIGHTS})
        finally:
            reader.close()

    def postings(self, collection: Statistics) -> dict[str, _Scored]:
        """term → this part's entries with the term and their integer scores.

        The scores are whoosh's BM25F (its bm25 formula and idf, its
        stored field lengths) over the whole collection, times field weight and frequency boost.

        Evaluated over whole postings lists: going posting by posting through whoosh's matchers
        and scorers cost most of the build.
        """
        scores: dict[str, dict[int, float]] = {}
        listed: dict[str, set[int]] = {}
        reader = self.index.reader()
        try:
            numbers = {docnum: stored["number"] for docnum, stored in reader.iter_docs()}
            total = collection.doc_count
            for name, weight in FIELD_WEIGHTS.items():
                average = collection.field_lengths.get(name, 0) / total if total else 0.0
                if not average:
                    continue
                norms = {docnum: (1 - BM25_B) + BM25_B * (reader.doc_field_length(docnum, name) or 0) / average
                         for docnum in numbers}
                frequencies = collection.doc_frequencies[name]
                for raw in reader.lexicon(name):
                    idf = math.log(total / (frequencies[raw] + 1)) + 1  # whoosh's WeightingModel.idf
                    term = raw.decode("utf-8")
                    table = scores.setdefault(term, {})
                    holders = listed.setdefault(term, set()) if name in LISTED_FIELDS else None
                    for docnum, tf in _frequencies(reader.postings(name, raw)):
                        number = numbers[docnum]
                        value = idf * tf * (BM25_K1 + 1) / (tf + BM25_K1 * norms[docnum])
                        table[number] = table.get(number, 0.0) + weight * value
                        if holders is not None:
                            holders.add(number)
        finally:
            reader.close()
        result = {}
        for term, table in scores.items():
            scored = [(number, round(value * self.boosts[number] * SCORE_SCALE)) for number, value in table.items()]
            result[term] = _scored([item for item in scored if item[1] > 0], listed.get(term, set()))
        return result


def _frequencies(matcher) -> Iterable[tuple[int, float]]:
    """(docnum, term frequency) of a whole postings list. Reads whole blocks through the pinned
    whoosh's block internals: its posting-by-posting iteration cost seconds on large sites."""
    if not isinstance(matcher, W3LeafMatcher):  # short lists are stored inline, in a ListMatcher
        yield from matcher.items_as("weight")
        return
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        yield from zip(matcher._ids, matcher._weights)
        matcher._next_block()


def _in_processes(parts, make_part) -> list[dict[str, "_Scored"]]:
    """Builds each part in a forked process: statistics back, the whole collection's out, postings back."""
    context = multiprocessing.get_context("fork")
    workers = []
    for start, stop in parts:
        ours, theirs = context.Pipe()
        process = context.Process(target=_serve_part, args=(theirs, make_part, start, stop), daemon=True)
        process.start()
        theirs.close()
        workers.append((process, ours))
    try:
        collection = Statistics()
        for _, connection in workers:
            collection.add(_receive(connection))
        for _, connection in workers:
            connection.send(collection)
        return [_receive(connection) for _, connection in workers]
    finally:
        for process, connection in workers:
            connection.close()
            process.join(timeout=5)
            if process.is_alive():
                process.kill()


def _serve_part(connection, make_part, start: int, stop: int) -> None:
    try:
        part = make_part(start, stop)
        connection.send(part.statistics())
        connection.send(part.postings(connection.recv()))
    except BaseException as error:  # the parent re-raises it with the worker's traceback
        import traceback

        connection.send(RuntimeError(f"{error!r}\n{traceback.format_exc()}"))
    finally:
        connection.close()


def _receive(connection):
    try:
        message = connection.recv()
    except EOFError:
        raise RuntimeError("搜索索引的子进程意外退出") from None
    if isinstance(message, BaseException):
        raise message
    return message


class _CountedText(fields.FieldType):
    """A scorable text field whose value is already analysed: a Counter of faqkb's own terms.

    whoosh never applies analysis of its own, and stores frequencies only (no positions: the
    ranking does not use them and encoding them was a large share of indexing time).
    """

    indexed = scorable = True
    stored = unique = False
    vector = None
    analyzer = None

    def __init__(self):
        self.format = formats.Frequency()

    def index(self, value, **kwargs):
        for term, count in value.items():
            yield term.encode("utf-8"), count, float(count), pack_uint(count)


class _Codec(W3Codec):
    """whoosh's codec, minus what only whoosh's own scorers read (faqkb scores the lists itself):
    per-block length bounds (a field-length lookup per posting) and compression."""

    length_stats = False

    def __init__(self):
        super().__init__(compression=0)


def _schema() -> fields.Schema:
    return fields.Schema(number=fields.NUMERIC(stored=True, unique=True),
                         **{name: _CountedText() for name in FIELD_WEIGHTS})


def _frequency_boosts(entries: Iterable[Entry]) -> list[float]:
    entries = list(entries)
    top = max((e.frequency for e in entries), default=0)
    scale = math.log1p(top) or 1.0
    return [1.0 + FREQUENCY_WEIGHT * math.log1p(e.frequency) / scale for e in entries]
