""""Today" is the shop's date (Beijing by default), whatever the clock of the machine says.

GitHub's runners keep UTC: between 00:00 and 08:00 in Beijing they are still on yesterday, and an
answer checked this morning would be rejected as dated in the future.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from faqkb.staff.cli import main
from faqkb.content.dates import UnknownTimezone, shop_today
from faqkb.content.check import check

FAQKB = Path(sys.executable).parent / "faqkb"
# 01:30 on 5 December in Beijing is 17:30 on 4 December in UTC.
BEIJING_EARLY_MORNING = dt.datetime(2026, 12, 4, 17, 30, tzinfo=dt.timezone.utc)


def checked_this_morning(write_tree):
    return write_tree({"a/_category.yml": "title: 账户\n",
                       "a/x.yml": "- id: x\n  question: 怎么改密码？\n  answer: 在设置里改。\n  frequency: 1\n"
                                  "  updated: 2026-12-05\n"})


def test_beijing_is_a_day_ahead_of_utc_in_the_early_morning():
    assert shop_today(now=BEIJING_EARLY_MORNING) == dt.date(2026, 12, 5)
    assert shop_today("UTC", now=BEIJING_EARLY_MORNING) == dt.date(2026, 12, 4)
    assert shop_today("America/Los_Angeles", now=BEIJING_EARLY_MORNING) == dt.date(2026, 12, 4)


def test_an_answer_checked_today_in_beijing_validates_at_half_past_one(write_tree):
    root = checked_this_morning(write_tree)
    _, problems = check(root, today=shop_today(now=BEIJING_EARLY_MORNING))
    assert problems == []
    _, problems = check(root, today=shop_today("UTC", now=BEIJING_EARLY_MORNING))
    assert [p.code for p in problems] == ["FAQ108"]


def test_an_unknown_time_zone_is_named_in_chinese(tmp_path, monkeypatch, capsys):
    with pytest.raises(UnknownTimezone, match="Asia/Shanghai"):
        shop_today("Beijing")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mkdocs.yml").write_text("plugins:\n  - faqkb:\n      timezone: Mars/Olympus\n", encoding="utf-8")
    (tmp_path / "faq").mkdir()
    assert main(["validate", "faq"]) == 2
    assert "时区“Mars/Olympus”不存在" in capsys.readouterr().err


def run_at(moment: str, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """faqkb validate on a machine whose clock (in UTC, as on GitHub's runners) says `moment`."""
    if shutil.which("faketime") is None:
        pytest.fail("faketime is missing: make test installs Debian's faketime package")
    # A clock faked around the whole suite (faketime '+400 days' pytest) must not stack with this one.
    env = {key: value for key, value in os.environ.items() if not key.startswith(("FAKETIME", "LD_PRELOAD"))}
    env["TZ"] = "UTC"
    return subprocess.run(["faketime", moment, str(FAQKB), "validate", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_command_takes_today_from_the_shop_time_zone_not_the_runner_clock(write_tree, tmp_path):
    checked_this_morning(write_tree)
    result = run_at("2026-12-04 17:30:00", tmp_path, "faq")
    assert result.returncode == 0, result.stdout + result.stderr
    (tmp_path / "mkdocs.yml").write_text("plugins:\n  - faqkb:\n      timezone: UTC\n", encoding="utf-8")
    result = run_at("2026-12-04 17:30:00", tmp_path, "faq")
    assert result.returncode == 1
    assert "updated 是未来的日期 2026-12-05" in result.stdout and "不晚于 2026-12-04" in result.stdout
