"""`faqkb insights`: the analytics events in a web server's log, counted and turned back into
content (frequencies from views, aliases from queries that found their answer too low).

Logs here are written line by line as nginx writes them (deploy/nginx.conf's faqkb_events
format, or the combined format); tests/test_nginx_analytics.py gets its log from a real nginx.
"""

from __future__ import annotations

import gzip
import json
import re
from urllib.parse import urlencode

import pytest

from faqkb.staff.cli import main
from faqkb.staff.insights import FREQUENCY_FORMULA, Tally, query_form, weekly

REFUNDS = """\
# 退款相关的问题（文件开头的说明，空一行）

- id: refund-time
  question: 退款多久能到账？
  answer: |
    1-3 个工作日。
  frequency: 300
  aliases: [退款什么时候到账, 退款要几天]
# 这个问题下周要改写
- id: refund-method
  question: 退款会退到哪里？
  answer: |
    原路退回。
  frequency: 100
- id: refund-coupon
  question: 退款后优惠券会退回吗？
  answer: |
    有效期内会退回。
  frequency: 10  # 估计值
"""

MEMBERS = """\
- id: vip-join
  question: VIP会员怎么开通？
  answer: |
    在「我的」里开通。
  frequency: 50
"""


@pytest.fixture
def content(write_tree, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return write_tree({
        "refunds/_category.yml": "title: 退款\n",
        "refunds/refunds.yml": REFUNDS,
        "members/_category.yml": "title: 会员\n",
        "members/members.yml": MEMBERS,
    })


def event(time: str = "04/Dec/2026:10:00:00 +0800", path: str = "/e.gif", **fields) -> str:
    """One line of the faqkb_events log (deploy/nginx.conf)."""
    return f'[{time}] "GET {path}?{urlencode({"v": 1, **fields})} HTTP/1.1" 200\n'


def combined(line: str) -> str:
    """The same request as nginx's combined format writes it."""
    time, request = re.match(r'\[(.*?)\] "(.*?)"', line).groups()
    return f'203.0.113.9 - - [{time}] "{request}" 200 43 "https://help.example.com/q/x/" "Mozilla/5.0 (iPhone)"\n'


def insights(capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    status = main(["insights", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def as_json(capsys, *args: str) -> dict:
    status, out, err = insights(capsys, *args, "--format", "json")
    assert status == 0, err
    return json.loads(out)


SESSION = [
    event(e="search", q="退款多久到账", n=3),
    event(e="click", q="退款多久到账", id="refund-time", rank=1),
    event(e="view", id="refund-time"),
    event(e="search", q="钱退到哪", n=3),
    event(e="click", q="钱退到哪", id="refund-method", rank=3),
    event(e="view", id="refund-method"),
    event(e="vote", id="refund-method", vote="down", reason="unclear"),
    event(e="search", q="你们招聘吗", n=0),
    event(e="search", q="请问你们招聘吗？", n=0),
    event(e="view", id="refund-time"),
    event(e="vote", id="refund-time", vote="up"),
]


def test_a_session_is_counted_event_by_event(content, tmp_path, capsys):
    (tmp_path / "events.log").write_text("".join(SESSION), encoding="utf-8")
    data = as_json(capsys, "events.log")
    assert (data["lines"], data["events"], data["malformed"]["count"]) == (11, 11, 0)
    assert data["by_event"] == {"search": 4, "click": 2, "view": 3, "vote": 2}
    assert data["top_searches"] == [  # most searched first, then in character order
        {"q": "你们招聘吗", "count": 1, "no_results": 1}, {"q": "请问你们招聘吗?", "count": 1, "no_results": 1},
        {"q": "退款多久到账", "count": 1, "no_results": 0}, {"q": "钱退到哪", "count": 1, "no_results": 0}]
    assert data["views"] == [{"id": "refund-time", "count": 2}, {"id": "refund-method", "count": 1}]
    assert data["alias_candidates"] == [{"q": "钱退到哪", "id": "refund-method", "count": 1, "skip": ""}]
    assert data["votes"] == [
        {"id": "refund-method", "up": 0, "down": 1, "reasons": {"看不懂": 1}, "helpful": 0.0},
        {"id": "refund-time", "up": 1, "down": 0, "reasons": {}, "helpful": 1.0}]
    assert data["period"] == {"first": "2026-12-04", "last": "2026-12-04", "days": 1}


def test_searches_with_no_result_are_grouped_by_their_normalised_form(content, tmp_path, capsys):
    (tmp_path / "events.log").write_text("".join(SESSION + [event(e="search", q="積分能提現嗎", n=0)]), encoding="utf-8")
    data = as_json(capsys, "events.log")
    assert data["no_results"] == [
        {"form": "招聘", "count": 2, "queries": ["你们招聘吗", "请问你们招聘吗?"]},
        {"form": "积分能提现", "count": 1, "queries": ["積分能提現嗎"]}]
    assert query_form("请问 你们 招聘吗？") == query_form("你们招聘吗") == "招聘"


def test_the_text_report_names_each_question(content, tmp_path, capsys):
    (tmp_path / "events.log").write_text("".join(SESSION), encoding="utf-8")
    status, out, _ = insights(capsys, "events.log")
    assert status == 0
    assert "网站统计：2026-12-04 至 2026-12-04（1 天）" in out
    assert re.search(r"^  refund-method +退款会退到哪里？ +钱退到哪 +1$", out, re.M), out
    assert re.search(r"^  招聘 +2 +你们招聘吗、请问你们招聘吗\?$", out, re.M), out
    assert re.search(r"^  refund-method +退款会退到哪里？ +0 +1 +看不懂 1$", out, re.M), out
    status, markdown, _ = insights(capsys, "events.log", "--format", "markdown")
    assert "### 别名候选" in markdown and "| refund-method | 退款会退到哪里？ | 钱退到哪 | 1 |  |" in markdown


def test_only_a_click_at_rank_3_or_lower_makes_an_alias_candidate(content, tmp_path, capsys):
    lines = [event(e="click", q="退款去哪了", id="refund-method", rank=rank) for rank in (1, 2, 3, 4, 3)]
    (tmp_path / "events.log").write_text("".join(lines), encoding="utf-8")
    assert as_json(capsys, "events.log")["alias_candidates"] == [
        {"q": "退款去哪了", "id": "refund-method", "count": 3, "skip": ""}]


def test_the_combined_format_and_the_sites_other_requests(content, tmp_path, capsys):
    site = ['203.0.113.9 - - [04/Dec/2026:10:00:00 +0800] "GET /q/refund-time/ HTTP/1.1" 200 5120 "-" "Mozilla/5.0"\n',
            '203.0.113.9 - - [04/Dec/2026:10:00:01 +0800] "GET /e.gif HTTP/1.1" 200 43 "-" "curl/8"\n',
            '203.0.113.9 - - [04/Dec/2026:10:00:01 +0800] "\\x16\\x03\\x01\\x02" 400 157 "-" "-"\n']
    (tmp_path / "access.log").write_text("".join(site[:1] + [combined(line) for line in SESSION] + site[1:]),
                                         encoding="utf-8")
    data = as_json(capsys, "access.log")
    assert (data["events"], data["other_requests"], data["malformed"]["count"]) == (11, 3, 0)
    assert data["by_event"] == {"search": 4, "click": 2, "view": 3, "vote": 2}


def test_gzipped_logs_are_read_whatever_their_name_and_several_logs_add_up(content, tmp_path, capsys):
    (tmp_path / "events.log.1").write_bytes(gzip.compress("".join(SESSION[:6]).encode()))  # logrotate's, named oddly
    (tmp_path / "events.log.2.gz").write_bytes(gzip.compress("".join(SESSION[6:]).encode()))
    data = as_json(capsys, "events.log.1", "events.log.2.gz")
    assert data["events"] == 11 and data["by_event"]["view"] == 3


def test_malformed_lines_are_counted_and_the_first_few_shown_with_their_line(content, tmp_path, capsys):
    bad = ["this is not a log line\n", event(e="view", id="Not An Id"), event(e="search", q="退款"),
           event(e="click", q="退款", id="refund-time", rank="first"), event(e="vote", id="refund-time", vote="meh"),
           event(e="teleport"), event(e="view", id="refund-time").replace("v=1", "v=9"),
           event(time="yesterday", e="view", id="refund-time")]
    (tmp_path / "events.log").write_text("".join(SESSION[:2] + bad + ["\n"] + SESSION[2:]), encoding="utf-8")
    status, out, err = insights(capsys, "events.log")
    assert status == 0 and "Traceback" not in out + err
    assert "看不懂的行 8 行" in out and "还有 3 行看不懂的" in out
    shown = re.findall(r"^  events\.log:(\d+): (.*?)：", out, re.M)
    assert shown == [("3", "不是访问日志的一行"), ("4", "view 事件的 id“Not An Id”不对"),
                     ("5", "search 事件的 n“”不是大于等于 0 的整数"), ("6", "click 事件的 rank“first”不是大于等于 1 的整数"),
                     ("7", "vote 事件的 vote“meh”不对")]
    data = as_json(capsys, "events.log")
    assert data["events"] == 11 and data["malformed"]["count"] == 8


def test_since_and_until_are_days_in_the_shops_time_zone(content, tmp_path, capsys):
    lines = [event(time="03/Dec/2026:15:59:00 +0000", e="view", id="refund-time"),  # 23:59 on the 3rd in Shanghai
             event(time="03/Dec/2026:16:00:00 +0000", e="view", id="refund-time"),  # 00:00 on the 4th
             event(time="2026-12-05T23:00:00+08:00", e="view", id="refund-time"),  # $time_iso8601 works too
             event(time="06/Dec/2026:00:00:01 +0800", e="view", id="refund-method")]
    (tmp_path / "events.log").write_text("".join(lines), encoding="utf-8")
    data = as_json(capsys, "events.log", "--since", "2026-12-04", "--until", "2026-12-05")
    assert (data["events"], data["outside_period"]) == (2, 2)
    assert data["period"] == {"first": "2026-12-04", "last": "2026-12-05", "days": 2}
    assert as_json(capsys, "events.log")["period"] == {"first": "2026-12-03", "last": "2026-12-06", "days": 4}


def test_a_query_the_page_did_not_mask_is_masked_in_the_report(content, tmp_path, capsys):
    lines = [event(e="search", q="我的手机13812345678收不到验证码", n=2), event(e="search", q="我的手机[电话]收不到验证码", n=2),
             event(e="click", q="退款 SO2026120412345", id="refund-time", rank=5)]
    (tmp_path / "events.log").write_text("".join(lines), encoding="utf-8")
    data = as_json(capsys, "events.log")
    assert data["top_searches"] == [{"q": "我的手机[电话]收不到验证码", "count": 2, "no_results": 0}]
    assert data["alias_candidates"] == [{"q": "退款 [单号]", "id": "refund-time", "count": 1, "skip": "含有被遮盖的个人信息"}]
    assert "13812345678" not in json.dumps(data)


def test_bytes_nginx_escaped_are_read_back(content, tmp_path, capsys):
    # A client that sent raw UTF-8 instead of percent-encoding it: nginx logs the bytes as \xHH.
    escaped = "".join(f"\\x{byte:02X}" for byte in "招聘".encode())
    (tmp_path / "events.log").write_text(f'[04/Dec/2026:10:00:00 +0800] "GET /e.gif?v=1&e=search&q={escaped}&n=0 '
                                         'HTTP/1.1" 200\n', encoding="utf-8")
    assert as_json(capsys, "events.log")["no_results"] == [{"form": "招聘", "count": 1, "queries": ["招聘"]}]


def test_the_endpoint_comes_from_mkdocs_yml(content, tmp_path, capsys):
    (tmp_path / "mkdocs.yml").write_text("plugins:\n  - faqkb:\n      analytics: {endpoint: 'https://log.example.com/h.gif'}\n",
                                         encoding="utf-8")
    (tmp_path / "events.log").write_text(event(path="/h.gif", e="view", id="refund-time")
                                         + event(e="view", id="refund-time"), encoding="utf-8")
    data = as_json(capsys, "events.log")
    assert (data["events"], data["other_requests"]) == (1, 1)
    assert as_json(capsys, "events.log", "--endpoint", "/e.gif")["events"] == 1


def test_a_table_never_holds_more_than_its_limit():
    tally = Tally(limit=100)
    for number in range(1000):
        tally.add(f"q{number}")
        tally.add("often", 3)
    assert len(tally) <= 100 and tally["often"] == 3000 and tally.dropped >= 900


# -- back into the content --------------------------------------------------------------------------

def frequency_of(text: str, entry_id: str) -> int:
    block = text.split(f"- id: {entry_id}\n", 1)[1].split("\n- id:", 1)[0]
    return int(re.search(r"^  frequency: (\d+)", block, re.M).group(1))


def validate_ok(capsys) -> None:
    capsys.readouterr()
    assert main(["validate", "faq"]) == 0
    assert "检查通过" in capsys.readouterr().err


@pytest.mark.parametrize(("views", "days", "frequency"), [(10, 7, 10), (3, 1, 21), (1, 2, 4), (1, 3, 2), (0, 7, 0),
                                                          (1, 14, 1), (1, 15, 0)])
def test_frequency_is_views_per_week(views, days, frequency):
    assert weekly(views, days) == frequency  # rounded half up: 3.5 → 4, 0.5 → 1


def test_write_frequency_sets_views_per_week_reorders_and_keeps_comments(content, tmp_path, capsys):
    lines = ([event(time="01/Dec/2026:10:00:00 +0800", e="view", id="refund-coupon")] * 6
             + [event(time="02/Dec/2026:10:00:00 +0800", e="view", id="refund-method")] * 2
             + [event(time="02/Dec/2026:10:00:00 +0800", e="view", id="vip-join")])
    (tmp_path / "events.log").write_text("".join(lines), encoding="utf-8")
    status, out, err = insights(capsys, "events.log", "--write-frequency")
    assert status == 0, err
    assert f"已按浏览次数更新 4 个问题的 frequency（{FREQUENCY_FORMULA}，这次是 2 天）" in out
    assert "refund-coupon：10 → 21" in out and "另外 1 个问题这段时间没有人浏览" in out
    text = (content / "refunds/refunds.yml").read_text(encoding="utf-8")
    assert re.findall(r"^- id: (\S+)", text, re.M) == ["refund-coupon", "refund-method", "refund-time"]
    assert [frequency_of(text, i) for i in ("refund-coupon", "refund-method", "refund-time")] == [21, 7, 0]
    assert text.startswith("# 退款相关的问题（文件开头的说明，空一行）\n\n- id: refund-coupon\n")
    assert "# 这个问题下周要改写\n- id: refund-method\n" in text  # the comment moved with its entry
    assert "frequency: 21  # 估计值" in text
    assert frequency_of((content / "members/members.yml").read_text(encoding="utf-8"), "vip-join") == 4
    validate_ok(capsys)


def test_write_frequency_refuses_a_log_without_views(content, tmp_path, capsys):
    (tmp_path / "events.log").write_text(event(e="search", q="退款", n=1), encoding="utf-8")
    status, _, err = insights(capsys, "events.log", "--write-frequency")
    assert status == 1 and "没有浏览事件" in err
    assert (content / "refunds/refunds.yml").read_text(encoding="utf-8") == REFUNDS


def test_dry_run_writes_nothing(content, tmp_path, capsys):
    (tmp_path / "events.log").write_text(event(e="view", id="refund-coupon"), encoding="utf-8")
    status, out, _ = insights(capsys, "events.log", "--write-frequency", "--dry-run")
    assert status == 0 and "试运行" in out and "refund-coupon：10 → 7" in out
    assert (content / "refunds/refunds.yml").read_text(encoding="utf-8") == REFUNDS


def test_apply_aliases_adds_what_was_seen_often_enough_and_skips_what_is_known(content, tmp_path, capsys):
    def clicks(q, entry_id, count):
        return [event(e="click", q=q, id=entry_id, rank=4)] * count

    lines = (clicks("钱退到哪", "refund-method", 3)  # added: the entry has no aliases yet
             + clicks("退款几天到", "refund-time", 2)  # added to the existing list
             + clicks("退款要几天？", "refund-time", 5)  # an alias already (punctuation aside)
             + clicks("退款后优惠券会退回吗", "refund-method", 4)  # another entry's question
             + clicks("vip 怎么开", "vip-join", 1))  # seen fewer times than asked for
    (tmp_path / "events.log").write_text("".join(lines), encoding="utf-8")
    status, out, err = insights(capsys, "events.log", "--apply-aliases", "2")
    assert status == 0, err
    assert "已添加 2 个别名" in out
    assert "“退款要几天?” → refund-time：已是 refund-time 的别名" in out
    assert "“退款后优惠券会退回吗” → refund-method：和 refund-coupon 的问题相同" in out
    text = (content / "refunds/refunds.yml").read_text(encoding="utf-8")
    assert "  aliases: [退款什么时候到账, 退款要几天, 退款几天到]\n" in text
    assert "  frequency: 100\n  aliases: [钱退到哪]\n" in text
    assert "vip 怎么开" not in (content / "members/members.yml").read_text(encoding="utf-8")
    assert text.count("frequency:") == 3 and "# 这个问题下周要改写\n" in text
    validate_ok(capsys)
    # A second run finds them all known: nothing is added twice.
    status, out, _ = insights(capsys, "events.log", "--apply-aliases", "2")
    assert "已添加 0 个别名" in out and (content / "refunds/refunds.yml").read_text(encoding="utf-8") == text


def test_the_same_wording_seen_for_two_entries_goes_to_the_one_seen_more(content, tmp_path, capsys):
    lines = [event(e="click", q="退款问题", id="refund-time", rank=3)] * 2 + \
            [event(e="click", q="退款问题", id="refund-method", rank=3)] * 3
    (tmp_path / "events.log").write_text("".join(lines), encoding="utf-8")
    status, out, _ = insights(capsys, "events.log", "--apply-aliases", "1")
    assert "refund-method：退款问题" in out and "“退款问题” → refund-time：刚加进 refund-method 的别名" in out


def test_writes_are_refused_while_the_content_has_errors(content, tmp_path, capsys):
    (content / "members/members.yml").write_text(MEMBERS.replace("frequency: 50", "frequency: 50\n  related: [nope]"),
                                                 encoding="utf-8")
    (tmp_path / "events.log").write_text(event(e="view", id="refund-coupon"), encoding="utf-8")
    status, _, err = insights(capsys, "events.log", "--write-frequency")
    assert status == 1 and "FAQ401" in err and "没有修改任何文件" in err
    assert (content / "refunds/refunds.yml").read_text(encoding="utf-8") == REFUNDS


@pytest.mark.parametrize(("args", "message"), [
    (["missing.log"], "找不到日志文件：missing.log"),
    (["events.log", "--since", "2026-12-05", "--until", "2026-12-01"], "--since 2026-12-05 在 --until 2026-12-01 之后"),
    (["events.log", "--apply-aliases", "1", "--content", "nowhere"], "找不到内容目录 nowhere"),
])
def test_bad_input_gets_a_chinese_message_and_no_traceback(content, tmp_path, capsys, args, message):
    (tmp_path / "events.log").write_text(event(e="view", id="refund-coupon"), encoding="utf-8")
    status, out, err = insights(capsys, *args)
    assert status in (1, 2) and message in err and "Traceback" not in out + err


def test_a_damaged_gzip_log_gets_a_chinese_message(content, tmp_path, capsys):
    (tmp_path / "events.log.gz").write_bytes(gzip.compress("".join(SESSION).encode())[:60])
    status, _, err = insights(capsys, "events.log.gz")
    assert status == 1 and "无法读取日志 events.log.gz" in err
