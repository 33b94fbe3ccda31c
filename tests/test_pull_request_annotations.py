"""What a content editor sees on a pull request: `faqkb validate --format github faq`, run at the
root of a real git repository as the pull-request workflow runs it.

GitHub places an annotation on the diff only when its file is the repository-relative path of a
changed file and its line is in that file, so besides the exact lines printed this checks that each
annotation lands on a line the pull request added, at the text it is about.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import git, repository_on_branch, write

FAQKB = Path(sys.executable).parent / "faqkb"

BASE = {
    "faq/after-sales/_category.yml": "title: 售后服务\n",
    "faq/after-sales/refunds.yml": """\
- id: refund-time
  question: 退款多久到账？
  answer: 审核通过后 1-3 个工作日原路退回。
  frequency: 300
  related: [return-how]
- id: refund-partial
  question: 可以只退一部分吗？
  answer: 可以，在订单详情里选择要退的商品。
  frequency: 40
""",
    "faq/after-sales/returns.yml": """\
- id: return-how
  question: 怎么申请退货？
  answer: 在「我的订单」里点击「申请售后」，详见[[refund-time]]。
  frequency: 500
""",
    "faq/payment/_category.yml": "title: 支付\n",
    "faq/payment/pay.yml": """\
- id: pay-methods
  question: 支持哪些付款方式？
  answer: 微信支付、支付宝和银行卡。
  frequency: 90
""",
}

# The pull request: four everyday mistakes in three files.
CHANGES = {
    # related typo (return-hw) and a new count that breaks the most-asked-first order
    "faq/after-sales/refunds.yml": """\
- id: refund-time
  question: 退款多久到账？
  answer: 审核通过后 1-3 个工作日原路退回。
  frequency: 300
  related: [return-how, return-hw]
- id: refund-partial
  question: 可以只退一部分吗？
  answer: 可以，在订单详情里选择要退的商品。
  frequency: 420
""",
    # a field name typo (qeustion) in a new entry
    "faq/after-sales/returns.yml": """\
- id: return-how
  question: 怎么申请退货？
  answer: 在「我的订单」里点击「申请售后」，详见[[refund-time]]。
  frequency: 500
- id: return-label
  qeustion: 退货面单怎么打印？
  answer: 在售后详情页点击「打印面单」。
  frequency: 12
""",
    # a new entry that reuses an id from another file
    "faq/payment/pay.yml": """\
- id: pay-methods
  question: 支持哪些付款方式？
  answer: 微信支付、支付宝和银行卡。
  frequency: 90
- id: refund-time
  question: 付款后多久能退款？
  answer: 审核通过后原路退回。
  frequency: 8
""",
}

EXPECTED = [
    "::error file=faq/after-sales/refunds.yml,line=5,col=25,title=FAQ401 related 指向不存在的 id"
    "::related 里的“return-hw”不存在。 怎么改：是不是想写 “return-how” 或 “return-label” 或 “refund-time”？",
    "::error file=faq/after-sales/refunds.yml,line=9,col=14,title=FAQ301 条目没有按 frequency 从高到低排列"
    "::“refund-partial”（被问 420 次）的位置不对：同一个文件里的条目要按被问次数从高到低排列。"
    " 怎么改：请把这个条目移到“refund-time”（300，第 1 行）的前面。也可以在自己电脑上运行 make fmt 自动排序。",
    "::error file=faq/after-sales/returns.yml,line=5,col=3,title=FAQ101 缺少必填字段"
    "::条目“return-label”缺少必填字段 question（问题）。 怎么改：请在这个条目里加上“question: ...”。",
    "::error file=faq/after-sales/returns.yml,line=6,col=3,title=FAQ103 未知字段"
    "::未知字段“qeustion”。 怎么改：是不是想写 “question”？",
    "::error file=faq/payment/pay.yml,line=5,col=7,title=FAQ106 id 重复"
    "::id“refund-time”重复：faq/after-sales/refunds.yml:1 已经用过这个 id。"
    " 怎么改：每个问题的 id 必须全站唯一：如果是同一个问题，请合并，把另一种问法写进 aliases；否则换一个 id。",
]

# What each annotation's line and column must point at in the changed file.
POINTS_AT = {
    "FAQ401": "return-hw]",
    "FAQ301": "420",
    "FAQ101": "id: return-label",
    "FAQ103": "qeustion:",
    "FAQ106": "refund-time",
}

ANNOTATION = re.compile(r"^::(?P<kind>error|warning) file=(?P<file>[^,]+),line=(?P<line>\d+),col=(?P<col>\d+),"
                        r"title=(?P<code>FAQ\d{3}) [^:]*::.+$")


def validate(repo: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(FAQKB), "validate", "--format", "github", "faq"], cwd=repo,
                          capture_output=True, text=True, encoding="utf-8")


def added_lines(repo: Path, base: str) -> dict[str, set[int]]:
    """Line numbers, in the new version of each file, that the branch added or changed."""
    added: dict[str, set[int]] = {}
    current = None
    for line in git(repo, "diff", "-U0", f"{base}...HEAD").splitlines():
        if line.startswith("+++ "):
            current = line[6:] if line.startswith("+++ b/") else None
        elif line.startswith("@@") and current:
            start, _, count = re.search(r"\+(\d+)(,(\d+))?", line).groups()
            count = 1 if count is None else int(count)
            added.setdefault(current, set()).update(range(int(start), int(start) + count))
    return added


@pytest.fixture
def pull_request(tmp_path) -> Path:
    """A repository whose main branch holds valid content, checked out on a branch with mistakes."""
    repo = repository_on_branch(tmp_path / "shop-help", BASE, "edit-after-sales")
    write(repo, CHANGES)
    git(repo, "commit", "-q", "-am", "Edit after-sales questions")
    return repo


def test_main_branch_content_is_valid(pull_request):
    git(pull_request, "checkout", "-q", "main")
    result = validate(pull_request)
    assert (result.returncode, result.stdout) == (0, "")


def test_pull_request_mistakes_become_these_annotations(pull_request):
    result = validate(pull_request)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == EXPECTED


def test_each_annotation_lands_on_a_changed_line_at_the_mistake(pull_request):
    added = added_lines(pull_request, "main")
    for annotation in validate(pull_request).stdout.splitlines():
        match = ANNOTATION.match(annotation)
        assert match, annotation
        file, line, col = match["file"], int(match["line"]), int(match["col"])
        assert file in added, f"{file} is not part of the pull request"
        assert line in added[file], f"{match['code']} is on {file}:{line}, a line the pull request did not change"
        text = (pull_request / file).read_text(encoding="utf-8").splitlines()[line - 1]
        assert text[col - 1:].startswith(POINTS_AT[match["code"]]), (annotation, text)
