"""The browser's search engine agrees with the Python reference, step by step, in seconds, with no browser.

Python writes the sample content's search index and, for every query of the query set (and some
that no shopper should type), what search/query.py computes at each step: the analysed query, the
matched terms, the ranking. Node's built-in test runner then runs search/engine.js over the same
files (tests/js/engine.test.js). The Chromium agreement test (tests/browser) stays as the
end-to-end check of the bundled script in a real page.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from faqkb.content.load import load_content
from faqkb.files import write_files
from faqkb.search.export import decode_postings, encode_postings, export_search, fnv1a
from faqkb.search.job import search_data
from faqkb.search.query import Searcher
from faqkb.search.version import ENGINE_SCRIPT, FORMAT_VERSION

ROOT = Path(__file__).resolve().parent.parent
QUERIES = [json.loads(line) for line in (ROOT / "tests" / "data" / "search_queries.jsonl").read_text(
    encoding="utf-8").splitlines()]
ODD = ["x" * 10_000, "😀😀😀", "\x00\x01\x1f", "？？！！……", "<script>alert(1)</script>", "七天无理由", "十五天",
       "tui kuan", "tuik", "zmtk", "發票抬頭", "推货", "退 款", "", "想换一个", "第一次买", "一个工作日", "一件退一件",
       "发piao", "tui款", "退kuan怎么办", "fa票抬头", "发 piao", "iphone发票", "7天tui", "怎么弄个账号", "发票怎么搞", "付完款多久发货", "退了款", "开个票", "下了单了", "暱稱怎麼改",
       "积分是怎么攒的", "密码想换个", "花呗还款", "部機壞咗點樣攞去整", "幾時到貨㗎", "你们家卖的是正平吗", "申请黄货", "资付宝", "能开只质发票吗", "退款退货" * 16]
PREFIX = ["tui", "fap", "yunf"]  # the search box also tries ASCII prefixes of the last word


def vector(searcher: Searcher, query: str, prefix: bool) -> dict:
    steps = searcher.steps(query, 10, prefix)
    analysis = steps.analysis
    return {
        "q": query, "limit": 10, "prefix": prefix,
        "analysis": {"text": analysis.text, "cjk": [list(p) for p in analysis.cjk],
                     "ascii": [list(t) for t in analysis.ascii], "intents": analysis.intents,
                     "asking": [list(span) for span in analysis.asking]},
        "found": [[t.term, t.weight, t.start, t.end, t.unigram, t.guess, t.length] for t in steps.found],
        "ranked": [[number, score, matched, share] for number, score, matched, share in steps.ranked],
        "results": [[r.id, r.score] for r in searcher.search(query, 10, prefix)],
    }


@pytest.fixture(scope="module")
def vectors(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("engine-vectors")
    content, problems = load_content(ROOT / "faq")
    assert not problems
    data, pinyin = search_data(content)
    files = export_search(data, pinyin)
    write_files(folder / "index", files)
    searcher = Searcher(data, pinyin)
    samples = [encode_postings(postings) for postings in list(data.terms.values())[::50]]
    written = {
        "format": FORMAT_VERSION,
        "files": len(files),
        "hashes": [[key, fnv1a(key)] for key in ["c退", "t退款", "h發", "a tu", "😀", ""]],
        "postings": [[flat, [list(pair) for pair in decode_postings(flat)]] for flat in samples],
        "queries": [vector(searcher, q["q"], False) for q in QUERIES]
                   + [vector(searcher, q, False) for q in ODD] + [vector(searcher, q, True) for q in PREFIX],
    }
    (folder / "vectors.json").write_text(json.dumps(written, ensure_ascii=False), encoding="utf-8")
    return folder


def node() -> str:
    found = shutil.which("node")
    if not found:
        pytest.fail("Node.js is missing: make test installs Debian's nodejs")
    return found


def test_the_engine_in_node_computes_every_step_as_python_does(vectors):
    env = {**os.environ, "FAQKB_VECTORS": str(vectors), "FAQKB_ENGINE": str(ENGINE_SCRIPT)}
    result = subprocess.run([node(), "--test", "--test-reporter=dot", str(ROOT / "tests" / "js")],
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]


def test_a_wrong_step_in_the_engine_fails_the_node_tests(vectors, tmp_path):
    # The comparison is not vacuous: an engine whose intent bonus is off disagrees somewhere.
    broken = tmp_path / "engine.js"
    broken.write_text(ENGINE_SCRIPT.read_text(encoding="utf-8").replace("score += c.intentWeight * bonus;", ""),
                      encoding="utf-8")
    env = {**os.environ, "FAQKB_VECTORS": str(vectors), "FAQKB_ENGINE": str(broken)}
    result = subprocess.run([node(), "--test", "--test-reporter=dot", str(ROOT / "tests" / "js")],
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
