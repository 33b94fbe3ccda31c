"""`faqkb stats`: questions per category and level, stale and undated answers, questions without
links, the most and least asked — checked the way content staff would read the report."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from faqkb.content.check import check
from faqkb.staff import cli, stats
from faqkb.content.link import link
from faqkb.staff.stats import collect_stats

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 23)

RETURNS = """\
- id: how-to-return
  question: 怎么申请退货？
  answer: |
    在订单详情页点「申请售后」。
  frequency: 3000
  related: [refund-time]
  updated: 2026-11-01
- id: return-address
  question: 退货要寄到哪里？
  answer: |
    审核通过后页面会显示退货地址。
  frequency: 120
- id: return-gift
  question: 退货时赠品也要一起退回吗？
  answer: |
    要一起退回。
  frequency: 40
  related: [how-to-return]
  updated: 2026-01-10
"""

REFUNDS = """\
- id: refund-time
  question: 退款多久能到账？
  answer: |
    1-3 个工作日，退回方式见[[refund-method]]。
  frequency: 4000
  updated: 2026-10-01
- id: refund-method
  question: 退款会退到哪里？
  answer: |
    原路退回。
  frequency: 300
  updated: 2026-05-01
"""

ACCOUNT = """\
- id: change-password
  question: 如何修改登录密码？
  answer: |
    「我的」→「设置」→「账户与安全」。
  frequency: 80
  updated: 2026-11-20
- id: edit-profile
  question: 如何修改昵称和头像？
  answer: |
    点头像即可修改。
  frequency: 5
  updated: 2026-05-27
"""

SHOP = {
    "after-sales/_category.yml": "title: 售后服务\n",
    "after-sales/returns/_category.yml": "title: 退货\n",
    "after-sales/returns/returns.yml": RETURNS,
    "after-sales/refunds/_category.yml": "title: 退款\n",
    "after-sales/refunds/refunds.yml": REFUNDS,
    "account/_category.yml": "title: 账户\n",
    "account/account.yml": ACCOUNT,
}


@pytest.fixture
def shop(write_tree, tmp_path, monkeypatch):
    """The small shop above, with the current folder where `faq/` is (as in the repository)."""
    monkeypatch.chdir(tmp_path)
    return write_tree(SHOP)


@pytest.fixture
def faqkb(monkeypatch):
    """`faqkb …` with the stats command, whether or not cli.py lists it yet."""
    if "faqkb.staff.stats" not in cli.COMMAND_MODULES:
        monkeypatch.setattr(cli, "COMMAND_MODULES", cli.COMMAND_MODULES + ("faqkb.staff.stats",))
    return cli.main


def collect(root, max_age_days=180, top=10) -> stats.Stats:
    content, problems = check(root)
    assert not [p for p in problems if p.is_error]
    return collect_stats(content, link(content.entries), TODAY, max_age_days, top=top)


def line_of(text: str, needle: str) -> int:
    return text.splitlines().index(needle) + 1


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def section(out: str, heading_start: str) -> list[str]:
    """The lines of the report's section whose heading starts with `heading_start`, heading excluded."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(heading_start))
    body = []
    for line in lines[start + 1:]:
        if not line.strip():
            break
        body.append(line)
    return body


# -- collect_stats ---------------------------------------------------------------------------------

def test_questions_per_category_in_the_site_order_with_breadcrumbs(shop):
    result = collect(shop)
    assert result.entries == 7
    # No `order`: the most asked first, at every level, parents before their sub-categories.
    assert [(c.breadcrumb, c.level, c.entries, c.entries_with_subcategories) for c in result.categories] == [
        (["售后服务"], 1, 0, 5),
        (["售后服务", "退款"], 2, 2, 2),
        (["售后服务", "退货"], 2, 3, 3),
        (["账户"], 1, 2, 2),
    ]
    assert [c.path for c in result.categories] == [
        "after-sales", "after-sales/refunds", "after-sales/returns", "account"]
    assert result.categories[0].frequency == 3000 + 120 + 40 + 4000 + 300


def test_questions_per_level_count_category_folders_plus_one(shop):
    assert collect(shop).levels == {2: 2, 3: 5}


def test_answers_older_than_max_age_are_stale_oldest_first_pointing_at_updated(shop):
    result = collect(shop)
    assert [(e.id, e.updated, e.age_days) for e in result.stale] == [
        ("return-gift", "2026-01-10", 317),
        ("refund-method", "2026-05-01", 206),
    ]  # edit-profile is exactly 180 days old: not *longer* than the limit
    text = (shop / "after-sales/returns/returns.yml").read_text(encoding="utf-8")
    assert result.stale[0].file == "faq/after-sales/returns/returns.yml"
    assert result.stale[0].line == line_of(text, "  updated: 2026-01-10")


