"""`faqkb diff main` on a branch, as a reviewer reads it: every kind of change, each listed right."""

from __future__ import annotations

import json

import pytest
from gitrepo import git, repository_on_branch, write

from faqkb.staff.cli import main

MAIN = {
    "faq/after-sales/_category.yml": "title: 售后服务\n",
    "faq/after-sales/refunds.yml": """\
- id: refund-time
  question: 退款多久能到账？
  answer: 审核通过后 1-3 个工作日原路退回。
  frequency: 300
- id: refund-partial
  question: 可以只退一部分吗？
  answer: 可以，在订单详情里选择要退的商品。
  frequency: 120
- id: refund-card
  question: 退到银行卡要几天？
  answer: 3-7 个工作日。
  frequency: 40
""",
    "faq/after-sales/returns.yml": """\
- id: return-how
  question: 怎么申请退货？
  answer: 在「我的订单」里点击「申请售后」，详见[[refund-time]]。
  frequency: 500
- id: return-label
  question: 退货面单怎么打印？
  answer: 在售后详情页点击「打印面单」。
  frequency: 12
""",
    "faq/payment/_category.yml": "title: 支付\n",
    "faq/payment/pay.yml": """\
- id: pay-methods
  question: 支持哪些付款方式？
  answer: 微信支付、支付宝和银行卡。
  frequency: 90
""",
}

# The branch: refund-time renamed refund-arrival (previous_ids, link updated) with a new answer;
# refund-card moved to payment and now asked most; return-label removed for good; a new question and
# a new category; a draft.
BRANCH = {
    "faq/after-sales/refunds.yml": """\
- id: refund-arrival
  previous_ids: [refund-time]
  question: 退款多久能到账？
  answer: 审核通过后 1-5 个工作日原路退回，节假日顺延。
  frequency: 300
- id: refund-partial
  question: 可以只退一部分吗？
  answer: 可以，在订单详情里选择要退的商品。
  frequency: 120
- id: refund-draft
  draft: true
  question: 退款进度在哪里看？
  answer: 在退换/售后里查看。
  frequency: 0
""",
    "faq/after-sales/returns.yml": """\
- id: return-how
  question: 怎么申请退货？
  answer: 在「我的订单」里点击「申请售后」，详见[[refund-arrival]]。
  frequency: 500
""",
    "faq/payment/pay.yml": """\
- id: refund-card
  question: 退到银行卡要几天？
  answer: 3-7 个工作日。
  frequency: 400
- id: pay-methods
  question: 支持哪些付款方式？
  answer: 微信支付、支付宝和银行卡。
  frequency: 90
- id: pay-installments
  question: 可以分期付款吗？
  answer: 订单满 600 元可以用花呗或信用卡分期。
  frequency: 30
""",
    "faq/account/_category.yml": "title: 账户\n",
    "faq/account/login.yml": """\
- id: login-sms
  question: 收不到登录验证码怎么办？
  answer: 请检查短信拦截，或 60 秒后重新获取。
  frequency: 80
""",
}


@pytest.fixture
def branch(tmp_path, monkeypatch):
    repo = repository_on_branch(tmp_path / "shop", MAIN, "edit")
    write(repo, BRANCH)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "A reviewer's afternoon")
    monkeypatch.chdir(repo)
    return repo


def diff(capsys, *args) -> tuple[int, str]:
    status = main(["diff", "main", *args])
    return status, capsys.readouterr().out


