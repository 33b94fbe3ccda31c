"""Hostile YAML (issue #16, defects 3-7 and 10): each gets a clear Chinese error with file and line,
in bounded output, never a traceback, a hang or a page the build cannot write.

The golden messages of these cases are in the bad-content catalog (fixtures/bad/, checked by
test_validate_catalog.py); here are the bounds and the cases a committed fixture cannot hold
(a symlink to /, a folder name ending in a newline, generated sizes).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faqkb.content.check import check
from faqkb.content.problems import format_problems
from faqkb.content.syntax import MAX_ID_LENGTH
from faqkb.staff.cli import main

TODAY = dt.date(2026, 11, 23)
CATEGORY = {"base/_category.yml": "title: 基础\n"}
ENTRY = "- id: {id}\n  question: {question}\n  answer: {answer}\n  frequency: {frequency}\n"
GOOD = ENTRY.format(id="refund-time", question="退款多久能到账？", answer="审核通过后 1-3 天原路退回。", frequency=5)


def problems_of(root: Path):
    _, problems = check(root, display_base=root.parent, today=TODAY)
    return problems


def bomb(level: int) -> list[str]:
    """Chained anchors: each level a list of nine aliases of the one before (9**level values)."""
    lines = ["&a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for n in range(1, level + 1):
        lines.append(f"&a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]")
    return lines


def bomb_file(field: str, level: int = 8) -> str:
    """A 1 KB entries file: the anchors in the first entry's tags, the bomb as `field` of the second."""
    *anchors, last = bomb(level)
    second = {"id": "second", "question": "问题", "answer": "答案", "frequency": "0"}
    second[field] = last
    return (ENTRY.format(id="first", question="问", answer="答", frequency=1) + "  tags:\n"
            + "".join(f"    - {anchor}\n" for anchor in anchors)
            + "".join(("- " if n == 0 else "  ") + f"{name}: {value}\n" for n, (name, value) in enumerate(second.items())))


# -- 3. anchor bombs -----------------------------------------------------------------------------

@pytest.mark.parametrize("field", ["id", "frequency", "updated", "question", "tags"])
def test_an_anchor_bomb_at_level_8_gives_one_short_error(write_tree, field):
    root = write_tree({**CATEGORY, "base/bomb.yml": bomb_file(field)})
    assert len((root / "base/bomb.yml").read_bytes()) < 1200
    problems = problems_of(root)
    text = format_problems(problems)
    # Named: the first alias whose value alone expands past the budget (9**4 × "lol").
    line = next(n for n, text in enumerate(bomb_file(field).splitlines(), 1) if "&a5 [*a4" in text)
    assert [(p.code, p.file, p.line) for p in problems] == [("FAQ008", "faq/base/bomb.yml", line)]
    assert len(text.encode("utf-8")) < 1000
    assert "*a4" in text


def test_an_anchor_bomb_as_a_mapping_key_gives_one_short_error(write_tree):
    *anchors, last = bomb(8)
    text = "".join(f"- {anchor}\n" for anchor in anchors) + f"- ? {last}\n  : x\n"
    root = write_tree({**CATEGORY, "base/keys.yml": text})
    problems = problems_of(root)
    assert [p.code for p in problems] == ["FAQ008"]
    assert len(format_problems(problems)) < 1000


def test_an_alias_that_refers_to_itself_is_refused(write_tree):
    root = write_tree({**CATEGORY, "base/loop.yml": "- id: &me [*me]\n  question: 问\n  answer: 答\n  frequency: 1\n"})
    problems = problems_of(root)
    assert [(p.code, p.line) for p in problems] == [("FAQ008", 1)]


def test_aliases_of_short_values_and_lists_still_work(write_tree):
    entries = (ENTRY.format(id="a", question="问一", answer="&same 审核通过后原路退回。", frequency=2) + "  tags: &tags [退款, 售后]\n"
               + ENTRY.format(id="b", question="问二", answer="*same", frequency=1) + "  tags: *tags\n")
    root = write_tree({**CATEGORY, "base/alias.yml": entries})
    content, problems = check(root, display_base=root.parent, today=TODAY)
    assert problems == []
    assert [e.tags for e in content.entries] == [["退款", "售后"], ["退款", "售后"]]


