#!/usr/bin/env python3
"""Measure `mkdocs build` time of a generated FAQ tree: faqkb against plain Material peers.

    python scripts/bench_build.py [--questions 10000] [--seed 1] [--repeat 1]
                                  [--peer-timeout 900] [--peer-b-questions N]
                                  [--peers a,b] [--skip-peers] [--skip-faqkb]
                                  [--workdir /tmp/faqkb-bench] [--keep]

Builds, each in its own `mkdocs build` subprocess (env NO_MKDOCS_2_WARNING=1):

  faqkb    the tree from scripts/gen_tree.py, built with the faqkb plugin and Material
           (the project's mkdocs.yml with docs_dir pointing at the tree);
  peer A   the same questions as plain Markdown (one page per question, one index.md per
           category), plain Material with navigation.indexes, `nav` listing only the
           category index pages, built-in `search` plugin with lang: zh;
  peer B   the same Markdown with `nav` listing every page (known to be very slow, so it runs
           with --peer-timeout; --peer-b-questions runs it on a smaller tree instead).

Reports wall time (median of --repeat runs, and each run), HTML pages, size of the site,
peak memory and CPU time of the build process. Everything is written under --workdir, which
is removed at the end (unless --keep); the project's own faq/ and site/ are never touched.
Uses only the standard library plus what the project installs (PyYAML, MkDocs, Material).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_support  # noqa: E402  (scripts/bench_support.py)
import gen_tree  # noqa: E402  (scripts/gen_tree.py)

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
# Peer sites: the same questions as plain Markdown for plain Material
# --------------------------------------------------------------------------------------------

def category_sort_key(category: gen_tree.GenCategory):
    """As faqkb orders categories: manual order first, then most asked."""
    total = sum(e.frequency for c in category.walk() for e in c.entries)
    return (category.order is None, category.order or 0, -total, category.path[-1])


def sorted_gen_categories(categories) -> list[gen_tree.GenCategory]:
    return sorted(categories, key=category_sort_key)


def export_markdown(tree: gen_tree.GenTree, docs: Path) -> dict[str, str]:
    """Writes docs/ (index.md, <category>/index.md, <category>/<id>.md); returns id -> page path."""
    return bench_support.write_peer_pages(tree.categories, docs, home_title="优选商城帮助中心",
                                          sort_categories=sorted_gen_categories, extras=False)


def peer_nav(tree: gen_tree.GenTree, every_page: bool) -> list:
    return bench_support.peer_nav(tree.categories, sorted_gen_categories, every_page)


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml even where it uses tags such as !!python/name."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def theme_features() -> list[str]:
    """The project's Material features (so peers render the same chrome), always with navigation.indexes."""
    try:
        config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader) or {}
        features = list((config.get("theme") or {}).get("features") or [])
    except (OSError, yaml.YAMLError, AttributeError):
        features = []
    return ["navigation.indexes"] + [f for f in features if isinstance(f, str) and f != "navigation.indexes"]


def write_peer_config(path: Path, docs_dir: str, site_dir: str, nav: list) -> None:
    config = {
        "site_name": "优选商城帮助中心",
        "site_url": "https://help.example.com/",
        "docs_dir": docs_dir,
        "site_dir": site_dir,
        "theme": {"name": "material", "language": "zh", "font": False,
                  "features": theme_features()},
        "plugins": [{"search": {"lang": "zh"}}],
        "nav": nav,
    }
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


# --------------------------------------------------------------------------------------------
# Running builds
# --------------------------------------------------------------------------------------------

@dataclass
class Run:
    seconds: float
    status: str  # "ok", "timeout", "failed (exit N)"
    peak_mb: float = 0.0
    cpu_seconds: float = 0.0


@dataclass
class Target:
    label: str
    questions: int
    config: Path
    site: Path
    timeout: float | None
    runs: list[Run] = field(default_factory=list)
    html_pages: int | None = None
    site_bytes: int | None = None
    search_index_bytes: int | None = None
    log_tail: str = ""


def build_python() -> str:
    """An interpreter that can import mkdocs, material and faqkb: this one, else the project's .venv."""
    if all(importlib.util.find_spec(name) for name in ("mkdocs", "material", "faqkb")):
        return sys.executable
    venv = REPO / ".venv" / "bin" / "python"
    if venv.exists():
        return str(venv)
    raise SystemExit("mkdocs, mkdocs-material and faqkb must be installed (run `make site` first)")