def test_every_kind_of_change_is_listed_once_and_right(branch, capsys):
    status, out = diff(capsys, "--format", "json")
    assert status == 0
    changes = json.loads(out)
    ids = lambda key, side="after": [c[side]["id"] for c in changes[key]]  # noqa: E731
    assert ids("added") == ["login-sms", "pay-installments"]
    assert ids("removed", "before") == ["return-label"]
    assert [(c["before"]["id"], c["after"]["id"]) for c in changes["renamed"]] == [("refund-time", "refund-arrival")]
    assert [(c["after"]["id"], c["detail"]) for c in changes["moved"]] == [("refund-card", "售后服务 → 支付")]
    assert [c["after"]["id"] for c in changes["answers"]] == ["refund-arrival", "return-how"]
    refund = changes["answers"][0]
    assert "1-3" in refund["excerpt_before"] and "1-5" in refund["excerpt_after"]
    assert ids("drafts") == ["refund-draft"]
    assert changes["categories_added"] == ["account（账户）"] and changes["categories_removed"] == []
    assert changes["reordered"] == []  # refund-card's new count came with its move: payment's order is new
    assert [r["id"] for r in changes["hot_after"]][:2] == ["return-how", "refund-card"]
    assert [r["id"] for r in changes["hot_before"]][:2] == ["return-how", "refund-time"]
    assert changes["hot_changed"]
    assert changes["pages"] == ["q/login-sms/", "q/pay-installments/", "q/refund-arrival/", "q/refund-card/",
                                "q/return-how/", "q/return-label/", "q/refund-time/", "account/", "payment/",
                                "after-sales/", "./"]


def test_new_counts_that_reorder_a_category_are_listed(tmp_path, monkeypatch, capsys):
    repo = repository_on_branch(tmp_path / "shop", MAIN, "counts")
    refunds = (repo / "faq/after-sales/refunds.yml")
    text = refunds.read_text(encoding="utf-8").replace("frequency: 40", "frequency: 900")
    lines = text.split("- id: ")
    refunds.write_text("- id: " + lines[3] + "- id: " + lines[1] + "- id: " + lines[2], encoding="utf-8")
    git(repo, "commit", "-q", "-am", "Counts")
    monkeypatch.chdir(repo)
    status, out = diff(capsys, "--format", "json")
    [reorder] = json.loads(out)["reordered"]
    assert reorder["path"] == "after-sales/"
    assert reorder["moves"][0] == "退到银行卡要几天？：第 4 → 第 1"  # the category page lists all 4


def test_the_comment_links_each_question_to_its_preview_page(branch, capsys):
    status, out = diff(capsys, "--format", "markdown", "--preview-url", "https://preview.example.com/pr-7")
    assert out.startswith("<!-- faqkb-diff -->\n")
    assert "[可以分期付款吗？](https://preview.example.com/pr-7/q/pay-installments/)" in out
    assert "`refund-time` → `refund-arrival`" in out
    assert "~~退货面单怎么打印？~~（return-label）" in out and "旧网址会变成“找不到页面”" in out
    assert "退款进度在哪里看？（refund-draft）" in out and "preview.example.com/pr-7/q/refund-draft" not in out
    assert "- `q/return-label/`" in out


def test_a_removed_question_without_a_successor_gets_a_warning_annotation(branch, capsys):
    status, out = diff(capsys, "--format", "github")
    [line] = out.splitlines()
    assert line.startswith("::warning file=faq/after-sales/returns.yml,line=5,title=")
    assert "return-label" in line and "previous_ids" in line


def test_a_new_question_asking_a_removed_one_is_suggested_as_its_successor(tmp_path, monkeypatch, capsys):
    repo = repository_on_branch(tmp_path / "shop", MAIN, "reword")
    refunds = repo / "faq/after-sales/refunds.yml"
    refunds.write_text(refunds.read_text(encoding="utf-8").replace("id: refund-card", "id: refund-to-card")
                       .replace("退到银行卡要几天？", "退款退到银行卡要几天？"), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "New id, no previous_ids")
    monkeypatch.chdir(repo)
    status, out = diff(capsys, "--format", "github")
    assert "如果是改名成了 refund-to-card，请在 refund-to-card 的 previous_ids 里写上 refund-card" in out


def test_no_change_says_so(tmp_path, monkeypatch, capsys):
    repo = repository_on_branch(tmp_path / "shop", MAIN, "nothing")
    monkeypatch.chdir(repo)
    assert diff(capsys) == (0, "和 main 相比，没有改动任何问题、分类或排序。\n")


def test_an_unknown_base_is_explained(branch, capsys):
    assert main(["diff", "no-such-branch"]) == 1
    assert "git 里找不到版本“no-such-branch”" in capsys.readouterr().err
