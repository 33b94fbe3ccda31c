"""Step 6: write the static browser search: metadata, lexicon, postings and document chunks.

Every file is UTF-8 JSON carrying the format version. `meta.json`, which the page fetches before
the first query (at idle, or when the search box gets focus), holds what every query needs: the
ranking's per-entry facts and the Han terms a query must know of before it fetches (characters,
and words none of whose characters is filed with them: listed_terms), with the file holding each
one's postings. The other words are found in the files of their characters. A query then fetches the postings of only the terms it matched, then the few
documents it shows; never the whole index.

A Han query matches its single characters as well as its words (query.match_terms), so the
postings of a word travel in the file of one of its characters, and characters that make up
common words share a small file (han_files): an 8-character query of the generated
10,000-question help centre fetches 3–8 files (6 median) instead of 6–13, which on HTTP/1.1's
6 connections per host is mostly one round trip instead of two or three. Pinyin spellings (ASCII
terms) are looked up in lexicon shards, fetched for the spellings a query holds or guesses, and
their postings are filed by a hash of the term.
"""

from __future__ import annotations

import json
import math

from .index import SearchData
from .query import CONSTANTS, term_key
from .text import ARTICLE_UNITS, INTENT_ORDER, INTENT_WORDS, NUMERAL_UNITS, PARTICLES, STOP_WORDS, is_cjk, \
    normalize, traditional_to_simplified
from .version import FORMAT_VERSION

DOC_CHUNK = 4
# Documents (id, question, category) travel with Han postings, so that a query's results often
# arrive with its postings and no documents wave follows: an entry's document is in the Han files of
# the CARRIED_CHARACTERS characters of its question that the fewest entries have. Ranking favours
# entries whose question the query's characters account for, so a result's rarest characters are
# usually in the query. Each costs about 70 bytes per entry of site (GitHub Pages' 1 GB); 3 leave
# a documents wave to about a third of the generated help centre's queries (docs/benchmarks.md).
# 2 took 0.6 KB off its worst later query, but a documents wave is a round trip on a phone.
CARRIED_CHARACTERS = 3
# Raw JSON per file, before gzip. Small files, because a query fetches one per two letters of a
# spelling and one per matched term and pays for whatever else hashed into the same file.
LEXICON_BYTES = 300
POSTINGS_BYTES = 1000
# Raw postings per Han file, at most, when characters are put together (han_files); a character
# whose own postings are larger keeps a file of its own. A word of three or more characters with
# more than LONG_WORD_ALONE_BYTES of postings is filed alone: only a query holding all of it
# matches it, while every query holding one of its characters would fetch it with them. (Chosen
# on the generated 10,000-question tree's queries: bytes and round trips per query, docs/benchmarks.md.)
HAN_FILE_BYTES = 2000
LONG_WORD_ALONE_BYTES = 500
CHAR_TABLE_BYTES = 1000  # pinyin readings and Traditional→Simplified pairs, by character
# Per entry, what ranking needs of its question, one character each: chr(QUESTION_CODE + value).
# Two strings of 10,000 characters gzip to 9.8 KB where one JSON list of numbers took 12.7 KB
# (format 6), and meta.json comes with every first query.
QUESTION_CODE = 48


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


def han_files(sizes: dict[str, int], entries: dict[str, int]) -> list[list[str]]:
    """Han terms grouped into the files their postings are written to, each file's terms sorted.

    `sizes` are the terms' encoded postings in bytes, `entries` how many entries each holds.
    A word goes with one of its characters, since a query that matches the word matches its
    characters too (no request is added; bytes are, when the character is asked without the
    word), unless it is long and large (LONG_WORD_ALONE_BYTES). Words are taken most common first,
    and while a file stays under HAN_FILE_BYTES the characters of a word are put in one file: the
    requests of a query follow its words. Otherwise a word goes to the file of its rarest character
    (the smallest postings of its own): fewer queries hold that character without the word, and
    each of them pays for the word's postings (a common character's file gathered dozens of words).
    What is left small is packed together, in order, up to POSTINGS_BYTES a file.
    """
    parent: dict[str, str] = {}
    size: dict[str, int] = {}

    def root(char: str) -> str:
        while parent[char] != char:
            parent[char] = parent[parent[char]]
            char = parent[char]
        return char

    for term in sorted(sizes):
        if len(term) == 1:
            parent[term], size[term] = term, sizes[term]
    home: dict[str, str] = {}
    for word in sorted((t for t in sizes if len(t) > 1), key=lambda t: (-entries[t], t)):
        roots = list(dict.fromkeys(root(ch) for ch in word if ch in parent))
        # alone: no character of it is a term of its own, or it is long and large, or it is large and
        # larger than each of its characters': a synonym brought it to entries without them (条款 of
        # 规则), and a query holding one of its characters rarely holds it
        large = sizes[word] > LONG_WORD_ALONE_BYTES
        if not roots or (large and (len(word) >= 3 or sizes[word] > max(sizes.get(ch, 0) for ch in word))):
            parent[word], size[word] = word, sizes[word]
            home[word] = word
            continue
        merged = sum(size[r] for r in roots) + sizes[word]
        if len(roots) > 1 and merged <= HAN_FILE_BYTES:
            for other in roots[1:]:
                parent[other] = roots[0]
            size[roots[0]] = merged
            home[word] = roots[0]
        else:
            rarest = min(roots, key=lambda r: (sizes[r], r))  # roots are characters
            size[rarest] += sizes[word]
            home[word] = rarest
    groups: dict[str, list[str]] = {}
    for term in sorted(sizes):
        groups.setdefault(root(home.get(term, term)), []).append(term)
    files: list[list[str]] = []
    packed, packed_size = [], 0
    for key in sorted(groups):
        group_size = sum(sizes[t] for t in groups[key])
        if group_size >= POSTINGS_BYTES:
            files.append(groups[key])
            continue
        if packed and packed_size + group_size > POSTINGS_BYTES:
            files.append(sorted(packed))
            packed, packed_size = [], 0
        packed += groups[key]
        packed_size += group_size
    if packed:
        files.append(sorted(packed))
    return files


