#!/usr/bin/env python3
"""Benchmark faqkb's Chinese search against Material's built-in search and Pagefind.

    .venv/bin/python scripts/bench_search.py [--skip-peers] [--skip-afqmc] [--skip-10k] [--json OUT]
                                             [--afqmc DIR] [--afqmc-limit N] [--latency-queries 200]
                                             [--workdir DIR] [--keep]

In one run, on the same content and the same queries:

Quality (Recall@1, Recall@5, MRR@10 per query kind, and over all answerable queries; for kind
"unanswerable", the share of queries answered with no result at all):
  query sets  own    tests/data/search_queries.jsonl on the repository's faq/ (the sample site)
              AFQMC  ../shared/bench/afqmc (kb.json + queries.jsonl; --afqmc DIR), converted into
                     a faqkb tree in a temporary folder (never into the repository)
  systems     faqkb     the site built by the faqkb plugin; queries run through the browser client
                        window.faqkb.search in headless Chromium, and again through the Python
                        reference faqkb.search.query.Searcher (the two must rank identically)
              material  the same content as plain Markdown (one page per question: "# question",
                        the answer, "其他问法：<aliases>", "标签：<tags>"; one index.md per category),
                        built by plain Material with `search: {lang: zh}` (jieba, taught faqkb's shop
                        words through jieba_dict_user). Own set: typed into .md-search__input like a
                        shopper, reading .md-search-result__item links in order. AFQMC: the same raw
                        query posted straight to Material's own search worker (the message the UI
                        sends on keyup, SETUP/QUERY/RESULT), because typing 1,333 queries is slow;
                        the own set runs both ways and the report says whether they agree.
              pagefind  the same Markdown built by Material without its search plugin, indexed by
                        `python -m pagefind --site` (extended: Chinese segmentation); pagefind.js
                        imported in the page, top 10 results' data() → URLs.
  A result pointing at a category page (peers only) is a miss at that rank.

Download size (gzip.compress of every response body, "gzipped") and latency, in Chromium against
a local http.server on 127.0.0.1:
  faqkb on the sample site and on a generated 10,000-question site (tests/harness/gen_tree.py);
  first query = search.js + every search file fetched (page load included) up to the first result;
  later query = new bytes fetched by a second, different query. Peers on the sample site:
  Material's search_index.json + worker + lunr scripts; Pagefind's files for the first/later query.
  Latency: warm (every query run once first), `await window.faqkb.search(q)` timed in the page
  with performance.now() over --latency-queries queries of the own set; peers on the sample site.

--json OUT writes every figure, plus each query's top-10 ids per system, for a closer look.
--afqmc-limit N runs only the first N AFQMC queries through the peers (faqkb always runs all).
Exit status 1 when anything went wrong (listed under "Problems" at the end), else 0.

Everything is built in a temporary folder (removed at the end unless --keep); the project's faq/
and site/ are only read. The 10,000-question build runs in the background while quality is
measured; sizes and latency are measured after every build has finished.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the test harness
import bench_support as S  # noqa: E402  (beside this script)
from harness import browser as chromium, gen_tree, site  # noqa: E402  (tests/harness)
from harness.server import serving  # noqa: E402

REPO = S.REPO
OWN_QUERIES = REPO / "tests" / "data" / "search_queries.jsonl"
BLIND_QUERIES = REPO / "tests" / "data" / "blind_queries.jsonl"
DEV_QUERIES = REPO / "tests" / "data" / "dev_queries.jsonl"
THIRD_QUERIES = REPO / "tests" / "data" / "third_queries.jsonl"  # Traditional (Taiwan, Hong Kong), typos, sentences
AFQMC_DEFAULT = REPO.parent / "shared" / "bench" / "afqmc"
SIZE_QUERIES = ["退款多久到账", "发票怎么开", "tuihuo", "推货", "退貨要多久"]
BATCH = 100

TARGETS = {
    "first_kb_10k": 60, "later_kb_10k": 15, "latency_median": 5.0, "latency_p95": 15.0,
    "own_r1": 0.85, "own_r5": 0.97, "own_kind_r5": 0.9, "afqmc_r5": 0.40,
    "blind_r1": 0.85, "blind_sentence_r1": 0.85, "blind_r5": 0.97, "afqmc_mrr": 0.245,
}
# Issue 14's targets, checked on the half that was never looked at while tuning, and on AFQMC's halves.
GROUP_TARGETS = {
    "own set": {"ALL answerable": [("r1", TARGETS["own_r1"]), ("r5", TARGETS["own_r5"])],
                "*": [("r5", TARGETS["own_kind_r5"])]},
    "blind set, held-out half": {"ALL answerable": [("r1", TARGETS["blind_r1"]), ("r5", TARGETS["blind_r5"])],
                                 "sentence": [("r1", TARGETS["blind_sentence_r1"])]},
    "AFQMC first half": {"*": [("r5", TARGETS["afqmc_r5"]), ("mrr", TARGETS["afqmc_mrr"])]},
    "AFQMC second half": {"*": [("r5", TARGETS["afqmc_r5"]), ("mrr", TARGETS["afqmc_mrr"])]},
}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------------
# Sites
# ------------------------------------------------------------------------------------------------

@dataclass
class Dataset:
    name: str  # "sample", "afqmc", "10k"
    label: str
    faq: Path
    work: Path
    queries: list[S.Query] = field(default_factory=list)
    content: object = None
    faqkb_site: Path | None = None
    material_site: Path | None = None
    pagefind_site: Path | None = None
    urls: dict[str, str] = field(default_factory=dict)  # peer URL path -> id
    builds: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def build_faqkb(ds: Dataset) -> None:
    site_dir = ds.work / "faqkb-site"
    config = site.write_config(ds.work / "faqkb-mkdocs.yml", docs_dir=str(ds.faq), site_dir=str(site_dir))
    ds.builds["faqkb"] = S.build(config, ds.work / "faqkb-build.log")
    S.faqkb_search_dir(site_dir)
    ds.faqkb_site = site_dir


def build_peers(ds: Dataset) -> None:
    docs = ds.work / "md"
    ds.urls = S.peer_urls(S.write_peer_pages(ds.content, docs, home_title="帮助中心"))
    nav = S.peer_nav(ds.content, every_page=False)
    words = S.shop_words_dict(ds.work / "jieba-user-dict.txt")
    config = S.write_material_config(ds.work / "material-mkdocs.yml", docs, ds.work / "material-site", nav,
                                     search=True, jieba_user_dict=words)
    ds.builds["material"] = S.build(config, ds.work / "material-build.log")
    ds.material_site = ds.work / "material-site"
    config = S.write_material_config(ds.work / "plain-mkdocs.yml", docs, ds.work / "pagefind-site", nav, search=False)
    seconds = S.build(config, ds.work / "plain-build.log")
    seconds += S.pagefind_build(ds.work / "pagefind-site", ds.work / "pagefind.log")
    ds.builds["pagefind"] = seconds
    ds.pagefind_site = ds.work / "pagefind-site"


# ------------------------------------------------------------------------------------------------
# Quality runs
# ------------------------------------------------------------------------------------------------

FAQKB_BATCH_JS = """async ([qs, limit]) => {
  const out = [];
  for (const q of qs) {
    try { out.push((await window.faqkb.search(q, {limit})).map(r => r.id)); }
    catch (e) { out.push({error: String(e && e.stack || e)}); }
  }
  return out;
}"""

PAGEFIND_BATCH_JS = """async ([qs, limit]) => {
  if (!window.__pf) { window.__pf = await import('/pagefind/pagefind.js'); await window.__pf.init(); }
  const pf = window.__pf, out = [];
  for (const q of qs) {
    try {
      const r = await pf.search(q);
      const data = await Promise.all(r.results.slice(0, limit).map(x => x.data()));
      out.push(data.map(d => d.url));
    } catch (e) { out.push({error: String(e && e.stack || e)}); }
  }
  return out;
}"""

# Material's own search worker, set up exactly as its UI does (same worker file, same index, same
# SETUP options), queried with the raw input value the UI posts on keyup.
MATERIAL_WORKER_SETUP_JS = """async () => {
  if (window.__mw) return true;
  const config = JSON.parse(document.getElementById('__config').textContent);
  const base = new URL(config.base + '/', location.href);
  const index = await (await fetch(new URL('search/search_index.json', base))).json();
  const worker = new Worker(new URL(config.search, base));
  let pending = null;
  worker.onmessage = ev => { const p = pending; pending = null; if (p) p(ev.data); };
  const call = msg => new Promise(resolve => { pending = resolve; worker.postMessage(msg); });
  const ready = await call({type: 0, data: {config: index.config, docs: index.docs,
                                            options: {suggest: config.features.includes('search.suggest')}}});
  if (ready.type !== 1) throw new Error('material worker did not answer READY: ' + JSON.stringify(ready));
  window.__mw = {call, base};
  return true;
}"""

MATERIAL_WORKER_BATCH_JS = """async ([qs, limit]) => {
  const {call, base} = window.__mw, out = [];
  for (const q of qs) {
    const r = await call({type: 2, data: q});
    if (r.type !== 3) { out.push({error: 'unexpected message ' + JSON.stringify(r).slice(0, 200)}); continue; }
    out.push(r.data.items.slice(0, limit).map(group => {
      const article = group.find(d => !d.location.includes('#')) || group[0];
      return new URL(article.location, base).pathname;
    }));
  }
  return out;
}"""


def batched(page, script: str, texts: list[str], limit: int = S.TOP) -> list:
    out = []
    for start in range(0, len(texts), BATCH):
        out += page.evaluate(script, [texts[start:start + BATCH], limit])
    return out


def split_errors(raw: list, mapper, queries: list[S.Query]) -> tuple[list[list], list[str], set[int]]:
    ranked, errors, failed = [], [], set()
    for number, (item, query) in enumerate(zip(raw, queries)):
        if isinstance(item, dict) and "error" in item:
            failed.add(number)
            errors.append(f"{query.q!r}: {item['error'].strip().splitlines()[0]}")
            ranked.append([])
        else:
            ranked.append(mapper(item))
    return ranked, errors, failed


def open_page(browser, url: str, wait_for: str | None = None):
    context = chromium.new_context(browser)
    recorder = S.Recorder(context)
    page = context.new_page()
    console_errors: list[str] = []
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    page.goto(url, wait_until="load")
    if wait_for:
        page.wait_for_function(wait_for, timeout=30_000)
    return context, page, recorder, console_errors


def run_faqkb_browser(browser, ds: Dataset, queries: list[S.Query]) -> S.Run:
    with serving(ds.faqkb_site) as url:
        context, page, _, page_errors = open_page(browser, url, "window.faqkb && window.faqkb.search")
        start = time.perf_counter()
        raw = batched(page, FAQKB_BATCH_JS, [q.q for q in queries])
        seconds = time.perf_counter() - start
        context.close()
    ranked, errors, failed = split_errors(raw, list, queries)
    return S.Run("faqkb (browser)", ds.name, queries, ranked, seconds, errors=errors + page_errors, failed=failed)


def run_faqkb_python(ds: Dataset, queries: list[S.Query]):
    from faqkb.search.job import search_data
    from faqkb.search.query import Searcher

    start = time.perf_counter()
    data, pinyin = search_data(ds.content)
    searcher = Searcher(data, pinyin)
    index_seconds = time.perf_counter() - start
    start = time.perf_counter()
    ranked, errors, failed = [], [], set()
    for query in queries:
        try:
            ranked.append([r.id for r in searcher.search(query.q, limit=S.TOP)])
        except Exception:  # noqa: BLE001 - reported, not fixed: other people own faqkb
            failed.add(len(ranked))
            ranked.append([])
            errors.append(f"{query.q!r}: {traceback.format_exc()}")
    run = S.Run("faqkb (Python)", ds.name, queries, ranked, time.perf_counter() - start, errors=errors, failed=failed)
    run.note = f"index built in {index_seconds:.1f}s"
    return run


def peer_ids(ds: Dataset, urls: list[str]) -> list[str | None]:
    return [ds.urls.get(S.path_of(u)) for u in urls]


def run_material_ui(browser, ds: Dataset, queries: list[S.Query]) -> S.Run:
    """Type each query into Material's search box and read the result links in order."""
    box = ".md-search__input"
    with serving(ds.material_site) as url:
        context, page, _, page_errors = open_page(browser, url)
        page.click(box)
        ranked: list[list[str | None]] = []
        errors: list[str] = []
        previous = None
        start = time.perf_counter()
        for query in queries:
            if query.q == previous:  # Material ignores an unchanged value; the results stay
                ranked.append(list(ranked[-1]))
                continue
            previous = query.q
            # The list is emptied whenever the worker's answer arrives: a marker in it tells us when.
            page.evaluate("""() => { const list = document.querySelector('.md-search-result__list');
                const li = document.createElement('li'); li.id = 'bench-marker'; list.appendChild(li); }""")
            page.fill(box, query.q)
            page.press(box, "End")  # an IME commits with a key: Material listens to keyup
            try:
                page.wait_for_function("() => !document.getElementById('bench-marker')", timeout=20_000)
            except Exception as error:  # noqa: BLE001
                errors.append(f"{query.q!r}: no results rendered ({error.__class__.__name__})")
                ranked.append([])
                continue
            hrefs = page.eval_on_selector_all(
                ".md-search-result__list > .md-search-result__item",
                "els => els.map(e => (e.querySelector('a.md-search-result__link') || {}).href || '')")
            ranked.append(peer_ids(ds, hrefs[:S.TOP]))
        seconds = time.perf_counter() - start
        context.close()
    return S.Run("material (UI)", ds.name, queries, ranked, seconds, errors=errors + page_errors)


