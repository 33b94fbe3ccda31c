"""What the benchmarks in scripts/ share beyond the test harness (tests/harness: builds, servers,
the browser): query sets, the AFQMC tree, the peers' Markdown sites, recording what a page
fetched, metrics and tables.

Nothing here writes outside the temporary folders it is given; the project's faq/ and site/ are
only ever read.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import posixpath
import re
import subprocess
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from harness import site  # tests/harness/site.py: the scripts put tests/ on sys.path

from faqkb.content.order import by_frequency, sorted_categories
from faqkb.content.syntax import INLINE_LINK

REPO = Path(__file__).resolve().parents[1]

TOP = 10  # results read per query; MRR is MRR@10
AFQMC_ANSWER = "请参考服务说明。"


class BenchError(RuntimeError):
    pass


def environment() -> dict:
    """Where a figure was measured: versions, CPUs and how busy the machine was."""
    import importlib.metadata as metadata
    import platform

    return {"python": platform.python_version(), "mkdocs": metadata.version("mkdocs"),
            "mkdocs_material": metadata.version("mkdocs-material"), "faqkb": metadata.version("faqkb"),
            "platform": f"{platform.system()} {platform.machine()}", "cpus": os.cpu_count(),
            "cpus_usable": len(os.sched_getaffinity(0)), "load_average": [round(x, 2) for x in os.getloadavg()]}


def environment_line(env: dict) -> str:
    return (f"Python {env['python']}, {env['platform']}, CPUs: {env['cpus']} ({env['cpus_usable']} usable), "
            f"load average {' '.join(f'{x:.2f}' for x in env['load_average'])}\n"
            f"mkdocs {env['mkdocs']}, mkdocs-material {env['mkdocs_material']}, faqkb {env['faqkb']}")


# ------------------------------------------------------------------------------------------------
# Query sets
# ------------------------------------------------------------------------------------------------

@dataclass
class Query:
    q: str
    expected: list[str]
    kind: str
    group: str = ""  # the part of the query set it belongs to (own set, blind halves, AFQMC halves)


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
    """AFQMC's queries, the first half and the second half of the file reported apart."""
    queries = read_queries(path, "relevant", "afqmc")
    for number, query in enumerate(queries):
        query.group = "AFQMC first half" if number < len(queries) // 2 else "AFQMC second half"
    return queries


def blind_half(text: str) -> int:
    """The fixed split of the blind query set: 0 for the tuning half (read while changing the
    ranking), 1 for the held-out half (only ever reported)."""
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16) % 2


def read_blind_queries(path: Path) -> list[Query]:
    queries = read_queries(path, "expected", "?")
    for query in queries:
        query.group = ("blind set, tuning half", "blind set, held-out half")[blind_half(query.q)]
    return queries


def read_dev_queries(path: Path, group: str = "second blind set (tuned against)") -> list[Query]:
    """The second and third blind sets: written like the first (question and category titles
    only), all of them read while tuning; they have no held-out half."""
    queries = read_queries(path, "expected", "?")
    for query in queries:
        query.group = group
    return queries


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


def check_tree(faq: Path, display_base: Path | None = None):
    """faqkb's own load + validate; the content, or BenchError with the problems when any is an error."""
    from faqkb.content.problems import format_problems

    content, problems = site.check_content(faq, display_base=display_base or faq.parent)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise BenchError(f"faqkb rejects the content tree {faq}:\n" + format_problems(errors[:20]))
    return content, problems


def _walk(categories):
    for category in sorted_categories(categories):
        yield category
        yield from _walk(category.children)


def write_peer_pages(content, docs: Path, *, home_title: str, extras: bool = True) -> dict[str, str]:
    """faqkb's content as plain Markdown: one page per question, one index.md per category, in
    the site's order. `extras` adds each question's aliases and tags to its page, so that the
    peers' searches can match them too. Returns id -> page path."""
    pages: dict[str, str] = {}
    for category in _walk(content.categories):
        folder = "/".join(category.path)
        children = {c.path[-1] for c in category.children}
        for entry in category.entries:
            if entry.id in children or entry.id == "index":
                raise BenchError(f"question id {entry.id} clashes with a folder of {folder}")
            pages[entry.id] = f"{folder}/{entry.id}.md"
    questions = {entry.id: entry.question for entry in content.entries}

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
                                + [f"- [{c.title}]({c.path[-1]}/index.md)"
                                   for c in sorted_categories(content.categories)]) + "\n")
    for category in _walk(content.categories):
        folder = "/".join(category.path)
        lines = [f"# {category.title}", ""]
        if isinstance(category.description, str) and category.description:
            lines += [category.description, ""]
        if category.children:
            lines += ["## 分类", ""] + [f"- [{c.title}]({c.path[-1]}/index.md)"
                                       for c in sorted_categories(category.children)] + [""]
        entries = by_frequency(category.entries)
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


