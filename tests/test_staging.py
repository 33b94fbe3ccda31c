"""Builds that run at the same time, or were killed, never publish a partial site (issue #16, defect 1).

Each build writes into staging and search folders of its own, named after its process; a lock
beside the site folder lets one build at a time swap its site in (a second one waits, saying so);
folders that killed builds left behind are removed by the next build, and only those.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from faqkb.site import staging

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONIOENCODING": "utf-8"}


def dead_pid() -> int:
    """The id of a process that has exited (and been reaped)."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


# -- folders of one build ------------------------------------------------------------------------

def test_two_builds_get_folders_of_their_own(tmp_path):
    site = tmp_path / "site"
    first, second = staging.BuildFolders.new(site), staging.BuildFolders.new(site)
    names = {first.staging, first.search, first.old, second.staging, second.search, second.old}
    assert len(names) == 6
    assert all(folder.parent == tmp_path and folder.name.startswith(".site.faqkb-") for folder in names)
    assert str(os.getpid()) in first.staging.name


def test_swap_puts_the_new_site_in_place_and_removes_the_previous_one(tmp_path):
    site = tmp_path / "site"
    (site / "old.html").parent.mkdir()
    (site / "old.html").write_text("old")
    folders = staging.BuildFolders.new(site)
    (folders.staging / "new.html").parent.mkdir()
    (folders.staging / "new.html").write_text("new")
    staging.swap_in(folders, site)
    assert sorted(p.name for p in site.iterdir()) == ["new.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_stale_folders_of_dead_builds_are_removed_and_live_ones_kept(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    gone, alive = dead_pid(), os.getppid()
    stale = [tmp_path / f".site.faqkb-{kind}.{gone}.0a1b2c3d" for kind in ("new", "search", "old")]
    running = [tmp_path / f".site.faqkb-{kind}.{alive}.0a1b2c3d" for kind in ("new", "search")]
    others = [tmp_path / ".site.faqkb-new", tmp_path / ".other.faqkb-new.1.0a", tmp_path / "notes"]
    for folder in stale + running + others:
        (folder / "index.html").parent.mkdir()
        (folder / "index.html").write_text("x")

    removed = staging.remove_stale(site)

    assert sorted(removed) == sorted(stale)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["site"] + [p.name for p in running + others])


def test_a_build_killed_between_the_two_renames_gets_its_previous_site_back(tmp_path):
    site = tmp_path / "site"
    previous = tmp_path / f".site.faqkb-old.{dead_pid()}.0a1b2c3d"
    (previous / "index.html").parent.mkdir()
    (previous / "index.html").write_text("previous")
    staging.remove_stale(site)
    assert (site / "index.html").read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


# -- the lock ------------------------------------------------------------------------------------

def test_a_second_build_waits_for_the_lock_and_says_whose_it_is(tmp_path):
    site = tmp_path / "site"
    first = staging.SiteLock(site)
    first.acquire()
    waiting = threading.Event()
    messages: list[str] = []
    got = threading.Event()

    def second_build():
        lock = staging.SiteLock(site)
        lock.acquire(on_wait=lambda message: (messages.append(message), waiting.set()))
        got.set()
        lock.release()

    thread = threading.Thread(target=second_build)
    thread.start()
    assert waiting.wait(30), "the second build did not say it was waiting"
    assert not got.is_set()
    assert f"进程 {os.getpid()}" in messages[0] and "等" in messages[0]
    first.release()
    thread.join(30)
    assert got.is_set()


def test_a_build_that_cannot_get_the_lock_in_time_fails_with_a_clear_message(tmp_path):
    site = tmp_path / "site"
    first = staging.SiteLock(site)
    first.acquire()
    try:
        with pytest.raises(staging.SiteBusy) as caught:
            staging.SiteLock(site).acquire(wait=0)
    finally:
        first.release()
    message = str(caught.value)
    assert f"进程 {os.getpid()}" in message and "site/ 保持不变" in message
    staging.SiteLock(site).acquire(wait=0).release()  # free again once released