def run_peer_batch(browser, ds: Dataset, queries: list[S.Query], label: str, site: Path, batch_js: str,
                   setup_js: str | None = None) -> S.Run:
    """A peer's search driven in the page, all queries in batches; result URLs mapped to ids."""
    with serving(site) as url:
        context, page, _, page_errors = open_page(browser, url)
        if setup_js:
            page.evaluate(setup_js)
        start = time.perf_counter()
        raw = batched(page, batch_js, [q.q for q in queries])
        seconds = time.perf_counter() - start
        context.close()
    ranked, errors, failed = split_errors(raw, lambda urls: peer_ids(ds, urls), queries)
    return S.Run(label, ds.name, queries, ranked, seconds, errors=errors + page_errors, failed=failed)


def run_material_worker(browser, ds: Dataset, queries: list[S.Query]) -> S.Run:
    return run_peer_batch(browser, ds, queries, "material (worker)", ds.material_site, MATERIAL_WORKER_BATCH_JS,
                          MATERIAL_WORKER_SETUP_JS)


def run_pagefind(browser, ds: Dataset, queries: list[S.Query]) -> S.Run:
    return run_peer_batch(browser, ds, queries, "pagefind", ds.pagefind_site, PAGEFIND_BATCH_JS)


def compare(a: S.Run, b: S.Run) -> list[tuple[str, list, list]]:
    """Queries whose top-10 ids differ; a query that raised in either run differs too."""
    out = []
    for number, (q, x, y) in enumerate(zip(a.queries, a.ranked, b.ranked)):
        if x != y or number in a.failed or number in b.failed:
            out.append((q.q, "ERROR" if number in a.failed else x, "ERROR" if number in b.failed else y))
    return out


