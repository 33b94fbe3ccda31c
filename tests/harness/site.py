"""Real MkDocs builds, exactly as `mkdocs build` runs them, for tests and benchmarks.

    python -m harness.site CONFIG    (tests/ on PYTHONPATH; what build_process() runs)
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CONFIG_FILE = ROOT / "mkdocs.yml"


def project_config() -> dict:
    """The project's mkdocs.yml as data."""
    return yaml.safe_load(CONFIG_FILE.read_text(encoding="utf-8"))


def write_config(path: Path, **changes) -> Path:
    """Writes the project's mkdocs.yml with `changes` to its top-level keys to `path`; relative
    folders in it are then relative to path's folder."""
    config = {**project_config(), **changes}
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    return path


def check_content(content_dir: Path, *, today=None, display_base: Path | None = None):
    """faqkb's checker as the build runs it (Material's icons looked up): (content, problems)."""
    from faqkb.content.check import check
    from faqkb.site.engine import material_icon_svg

    return check(content_dir, display_base=display_base, today=today,
                 icon_exists=lambda name: material_icon_svg(name) is not None)


def build_site(site_dir: Path | None, config_file: Path = CONFIG_FILE, *, strict: bool | None = True) -> Path:
    """A real `mkdocs build` of config_file into site_dir (None: the config's site_dir), in this
    process, as the CLI runs it: faqkb hears the command and builds through its staging folder.
    strict=None keeps the config's own setting. Returns the site folder."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(config_file), site_dir=str(site_dir) if site_dir else None, strict=strict)
    site_dir = Path(config.site_dir)  # before faqkb points it at its staging folder
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    assert (site_dir / "index.html").is_file(), f"the build wrote no index.html into {site_dir}"
    return site_dir


@dataclass
class BuildRun:
    """One build in a process of its own."""

    seconds: float
    status: str  # "ok", "timeout" or "failed (exit N)"
    peak_mb: float
    cpu_seconds: float  # the build's and its reaped workers'
    log: Path

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def build_process(config_file: Path, log: Path, *, timeout: float | None = None,
                  while_running: Callable[[int], None] | None = None) -> BuildRun:
    """build_site() of config_file in a new process (group), its output in `log`, stopped (the
    whole group) after `timeout` seconds; `while_running(pid)` is called at every poll (a benchmark
    samples memory). A failure prints the whole exception chain, which the CLI hides (a crash in
    faqkb's search worker needs its traceback)."""
    tests = str(Path(__file__).resolve().parents[1])
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1",
               PYTHONPATH=os.pathsep.join(filter(None, [tests, os.environ.get("PYTHONPATH")])))
    with open(log, "wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "harness.site", str(config_file)], cwd=config_file.parent,
                                   stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        timed_out = False
        try:
            while True:  # os.wait4 rather than Popen.wait: it also gives the build's peak memory and CPU time
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    break
                if while_running:
                    while_running(process.pid)
                if timeout and time.perf_counter() - start > timeout:
                    os.killpg(process.pid, signal.SIGKILL)
                    _, status, usage = os.wait4(process.pid, 0)
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
    state = "timeout" if timed_out else "ok" if process.returncode == 0 else f"failed (exit {process.returncode})"
    return BuildRun(seconds, state, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, log)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="mkdocs build -f CONFIG, printing the whole traceback on failure")
    parser.add_argument("config", type=Path)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)-7s -  %(message)s")
    try:
        build_site(None, args.config, strict=None)
    except BaseException:
        traceback.print_exc()
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
