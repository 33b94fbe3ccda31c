"""`faqkb insights LOG…`: what shoppers searched for, opened and thought of the answers, read from
the web server's access log of the site's analytics events (site/analytics.py, deploy/nginx.conf).

A log line counts as an event when its request is a GET of the endpoint's path (mkdocs.yml's
analytics.endpoint, else /e.gif) with the event in its query string. The line may be in the
`faqkb_events` format of deploy/nginx.conf or in nginx's and Apache's `combined` format (any line
with `[time] "GET /e.gif?… HTTP/1.1"`), plain or gzipped; other requests of the site's own access
log are skipped. A line that is not a log line, or an event with fields that make no sense, is
counted as malformed and the first few are shown with their file and line number.

The log is read one line at a time and only counts are kept: per query, per entry, per (query,
entry). Each table holds at most TABLE_LIMIT keys; past that, the rarest keys are dropped (and the
report says how many), so memory stays bounded whatever the log's size.

With --write-frequency, every entry's `frequency` becomes its views per week in the period
(FREQUENCY_FORMULA); with --apply-aliases N, the queries that led shoppers to an entry ranked 3rd
or lower at least N times are added to its `aliases`, unless the same wording is already an alias
or a question. Both write through the round-trip editor (frequency.write_changes), like
`faqkb frequency import`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import json
import math
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote_plus, urlsplit

from ..content.dates import shop_timezone
from ..content.model import Content, Entry
from ..content.problems import format_problems
from ..content.syntax import is_kebab
from ..search.mask import is_masked, mask_query
from ..search.query import analyze
from ..search.text import PARTICLES
from ..site.analytics import EVENT_VERSION, EVENTS, REASONS, VOTES, endpoint_path
from . import yamledit
from .frequency import Change, question_key, write_changes
from .project import check_project, day, plugin_settings, project_timezone, whole_number

DEFAULT_ENDPOINT = "/e.gif"
ALIAS_RANK = 3  # a result opened at this rank or lower: the query did not find it well enough
TABLE_LIMIT = 200_000  # keys per table: memory stays bounded on any log
MALFORMED_SHOWN = 5
_VERSION = str(EVENT_VERSION)
FREQUENCY_FORMULA = "每周浏览次数 = 这段时间的浏览次数 × 7 ÷ 天数，四舍五入"

_ESCAPED = re.compile(r"\\x([0-9A-Fa-f]{2})")
_MONTHS = {name: number for number, name in enumerate(
    "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}
_TIME_LOCAL = re.compile(r"(\d{1,2})/([A-Z][a-z]{2})/(\d{4}):(\d{2}):(\d{2})(?::\d{2})? ([+-])(\d{2})(\d{2})$")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "insights", help="网站统计：顾客搜什么、没搜到什么、看了哪些问题、觉得有没有帮助",
        description="读取网站服务器记录的访问日志（deploy/nginx.conf 的 faqkb_events 格式或 combined 格式，"
                    ".gz 压缩的也可以），统计搜索、点击、浏览和“有帮助”投票。")
    parser.add_argument("logs", nargs="+", metavar="LOG", help="日志文件，可以写多个")
    parser.add_argument("--since", type=day, metavar="YYYY-MM-DD", help="只统计这一天及以后（商店时区）")
    parser.add_argument("--until", type=day, metavar="YYYY-MM-DD", help="只统计这一天及以前（商店时区）")
    parser.add_argument("--format", choices=["text", "markdown", "json"], default="text",
                        help="text：给人看；markdown：放进 pull request；json：给程序用")
    parser.add_argument("--content", default="faq", help="内容目录（默认 faq）")
    parser.add_argument("-n", "--top", type=whole_number(1), default=20, help="每张表最多列几行（默认 20）")
    parser.add_argument("--endpoint", help="事件的地址（默认读取 mkdocs.yml 的 analytics.endpoint，否则 /e.gif）")
    parser.add_argument("--write-frequency", action="store_true",
                        help=f"按浏览次数更新每个问题的 frequency（{FREQUENCY_FORMULA}），并重新排序")
    parser.add_argument("--apply-aliases", type=whole_number(1), metavar="MIN_COUNT",
                        help="把至少出现 MIN_COUNT 次的别名候选加进对应问题的 aliases")
    parser.add_argument("--dry-run", action="store_true", help="只显示会有哪些变化，不修改任何文件")
    parser.set_defaults(run=_run)


# -- reading the log -------------------------------------------------------------------------------


class LogError(Exception):
    """A log cannot be read at all; the message says why, for staff."""


def log_lines(path: Path) -> Iterator[str]:
    """The lines of a log file, gunzipped if it is gzipped (whatever its name)."""
    try:
        with path.open("rb") as probe:
            gzipped = probe.read(2) == b"\x1f\x8b"
        opener = gzip.open if gzipped else open
        with opener(path, "rt", encoding="utf-8", errors="replace", newline=None) as lines:
            yield from lines
    except (OSError, EOFError) as error:  # gzip raises these for a damaged or cut-off file
        raise LogError(f"无法读取日志 {path}：{getattr(error, 'strerror', None) or error}") from error


class Tally(Counter):
    """A Counter that never holds more than `limit` keys: past it, the rarest half is dropped."""

    def __init__(self, limit: int = TABLE_LIMIT):
        super().__init__()
        self.limit = limit
        self.dropped = 0  # keys dropped

    def add(self, key, count: int = 1) -> None:
        self[key] += count
        if len(self) > self.limit:
            threshold = sorted(self.values())[len(self) // 2]
            rare = [k for k, v in self.items() if v <= threshold and k != key]
            for k in rare:
                del self[k]
            self.dropped += len(rare)


@dataclass
class Malformed:
    file: str
    line: int
    why: str
    text: str


@dataclass
class Tallies:
    """Everything counted from the logs (plain counts; the report is made from them)."""

    lines: int = 0
    events: int = 0
    other: int = 0  # the site's other requests in the same log
    outside: int = 0  # events before --since or after --until
    malformed: int = 0
    malformed_shown: list[Malformed] = field(default_factory=list)
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    searches: Tally = field(default_factory=Tally)  # q → searches
    empty: Tally = field(default_factory=Tally)  # q → searches with no result
    clicks: Tally = field(default_factory=Tally)  # id → results opened
    low_clicks: Tally = field(default_factory=Tally)  # (q, id) → opened at rank ALIAS_RANK or lower
    views: Tally = field(default_factory=Tally)  # id → question pages opened
    votes: Tally = field(default_factory=Tally)  # (id, up|down) → votes
    reasons: Tally = field(default_factory=Tally)  # (id, reason) → votes
    kinds: Counter = field(default_factory=Counter)  # e → events

    def tables(self) -> list[Tally]:
        return [self.searches, self.empty, self.clicks, self.low_clicks, self.views, self.votes, self.reasons]


class _Bad(Exception):
    """An event line whose fields make no sense (the message says which, for staff)."""


def _unescape(text: str) -> str:
    """nginx writes bytes outside printable ASCII as \\xHH; browsers percent-encode them anyway."""
    raw = _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)
    return raw.encode("latin-1", "replace").decode("utf-8", "replace")


def _query_fields(query: str) -> dict[str, str]:
    """The query string's fields, still percent-encoded (q is decoded by _query_text, once per wording)."""
    fields = {}
    for pair in query.split("&"):
        name, _, value = pair.partition("=")
        fields[name] = value
    return fields


