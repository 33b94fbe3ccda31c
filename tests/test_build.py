"""`mkdocs build` on bad content, run as content staff and CI run it: a real subprocess.

The promise (README): a failed build prints the same messages as `faqkb validate`, with file and
line and no traceback, and never leaves a half-written site: the previous `site/` stays as it was,
byte for byte, and no staging folder is left next to it.

For speed the project is a small copy of the real one: mkdocs.yml and one top-level category of
faq/ (links into the categories left out are dropped, and `faqkb validate` checks the copy). It is
built once per module; every test works on its own copy of that built project.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from ruamel.yaml import YAML

pytestmark = pytest.mark.slow  # real mkdocs builds of a project

ROOT = Path(__file__).resolve().parents[1]
CATEGORY = "after-sales"  # the top-level category the small project keeps
STAGING = re.compile(r"\.site\.faqkb-(new|search|old)\b")  # a build's own folders beside site/ (not its lock)
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONIOENCODING": "utf-8"}


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=project, env=ENV, capture_output=True,
                          encoding="utf-8", timeout=300)


def mkdocs_build(project: Path, *, strict: bool = True) -> subprocess.CompletedProcess:
    return run(project, "mkdocs", "build", *(["--strict"] if strict else []))


def faqkb_validate(project: Path, *, strict: bool = False) -> subprocess.CompletedProcess:
    return run(project, "faqkb.staff.cli", "validate", "faq", *(["--strict"] if strict else []))


def output(result: subprocess.CompletedProcess) -> str:
    return result.stdout + result.stderr


# -- the small project ---------------------------------------------------------------------------

def _drop_links_out_of(content: Path) -> None:
    """Removes `related` ids and [[id]] links that point into the categories left out, keeping
    every other byte of the files (round-trip YAML)."""
    rt = YAML()
    rt.preserve_quotes = True
    rt.width = 4096
    files = [f for f in content.rglob("*.yml") if not f.name.startswith("_")]
    ids = {entry["id"] for f in files for entry in yaml.safe_load(f.read_text(encoding="utf-8"))}
    inline = re.compile(r"\[\[([^\]|]+)(?:\|([^\]]*))?\]\]")
    for file in files:
        entries, changed = rt.load(file.read_text(encoding="utf-8")), False
        for entry in entries:
            related = entry.get("related")
            for target in [t for t in related or [] if t not in ids]:
                related.remove(target)
                changed = True
            if related is not None and not related:
                del entry["related"]
            answer = entry["answer"]
            kept = inline.sub(lambda m: m[0] if m[1].strip() in ids else (m[2] or m[1]), answer)
            if kept != answer:
                entry["answer"] = type(answer)(kept)
                changed = True
        if changed:
            text = io.StringIO()
            rt.dump(entries, text)
            file.write_text(text.getvalue(), encoding="utf-8")


@dataclass
class Built:
    project: Path
    result: subprocess.CompletedProcess


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    """The small project after a good `mkdocs build --strict`."""
    project = tmp_path_factory.mktemp("shop")
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "faq" / CATEGORY, project / "faq" / CATEGORY)
    if (ROOT / "faq" / "_synonyms.yml").exists():
        shutil.copy2(ROOT / "faq" / "_synonyms.yml", project / "faq" / "_synonyms.yml")
    _drop_links_out_of(project / "faq")
    check = faqkb_validate(project, strict=True)
    assert check.returncode == 0 and not check.stdout, f"the small project is not clean:\n{output(check)}"
    result = mkdocs_build(project)
    assert result.returncode == 0, output(result)
    return Built(project, result)


@pytest.fixture
def project(built, tmp_path) -> Path:
    """This test's own copy of the built project (file mtimes kept)."""
    copy = tmp_path / "shop"
    shutil.copytree(built.project, copy, symlinks=True)
    return copy


def entry_ids(project: Path) -> list[str]:
    return [entry["id"] for f in sorted((project / "faq").rglob("*.yml")) if not f.name.startswith("_")
            for entry in yaml.safe_load(f.read_text(encoding="utf-8"))]


# -- site snapshots ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Snapshot:
    folder: tuple[int, int]  # the site folder's inode and mtime: a swapped-in folder is another one
    files: dict[str, tuple[str, int]]  # relative path -> (sha256, mtime in ns)
    neighbours: tuple[str, ...]  # what lies next to site/ in the project folder