def test_max_age_decides_what_is_stale(shop):
    assert [e.id for e in collect(shop, max_age_days=300).stale] == ["return-gift"]
    assert collect(shop, max_age_days=400).stale == []
    assert [e.id for e in collect(shop, max_age_days=179).stale] == ["return-gift", "refund-method", "edit-profile"]


def test_answers_without_updated_are_listed_apart_from_stale_ones(shop):
    result = collect(shop, max_age_days=0)
    assert [e.id for e in result.undated] == ["return-address"]
    assert "return-address" not in [e.id for e in result.stale]
    undated = result.undated[0]
    assert undated.updated is None and undated.age_days is None
    text = (shop / "after-sales/returns/returns.yml").read_text(encoding="utf-8")
    assert undated.line == line_of(text, "- id: return-address")


def test_questions_with_no_link_in_or_out_are_orphans_most_asked_first(shop):
    # refund-method is only linked to from an answer's [[...]], return-gift only links out:
    # neither is an orphan.
    assert [e.id for e in collect(shop).orphans] == ["return-address", "change-password", "edit-profile"]


def test_most_and_least_asked(shop):
    result = collect(shop, top=3)
    assert [e.id for e in result.most_asked] == ["refund-time", "how-to-return", "refund-method"]
    assert [e.id for e in result.least_asked] == ["edit-profile", "return-gift", "change-password"]
    assert result.most_asked[0].breadcrumb == ["售后服务", "退款"]


