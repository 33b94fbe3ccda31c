"""Every command checks content against the depth the site allows (mkdocs.yml), as the build does."""

import pytest

from faqkb.staff.cli import main

DEEP = {
    "a/_category.yml": "title: 售后\n",
    "a/b/_category.yml": "title: 退款\n",
    "a/b/c/_category.yml": "title: 退款到账\n",
    "a/b/c/d/_category.yml": "title: 银行卡退款\n",
    "a/b/c/d/bank.yml": "- id: bank-refund\n  question: 退款到银行卡要几天？\n  answer: 一般 3-7 个工作日。\n  frequency: 3\n",
}
FIVE_LEVELS = "site_name: 帮助中心\ndocs_dir: faq\nplugins:\n  - faqkb:\n      max_depth: 5\n"


@pytest.fixture
def deep_shop(write_tree, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_tree(DEEP)
    return tmp_path


NEW_ENTRY = ["new", "--category", "a/b/c/d", "--question", "退款到信用卡要几天？", "--answer", "一般 3-15 个工作日。",
             "--frequency", "0"]


@pytest.mark.parametrize("command", [["search", "退款到银行卡"], ["stats"], ["duplicates"], ["fmt", "--check"],
                                     ["validate"], NEW_ENTRY],
                         ids=lambda command: command[0])
def test_a_site_that_allows_five_levels_is_checked_with_five(deep_shop, capsys, command):
    (deep_shop / "mkdocs.yml").write_text(FIVE_LEVELS, encoding="utf-8")
    assert main(command) == 0
    captured = capsys.readouterr()
    assert "层" not in captured.err, captured.err
    bank = (deep_shop / "faq/a/b/c/d/bank.yml").read_text(encoding="utf-8")
    if command[0] == "search":
        assert "bank-refund" in captured.out
    if command[0] == "new":
        assert "退款到信用卡要几天？" in bank


@pytest.mark.parametrize("command", [["search", "退款到银行卡"], ["stats"], ["validate"]])
def test_without_the_setting_four_levels_is_the_limit(deep_shop, capsys, command):
    assert main(command) == 1
    captured = capsys.readouterr()
    assert "最多 4 层" in captured.out + captured.err


@pytest.mark.parametrize("command, message", [
    (["search", "退款", "-n", "abc"], "“abc”不是大于等于 1 的整数"),
    (["validate", "--max-depth", "0"], "“0”不是大于等于 1 的整数"),
    (NEW_ENTRY + ["--frequency", "²"], "“²”不是大于等于 0 的整数"),
], ids=lambda value: value[0] if isinstance(value, list) else "")
def test_a_bad_number_on_the_command_line_is_refused_in_chinese(deep_shop, capsys, command, message):
    with pytest.raises(SystemExit) as stop:
        main(command)
    assert stop.value.code == 2
    assert message in capsys.readouterr().err
