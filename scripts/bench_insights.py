#!/usr/bin/env python3
"""Measure `faqkb insights` on a generated events log of 1,000,000 lines (the issue asks for at
most 30 s, with bounded memory), and how many bytes of log each event takes.

    python scripts/bench_insights.py [--lines 1000000] [--also 250000] [--seed 1] [--gzip]
                                     [--target 30] [--workdir DIR] [--json OUT]

1. Generates the log in deploy/nginx.conf's faqkb_events format, as the site's pages would send
   the events to nginx: the sample content's question pages viewed by how often they are asked
   (Zipf-like), searches for their questions and aliases (some with a phone number or an order
   number, masked as the page masks them, some finding nothing, 1 in 20 a one-off typo), clicks at
   ranks 1 to 8, votes with reasons; over 7 days in +0800. Same seed, same log.
2. Runs `faqkb insights LOG --format json` on it as a separate process, the way staff run it, and
   reads its wall time and peak resident memory (the child's own rusage).
3. Does the same for --also lines (default 250,000): with bounded memory the peak barely moves
   when the log grows four times.

Prints the figures (and writes them with --json): lines, log bytes per event (plain and gzipped),
seconds, lines per second, peak memory in MB. The timing is a measurement of this machine, never
asserted in a test. Uses the standard library and the faqkb package.
"""

from __future__ import annotations

import argparse
import calendar
import gzip
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from faqkb.content.load import load_content  # noqa: E402
from faqkb.search.mask import mask_query  # noqa: E402
from faqkb.site.analytics import REASONS  # noqa: E402

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
START = calendar.timegm((2026, 11, 30, 0, 0, 0))  # the +0800 wall clock, counted like UTC seconds


def time_local(seconds: int) -> str:
    """nginx's $time_local for a moment given as seconds of +0800 wall-clock time."""
    t = time.gmtime(seconds)
    return f"{t.tm_mday:02d}/{MONTHS[t.tm_mon - 1]}/{t.tm_year}:{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} +0800"


def generate(path: Path, lines: int, seed: int) -> None:
    """Writes `lines` event lines in the faqkb_events format."""
    generator = random.Random(seed)
    content, _ = load_content(ROOT / "faq")
    entries = sorted(content.entries, key=lambda e: -e.frequency)
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(entries))))
    wordings = {e.id: [e.question.rstrip("？?")] + [a for a in (e.aliases or []) if isinstance(a, str)] for e in entries}
    nothing = ["你们招聘吗", "能开增值税专票吗公司", "退货地址在哪个城市", "可以用美元付款吗", "门店在哪"]
    reasons = list(REASONS)
    moment = START
    with path.open("w", encoding="utf-8") as out:
        written = 0
        while written < lines:
            moment += generator.randint(0, 1)  # about 1.4 events a second: a week per million lines
            entry = generator.choices(entries, cum_weights=cumulative)[0]
            roll = generator.random()
            if roll < 0.35:
                query = generator.choice(wordings[entry.id])
                variant = generator.random()
                if variant < 0.05:
                    query = f"{query}{generator.randrange(10**5, 10**6)}"  # a one-off: the tables must stay bounded
                elif variant < 0.08:
                    query = f"我的手机1{generator.randint(3, 9)}{generator.randrange(10**9):09d}{query}"
                elif variant < 0.10:
                    query = f"订单SO2026{generator.randrange(10**8):08d}{query}"
                elif variant < 0.16:
                    query = generator.choice(nothing)
                shown = 0 if query in nothing else generator.randint(1, 8)
                fields = {"e": "search", "q": mask_query(query), "n": shown}
            elif roll < 0.55:
                fields = {"e": "click", "q": mask_query(generator.choice(wordings[entry.id])), "id": entry.id,
                          "rank": min(8, int(generator.expovariate(0.7)) + 1)}
            elif roll < 0.92:
                fields = {"e": "view", "id": entry.id}
            else:
                fields = {"e": "vote", "id": entry.id, "vote": "up" if generator.random() < 0.7 else "down"}
                if fields["vote"] == "down" and generator.random() < 0.6:
                    fields["reason"] = generator.choice(reasons)
            out.write(f'[{time_local(moment)}] "GET /e.gif?{urlencode({"v": 1, **fields})} HTTP/1.1" 200\n')
            written += 1


def measure(log: Path, workdir: Path) -> dict:
    """Runs faqkb insights on the log in its own process: wall time and the child's peak memory."""
    faqkb = Path(sys.executable).parent / "faqkb"
    command = [str(faqkb), "insights", str(log), "--format", "json", "--content", str(ROOT / "faq")]
    out_file, err_file = workdir / "insights.json", workdir / "insights.err"
    with out_file.open("wb") as out, err_file.open("wb") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)  # this child's own peak memory, not all children's
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"faqkb insights failed:\n{err_file.read_text(encoding='utf-8', errors='replace')}")
    report = json.loads(out_file.read_text(encoding="utf-8"))
    return {"seconds": round(seconds, 2), "peak_mb": round(usage.ru_maxrss / 1024, 1),
            "events": report["events"], "malformed": report["malformed"]["count"],
            "dropped_rare_keys": report["dropped_rare_keys"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--also", type=int, default=250_000, help="a smaller log, to compare peak memory (0: none)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--gzip", action="store_true", help="run insights on the gzipped log")
    parser.add_argument("--target", type=float, default=30.0, help="seconds the issue allows for --lines")
    parser.add_argument("--workdir", type=Path, help="keep the generated logs here (default: a temporary folder)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="faqkb-insights-") as scratch:
        workdir = args.workdir or Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        results = []
        for lines in [n for n in (args.also, args.lines) if n]:
            log = workdir / f"events-{lines}.log"
            generate(log, lines, args.seed)
            packed = workdir / f"events-{lines}.log.gz"
            with log.open("rb") as source, gzip.open(packed, "wb", compresslevel=6) as target:
                while chunk := source.read(1 << 20):
                    target.write(chunk)
            figures = {"lines": lines, "bytes_per_event": round(log.stat().st_size / lines, 1),
                       "gzip_bytes_per_event": round(packed.stat().st_size / lines, 1),
                       **measure(packed if args.gzip else log, workdir)}
            figures["lines_per_second"] = round(lines / figures["seconds"])
            results.append(figures)
            print(f"{lines:>9,} lines ({'gzipped' if args.gzip else 'plain'}): {figures['seconds']:.1f} s "
                  f"({figures['lines_per_second']:,} lines/s), peak {figures['peak_mb']} MB; "
                  f"{figures['bytes_per_event']} bytes per event ({figures['gzip_bytes_per_event']} gzipped); "
                  f"{figures['events']:,} events, {figures['malformed']} malformed, "
                  f"{figures['dropped_rare_keys']} rare keys dropped")
    final = results[-1]
    verdict = "within" if final["seconds"] <= args.target else "over"
    print(f"{final['lines']:,} lines in {final['seconds']:.1f} s: {verdict} the {args.target:.0f} s target "
          f"on this machine ({os.cpu_count()} cores)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