def snapshot(project: Path) -> Snapshot:
    site = project / "site"
    stat = site.stat()
    files = {p.relative_to(site).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
             for p in sorted(site.rglob("*")) if p.is_file()}
    return Snapshot((stat.st_ino, stat.st_mtime_ns), files, tuple(sorted(os.listdir(project))))


def search_files(site: Snapshot) -> set[str]:
    """The files of the search/<hash>/ folder."""
    return {path for path in site.files if re.match(r"search/[^/]+/", path)}


def staging_left(project: Path) -> list[str]:
    return [name for name in os.listdir(project) if STAGING.match(name)]


def assert_site_kept(project: Path, before: Snapshot) -> None:
    assert not staging_left(project), "a staging folder was left behind"
    after = snapshot(project)
    assert after.neighbours == before.neighbours
    assert after.files == before.files, "site/ changed after a failed build"
    assert after.folder == before.folder, "site/ was replaced after a failed build"


# -- writing bad content -------------------------------------------------------------------------

def line_of(text: str, needle: str) -> int:
    """The 1-based number of the one line of text that contains needle."""
    lines = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(lines) == 1, f"{needle!r} is on lines {lines}"
    return lines[0]


def append(project: Path, rel: str, block: str) -> int:
    """Appends YAML to a file; returns how many lines came before block."""
    path = project / rel
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    offset = len(text.splitlines())
    path.write_text(text + block, encoding="utf-8")
    return offset


def write(project: Path, rel: str, text: str) -> None:
    (project / rel).parent.mkdir(parents=True, exist_ok=True)
    (project / rel).write_text(text, encoding="utf-8")


def entry_ids_of(project: Path, rel: str) -> list[str]:
    return [entry["id"] for entry in yaml.safe_load((project / rel).read_text(encoding="utf-8"))]


def new_id(project: Path, wanted: str) -> str:
    assert wanted not in entry_ids(project), f"{wanted} already exists in the sample content"
    return wanted


@dataclass
class Expected:
    code: str
    places: list[tuple[str, int]]  # file:line pairs that must be named on a line with the code


def five_levels(project: Path) -> Expected:
    """Three nested category folders under a top-level one: the questions are at level 5."""
    folders = [f"faq/{CATEGORY}/care", f"faq/{CATEGORY}/care/appliances", f"faq/{CATEGORY}/care/appliances/kitchen"]
    category = "# 厨房电器\ntitle: 厨房电器\ndescription: 厨房电器的保养。\n"
    write(project, f"{folders[0]}/_category.yml", "title: 保养\n")
    write(project, f"{folders[1]}/_category.yml", "title: 家用电器\n")
    write(project, f"{folders[2]}/_category.yml", category)
    question_id = new_id(project, "clean-range-hood")
    entries = ("# 放在第 4 层分类目录里：问题在第 5 层\n"
               f"- id: {question_id}\n"
               "  question: 油烟机怎么清洗？\n"
               "  answer: 请按说明书拆下滤网，用温水和洗洁精清洗。\n"
               "  frequency: 12\n")
    write(project, f"{folders[2]}/kitchen.yml", entries)
    return Expected("FAQ201", [(f"{folders[2]}/kitchen.yml", line_of(entries, f"id: {question_id}")),
                               (f"{folders[2]}/_category.yml", line_of(category, "title:"))])


def broken_related(project: Path) -> Expected:
    """A new entry whose `related` misspells an existing id."""
    rel = f"faq/{CATEGORY}/refunds/refunds.yml"
    existing = entry_ids_of(project, rel)[0]
    typo = new_id(project, existing + "s")
    block = (f"- id: {new_id(project, 'refund-after-invoice')}\n"
             "  question: 开过发票的订单退款后，发票怎么办？\n"
             "  answer: 退款完成后，电子发票会自动作废，无需寄回。\n"
             "  frequency: 0\n"
             "  related:\n"
             f"    - {existing}\n"
             f"    - {typo}\n")
    offset = append(project, rel, block)
    return Expected("FAQ401", [(rel, offset + line_of(block, f"- {typo}"))])


