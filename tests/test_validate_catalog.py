"""Every validation rule, from a catalog of bad content under fixtures/bad/<case>/faq.

Each case's expected.txt is the exact text content staff see: file:line:column, code, field,
message and hint. Regenerate with `pytest --update-goldens` and review the diff.
"""

import datetime as dt
from pathlib import Path

import pytest

from faqkb.content.check import check
from faqkb.site.engine import material_icon_svg
from faqkb.content.problems import CATALOG, format_problems

BAD = Path(__file__).parent / "fixtures" / "bad"
TODAY = dt.date(2026, 11, 23)  # the catalog's "today": its expected texts never change with the real date
CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())


def check_case(case: str):
    _, problems = check(BAD / case / "faq", display_base=BAD / case, today=TODAY,
                                 icon_exists=lambda name: material_icon_svg(name) is not None)
    return problems


@pytest.mark.parametrize("case", CASES)
def test_bad_content_gives_the_documented_message(case, update_goldens):
    problems = check_case(case)
    text = format_problems(problems) + "\n"
    golden = BAD / case / "expected.txt"
    if update_goldens:
        golden.write_text(text, encoding="utf-8")
    assert problems, f"{case}: the bad content was accepted"
    assert text == golden.read_text(encoding="utf-8")


def test_every_code_in_the_catalog_has_a_bad_fixture():
    seen = {p.code for case in CASES for p in check_case(case)}
    assert set(CATALOG) - seen == {"FAQ207"}  # FAQ207 (no content folder) is tested below


def test_missing_content_folder_is_reported_not_raised(tmp_path):
    _, problems = check(tmp_path / "nope", display_base=tmp_path)
    assert [p.code for p in problems] == ["FAQ207"]
    assert "nope" in problems[0].message


def test_five_level_entry_names_file_and_line():
    problems = check_case("too-deep")
    deep = [p for p in problems if p.code == "FAQ201"]
    assert [(p.file, p.line) for p in deep] == [("faq/a/b/c/d/_category.yml", 1), ("faq/a/b/c/d/deep.yml", 1)]
    assert all("ok.yml" not in p.file for p in problems)


def test_broken_related_id_names_line_and_suggests_the_nearest_id():
    [problem] = [p for p in check_case("related-missing") if p.code == "FAQ401" and "return-hw" in p.message]
    assert (problem.file, problem.line, problem.column) == ("faq/after-sales/refunds.yml", 5, 13)
    assert "return-how" in problem.hint


def test_duplicate_id_names_both_places():
    [problem] = [p for p in check_case("duplicate-id") if p.code == "FAQ106"]
    assert problem.file == "faq/payment/pay.yml" and problem.line == 5
    assert "faq/after-sales/refunds.yml:1" in problem.message


def test_out_of_order_file_reports_the_entry_out_of_place_and_where_it_belongs():
    [problem] = check_case("out-of-order")
    assert problem.code == "FAQ301" and problem.line == 12  # return-how's frequency, not its neighbour's
    assert "return-how" in problem.message
    assert "移到“refund-partial”（45，第 5 行）的前面" in problem.hint


def test_order_reports_the_entry_whose_count_was_lowered_not_the_ones_after_it(write_tree):
    entries = "".join(f"- id: e{n}\n  question: 问题{n}？\n  answer: 答。\n  frequency: {count}\n"
                      for n, count in enumerate([900, 5, 700, 600, 500]))
    root = write_tree({"a/_category.yml": "title: 甲\n", "a/x.yml": entries})
    _, problems = check(root, today=TODAY)
    [problem] = problems
    assert "“e1”" in problem.message and problem.line == 8
    assert "移到“e4”（500，第 17 行）的后面" in problem.hint


def test_inline_link_error_points_at_the_line_inside_the_answer():
    problems = [p for p in check_case("inline-missing") if p.code == "FAQ402"]
    assert [(p.line, p.column) for p in problems] == [(5, 11), (6, 9)]


def test_future_updated_date_depends_on_today(tmp_path, write_tree):
    from faqkb.content.load import load_content
    from faqkb.content.validate import validate

    root = write_tree({"a/_category.yml": "title: 甲\n",
                       "a/x.yml": "- id: x\n  question: 问\n  answer: 答\n  frequency: 1\n  updated: 2026-12-01\n"})
    content, _ = load_content(root)
    assert [p.code for p in validate(content, today=dt.date(2026, 11, 23))] == ["FAQ108"]
    assert validate(content, today=dt.date(2026, 12, 1)) == []


def test_a_file_that_cannot_be_read_is_not_buried_under_links_to_its_entries(write_tree):
    from faqkb.content.check import check

    root = write_tree({"a/_category.yml": "title: 甲\n",
                       "a/x.yml": "- id: x\n  question: 问\n  answer: 见 [[y]]\n  frequency: 2\n  related: [y]\n",
                       "a/y.yml": "- id: y\n  question: 问: 题\n  answer: 答\n  frequency: 1\n"})
    _, problems = check(root)
    assert [(p.code, p.file.rsplit("/", 1)[-1], p.line) for p in problems] == [("FAQ001", "y.yml", 2)]
    (root / "a" / "y.yml").write_text("- id: z\n  question: 问题\n  answer: 答\n  frequency: 1\n", encoding="utf-8")
    _, problems = check(root)
    assert sorted(p.code for p in problems) == ["FAQ401", "FAQ402"]
