"""Throwaway git repositories for tests that replay a pull request."""

from __future__ import annotations

import subprocess
from pathlib import Path

# No user configuration, signing or default-branch setting of the machine leaks into the tests.
GIT = ["git", "-c", "user.email=t@t", "-c", "user.name=t", "-c", "init.defaultBranch=main",
       "-c", "commit.gpgsign=false"]


def git(repo: Path, *args: str) -> str:
    return subprocess.run([*GIT, *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def write(root: Path, files: dict[str, str]) -> None:
    """Writes {relative path: text} under root, creating folders."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def repository_on_branch(repo: Path, main_files: dict[str, str], branch: str) -> Path:
    """A new repository at repo whose main branch commits main_files, checked out on a new branch."""
    repo.mkdir()
    git(repo, "init", "-q")
    write(repo, main_files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Content on main")
    git(repo, "checkout", "-q", "-b", branch)
    return repo
