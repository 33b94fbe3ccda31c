"""The content as it was in a git revision: what a pull request's base branch holds."""

from __future__ import annotations

import contextlib
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

from ..content.load import load_content
from ..content.model import Content


class GitError(Exception):
    """The revision cannot be read; the message says why, for staff."""


@contextlib.contextmanager
def content_at_revision(content_dir: Path, revision: str) -> Iterator[Content | None]:
    """The content folder as git revision `revision` had it (None if it did not exist then).

    File names in its problems and entries read as they do in the working tree (faq/...).
    """
    folder = content_dir.resolve()

    def git(*args: str, cwd: Path = folder) -> subprocess.CompletedProcess:
        try:
            return subprocess.run(["git", *args], cwd=cwd, capture_output=True)
        except OSError as error:
            raise GitError(f"无法运行 git（{error}）。比较版本需要 git。") from error

    top = git("rev-parse", "--show-toplevel")
    if top.returncode:
        raise GitError(f"{content_dir} 不在 git 仓库里，无法和别的版本比较。")
    root = Path(top.stdout.decode().strip())
    if git("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").returncode:
        raise GitError(f"git 里找不到版本“{revision}”。请确认分支名或提交号；在 GitHub Actions 里，"
                       "actions/checkout 要加上 fetch-depth: 0，或先 git fetch 这个分支。")
    prefix = folder.relative_to(root.resolve()).as_posix()
    if git("cat-file", "-e", f"{revision}:{prefix}" if prefix != "." else f"{revision}:", cwd=root).returncode:
        yield None  # the content folder is new: every entry is
        return
    archive = git("archive", "--format=tar", revision, "--", prefix, cwd=root)
    if archive.returncode:
        raise GitError(f"无法读取版本“{revision}”里的 {prefix}：{archive.stderr.decode(errors='replace').strip()}")
    with tempfile.TemporaryDirectory() as temp:
        with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
            tar.extractall(temp, filter="data")
        old, _ = load_content(Path(temp) / prefix, display_base=Path(temp) / Path(prefix).parent
                              if prefix != "." else Path(temp))
        yield old
