"""Helpers for scripts/bench_search.py: query sets, content trees, builds, a local server, the
browser drivers for faqkb / Material / Pagefind, metrics and tables.

Nothing here writes outside the temporary folders it is given; the project's faq/ and site/ are
only ever read.
"""

from __future__ import annotations

import functools
import gzip
import json
import os
import posixpath
import re
import statistics
import subprocess
import sys
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CONTEXT = {"locale": "zh-CN", "timezone_id": "Asia/Shanghai", "viewport": {"width": 1280, "height": 800}}
TOP = 10  # results read per query; MRR is MRR@10
INLINE_LINK = re.compile(r"\[\[(?P<id>[^\[\]|\n]+)(?:\|(?P<text>[^\[\]\n]+))?\]\]")  # as in faqkb/link.py
AFQMC_ANSWER = "请参考服务说明。"


class BenchError(RuntimeError):
    pass


# ------------------------------------------------------------------------------------------------
# Query sets
# ------------------------------------------------------------------------------------------------

@dataclass
class Query:
    q: str
    expected: list[str]
    kind: str


def read_queries(path: Path, expected_key: str, default_kind: str) -> list[Query]:
    """One query per JSON line: the text in "q", the expected entry ids under `expected_key`."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out.append(Query(row["q"], list(row.get(expected_key) or []), row.get("kind", default_kind)))
    return out


def read_own_queries(path: Path) -> list[Query]:
    return read_queries(path, "expected", "?")


def read_afqmc_queries(path: Path) -> list[Query]:
    return read_queries(path, "relevant", "afqmc")


# ------------------------------------------------------------------------------------------------
# Content trees
# ------------------------------------------------------------------------------------------------

def _dump_yaml(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100000)


def write_afqmc_tree(kb_path: Path, faq: Path) -> dict:
    """kb.json → a faqkb content tree (one folder per category, one entries.yml each)."""
    kb = json.loads(kb_path.read_text(encoding="utf-8"))
    all_ids = set()

    def collect(category):
        for q in category.get("questions") or []:
            all_ids.add(q["id"])
        for child in category.get("children") or []:
            collect(child)

    for top in kb["categories"]:
        collect(top)
    stats = {"questions": 0, "categories": 0, "dropped_related": 0, "max_depth": 0}
    kebab = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

    def write(category, folder: Path, depth: int, order: int):
        slug = str(category["id"]).lower()
        if not kebab.match(slug):
            slug = re.sub(r"[^a-z0-9]+", "-", slug).strip("-") or f"c{order}"
        here = folder / slug
        here.mkdir(parents=True)
        stats["categories"] += 1
        stats["max_depth"] = max(stats["max_depth"], depth)
        if depth > 3:
            raise BenchError(f"AFQMC category {category['id']} is deeper than faqkb's 3 folder levels")
        (here / "_category.yml").write_text(_dump_yaml({"title": category["title"], "order": order}),
                                            encoding="utf-8")
        questions = sorted(category.get("questions") or [], key=lambda q: -int(q.get("frequency") or 0))
        entries = []
        for q in questions:
            entry = {"id": q["id"], "question": q["question"], "answer": q.get("answer") or AFQMC_ANSWER,
                     "frequency": int(q.get("frequency") or 0)}
            if q.get("aliases"):
                entry["aliases"] = list(dict.fromkeys(q["aliases"]))
            related = [r for r in dict.fromkeys(q.get("related") or []) if r in all_ids and r != q["id"]]
            stats["dropped_related"] += len(q.get("related") or []) - len(related)
            if related:
                entry["related"] = related
            if q.get("tags"):
                entry["tags"] = list(dict.fromkeys(q["tags"]))
            entries.append(entry)
        stats["questions"] += len(entries)
        if entries:
            (here / "entries.yml").write_text(_dump_yaml(entries), encoding="utf-8")
        for number, child in enumerate(category.get("children") or [], 1):
            write(child, here, depth + 1, number)

    faq.mkdir(parents=True)
    for number, top in enumerate(kb["categories"], 1):
        write(top, faq, 1, number)
    return stats


def write_faqkb_config(config_path: Path, docs_dir: Path, site_dir: Path) -> None:
    """A copy of the repository's mkdocs.yml with docs_dir and site_dir replaced."""
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    for key, value in (("docs_dir", docs_dir), ("site_dir", site_dir)):
        line = f"{key}: {json.dumps(str(value))}"
        text, count = re.subn(rf"(?m)^{key}:.*$", line, text)
        if not count:
            text = line + "\n" + text
    config_path.write_text(text, encoding="utf-8")


