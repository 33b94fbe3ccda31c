"""Step 6: write the static browser search: metadata, lexicon, postings and document chunks.

Every file is UTF-8 JSON carrying the format version. `meta.json`, which the page fetches before
the first query (at idle, or when the search box gets focus), holds what every query needs: the
ranking's per-entry facts and the whole Han lexicon (which terms exist). A query then fetches the
postings of only the terms it matched, then the few documents it shows; never the whole index.
Pinyin spellings (ASCII terms) are looked up in lexicon shards, fetched for the spellings a query
holds or guesses.
"""

from __future__ import annotations

import json
import math

from .index import SearchData
from .query import CONSTANTS, term_key
from .text import INTENT_KINDS, INTENT_ORDER, INTENT_WORDS, NUMERAL_UNITS, PARTICLES, STOP_WORDS, \
    traditional_to_simplified
from .version import FORMAT_VERSION

DOC_CHUNK = 4
# Each word's postings file also carries the documents (id, question, category) of the word's best
# entries (single characters' do not: that would double their bytes for few more results): the
# results of most queries are among them, so the documents wave is a few chunks.
DOCS_WITH_POSTINGS = 8
# Raw JSON per file, before gzip. Small files, because a query fetches one per two letters of a
# spelling and one per matched term and pays for whatever else hashed into the same file.
LEXICON_BYTES = 300
POSTINGS_BYTES = 1000
CHAR_TABLE_BYTES = 1000  # pinyin readings and Traditional→Simplified pairs, by character
INTENT_BITS = len(INTENT_KINDS)  # the low bits of each entry's number in meta["questions"]


def fnv1a(text: str) -> int:
    """32-bit FNV-1a of the UTF-8 bytes; engine.js computes the same."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def postings_key(term: str) -> str:
    """The key a term's postings are filed under (the lexicon is filed under term_key)."""
    return "t" + term


def char_key(char: str) -> str:
    """The key of one character's pinyin readings and Traditional→Simplified pair."""
    return "h" + char


def pack_terms(terms: list[str]) -> str:
    """Han terms as one string: per first character, that character and its terms' remainders
    separated by spaces ("" for the character itself), groups separated by commas. Terms never
    hold either (text.py splits text into runs of Han and [a-z0-9])."""
    groups: dict[str, list[str]] = {}
    for term in sorted(terms):
        groups.setdefault(term[0], []).append(term[1:])
    return ",".join(first + " ".join(rests) for first, rests in groups.items())


def unpack_terms(packed: str) -> list[str]:
    """pack_terms undone (engine.js unpacks the same way)."""
    return [group[0] + rest for group in packed.split(",") if group for rest in group[1:].split(" ")]