def test_no_message_quotes_more_than_80_characters_of_a_value(write_tree):
    long = "退" * 5000
    entries = (f"- id: {'a' * 5000}\n  question: 问\n  answer: 答\n  frequency: [{long}]\n  updated: {long}\n"
               f"  related: [{'b' * 5000}]\n  tags: [{long}, {long}]\n  ? {'x' * 5000}\n  : 1\n")
    root = write_tree({**CATEGORY, "base/long.yml": entries})
    problems = problems_of(root)
    assert {p.code for p in problems} >= {"FAQ105", "FAQ107", "FAQ108", "FAQ401", "FAQ103", "FAQ109"}
    for problem in problems:
        assert len(problem.message) < 200 and len(problem.hint) < 300, problem


# -- 4. symlinks ---------------------------------------------------------------------------------

def test_a_link_to_the_root_of_the_file_system_is_an_error_naming_the_link(write_tree):
    root = write_tree({**CATEGORY, "base/refunds.yml": GOOD})
    (root / "base" / "root").symlink_to("/")
    problems = problems_of(root)
    assert [(p.code, p.file) for p in problems] == [("FAQ208", "faq/base/root")]
    assert "/" in problems[0].message


def test_a_link_back_up_the_tree_is_a_loop_named_once(write_tree):
    root = write_tree({**CATEGORY, "base/refunds.yml": GOOD, "base/sub/_category.yml": "title: 子\n",
                       "base/sub/more.yml": GOOD.replace("refund-time", "refund-more")})
    (root / "base" / "sub" / "loop").symlink_to("..")
    problems = problems_of(root)
    assert [(p.code, p.file) for p in problems] == [("FAQ208", "faq/base/sub/loop")]


def test_links_that_chase_each_other_are_a_loop(write_tree):
    root = write_tree({**CATEGORY, "base/refunds.yml": GOOD, "other/_category.yml": "title: 其他\n"})
    (root / "base" / "to-other").symlink_to("../other")
    (root / "other" / "to-base").symlink_to("../base")
    codes = [(p.code, p.file) for p in problems_of(root)]
    assert ("FAQ208", "faq/other/to-base") in codes or ("FAQ208", "faq/base/to-other") in codes
    assert len(codes) <= 4


def test_a_file_linked_from_outside_the_content_is_an_error(write_tree, tmp_path):
    outside = tmp_path / "elsewhere.yml"
    outside.write_text(GOOD, encoding="utf-8")
    root = write_tree({**CATEGORY, "base/returns.yml": GOOD.replace("refund-time", "return-how")})
    (root / "base" / "refunds.yml").symlink_to(outside)
    problems = problems_of(root)
    assert [(p.code, p.file) for p in problems] == [("FAQ208", "faq/base/refunds.yml")]


def test_a_link_inside_the_tree_is_followed_once(write_tree):
    root = write_tree({**CATEGORY, "base/_refunds-source/refunds.yml": GOOD})
    (root / "base" / "refunds.yml").symlink_to("_refunds-source/refunds.yml")
    content, problems = check(root, display_base=root.parent, today=TODAY)
    assert problems == []
    assert [(e.id, e.file) for e in content.entries] == [("refund-time", "faq/base/refunds.yml")]


# -- 5. ids the file system or the site cannot hold -----------------------------------------------

@pytest.mark.parametrize("value, why", [
    ("a" * (MAX_ID_LENGTH + 1), f"最多 {MAX_ID_LENGTH} 个字符"),
    ("a-" * 200 + "b", f"最多 {MAX_ID_LENGTH} 个字符"),
    ('"evil-id\\n"', "只能用小写英文字母"),
    ("faqkb-slot-id", "网站内部"),
])
def test_an_id_the_site_cannot_hold_is_refused(write_tree, value, why):
    root = write_tree({**CATEGORY, "base/ids.yml": ENTRY.format(id=value, question="问", answer="答", frequency=1)})
    problems = problems_of(root)
    assert [(p.code, p.line) for p in problems] == [("FAQ105", 1)]
    assert why in problems[0].message
    assert len(problems[0].message) < 200


def test_an_id_of_the_longest_length_is_accepted(write_tree):
    root = write_tree({**CATEGORY, "base/ids.yml": ENTRY.format(id="a" * MAX_ID_LENGTH, question="问", answer="答", frequency=1)})
    assert problems_of(root) == []


