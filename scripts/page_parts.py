#!/usr/bin/env python3
"""What a built site's question pages are made of: bytes per part, averaged over every question page.

    .venv/bin/python scripts/page_parts.py SITE_DIR

Each byte of a page is given to one part, the first that claims it in this order:

  json-ld       the FAQPage structured data (<script type="application/ld+json">)
  inline svg    icons drawn inline (<svg>…</svg>) outside the answer
  config json   Material's <script id="__config"> (features, translations)
  inline js     the other inline <script> elements and <script src> tags
  nav           the left sidebar: the site navigation (desktop column, phone drawer)
  toc           the right sidebar (empty and hidden on question pages)
  content       the article: breadcrumb, question, answer, date, related, contact
  head          the rest of <head> (meta tags, title, stylesheets)
  header        the rest of the top bar (logo, title, dark mode switch)
  footer        the rest of the footer
  other         everything else (body's wrappers, toggles, the top button)

"of it whitespace" is what the parts hold in indentation, blank lines and trailing spaces.
bench_build.py --page-parts prints the same table after its build.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

QUESTION_DIR = "q"
# (part, pattern) in the order parts are painted: a later one takes the bytes from an earlier one.
_REGIONS = [
    ("head", rb"<head>.*?</head>"),
    ("header", rb"<header\b.*?</header>"),
    ("footer", rb"<footer\b.*?</footer>"),
    ("nav", rb'<div class="md-sidebar md-sidebar--primary".*?</nav>\s*</div>\s*</div>\s*</div>'),
    ("toc", rb'<div class="md-sidebar md-sidebar--secondary".*?</nav>\s*</div>\s*</div>\s*</div>'),
    ("content", rb'<article class="md-content__inner md-typeset">.*?</article>'),
    ("inline js", rb"<script\b.*?</script>"),
    ("config json", rb'<script id="__config".*?</script>'),
    ("inline svg", rb"<svg\b.*?</svg>"),
    ("json-ld", rb'<script type="application/ld\+json">.*?</script>'),
]
PARTS = ["other", "head", "header", "nav", "toc", "content", "footer", "inline js", "config json", "inline svg", "json-ld"]
_PATTERNS = [(PARTS.index(name), re.compile(pattern, re.S)) for name, pattern in _REGIONS]
_WHITESPACE = re.compile(rb"^[ \t]+|[ \t]+$|\n(?=\n)", re.M)


def page_parts(page: bytes) -> tuple[list[int], list[int]]:
    """Bytes of each part of PARTS in one page, and of that the removable whitespace."""
    labels = bytearray(len(page))  # 0: other
    answer = re.search(rb'<div class="faqkb-answer".*?</div>', page, re.S)
    for label, pattern in _PATTERNS:
        for match in pattern.finditer(page):
            if PARTS[label] == "inline svg" and answer and answer.start() <= match.start() < answer.end():
                continue  # an icon a writer put into the answer is content
            labels[match.start():match.end()] = bytes([label]) * (match.end() - match.start())
    sizes = [labels.count(label) for label in range(len(PARTS))]
    spaces = [0] * len(PARTS)
    for match in _WHITESPACE.finditer(page):
        if match.end() > match.start():
            spaces[labels[match.start()]] += match.end() - match.start()
    return sizes, spaces


def question_pages(site_dir: Path):
    folder = site_dir / QUESTION_DIR
    for entry in os.scandir(folder):
        path = Path(entry.path) / "index.html" if entry.is_dir() else Path(entry.path)
        if path.suffix == ".html" and path.is_file():
            data = path.read_bytes()
            if b'http-equiv="refresh"' not in data:  # an old URL's redirect, not a page
                yield data


def site_parts(site_dir: Path) -> dict:
    """Average bytes per part over the site's question pages: {"pages": n, "parts": {part: (bytes, whitespace)}}."""
    total = [0] * len(PARTS)
    spaces = [0] * len(PARTS)
    pages = 0
    for page in question_pages(site_dir):
        sizes, blank = page_parts(page)
        total = [a + b for a, b in zip(total, sizes)]
        spaces = [a + b for a, b in zip(spaces, blank)]
        pages += 1
    if not pages:
        raise SystemExit(f"no question pages under {site_dir / QUESTION_DIR}")
    return {"pages": pages, "parts": {name: (total[i] / pages, spaces[i] / pages) for i, name in enumerate(PARTS)}}


def report(parts: dict) -> str:
    rows = sorted(parts["parts"].items(), key=lambda item: -item[1][0])
    whole = sum(size for size, _ in parts["parts"].values())
    blank = sum(space for _, space in parts["parts"].values())
    lines = [f"question pages: {parts['pages']:,}, {whole:,.0f} bytes on average "
             f"({whole / 1024:.1f} KB; {blank:,.0f} bytes of it whitespace)",
             f"{'part':<12} {'bytes':>8} {'share':>6} {'of it whitespace':>17}"]
    for name, (size, space) in rows:
        lines.append(f"{name:<12} {size:8,.0f} {size / whole:6.1%} {space:17,.0f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Bytes per part of a built site's question pages.")
    parser.add_argument("site_dir", type=Path)
    args = parser.parse_args(argv)
    print(report(site_parts(args.site_dir)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
