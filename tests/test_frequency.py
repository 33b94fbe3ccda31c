"""`faqkb frequency import`: counts from a CSV export replace frequencies, matched by id or by
question/alias (after normalisation), and the files are reordered like `faqkb fmt` does."""

from __future__ import annotations

import re

import pytest

from faqkb.staff.cli import main

REFUNDS = """\
- id: refund-time
  question: 退款多久能到账？
  answer: |
    1-3 个工作日。
  frequency: 300
  aliases: [退款什么时候到账, 退款要几天]
# 这个问题下周要改写
- id: refund-method
  question: 退款会退到哪里？
  answer: |
    原路退回。
  frequency: 100
- id: refund-coupon
  question: 退款后优惠券会退回吗？
  answer: |
    有效期内会退回。
  frequency: 10
"""

MEMBERS = """\
- id: vip-join
  question: VIP会员怎么开通？
  answer: |
    在「我的」里开通。
  frequency: 50
"""


@pytest.fixture
def content(write_tree, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return write_tree({
        "refunds/_category.yml": "title: 退款\n",
        "refunds/refunds.yml": REFUNDS,
        "members/_category.yml": "title: 会员\n",
        "members/members.yml": MEMBERS,
    })


def ids(text: str) -> list[str]:
    return re.findall(r"^- id: (\S+)", text, re.M)


def frequency_of(text: str, entry_id: str) -> int:
    block = text.split(f"- id: {entry_id}\n", 1)[1].split("\n- id:", 1)[0]
    return int(re.search(r"^  frequency: (\d+)", block, re.M).group(1))


def validate_ok(capsys) -> None:
    capsys.readouterr()
    assert main(["validate", "faq"]) == 0
    assert "检查通过" in capsys.readouterr().err


def test_import_by_id_updates_and_reorders(content, tmp_path, capsys):
    (tmp_path / "counts.csv").write_text("id,count\nrefund-coupon,900\nrefund-method,120\n", encoding="utf-8")
    assert main(["frequency", "import", "counts.csv", "faq"]) == 0
    out = capsys.readouterr().out
    assert "已更新 2 个问题的被问次数" in out
    assert "refund-coupon：10 → 900" in out and "refund-method：100 → 120" in out
    text = (content / "refunds/refunds.yml").read_text(encoding="utf-8")
    assert ids(text) == ["refund-coupon", "refund-time", "refund-method"]
    assert frequency_of(text, "refund-coupon") == 900 and frequency_of(text, "refund-time") == 300
    assert "# 这个问题下周要改写\n- id: refund-method\n" in text  # the comment moved with its entry
    assert "  answer: |\n    原路退回。\n" in text
    assert (content / "members/members.yml").read_text(encoding="utf-8") == MEMBERS  # not in the CSV: untouched
    validate_ok(capsys)


def test_import_by_question_and_alias_with_variants_adding_up(content, tmp_path, capsys):
    (tmp_path / "counts.csv").write_text(
        "question,count\n"
        "退款多久能到賬?,200\n"          # Traditional 賬, ASCII question mark
        "退款 什麼時候 到賬,250\n"       # an alias, Traditional, with spaces
        "ＶＩＰ会员怎么开通,70\n"         # full-width letters, no punctuation
        "退款会退到哪里？,1\n",
        encoding="utf-8")
    assert main(["frequency", "import", "counts.csv"]) == 0
    out = capsys.readouterr().out
    assert "refund-time：300 → 450" in out and "vip-join：50 → 70" in out and "refund-method：100 → 1" in out
    refunds = (content / "refunds/refunds.yml").read_text(encoding="utf-8")
    assert ids(refunds) == ["refund-time", "refund-coupon", "refund-method"]
    assert frequency_of((content / "members/members.yml").read_text(encoding="utf-8"), "vip-join") == 70
    validate_ok(capsys)


def test_gbk_csv_with_chinese_headers(content, tmp_path, capsys):
    (tmp_path / "export.csv").write_bytes("问题,次数\r\n退款后优惠券会退回吗？,400\r\n".encode("gbk"))
    assert main(["frequency", "import", "export.csv"]) == 0
    assert "refund-coupon：10 → 400" in capsys.readouterr().out
    assert ids((content / "refunds/refunds.yml").read_text(encoding="utf-8"))[0] == "refund-coupon"
    validate_ok(capsys)


def test_utf8_bom_csv(content, tmp_path, capsys):
    (tmp_path / "export.csv").write_bytes(b"\xef\xbb\xbf" + "id,count\nvip-join,\"1,234\"\n".encode())
    assert main(["frequency", "import", "export.csv"]) == 0
    assert "vip-join：50 → 1234" in capsys.readouterr().out


def test_unmatched_rows_are_reported_with_line_numbers(content, tmp_path, capsys):
    (tmp_path / "counts.csv").write_text(
        "问题,次数\n退款多久能到账？,310\n怎么联系客服？,90\n\n退款会退到哪里,很多\n"
        "退款,5\n",
        encoding="utf-8")
    assert main(["frequency", "import", "counts.csv"]) == 0
    out = capsys.readouterr().out
    assert "有 3 行没有导入" in out
    assert "第 3 行：“怎么联系客服？”没有对应的问题" in out
    assert "第 5 行：次数“很多”不是大于等于 0 的整数" in out
    assert "第 6 行：“退款”没有对应的问题" in out
    assert "refund-time：300 → 310" in out
    validate_ok(capsys)


def test_unknown_id_is_reported(content, tmp_path, capsys):
    (tmp_path / "counts.csv").write_text("id,count\nno-such-question,5\n", encoding="utf-8")
    assert main(["frequency", "import", "counts.csv"]) == 0
    out = capsys.readouterr().out
    assert "第 2 行：id“no-such-question”没有对应的问题" in out
    assert "被问次数没有变化" in out


def test_dry_run_changes_nothing(content, tmp_path, capsys):
    (tmp_path / "counts.csv").write_text("id,count\nrefund-coupon,900\n", encoding="utf-8")
    assert main(["frequency", "import", "counts.csv", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "试运行" in out and "将更新 1 个问题" in out and "refund-coupon：10 → 900" in out
    assert (content / "refunds/refunds.yml").read_text(encoding="utf-8") == REFUNDS


@pytest.mark.parametrize("csv_text, message", [
    ("name,total\n退款,3\n", "需要两列"),
    ("question\n退款多久能到账？\n", "需要两列"),
    ("", "是空的"),
])
def test_csv_without_needed_columns_fails(content, tmp_path, capsys, csv_text, message):
    (tmp_path / "counts.csv").write_text(csv_text, encoding="utf-8")
    assert main(["frequency", "import", "counts.csv"]) == 1
    assert message in capsys.readouterr().err
    assert (content / "refunds/refunds.yml").read_text(encoding="utf-8") == REFUNDS


def test_missing_csv_fails(content, capsys):
    assert main(["frequency", "import", "nowhere.csv"]) == 1
    assert "无法读取 CSV 文件 nowhere.csv" in capsys.readouterr().err


def test_file_with_problems_is_not_updated(content, tmp_path, capsys):
    broken = MEMBERS.replace("frequency: 50", "frequency: 五十")
    (content / "members/members.yml").write_text(broken, encoding="utf-8")
    (tmp_path / "counts.csv").write_text("id,count\nvip-join,5\nrefund-coupon,900\n", encoding="utf-8")
    assert main(["frequency", "import", "counts.csv"]) == 1
    captured = capsys.readouterr()
    assert "没有更新 faq/members/members.yml" in captured.err and "FAQ107" in captured.err
    assert (content / "members/members.yml").read_text(encoding="utf-8") == broken
    assert ids((content / "refunds/refunds.yml").read_text(encoding="utf-8"))[0] == "refund-coupon"


def test_a_repeated_row_is_an_error_unless_sum_is_asked_for(content, tmp_path, capsys):
    before = (content / "refunds/refunds.yml").read_text(encoding="utf-8")
    (tmp_path / "counts.csv").write_text("id,count\nrefund-time,200\nvip-join,70\nrefund-time,250\n", encoding="utf-8")
    assert main(["frequency", "import", "counts.csv"]) == 1
    err = capsys.readouterr().err
    assert "第 2 行、第 4 行写的是同一个id“refund-time”。" in err and "--sum" in err
    assert (content / "refunds/refunds.yml").read_text(encoding="utf-8") == before
    assert main(["frequency", "import", "counts.csv", "--sum"]) == 0
    assert "refund-time：300 → 450" in capsys.readouterr().out


def test_a_row_with_a_third_column_is_named_and_nothing_is_imported(content, tmp_path, capsys):
    before = (content / "refunds/refunds.yml").read_text(encoding="utf-8")
    (tmp_path / "counts.csv").write_text("id,count\nvip-join,70\nrefund-time,1,520\n", encoding="utf-8")
    assert main(["frequency", "import", "counts.csv"]) == 1
    err = capsys.readouterr().err
    assert "第 3 行有 3 列，表头只有 2 列：“refund-time,1,520”" in err and "千位分隔符" in err
    assert (content / "refunds/refunds.yml").read_text(encoding="utf-8") == before