def run_build(python: str, target: Target, log_path: Path) -> Run:
    """One `mkdocs build` in its own process group; killed (the group, by its id) at the timeout."""
    shutil.rmtree(target.site, ignore_errors=True)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    command = [python, "-m", "mkdocs", "build", "--clean", "-f", str(target.config)]
    with open(log_path, "wb") as log:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=target.config.parent, stdout=log, stderr=subprocess.STDOUT,
                                   env=env, start_new_session=True)
        timed_out = False
        try:
            while True:
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    break
                if target.timeout and time.perf_counter() - start > target.timeout:
                    os.killpg(process.pid, signal.SIGKILL)
                    pid, status, usage = os.wait4(process.pid, 0)
                    timed_out = True
                    break
                time.sleep(0.02)
        except BaseException:
            os.killpg(process.pid, signal.SIGKILL)
            os.wait4(process.pid, 0)
            process.returncode = -9
            raise
        seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if timed_out:
        state = "timeout"
    elif process.returncode != 0:
        state = f"failed (exit {process.returncode})"
    else:
        state = "ok"
    return Run(seconds, state, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


def measure_site(target: Target) -> None:
    pages = size = 0
    for folder, _, files in os.walk(target.site):
        for name in files:
            size += os.path.getsize(os.path.join(folder, name))
            pages += name.endswith(".html")
    target.html_pages, target.site_bytes = pages, size
    index = target.site / "search" / "search_index.json"
    target.search_index_bytes = index.stat().st_size if index.exists() else None


def tail(path: Path, lines: int = 40) -> str:
    text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join(text[-lines:])


def bench(python: str, target: Target, repeat: int, logs: Path, keep: bool) -> None:
    print(f"\n== {target.label}", flush=True)
    for number in range(1, repeat + 1):
        log_path = logs / f"{re.sub(r'[^a-z0-9]+', '-', target.label.lower()).strip('-')}-{number}.log"
        run = run_build(python, target, log_path)
        target.runs.append(run)
        print(f"   run {number}: {run.seconds:8.1f} s  {run.status}  (peak {run.peak_mb:.0f} MB, "
              f"cpu {run.cpu_seconds:.1f} s)", flush=True)
        if run.status == "ok" and target.html_pages is None:
            measure_site(target)
        if run.status not in ("ok", "timeout"):
            target.log_tail = tail(log_path)
            print("   build output (last lines):\n" + "\n".join("   | " + l for l in target.log_tail.splitlines()))
        if not keep:
            shutil.rmtree(target.site, ignore_errors=True)
        if run.status != "ok":
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


def print_table(rows: list[list[str]], header: list[str]) -> None:
    def width(text: str) -> int:  # CJK characters take two columns in a terminal
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

    widths = [max(width(r[i]) for r in [header] + rows) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return " | ".join(c + " " * (w - width(c)) for c, w in zip(cells, widths)).rstrip()

    print(line(header))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(line(row))


def load_average() -> str:
    try:
        return "load average %.2f %.2f %.2f" % os.getloadavg()
    except OSError:
        return "load average unknown"


def environment(python: str) -> str:
    code = ("import sys, importlib.metadata as m\n"
            "v = lambda n: m.version(n)\n"
            "print(sys.version.split()[0], v('mkdocs'), v('mkdocs-material'), v('faqkb'), sep='\\t')")
    result = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True)
    py, mkdocs, material, faqkb = result.stdout.strip().split("\t")
    cpus = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    return (f"Python {py} ({python}), {platform.system()} {platform.machine()}, CPUs: {cpus} "
            f"({usable} usable), {load_average()}\nmkdocs {mkdocs}, mkdocs-material {material}, faqkb {faqkb}")


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
    args = parser.parse_args(argv)
    peers = set() if args.skip_peers else {p.strip().lower() for p in args.peers.split(",") if p.strip()}
    if peers - {"a", "b"}:
        parser.error("--peers takes a, b or a,b")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    python = build_python()
    print(environment(python))
    workdir = prepare_workdir(args.workdir)
    logs = workdir / "logs"
    logs.mkdir()
    peer_timeout = args.peer_timeout or None
    targets: list[Target] = []
    try:
        started = time.perf_counter()
        tree = gen_tree.generate(args.questions, args.seed)
        faq_dir = workdir / "faqkb" / "faq"
        gen_tree.write_tree(tree, faq_dir)
        config = gen_tree.write_mkdocs_config(faq_dir)
        info = gen_tree.stats(tree, count_words=False)
        print(f"generated {info['questions']:,} questions (seed {args.seed}) in {info['files']} files, "
              f"{info['categories']} categories ({info['top_level']} top-level, {info['max_depth']} levels) "
              f"in {time.perf_counter() - started:.1f} s under {workdir}", flush=True)
        if not args.skip_faqkb:
            targets.append(Target("faqkb (faqkb + material)", args.questions, config,
                                  config.parent / "site", args.build_timeout or None))
        if peers:
            peer_dir = workdir / "peer"
            export_markdown(tree, peer_dir / "docs")
            if "a" in peers:
                write_peer_config(peer_dir / "mkdocs-a.yml", "docs", "site-a", peer_nav(tree, every_page=False))
                targets.append(Target("peer A: material, nav of categories only", args.questions,
                                      peer_dir / "mkdocs-a.yml", peer_dir / "site-a", peer_timeout))
            if "b" in peers:
                b_questions = args.peer_b_questions or args.questions
                b_tree, b_dir = tree, peer_dir
                if b_questions != args.questions:
                    b_tree = gen_tree.generate(b_questions, args.seed)
                    b_dir = workdir / f"peer-b-{b_questions}"
                    export_markdown(b_tree, b_dir / "docs")
                write_peer_config(b_dir / "mkdocs-b.yml", "docs", "site-b", peer_nav(b_tree, every_page=True))
                label = "peer B: material, nav of every page"
                if b_questions != args.questions:
                    label += f" (smaller tree: {b_questions:,} questions)"
                targets.append(Target(label, b_questions, b_dir / "mkdocs-b.yml", b_dir / "site-b", peer_timeout))

        for target in targets:
            bench(python, target, args.repeat, logs, args.keep)

        print(f"\nBuild time, {args.repeat} run(s) each (median; '!' marks a run that timed out or failed); "
              f"{load_average()} at the end\n")
        header = ["site", "questions", "wall time", "runs (s)", "CPU time", "wall per 1k q", "HTML pages", "site size",
                  "search index", "peak RSS"]
        print_table([summary_row(t) for t in targets], header)
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
