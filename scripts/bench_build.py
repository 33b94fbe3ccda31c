#!/usr/bin/env python3
"""Measure `mkdocs build` time of a generated FAQ tree: faqkb against plain Material peers.

    .venv/bin/python scripts/bench_build.py [--questions 10000] [--seed 1] [--repeat 1]
                                            [--peer-timeout 900] [--peer-b-questions N]
                                            [--peers a,b] [--skip-peers] [--skip-faqkb]
                                            [--workdir /tmp/faqkb-bench] [--keep] [--page-parts]

First checks the generated tree with faqkb's own checker and prints that it is clean (the
benchmark stops if it is not: a build of broken content stops before it renders anything).
Then builds, each in a process of its own (tests/harness/site.py: what `mkdocs build` runs):

  faqkb    the tree from tests/harness/gen_tree.py, built with the faqkb plugin and Material
           (the project's mkdocs.yml with docs_dir pointing at the tree);
  peer A   the same questions as plain Markdown (one page per question, one index.md per
           category), plain Material with navigation.indexes, `nav` listing only the
           category index pages, built-in `search` plugin with lang: zh;
  peer B   the same Markdown with `nav` listing every page (known to be very slow, so it runs
           with --peer-timeout; --peer-b-questions runs it on a smaller tree instead).

Reports wall time (median of --repeat runs, and each run), HTML pages, size of the site,
peak memory and CPU time of the build process; with --page-parts, also the bytes of each part of
the faqkb site's question pages, averaged over all of them (scripts/page_parts.py). Everything is written under --workdir, which
is removed at the end (unless --keep); the project's own faq/ and site/ are never touched.
Run it with the project's interpreter: .venv/bin/python scripts/bench_build.py.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the test harness
import bench_support as S  # noqa: E402  (beside this script)
import page_parts  # noqa: E402  (beside this script)
from harness import gen_tree, site  # noqa: E402  (tests/harness)

REPO = Path(__file__).resolve().parents[1]
MARKER = ".faqkb-bench"


# --------------------------------------------------------------------------------------------
# Work folder
# --------------------------------------------------------------------------------------------

def prepare_workdir(workdir: Path) -> Path:
    workdir = workdir.expanduser().resolve()
    if workdir == REPO or REPO.is_relative_to(workdir) or workdir.is_relative_to(REPO):
        raise SystemExit(f"--workdir {workdir} overlaps the project folder {REPO}; choose a folder outside it")
    if workdir.exists():
        if not workdir.is_dir():
            raise SystemExit(f"--workdir {workdir} exists and is not a folder")
        if any(workdir.iterdir()) and not (workdir / MARKER).exists():
            raise SystemExit(f"--workdir {workdir} is not empty and was not made by bench_build.py; "
                             "choose an empty or new folder")
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    (workdir / MARKER).write_text("scratch folder of scripts/bench_build.py; removed after the run\n")
    return workdir


def remove_workdir(workdir: Path) -> None:
    if (workdir / MARKER).exists():
        shutil.rmtree(workdir, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# Content and builds
# --------------------------------------------------------------------------------------------

def generated_content(questions: int, seed: int, project: Path):
    """A generated tree written to project/faq with a mkdocs.yml beside it, checked by faqkb:
    (the tree, its content, its config). Stops the benchmark if faqkb finds any problem."""
    started = time.perf_counter()
    tree = gen_tree.generate(questions, seed)
    faq = gen_tree.write_tree(tree, project / "faq")
    config = site.write_config(project / "mkdocs.yml", docs_dir="faq")
    print(f"generated {tree.describe()} (seed {seed}) in {time.perf_counter() - started:.1f} s under {project}",
          flush=True)
    started = time.perf_counter()
    content, problems = S.check_tree(faq, display_base=project)
    if problems:
        from faqkb.content.problems import format_problems

        raise SystemExit(f"faqkb validate found {len(problems)} problems in the generated tree:\n"
                         + format_problems(problems[:20]))
    print(f"faqkb validate: {len(content.entries):,} questions, no problems "
          f"({time.perf_counter() - started:.1f} s)", flush=True)
    return tree, content, config


def write_peer(content, folder: Path, name: str, every_page: bool) -> Path:
    """The same questions as plain Markdown for plain Material (built-in search, lang zh)."""
    if not (folder / "docs").exists():
        S.write_peer_pages(content, folder / "docs", home_title="优选商城帮助中心", extras=False)
    return S.write_material_config(folder / f"mkdocs-{name}.yml", Path("docs"), Path(f"site-{name}"),
                                   S.peer_nav(content, every_page), search=True, site_name="优选商城帮助中心")


@dataclass
class Target:
    label: str
    questions: int
    config: Path
    site: Path
    timeout: float | None
    runs: list[site.BuildRun] = field(default_factory=list)
    html_pages: int | None = None
    site_bytes: int | None = None
    search_index_bytes: int | None = None
    log_tail: str = ""
    page_parts: bool = False  # measure the parts of its question pages (the faqkb site only)
    parts_report: str = ""


def measure_site(target: Target) -> None:
    target.site_bytes, _, target.html_pages = S.site_files(target.site)
    index = target.site / "search" / "search_index.json"
    target.search_index_bytes = index.stat().st_size if index.exists() else None


def bench(target: Target, repeat: int, logs: Path, keep: bool) -> None:
    print(f"\n== {target.label}", flush=True)
    for number in range(1, repeat + 1):
        shutil.rmtree(target.site, ignore_errors=True)
        log_path = logs / f"{re.sub(r'[^a-z0-9]+', '-', target.label.lower()).strip('-')}-{number}.log"
        run = site.build_process(target.config, log_path, timeout=target.timeout)
        target.runs.append(run)
        print(f"   run {number}: {run.seconds:8.1f} s  {run.status}  (peak {run.peak_mb:.0f} MB, "
              f"cpu {run.cpu_seconds:.1f} s)", flush=True)
        if run.ok and target.html_pages is None:
            measure_site(target)
            if target.page_parts:
                target.parts_report = page_parts.report(page_parts.site_parts(target.site))
        if run.status not in ("ok", "timeout"):
            target.log_tail = run.tail()
            print("   build output (last lines):\n" + "\n".join("   | " + l for l in target.log_tail.splitlines()))
        if not keep:
            shutil.rmtree(target.site, ignore_errors=True)
        if not run.ok:
            break  # a timeout or failure would only repeat itself


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------

def human_bytes(size: int | None) -> str:
    if size is None:
        return "-"
    return f"{size / 1024 / 1024:.1f} MB"


def summary_row(target: Target) -> list[str]:
    ok = [r.seconds for r in target.runs if r.status == "ok"]
    if ok:
        wall = f"{statistics.median(ok):.1f} s"
    elif target.runs and target.runs[-1].status == "timeout":
        wall = f"did not finish in {target.timeout:.0f} s"
    elif target.runs:
        wall = target.runs[-1].status
    else:
        wall = "not run"
    per_run = ", ".join(f"{r.seconds:.1f}" + ("" if r.status == "ok" else "!") for r in target.runs) or "-"
    peak = max((r.peak_mb for r in target.runs), default=0)
    cpu = f"{statistics.median(r.cpu_seconds for r in target.runs if r.status == 'ok'):.1f} s" if ok else "-"
    per_1k = f"{statistics.median(ok) / target.questions * 1000:.1f} s" if ok else "-"
    return [target.label, f"{target.questions:,}", wall, per_run, cpu, per_1k,
            f"{target.html_pages:,}" if target.html_pages is not None else "-",
            human_bytes(target.site_bytes), human_bytes(target.search_index_bytes),
            f"{peak:.0f} MB" if peak else "-"]


# --------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build-time benchmark: faqkb vs plain Material peers.")
    parser.add_argument("--questions", type=int, default=10000, help="questions in the generated tree (default 10000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated tree (default 1)")
    parser.add_argument("--repeat", type=int, default=1, help="builds per site; the median is reported (default 1)")
    parser.add_argument("--peer-timeout", type=float, default=900,
                        help="seconds before a peer build is stopped (default 900; 0 = no limit)")
    parser.add_argument("--build-timeout", type=float, default=0,
                        help="seconds before the faqkb build is stopped (default: no limit)")
    parser.add_argument("--peer-b-questions", type=int, default=None,
                        help="run peer B on a smaller generated tree of this many questions")
    parser.add_argument("--peers", default="a,b", help="which peers to run: a, b or a,b (default a,b)")
    parser.add_argument("--skip-peers", action="store_true", help="only build the faqkb site")
    parser.add_argument("--skip-faqkb", action="store_true", help="only build the peers")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/faqkb-bench"),
                        help="scratch folder, removed afterwards (default /tmp/faqkb-bench)")
    parser.add_argument("--keep", action="store_true", help="keep --workdir (sources, sites and logs) for inspection")
    parser.add_argument("--page-parts", action="store_true",
                        help="print the bytes of each part of the faqkb site's question pages (scripts/page_parts.py)")
    args = parser.parse_args(argv)
    peers = set() if args.skip_peers else {p.strip().lower() for p in args.peers.split(",") if p.strip()}
    if peers - {"a", "b"}:
        parser.error("--peers takes a, b or a,b")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    print(S.environment_line(S.environment()))
    workdir = prepare_workdir(args.workdir)
    logs = workdir / "logs"
    logs.mkdir()
    peer_timeout = args.peer_timeout or None
    targets: list[Target] = []
    try:
        _, content, config = generated_content(args.questions, args.seed, workdir / "faqkb")
        if not args.skip_faqkb:
            targets.append(Target("faqkb (faqkb + material)", args.questions, config,
                                  config.parent / "site", args.build_timeout or None, page_parts=args.page_parts))
        if "a" in peers:
            targets.append(Target("peer A: material, nav of categories only", args.questions,
                                  write_peer(content, workdir / "peer", "a", every_page=False),
                                  workdir / "peer" / "site-a", peer_timeout))
        if "b" in peers:
            b_questions = args.peer_b_questions or args.questions
            label, b_content, b_dir = "peer B: material, nav of every page", content, workdir / "peer"
            if b_questions != args.questions:
                _, b_content, _ = generated_content(b_questions, args.seed, workdir / f"faqkb-{b_questions}")
                label += f" (smaller tree: {b_questions:,} questions)"
                b_dir = workdir / f"peer-b-{b_questions}"
            targets.append(Target(label, b_questions, write_peer(b_content, b_dir, "b", every_page=True),
                                  b_dir / "site-b", peer_timeout))

        for target in targets:
            bench(target, args.repeat, logs, args.keep)

        print(f"\nBuild time, {args.repeat} run(s) each (median; '!' marks a run that timed out or failed); "
              f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end\n")
        header = ["site", "questions", "wall time", "runs (s)", "CPU time", "wall per 1k q", "HTML pages", "site size",
                  "search index", "peak RSS"]
        print(S.table(header, [summary_row(t) for t in targets], align="l" * len(header)))
        for target in targets:
            if target.parts_report:
                print(f"\n{target.label}, parts of its question pages:\n{target.parts_report}")
        for target in targets:
            if target.log_tail:
                print(f"\n{target.label} failed; last lines of its output:\n{target.log_tail}")
        if args.keep:
            print(f"\nkept {workdir} (sources, sites and build logs)")
    finally:
        if not args.keep:
            remove_workdir(workdir)
    return 0 if all(r.status in ("ok", "timeout") for t in targets for r in t.runs) else 1


if __name__ == "__main__":
    sys.exit(main())