def _dumps(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def encode_postings(postings: list[tuple[int, int]]) -> list[int]:
    """[n, doc, score, doc-delta, score, ... (n pairs), shared score, doc, doc-delta, ...].

    `postings` are best first. The entries with the lowest score (past index.SCORED_POSTINGS, most
    of a long list) follow as bare numbers. Both runs are sorted by doc number (deltas compress well).
    """
    split = len(postings)
    while split and postings[split - 1][1] == postings[-1][1]:
        split -= 1
    scored, shared = postings[:split], postings[split:]
    flat: list[int] = [len(scored)]
    previous = 0
    for number, score in sorted(scored):
        flat += [number - previous, score]
        previous = number
    if shared:
        flat.append(shared[0][1])
        previous = 0
        for number, _ in sorted(shared):
            flat.append(number - previous)
            previous = number
    return flat


def decode_postings(flat: list[int]) -> list[tuple[int, int]]:
    """encode_postings undone, best first (engine.js decodes the same way)."""
    postings, number = [], 0
    scored_end = 1 + 2 * flat[0]
    for i in range(1, scored_end, 2):
        number += flat[i]
        postings.append((number, flat[i + 1]))
    number = 0
    for delta in flat[scored_end + 1:]:
        number += delta
        postings.append((number, flat[scored_end]))
    return sorted(postings, key=lambda item: (-item[1], item[0]))


def _hashed(prefix: str, by_key: dict[str, dict], target: int, extra=None) -> tuple[int, dict[str, bytes]]:
    """Spread keyed tables over ceil(size / target) files named prefix/N.json by fnv1a(key);
    extra(keys of file N) → more fields of that file."""
    total = sum(len(_dumps(table)) for table in by_key.values())
    count = max(1, math.ceil(total / target))
    merged: dict[int, dict] = {}
    keys: dict[int, list[str]] = {}
    for key in sorted(by_key):
        n = fnv1a(key) % count
        merged.setdefault(n, {}).update(by_key[key])
        keys.setdefault(n, []).append(key)
    # every file exists, even empty: the client fetches by hash
    return count, {f"{prefix}/{n}.json": _dumps({"v": FORMAT_VERSION, "t": merged.get(n, {}),
                                                 **(extra(keys.get(n, [])) if extra else {})})
                   for n in range(count)}


def _doc_fields(doc) -> list:
    return [doc.id, doc.question, doc.category]


def export_search(data: SearchData, pinyin: dict[str, list[str]]) -> dict[str, bytes]:
    """Relative path → file contents of the static search index (paths under one versioned folder)."""
    files: dict[str, bytes] = {}

    lexicon: dict[str, dict[str, list[str]]] = {}
    han_terms: list[str] = []
    postings: dict[str, dict[str, list[int]]] = {}
    for term in sorted(data.terms):
        key = term_key(term)
        if key.startswith("c"):
            han_terms.append(term)
        else:
            lexicon.setdefault(key, {}).setdefault(key, []).append(term)
        postings[postings_key(term)] = {term: encode_postings(data.terms[term])}
    lexicon_files, written = _hashed("lexicon", lexicon, LEXICON_BYTES)
    files.update(written)

    def carried_docs(keys: list[str]) -> dict:
        """The documents of each term's DOCS_WITH_POSTINGS best entries, so that the results of a
        query mostly arrive with its postings and few document chunks are left to fetch."""
        carried = {}
        for key in keys:
            if len(key) <= 2:  # "t" + one character: a query's results rank by its words more than by those
                continue
            best = sorted(data.terms[key[1:]], key=lambda item: (-item[1], item[0]))[:DOCS_WITH_POSTINGS]
            for number, _ in best:
                carried[str(number)] = _doc_fields(data.docs[number])
        return {"d": dict(sorted(carried.items(), key=lambda item: int(item[0])))}

    postings_files, written = _hashed("postings", postings, POSTINGS_BYTES, carried_docs)
    files.update(written)

    for start in range(0, len(data.docs), DOC_CHUNK):
        chunk = [_doc_fields(d) for d in data.docs[start:start + DOC_CHUNK]]
        files[f"docs/{start // DOC_CHUNK}.json"] = _dumps({"v": FORMAT_VERSION, "d": chunk})

    # Per character: its pinyin readings ("r") and, for a Traditional character whose Simplified
    # form the site knows, that form ("s"). The client fetches the characters of a query only.
    corpus_chars = {ch for term in data.terms for ch in term} | set(pinyin)
    chars: dict[str, dict[str, dict[str, str]]] = {}
    for ch, readings in pinyin.items():
        chars.setdefault(char_key(ch), {}).setdefault(ch, {})["r"] = " ".join(readings)
    for source, target in traditional_to_simplified().items():
        if target in corpus_chars:
            chars.setdefault(char_key(source), {}).setdefault(source, {})["s"] = target
    char_files, written = _hashed("chars", chars, CHAR_TABLE_BYTES)
    files.update(written)

    # Every reading at once, for highlighting pinyin matches in result titles.
    by_reading: dict[str, str] = {}
    for ch, readings in pinyin.items():
        for order, reading in enumerate(readings):
            by_reading.setdefault(f"{order}{reading}", "")
            by_reading[f"{order}{reading}"] += ch
    files["pinyin.json"] = _dumps({"v": FORMAT_VERSION, "p": by_reading})

    meta = {
        "v": FORMAT_VERSION,
        "index": FORMAT_VERSION,  # kept: the files of format 1 to 4 all carried it
        "docs": len(data.docs),
        "docChunk": DOC_CHUNK,
        "lexicon": lexicon_files,  # the shards of ASCII terms (pinyin spellings)
        "terms": pack_terms(han_terms),  # every Han term: a query needs no lexicon shard for them
        "postings": postings_files,
        "chars": char_files,
        "categories": data.categories,
        # per entry, what ranking needs of its question: characters << INTENT_BITS | intents
        "questions": [d.characters << INTENT_BITS | d.intents for d in data.docs],
        "intents": [[word, INTENT_WORDS[word]] for word in INTENT_ORDER],
        "intentScores": data.intent_scores,
        "intentBits": INTENT_BITS,
        "stop": list(STOP_WORDS),
        "particles": "".join(sorted(PARTICLES)),
        "units": list(NUMERAL_UNITS),
        "constants": CONSTANTS,
    }
    files["meta.json"] = _dumps(meta)
    return files
