#!/usr/bin/env python3
"""How long a shopper on a phone network waits for search results: faqkb against Pagefind.

    .venv/bin/python scripts/bench_network.py [--questions 10000] [--seed 1] [--site SITE]
                                              [--queries 20] [--profiles 4g,slow4g,3g]
                                              [--skip-pagefind] [--workdir DIR]

Builds the generated help centre (tests/harness/gen_tree.py; --site reuses a site built from the
same --questions and --seed), indexes a copy of it with Pagefind (`pagefind[extended]`:
`make install-bench`), serves both with Debian's nginx (HTTP/1.1 keep-alive, gzip for HTML, CSS,
JavaScript and JSON) and opens the home page in headless Chromium with Chromium's own network
throttling (CDP Network.emulateNetworkConditions) for each profile.

The queries are different questions picked through the tree, shortened as shoppers type them
(the first clause, without a closing 吗, at most 8 characters). Per query, a fresh browser context
(empty cache) loads the home page and waits until the network has been quiet for 0.5 s (what a
page fetches at idle is fetched); then
  first  the query is put in the search box at once (as a Chinese input method commits it) and
         timed until its results are shown (faqkb: the box's list says which query it shows;
         its 40 ms debounce is included);
  later  a second, different query in the same tab, timed the same way.
Pagefind gets the same chance: `pagefind.init()` runs at page idle (its documented way to load
ahead), and a query is timed from search() until data() of the first 8 results (its UI's own
300 ms debounce and rendering are not counted). Requests, bytes (gzipped, as transferred) and
waves are those of the requests the context finished (Playwright's timings and sizes); a request
started after every earlier request of the query had finished begins a wave: a round trip the
query had to wait for. Everything is written into a temporary folder (inside --workdir if given),
removed at the end.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the test harness
import bench_support as S  # noqa: E402  (beside this script)
from harness import browser, gen_tree, site  # noqa: E402  (tests/harness)
from harness.static_nginx import nginx_serving  # noqa: E402

# name: (round-trip latency in ms, download and upload in bits per second)
PROFILES = {
    "4g": (50, 9_000_000, 9_000_000),
    "slow4g": (150, 1_600_000, 750_000),  # Lighthouse's mobile preset
    "3g": (300, 700_000, 700_000),
}
RESULTS = 8  # what the search box shows

FAQKB_QUERY = """async (q) => {
  const input = document.querySelector('.faqkb-search-input');
  const popup = input.form.querySelector('.faqkb-results');
  const shown = new Promise(resolve => {
    const observer = new MutationObserver(() => {
      if (popup.getAttribute('data-query') === q) { observer.disconnect(); resolve(performance.now()); }
    });
    observer.observe(popup, {attributes: true, attributeFilter: ['data-query']});
  });
  input.focus();
  const t0 = performance.now();
  input.value = q;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  return {t0: performance.timeOrigin + t0, ms: (await shown) - t0};
}"""

PAGEFIND_INIT = """async () => {
  window.__pagefind = await import('/pagefind/pagefind.js');
  await window.__pagefind.init();
}"""

PAGEFIND_QUERY = """async ([q, limit]) => {
  const t0 = performance.now();
  const search = await window.__pagefind.search(q);
  await Promise.all(search.results.slice(0, limit).map(r => r.data()));
  return {t0: performance.timeOrigin + t0, ms: performance.now() - t0};
}"""


class Requests:
    """Every request a context finished (its pages' and their workers'), for what a query fetched."""

    def __init__(self, context):
        self.finished = []
        context.on("requestfinished", lambda request: self.finished.append(request))

    def since(self, epoch_ms: float) -> dict:
        """Requests started at or after epoch_ms: how many, bytes transferred (headers and encoded
        bodies) and waves (a request started after every earlier one had finished begins one)."""
        rows = []
        for request in self.finished:
            timing = request.timing
            if timing["startTime"] >= epoch_ms:
                sizes = request.sizes()
                rows.append((timing["startTime"], timing["startTime"] + max(0, timing["responseEnd"]),
                             sizes["responseBodySize"] + sizes["responseHeadersSize"]))
        waves, frontier = 0, -1.0
        for start, end, _ in sorted(rows):
            waves += start >= frontier
            frontier = max(frontier, end)
        return {"requests": len(rows), "bytes": sum(size for *_, size in rows), "waves": waves}


def shortened_queries(tree: gen_tree.GenTree, count: int) -> list[str]:
    """`count` different questions picked evenly through the tree, shortened as shoppers type them:
    the first clause, without a closing 吗, at most 8 characters."""
    entries, out = tree.entries, []
    for i in range(len(entries)):
        question = entries[(i * 7919) % len(entries)].question  # a prime step: spread through the tree
        query = re.split(r"[，。？！“”：、,.?!\s]", question)[0].removesuffix("吗")[:8]
        if len(query) >= 2 and query not in out:
            out.append(query)
        if len(out) == count:
            break
    return out


def prepare_sites(args, work: Path) -> tuple[gen_tree.GenTree, Path, Path | None]:
    tree = gen_tree.generate(args.questions, args.seed)
    faqkb_site = args.site
    if faqkb_site is None:
        project = work / "faqkb"
        gen_tree.write_tree(tree, project / "faq")
        config = site.write_config(project / "mkdocs.yml", docs_dir="faq")
        print(f"building {tree.describe()} …", flush=True)
        print(f"built in {S.build(config, work / 'faqkb-build.log'):.1f} s", flush=True)
        faqkb_site = project / "site"
    if args.skip_pagefind:
        return tree, faqkb_site, None
    # A copy of the same pages (hard links: Pagefind only adds files), without faqkb's search.
    copy = work / "pagefind-site"
    shutil.copytree(faqkb_site, copy, copy_function=os.link)
    shutil.rmtree(S.faqkb_search_dir(copy))
    (copy / "assets" / "faqkb" / "search.js").unlink()
    print("indexing the copy with Pagefind …", flush=True)
    print(f"indexed in {S.pagefind_build(copy, work / 'pagefind.log'):.1f} s", flush=True)
    return tree, faqkb_site, copy


def measure(chromium, url: str, system: str, profile: str, queries: list[str]) -> list[dict]:
    """Per query: {first: {ms, requests, bytes, waves}, later: {...}}."""
    latency, down, up = PROFILES[profile]
    rows = []
    for i, query in enumerate(queries):
        context = browser.new_context(chromium)
        requests = Requests(context)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": latency,
                                                      "downloadThroughput": down / 8, "uploadThroughput": up / 8})
        page.goto(url, wait_until="load")
        if system == "pagefind":
            page.evaluate(PAGEFIND_INIT)
        page.wait_for_load_state("networkidle")
        row = {}
        for name, text in (("first", query), ("later", queries[(i + 1) % len(queries)])):
            if system == "faqkb":
                timed = page.evaluate(FAQKB_QUERY, text)
            else:
                timed = page.evaluate(PAGEFIND_QUERY, [text, RESULTS])
            page.wait_for_timeout(50)  # the requests' finished events reach this process
            row[name] = {"ms": timed["ms"], **requests.since(timed["t0"])}
        rows.append(row)
        context.close()
    return rows


def summary(rows: list[dict], name: str) -> list[str]:
    values = [r[name] for r in rows]
    times = [v["ms"] for v in values]
    return [f"{statistics.median(times):,.0f} / {S.percentile(times, 0.9):,.0f} ms",
            f"{statistics.median(v['requests'] for v in values):g}",
            f"{statistics.median(v['bytes'] for v in values) / 1024:.1f} KB",
            f"{statistics.median(v['waves'] for v in values):g}"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--site", type=Path, help="a faqkb site already built from the same --questions and --seed")
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--profiles", default=",".join(PROFILES), help="comma-separated: " + ", ".join(PROFILES))
    parser.add_argument("--skip-pagefind", action="store_true")
    parser.add_argument("--workdir", type=Path, help="where builds and copies go (default: a temporary folder)")
    args = parser.parse_args(argv)
    if not args.skip_pagefind and (missing := S.pagefind_missing()):
        parser.error(f"{missing}, or pass --skip-pagefind")
    profiles = args.profiles.split(",")
    work = Path(tempfile.mkdtemp(prefix="faqkb-bench-network-", dir=args.workdir))
    try:
        tree, faqkb_site, pagefind_site = prepare_sites(args, work)
        queries = shortened_queries(tree, args.queries)
        print("queries: " + " ".join(queries), flush=True)
        systems = [("faqkb", faqkb_site)] + ([("pagefind", pagefind_site)] if pagefind_site else [])
        table = []
        started = time.perf_counter()
        with browser.chromium() as chromium:
            for system, folder in systems:
                with nginx_serving(folder, work / f"nginx-{system}", gzip=True) as url:
                    for profile in profiles:
                        rows = measure(chromium, url, system, profile, queries)
                        table.append([profile, system] + summary(rows, "first") + summary(rows, "later"))
                        print(f"{profile} {system}: done ({time.perf_counter() - started:.0f} s)", flush=True)
        table.sort(key=lambda row: (profiles.index(row[0]), row[1]))
        print()
        print(S.table(["profile", "system", "first median / p90", "req", "bytes", "waves",
                       "later median / p90", "req", "bytes", "waves"], table, align="ll" + "r" * 8))
        print(f"\n{len(queries)} queries; requests, bytes and waves: medians per query; "
              f"faqkb site {faqkb_site}")
        print(S.environment_line(S.environment()))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
