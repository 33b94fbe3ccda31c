"""Every command the staff guide and the README's staff section tell people to type, typed.

The commands are read from the documents' shell code blocks, so a command that is renamed,
removed or mistyped in either fails here. Each runs in its own fresh checkout of the project
(tests/conftest.py), on the sample content, the way a member of staff would run it.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest
from harness.server import Serve

from faqkb.content.load import load_content

pytestmark = pytest.mark.slow  # a fresh checkout per documented command

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "staff-guide.md"
SHELL_BLOCK = re.compile(r"^```(?:sh|bash|shell)\n(.*?)^```", re.M | re.S)
CSV_BLOCK = re.compile(r"^```csv\n(.*?)^```", re.M | re.S)


def staff_section_of_readme() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    [section] = re.findall(r"^## [^\n]*content staff\n(.*?)(?=^## )", text, re.M | re.S)
    return section


def commands(text: str) -> list[str]:
    found = []
    for block in SHELL_BLOCK.findall(text):
        for line in block.splitlines():
            command = line.split(" # ")[0].strip()  # a comment after the command explains it
            if command and not command.startswith("#"):
                found.append(command)
    return found


DOCUMENTED = list(dict.fromkeys(commands(GUIDE.read_text(encoding="utf-8")) + commands(staff_section_of_readme())))


def test_the_documents_show_a_command_for_each_staff_task():
    targets = {command.split()[1] for command in DOCUMENTED}
    assert {"validate", "fmt", "stats", "duplicates", "new", "frequency", "search", "insights", "serve", "site"} <= targets
    assert all(command.startswith("make ") for command in DOCUMENTED), DOCUMENTED


def example_csv() -> str:
    [csv] = CSV_BLOCK.findall(GUIDE.read_text(encoding="utf-8"))
    return csv


def run(command: str, cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in ("MAKEFLAGS", "MFLAGS", "VIRTUAL_ENV")}
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=600, **kwargs)


def entry_ids(checkout: Path) -> set[str]:
    content, _ = load_content(checkout / "faq")
    return {entry.id for entry in content.entries}


SERVERS = {"make serve"}


@pytest.mark.parametrize("command", [c for c in DOCUMENTED if c not in SERVERS])
def test_documented_command_runs_on_a_fresh_checkout(command, checkout):
    (checkout / "data").mkdir()
    (checkout / "data" / "frequency.csv").write_text(example_csv(), encoding="utf-8")
    before = entry_ids(checkout)
    result = run(command, checkout)
    shown = f"$ {command}\n{result.stdout}{result.stderr}"
    assert result.returncode == 0, shown
    assert "No rule to make target" not in result.stderr and "command not found" not in result.stderr, shown
    target = command.split()[1]
    if target == "new":
        question = shlex.split(command.split("ARGS=", 1)[1])[0].split("--question ")[1].split(" --")[0]
        assert len(entry_ids(checkout) - before) == 1 and question in result.stdout, shown
    if target == "frequency":
        assert "已更新" in result.stdout, shown
    if target == "site":
        assert (checkout / "site" / "index.html").is_file()
    if target == "search":
        assert re.search(r"^ 1\. ", result.stdout, re.M), shown
    if target == "insights":
        assert "== 别名候选" in result.stdout and "看不懂的行 0 行" in result.stdout, shown
        if "--dry-run" in command:
            assert "试运行" in result.stdout and run("git status --porcelain faq", checkout).stdout == "", shown
    if target in ("new", "frequency", "fmt"):
        assert run("make validate", checkout).returncode == 0


@pytest.mark.server
@pytest.mark.parametrize("command", sorted(SERVERS & set(DOCUMENTED)))
def test_documented_preview_serves_the_help_site(command, checkout):
    server = Serve(checkout, ["bash", "-c", f"exec {command} ADDR=127.0.0.1:{{port}}"])
    try:
        page = server.wait_for(lambda: server.get("/"), what="the preview's home page")
        assert "热门问题" in page
    finally:
        server.stop()
