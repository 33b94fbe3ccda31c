"""The text pipeline: what a shopper types is normalised the same way the content was."""

from hypothesis import given, settings
from hypothesis import strategies as st

from faqkb.search.query import analyze
from faqkb.search.text import INTENT_KINDS, Segmenter, chinese_numeral_value, intents, is_cjk, normalize, question_characters, \
    split_stop_words


def test_full_width_and_case_fold_to_half_width_lower_case():
    assert normalize("ＶＩＰ怎么开通") == "vip怎么开通"
    assert normalize("App闪退？？？") == "app闪退???"


def test_traditional_characters_become_simplified():
    assert normalize("退貨要多久") == "退货要多久"
    assert normalize("發票怎麼開") == "发票怎么开"


def test_written_cantonese_reads_as_mandarin():
    """Hong Kong shoppers write Cantonese-only characters (冇, 咗, 唔) and words (點樣, 幾時)."""
    assert normalize("冇收到貨") == "没收到货" and normalize("部機壞咗") == "部机坏了"
    assert normalize("可唔可以退錢") == "可不可以退钱"
    assert [p for p, _ in split_stop_words(normalize("點樣退貨"))] == ["退货"]
    assert intents(normalize("幾時到貨")) == intents("什么时候到货")
    assert intents(normalize("點解用唔到")) == intents("为什么用不到") != 0


def test_simplifying_once_is_enough():
    """The browser converts each character once, so no Simplified form may itself be converted again."""
    from faqkb.search.text import traditional_to_simplified

    table = traditional_to_simplified()
    assert normalize("薴") == normalize("苧") == "苎"
    assert all(normalize(target) == target for target in set(table.values()))


def test_chinese_numerals_before_units_become_digits():
    assert normalize("七天无理由") == "7天无理由"
    assert normalize("十五天内") == "15天内"
    assert normalize("两年保修") == "2年保修"
    assert normalize("一百零八元") == "108元"


def test_numerals_that_are_part_of_words_stay():
    assert normalize("一般纳税人") == "一般纳税人"
    assert normalize("统一发票") == "统一发票"


def test_a_lone_one_before_a_counting_word_is_the_article_and_stays():
    assert [normalize(t) for t in ("想换一个", "第一次买", "一件衣服")] == ["想换一个", "第一次买", "一件衣服"]
    # a number of days, years or yuan is still a number, and so are counts above one
    assert [normalize(t) for t in ("一天", "一个工作日", "一年保修", "两件", "十个")] == \
        ["1天", "1个工作日", "1年保修", "2件", "10个"]


def test_numeral_values():
    assert [chinese_numeral_value(t) for t in ("七", "十", "十五", "二十", "三百零五", "三五")] == [7, 10, 15, 20, 305, 35]
    assert chinese_numeral_value("五五十") is None


def test_filler_words_are_split_out():
    assert [p for p, _ in split_stop_words("请问怎么退货")] == ["退货"]
    assert [p for p, _ in split_stop_words("我想问一下积分")] == ["积分"]


def test_index_terms_hold_words_characters_pinyin_and_synonyms():
    segmenter = Segmenter()
    terms = segmenter.index_terms("偏远地区退款", {"退款": ("退钱",)})
    assert {"偏远", "地区", "偏远地区", "退款", "退钱", "tuikuan", "tk", "退", "款"} <= set(terms)


def test_traditional_forms_only_the_simplified_to_traditional_table_has_are_simplified():
    """OpenCC's Traditional→Simplified table lacks 暱 (昵) and 牠 (它); its reverse table has them."""
    assert normalize("暱稱") == "昵称" and normalize("牠") == "它"
    # a form OpenCC lists before its Simplified one, and Taiwan's 著 for 着
    assert normalize("批覆") == "批复" and normalize("可以分著付嗎") == "可以分着付吗"
    assert normalize("發票怎麼開") == "发票怎么开"


def test_written_cantonese_reads_as_mandarin():
    """Hong Kong shoppers write Cantonese-only characters (冇, 咗, 唔) and words (點樣, 幾時)."""
    assert normalize("冇收到貨") == "没收到货" and normalize("部機壞咗") == "部机坏了"
    assert normalize("可唔可以退錢") == "可不可以退钱"
    assert [p for p, _ in split_stop_words(normalize("點樣退貨"))] == ["退货"]
    assert intents(normalize("幾時到貨")) == intents("什么时候到货")
    assert intents(normalize("點解用唔到")) == intents("为什么用不到") != 0


def test_a_vocabulary_phrase_said_in_two_parts_of_a_clause_brings_its_group():
    segmenter = Segmenter()
    vocabulary = {"积分到账": ("积分没到",), "积分没到": ("积分到账",), "微信支付": ("微信付款",)}
    assert {"积分到账", "积分没到"} <= set(segmenter.index_terms("积分怎么还没到账？", vocabulary))
    # parts in another clause, in the other order, or inside a longer word say nothing of the phrase
    for text in ("积分有了，还没到账", "到账的积分", "可以用微信或支付宝吗"):
        assert not {"积分没到", "微信付款"} & set(segmenter.index_terms(text, vocabulary)), text
    assert "积分没到" not in segmenter.index_terms("积分怎么还没到账", None)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_unicode_query_is_analyzed_without_error(text):
    analysis = analyze(text)
    assert len(analysis.text) <= 64
    assert all(0 < unit <= 2 for unit in analysis.units.values())


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_any_unicode_document_is_indexed_without_error(text):
    terms = _SEGMENTER.index_terms(text)
    assert all(term and " " not in term for term in terms)


_SEGMENTER = Segmenter()


def test_question_characters_count_the_single_characters_a_question_is_indexed_under():
    segmenter = Segmenter()
    for question in ["请问退货要多久？", "發票怎麼開", "App闪退了怎么办", "我的花呗额度为什么没有了呢"]:
        indexed = {t for t in segmenter.index_terms(question) if len(t) == 1 and is_cjk(t)}
        assert question_characters(question) == len(indexed), question


def test_intents_tag_what_a_question_asks_longest_word_first():
    def kinds(text):
        mask = intents(normalize(text))
        return {kind for bit, kind in enumerate(INTENT_KINDS) if mask >> bit & 1}

    assert kinds("为什么不能退款") == {"why", "not"}
    assert kinds("怎么退款") == {"how"}
    assert kinds("怎么会退款失败") == {"why"}  # 怎么会, not 怎么
    assert kinds("退款多久到账，要多少钱") == {"when", "much"}
    assert kinds("退款") == set()
