"""A copy of the sample project as a reviewed pull request leaves it: a question renamed
(previous_ids, every link following it) and drafts in a category, in a new category of their own
and among a published question's related ones."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFUNDS = "faq/after-sales/refunds/refunds.yml"
DRAFT_WORD = "独角兽草稿"  # appears only in the drafts: grep the site for it
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

DRAFT = f"""\
- id: refund-draft-question
  draft: true
  question: {DRAFT_WORD}退款要交手续费吗？
  answer: 这是{DRAFT_WORD}的答案。
  frequency: 999999
"""


def reviewed_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project)
    shutil.copytree(ROOT / "faq", project / "faq")
    # refund-time becomes refund-arrival; every link to it follows.
    for path in (project / "faq").rglob("*.yml"):
        text = path.read_text(encoding="utf-8")
        text = text.replace("[[refund-time]]", "[[refund-arrival]]").replace("refund-time,", "refund-arrival,") \
            .replace("refund-time]", "refund-arrival]").replace("- id: refund-time\n", "- id: refund-arrival\n"
                                                                "  previous_ids: [refund-time]\n")
        path.write_text(text, encoding="utf-8")
    refunds = project / REFUNDS
    text = refunds.read_text(encoding="utf-8")
    # The most asked question of the file is a draft: it must still not reach 热门问题.
    refunds.write_text(DRAFT + text.replace("  related: [refund-arrival, refund-method]",
                                            "  related: [refund-arrival, refund-method, refund-draft-question]", 1),
                       encoding="utf-8")
    (project / "faq" / "gift-cards").mkdir()
    (project / "faq" / "gift-cards" / "_category.yml").write_text(f"title: {DRAFT_WORD}礼品卡\n", encoding="utf-8")
    (project / "faq" / "gift-cards" / "cards.yml").write_text(
        DRAFT.replace("refund-draft-question", "gift-card-draft").replace("999999", "5"), encoding="utf-8")
    check = subprocess.run([sys.executable, "-m", "faqkb.staff.cli", "validate", "faq"], cwd=project, env=ENV,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    return project
