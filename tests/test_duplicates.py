"""`faqkb duplicates`: entries that probably ask the same question, on the sample content, on planted
duplicates, and on a pull request in a real git repository (`--since` with GitHub annotations)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from gitrepo import git, repository_on_branch, write

import faqkb.staff.cli
from faqkb.staff.duplicates import THRESHOLD, find_duplicates
from faqkb.content.load import load_content

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def duplicates_command(monkeypatch):
    if "faqkb.staff.duplicates" not in faqkb.staff.cli.COMMAND_MODULES:
        monkeypatch.setattr(faqkb.staff.cli, "COMMAND_MODULES", faqkb.staff.cli.COMMAND_MODULES + ("faqkb.staff.duplicates",))


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = faqkb.staff.cli.main(["duplicates", *args])
    out, err = capsys.readouterr()
    return status, out, err


def entry_yaml(entry_id: str, question: str, answer: str = "请看订单详情页。", frequency: int = 0) -> str:
    return f"- id: {entry_id}\n  question: {question}\n  answer: {answer}\n  frequency: {frequency}\n"


# -- the sample content ---------------------------------------------------------------------------


def test_sample_content_has_no_probable_duplicates():
    content, problems = load_content(ROOT / "faq")
    assert problems == []
    assert find_duplicates(content) == []


def sample_with(tmp_path: Path, question: str, answer: str = "请看订单详情页。"):
    """The sample content plus one new entry (id `planted`) in faq/ordering/planted.yml."""
    root = tmp_path / "faq"
    shutil.copytree(ROOT / "faq", root)
    (root / "ordering" / "planted.yml").write_text(entry_yaml("planted", question, answer), encoding="utf-8")
    content, problems = load_content(root, display_base=tmp_path)
    assert problems == []
    return content


# A new entry that asks an existing question again, in the ways staff actually write one.
PLANTED = [
    ("退款多久能到帳？", "refund-time"),                 # Traditional characters
    ("退宽多久能到账？", "refund-time"),                 # homophone typo
    ("退钱要几天？", "refund-time"),                     # synonym of an alias (退钱 = 退款)
    ("忘记密码了怎么办呀？", "forgot-password"),          # filler and particles
    ("怎样注销账号？", "close-account"),                 # synonyms (账号 = 账户) and 怎样 = 如何
    ("七天无理由退货的规则是什么？", "seven-day-return"),   # 七天 = 7 天
    ("可以貨到付款嗎？", "cash-on-delivery"),
    ("积分会不会过期？", "points-expiry"),
    ("发票怎么开？", "invoice-apply"),                   # an alias of the existing entry
    ("能不能指定快递公司？", "courier-companies"),         # the second sentence of a two-part question
    ("App 老是闪退怎么办？", "app-crash"),
    ("买完降价了能退差价吗？", "price-protection"),
]


@pytest.mark.parametrize("question, existing", PLANTED, ids=[q for q, _ in PLANTED])
def test_planted_duplicate_is_paired_with_the_entry_it_repeats(tmp_path, question, existing):
    content = sample_with(tmp_path, question)
    pairs = find_duplicates(content, new_ids={"planted"})
    assert pairs, f"“{question}” was not flagged"
    best = pairs[0]
    assert (best.merge.id, best.keep.id) == ("planted", existing)
    assert best.score >= THRESHOLD


# New questions about something the sample does not answer yet, some close in wording to one it does.
DISTINCT = [
    "可以开具电子合同吗？",        # 开具 as in 如何申请开具发票
    "怎么修改绑定的邮箱？",        # 修改 as in 如何修改登录密码
    "门店自提怎么预约？",          # 预约 as in 退货可以预约快递上门取件吗
    "发票可以寄到公司吗？",        # 发票 and 公司 as in the invoice-title aliases
    "会员生日有什么福利？",        # 会员生日 as in 会员生日礼包怎么领
    "二手商品有保修吗？",          # 商品 and 保修 as in 商品保修多久
    "积分可以转赠给好友吗？",
    "购物车的商品会保留多久？",
]


@pytest.mark.parametrize("question", DISTINCT)
def test_new_question_that_is_not_asked_yet_is_not_flagged(tmp_path, question):
    content = sample_with(tmp_path, question)
    assert find_duplicates(content, new_ids={"planted"}) == []


def test_planted_paraphrase_is_reported_on_the_command_line_with_both_places(tmp_path, monkeypatch, capsys):
    sample_with(tmp_path, "退款多久能到帳？", "一般 1-3 个工作日原路退回。")
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, "faq")
    assert status == 0
    assert out == (
        "faq/ordering/planted.yml:1:7: 可能重复 “退款多久能到帳？”（planted）和 faq/after-sales/refunds/refunds.yml:1 "
        "的“退款多久能到账？”（refund-time）很可能是同一个问题（相似度 1.00）。\n"
        "    怎么改：请合并成一个条目：把“退款多久能到帳？”写进 refund-time 的 aliases，"
        "把 planted 的答案里 refund-time 没有的内容补进 refund-time 的答案，然后删除 planted，"
        "并把指向 planted 的 related 和 [[planted]] 改成 refund-time。如果确实是两个不同的问题，可以忽略这条提示。\n")
    assert err == "检查了所有问题：发现 1 对可能重复的问题。\n"
    assert run(capsys, "faq", "--fail")[0] == 1


# -- small trees ----------------------------------------------------------------------------------

BASE = {
    "faq/after-sales/_category.yml": "title: 售后服务\n",
    "faq/after-sales/refunds.yml": (
        entry_yaml("refund-time", "退款多久能到账？", "审核通过后 1-3 个工作日原路退回。", 300)
        + "  aliases: [钱什么时候退回来, 退款要几天]\n"
        + entry_yaml("refund-method", "退款会退到哪里？", "原路退回到付款的账户。", 120)
    ),
    "faq/payment/_category.yml": "title: 支付\n",
    "faq/payment/pay.yml": (
        entry_yaml("pay-methods", "支持哪些付款方式？", "微信支付、支付宝和银行卡。", 90)
        + entry_yaml("cash-on-delivery", "支持货到付款吗？", "部分地区支持。", 40)
        + entry_yaml("pay-cod", "支持貨到付款嗎？", "支持。", 10)  # a duplicate already on main
    ),
}


def test_pairs_are_reported_once_most_similar_first_and_the_less_asked_entry_is_merged(tmp_path):
    files = dict(BASE)
    files["faq/payment/pay.yml"] += entry_yaml("pay-which", "都支持哪些付款方式？", "见支付页面。", 95)
    write(tmp_path, files)
    content, problems = load_content(tmp_path / "faq", display_base=tmp_path)
    assert problems == []
    pairs = find_duplicates(content)
    assert [(p.merge.id, p.keep.id) for p in pairs] == [("pay-cod", "cash-on-delivery"), ("pay-methods", "pay-which")]
    assert pairs[0].score == 1 > pairs[1].score >= THRESHOLD
    assert [(p.merge.id, p.keep.id) for p in find_duplicates(content, new_ids={"pay-which"})] == [
        ("pay-which", "pay-methods")]  # the new entry is the one to merge, though it is asked more often
    assert find_duplicates(content, new_ids={"refund-method"}) == []


def test_json_names_both_entries_with_file_line_and_the_wordings_that_matched(tmp_path, monkeypatch, capsys):
    write(tmp_path, BASE)
    monkeypatch.chdir(tmp_path)
    status, out, _ = run(capsys, "--format", "json")
    [pair] = json.loads(out)
    assert status == 0
    assert pair["merge"] == {"id": "pay-cod", "question": "支持貨到付款嗎？", "file": "faq/payment/pay.yml",
                             "line": 9, "column": 7, "wording": "支持貨到付款嗎？"}
    assert (pair["keep"]["id"], pair["keep"]["line"], pair["score"]) == ("cash-on-delivery", 5, 1)
    assert "写进 cash-on-delivery 的 aliases" in pair["hint"]


def test_content_errors_are_the_validators_messages_and_exit_1(tmp_path, monkeypatch, capsys):
    write(tmp_path, {**BASE, "faq/payment/pay.yml": BASE["faq/payment/pay.yml"] + "- id: Bad Id\n  question: 问\n"})
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys)
    assert (status, out) == (1, "")
    assert "FAQ105" in err and "FAQ101" in err and err.rstrip().endswith("内容有错误，请先修正（make validate 会列出全部问题）。")
    assert "Traceback" not in err


def test_threshold_outside_0_to_1_is_refused_in_chinese(capsys):
    with pytest.raises(SystemExit) as exit_info:
        faqkb.staff.cli.main(["duplicates", "--threshold", "75"])
    assert exit_info.value.code == 2
    assert "不是 0 到 1 之间的数" in capsys.readouterr().err


# -- a pull request in a real git repository ------------------------------------------------------

NEW_ENTRY = entry_yaml("pay-refund-time", "退款多久能到帳？", "审核后原路退回。", 5)
WARNING = (
    "::warning file=faq/payment/pay.yml,line=13,col=7,title=可能重复的问题::“退款多久能到帳？”（pay-refund-time）和 "
    "faq/after-sales/refunds.yml:1 的“退款多久能到账？”（refund-time）很可能是同一个问题（相似度 1.00）。 "
    "怎么改：请合并成一个条目：把“退款多久能到帳？”写进 refund-time 的 aliases，"
    "把 pay-refund-time 的答案里 refund-time 没有的内容补进 refund-time 的答案，然后删除 pay-refund-time，"
    "并把指向 pay-refund-time 的 related 和 [[pay-refund-time]] 改成 refund-time。"
    "如果确实是两个不同的问题，可以忽略这条提示。"
)


@pytest.fixture
def pull_request(tmp_path, monkeypatch) -> Path:
    """A repository whose main branch holds a duplicate already, and a branch that adds a new one and a new question."""
    repo = repository_on_branch(tmp_path / "shop-help", BASE, "add-questions")
    write(repo, {"faq/payment/pay.yml": BASE["faq/payment/pay.yml"] + NEW_ENTRY
                 + entry_yaml("pay-invoice", "付款后可以开发票吗？", "可以。")})
    git(repo, "commit", "-q", "-am", "Add two questions")
    monkeypatch.chdir(repo)
    return repo


def test_new_duplicate_in_a_pull_request_is_this_warning_on_its_id_line(pull_request, capsys):
    status, out, err = run(capsys, "--since", "HEAD~1", "--format", "github", "faq")
    assert (status, err) == (0, "")
    assert out.splitlines() == [WARNING]  # pay-cod, a duplicate already on main, is not reported
    line = (pull_request / "faq/payment/pay.yml").read_text(encoding="utf-8").splitlines()[12]
    assert line[6:] == "pay-refund-time"  # line 13, column 7: the new entry's id
    assert "+" + line in git(pull_request, "diff", "main...HEAD")


def test_since_a_branch_name_and_without_since(pull_request, capsys):
    assert run(capsys, "--since", "main", "--format", "github")[1].splitlines() == [WARNING]
    status, out, err = run(capsys)
    assert status == 0
    assert [line.split(" 可能重复 ")[0] for line in out.splitlines() if " 可能重复 " in line] == [
        "faq/payment/pay.yml:9:7:", "faq/payment/pay.yml:13:7:"]
    assert err == "检查了所有问题：发现 2 对可能重复的问题。\n"


def test_since_nothing_new_reports_nothing(pull_request, capsys):
    assert run(capsys, "--since", "HEAD", "--fail") == (0, "", "检查了 HEAD 之后新增的 0 个问题：没有发现可能重复的问题。\n")


def test_content_folder_missing_in_that_revision_makes_every_entry_new(pull_request, capsys):
    shutil.copytree(pull_request / "faq", pull_request / "help")
    git(pull_request, "add", "-A")
    git(pull_request, "commit", "-q", "-m", "Copy")
    status, out, _ = run(capsys, "help", "--since", "HEAD~1", "--format", "json")
    assert status == 0
    assert sorted((p["merge"]["id"], p["keep"]["id"]) for p in json.loads(out)) == [
        ("pay-cod", "cash-on-delivery"), ("pay-refund-time", "refund-time")]


def test_unknown_revision_is_explained_in_chinese(pull_request, capsys):
    status, out, err = run(capsys, "--since", "origin/main")
    assert (status, out) == (1, "")
    assert err.startswith("git 里找不到版本“origin/main”") and "fetch-depth: 0" in err


def test_since_outside_a_git_repository_is_explained(tmp_path, monkeypatch, capsys):
    write(tmp_path, BASE)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    status, _, err = run(capsys, "--since", "HEAD")
    assert status == 1
    assert err == "faq 不在 git 仓库里，无法和别的版本比较。\n"
