"""Queries leave the page masked (search/mask.py): phone numbers, e-mail addresses, order numbers
and runs of digits are replaced, the length capped; and the page's script (site/analytics.js)
masks exactly as Python does, since `faqkb insights` masks again whatever a log holds."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faqkb.search.mask import MASK_RULES, QUERY_CAP, is_masked, mask_query
from faqkb.site.scripts import analytics_script

ROOT = Path(__file__).resolve().parent.parent
CHECK = ROOT / "tests" / "js" / "mask-check.js"


@pytest.mark.parametrize(("query", "masked"), [
    ("我的手机13812345678收不到验证码", "我的手机[电话]收不到验证码"),
    ("+86 138-1234-5678 换绑", "[电话] 换绑"),
    ("１３８１２３４５６７８", "[电话]"),  # full-width digits are digits
    ("座机 010-12345678 打不通", "座机 [电话] 打不通"),
    ("拨打400-800-1234没人接", "拨打[电话]没人接"),
    ("邮箱 zhang.san@example.com 收不到发票", "邮箱 [邮箱] 收不到发票"),
    ("订单号 SO2026120412345 怎么退款", "订单号 [单号] 怎么退款"),
    ("JD-1234-5678 没到", "[单号] 没到"),
    ("退款 12345 元", "退款 [数字] 元"),
    ("卡号 6222 0212 3456 7890 退款", "卡号 [数字] 退款"),
])
def test_personal_data_in_a_query_is_masked(query, masked):
    assert mask_query(query) == masked
    assert is_masked(masked)


@pytest.mark.parametrize("query", ["7天无理由退货", "iphone15 256g", "iPhone 15 Pro Max 256G", "gtx1080ti", "1234",
                                   "双11 优惠券", "tuikuan", "退款多久到账", "2 件 3 折"])
def test_queries_without_personal_data_are_kept(query):
    assert mask_query(query) == query
    assert not is_masked(query)


def test_spaces_are_collapsed_and_the_query_capped_at_64_characters():
    assert mask_query("  退款\u3000\t 多久 \n") == "退款 多久"
    assert mask_query("退" * 100) == "退" * QUERY_CAP
    assert mask_query("😀" * 100) == "😀" * QUERY_CAP  # characters, not UTF-16 units
    assert mask_query("退" * 63 + " 款") == "退" * 63  # no space left dangling by the cap


def test_every_rule_masks_something_the_others_do_not():
    # Each rule earns its place: without it, one of its own examples would leave data behind.
    examples = {"email": "a.b@example.com", "phone": "138 1234 5678", "order": "JD-1234-5678", "digits": "6222 0212 3456"}
    assert set(examples) == {name for name, _, _ in MASK_RULES}
    for name, example in examples.items():
        assert mask_query(example) == dict((n, r) for n, _, r in MASK_RULES)[name], name


# Open-ended input: what shoppers paste is anything, so the rules are checked on generated text.
QUERY_TEXT = st.text(alphabet=st.sampled_from(list("0123456789０１２３４５６７８９abcxyzSOJD@.-+_ \u3000\u00a0\t退款订单手机号码"
                                                   "[]【】电话邮箱数字单号😀")), max_size=90)


@settings(max_examples=400, deadline=None)
@given(QUERY_TEXT)
def test_masking_a_masked_query_changes_nothing(query):
    once = mask_query(query)
    assert mask_query(once) == once
    assert len(once) <= QUERY_CAP


@settings(max_examples=400, deadline=None)
@given(QUERY_TEXT)
def test_no_run_of_five_digits_survives(query):
    masked = mask_query(query)
    digits = "".join(ch if ch.isdigit() else " " for ch in masked)
    assert all(len(run) < 5 for run in digits.split()), masked


# -- the page's script agrees with Python ----------------------------------------------------------

def vectors() -> list[list[str]]:
    generator = random.Random(13)
    alphabet = list("0123456789０１２３４５６７８９abcXYZ@.-+ \u3000\u00a0退款订单号码手机😀[]")
    queries = [q for q in (
        "我的手机13812345678收不到验证码", "+86 138-1234-5678", "邮箱 zhang.san@example.com", "SO2026120412345",
        "JD-1234-5678", "退款 12345 元", "6222 0212 3456 7890", "ＡＢＣ１２３４５６７８", "退" * 100, "😀" * 70,
        "\x00\x1f退款\x7f", "ﬁ ligature ㎏", "",
    )]
    queries += ["".join(generator.choice(alphabet) for _ in range(generator.randint(1, 80))) for _ in range(3000)]
    return [[query, mask_query(query)] for query in queries]


def node() -> str:
    found = shutil.which("node")
    if not found:
        pytest.fail("Node.js is missing: make test installs Debian's nodejs")
    return found


def run_check(script: str, tmp_path: Path) -> subprocess.CompletedProcess:
    (tmp_path / "analytics.js").write_text(script, encoding="utf-8")
    (tmp_path / "vectors.json").write_text(json.dumps(vectors(), ensure_ascii=False), encoding="utf-8")
    env = {**os.environ, "FAQKB_ANALYTICS_SCRIPT": str(tmp_path / "analytics.js"),
           "FAQKB_MASK_VECTORS": str(tmp_path / "vectors.json")}
    return subprocess.run([node(), "--test", "--test-reporter=dot", str(CHECK)], env=env, capture_output=True,
                          text=True, timeout=120)


def test_the_page_masks_queries_exactly_as_python_does(tmp_path):
    result = run_check(analytics_script(), tmp_path)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_a_page_that_skipped_a_step_would_fail_the_check(tmp_path):
    broken = analytics_script().replace('.normalize("NFKC")', "")
    assert broken != analytics_script()
    assert run_check(broken, tmp_path).returncode != 0