def test_a_folder_name_ending_in_a_newline_is_refused(write_tree):
    root = write_tree({**CATEGORY, "base/refunds.yml": GOOD})
    (root / "bad\n").mkdir()
    (root / "bad\n" / "_category.yml").write_text("title: 坏\n", encoding="utf-8")
    (root / "bad\n" / "x.yml").write_text(GOOD.replace("refund-time", "other"), encoding="utf-8")
    problems = problems_of(root)
    assert [p.code for p in problems] == ["FAQ205"]
    assert "\n" not in problems[0].message


# -- 6. nesting ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "  tags: " + "[" * 300 + "]" * 300 + "\n",
    "  tags: " + "[" * 5000 + "]" * 5000 + "\n",
    "  tags: " + "[" * 5000 + "\n",  # never closed: a syntax error, read again by the slower parser
    "  tags:\n" + "".join("    " + "  " * n + "- \n" for n in range(400)) + "    " + "  " * 400 + "- x\n",
], ids=["flow-300", "flow-5000", "unclosed-5000", "block-400"])
def test_deep_nesting_is_an_error_not_a_crash(write_tree, text):
    root = write_tree({**CATEGORY, "base/deep.yml": GOOD + text})
    problems = problems_of(root)
    assert [(p.code, p.file) for p in problems] == [("FAQ009", "faq/base/deep.yml")]
    assert problems[0].line >= 5


def test_validate_reports_deep_nesting_without_a_traceback(write_tree, tmp_path, monkeypatch, capsys):
    write_tree({**CATEGORY, "base/deep.yml": GOOD + "  tags: " + "[" * 400 + "]" * 400 + "\n"})
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "faq", "--today", "2026-11-23"]) == 1
    out = capsys.readouterr()
    assert "FAQ009" in out.out and "Traceback" not in out.out + out.err


# -- 7. control characters -----------------------------------------------------------------------

BAD_CHARACTERS = ["\x00", "\x1b", "\r", "\x7f", "\x85", "\x9f", "\ud800", "\ufdd0", "\ufffe", "\uffff", "\U0001fffe",
                  "\U0010ffff"]


@pytest.mark.parametrize("char", BAD_CHARACTERS, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("field", ["question", "answer", "aliases", "tags", "title", "description"])
def test_a_control_character_in_a_text_field_is_refused_with_its_line(write_tree, field, char):
    escaped = "\\x00" if char == "\x00" else char.encode("unicode_escape").decode("ascii")
    if len(escaped) == 1:
        escaped = f"\\u{ord(char):04x}"
    value = f'"退款{escaped}说明"'
    files = {"base/_category.yml": "title: 基础\n", "base/x.yml": GOOD}
    if field in ("title", "description"):
        files["base/_category.yml"] = f"title: 基础\n{field}: {value}\n" if field != "title" else f"icon: material/cart\ntitle: {value}\n"
        where = ("faq/base/_category.yml", 2)
    elif field in ("aliases", "tags"):
        files["base/x.yml"] = GOOD + f"  {field}: [好的, {value}]\n"
        where = ("faq/base/x.yml", 5)
    else:
        files["base/x.yml"] = GOOD.replace(f"  {field}: ", f"  {field}: {value}  # ", 1)
        where = ("faq/base/x.yml", 2 if field == "question" else 3)
    root = write_tree(files)
    problems = problems_of(root)
    assert [(p.code, p.file, p.line, p.field) for p in problems] == [("FAQ111", *where, field)]
    assert f"U+{ord(char):04X}" in problems[0].message
    assert all(unicodedata.category(c) not in ("Cc", "Cs") or c == "\n" for c in problems[0].as_text())


def test_a_control_character_written_into_the_file_names_its_line_and_column(write_tree):
    root = write_tree({**CATEGORY, "base/x.yml": GOOD.replace("退款多久", "退款\x7f多久")})
    problems = problems_of(root)
    assert [(p.code, p.line, p.column) for p in problems] == [("FAQ001", 2, 15)]
    assert "U+007F" in problems[0].message


# -- 10. the smaller ones ------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_file_is_reported_as_utf16_with_how_to_save_it(write_tree, encoding):
    root = write_tree({**CATEGORY, "base/x.yml": GOOD.encode(encoding)})
    problems = problems_of(root)
    assert [(p.code, p.line) for p in problems] == [("FAQ002", 1)]
    assert "UTF-16" in problems[0].message and "UTF-8" in problems[0].hint and "GBK" not in problems[0].message


def test_an_unclosed_quote_is_reported_at_its_own_line(write_tree):
    entries = GOOD.replace("question: 退款多久能到账？", 'question: "退款多久能到账？') + "".join(
        ENTRY.format(id=f"q{n}", question=f'"问题{n}"', answer="答", frequency=0) for n in range(5))
    root = write_tree({**CATEGORY, "base/x.yml": entries})
    problems = problems_of(root)
    assert [(p.code, p.line) for p in problems] == [("FAQ001", 2)]
    assert "引号" in problems[0].hint


def test_a_file_named_only_yml_is_reported(write_tree):
    root = write_tree({**CATEGORY, "base/refunds.yml": GOOD, "base/.yml": GOOD.replace("refund-time", "other")})
    problems = problems_of(root)
    assert [(p.code, p.file) for p in problems] == [("FAQ209", "faq/base/.yml")]


# -- random damage -------------------------------------------------------------------------------

SAMPLE = (Path(__file__).resolve().parents[1] / "faq" / "after-sales" / "refunds" / "refunds.yml").read_text(encoding="utf-8")
PIECES = ["*", "&a", "*a", "[", "]", "{", "}", ":", ": ", "- ", "\n", "\t", '"', "'", "|", ">", "#", "!!", "!!python/name:x",
          "? ", "---", "...", "%", "@", "`", "\x00", "\x7f", "\x85", "\ufeff", "\uffff", "\\x7f", "\\ud800", "  ", "    "]


@st.composite
def damaged(draw) -> bytes:
    text = SAMPLE
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "repeat"]))
        piece = draw(st.sampled_from(PIECES) | st.text(max_size=3))
        if action == "insert":
            text = text[:at] + piece + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        elif action == "replace":
            text = text[:at] + piece + text[at + len(piece):]
        else:
            line_start = text.rfind("\n", 0, at) + 1
            line_end = text.find("\n", at) + 1 or len(text)
            text = text[:line_start] + text[line_start:line_end] * draw(st.integers(2, 30)) + text[line_end:]
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()) and len(data) > 10:
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1:]
    return data


