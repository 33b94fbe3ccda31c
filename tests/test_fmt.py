"""`faqkb fmt`: entries reordered by frequency and fields put in order, while comments stay with
what they describe and every answer keeps its exact bytes; broken files are never touched."""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faqkb.staff.cli import main

ROOT = Path(__file__).resolve().parent.parent

CATEGORY = "title: 退款\n"

# Out of order (20, 300, 5, 300), with every kind of comment, and answers whose text must not
# change by a single byte: Markdown headings (which look like comments), a table, trailing spaces
# (a Markdown line break), blank lines, deeper indentation, and a "|-" block.
MESSY = """\
# 退款相关的问题。
# 次数来自每周导入。

# 这个问题马上要改写
- id: refund-slow
  question: 退款太慢了怎么办？  # 顾客原话
  # 答案由财务核对过
  answer: |
    ## 先看进度
    在「退换/售后」里查看退款进度。  
    第二行紧跟着换行。

    | 付款方式 | 入账时间 |
    | --- | --- |
    | 银行卡 | 3-7 个工作日 |

        这一行缩进更深
  frequency: 20
  tags: [退款]
# 关于 refund-time：最常被问
# 第二行注释
- id: refund-time
  question: "退款多久能到账？注意: 冒号"
  answer: |
    退款审核通过后 **1-3 个工作日**原路退回。
    # 这一行是答案里的标题，不是注释
  frequency: 300  # 上周 280
  aliases: [退款要几天, 钱什么时候退回来]
- id: refund-method
  question: 退款会退到哪里？
  answer: |-
    原路退回。
  frequency: 5
  related: [refund-time]
  # refund-method 最后的缩进注释
# 和 refund-time 一样多
- id: refund-same
  question: 退款和原来一样多吗？
  answer: |
    一样多。
  frequency: 300

# 文件结尾的注释
"""