def test_a_date_and_time_counts_as_its_day(write_tree, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    root = write_tree({**SHOP, "account/account.yml": ACCOUNT.replace("2026-05-27", "2026-05-26 23:30:00")})
    assert [(e.id, e.age_days) for e in collect(root).stale][-1] == ("edit-profile", 181)


# -- the command -----------------------------------------------------------------------------------

def test_text_report_for_content_staff(shop, faqkb, capsys):
    assert faqkb(["stats", "--today", "2026-11-23"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("FAQ 统计：faq（统计日期 2026-11-23）\n共 7 个问题，4 个分类。\n")

    categories = section(out, "各分类的问题数")
    assert [line.split()[0] for line in categories] == ["分类", "售后服务", "售后服务", "售后服务", "账户"]
    assert "售后服务 › 退货" in categories[3]
    # The last column is a number, right-aligned: every row ends at the same display column.
    assert len({width(line) for line in categories}) == 1

    assert section(out, "各层级的问题数")[1:] == ["  第 2 层       2", "  第 3 层       5"]

    stale = section(out, "超过 180 天没有更新的答案")
    assert out.count("超过 180 天没有更新的答案：2 个") == 1
    returns = (shop / "after-sales/returns/returns.yml").read_text(encoding="utf-8")
    gift_line = line_of(returns, "  updated: 2026-01-10")
    assert re.match(rf"  faq/after-sales/returns/returns\.yml:{gift_line} +return-gift +2026-01-10 +317 +"
                    "退货时赠品也要一起退回吗？$", stale[1])
    assert stale[-1].startswith("  怎么改：")

    undated = section(out, "未填写更新日期")
    assert out.count("未填写更新日期（updated）的答案：1 个") == 1
    assert re.match(r"  faq/after-sales/returns/returns\.yml:\d+ +return-address +120 +退货要寄到哪里？$", undated[1])

    orphans = section(out, "没有任何链接的问题")
    assert [line.split()[1] for line in orphans[1:-1]] == ["return-address", "change-password", "edit-profile"]

    most = section(out, "被问最多的 7 个问题")
    assert re.match(r" +1 +4000 +refund-time +退款多久能到账？ +售后服务 › 退款$", most[1])
    least = section(out, "被问最少的 7 个问题")
    assert re.match(r" +1 +5 +edit-profile +如何修改昵称和头像？ +账户$", least[1])


def test_top_limits_most_and_least_asked(shop, faqkb, capsys):
    assert faqkb(["stats", "faq", "-n", "2", "--today", "2026-11-23"]) == 0
    out = capsys.readouterr().out
    assert len(section(out, "被问最多的 2 个问题")) == 3
    assert len(section(out, "被问最少的 2 个问题")) == 3


def test_nothing_stale_says_so(shop, faqkb, capsys):
    assert faqkb(["stats", "--max-age", "365", "--today", "2026-11-23"]) == 0
    assert "超过 365 天没有更新的答案：没有\n" in capsys.readouterr().out


def test_json_output(shop, faqkb, capsys):
    assert faqkb(["stats", "--format", "json", "--today", "2026-11-23", "--max-age", "250", "--top", "1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"today", "max_age_days", "entries", "categories", "levels", "stale", "undated", "orphans",
                         "most_asked", "least_asked"}
    assert (data["today"], data["max_age_days"], data["entries"]) == ("2026-11-23", 250, 7)
    assert data["levels"] == [{"level": 2, "entries": 2}, {"level": 3, "entries": 5}]
    assert data["categories"][2] == {"path": "after-sales/returns", "breadcrumb": ["售后服务", "退货"], "level": 2,
                                     "folder": "faq/after-sales/returns", "entries": 3,
                                     "entries_with_subcategories": 3, "frequency": 3160}
    returns = (shop / "after-sales/returns/returns.yml").read_text(encoding="utf-8")
    assert data["stale"] == [{"id": "return-gift", "question": "退货时赠品也要一起退回吗？",
                              "breadcrumb": ["售后服务", "退货"], "level": 3, "frequency": 40,
                              "file": "faq/after-sales/returns/returns.yml",
                              "line": line_of(returns, "  updated: 2026-01-10"),
                              "updated": "2026-01-10", "age_days": 317}]
    assert [e["id"] for e in data["undated"]] == ["return-address"]
    assert [e["id"] for e in data["orphans"]] == ["return-address", "change-password", "edit-profile"]
    assert [e["id"] for e in data["most_asked"]] == ["refund-time"]
    assert [e["id"] for e in data["least_asked"]] == ["edit-profile"]


def test_bad_content_gives_the_validators_errors_and_exit_1(write_tree, tmp_path, monkeypatch, faqkb, capsys):
    monkeypatch.chdir(tmp_path)
    write_tree({**SHOP, "after-sales/returns/returns.yml": RETURNS.replace("[refund-time]", "[refund-tme]")})
    assert faqkb(["stats", "--today", "2026-11-23"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    returns = (tmp_path / "faq/after-sales/returns/returns.yml").read_text(encoding="utf-8")
    line = line_of(returns, "  related: [refund-tme]")
    assert f"faq/after-sales/returns/returns.yml:{line}:" in captured.err
    assert "错误 FAQ401 [related] related 里的“refund-tme”不存在。" in captured.err
    assert "怎么改：是不是想写 “refund-time”" in captured.err
    assert captured.err.rstrip().endswith("内容有错误，请先修正（make validate 会列出全部问题）。")
    assert "Traceback" not in captured.err


def test_missing_content_folder_is_reported_in_chinese(tmp_path, monkeypatch, faqkb, capsys):
    monkeypatch.chdir(tmp_path)
    assert faqkb(["stats", "no-such-folder"]) == 1
    assert "错误 FAQ207 找不到内容目录 no-such-folder。" in capsys.readouterr().err


@pytest.mark.parametrize("option, value, message", [
    ("--today", "2026-13-01", "“2026-13-01”不是有效日期，请写成 年-月-日"),
    ("--max-age", "-5", "“-5”不是大于等于 0 的整数"),
    ("--top", "十", "“十”不是大于等于 0 的整数"),
])
def test_bad_options_are_explained(shop, faqkb, capsys, option, value, message):
    with pytest.raises(SystemExit) as stop:
        faqkb(["stats", f"{option}={value}"])
    assert stop.value.code == 2
    assert message in capsys.readouterr().err


def test_register_adds_the_command_to_any_parser(shop, capsys):
    parser = argparse.ArgumentParser(prog="faqkb")
    stats.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["stats", "faq", "--today", "2026-11-23"])
    assert (args.max_age, args.top, args.format, args.today) == (180, 10, "text", TODAY)
    assert args.run(args) == 0
    assert "共 7 个问题" in capsys.readouterr().out


def test_sample_content_adds_up(tmp_path, monkeypatch, faqkb, capsys):
    shutil.copytree(ROOT / "faq", tmp_path / "faq")
    monkeypatch.chdir(tmp_path)
    assert faqkb(["stats", "--format", "json", "--today", "2026-11-23"]) == 0
    data = json.loads(capsys.readouterr().out)
    written = sum(len(re.findall(r"^- id: ", path.read_text(encoding="utf-8"), re.M))
                  for path in (tmp_path / "faq").rglob("*.yml"))
    assert data["entries"] == written
    assert sum(c["entries"] for c in data["categories"]) == written
    assert sum(c["entries_with_subcategories"] for c in data["categories"] if c["level"] == 1) == written
    assert sum(level["entries"] for level in data["levels"]) == written
    assert len(data["most_asked"]) == len(data["least_asked"]) == 10
    frequencies = [e["frequency"] for e in data["most_asked"]]
    assert frequencies == sorted(frequencies, reverse=True)
    assert frequencies[-1] >= max(e["frequency"] for e in data["least_asked"])
    for entry in data["stale"] + data["undated"] + data["orphans"]:
        lines = (tmp_path / entry["file"]).read_text(encoding="utf-8").splitlines()
        assert entry["id"] in lines[entry["line"] - 1] or lines[entry["line"] - 1].startswith("  updated:")
    assert faqkb(["stats", "--today", "2026-11-23"]) == 0
    assert "Traceback" not in capsys.readouterr().err