def _plain(value: str) -> str:
    return unquote_plus(value) if ("%" in value or "+" in value) else value


@functools.lru_cache(maxsize=1 << 16)  # shoppers repeat the same queries: decode and mask each once
def _query_text(encoded: str) -> str:
    """q as it goes into the report: decoded, and masked again (a page of an older faqkb, or a
    hand-made request, may not have masked it)."""
    return mask_query(unquote_plus(encoded))


@functools.lru_cache(maxsize=8192)
def _day(minute: str, zone_name: str) -> dt.date:
    """The shop's date of a log time to the minute: `04/Dec/2026:18:00 +0800` ($time_local) or
    `2026-12-04T18:00+08:00` ($time_iso8601). Month names are read in English, as nginx writes them
    whatever the machine's language."""
    match = _TIME_LOCAL.match(minute) if "/" in minute else None
    if match:
        d, month, year, hour, minutes, sign, off_h, off_m = match.groups()
        if month not in _MONTHS:
            raise ValueError(minute)
        offset = (int(off_h) * 60 + int(off_m)) * (-1 if sign == "-" else 1)
        moment = dt.datetime(int(year), _MONTHS[month], int(d), int(hour), int(minutes),
                             tzinfo=dt.timezone(dt.timedelta(minutes=offset)))
    elif "/" in minute:
        raise ValueError(minute)
    else:
        moment = dt.datetime.fromisoformat(minute.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            raise ValueError(minute)
    return moment.astimezone(shop_timezone(zone_name)).date()


def _minute(time: str) -> str:
    """The time without its seconds: a day's events share a few hundred keys for _day's cache."""
    if "/" in time:  # 04/Dec/2026:18:00:05 +0800
        return time[:-9] + time[-6:] if len(time) >= 26 else time
    return time[:16] + time[19:] if len(time) >= 20 and time[16] == ":" else time  # 2026-12-04T18:00:05+08:00


@dataclass
class Reading:
    """How to read the logs: the endpoint's path, the shop's time zone, the period wanted."""

    endpoint: str = DEFAULT_ENDPOINT
    timezone: str = "Asia/Shanghai"
    since: dt.date | None = None
    until: dt.date | None = None


def read_logs(paths: Iterable[Path], reading: Reading) -> Tallies:
    """Counts the events of every log, in order, one line at a time."""
    tallies = Tallies()
    path_wanted = endpoint_path(reading.endpoint)
    for path in paths:
        for number, line in enumerate(log_lines(path), 1):
            tallies.lines += 1
            parts = _split_line(line)
            if parts is None:
                if line.strip():
                    _malformed(tallies, path, number, "不是访问日志的一行", line)
                continue
            time, request = parts
            method, _, rest = request.partition(" ")
            target = rest.split(" ", 1)[0]
            base, _, query = target.partition("?")
            if base.startswith(("http://", "https://")):  # a proxy's absolute-form request
                base = urlsplit(base).path
            if method != "GET" or base != path_wanted or not query:
                tallies.other += 1
                continue
            try:
                _count(tallies, query, time, reading)
            except _Bad as error:
                _malformed(tallies, path, number, str(error), line)
    return tallies


def _split_line(line: str) -> tuple[str, str] | None:
    """(time, request) of `[time] "request"`, the part every format faqkb reads shares: nginx's
    faqkb_events and combined, Apache's combined, nginx-like CDN logs. (str.find, not a regular
    expression: this runs for every line of the log.)"""
    start = line.find("[")
    close = line.find('] "', start)
    if start < 0 or close < 0:
        return None
    end = line.find('"', close + 3)
    while end > 0 and line[end - 1] == "\\":  # Apache writes a quote inside the request as \"
        end = line.find('"', end + 1)
    if end < 0:
        return None
    return line[start + 1:close], line[close + 3:end]


def _malformed(tallies: Tallies, path: Path, number: int, why: str, line: str) -> None:
    tallies.malformed += 1
    if len(tallies.malformed_shown) < MALFORMED_SHOWN:
        text = line.rstrip("\r\n")
        tallies.malformed_shown.append(Malformed(str(path), number, why, text if len(text) <= 160 else text[:160] + "…"))


def _count(tallies: Tallies, query: str, time: str, reading: Reading) -> None:
    if "\\x" in query:
        query = _unescape(query)
    fields = _query_fields(query)
    if fields.get("v") != _VERSION:
        raise _Bad(f"不认识的事件版本 v={_plain(fields.get('v', ''))}（这个版本的 faqkb 读 v={EVENT_VERSION}）")
    kind = fields.get("e", "")
    if kind not in EVENTS:
        raise _Bad(f"不认识的事件 e={_plain(kind)}")
    try:
        day = _day(_minute(time), reading.timezone)
    except ValueError:
        raise _Bad(f"时间“{time}”看不懂") from None
    entry_id = fields.get("id", "")
    if kind != "search" and not is_kebab(entry_id):
        raise _Bad(f"{kind} 事件的 id“{_plain(entry_id)}”不对")
    if kind in ("search", "click"):
        q = _query_text(fields.get("q", ""))
        if not q:
            raise _Bad(f"{kind} 事件缺少 q")
    if kind == "search":
        results = _number(fields, "n", 0)
    elif kind == "click":
        rank = _number(fields, "rank", 1)
    elif kind == "vote":
        vote, reason = fields.get("vote", ""), fields.get("reason", "")
        if vote not in VOTES:
            raise _Bad(f"vote 事件的 vote“{_plain(vote)}”不对")
        if reason and (vote != "down" or reason not in REASONS):
            raise _Bad(f"vote 事件的 reason“{_plain(reason)}”不对")
    if (reading.since and day < reading.since) or (reading.until and day > reading.until):
        tallies.outside += 1
        return
    tallies.events += 1
    tallies.kinds[kind] += 1
    tallies.first_day = day if tallies.first_day is None else min(tallies.first_day, day)
    tallies.last_day = day if tallies.last_day is None else max(tallies.last_day, day)
    if kind == "view":
        tallies.views.add(entry_id)
    elif kind == "search":
        tallies.searches.add(q)
        if results == 0:
            tallies.empty.add(q)
    elif kind == "click":
        tallies.clicks.add(entry_id)
        if rank >= ALIAS_RANK:
            tallies.low_clicks.add((q, entry_id))
    else:
        tallies.votes.add((entry_id, vote))
        if reason:
            tallies.reasons.add((entry_id, reason))


def _number(fields: dict[str, str], name: str, minimum: int) -> int:
    text = fields.get(name, "")
    if not (text.isascii() and text.isdigit()) or int(text) < minimum:
        raise _Bad(f"{fields.get('e')} 事件的 {name}“{_plain(text)}”不是大于等于 {minimum} 的整数")
    return int(text)


# -- what the counts say ---------------------------------------------------------------------------


def query_form(query: str) -> str:
    """The form a query is grouped under: the search's own analysis (normalised; full width, case,
    Traditional and 七天 folded; filler words such as 请问 and 怎么 split off), without particles
    at the ends of its pieces or any punctuation."""
    analysis = analyze(query)
    pieces = [(piece.strip("".join(PARTICLES)), start) for piece, start in analysis.cjk]
    pieces += analysis.ascii
    return " ".join(piece for piece, _ in sorted(pieces, key=lambda p: p[1]) if piece)


@dataclass
class Period:
    first: dt.date | None
    last: dt.date | None

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1 if self.first and self.last else 0


def period(tallies: Tallies, reading: Reading) -> Period:
    """The days the report covers: --since to --until where given, else the first and last event's day."""
    return Period(reading.since or tallies.first_day, reading.until or tallies.last_day)


def weekly(views: int, days: int) -> int:
    """FREQUENCY_FORMULA: views in the period, per 7 days, rounded half up."""
    return math.floor(views * 7 / days + 0.5) if days else 0


@dataclass
class Candidate:
    """A query that led shoppers to an entry the search ranked ALIAS_RANK or lower."""

    query: str
    entry_id: str
    count: int
    note: str = ""  # why it would not be added ("" when it would)


def alias_candidates(tallies: Tallies, content: Content | None) -> list[Candidate]:
    """Most seen first; each with why --apply-aliases would skip it, if it would."""
    known: dict[str, str] = {}  # wording key → what it already is
    entries = content.entries_by_id() if content else {}
    for entry in entries.values():
        for alias in entry.aliases if isinstance(entry.aliases, list) else []:
            if isinstance(alias, str):
                known.setdefault(question_key(alias), f"已是 {entry.id} 的别名")
        if isinstance(entry.question, str):
            known[question_key(entry.question)] = f"和 {entry.id} 的问题相同"
    found = []
    for (query, entry_id), count in sorted(tallies.low_clicks.items(), key=lambda item: (-item[1], item[0])):
        key = question_key(query)
        if content is not None and entry_id not in entries:
            note = "内容里没有这个 id"
        elif is_masked(query):
            note = "含有被遮盖的个人信息"
        elif not key:
            note = "没有文字"
        else:
            note = known.get(key, "")
        if not note:
            known[key] = f"刚加进 {entry_id} 的别名"
        found.append(Candidate(query, entry_id, count, note))
    return found


@dataclass
class Report:
    tallies: Tallies
    period: Period
    content: Content | None
    top: int
    candidates: list[Candidate]
    entries: dict[str, Entry] = field(default_factory=dict)

    def __post_init__(self):
        self.entries = self.content.entries_by_id() if self.content else {}

    def question(self, entry_id: str) -> str:
        entry = self.entries.get(entry_id)
        return entry.question if entry else ("（内容里没有这个问题）" if self.content else "")

    def top_searches(self) -> list[tuple[str, int, int]]:
        """(query, searches, of which with no result), most searched first."""
        ranked = sorted(self.tallies.searches.items(), key=lambda item: (-item[1], item[0]))[: self.top]
        return [(q, n, self.tallies.empty.get(q, 0)) for q, n in ranked]

    def empty_searches(self) -> list[tuple[str, int, list[str]]]:
        """(normalised form, searches, the wordings seen, most common first) of searches with no result."""
        groups: dict[str, Counter] = {}
        for q, n in self.tallies.empty.items():
            groups.setdefault(query_form(q) or q, Counter())[q] += n
        ranked = sorted(groups.items(), key=lambda item: (-sum(item[1].values()), item[0]))[: self.top]
        return [(form, sum(forms.values()), [q for q, _ in sorted(forms.items(), key=lambda f: (-f[1], f[0]))])
                for form, forms in ranked]

    def views(self) -> list[tuple[str, int]]:
        return sorted(self.tallies.views.items(), key=lambda item: (-item[1], item[0]))

    def votes(self) -> list[dict]:
        """Per entry voted on: up, down, reasons; least helpful first (most 没帮助, then the lowest share)."""
        per: dict[str, dict] = {}
        for (entry_id, vote), n in self.tallies.votes.items():
            per.setdefault(entry_id, {"id": entry_id, "up": 0, "down": 0, "reasons": {}})[vote] += n
        for (entry_id, reason), n in self.tallies.reasons.items():
            if entry_id in per:
                per[entry_id]["reasons"][reason] = n
        for row in per.values():
            row["helpful"] = round(row["up"] / (row["up"] + row["down"]), 2)
            row["reasons"] = {REASONS[code]: row["reasons"][code] for code in REASONS if code in row["reasons"]}
        return sorted(per.values(), key=lambda row: (-row["down"], row["helpful"], row["id"]))

    def dropped(self) -> int:
        return sum(table.dropped for table in self.tallies.tables())

    def as_json(self) -> dict:
        t = self.tallies
        return {
            "period": {"first": _iso(self.period.first), "last": _iso(self.period.last), "days": self.period.days},
            "lines": t.lines, "events": t.events, "by_event": dict(t.kinds), "other_requests": t.other,
            "outside_period": t.outside, "dropped_rare_keys": self.dropped(),
            "malformed": {"count": t.malformed, "first": [vars(m) for m in t.malformed_shown]},
            "top_searches": [{"q": q, "count": n, "no_results": z} for q, n, z in self.top_searches()],
            "no_results": [{"form": f, "count": n, "queries": qs} for f, n, qs in self.empty_searches()],
            "alias_candidates": [{"q": c.query, "id": c.entry_id, "count": c.count, "skip": c.note}
                                 for c in self.candidates],
            "views": [{"id": i, "count": n} for i, n in self.views()],
            "votes": self.votes(),
        }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


# -- writing the report ----------------------------------------------------------------------------

def _table(rows: list[list], header: list[str], markdown: bool) -> list[str]:
    if not rows:
        return ["（没有）"]
    if markdown:
        def cell(value) -> str:
            return str(value).replace("|", "\\|").replace("\n", " ")
        return (["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
                + ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows])
    cells = [[str(v) for v in row] for row in [header] + rows]
    widths = [max(_width(row[column]) for row in cells) for column in range(len(header))]
    return ["  " + "  ".join(value + " " * (widths[column] - _width(value)) for column, value in enumerate(row)).rstrip()
            for row in cells]


def _width(text: str) -> int:
    """Columns a terminal gives the text: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def render(report: Report, markdown: bool) -> str:
    """The report as text for the terminal, or Markdown for a pull request's description."""
    t = report.tallies
    h = "### " if markdown else "== "
    tail = "" if markdown else " =="
    lines = []
    span = (f"{report.period.first} 至 {report.period.last}（{report.period.days} 天）" if report.period.days
            else "没有事件")
    lines.append(f"{h}网站统计：{span}{tail}")
    lines.append("")
    kinds = "，".join(f"{label} {t.kinds.get(kind, 0)}" for kind, label in
                     (("search", "搜索"), ("click", "点开结果"), ("view", "浏览"), ("vote", "投票")))
    lines.append(f"读了 {t.lines} 行，{t.events} 个事件（{kinds}）；网站的其他请求 {t.other} 行，"
                 f"时段以外的事件 {t.outside} 个，看不懂的行 {t.malformed} 行。")
    for bad in t.malformed_shown:
        where = f"{bad.file}:{bad.line}"
        lines.append(f"- `{where}` {bad.why}" if markdown else f"  {where}: {bad.why}：{bad.text}")
    if t.malformed > len(t.malformed_shown):
        lines.append(f"  （还有 {t.malformed - len(t.malformed_shown)} 行看不懂的，没有列出）")
    if report.dropped():
        lines.append(f"不同的搜索词太多，出现最少的 {report.dropped()} 项没有计入。")

    def section(title: str, header: list[str], rows: list[list], note: str = "") -> None:
        lines.extend(["", f"{h}{title}{tail}"])
        if note:
            lines.append(note)
        lines.extend(_table(rows, header, markdown))

    section("热门搜索", ["搜索词", "次数", "其中没有结果"], [[q, n, z] for q, n, z in report.top_searches()])
    section("没有结果的搜索（按规范化后的说法归并）", ["规范化后", "次数", "顾客的说法"],
            [[form, n, "、".join(qs[:5])] for form, n, qs in report.empty_searches()],
            "可以把这些说法加进相关问题的 aliases，或者写新的问题。")
    section(f"别名候选：搜索后点开了排在第 {ALIAS_RANK} 位或更后的答案", ["问题 id", "问题", "搜索词", "次数", "备注"],
            [[c.entry_id, report.question(c.entry_id), c.query, c.count, c.note] for c in report.candidates[: report.top]],
            "这些搜索词找到了答案，但答案排得靠后：加进 aliases 后会排在前面（--apply-aliases）。")
    section("浏览最多的问题", ["问题 id", "问题", "浏览"],
            [[i, report.question(i), n] for i, n in report.views()[: report.top]])
    section("最没有帮助的回答", ["问题 id", "问题", "有帮助", "没帮助", "原因"],
            [[row["id"], report.question(row["id"]), row["up"], row["down"],
              "、".join(f"{label} {n}" for label, n in row["reasons"].items())]
             for row in report.votes()[: report.top]])
    return "\n".join(lines) + "\n"


# -- back into the content -------------------------------------------------------------------------


def frequency_changes(report: Report) -> list[Change]:
    """Every entry's frequency set to its views per week in the period (0 for entries no one opened)."""
    views = report.tallies.views
    changes = []
    for entry in report.content.entries:
        wanted = weekly(views.get(entry.id, 0), report.period.days)
        if wanted != entry.frequency:
            changes.append(Change(entry, frequency=wanted))
    return changes


def alias_changes(report: Report, min_count: int) -> list[Change]:
    """The candidates seen at least min_count times that are no alias or question yet, by entry."""
    entries = report.entries
    by_entry: dict[str, Change] = {}
    for candidate in report.candidates:
        if candidate.count >= min_count and not candidate.note:
            change = by_entry.setdefault(candidate.entry_id, Change(entries[candidate.entry_id]))
            change.aliases.append(candidate.query)
    return list(by_entry.values())


def merge(changes: list[Change]) -> list[Change]:
    """One change per entry."""
    merged: dict[int, Change] = {}
    for change in changes:
        into = merged.setdefault(id(change.entry), Change(change.entry))
        if change.frequency is not None:
            into.frequency = change.frequency
        into.aliases += change.aliases
    return list(merged.values())


def describe_changes(done: list[Change], written: list[str], failed: list[str], report: Report, *,
                     frequency: bool, min_count: int | None, dry_run: bool, markdown: bool) -> list[str]:
    h = "### " if markdown else "== "
    tail = "" if markdown else " =="
    verb = "将" if dry_run else "已"
    lines = ["", f"{h}内容的变化{'（试运行，没有修改任何文件）' if dry_run else ''}{tail}"]
    bullet = "- " if markdown else "  "
    if frequency:
        set_ = sorted((c for c in done if c.frequency is not None), key=lambda c: (-c.frequency, c.entry.id))
        unseen = [c for c in set_ if c.frequency == 0]
        lines.append(f"{verb}按浏览次数更新 {len(set_)} 个问题的 frequency（{FREQUENCY_FORMULA}，"
                     f"这次是 {report.period.days} 天）：")
        lines += [f"{bullet}{c.entry.id}：{c.entry.frequency} → {c.frequency}" for c in set_ if c.frequency]
        if unseen:
            lines.append(f"{bullet}另外 {len(unseen)} 个问题这段时间没有人浏览（或每周不到半次），frequency 改为 0。")
    if min_count is not None:
        added = [(c.entry.id, alias) for c in done for alias in c.aliases]
        lines.append(f"{verb}添加 {len(added)} 个别名（至少出现 {min_count} 次的别名候选）：")
        lines += [f"{bullet}{entry_id}：{alias}" for entry_id, alias in added]
        skipped = [c for c in report.candidates if c.count >= min_count and c.note]
        if skipped:
            lines.append("没有添加：")
            lines += [f"{bullet}“{c.query}” → {c.entry_id}：{c.note}" for c in skipped]
    if written:
        lines.append(f"{verb}重新排序并写入 {len(written)} 个文件。")
    lines += failed
    return lines


def _run(args: argparse.Namespace) -> int:
    if args.since and args.until and args.since > args.until:
        print(f"--since {args.since} 在 --until {args.until} 之后：请把开始日期写在前面。", file=sys.stderr)
        return 2
    paths = [Path(log) for log in args.logs]
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        print(f"找不到日志文件：{'、'.join(missing)}。请写出日志文件的位置，例如 /var/log/nginx/faqkb-events.log。",
              file=sys.stderr)
        return 1
    endpoint = args.endpoint or (plugin_settings(Path("mkdocs.yml")).get("analytics") or {}).get("endpoint") \
        or DEFAULT_ENDPOINT
    reading = Reading(str(endpoint), project_timezone(), args.since, args.until)
    writes = args.write_frequency or args.apply_aliases is not None
    content, problems = None, []
    if Path(args.content).is_dir():
        content, problems = check_project(args.content)
    elif writes:
        print(f"找不到内容目录 {args.content}。", file=sys.stderr)
        return 1
    try:
        tallies = read_logs(paths, reading)
    except LogError as error:
        print(error, file=sys.stderr)
        return 1
    report = Report(tallies, period(tallies, reading), content, args.top, alias_candidates(tallies, content))

    changes: list[Change] = []
    if args.write_frequency:
        if not tallies.views:
            print("这段时间的日志里没有浏览事件，没有更新 frequency（否则所有问题都会变成 0）。", file=sys.stderr)
            return 1
        changes += frequency_changes(report)
    if args.apply_aliases is not None:
        changes += alias_changes(report, args.apply_aliases)
    if writes and any(p.is_error for p in problems):
        print(format_problems([p for p in problems if p.is_error]), file=sys.stderr)
        print("内容有错误，没有修改任何文件：请先修正（make validate 会列出全部问题）。", file=sys.stderr)
        return 1
    try:
        done, written, failed = write_changes(content, problems, merge(changes), dry_run=args.dry_run) if writes \
            else ([], [], [])
    except yamledit.Unwritable as error:
        print(error, file=sys.stderr)
        return 1

    if args.format == "json":
        data = report.as_json()
        if writes:
            data["changes"] = {"frequency": {c.entry.id: c.frequency for c in done if c.frequency is not None},
                               "aliases": {c.entry.id: c.aliases for c in done if c.aliases},
                               "files": written, "failed": failed, "dry_run": args.dry_run}
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        text = render(report, markdown=args.format == "markdown")
        if writes:
            text += "\n".join(describe_changes(done, written, failed, report, frequency=args.write_frequency,
                                               min_count=args.apply_aliases, dry_run=args.dry_run,
                                               markdown=args.format == "markdown")) + "\n"
        sys.stdout.write(text)
    return 1 if failed else 0