# ------------------------------------------------------------------------------------------------
# Size and latency
# ------------------------------------------------------------------------------------------------

SEARCH_ONE_JS = """q => window.faqkb.search(q, {limit: 10}).then(() => null, e => String(e && e.message || e))"""


def faqkb_bytes(browser, site: Path) -> dict:
    """For every ordered pair of SIZE_QUERIES: first-query bytes and the later query's new bytes."""
    search_dir = "/" + S.faqkb_search_dir(site).relative_to(site).as_posix() + "/"
    firsts: dict[str, tuple[int, int, int]] = {}
    laters: list[tuple[str, str, int, int, int]] = []
    files_seen: set[str] = set()
    failures: list[str] = []
    with serving(site) as url:
        for i, first in enumerate(SIZE_QUERIES):
            for later in SIZE_QUERIES[:i] + SIZE_QUERIES[i + 1:]:
                context, page, recorder, _ = open_page(browser, url, "window.faqkb && window.faqkb.search")
                page.wait_for_load_state("networkidle")
                loaded = recorder.mark()
                failure = page.evaluate(SEARCH_ONE_JS, first)
                if failure:
                    failures.append(f"{first!r}: {failure}")
                counted = [r for r in recorder.since(0)[:loaded]
                           if S.path_of(r.url).endswith("/faqkb/search.js") or S.path_of(r.url).startswith(search_dir)]
                counted += recorder.since(loaded)
                files_seen |= {S.path_of(r.url) for r in counted}
                raw = sum(recorder.sizes(r)[0] for r in counted)
                gz = sum(recorder.sizes(r)[1] for r in counted)
                firsts.setdefault(first, (raw, gz, len(counted)))
                mark = recorder.mark()
                failure = page.evaluate(SEARCH_ONE_JS, later)
                if failure:
                    failures.append(f"{later!r}: {failure}")
                new = recorder.since(mark)
                laters.append((first, later, sum(recorder.sizes(r)[0] for r in new),
                               sum(recorder.sizes(r)[1] for r in new), len(new)))
                context.close()
    first_gz = [v[1] for v in firsts.values()]
    later_gz = [v[3] for v in laters]
    return {
        "first": {q: {"raw": v[0], "gzip": v[1], "files": v[2]} for q, v in firsts.items()},
        "later": [{"after": a, "query": b, "raw": r, "gzip": g, "files": n} for a, b, r, g, n in laters],
        "first_gzip_median": statistics.median(first_gz), "first_gzip_max": max(first_gz),
        "later_gzip_median": statistics.median(later_gz), "later_gzip_max": max(later_gz),
        "first_files_median": statistics.median(v[2] for v in firsts.values()),
        "later_files_median": statistics.median(v[4] for v in laters),
        "failures": sorted(set(failures)),
        "non_search_files": sorted(f for f in files_seen
                                   if not (f.endswith("/faqkb/search.js") or f.startswith(search_dir))),
    }