def load_checked_content(faq: Path):
    """faqkb's own load + validate; raises with the problems if the tree has errors."""
    from faqkb.content.check import check
    from faqkb.content.problems import format_problems

    content, problems = check(faq, display_base=faq.parent)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise BenchError(f"faqkb rejects the content tree {faq}:\n" + format_problems(errors[:20]))
    return content


def _sorted_categories(categories):
    try:
        from faqkb.content.order import sorted_categories
        return sorted_categories(categories)
    except Exception:  # noqa: BLE001 - only for page order in the peers' sites
        return sorted(categories, key=lambda c: c.slug)


def write_peer_pages(categories, docs: Path, *, home_title: str, sort_categories, extras: bool = True) -> dict[str, str]:
    """Plain Markdown of a content tree: one page per question, one index.md per category.

    Serves faqkb's Content (bench_search) and gen_tree's GenTree (bench_build): both have
    categories with path, title, description, children and entries, and entries with id, question,
    answer and frequency. `extras` adds each question's aliases and tags to its page, so that
    the peers' searches can match them too. Returns id -> page path.
    """
    def walk(level):
        for category in sort_categories(level):
            yield category
            yield from walk(category.children)

    pages: dict[str, str] = {}
    for category in walk(categories):
        folder = "/".join(category.path)
        children = {c.path[-1] for c in category.children}
        for entry in category.entries:
            if entry.id in children or entry.id == "index":
                raise BenchError(f"question id {entry.id} clashes with a folder of {folder}")
            pages[entry.id] = f"{folder}/{entry.id}.md"
    questions = {entry.id: entry.question for category in walk(categories) for entry in category.entries}

    def convert_links(answer: str, page: str) -> str:
        def replace(match: re.Match) -> str:
            target = match.group("id").strip()
            if target not in pages:
                return match.group(0)
            text = (match.group("text") or questions[target]).strip()
            return f"[{text}]({posixpath.relpath(pages[target], posixpath.dirname(page))})"

        return INLINE_LINK.sub(replace, answer)

    def write(path: str, text: str) -> None:
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    write("index.md", "\n".join([f"# {home_title}", "", "## 问题分类", ""]
                                + [f"- [{c.title}]({c.path[-1]}/index.md)" for c in sort_categories(categories)]) + "\n")
    for category in walk(categories):
        folder = "/".join(category.path)
        lines = [f"# {category.title}", ""]
        if isinstance(category.description, str) and category.description:
            lines += [category.description, ""]
        if category.children:
            lines += ["## 分类", ""] + [f"- [{c.title}]({c.path[-1]}/index.md)"
                                       for c in sort_categories(category.children)] + [""]
        entries = sorted(category.entries, key=lambda e: (-e.frequency, e.question))
        if entries:
            lines += ["## 常见问题", ""] + [f"- [{e.question}]({e.id}.md)" for e in entries]
        write(f"{folder}/index.md", "\n".join(lines) + "\n")
        for entry in category.entries:
            page = pages[entry.id]
            body = [f"# {entry.question}", "", convert_links(str(entry.answer), page).rstrip(), ""]
            if extras and entry.aliases:
                body += ["其他问法：" + "；".join(map(str, entry.aliases)), ""]
            if extras and entry.tags:
                body += ["标签：" + "、".join(map(str, entry.tags)), ""]
            write(page, "\n".join(body))
    return pages


def peer_nav(categories, sort_categories, every_page: bool) -> list:
    """Material's nav for those pages: the category pages, and with every_page each question too."""
    def section(category):
        folder = "/".join(category.path)
        items: list = [f"{folder}/index.md"]
        if every_page:
            entries = sorted(category.entries, key=lambda e: (-e.frequency, e.question))
            items += [{e.question: f"{folder}/{e.id}.md"} for e in entries]
        items += [section(c) for c in sort_categories(category.children)]
        return {category.title: items}

    return [{"首页": "index.md"}] + [section(c) for c in sort_categories(categories)]


