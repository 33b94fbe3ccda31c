"""The staff guide stays true to the code: its error-code table, its example annotation and its
example entry are what faqkb really uses and prints."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from faqkb.content.problems import CATALOG

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "staff-guide.md"


def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def test_guide_lists_every_error_code():
    text = guide()
    missing = [code for code in CATALOG if f"| {code} |" not in text]
    assert not missing, f"docs/staff-guide.md lacks {missing}: run scripts/error_codes_table.py and paste its table"


def test_guide_table_is_the_generated_one():
    table = subprocess.run([sys.executable, str(ROOT / "scripts" / "error_codes_table.py")],
                           capture_output=True, text=True, check=True, encoding="utf-8").stdout
    assert table.strip() in guide()


def test_guide_mentions_no_code_that_does_not_exist():
    assert set(re.findall(r"FAQ\d{3}", guide())) <= set(CATALOG)


def test_example_annotation_is_what_the_pull_request_check_prints():
    from test_pull_request_annotations import EXPECTED

    [example] = [line for line in guide().splitlines() if line.startswith("::error ")]
    assert example in EXPECTED


def test_example_entry_is_valid(tmp_path):
    from faqkb.content.check import check

    [block] = [b for b in re.findall(r"```yaml\n(.*?)```", guide(), re.S) if b.startswith("- id: refund-time")]
    entries = yaml.safe_load(block)
    assert [e["id"] for e in entries] == ["refund-time"]
    # Valid in a tree where the ids it links to exist.
    root = tmp_path / "faq"
    (root / "after-sales").mkdir(parents=True)
    (root / "after-sales" / "_category.yml").write_text("title: 售后服务\n", encoding="utf-8")
    others = "".join(f"- id: {i}\n  question: 问{n}\n  answer: 答\n  frequency: 1\n"
                     for n, i in enumerate(["refund-not-received", "how-to-return"]))
    (root / "after-sales" / "refunds.yml").write_text(block + others, encoding="utf-8")
    _, problems = check(root, display_base=tmp_path)
    assert problems == []