def material_bytes(browser, ds: Dataset) -> dict:
    """Material loads its whole index (and worker) for the first query; a later query fetches nothing."""
    box = ".md-search__input"
    out = {"first": [], "later": []}
    with serving(ds.material_site) as url:
        for i, first in enumerate(SIZE_QUERIES):
            later = SIZE_QUERIES[(i + 1) % len(SIZE_QUERIES)]
            context, page, recorder, _ = open_page(browser, url)
            page.click(box)
            for query, key in ((first, "first"), (later, "later")):
                mark = recorder.mark()
                page.evaluate("""() => { const list = document.querySelector('.md-search-result__list');
                    const li = document.createElement('li'); li.id = 'bench-marker'; list.appendChild(li); }""")
                page.fill(box, query)
                page.press(box, "End")
                page.wait_for_function("() => !document.getElementById('bench-marker')", timeout=30_000)
                if key == "first":
                    counted = [r for r in recorder.since(0)
                               if any(s in S.path_of(r.url) for s in ("/search/search_index.json", "/workers/", "/lunr/"))]
                    counted += [r for r in recorder.since(mark) if r not in counted]
                else:
                    counted = recorder.since(mark)
                out[key].append((sum(recorder.sizes(r)[0] for r in counted), sum(recorder.sizes(r)[1] for r in counted),
                                 len(counted)))
            context.close()
    return _summarise_pairs(out)


def pagefind_bytes(browser, ds: Dataset) -> dict:
    """As for faqkb: first-query bytes per query, later-query new bytes for every ordered pair."""
    firsts: dict[str, tuple[int, int, int]] = {}
    laters: list[tuple[int, int, int]] = []
    with serving(ds.pagefind_site) as url:
        for i, first in enumerate(SIZE_QUERIES):
            for later in SIZE_QUERIES[:i] + SIZE_QUERIES[i + 1:]:
                context, page, recorder, _ = open_page(browser, url)
                page.wait_for_load_state("networkidle")
                for query, is_first in ((first, True), (later, False)):
                    mark = recorder.mark()
                    page.evaluate(PAGEFIND_BATCH_JS, [[query], S.TOP])
                    counted = [r for r in recorder.since(mark) if "/pagefind/" in S.path_of(r.url)]
                    sizes = (sum(recorder.sizes(r)[0] for r in counted), sum(recorder.sizes(r)[1] for r in counted),
                             len(counted))
                    if is_first:
                        firsts.setdefault(first, sizes)
                    else:
                        laters.append(sizes)
                context.close()
    return _summarise_pairs({"first": list(firsts.values()), "later": laters})


def _summarise_pairs(out: dict) -> dict:
    result = {}
    for key in ("first", "later"):
        gz = [v[1] for v in out[key]]
        result[f"{key}_gzip_median"] = statistics.median(gz)
        result[f"{key}_gzip_max"] = max(gz)
        result[f"{key}_raw_median"] = statistics.median(v[0] for v in out[key])
        result[f"{key}_files_median"] = statistics.median(v[2] for v in out[key])
    return result