@settings(max_examples=600, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(data=damaged())
def test_randomly_damaged_entry_files_give_problems_never_a_traceback(tmp_path_factory, data):
    root = tmp_path_factory.getbasetemp() / "damaged" / "faq"  # one folder for every example: each rewrites the file
    (root / "after-sales").mkdir(parents=True, exist_ok=True)
    (root / "after-sales" / "_category.yml").write_text("title: 售后服务\n", encoding="utf-8")
    (root / "after-sales" / "refunds.yml").write_bytes(data)
    problems = problems_of(root)
    text = format_problems(problems)
    assert len(problems) <= 200
    assert len(text) <= 200 * 600


@pytest.mark.parametrize("char", BAD_CHARACTERS + ["\u2028", '"', "\\"], ids=lambda c: f"U+{ord(c):04X}")
def test_front_matter_holds_any_title_as_the_theme_reads_it(char):
    """Defence behind FAQ111: a generated page's front matter reads back as exactly its title, so
    no character can turn it into text on the page (the category-title break of issue #16)."""
    from mkdocs.utils.meta import get_data

    from faqkb.site.render import front_matter

    title = f"退款{char}说明"
    body, meta = get_data(front_matter(title, "说明", "category") + "\n\n正文\n")
    expected = title.replace("\ud800", "\ufffd").replace('"', "&quot;")
    assert (meta["title"], meta["faqkb"], meta["hide"], body.strip()) == (expected, "category", ["toc"], "正文")


def test_a_large_file_of_unclosed_quotes_is_read_again_only_a_few_times(write_tree, monkeypatch):
    """The unclosed-quote check re-reads the file with the quote closed: for a few candidate lines,
    not for each of thousands (which would be quadratic in the file's size)."""
    import faqkb.content.load as load

    reads = []
    real_compose = load.yaml.compose
    monkeypatch.setattr(load.yaml, "compose", lambda *a, **k: (reads.append(1), real_compose(*a, **k))[1])
    # Each quoted value goes on to the next line (valid YAML); the file's one mistake is at its end.
    lines = "".join(f'- "问题{n}\n  续{n}"\n' for n in range(1500)) + "- [\n"
    root = write_tree({**CATEGORY, "base/x.yml": lines})
    problems = problems_of(root)
    assert [p.code for p in problems] == ["FAQ001"]
    assert len(reads) <= 10
