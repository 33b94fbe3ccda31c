#!/usr/bin/env python3
"""How a build grows with the help centre: time, memory and size at 1,000 to 100,000 questions.

    .venv/bin/python scripts/bench_scale.py --curve [--sizes 1000,10000,50000] [--with-100k]
                                            [--seed 1] [--workdir /tmp/faqkb-scale] [--keep]

For each size, a generated tree (tests/harness/gen_tree.py, checked clean by faqkb first, as
bench_build.py does) is built in a process of its own, exactly as `mkdocs build` runs it. Printed
per size: wall time, CPU time (the build's and its search workers'), peak RSS (the largest
process: ru_maxrss of the build and its reaped workers), the build process's own peak and its
search workers' largest peak (VmHWM, sampled every 0.1 s: the page side and the search side of
the memory), site bytes and files, bytes per question and the question pages' average, and the
load average before and after the build (the machine may be shared).

Targets (#17): 10,000 questions ≤ 12 s on a quiet machine; 50,000 ≤ 60 s, ≤ 1 GB peak RSS and
≤ 10 kB of site per question; 100,000 completes. Each site is removed after it is measured unless
--keep; everything is written under --workdir.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the test harness
import bench_build  # noqa: E402  (beside this script)
import bench_support as S  # noqa: E402
import page_parts  # noqa: E402
from harness.site import build_process  # noqa: E402

DEFAULT_SIZES = [1000, 10000, 50000]


@dataclass
class Point:
    questions: int
    status: str = "not run"
    wall: float = 0.0
    cpu: float = 0.0
    peak_mb: float = 0.0  # the largest process (ru_maxrss)
    main_mb: float = 0.0  # the build process itself (VmHWM)
    worker_mb: float = 0.0  # its largest child (VmHWM): the search workers
    site_bytes: int = 0
    files: int = 0
    question_page_bytes: float = 0.0
    load_before: float = 0.0
    load_after: float = 0.0


def _high_water_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as children:
                found += [int(child) for child in children.read().split()]
    except OSError:
        pass
    return found + [grandchild for child in found for grandchild in _children(child)]


def build(config: Path, log: Path, point: Point, timeout: float | None) -> None:
    """Builds config in a new process (tests/harness/site.py), sampling its memory; fills `point`."""
    def sample(pid: int) -> None:
        point.main_mb = max(point.main_mb, _high_water_kb(pid) / 1024)
        for child in _children(pid):
            point.worker_mb = max(point.worker_mb, _high_water_kb(child) / 1024)

    point.load_before = os.getloadavg()[0]
    run = build_process(config, log, timeout=timeout, while_running=sample)
    point.wall, point.status, point.cpu, point.peak_mb = run.seconds, run.status, run.cpu_seconds, run.peak_mb
    point.load_after = os.getloadavg()[0]


def measure(site: Path, point: Point) -> None:
    point.site_bytes, point.files, _ = S.site_files(site)
    pages = [len(page) for page in page_parts.question_pages(site)]
    point.question_page_bytes = sum(pages) / len(pages) if pages else 0.0


def row(point: Point) -> list[str]:
    if point.status != "ok":
        return [f"{point.questions:,}", point.status] + ["-"] * 9 + [f"{point.load_before:.1f} / {point.load_after:.1f}"]
    return [f"{point.questions:,}", f"{point.wall:.1f} s", f"{point.cpu:.1f} s", f"{point.peak_mb:,.0f} MB",
            f"{point.main_mb:,.0f} MB", f"{point.worker_mb:,.0f} MB", f"{point.site_bytes / 1e6:,.1f} MB",
            f"{point.files:,}", f"{point.site_bytes / point.questions / 1000:.2f} kB",
            f"{point.question_page_bytes / 1000:.2f} kB", f"{point.wall / point.questions * 1000:.2f} s",
            f"{point.load_before:.1f} / {point.load_after:.1f}"]


HEADER = ["questions", "wall", "CPU", "peak RSS", "build process", "search worker", "site", "files",
          "site per question", "question page", "wall per 1k", "load before / after"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build time, memory and size at growing numbers of questions.")
    parser.add_argument("--curve", action="store_true", help="build every size of --sizes (the default action)")
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="questions per tree, comma-separated (default 1000,10000,50000)")
    parser.add_argument("--with-100k", action="store_true", help="also build 100,000 questions")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated trees (default 1)")
    parser.add_argument("--timeout", type=float, default=0, help="seconds before a build is stopped (default: none)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/faqkb-scale"),
                        help="scratch folder, removed afterwards (default /tmp/faqkb-scale)")
    parser.add_argument("--keep", action="store_true", help="keep --workdir (trees, sites and logs)")
    args = parser.parse_args(argv)
    try:
        sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    except ValueError:
        parser.error("--sizes takes whole numbers separated by commas")
    if args.with_100k and 100000 not in sizes:
        sizes.append(100000)
    if not sizes or min(sizes) < 1:
        parser.error("--sizes needs at least one size of 1 or more")

    print(S.environment_line(S.environment()), flush=True)
    workdir = bench_build.prepare_workdir(args.workdir)
    points = []
    try:
        for questions in sizes:
            project = workdir / f"q{questions}"
            _, _, config = bench_build.generated_content(questions, args.seed, project)
            point = Point(questions)
            build(config, workdir / f"build-{questions}.log", point, args.timeout or None)
            if point.status == "ok":
                measure(project / "site", point)
            else:
                print((workdir / f"build-{questions}.log").read_text(encoding="utf-8", errors="replace")[-3000:])
            points.append(point)
            print(S.table(HEADER, [row(point)], align="l" * len(HEADER)), flush=True)
            if not args.keep:
                shutil.rmtree(project, ignore_errors=True)
        print("\nThe curve (kB = 1,000 bytes; RSS in MiB; load average of the last minute, 2 cores):\n")
        print(S.table(HEADER, [row(point) for point in points], align="l" * len(HEADER)))
    finally:
        if args.keep:
            print(f"\nkept {workdir}")
        else:
            bench_build.remove_workdir(workdir)
    return 0 if all(point.status == "ok" for point in points) else 1


if __name__ == "__main__":
    sys.exit(main())