LATENCY_JS = {
    "faqkb": """async ([qs, limit]) => {
  const failed = {};
  for (const q of qs) { try { await window.faqkb.search(q, {limit}); } catch (e) { failed[q] = String(e && e.message || e); } }
  const times = [];
  for (const q of qs) {
    if (q in failed) continue;
    const t = performance.now(); await window.faqkb.search(q, {limit}); times.push(performance.now() - t);
  }
  return {times, failed};
}""",
    "pagefind": """async ([qs, limit]) => {
  const pf = await import('/pagefind/pagefind.js'); await pf.init();
  const run = async q => { const r = await pf.search(q); await Promise.all(r.results.slice(0, limit).map(x => x.data())); };
  for (const q of qs) await run(q);
  const times = [];
  for (const q of qs) { const t = performance.now(); await run(q); times.push(performance.now() - t); }
  return {times, failed: {}};
}""",
    "material": """async ([qs, limit]) => {
  const {call} = window.__mw;
  for (const q of qs) await call({type: 2, data: q});
  const times = [];
  for (const q of qs) { const t = performance.now(); await call({type: 2, data: q}); times.push(performance.now() - t); }
  return {times, failed: {}};
}""",
}


def latency(browser, site: Path, system: str, texts: list[str]) -> dict:
    with serving(site) as url:
        wait = "window.faqkb && window.faqkb.search" if system == "faqkb" else None
        context, page, _, _ = open_page(browser, url, wait)
        if system == "material":
            page.evaluate(MATERIAL_WORKER_SETUP_JS)
        result = page.evaluate(LATENCY_JS[system], [texts, S.TOP])
        context.close()
    times = result["times"]
    return {"n": len(times), "median": statistics.median(times) if times else None,
            "p95": S.percentile(times, 0.95) if times else None, "max": max(times) if times else None,
            "failures": [f"{q!r}: {e}" for q, e in result["failed"].items()]}


# ------------------------------------------------------------------------------------------------
# Report
# ------------------------------------------------------------------------------------------------

def quality_table(runs: list[S.Run], targets: dict | None = None) -> str:
    """One row per kind; `targets` maps a kind (or "*") to [(metric, minimum)], checked on the first run."""
    per = [S.metrics(r.queries, r.ranked) for r in runs]
    kinds = list(dict.fromkeys(k for m in per for k in m))
    kinds = [k for k in kinds if k != "ALL answerable"] + (["ALL answerable"] if any("ALL answerable" in m for m in per) else [])
    header = ["kind", "n"]
    for r in runs:
        header += [f"{r.system} R@1", "R@5", "MRR"]
    if targets:
        header.append(f"target ({runs[0].system})")
    rows = []
    for kind in kinds:
        n = next((m[kind]["n"] for m in per if kind in m), 0)
        row = [kind, str(n)]
        for m in per:
            cell = m.get(kind)
            if cell is None:
                row += ["—", "", ""]
            elif "no_results" in cell:
                row += [f"no result {cell['no_results']:.2f}", "", ""]
            else:
                row += [f"{cell['r1']:.3f}", f"{cell['r5']:.3f}", f"{cell['mrr']:.3f}"]
        if targets:
            wanted = targets.get(kind, targets.get("*")) if "no_results" not in per[0].get(kind, {}) else None
            row.append(target_text(wanted, per[0].get(kind)) if wanted else "")
        rows.append(row)
    return S.table(header, rows)


NAMES = {"r1": "R@1", "r5": "R@5", "mrr": "MRR"}


def target_text(wanted: list[tuple[str, float]], cell: dict | None) -> str:
    parts = []
    for metric, minimum in wanted:
        ok = cell is not None and cell[metric] >= minimum
        parts.append(f"{NAMES[metric]}≥{minimum:g} {'ok' if ok else 'MISSED'}")
    return ", ".join(parts)


def mark(value: float | None, limit: float) -> str:
    return "" if value is None else ("ok" if value <= limit else "MISSED")