def peer_nav(content, every_page: bool) -> list:
    """Material's nav for those pages: the category pages, and with every_page each question too."""
    def section(category):
        folder = "/".join(category.path)
        items: list = [f"{folder}/index.md"]
        if every_page:
            entries = by_frequency(category.entries)
            items += [{e.question: f"{folder}/{e.id}.md"} for e in entries]
        items += [section(c) for c in sorted_categories(category.children)]
        return {category.title: items}

    return [{"首页": "index.md"}] + [section(c) for c in sorted_categories(content.categories)]


def peer_urls(pages: dict[str, str]) -> dict[str, str]:
    """URL path of every question page -> its id. Category pages map to no id: a result pointing
    there is a miss."""
    return {"/" + posixpath.splitext(p)[0] + "/": i for i, p in pages.items()}


def write_material_config(path: Path, docs_dir: Path, site_dir: Path, nav: list, *, search: bool,
                          jieba_user_dict: Path | None = None, site_name: str = "帮助中心") -> Path:
    """Plain Material (the project's theme features) over the peer pages, with its own search or none."""
    plugins: list = []
    if search:
        options = {"lang": "zh"}
        if jieba_user_dict:
            options["jieba_dict_user"] = str(jieba_user_dict)
        plugins = [{"search": options}]
    features = list(site.project_config()["theme"].get("features") or [])
    config = {
        "site_name": site_name,
        "site_url": "https://help.example.com/",
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "theme": {"name": "material", "language": "zh", "font": False,
                  "features": ["navigation.indexes"] + [f for f in features if f != "navigation.indexes"]},
        "plugins": plugins,
        "nav": nav,
    }
    path.write_text(_dump_yaml(config), encoding="utf-8")
    return path


def shop_words_dict(out: Path) -> Path:
    """faqkb's shop vocabulary as a jieba user dictionary, so Material segments with the same words."""
    from faqkb.search.text import DATA

    words = list(dict.fromkeys((DATA / "shop_words.txt").read_text(encoding="utf-8").split()))
    out.write_text("".join(f"{w} 2000\n" for w in words), encoding="utf-8")
    return out


# ------------------------------------------------------------------------------------------------
# Builds
# ------------------------------------------------------------------------------------------------

def build(config: Path, log: Path, timeout: float = 1200) -> float:
    """The site of `config` built in a process of its own (tests/harness/site.py); its seconds."""
    run = site.build_process(config, log, timeout=timeout)
    if not run.ok:
        raise BenchError(f"mkdocs build -f {config}: {run.status} (log {log})\n{run.tail(60)}")
    return run.seconds


def pagefind_missing() -> str | None:
    """Why the peers' Pagefind cannot run here, or None: it is not part of the test install."""
    import importlib.util

    if importlib.util.find_spec("pagefind") is None:
        return "Pagefind is not installed: run `make install-bench` first"
    return None


def pagefind_build(site_dir: Path, log: Path, timeout: float = 600) -> float:
    start = time.perf_counter()
    with log.open("wb") as out:
        proc = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site_dir)], stdout=out,
                              stderr=subprocess.STDOUT, timeout=timeout)
    if proc.returncode != 0:
        raise BenchError(f"pagefind exited with {proc.returncode} (log {log})")
    return time.perf_counter() - start


def faqkb_search_dir(site_dir: Path) -> Path:
    found = sorted(p.parent for p in (site_dir / "search").glob("*/meta.json"))
    if len(found) != 1:
        raise BenchError(f"expected one search/<version>/meta.json under {site_dir}, found {len(found)}")
    return found[0]


# ------------------------------------------------------------------------------------------------
# Browser
# ------------------------------------------------------------------------------------------------

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


def site_files(site_dir: Path) -> tuple[int, int, int]:
    """(bytes, files, HTML pages) of a built site."""
    size = files = pages = 0
    for folder, _, names in os.walk(site_dir):
        for name in names:
            size += os.path.getsize(os.path.join(folder, name))
            files += 1
            pages += name.endswith(".html")
    return size, files, pages


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