def duplicate_id(project: Path) -> Expected:
    """An id already used in another file."""
    first = f"faq/{CATEGORY}/refunds/refunds.yml"
    second = f"faq/{CATEGORY}/returns/returns.yml"
    taken = entry_ids_of(project, first)[0]
    first_text = (project / first).read_text(encoding="utf-8")
    block = (f"- id: {taken}\n"
             "  question: 退货以后钱多久能退回来？\n"
             "  answer: 仓库验货通过后 1-3 个工作日内原路退回。\n"
             "  frequency: 0\n")
    offset = append(project, second, block)
    return Expected("FAQ106", [(first, line_of(first_text, f"- id: {taken}")),
                               (second, offset + line_of(block, f"- id: {taken}"))])


def out_of_order(project: Path) -> Expected:
    """A new, often asked entry pasted at the end of a file instead of at its place."""
    rel = f"faq/{CATEGORY}/repairs/repairs.yml"
    most = max(entry["frequency"] for entry in yaml.safe_load((project / rel).read_text(encoding="utf-8")))
    block = (f"- id: {new_id(project, 'repair-progress')}\n"
             "  question: 送修的商品修到哪一步了？\n"
             "  answer: 在「退换/售后」里打开维修单，可以看到检测、维修和寄回的进度。\n"
             f"  frequency: {most + 100}\n")
    offset = append(project, rel, block)
    return Expected("FAQ301", [(rel, offset + line_of(block, "frequency:"))])


def assert_named(stderr: str, expected: Expected) -> None:
    """Every place is named, with the code, on one line of the output."""
    for file, line in expected.places:
        where = f"{file}:{line}"
        lines = [text for text in stderr.splitlines() if re.search(rf"{re.escape(where)}\b", text)]
        assert any(expected.code in text for text in lines), f"no {expected.code} line names {where}:\n{stderr}"


# -- tests ---------------------------------------------------------------------------------------

def test_good_build_writes_the_whole_site(built):
    site = built.project / "site"
    ids = entry_ids(built.project)
    assert ids
    assert "WARNING" not in output(built.result) and "Traceback" not in output(built.result)
    assert (site / "index.html").is_file()
    assert (site / "sitemap.xml").is_file()
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for entry_id in ids:
        assert (site / "q" / entry_id / "index.html").is_file(), entry_id
        assert f"/q/{entry_id}/" in sitemap, entry_id
    [meta] = list((site / "search").glob("*/meta.json"))
    assert json.loads(meta.read_text(encoding="utf-8"))["docs"] == len(ids)
    assert not staging_left(built.project)
    # Material's announcement bar belongs to the preview's problem list: a good site has none.
    for page in (site / "index.html", site / "q" / ids[0] / "index.html"):
        assert "md-banner" not in page.read_text(encoding="utf-8"), page


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "plain"])
@pytest.mark.parametrize("make_bad", [five_levels, broken_related, duplicate_id, out_of_order],
                         ids=lambda f: f.__name__)
def test_bad_content_fails_with_the_validate_message_and_keeps_the_site(project, make_bad, strict):
    before = snapshot(project)
    expected = make_bad(project)
    check = faqkb_validate(project)
    assert check.returncode == 1
    assert expected.code in check.stdout

    result = mkdocs_build(project, strict=strict)

    assert result.returncode != 0
    assert "Traceback" not in output(result)
    assert check.stdout.strip() in result.stderr  # the very messages validate prints, hints included
    assert check.stderr.strip().splitlines()[-1] in result.stderr  # "发现 N 个错误，M 个警告。"
    assert_named(result.stderr, expected)
    assert_site_kept(project, before)


def misspell_icon(project: Path) -> Expected:
    rel = f"faq/{CATEGORY}/refunds/_category.yml"
    text, count = re.subn(r"(?m)^icon: .*$", "icon: material/cash-refnud", (project / rel).read_text(encoding="utf-8"))
    assert count == 1
    write(project, rel, text)
    return Expected("FAQ204", [(rel, line_of(text, "icon:"))])


def test_a_warning_fails_a_strict_build_and_keeps_the_site(project):
    before = snapshot(project)
    expected = misspell_icon(project)
    check = faqkb_validate(project, strict=True)
    assert check.returncode == 1 and "警告 FAQ204" in check.stdout

    result = mkdocs_build(project, strict=True)

    assert result.returncode != 0
    assert "Traceback" not in output(result)
    assert check.stdout.strip() in result.stderr
    assert_named(result.stderr, expected)
    assert_site_kept(project, before)