def print_section(title: str) -> None:
    print()
    print(title)
    print("=" * S.display_width(title))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-peers", action="store_true", help="only faqkb (no Material, no Pagefind)")
    parser.add_argument("--skip-afqmc", action="store_true", help="no AFQMC query set")
    parser.add_argument("--skip-10k", action="store_true", help="no generated 10,000-question site")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    parser.add_argument("--afqmc", type=Path, default=AFQMC_DEFAULT, help=f"AFQMC folder (default {AFQMC_DEFAULT})")
    parser.add_argument("--afqmc-limit", type=int, default=0,
                        help="run only the first N AFQMC queries through the peers (default 0 = all)")
    parser.add_argument("--latency-queries", type=int, default=200, help="queries timed for latency (default 200)")
    parser.add_argument("--questions", type=int, default=10000, help="size of the generated site (default 10000)")
    parser.add_argument("--workdir", type=Path, help="temporary folder (default: a new one under /tmp)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    if not args.skip_peers and (missing := S.pagefind_missing()):
        parser.error(f"{missing}, or pass --skip-peers")

    started = time.perf_counter()
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="faqkb-bench-search-", dir=args.workdir))
    report: dict = {"targets": TARGETS, "quality": {}, "agreement": {}, "bytes": {}, "latency": {}, "builds": {},
                    "errors": []}
    problems: list[str] = []
    try:
        return _main(args, work, report, problems, started)
    finally:
        if args.json:
            args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _main(args, work: Path, report: dict, problems: list[str], started: float) -> int:
    own = S.read_own_queries(OWN_QUERIES)
    for query in own:
        query.group = "own set"
    sample = Dataset("sample", "sample site (repository faq/)", REPO / "faq", work / "sample",
                     own + S.read_blind_queries(BLIND_QUERIES) + S.read_dev_queries(DEV_QUERIES)
                     + S.read_dev_queries(THIRD_QUERIES, "third blind set (tuned against)"))
    sample.work.mkdir()
    datasets = [sample]

    # --- the 10k site builds in the background while quality is measured ------------------------
    big: Dataset | None = None
    big_thread: threading.Thread | None = None
    if not args.skip_10k:
        big = Dataset("10k", f"generated {args.questions:,}-question site", work / "10k" / "faq", work / "10k")
        big.work.mkdir()

        def build_big():
            try:
                gen_tree.write_tree(gen_tree.generate(args.questions), big.faq)
                build_faqkb(big)
            except Exception as error:  # noqa: BLE001
                big.errors.append(f"10k build failed: {error}")

        log(f"building the {args.questions:,}-question site in the background")
        big_thread = threading.Thread(target=build_big, daemon=True)
        big_thread.start()

    afqmc: Dataset | None = None
    if not args.skip_afqmc:
        kb_path, q_path = args.afqmc / "kb.json", args.afqmc / "queries.jsonl"
        if not (kb_path.is_file() and q_path.is_file()):
            problems.append(f"AFQMC skipped: {kb_path} or {q_path} not found")
        else:
            afqmc = Dataset("afqmc", "AFQMC (4,313 questions)", work / "afqmc" / "faq", work / "afqmc",
                            S.read_afqmc_queries(q_path))
            afqmc.work.mkdir()
            stats = S.write_afqmc_tree(kb_path, afqmc.faq)
            report["afqmc_tree"] = stats
            log(f"AFQMC tree: {stats}")
            datasets.append(afqmc)

    for ds in datasets:
        try:
            ds.content, _ = S.check_tree(ds.faq)
            ids = {e.id for e in ds.content.entries}
            unknown = sorted({i for q in ds.queries for i in q.expected if i not in ids})
            if unknown:
                problems.append(f"{ds.name}: expected ids not in the content: {unknown[:10]}")
            log(f"{ds.name}: building the faqkb site ({len(ds.content.entries)} questions)")
            build_faqkb(ds)
            if not args.skip_peers:
                log(f"{ds.name}: building the Material and Pagefind sites")
                build_peers(ds)
        except Exception as error:  # noqa: BLE001
            ds.errors.append(f"{ds.name} build failed: {error}\n{traceback.format_exc()}")

    with chromium.chromium() as browser:
        quality_runs: dict[str, list[S.Run]] = {}
        for ds in datasets:
            if ds.faqkb_site is None:
                continue
            runs: list[S.Run] = []
            log(f"{ds.name}: faqkb browser search, {len(ds.queries)} queries")
            browser_run = run_faqkb_browser(browser, ds, ds.queries)
            runs.append(browser_run)
            python_run = run_faqkb_python(ds, ds.queries)
            differences = compare(browser_run, python_run)
            report["agreement"][ds.name] = {
                "queries": len(ds.queries), "identical": len(ds.queries) - len(differences),
                "differences": [{"q": q, "browser": a, "python": b} for q, a, b in differences[:50]],
                "python_seconds": python_run.seconds, "browser_seconds": browser_run.seconds,
            }
            report["quality"].setdefault(ds.name, {})["faqkb-python"] = S.metrics(python_run.queries, python_run.ranked)
            for run in (browser_run, python_run):
                problems += [f"{ds.name} {run.system}: {e}" for e in run.errors[:5]]
            if not args.skip_peers and ds.material_site:
                peer_queries = ds.queries
                if ds.name == "afqmc" and args.afqmc_limit:
                    peer_queries = ds.queries[:args.afqmc_limit]
                if ds.name == "sample":
                    log(f"{ds.name}: Material, typing {len(peer_queries)} queries into the search box")
                    ui_run = run_material_ui(browser, ds, peer_queries)
                    log(f"{ds.name}: Material, the same queries straight to its worker (check)")
                    worker_run = run_material_worker(browser, ds, peer_queries)
                    diff = compare(ui_run, worker_run)
                    report["agreement"]["material ui-vs-worker"] = {
                        "queries": len(peer_queries), "identical": len(peer_queries) - len(diff),
                        "differences": [{"q": q, "ui": a, "worker": b} for q, a, b in diff[:50]]}
                    runs.append(ui_run)
                    problems += [f"{ds.name} {r.system}: {e}" for r in (ui_run, worker_run) for e in r.errors[:5]]
                else:
                    log(f"{ds.name}: Material via its search worker, {len(peer_queries)} queries")
                    run = run_material_worker(browser, ds, peer_queries)
                    runs.append(run)
                    problems += [f"{ds.name} {run.system}: {e}" for e in run.errors[:5]]
                log(f"{ds.name}: Pagefind, {len(peer_queries)} queries")
                run = run_pagefind(browser, ds, peer_queries)
                runs.append(run)
                problems += [f"{ds.name} {run.system}: {e}" for e in run.errors[:5]]
            quality_runs[ds.name] = runs
            for run in runs:
                report["quality"][ds.name][run.system] = S.metrics(run.queries, run.ranked)
                report["quality"][ds.name][run.system]["_seconds"] = round(run.seconds, 1)
                report.setdefault("results", {}).setdefault(ds.name, {})[run.system] = [
                    {"q": q.q, "kind": q.kind, "expected": q.expected, "top": ids}
                    for q, ids in zip(run.queries, run.ranked)]

        if big_thread:
            log("waiting for the 10k build")
            big_thread.join()
            if big.faqkb_site:
                datasets.append(big)

        # --- sizes and latency (after every build: nothing else competes for the CPU) --------------
        latency_texts = list(dict.fromkeys(q.q for q in own))[:args.latency_queries]

        def attempt(label: str, fn):
            try:
                return fn()
            except Exception:  # noqa: BLE001 - reported under Problems; the other figures still print
                problems.append(f"{label} failed:\n{traceback.format_exc()}")
                return None

        def store(section: str, key: str, value) -> None:
            if value is not None:
                report[section][key] = value
                problems.extend(f"{key} ({section}): {f}" for f in value.get("failures", [])[:10])

        for ds in datasets:
            if ds.name == "afqmc" or ds.faqkb_site is None:
                continue
            log(f"{ds.name}: faqkb download sizes")
            store("bytes", f"faqkb {ds.name}", attempt(f"faqkb {ds.name} sizes", lambda: faqkb_bytes(browser, ds.faqkb_site)))
            log(f"{ds.name}: faqkb latency over {len(latency_texts)} queries")
            store("latency", f"faqkb {ds.name}",
                  attempt(f"faqkb {ds.name} latency", lambda: latency(browser, ds.faqkb_site, "faqkb", latency_texts)))
        if big in datasets:
            # No relevance judgements for the generated site, but browser and Python must still agree.
            log("10k: faqkb browser vs Python on the own query texts")

            def check_big():
                big.content, _ = S.check_tree(big.faq)
                texts = [S.Query(q, [], "any") for q in dict.fromkeys(q.q for q in own)]
                a = run_faqkb_browser(browser, big, texts)
                b = run_faqkb_python(big, texts)
                diff = compare(a, b)
                report["agreement"]["10k"] = {
                    "queries": len(texts), "identical": len(texts) - len(diff),
                    "differences": [{"q": q, "browser": x, "python": y} for q, x, y in diff[:50]],
                    "browser_failed": len(a.failed), "browser_errors": a.errors[:20], "python_seconds": b.seconds, "browser_seconds": a.seconds}
                problems.extend(f"10k faqkb (browser): {e}" for e in a.errors[:10])
                problems.extend(f"10k faqkb (Python): {e}" for e in b.errors[:10])

            attempt("10k browser vs Python", check_big)
        if not args.skip_peers and sample.material_site:
            log("sample: peer download sizes and latency")
            store("bytes", "material sample", attempt("material sizes", lambda: material_bytes(browser, sample)))
            store("bytes", "pagefind sample", attempt("pagefind sizes", lambda: pagefind_bytes(browser, sample)))
            store("latency", "material sample", attempt("material latency", lambda: latency(
                browser, sample.material_site, "material", latency_texts)))
            store("latency", "pagefind sample", attempt("pagefind latency", lambda: latency(
                browser, sample.pagefind_site, "pagefind", latency_texts)))

    for ds in datasets + ([big] if big and big not in datasets else []):
        report["builds"][ds.name] = {k: round(v, 1) for k, v in ds.builds.items()}
        problems += ds.errors
    report["errors"] = problems
    report["seconds"] = round(time.perf_counter() - started, 1)
    print_report(args, report, quality_runs, datasets, big)
    return 1 if problems else 0