def export_markdown(content, docs: Path) -> tuple[dict[str, str], list]:
    """faqkb's content as peer pages. Returns (URL path of every question page -> id, Material nav
    listing the category pages). Category index pages get URLs too; they map to no id (a result
    pointing there is a miss)."""
    pages = write_peer_pages(content.categories, docs, home_title="帮助中心", sort_categories=_sorted_categories)
    urls = {"/" + posixpath.splitext(p)[0] + "/": i for i, p in pages.items()}
    return urls, peer_nav(content.categories, _sorted_categories, every_page=False)


def write_material_config(path: Path, docs_dir: Path, site_dir: Path, nav: list, search: bool,
                          jieba_user_dict: Path | None = None) -> None:
    plugins: list = []
    if search:
        options = {"lang": "zh"}
        if jieba_user_dict:
            options["jieba_dict_user"] = str(jieba_user_dict)
        plugins = [{"search": options}]
    config = {
        "site_name": "帮助中心",
        "site_url": "https://help.example.com/",
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "theme": {"name": "material", "language": "zh", "font": False,
                  "features": ["navigation.indexes", "navigation.top"]},
        "plugins": plugins,
        "nav": nav,
    }
    path.write_text(_dump_yaml(config), encoding="utf-8")


def shop_words_dict(out: Path) -> Path | None:
    """faqkb's shop vocabulary as a jieba user dictionary, so Material segments with the same words."""
    source = REPO / "plugins" / "faqkb" / "data" / "shop_words.txt"
    if not source.is_file():
        return None
    words = list(dict.fromkeys(source.read_text(encoding="utf-8").split()))
    out.write_text("".join(f"{w} 2000\n" for w in words), encoding="utf-8")
    return out


# ------------------------------------------------------------------------------------------------
# Builds
# ------------------------------------------------------------------------------------------------

def run_logged(cmd: list[str], log: Path, timeout: float, cwd: Path | None = None, label: str = "") -> float:
    # A private temporary folder per command: whoosh's RamStorage spills large indexes into the
    # fixed folder $TMPDIR/MAIN.tmp and deletes it when done, so two faqkb builds at once (here:
    # the 10k site in the background) would break each other without this.
    tmp = log.parent / f"tmp-{log.stem}"
    tmp.mkdir(exist_ok=True)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1", TMPDIR=str(tmp))
    start = time.perf_counter()
    with log.open("wb") as out:
        try:
            proc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, timeout=timeout, cwd=cwd)
        except subprocess.TimeoutExpired as error:
            raise BenchError(f"timed out after {timeout:.0f}s: {label or ' '.join(cmd)}\n{tail(log)}") from error
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise BenchError(f"exit {proc.returncode}: {label or ' '.join(cmd)} (log {log})\n{tail(log)}")
    return seconds


def tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def mkdocs_build(config: Path, log: Path, timeout: float = 900) -> float:
    return run_logged([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)], log, timeout)


# `mkdocs build -f CONFIG` as the CLI runs it, but printing the whole exception chain when the
# build fails (MkDocs prints only the message; a crash in faqkb's search worker needs its traceback).
_BUILD_WITH_TRACEBACK = """
import logging, sys, traceback
from mkdocs.commands.build import build
from mkdocs.config import load_config
logging.basicConfig(level=logging.WARNING, format="%(levelname)-7s -  %(message)s")
config = load_config(config_file=sys.argv[1])
config.plugins.on_startup(command="build", dirty=False)
try:
    build(config)
except BaseException:
    traceback.print_exc()
    sys.exit(1)
finally:
    config.plugins.on_shutdown()
"""


def faqkb_build(config: Path, log: Path, timeout: float = 1200) -> float:
    return run_logged([sys.executable, "-c", _BUILD_WITH_TRACEBACK, str(config)], log, timeout,
                      label=f"mkdocs build -f {config} (faqkb)")


def pagefind_build(site: Path, log: Path, timeout: float = 600) -> float:
    return run_logged([sys.executable, "-m", "pagefind", "--site", str(site)], log, timeout)


def faqkb_search_dir(site: Path) -> Path:
    found = sorted(p.parent for p in (site / "search").glob("*/meta.json"))
    if len(found) != 1:
        raise BenchError(f"expected one search/<version>/meta.json under {site}, found {len(found)}")
    return found[0]


# ------------------------------------------------------------------------------------------------
# Local server
# ------------------------------------------------------------------------------------------------