def test_a_warning_does_not_stop_a_plain_build_which_replaces_the_site(project):
    before = snapshot(project)
    expected = misspell_icon(project)
    check = faqkb_validate(project)
    assert check.returncode == 0

    result = mkdocs_build(project, strict=False)

    assert result.returncode == 0, output(result)
    assert "Traceback" not in output(result)
    assert check.stdout.strip() in result.stderr  # logged as a warning
    assert_named(result.stderr, expected)
    after = snapshot(project)
    assert after.neighbours == before.neighbours  # no staging folder left
    assert after.folder[0] != before.folder[0], "site/ was not swapped for the new build"
    changed = {path for path in after.files if after.files[path][0] != before.files.get(path, ("",))[0]}
    assert "after-sales/refunds/index.html" in changed  # the category page shows the default icon now


def test_a_strict_mode_warning_from_mkdocs_after_rendering_keeps_the_site(project):
    """Not a content error: a Markdown file dropped into faq/ with a broken link. MkDocs warns while
    rendering it, and `--strict` aborts at the very end, once every page is in the staging folder."""
    before = snapshot(project)
    write(project, "faq/notes.md", "# 说明\n\n退款规则见[这里](refund-rules.md)。\n")
    assert faqkb_validate(project, strict=True).returncode == 0  # invisible to the content check

    result = mkdocs_build(project, strict=True)

    assert result.returncode != 0
    assert "Traceback" not in output(result)
    assert "'notes.md' contains a link 'refund-rules.md'" in result.stderr
    assert "Aborted with 1 warnings in strict mode!" in output(result)
    assert_site_kept(project, before)


def test_a_theme_error_while_rendering_pages_keeps_the_site(project):
    """Not a content error: a customised footer that uses an `extra` key nobody set. Jinja raises
    while MkDocs renders the pages through the theme."""
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config, count = re.subn(r"(?m)^  name: material$", "  name: material\n  custom_dir: overrides", config)
    assert count == 1
    write(project, "mkdocs.yml", config)
    write(project, "overrides/partials/footer.html", "<footer>客服微信：{{ config.extra.social.wechat }}</footer>\n")
    before = snapshot(project)

    result = mkdocs_build(project, strict=False)

    assert result.returncode != 0
    assert "UndefinedError" in result.stderr  # MkDocs prints Jinja's traceback here: not ours to hide
    assert_site_kept(project, before)


def test_after_the_content_is_fixed_the_build_replaces_the_site(project):
    before = snapshot(project)
    rel = f"faq/{CATEGORY}/refunds/refunds.yml"
    good = (project / rel).read_text(encoding="utf-8")
    broken_related(project)
    assert mkdocs_build(project).returncode != 0
    assert_site_kept(project, before)

    question_id = entry_ids_of(project, rel)[0]
    old_question = yaml.safe_load(good)[0]["question"]
    new_question = "退款一般几天能退回原账户？"
    fixed, count = re.subn(r"(?m)^  question: .*$", f"  question: {new_question}", good, count=1)
    assert count == 1 and yaml.safe_load(fixed)[0]["id"] == question_id
    write(project, rel, fixed)

    result = mkdocs_build(project)

    assert result.returncode == 0, output(result)
    assert "Traceback" not in output(result)
    after = snapshot(project)
    assert after.neighbours == before.neighbours  # no staging folder left
    assert after.folder[0] != before.folder[0], "site/ was not swapped for the new build"
    page = (project / "site" / "q" / question_id / "index.html").read_text(encoding="utf-8")
    assert new_question in page and old_question not in page
    # Replaced, not merged: the search folder is named after the content, and the old one is gone.
    assert set(after.files) - search_files(after) == set(before.files) - search_files(before)
    assert search_files(after) and not search_files(after) & search_files(before)


@pytest.mark.parametrize("endpoint", ["javascript:alert(1)", '/e.gif"><script>alert(1)</script>', "e.gif"])
def test_an_analytics_endpoint_that_cannot_be_used_stops_the_build_and_keeps_the_site(project, endpoint):
    before = snapshot(project)
    config = project / "mkdocs.yml"
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["plugins"][0]["faqkb"]["analytics"] = {"endpoint": endpoint}
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    result = mkdocs_build(project)

    assert result.returncode != 0 and "Traceback" not in output(result)
    assert f"analytics.endpoint “{endpoint}”不是可以用的地址" in result.stderr
    assert "请写以 / 开头的本站路径（例如 /e.gif），或以 https:// 开头的完整网址" in result.stderr
    assert_site_kept(project, before)