@pytest.fixture
def content(write_tree, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # problems and messages then name files faq/...
    return write_tree({"refunds/_category.yml": CATEGORY, "refunds/refunds.yml": MESSY})


def answer_blocks(text: str) -> dict[str, str]:
    """id → the exact lines of its answer (the `answer:` line and the block under it)."""
    blocks: dict[str, str] = {}
    current = None
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if match := re.match(r"- id: (\S+)", line):
            current = match.group(1)
        if line.startswith("  answer:"):
            end = index + 1
            while end < len(lines) and (not lines[end].strip() or lines[end].startswith("    ")):
                end += 1
            blocks[current] = "".join(lines[index:end])
    return blocks


def comment_lines(text: str) -> Counter:
    """Comment lines outside answers, and end-of-line comments."""
    inside = {line for block in answer_blocks(text).values() for line in block.splitlines()[1:]}
    found = Counter(line.strip() for line in text.splitlines() if line.lstrip().startswith("#") and line not in inside)
    found.update(line[line.index("  #"):].strip() for line in text.splitlines() if "  #" in line and line not in inside)
    return found


def ids(text: str) -> list[str]:
    return re.findall(r"^- id: (\S+)", text, re.M)


def validate_ok(capsys) -> None:
    capsys.readouterr()
    assert main(["validate", "faq"]) == 0
    assert "检查通过" in capsys.readouterr().err


def test_fmt_reorders_keeping_comments_and_answers_byte_for_byte(content, capsys):
    file = content / "refunds/refunds.yml"
    assert main(["fmt", "faq"]) == 0
    after = file.read_text(encoding="utf-8")
    assert "1 个文件已整理" in capsys.readouterr().out

    assert ids(after) == ["refund-time", "refund-same", "refund-slow", "refund-method"]  # ties keep their order
    assert answer_blocks(after) == answer_blocks(MESSY)
    assert len(answer_blocks(after)) == 4
    assert comment_lines(after) == comment_lines(MESSY)
    # Each comment is still where it was relative to what it describes.
    assert after.startswith("# 退款相关的问题。\n# 次数来自每周导入。\n\n")
    assert "# 关于 refund-time：最常被问\n# 第二行注释\n- id: refund-time\n" in after
    assert "# 和 refund-time 一样多\n- id: refund-same\n" in after
    assert "# 这个问题马上要改写\n- id: refund-slow\n" in after
    assert "  question: 退款太慢了怎么办？  # 顾客原话\n  # 答案由财务核对过\n  answer: |\n" in after
    assert "  frequency: 300  # 上周 280\n" in after
    assert "  related: [refund-time]\n  # refund-method 最后的缩进注释\n" in after
    assert after.endswith("  frequency: 5\n  related: [refund-time]\n  # refund-method 最后的缩进注释\n\n# 文件结尾的注释\n")
    assert '  question: "退款多久能到账？注意: 冒号"\n' in after
    validate_ok(capsys)

    assert main(["fmt", "faq"]) == 0  # a second run changes nothing
    assert "所有文件都已整理好" in capsys.readouterr().out
    assert file.read_text(encoding="utf-8") == after


def test_check_lists_files_and_changes_nothing(content, capsys):
    file = content / "refunds/refunds.yml"
    assert main(["fmt", "--check", "faq"]) == 1
    out = capsys.readouterr().out
    assert "需要整理：faq/refunds/refunds.yml" in out
    assert file.read_text(encoding="utf-8") == MESSY

    assert main(["fmt", "faq"]) == 0
    capsys.readouterr()
    assert main(["fmt", "--check", "faq"]) == 0
    assert "所有文件都已整理好" in capsys.readouterr().out


def test_fields_put_in_order_with_their_comments_unknown_fields_last(write_tree, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    text = (
        "- updated: 2026-01-02\n"
        "  x-owner: 财务  # 谁负责\n"
        "  # 问题原文来自客服\n"
        "  question: 可以开发票吗？\n"
        "  frequency: 3\n"
        "  answer: |\n"
        "    可以。\n"
        "  id: invoice\n"
    )
    root = write_tree({"invoices/_category.yml": "title: 发票\n", "invoices/invoices.yml": text})
    assert main(["fmt", "faq"]) == 0
    assert (root / "invoices/invoices.yml").read_text(encoding="utf-8") == (
        "- id: invoice\n"
        "  # 问题原文来自客服\n"
        "  question: 可以开发票吗？\n"
        "  answer: |\n"
        "    可以。\n"
        "  frequency: 3\n"
        "  updated: 2026-01-02\n"
        "  x-owner: 财务  # 谁负责\n"
    )


def test_blank_lines_between_entries_are_kept(write_tree, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = ("- id: a\n  question: 甲？\n  answer: |\n    甲。\n  frequency: 1\n\n"
            "# 乙\n- id: b\n  question: 乙？\n  answer: |\n    乙。\n  frequency: 2\n")
    root = write_tree({"c/_category.yml": "title: 丙\n", "c/c.yml": text})
    assert main(["fmt", "faq"]) == 0
    assert (root / "c/c.yml").read_text(encoding="utf-8") == (
        "# 乙\n- id: b\n  question: 乙？\n  answer: |\n    乙。\n  frequency: 2\n\n"
        "- id: a\n  question: 甲？\n  answer: |\n    甲。\n  frequency: 1\n")


def test_file_with_yaml_error_is_left_untouched(content, capsys):
    broken = "- id: broken\n  question: 时间: 几点\n  answer: 看这里\n  frequency: 1\n"
    (content / "refunds/broken.yml").write_text(broken, encoding="utf-8")
    assert main(["fmt", "faq"]) == 1
    err = capsys.readouterr().err
    assert "没有整理 faq/refunds/broken.yml" in err and "FAQ001" in err
    assert (content / "refunds/broken.yml").read_text(encoding="utf-8") == broken
    assert ids((content / "refunds/refunds.yml").read_text(encoding="utf-8"))[0] == "refund-time"  # others still done


def test_non_integer_frequency_is_left_untouched(content, capsys):
    file = content / "refunds/refunds.yml"
    file.write_text(MESSY.replace("frequency: 5\n", "frequency: 很多\n"), encoding="utf-8")
    before = file.read_bytes()
    assert main(["fmt", "--check", "faq"]) == 1
    assert main(["fmt", "faq"]) == 1
    err = capsys.readouterr().err
    assert "没有整理 faq/refunds/refunds.yml" in err and "FAQ107" in err
    assert file.read_bytes() == before


def test_one_file_or_category_can_be_given(content, capsys):
    other = content / "refunds/more.yml"
    unsorted = ("- id: x\n  question: 甲？\n  answer: 甲\n  frequency: 1\n"
                "- id: y\n  question: 乙？\n  answer: 乙\n  frequency: 2\n")
    other.write_text(unsorted, encoding="utf-8")
    assert main(["fmt", "faq/refunds/refunds.yml"]) == 0
    assert other.read_text(encoding="utf-8") == unsorted
    assert ids((content / "refunds/refunds.yml").read_text(encoding="utf-8"))[0] == "refund-time"
    assert main(["fmt", "faq/refunds"]) == 0
    assert ids(other.read_text(encoding="utf-8")) == ["y", "x"]


def test_bom_is_removed(write_tree, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    text = "- id: a\n  question: 甲？\n  answer: |\n    甲。\n  frequency: 1\n"
    root = write_tree({"c/_category.yml": "title: 丙\n", "c/c.yml": b"\xef\xbb\xbf" + text.encode()})
    assert main(["fmt", "faq"]) == 0
    assert (root / "c/c.yml").read_bytes() == text.encode()
    validate_ok(capsys)


def test_sample_content_needs_no_formatting(capsys):
    assert main(["fmt", "--check", str(ROOT / "faq")]) == 0
    assert "所有文件都已整理好" in capsys.readouterr().out


ANSWER_LINES = ["正文。", "## 标题", "", "    缩进的代码", "| 甲 | 乙 |", "行尾两个空格  ", "- 列表 # 不是注释", "C# 和 #标签"]
FIELDS = ("id", "question", "answer", "frequency", "aliases")


@st.composite
def entry_files(draw):
    """An entries file in any order, with comments above entries and fields, at line ends, under
    entries and around the file, blank lines or not, and answers that look like comments."""
    lines = ["# 文件说明", ""] if draw(st.booleans()) else []
    blank_lines = draw(st.sampled_from(["never", "always", "sometimes"]))
    expected = []
    for number in range(draw(st.integers(1, 6))):
        if number and (blank_lines == "always" or (blank_lines == "sometimes" and draw(st.booleans()))):
            lines.append("")
        frequency = draw(st.integers(0, 4))
        answer = ["正文。"] + draw(st.lists(st.sampled_from(ANSWER_LINES), max_size=5)) + ["结尾。"]
        chomp = draw(st.sampled_from(["|", "|-"]))
        expected.append((f"q{number}", frequency, "\n".join(answer) + ("\n" if chomp == "|" else "")))
        lines += [f"# 关于 q{number}"] * draw(st.integers(0, 2))
        commented = draw(st.sampled_from(FIELDS[1:] + (None,)))
        for index, name in enumerate(draw(st.permutations(FIELDS))):
            if name == commented and index:
                lines.append(f"  # 关于 q{number} 的 {name}")
            lead = "- " if index == 0 else "  "
            if name == "answer":
                lines += [f"{lead}answer: {chomp}"] + [f"    {line}" if line else "" for line in answer]
                lines += [""] * draw(st.integers(0, 1))
            elif name == "question":
                question = draw(st.sampled_from([f"第 {number} 个问题？", f'"问题 {number}: 冒号"', f"'问题 {number}'"]))
                lines.append(f"{lead}question: {question}" + draw(st.sampled_from(["", f"  # q{number} 行尾"])))
            elif name == "aliases" and draw(st.booleans()):
                lines += [f"{lead}aliases:", f"  - 甲{number}", f"  - 乙{number}" + draw(st.sampled_from(["", "  # 行尾"]))]
            else:
                value = {"id": f"q{number}", "frequency": str(frequency), "aliases": "[甲, 乙]"}[name]
                lines.append(f"{lead}{name}: {value}")
        lines += [f"  # q{number} 末尾的缩进注释"] * draw(st.integers(0, 1))
    lines += ["", "# 文件结尾"] if draw(st.booleans()) else []
    return "\n".join(lines) + "\n", expected


def comment_text(text: str) -> Counter:
    return Counter(match.group(1) for line in text.splitlines() if (match := re.search(r"(?:^|\s)(#.*)$", line)))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entry_files())
@pytest.mark.slow
def test_fmt_keeps_any_file_whole(case):
    text, expected = case
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "faq"
        (root / "c").mkdir(parents=True)
        (root / "c/_category.yml").write_text("title: 丙\n", encoding="utf-8")
        file = root / "c/c.yml"
        file.write_text(text, encoding="utf-8")
        assert main(["fmt", str(root)]) == 0
        after = file.read_text(encoding="utf-8")

        loaded = yaml.safe_load(after)
        assert [(e["id"], e["frequency"], e["answer"]) for e in loaded] == sorted(expected, key=lambda e: -e[1])
        assert all(list(e) == list(FIELDS) for e in loaded)
        assert comment_text(after) == comment_text(text)
        assert after.startswith("# 文件说明\n\n") == text.startswith("# 文件说明\n\n")
        assert after.endswith("\n# 文件结尾\n") == text.endswith("\n# 文件结尾\n")
        lines = after.splitlines()
        for index, line in enumerate(lines):
            if match := re.fullmatch(r"# 关于 (q\d+)", line):
                assert lines[index + 1] in (f"- id: {match.group(1)}", line)
            if match := re.fullmatch(r"  # 关于 (q\d+) 的 (\w+)", line):
                assert re.match(rf"(- |  ){match.group(2)}:", lines[index + 1])
            if match := re.fullmatch(r"  # (q\d+) 末尾的缩进注释", line):
                owner = next(above for above in reversed(lines[:index]) if above.startswith("- id: "))
                assert owner == f"- id: {match.group(1)}"
        assert main(["fmt", "--check", str(root)]) == 0
