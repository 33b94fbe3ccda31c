"""Commands that write files (fmt, frequency import, new, schema) on files they cannot write
(issue #16, defect 8): they check every file first, say which one cannot be written, in Chinese,
and change nothing; a file replaced through a temporary file keeps its mode and owner.

These tests run as root here, where permission bits do not stop a write. A file is made truly
unwritable instead with the immutable attribute (`chattr +i`: not even root may change, replace or
remove it, and os.access reports it), or with chmod for anyone else. Each test first asserts that
the path really cannot be written, so it cannot pass on a path that was writable after all.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from faqkb.staff.cli import main

ENTRY = "- id: {id}\n  question: {question}\n  answer: 答案。\n  frequency: {frequency}\n"
# Out of order, so `fmt` rewrites both files; refunds.yml is written before returns.yml.
REFUNDS = ENTRY.format(id="refund-card", question="退到银行卡要几天？", frequency=5) + ENTRY.format(
    id="refund-time", question="退款多久能到账？", frequency=50)
RETURNS = ENTRY.format(id="return-fee", question="退货运费谁出？", frequency=3) + ENTRY.format(
    id="return-how", question="怎么退货？", frequency=30)


@contextlib.contextmanager
def unwritable(path: Path) -> Iterator[None]:
    """`path` (a file or a folder) cannot be written by this process while the block runs."""
    if os.geteuid() == 0:
        if not shutil.which("chattr") or subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
            pytest.skip("running as root where the immutable attribute cannot be set: nothing here stops root writing")
        undo = ["chattr", "-i", str(path)]
    else:
        mode = path.stat().st_mode
        path.chmod(mode & ~0o222)
        undo = None
    try:
        assert not os.access(path, os.W_OK), f"{path} is still writable: the test would prove nothing"
        yield
    finally:
        if undo:
            subprocess.run(undo, check=True)
        else:
            path.chmod(mode)


@pytest.fixture
def shop(write_tree, tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return write_tree({"after-sales/_category.yml": "title: 售后\n", "after-sales/refunds.yml": REFUNDS,
                       "after-sales/returns.yml": RETURNS})


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_fmt_changes_nothing_when_one_file_cannot_be_written(shop, capsys):
    before = snapshot(shop)
    with unwritable(shop / "after-sales" / "returns.yml"):
        code = main(["fmt", "faq"])
    err = capsys.readouterr().err
    assert code == 1
    assert "faq/after-sales/returns.yml" in err and "无法写入" in err and "没有改动" in err
    assert snapshot(shop) == before  # refunds.yml, which fmt could write, was left alone too


def test_fmt_says_so_when_the_folder_cannot_take_the_new_file(shop, capsys):
    before = snapshot(shop)
    with unwritable(shop / "after-sales"):
        code = main(["fmt", "faq"])
    err = capsys.readouterr().err
    assert code == 1
    assert "faq/after-sales/refunds.yml" in err and "目录" in err and "没有改动" in err
    assert snapshot(shop) == before


def test_frequency_import_changes_nothing_when_one_file_cannot_be_written(shop, tmp_path, capsys):
    csv = tmp_path / "counts.csv"
    csv.write_text("id,count\nrefund-card,900\nreturn-fee,700\n", encoding="utf-8")
    before = snapshot(shop)
    with unwritable(shop / "after-sales" / "returns.yml"):
        code = main(["frequency", "import", str(csv), "faq"])
    out = capsys.readouterr()
    assert code == 1
    assert "faq/after-sales/returns.yml" in out.err and "无法写入" in out.err
    assert "已更新" not in out.out
    assert snapshot(shop) == before


def test_new_says_which_file_it_cannot_write(shop, capsys):
    before = snapshot(shop)
    with unwritable(shop / "after-sales" / "refunds.yml"):
        code = main(["new", "faq", "--category", "after-sales", "--file", "refunds.yml", "--question", "退款能退到余额吗？",
                     "--answer", "可以。", "--today", "2026-11-23", "--frequency", "0"])
    err = capsys.readouterr().err
    assert code == 1
    assert "faq/after-sales/refunds.yml" in err and "无法写入" in err
    assert snapshot(shop) == before


def test_new_says_so_when_the_folder_cannot_take_a_new_file(write_tree, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    root = write_tree({"after-sales/_category.yml": "title: 售后\n", "after-sales/refunds.yml": REFUNDS,
                       "members/_category.yml": "title: 会员\n", "members/vip/_category.yml": "title: VIP\n",
                       "members/vip/vip.yml": ENTRY.format(id="vip-join", question="怎么开通会员？", frequency=1)})
    before = snapshot(root)
    with unwritable(root / "members"):
        code = main(["new", "faq", "--category", "members", "--question", "会员有什么好处？", "--answer", "包邮。",
                     "--today", "2026-11-23", "--frequency", "0"])
    err = capsys.readouterr().err
    assert code == 1
    assert "faq/members/members.yml" in err and "目录" in err
    assert snapshot(root) == before


def test_a_rewritten_file_keeps_its_mode_and_owner(shop, capsys):
    path = shop / "after-sales" / "refunds.yml"
    path.chmod(0o640)
    owner = (65534, 65534) if os.geteuid() == 0 else (os.getuid(), os.getgid())
    os.chown(path, *owner)
    assert main(["fmt", "faq"]) == 0
    assert "已整理：faq/after-sales/refunds.yml" in capsys.readouterr().out
    stat = path.stat()
    assert (stat.st_mode & 0o7777, stat.st_uid, stat.st_gid) == (0o640, *owner)
    assert path.read_text(encoding="utf-8").index("refund-time") < path.read_text(encoding="utf-8").index("refund-card")


def test_schema_to_a_place_that_cannot_be_a_folder_says_so(tmp_path, capsys):
    blocker = tmp_path / "README.md"
    blocker.write_text("不是目录\n", encoding="utf-8")
    code = main(["schema", "--out", str(blocker / "schemas")])
    err = capsys.readouterr().err
    assert code == 1
    assert str(blocker / "schemas") in err and "无法写入" in err


def test_schema_to_a_folder_that_cannot_be_written_says_so(tmp_path, capsys):
    out = tmp_path / "schemas"
    out.mkdir()
    with unwritable(out):
        code = main(["schema", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert "无法写入" in err and "schemas" in err
    assert list(out.iterdir()) == []