def test_the_lock_of_a_killed_build_is_free(tmp_path):
    site = tmp_path / "site"
    code = ("import sys, time; from faqkb.site import staging; "
            f"lock = staging.SiteLock({str(site)!r}).acquire(); print('held', flush=True); time.sleep(600)")
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(staging.SiteBusy):
            staging.SiteLock(site).acquire(wait=0)
    finally:
        holder.kill()
        holder.wait()
    staging.SiteLock(site).acquire(wait=0).release()


# -- real builds ---------------------------------------------------------------------------------

def sample_project(folder: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copy2(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(ROOT / "faq", folder / "faq")
    return folder


def start_build(project: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")


def finish(build: subprocess.Popen) -> tuple[int, str]:
    out, err = build.communicate(timeout=600)
    return build.returncode, out + err


def site_files(project: Path) -> dict[str, str]:
    site = project / "site"
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".site.") and p.name != ".site.faqkb-lock")


@pytest.fixture(scope="module")
def single_build(tmp_path_factory) -> dict[str, str]:
    """The sample site as one build alone writes it."""
    project = sample_project(tmp_path_factory.mktemp("alone") / "shop")
    code, output = finish(start_build(project))
    assert code == 0, output
    return site_files(project)


@pytest.mark.slow
def test_two_builds_at_once_always_leave_one_complete_site(tmp_path, single_build):
    project = sample_project(tmp_path / "shop")
    for round_ in range(4):
        builds = [start_build(project), start_build(project)]
        results = [finish(build) for build in builds]
        assert [code for code, _ in results] == [0, 0], f"round {round_}:\n" + "\n".join(out for _, out in results)
        assert not any("Traceback" in out for _, out in results)
        files = site_files(project)
        assert sorted(files) == sorted(single_build), f"round {round_}: {len(files)} files, not {len(single_build)}"
        assert files == single_build, f"round {round_}: the site differs from a single build's"
        assert leftovers(project) == []


@pytest.mark.slow
def test_a_build_waits_while_another_holds_the_site_and_then_replaces_it(tmp_path, single_build):
    project = sample_project(tmp_path / "shop")
    lock = staging.SiteLock(project / "site")
    lock.acquire()  # another build, as far as the next one can tell
    try:
        build = start_build(project)
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(build.stderr), daemon=True)
        reader.start()
        deadline = time.monotonic() + 120
        while not any("等" in line and f"进程 {os.getpid()}" in line for line in lines):
            assert build.poll() is None, "the build did not wait:\n" + "".join(lines)
            assert time.monotonic() < deadline, "the build never said it was waiting:\n" + "".join(lines)
            time.sleep(0.05)
        assert not (project / "site").exists()  # nothing swapped in while the site is held
    finally:
        lock.release()
    assert build.wait(timeout=600) == 0
    reader.join(30)
    assert "Traceback" not in "".join(lines)
    assert site_files(project) == single_build


@pytest.mark.slow
def test_the_next_build_removes_what_a_killed_build_left(tmp_path, single_build):
    project = sample_project(tmp_path / "shop")
    assert finish(start_build(project))[0] == 0
    build = start_build(project)
    deadline = time.monotonic() + 120
    while not [name for name in leftovers(project) if name.startswith(".site.faqkb-new.")]:  # writing its pages
        assert build.poll() is None, finish(build)[1]
        assert time.monotonic() < deadline
        time.sleep(0.01)
    build.send_signal(signal.SIGKILL)
    build.wait()
    left = leftovers(project)
    assert left, "the killed build left nothing to clean up"
    assert site_files(project) == single_build  # the previous site is intact

    code, output = finish(start_build(project))

    assert code == 0, output
    assert leftovers(project) == []
    assert site_files(project) == single_build
