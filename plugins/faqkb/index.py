"""Step 5: index entries with whoosh and score every (term, entry) pair with BM25F.

This is the only module that imports whoosh (unmaintained, pinned). Its output is a term table:
for each term, the entries it occurs in with a precomputed integer score. The command-line
search and the browser search both rank from that same table, so they agree.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from whoosh import fields, scoring
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.filedb.filestore import RamStorage

from .model import Category, Content, Entry
from .render import by_frequency, sorted_categories
from .text import Segmenter, synonym_table

INDEX_VERSION = 1
FIELD_WEIGHTS = {"question": 3.0, "aliases": 2.4, "tags": 1.5, "category": 0.8, "answer": 0.7}
FREQUENCY_WEIGHT = 0.3  # how much the most-asked entry gains over one never asked, among equal matches
SCORE_SCALE = 100  # scores are stored as integers: round(score * SCORE_SCALE)
POSTINGS_CAP = 200  # per term, only the best-scoring entries are kept (both for CLI and browser)


@dataclass
class Doc:
    """One searchable entry as the search results show it."""

    id: str
    question: str
    category: int  # index into SearchData.categories
    frequency: int


@dataclass
class SearchData:
    """What both searches rank from: documents, category paths and the scored term table."""

    docs: list[Doc]
    categories: list[list[str]]  # breadcrumb titles of each category
    terms: dict[str, list[tuple[int, int]]]  # term -> [(doc number, integer score)], best first
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # term -> entries it occurs in, before the cap


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


def build_search_data(content: Content, segmenter: Segmenter | None = None) -> SearchData:
    """Index the content with whoosh and extract the scored term table."""
    synonyms = synonym_table(g.words for g in content.synonyms)
    extra_words = [w for g in content.synonyms for w in g.words]
    extra_words += [t for e in content.entries for t in (e.tags or [])]
    segmenter = segmenter or Segmenter(extra_words)
    entries, categories = ordered_entries(content)
    category_number = {c.path: n for n, c in enumerate(categories)}
    titles = {c.path: c.title for c in categories}

    # Terms come from faqkb's own pipeline, joined by spaces: whoosh only splits them again, so the
    # schema stays picklable and whoosh never applies analysis of its own.
    schema = fields.Schema(number=fields.NUMERIC(stored=True, unique=True),
                           **{name: fields.TEXT(analyzer=SpaceSeparatedTokenizer()) for name in FIELD_WEIGHTS})
    # whoosh spills large postings runs to <tmp>/<indexname>.tmp; a per-process name keeps two
    # concurrent builds from deleting each other's runs, and a generous limit avoids the spill.
    index = RamStorage().create_index(schema, indexname=f"faqkb{os.getpid()}")
    writer = index.writer(limitmb=1024)
    for number, entry in enumerate(entries):
        path = [titles[entry.category[:i]] for i in range(1, len(entry.category) + 1)]
        texts = {"question": entry.question, "aliases": "\n".join(entry.aliases or []),
                 "tags": "\n".join(entry.tags or []), "category": "\n".join(path), "answer": entry.answer}
        writer.add_document(number=number, **{name: " ".join(segmenter.index_terms(text, synonyms))
                                              for name, text in texts.items()})
    writer.commit()

    boosts = _frequency_boosts(entries)
    scores: dict[str, dict[int, float]] = {}
    with index.searcher(weighting=scoring.BM25F()) as searcher:
        numbers = {docnum: stored["number"] for docnum, stored in searcher.iter_docs()}
        for name, weight in FIELD_WEIGHTS.items():
            for raw in searcher.reader().lexicon(name):
                term = raw.decode("utf-8")
                matcher = searcher.postings(name, term, weighting=searcher.weighting)
                table = scores.setdefault(term, {})
                while matcher.is_active():
                    number = numbers[matcher.id()]
                    table[number] = table.get(number, 0.0) + weight * matcher.score()
                    matcher.next()

    terms, counts = {}, {}
    for term, table in scores.items():
        scored = [(number, round(value * boosts[number] * SCORE_SCALE)) for number, value in table.items()]
        scored = [item for item in scored if item[1] > 0]
        scored.sort(key=lambda item: (-item[1], item[0]))
        terms[term] = scored[:POSTINGS_CAP]
        counts[term] = len(scored)
    docs = [Doc(e.id, e.question, category_number[e.category], e.frequency) for e in entries]
    breadcrumbs = [[titles[c.path[:i]] for i in range(1, len(c.path) + 1)] for c in categories]
    return SearchData(docs=docs, categories=breadcrumbs, terms=terms, synonyms=synonyms, counts=counts)


def _frequency_boosts(entries: Iterable[Entry]) -> list[float]:
    entries = list(entries)
    top = max((e.frequency for e in entries), default=0)
    scale = math.log1p(top) or 1.0
    return [1.0 + FREQUENCY_WEIGHT * math.log1p(e.frequency) / scale for e in entries]
