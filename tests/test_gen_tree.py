"""The benchmarks' generated help centre (tests/harness/gen_tree.py) keeps its promise: a tree that
passes faqkb's own checker with no problem at all, and builds.

A tree with content errors would not measure a build at all (the build stops before rendering),
and one with warnings would measure a site no shop publishes.
"""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from harness import gen_tree
from harness.site import build_site, check_content, write_config

TODAY = dt.date(2026, 12, 1)  # after every `updated` the generator writes (2025-01-01 + 640 days at most)


def problems_in(folder) -> tuple[list, list[str]]:
    content, problems = check_content(folder, today=TODAY, display_base=folder.parent)
    return content, [str(problem) for problem in problems]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_small_generated_tree_has_no_problem_at_all(tmp_path, seed):
    tree = gen_tree.generate(200, seed)
    content, problems = problems_in(gen_tree.write_tree(tree, tmp_path / "faq"))
    assert problems == []
    assert len(content.entries) == 200
    assert {e.id for e in content.entries} == {e.id for e in tree.entries}


def test_the_tree_uses_what_staff_write(tmp_path):
    """A benchmark on a tree without links, aliases or nested folders would leave out their cost."""
    tree = gen_tree.generate(1000, 1)
    content, problems = problems_in(gen_tree.write_tree(tree, tmp_path / "faq"))
    assert problems == []
    entries = content.entries
    assert sum(bool(e.related) for e in entries) > 100
    assert sum("[[" in e.answer for e in entries) > 50
    assert sum(bool(e.aliases) for e in entries) > 100 and all(e.tags for e in entries)
    assert sum(e.updated is not None for e in entries) > 500
    assert max(len(c.path) for c in content.walk_categories()) >= 2
    assert content.synonyms


def test_the_same_arguments_write_the_same_files(tmp_path):
    first = gen_tree.write_tree(gen_tree.generate(150, 7), tmp_path / "a")
    second = gen_tree.write_tree(gen_tree.generate(150, 7), tmp_path / "b")
    files = sorted(p.relative_to(first) for p in first.rglob("*.yml"))
    assert files == sorted(p.relative_to(second) for p in second.rglob("*.yml"))
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)
    other = gen_tree.write_tree(gen_tree.generate(150, 8), tmp_path / "c")
    assert any(not (other / f).is_file() or (other / f).read_bytes() != (first / f).read_bytes() for f in files)


def test_writing_again_replaces_its_own_tree_but_never_other_files(tmp_path):
    target = gen_tree.write_tree(gen_tree.generate(50, 1), tmp_path / "faq")
    gen_tree.write_tree(gen_tree.generate(60, 2), target)
    assert len(problems_in(target)[0].entries) == 60

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "keep.txt").write_text("员工笔记", encoding="utf-8")
    with pytest.raises(ValueError, match="not made by gen_tree"):
        gen_tree.write_tree(gen_tree.generate(50, 1), notes)
    assert (notes / "keep.txt").read_text(encoding="utf-8") == "员工笔记"
    with pytest.raises(ValueError, match="project's own files"):
        gen_tree.write_tree(gen_tree.generate(50, 1), gen_tree.REPO / "faq")


def test_the_command_line_writes_a_tree_that_passes(tmp_path, capsys):
    assert gen_tree.main([str(tmp_path / "faq"), "--questions", "120", "--seed", "4"]) == 0
    assert "120 questions" in capsys.readouterr().out
    content, problems = problems_in(tmp_path / "faq")
    assert problems == [] and len(content.entries) == 120


@pytest.mark.slow
def test_a_generated_tree_builds_into_a_site_with_every_question(tmp_path):
    tree = gen_tree.generate(200, 2)
    gen_tree.write_tree(tree, tmp_path / "faq")
    site = build_site(tmp_path / "site", write_config(tmp_path / "mkdocs.yml", docs_dir="faq"))
    for entry in tree.entries:
        assert entry.question in (site / "q" / entry.id / "index.html").read_text(encoding="utf-8"), entry.id
    [meta] = (site / "search").glob("*/meta.json")
    assert yaml.safe_load(meta.read_text(encoding="utf-8"))["docs"] == 200
