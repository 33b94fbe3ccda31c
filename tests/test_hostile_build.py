"""`mkdocs build --strict` on hostile content (issue #16): the content check stops the build with the
message `faqkb validate` prints, in seconds, no traceback, and the previous site untouched.

Before the fixes, a category title holding DEL built "successfully" (also with --strict), its page
showing `title: … faqkb: category hide: [toc]` as text; deep nesting raised RecursionError; an id of
256 characters raised OSError [Errno 36] while writing the pages.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # real builds

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONIOENCODING": "utf-8"}
CATEGORY = "faq/payment"
ENTRY = "- id: {id}\n  question: {question}\n  answer: 答案。\n  frequency: 0\n"


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=project, env=ENV, capture_output=True,
                          encoding="utf-8", timeout=300)


def site_files(project: Path) -> dict[str, str]:
    return {p.relative_to(project / "site").as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((project / "site").rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("shop") / "shop"
    project.mkdir()
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / CATEGORY).mkdir(parents=True)
    (project / CATEGORY / "_category.yml").write_text("# 支付\ntitle: 支付与发票\nicon: material/credit-card\n",
                                                      encoding="utf-8")
    (project / CATEGORY / "pay.yml").write_text(
        ENTRY.format(id="pay-methods", question="支持哪些付款方式？").replace("frequency: 0", "frequency: 9")
        + ENTRY.format(id="invoice-how", question="怎么开发票？"), encoding="utf-8")
    result = run(project, "mkdocs", "build", "--strict")
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture
def project(built, tmp_path) -> Path:
    copy = tmp_path / "shop"
    shutil.copytree(built, copy, symlinks=True)
    return copy


def bomb() -> str:
    lines = ["&a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"&a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, 9)]
    return "  tags:\n" + "".join(f"    - {line}\n" for line in lines)


def title_with_del(project: Path) -> tuple[str, int]:
    rel = f"{CATEGORY}/_category.yml"
    text = (project / rel).read_text(encoding="utf-8")
    lines = text.splitlines()
    [number] = [n for n, line in enumerate(lines) if line.startswith("title:")]
    title = lines[number].split(":", 1)[1].strip()
    lines[number] = f'title: "{title}\\x7f"'
    (project / rel).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return rel, number + 1


def add_file(project: Path, name: str, text: str) -> tuple[str, int]:
    rel = f"{CATEGORY}/{name}"
    (project / rel).write_text(text, encoding="utf-8")
    return rel, 0


HOSTILE = {
    "category-title-with-del": ("FAQ111", title_with_del),
    "anchor-bomb": ("FAQ008", lambda p: add_file(p, "bomb.yml", ENTRY.format(id="bomb", question="问") + bomb())),
    "deep-nesting": ("FAQ009", lambda p: add_file(p, "deep.yml", ENTRY.format(id="deep", question="问")
                                                   + "  tags: " + "[" * 400 + "]" * 400 + "\n")),
    "id-of-256": ("FAQ105", lambda p: add_file(p, "long.yml", ENTRY.format(id="a" * 256, question="问"))),
    "placeholder-id": ("FAQ105", lambda p: add_file(p, "slot.yml", ENTRY.format(id="faqkb-slot-id", question="问"))),
    "link-loop": ("FAQ208", lambda p: ((p / CATEGORY / "loop").symlink_to(".."), (f"{CATEGORY}/loop", 0))[1]),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_content_stops_the_build_with_its_message_and_keeps_the_site(project, case):
    code, make_bad = HOSTILE[case]
    before = site_files(project)
    rel, line = make_bad(project)
    check = run(project, "faqkb.staff.cli", "validate", "faq")
    assert check.returncode == 1 and code in check.stdout, check.stdout + check.stderr

    result = run(project, "mkdocs", "build", "--strict")

    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
    assert check.stdout.strip() in result.stderr  # the messages validate prints, hints included
    assert f"{rel}:{line}:" in result.stderr if line else f"{rel}:" in result.stderr
    assert len(result.stderr) < 5000
    assert site_files(project) == before
