"""`faqkb new`: a question added in frequency order without touching the rest of the file, with
an id proposed from its pinyin, asking only when someone is at a terminal."""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import textwrap

import pytest
import yaml

from faqkb.staff.cli import main
from faqkb.staff.new import propose_id

TODAY = "2026-11-20"  # what the commands take as today: tests never read the real date

REFUNDS = """\
# 退款相关的问题
- id: refund-method
  question: 退款会退到哪里？
  answer: |
    原路退回。
  frequency: 100
# 优惠券的规则以活动页为准
- id: refund-coupon
  question: 退款后优惠券会退回吗？  # 常见投诉
  answer: |
    ## 有效期内
    会退回。
  frequency: 50
- id: refund-partial
  question: 只退一件退多少钱？
  answer: |
    按实付金额计算。
  frequency: 10
"""


class Terminal(io.StringIO):
    """Typed input, as if from a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def content(write_tree, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal: nothing can be asked
    return write_tree({
        "after-sales/_category.yml": "title: 售后服务\n",
        "after-sales/refunds/_category.yml": "title: 退款\n",
        "after-sales/refunds/refunds.yml": REFUNDS,
        "shipping/_category.yml": "title: 配送\n",
        "shipping/shipping.yml": "- id: when-ship\n  question: 什么时候发货？\n  answer: 当天发货。\n  frequency: 5\n",
        "shipping/fees.yml": "- id: fee\n  question: 运费多少？\n  answer: 8 元。\n  frequency: 5\n",
    })


def entries(path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def validate_ok(capsys) -> None:
    capsys.readouterr()
    assert main(["validate", "faq", "--today", TODAY]) == 0
    assert "检查通过" in capsys.readouterr().err


def test_adds_entry_in_frequency_order_leaving_the_rest_as_written(content, capsys):
    file = content / "after-sales/refunds/refunds.yml"
    status = main(["new", "--today", TODAY, "--question", "退款多久能到账？", "--category", "after-sales/refunds",
                   "--answer", "审核通过后 **1-3 个工作日**到账。\n\n| 方式 | 时间 |\n| --- | --- |\n| 银行卡 | 3-7 天 |",
                   "--frequency", "50", "--alias", "退款要几天", "--alias", "钱什么时候退回来", "--tag", "退款"])
    assert status == 0
    out = capsys.readouterr().out
    assert "id：tui-kuan-duo-jiu-dao-zhang" in out and "是其中第 3 个" in out and "检查通过" in out

    new_block = textwrap.dedent(f"""\
        - id: tui-kuan-duo-jiu-dao-zhang
          question: 退款多久能到账？
          answer: |
            审核通过后 **1-3 个工作日**到账。

            | 方式 | 时间 |
            | --- | --- |
            | 银行卡 | 3-7 天 |
          frequency: 50
          aliases: [退款要几天, 钱什么时候退回来]
          tags: [退款]
          updated: {TODAY}
        """)
    # Ties go after the entries already there; everything else is byte for byte what it was.
    at = REFUNDS.index("- id: refund-partial")
    assert file.read_text(encoding="utf-8") == REFUNDS[:at] + new_block + REFUNDS[at:]
    validate_ok(capsys)


def test_id_from_pinyin_gets_a_suffix_when_taken(content, capsys):
    args = ["new", "--today", TODAY, "--frequency", "0", "--question", "退款多久能到账", "--category", "after-sales/refunds", "--answer", "1-3 个工作日。"]
    assert main(args) == 0
    assert main(args + ["--frequency", "200"]) == 0
    assert main(args + ["--frequency", "1"]) == 0
    listed = [entry["id"] for entry in entries(content / "after-sales/refunds/refunds.yml")]
    assert listed == ["tui-kuan-duo-jiu-dao-zhang-2", "refund-method", "refund-coupon", "refund-partial",
                      "tui-kuan-duo-jiu-dao-zhang-3", "tui-kuan-duo-jiu-dao-zhang"]
    assert "注意：已经有很可能相同的问题：“退款多久能到账”" in capsys.readouterr().err
    validate_ok(capsys)


def test_a_question_that_probably_repeats_one_is_warned_about_but_added(content, capsys):
    # Traditional characters and another wording: not the same text, still the same question.
    assert main(["new", "--today", TODAY, "--frequency", "3", "--question", "退款會退到哪裡？",
                 "--category", "after-sales/refunds", "--answer", "原路退回。"]) == 0
    err = capsys.readouterr().err
    assert "注意：已经有很可能相同的问题：“退款会退到哪里？”（refund-method" in err
    validate_ok(capsys)


def test_frequency_is_asked_for_not_assumed(content, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", Terminal("很多\n35\n\n"))  # a wrong count, then one; the proposed id
    assert main(["new", "--today", TODAY, "--question", "退款手续费多少？", "--category", "after-sales/refunds",
                 "--answer", "不收手续费。"]) == 0
    assert "“很多”不是大于等于 0 的整数" in capsys.readouterr().out
    [entry] = [e for e in entries(content / "after-sales/refunds/refunds.yml") if e["question"] == "退款手续费多少？"]
    assert entry["frequency"] == 35


@pytest.mark.parametrize("question, expected", [
    ("退款多久能到账？", "tui-kuan-duo-jiu-dao-zhang"),
    ("请问怎么修改收货地址？", "xiu-gai-shou-huo-di-zhi"),
    ("可以开发票吗", "kai-fa-piao"),
    ("iPhone 15 怎么保修？", "iphone-15-bao-xiu"),
    ("？？？", "question"),
])
def test_proposed_ids(question, expected):
    assert propose_id(question, set()) == expected
    assert propose_id(question, {expected, f"{expected}-2"}) == f"{expected}-3"


def test_unknown_category_lists_the_existing_ones(content, capsys):
    status = main(["new", "--today", TODAY, "--frequency", "0", "--question", "问？", "--category", "after-sale/refund", "--answer", "答。"])
    assert status == 1
    err = capsys.readouterr().err
    assert "分类“after-sale/refund”不存在" in err
    for path in ("after-sales", "after-sales/refunds", "shipping"):
        assert re.search(rf"^\s+\d+\. {re.escape(path)}\s", err, re.M)


def test_missing_fields_without_a_terminal_fail_at_once(content, capsys):
    before = (content / "after-sales/refunds/refunds.yml").read_bytes()
    assert main(["new", "--today", TODAY, "--frequency", "0", "--category", "after-sales/refunds"]) == 1
    err = capsys.readouterr().err
    assert "缺少 --question、--answer 或 --answer-file" in err and "不是在终端里运行" in err
    assert (content / "after-sales/refunds/refunds.yml").read_bytes() == before


def test_several_files_need_file_option(content, capsys):
    args = ["new", "--today", TODAY, "--frequency", "0", "--question", "能送货上门吗？", "--category", "shipping", "--answer", "可以。", "--id", "door"]
    assert main(args) == 1
    assert "请用 --file 指定" in capsys.readouterr().err
    assert main(args + ["--file", "fees.yml", "--frequency", "9"]) == 0
    assert [entry["id"] for entry in entries(content / "shipping/fees.yml")] == ["door", "fee"]
    validate_ok(capsys)


def test_category_without_entries_gets_a_new_file(content, capsys):
    args = ["new", "--today", TODAY, "--frequency", "0", "--question", "售后电话是多少？", "--category", "after-sales", "--answer-file", "answer.md"]
    (content.parent / "answer.md").write_text("\ufeff请拨打 400-000-0000。\n\n", encoding="utf-8")
    assert main(args) == 0
    [entry] = entries(content / "after-sales/after-sales.yml")
    assert entry["answer"] == "请拨打 400-000-0000。\n" and entry["frequency"] == 0
    assert entry["updated"] == dt.date.fromisoformat(TODAY)
    validate_ok(capsys)


def test_taken_or_malformed_id_is_refused(content, capsys):
    args = ["new", "--today", TODAY, "--frequency", "0", "--question", "问？", "--category", "after-sales/refunds", "--answer", "答。"]
    assert main(args + ["--id", "refund-method"]) == 1
    assert "已经被 faq/after-sales/refunds/refunds.yml 里的问题用了" in capsys.readouterr().err
    assert main(args + ["--id", "Refund_Method"]) == 1
    assert "格式不对" in capsys.readouterr().err
    assert (content / "after-sales/refunds/refunds.yml").read_text(encoding="utf-8") == REFUNDS


def test_asks_for_what_is_missing_at_a_terminal(content, capsys, monkeypatch):
    # question; a wrong category, then its number; a two-paragraph answer, ended by "."; a malformed id, then one
    typed = "运费险怎么理赔？\nnope\n2\n退货后自动理赔。\n\n第二段。\n.\nYun Fei\nyun-fei-xian\n"
    monkeypatch.setattr(sys, "stdin", Terminal(typed))
    assert main(["new", "--today", TODAY, "--frequency", "60"]) == 0
    out = capsys.readouterr().out
    assert "分类“nope”不存在" in out and "id“Yun Fei”格式不对" in out
    listed = entries(content / "after-sales/refunds/refunds.yml")
    assert [entry["id"] for entry in listed] == ["refund-method", "yun-fei-xian", "refund-coupon", "refund-partial"]
    assert listed[1]["answer"] == "退货后自动理赔。\n\n第二段。\n"
    assert listed[1]["question"] == "运费险怎么理赔？"
    validate_ok(capsys)


def test_answer_from_editor(content, capsys, monkeypatch, tmp_path):
    editor = tmp_path / "editor.py"
    editor.write_text("import sys\nopen(sys.argv[1], 'w', encoding='utf-8').write('## 标题\\n\\n正文。\\n')\n",
                      encoding="utf-8")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    monkeypatch.setattr(sys, "stdin", Terminal("\n"))  # accept the proposed id
    assert main(["new", "--today", TODAY, "--frequency", "0", "--question", "积分怎么用？", "--category", "after-sales/refunds"]) == 0
    listed = entries(content / "after-sales/refunds/refunds.yml")
    assert listed[-1] == {"id": "ji-fen-yong", "question": "积分怎么用？", "answer": "## 标题\n\n正文。\n",
                          "frequency": 0, "updated": dt.date.fromisoformat(TODAY)}
    validate_ok(capsys)


def test_words_yaml_1_1_reads_otherwise_stay_text(content, capsys):
    # faqkb reads YAML 1.1, where bare yes / on / 12:30 are a boolean and a number.
    assert main(["new", "--today", TODAY, "--frequency", "0", "--question", "yes", "--category", "faq/after-sales/refunds", "--answer", "答。",
                 "--alias", "on", "--alias", "12:30", "--id", "yes-question"]) == 0
    [entry] = [e for e in entries(content / "after-sales/refunds/refunds.yml") if e["id"] == "yes-question"]
    assert (entry["question"], entry["aliases"]) == ("yes", ["on", "12:30"])
    validate_ok(capsys)


def test_tabs_leading_answer_lines_become_spaces(content, capsys):
    # A tab in any line's indentation makes faqkb refuse the whole file (FAQ004).
    assert main(["new", "--today", TODAY, "--frequency", "0", "--question", "怎么写代码？", "--category", "after-sales/refunds", "--id", "code",
                 "--answer", "示例：\n\n\tprint(1)\t# 行内的 Tab 保留"]) == 0
    [entry] = [e for e in entries(content / "after-sales/refunds/refunds.yml") if e["id"] == "code"]
    assert entry["answer"] == "示例：\n\n    print(1)\t# 行内的 Tab 保留\n"
    validate_ok(capsys)