def _hashed(prefix: str, by_key: dict[str, dict], target: int) -> tuple[int, dict[str, bytes]]:
    """Spread keyed tables over ceil(size / target) files named prefix/N.json by fnv1a(key)."""
    total = sum(len(_dumps(table)) for table in by_key.values())
    count = max(1, math.ceil(total / target))
    merged: dict[int, dict] = {}
    for key in sorted(by_key):
        merged.setdefault(fnv1a(key) % count, {}).update(by_key[key])
    # every file exists, even empty: the client fetches by hash
    return count, {f"{prefix}/{n}.json": _dumps({"v": FORMAT_VERSION, "t": merged.get(n, {})})
                   for n in range(count)}


def rarest_characters(question: str, terms: dict[str, list]) -> list[str]:
    """The CARRIED_CHARACTERS characters of a question that the fewest entries have."""
    chars = {ch for ch in normalize(question) if ch in terms and is_cjk(ch)}
    return sorted(chars, key=lambda ch: (len(terms[ch]), ch))[:CARRIED_CHARACTERS]


def listed_terms(terms: list[str], file_of: dict[str, int]) -> list[str]:
    """The terms of one Han file that meta.json lists: its characters, and the words none of whose
    characters is a term filed with them. A word filed with one of its characters is found in the
    file once loaded: a query holding the word holds that character, whose file it fetches anyway
    (query.match_terms matches every character of the index that is not a particle)."""
    return [term for term in terms if len(term) == 1 or not any(
        ch in file_of and file_of[ch] == file_of[term] and ch not in PARTICLES for ch in term)]


def _doc_fields(doc) -> list:
    return [doc.id, doc.question, doc.category]


def export_search(data: SearchData, pinyin: dict[str, list[str]]) -> dict[str, bytes]:
    """Relative path → file contents of the static search index (paths under one versioned folder)."""
    files: dict[str, bytes] = {}

    lexicon: dict[str, dict[str, list[str]]] = {}
    encoded: dict[str, list[int]] = {term: encode_postings(data.terms[term]) for term in data.terms}
    han_terms = [term for term in encoded if term_key(term).startswith("c")]
    spelled: dict[str, dict[str, list[int]]] = {}
    for term in sorted(encoded):
        key = term_key(term)
        if not key.startswith("c"):
            lexicon.setdefault(key, {}).setdefault(key, []).append(term)
            spelled[postings_key(term)] = {term: encoded[term]}
    lexicon_files, written = _hashed("lexicon", lexicon, LEXICON_BYTES)
    files.update(written)

    postings_files, written = _hashed("postings", spelled, POSTINGS_BYTES)
    files.update(written)
    grouped = han_files({term: len(_dumps(encoded[term])) for term in han_terms},
                        {term: len(data.terms[term]) for term in han_terms})
    file_of = {term: number for number, terms in enumerate(grouped) for term in terms}
    carried: dict[int, set[int]] = {}
    for entry, doc in enumerate(data.docs):
        for ch in rarest_characters(doc.question, data.terms):
            carried.setdefault(file_of[ch], set()).add(entry)
    for number, terms in enumerate(grouped):
        # The readings of its characters too: a query's typo round needs those of characters no
        # word explains, which are among the characters whose postings it fetches anyway.
        readings = {term: " ".join(pinyin[term]) for term in terms if len(term) == 1 and pinyin.get(term)}
        documents = {str(entry): _doc_fields(data.docs[entry]) for entry in sorted(carried.get(number, ()))}
        files[f"han/{number}.json"] = _dumps({"v": FORMAT_VERSION, "t": {term: encoded[term] for term in terms},
                                              "d": documents, "r": readings})

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
        # the Han terms a query must know of before it fetches postings, per file (han/N.json):
        # characters, and the words the file of none of their characters holds (listed_terms)
        "terms": [pack_terms(listed_terms(terms, file_of)) for terms in grouped],
        "postings": postings_files,  # the files of ASCII terms' postings, by hash
        "chars": char_files,
        "categories": data.categories,
        # per entry: the distinct characters of its question, and the kinds it asks (text.intents)
        "questionSizes": "".join(chr(QUESTION_CODE + d.characters) for d in data.docs),
        "questionIntents": "".join(chr(QUESTION_CODE + d.intents) for d in data.docs),
        "questionCode": QUESTION_CODE,
        "intents": [[word, INTENT_WORDS[word]] for word in INTENT_ORDER],
        "intentScores": data.intent_scores,
        "stop": list(STOP_WORDS),
        "particles": "".join(sorted(PARTICLES)),
        "units": list(NUMERAL_UNITS),
        "articleUnits": list(ARTICLE_UNITS),
        "constants": CONSTANTS,
    }
    files["meta.json"] = _dumps(meta)
    return files
