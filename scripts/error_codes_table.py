#!/usr/bin/env python3
"""Print the Markdown table of error codes for docs/staff-guide.md, from faqkb.content.problems.CATALOG.

The guide's table is this script's output pasted in; tests/test_docs.py fails when they differ,
so after adding or renaming a code run `.venv/bin/python scripts/error_codes_table.py` and paste.
"""

from faqkb.content.problems import CATALOG, ERROR


def table() -> str:
    rows = ["| 代码 | 级别 | 含义 |", "| --- | --- | --- |"]
    for code, (severity, title) in CATALOG.items():
        # Staff read the level as what they must do: errors block publishing, warnings do not.
        level = "错误（必须改）" if severity == ERROR else "警告（建议改）"
        rows.append(f"| {code} | {level} | {title.replace('|', '&#124;')} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(table())