def print_report(args, report: dict, quality_runs: dict, datasets: list[Dataset], big: Dataset | None) -> None:
    names = {"sample": f"own query set ({OWN_QUERIES.relative_to(REPO)}) on the sample site",
             "afqmc": f"AFQMC ({args.afqmc})"}
    for ds in datasets:
        if ds.name not in quality_runs:
            continue
        runs = quality_runs[ds.name]
        questions = len(ds.content.entries) if ds.content else "?"
        print_section(f"Search quality: {names.get(ds.name, ds.name)} — {len(ds.queries)} queries, {questions} questions")
        if ds.name == "sample":
            targets = {"ALL answerable": [("r1", TARGETS["own_r1"]), ("r5", TARGETS["own_r5"])],
                       "*": [("r5", TARGETS["own_kind_r5"])]}
        else:
            targets = {"*": [("r5", TARGETS["afqmc_r5"])]}
        groups = list(dict.fromkeys(q.group for q in ds.queries if q.group))
        if len(groups) > 1:
            for group in groups:
                picked = [n for n, q in enumerate(ds.queries) if q.group == group]
                subset = [S.Run(r.system, r.queryset, [r.queries[n] for n in picked if n < len(r.queries)],
                                [r.ranked[n] for n in picked if n < len(r.ranked)], r.seconds) for r in runs]
                print(f"\n{group} ({len(picked)} queries)")
                print(quality_table(subset, GROUP_TARGETS.get(group, targets)))
                report["quality"].setdefault(f"{ds.name}: {group}", {}).update(
                    {run.system: S.metrics(run.queries, run.ranked) for run in subset})
        else:
            print(quality_table(runs, targets))
        agreement = report["agreement"][ds.name]
        print(f"faqkb Python Searcher vs browser: {agreement['identical']}/{agreement['queries']} queries with "
              f"identical top-10 ids ({'AGREE' if agreement['identical'] == agreement['queries'] else 'DISAGREE'}); "
              f"browser {agreement['browser_seconds']:.1f}s, Python {agreement['python_seconds']:.1f}s")
        for item in agreement["differences"][:10]:
            print(f"  differs: {item['q']!r}\n    browser {item['browser']}\n    python  {item['python']}")
        if ds.name == "sample" and "material ui-vs-worker" in report["agreement"]:
            m = report["agreement"]["material ui-vs-worker"]
            print(f"material typed into the UI vs posted to its worker: {m['identical']}/{m['queries']} identical "
                  f"top-10 result lists")
            for item in m["differences"][:5]:
                print(f"  differs: {item['q']!r}\n    ui     {item['ui']}\n    worker {item['worker']}")
        if ds.name == "afqmc" and args.afqmc_limit and len(runs) > 1:
            print(f"(peers ran only the first {args.afqmc_limit} AFQMC queries: --afqmc-limit)")
        timing = ", ".join(f"{r.system} {r.seconds:.0f}s" for r in runs)
        print(f"run time: {timing}")

    if "10k" in report["agreement"]:
        agreement = report["agreement"]["10k"]
        print_section(f"faqkb on the generated {args.questions:,}-question site: browser vs Python")
        print(f"{agreement['identical']}/{agreement['queries']} own-set query texts with identical top-10 ids "
              f"({'AGREE' if agreement['identical'] == agreement['queries'] else 'DISAGREE'}); "
              f"{agreement['browser_failed']} queries raised an error in the browser")
        for item in agreement["differences"][:10]:
            print(f"  differs: {item['q']!r}\n    browser {item['browser']}\n    python  {item['python']}")
    if report["bytes"]:
        print_section("Download size (gzip.compress of each response body, summed; sample queries: "
                      + ", ".join(SIZE_QUERIES) + ")")
        rows = []
        for key, value in report["bytes"].items():
            system, site = key.split(" ", 1)
            big_site = site == "10k"
            target_first = target_later = ""
            if big_site and system == "faqkb":
                target_first = f"≤{TARGETS['first_kb_10k']} KB {mark(value['first_gzip_max'], TARGETS['first_kb_10k'] * 1024)}"
                target_later = f"≤{TARGETS['later_kb_10k']} KB {mark(value['later_gzip_max'], TARGETS['later_kb_10k'] * 1024)}"
            rows.append([site, system, S.kb(value["first_gzip_median"]), S.kb(value["first_gzip_max"]), target_first,
                         S.kb(value["later_gzip_median"]), S.kb(value["later_gzip_max"]), target_later,
                         f"{value['first_files_median']:g} / {value['later_files_median']:g}"])
        print(S.table(["site", "system", "first median", "first max", "target", "later median", "later max", "target",
                       "files first/later"], rows))
        print("faqkb first query = search.js + every file under search/<version>/ fetched up to the first result; "
              "later = new files for a second, different query (all 20 ordered pairs of the 5 queries).")
        print("material first query = search_index.json + search worker + lunr scripts; pagefind = every /pagefind/ "
              "file (JS, WASM, meta, index chunks, fragments of the top 10).")
        for key, value in report["bytes"].items():
            if value.get("non_search_files"):
                print(f"note: {key} also fetched during a query: {value['non_search_files']}")
    if report["latency"]:
        print_section("Latency, warm (each query run once first), timed in the page with performance.now()")
        rows = []
        for key, value in report["latency"].items():
            system, site = key.split(" ", 1)
            target = ""
            if system == "faqkb":
                target = (f"median ≤{TARGETS['latency_median']:g} ms {mark(value['median'], TARGETS['latency_median'])}, "
                          f"p95 ≤{TARGETS['latency_p95']:g} ms {mark(value['p95'], TARGETS['latency_p95'])}")
            failed = len(value.get("failures", []))
            rows.append([site, system, str(value["n"]) + (f" (+{failed} failed)" if failed else ""), S.ms(value["median"]),
                         S.ms(value["p95"]), S.ms(value["max"]), target])
        print(S.table(["site", "system", "queries", "median", "p95", "max", "target"], rows))
        print("faqkb: await window.faqkb.search(q, {limit: 10}); pagefind: await search(q) + data() of the top 10; "
              "material: one QUERY→RESULT round trip to its search worker.")

    print_section("Builds and run")
    rows = [[ds, ", ".join(f"{k} {v:.1f}s" for k, v in builds.items()) or "—"] for ds, builds in report["builds"].items()]
    print(S.table(["site", "build time"], rows, align="ll"))
    if "afqmc_tree" in report:
        print(f"AFQMC tree: {report['afqmc_tree']}")
    print(f"total run time {report['seconds']:.0f}s")
    if report["errors"]:
        print_section("Problems")
        for problem in report["errors"]:
            print("- " + problem)


if __name__ == "__main__":
    sys.exit(main())
