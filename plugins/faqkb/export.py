"""Step 6: write the static browser search: metadata, term shards and document chunks.

Every file is UTF-8 JSON carrying the format version. Shards are keyed so that one query needs
one shard per distinct character (and per two-letter ASCII prefix), never the whole index.
"""

from __future__ import annotations

import json
import math

from .index import INDEX_VERSION, SearchData
from .search import CONSTANTS, term_key
from .text import NUMERAL_UNITS, PARTICLES, STOP_WORDS, traditional_to_simplified

FORMAT_VERSION = 1
DOC_CHUNK = 32
TARGET_SHARD_BYTES = 6000  # raw JSON per shard, before gzip


def fnv1a(text: str) -> int:
    """32-bit FNV-1a of the UTF-8 bytes; assets/search.js computes the same."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def _dumps(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _encode_postings(postings: list[tuple[int, int]]) -> list[int]:
    """[doc, score, doc, score, ...] sorted by doc number, docs delta-encoded (compresses well)."""
    flat: list[int] = []
    previous = 0
    for number, score in sorted(postings):
        flat += [number - previous, score]
        previous = number
    return flat


def export_search(data: SearchData, pinyin: dict[str, list[str]]) -> dict[str, bytes]:
    """Relative path → file contents of the static search index (paths under one versioned folder)."""
    files: dict[str, bytes] = {}
    by_key: dict[str, dict[str, list[int]]] = {}
    for term in sorted(data.terms):
        by_key.setdefault(term_key(term), {})[term] = _encode_postings(data.terms[term])
    total = sum(len(_dumps(v)) for v in by_key.values())
    shard_count = max(1, math.ceil(total / TARGET_SHARD_BYTES))
    shards: dict[int, dict[str, list[int]]] = {}
    for key in sorted(by_key):
        shards.setdefault(fnv1a(key) % shard_count, {}).update(by_key[key])
    for number in range(shard_count):  # every shard exists, even empty: the client fetches by hash
        files[f"shards/{number}.json"] = _dumps({"v": FORMAT_VERSION, "t": shards.get(number, {})})

    for start in range(0, len(data.docs), DOC_CHUNK):
        chunk = [[d.id, d.question, d.category] for d in data.docs[start:start + DOC_CHUNK]]
        files[f"docs/{start // DOC_CHUNK}.json"] = _dumps({"v": FORMAT_VERSION, "d": chunk})

    corpus_chars = {ch for term in data.terms for ch in term} | set(pinyin)
    t2s = "".join(a + b for a, b in sorted(traditional_to_simplified().items()) if b in corpus_chars)
    files["t2s.json"] = _dumps({"v": FORMAT_VERSION, "m": t2s})
    by_reading: dict[str, str] = {}
    for ch, readings in pinyin.items():
        for order, reading in enumerate(readings):
            by_reading.setdefault(f"{order}{reading}", "")
            by_reading[f"{order}{reading}"] += ch
    files["pinyin.json"] = _dumps({"v": FORMAT_VERSION, "p": by_reading})

    meta = {
        "v": FORMAT_VERSION,
        "index": INDEX_VERSION,
        "docs": len(data.docs),
        "docChunk": DOC_CHUNK,
        "shards": shard_count,
        "categories": data.categories,
        "stop": list(STOP_WORDS),
        "particles": "".join(sorted(PARTICLES)),
        "units": list(NUMERAL_UNITS),
        "constants": CONSTANTS,
    }
    files["meta.json"] = _dumps(meta)
    return files