class _QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm",
                      ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json"}

    def log_message(self, format, *args):  # noqa: A002
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def handle(self):
        try:
            super().handle()
        except (ConnectionError, BrokenPipeError):
            pass


class Server:
    """http.server on 127.0.0.1 (a free port) in a background thread, serving one folder."""

    def __init__(self, root: Path):
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


# ------------------------------------------------------------------------------------------------
# Browser
# ------------------------------------------------------------------------------------------------

class Browser:
    def __init__(self):
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        try:
            self.browser = self._pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Exception:
            self._pw.stop()
            raise

    def context(self):
        context = self.browser.new_context(**CONTEXT)
        # Nothing may leave the machine.
        context.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/]).*"),
                      lambda route: route.abort() if route.request.url.startswith("http") else route.continue_())
        return context

    def close(self):
        try:
            self.browser.close()
        finally:
            self._pw.stop()


class Recorder:
    """Every response a context receives (pages and their workers), with its body read later."""

    def __init__(self, context):
        self.responses = []
        context.on("response", lambda response: self.responses.append(response))
        self._sizes: dict[int, tuple[int, int]] = {}

    def mark(self) -> int:
        return len(self.responses)

    def since(self, mark: int) -> list:
        return self.responses[mark:]

    def sizes(self, response) -> tuple[int, int]:
        """(raw bytes, gzip.compress(body) bytes) of one response."""
        key = id(response)
        if key not in self._sizes:
            try:
                body = response.body()
            except Exception:  # noqa: BLE001 - redirects and aborted requests have no body
                body = b""
            self._sizes[key] = (len(body), len(gzip.compress(body)))
        return self._sizes[key]


def path_of(url: str) -> str:
    return unquote(urlsplit(url).path)


# ------------------------------------------------------------------------------------------------
# Metrics and tables
# ------------------------------------------------------------------------------------------------

@dataclass
class Run:
    """One system on one query set: the ranked ids of every query (None = not a question page)."""

    system: str
    queryset: str
    queries: list[Query]
    ranked: list[list[str | None]]
    seconds: float = 0.0
    note: str = ""
    errors: list[str] = field(default_factory=list)
    failed: set[int] = field(default_factory=set)  # queries that raised instead of answering


def metrics(queries: list[Query], ranked: list[list[str | None]]) -> dict:
    """Per kind and for all answerable queries: n, R@1, R@5, MRR@10; for unanswerable: no-result share."""
    groups: dict[str, list[tuple[Query, list]]] = {}
    for query, ids in zip(queries, ranked):
        groups.setdefault(query.kind, []).append((query, ids))
    out: dict[str, dict] = {}

    def score(rows):
        hits1 = hits5 = 0
        rr = 0.0
        for query, ids in rows:
            expected = set(query.expected)
            rank = next((i + 1 for i, x in enumerate(ids[:TOP]) if x in expected), None)
            hits1 += rank == 1
            hits5 += rank is not None and rank <= 5
            rr += 1.0 / rank if rank else 0.0
        n = len(rows)
        return {"n": n, "r1": hits1 / n, "r5": hits5 / n, "mrr": rr / n}

    answerable = []
    for kind in sorted(groups, key=lambda k: (k == "unanswerable", k)):
        rows = groups[kind]
        with_ids = [r for r in rows if r[0].expected]
        if with_ids:
            out[kind] = score(with_ids)
            answerable += with_ids
        else:
            empty = sum(1 for _, ids in rows if not ids)
            out[kind] = {"n": len(rows), "no_results": empty / len(rows)}
    if answerable:
        out["ALL answerable"] = score(answerable)
    return out


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(header: list[str], rows: list[list[str]], align: str | None = None) -> str:
    align = align or "l" + "r" * (len(header) - 1)
    widths = [max(display_width(str(r[i])) for r in [header] + rows) for i in range(len(header))]

    def line(cells):
        parts = []
        for i, cell in enumerate(cells):
            cell = str(cell)
            pad = " " * (widths[i] - display_width(cell))
            parts.append(cell + pad if align[i] == "l" else pad + cell)
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule] + [line(r) for r in rows])


def kb(n: float | None) -> str:
    return "—" if n is None else f"{n / 1024:.1f} KB"


def ms(n: float | None) -> str:
    return "—" if n is None else f"{n:.2f} ms"


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def median(values):
    return statistics.median(values) if values else None
