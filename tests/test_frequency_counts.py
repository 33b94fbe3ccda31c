"""Counts in a frequency CSV are read exactly (issue #16: counts above 2**53 lost precision through
a float): any whole number up to 18 digits as written, anything else reported and not imported."""

from __future__ import annotations

import re

import pytest

from faqkb.staff.cli import main
from faqkb.staff.frequency import read_counts

ENTRIES = "".join(f"- id: {name}\n  question: 问题{n}\n  answer: 答案。\n  frequency: {9 - n}\n"
                  for n, name in enumerate(["first", "second", "third"]))


@pytest.mark.parametrize("cell, count", [
    ("9007199254740993", 2**53 + 1),
    ("123456789012345678", 123456789012345678),
    ('"1,520"', 1520),
    ("1520.0", 1520),
    ("１５２０", 1520),
    ("1.52e3", 1520),
    ("0", 0),
])
def test_a_whole_number_is_read_exactly(tmp_path, cell, count):
    (tmp_path / "counts.csv").write_text(f"id,count\nfirst,{cell}\n", encoding="utf-8")
    rows, notes = read_counts(tmp_path / "counts.csv")
    assert [(row.id, row.count) for row in rows] == [("first", count)] and notes == []


@pytest.mark.parametrize("cell", ["1234567890123456789", "1e400", "1e999999999", "1520.5", "-3", "nan", "inf", "十"])
def test_anything_else_is_reported_and_not_imported(tmp_path, cell):
    (tmp_path / "counts.csv").write_text(f"id,count\nfirst,{cell}\n", encoding="utf-8")
    rows, notes = read_counts(tmp_path / "counts.csv")
    assert rows == []
    [(line, note)] = notes
    assert line == 2 and cell[:20] in note and "没有导入" in note


def test_a_count_above_two_to_the_53_reaches_the_file_exactly(write_tree, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    root = write_tree({"a/_category.yml": "title: 甲\n", "a/x.yml": ENTRIES})
    (tmp_path / "counts.csv").write_text("id,count\nthird,9007199254740993\n", encoding="utf-8")
    assert main(["frequency", "import", "counts.csv", "faq"]) == 0
    text = (root / "a" / "x.yml").read_text(encoding="utf-8")
    assert re.findall(r"^  frequency: (\d+)", text, re.M)[0] == "9007199254740993"
    assert "third：7 → 9007199254740993" in capsys.readouterr().out
