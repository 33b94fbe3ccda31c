"""The text pipeline shared by indexing and querying: normalisation, segmentation, pinyin.

This is the only module that imports jieba (unmaintained, pinned). Everything the browser must
repeat at query time (normalisation, stop words, pinyin syllables) is plain data exported from
here into the search metadata, so Python and JavaScript apply exactly the same rules.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import jieba
from pypinyin import Style, lazy_pinyin, pinyin

DATA = Path(__file__).parent / "data"

# Filler a shopper wraps a question in. Multi-character fillers split the text (both when
# indexing and when querying); single-character particles are only dropped where no longer
# word covers them, so 了解 or 申请 stay whole.
STOP_WORDS = tuple(sorted(set(
    "请问一下 请问 我想问 想问一下 想问 想知道 我想 我要 我们 你们 他们 怎么办 怎么样 怎么 怎样 如何 为什么 为啥 "
    "什么 是不是 是否 有没有 能不能 可不可以 可以 一下 这个 那个 哪里 哪儿 这样 那么 还是 或者 然后 就是 的话 谢谢 "
    "麻烦 您好 你好 咋办 咋样 应该 到底 嗯嗯 大概 那个啥 一下子 问一下 请教 的时候 这种 那种 "
    "有点 比较 非常 特别 真的 "
    # written Cantonese, as normalize() leaves it (點樣 → 点样, 係咪 → 系咪)
    "点样 点解 点算 几时 几耐 几多 边度 系咪 系不系 得不得".split()), key=lambda w: (-len(w), w)))
STOP_SET = frozenset(STOP_WORDS)
# Alternatives longest first: at each position the longest filler word wins, as in engine.js.
_STOP_WORD = re.compile("|".join(map(re.escape, STOP_WORDS)))
# 弄 and 搞 (do, make) too: 怎么弄 is not a filler word, or 怎么弄个账号 loses the 弄 of 弄个账号.
PARTICLES = frozenset("吗呢啊吧呀嘛哦哈么的了我你您呗啦嘞咋请是个啥哪呃嗯哎诶喔噢弄搞㗎㖞啰啩咩喇")

# What a question asks (why, how, whether, when, how much, where) and whether it says something
# does not work. Most of these words are filler above, so no content matches them; but two
# questions that mean the same ask the same thing (为什么不能退款 is not 怎么退款), so questions
# and queries are both tagged with the kinds of what they ask.
INTENTS = {
    "why": "为什么 为啥 为何 怎么会 咋会 点解",
    "how": "怎么 如何 怎样 怎么办 怎么弄 怎么搞 怎么操作 咋办 咋 方法 点样 点算",
    "can": "能不能 可不可以 可以 能否 是否 行不行 会不会 系咪 系不系 得不得",
    "when": "多久 什么时候 几天 多长时间 何时 几号 几点 几时 几耐",
    "much": "多少 几多",
    "where": "哪里 哪儿 在哪 哪 边度",
    "not": "不能 无法 不了 没法 不可以 不行",
}
INTENT_KINDS = tuple(INTENTS)
# word → the bit of its kind in an intents mask
INTENT_WORDS = {word: bit for bit, words in enumerate(INTENTS.values()) for word in words.split()}
# Alternatives longest first, as in engine.js: 怎么办 is "how", not 怎么 and a leftover 办.
INTENT_ORDER = tuple(sorted(INTENT_WORDS, key=lambda w: (-len(w), w)))
_INTENT_WORD = re.compile("|".join(map(re.escape, INTENT_ORDER)))

# Chinese numerals are turned into digits only before these units (七天 → 7天, 两年 → 2年),
# so that words such as 一般 or 统一 stay intact.
NUMERAL_UNITS = (
    "个工作日 工作日 小时 分钟 星期 天 个 年 月 日 号 周 次 件 元 块 倍 折 张 台 期 位 级 寸 斤 公斤 单 份 人 种 步 秒"
).split()
NUMERAL_UNITS = tuple(sorted(set(NUMERAL_UNITS), key=lambda u: (-len(u), u)))
# A lone 一 before these counting words is the article "a", not a number: 换一个, 第一次, 一件衣服
# stay as typed, so the words around them (换一个 in the vocabulary) are still found.
ARTICLE_UNITS = ("个", "次", "件", "张", "台", "位", "种", "步", "份", "单")
_NUMERAL_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMERAL_SCALES = {"十": 10, "百": 100, "千": 1000}
_NUMERAL = re.compile("([零〇一二两三四五六七八九十百千]+)(?=(" + "|".join(NUMERAL_UNITS) + "))")

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_CJK}]+|[a-z0-9]+")


def chinese_numeral_value(text: str) -> int | None:
    """七 → 7, 十五 → 15, 二十 → 20, 一百零八 → 108, 三五 → 35 (digit by digit); None if malformed."""
    if all(ch in _NUMERAL_DIGITS for ch in text):
        return int("".join(str(_NUMERAL_DIGITS[ch]) for ch in text))
    total, digit = 0, None
    for ch in text:
        if ch in _NUMERAL_DIGITS:
            if _NUMERAL_DIGITS[ch] == 0:  # 一百零五: the zero only marks a gap
                continue
            if digit is not None:
                return None
            digit = _NUMERAL_DIGITS[ch]
        else:
            total += (digit if digit is not None else 1) * _NUMERAL_SCALES[ch]
            digit = None
    return total + (digit or 0)


def _replace_numeral(match: re.Match) -> str:
    if match.group(1) == "一" and match.group(2) in ARTICLE_UNITS:
        return match.group(1)
    value = chinese_numeral_value(match.group(1))
    return match.group(1) if value is None else str(value)


# Taiwan and Hong Kong write 著 for the particle 着 (等著, 分著付); OpenCC keeps 著 as it is.
TRADITIONAL_USAGE = {"著": "着"}
# Hong Kong shoppers type written Cantonese (部機壞咗, 冇貨, 用唔到). These characters are
# Cantonese only, so each reads as its Mandarin word anywhere: 冇 is 没, 咗 is 了, 唔 is 不.
# Cantonese words of two characters (點樣, 幾時, 邊度) are filler and intent words below.
CANTONESE_USAGE = {"冇": "没", "咗": "了", "嘅": "的", "唔": "不", "啲": "些", "畀": "给", "攞": "拿",
                   "喺": "在", "佢": "他", "睇": "看", "嚟": "来", "搵": "找", "揾": "找"}


@functools.lru_cache(maxsize=1)
def traditional_to_simplified() -> dict[str, str]:
    """Character map from OpenCC's TSCharacters table (first candidate for one-to-many), the
    Traditional forms its STCharacters table gives that TSCharacters lacks (暱稱 is 昵称, 牠 is 它),
    and Cantonese-only characters (冇 is 没)."""
    import opencc

    dictionary = Path(opencc.__file__).parent / "dictionary"

    def table(name: str) -> dict[str, list[str]]:
        """An OpenCC dictionary file: source → its candidates, in order."""
        rows = (line.partition("\t") for line in (dictionary / name).read_text(encoding="utf-8").splitlines())
        return {source: targets.split(" ") for source, _, targets in rows}

    mapping = {}
    for source, targets in table("TSCharacters.txt").items():
        # 瞭 → "瞭 了", 覆 → "覆 复": the first form that differs. Queries and content are
        # normalised alike, so 覆盖 still finds 覆盖; 批覆 now finds 批复.
        target = next((t for t in targets if t != source), "")
        if len(source) == 1 and len(target) == 1:
            mapping[source] = target
    mapping.update(TRADITIONAL_USAGE)
    mapping.update(CANTONESE_USAGE)
    simplified_forms = table("STCharacters.txt")
    for simplified, forms in simplified_forms.items():
        for form in forms:
            if len(simplified) == len(form) == 1 and form != simplified and form not in mapping \
                    and form not in simplified_forms:
                mapping[form] = simplified
    # One step must be enough (the browser converts once): 薴 → 苧 → 苎 becomes 薴 → 苎.
    for source, target in mapping.items():
        seen = {source}
        while target in mapping and target not in seen:
            seen.add(target)
            target = mapping[target]
        mapping[source] = target
    return mapping


@functools.lru_cache(maxsize=1)
def _simplified_table() -> dict[int, str]:
    return {ord(source): target for source, target in traditional_to_simplified().items()}


def normalize(text: str) -> str:
    """NFKC (full width → half width), lower case, Traditional → Simplified, 七天 → 7天."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_simplified_table())
    return _NUMERAL.sub(_replace_numeral, text)


def runs(text: str) -> list[tuple[str, int]]:
    """Maximal runs of Han characters or of ASCII letters and digits, with their offsets."""
    return [(m.group(0), m.start()) for m in _RUN.finditer(text)]


def is_cjk(text: str) -> bool:
    return bool(text) and "\u3400" <= text[0] <= "\ufaff"


@functools.lru_cache(maxsize=200_000)
def word_pinyin(word: str) -> tuple[str, str]:
    """Full toneless pinyin and initials of a Han word, as typed on a phone: 退货 → (tuihuo, th)."""
    syllables = lazy_pinyin(word, style=Style.NORMAL, errors="ignore")
    syllables = [s for s in syllables if s.isascii() and s.isalpha()]
    return "".join(syllables), "".join(s[0] for s in syllables)


def char_pinyins(char: str, limit: int = 3) -> list[str]:
    """Every reading of one character (heteronyms), toneless."""
    readings = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    found = [r for r in (readings[0] if readings else []) if r.isascii() and r.isalpha()]
    return list(dict.fromkeys(found))[:limit]


@functools.lru_cache(maxsize=1)
def pinyin_syllables() -> tuple[str, ...]:
    """All toneless syllables pypinyin can produce for common characters, longest first."""
    syllables = {reading for ch in common_characters() for reading in char_pinyins(ch)}
    return tuple(sorted(syllables, key=lambda s: (-len(s), s)))


@functools.lru_cache(maxsize=1)
def common_characters() -> str:
    """GB2312 level 1: the 3,755 most common Simplified characters (homophone typos come from here)."""
    chars = []
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(chars)


def split_stop_words(run: str) -> list[tuple[str, int]]:
    """Split a Han run at multi-character filler words (longest match first); the pieces left, with offsets."""
    pieces: list[tuple[str, int]] = []
    start = 0
    for match in _STOP_WORD.finditer(run):
        if match.start() > start:
            pieces.append((run[start:match.start()], start))
        start = match.end()
    if start < len(run):
        pieces.append((run[start:], start))
    return pieces


def intent_spans(text: str) -> list[tuple[int, int, int]]:
    """The words of normalised text that ask something: (start, end, kind), kind an index of INTENT_KINDS."""
    return [(match.start(), match.end(), INTENT_WORDS[match.group(0)]) for match in _INTENT_WORD.finditer(text)]


def intents(text: str) -> int:
    """The kinds of what normalised text asks, as a bit mask over INTENT_KINDS."""
    mask = 0
    for _, _, kind in intent_spans(text):
        mask |= 1 << kind
    return mask


def question_characters(text: str) -> int:
    """How many distinct characters a question is indexed under (its single-character terms)."""
    return len({ch for run, _ in runs(normalize(text)) if is_cjk(run)
                for piece, _ in split_stop_words(run) for ch in piece if ch not in PARTICLES})


class Segmenter:
    """jieba in search mode, taught the content's own words (tags, synonyms) and shop vocabulary."""

    def __init__(self, extra_words: Iterable[str] = ()):
        jieba.setLogLevel(logging.WARNING)
        self._words: dict[str, list[str]] = {}
        self._jieba = jieba.Tokenizer()
        try:
            self._jieba.initialize()
        except OSError:  # another process replaced jieba's shared cache file under us; read it again
            self._jieba.initialize()
        words = (DATA / "shop_words.txt").read_text(encoding="utf-8").split()
        for word in dict.fromkeys(list(words) + [normalize(w) for w in dict.fromkeys(extra_words)]):  # tags repeat
            if len(word) >= 2 and is_cjk(word):
                self._jieba.add_word(word, freq=max(self._jieba.suggest_freq(word), 2000))

    def words(self, run: str) -> list[str]:
        """Words of one Han run, search mode: 偏远地区 → 偏远, 地区, 偏远地区."""
        words = self._words.get(run)
        if words is None:
            # Answers repeat phrases (订单详情页, 原路退回, 7天无理由); jieba is most of indexing time.
            words = self._words[run] = [w for w in self._jieba.cut_for_search(run, HMM=False) if w.strip()]
        return words

    def index_terms(self, text: str, synonyms: dict[str, tuple[str, ...]] | None = None, *,
                    characters: bool = True, pinyin: bool = True) -> list[str]:
        """The terms a document field is indexed under.

        Han text gives its jieba words, single characters, and the pinyin (full and initials) of
        words of two or more characters; ASCII gives its words. Synonyms of a word are indexed
        with it, so a query needs no expansion. `characters` and `pinyin` turn those terms off.
        """
        synonyms = synonyms or {}
        glossary = shop_glossary()
        terms: list[str] = []

        def add_group(word: str) -> None:
            for variant in (word,) + synonyms.get(word, ()):
                terms.append(variant)
                terms.extend(glossary.get(variant, ()))
                if pinyin and len(variant) >= 2 and is_cjk(variant):
                    full, initials = word_pinyin(variant)
                    if len(full) >= 2:
                        terms.extend((full, initials))

        for run, _ in runs(normalize(text)):
            if not is_cjk(run):
                terms.append(run)
                terms += synonyms.get(run, ())
                continue
            clause: list[str] = []
            for piece, _ in split_stop_words(run):
                for word in self.words(piece):
                    if word in STOP_SET or word in PARTICLES:
                        continue
                    clause.append(word)
                    add_group(word)
                if characters:
                    terms += [ch for ch in piece if ch not in PARTICLES]
            if synonyms:  # answers are indexed without synonyms: no phrase to look for in their clauses
                for phrase in split_phrases(clause, synonyms):
                    add_group(phrase)
        return terms


def split_phrases(clause: list[str], synonyms: dict[str, tuple[str, ...]]) -> list[str]:
    """Vocabulary phrases a clause says in two parts, in order, with other words between them:
    积分怎么还没到账 says 积分到账, so that phrase's group (积分没到, 积分一点没变) is indexed with it.
    Both parts have two or more characters and are not inside a longer word of the clause (支付 of
    支付宝 is not 支付); a phrase the clause holds whole is left to jieba."""
    whole = set(clause)
    parts = [word for word in dict.fromkeys(clause)
             if len(word) >= 2 and not any(word != other and word in other for other in whole)]
    found = []
    for i, first in enumerate(parts):
        for second in parts[i + 1:]:
            phrase = first + second
            if phrase in synonyms and phrase not in whole and phrase not in found:
                found.append(phrase)
    return found


def synonym_table(groups: Iterable[Iterable[str]]) -> dict[str, tuple[str, ...]]:
    """word → the other words of its group, all normalised."""
    table: dict[str, tuple[str, ...]] = {}
    for group in groups:
        words = list(dict.fromkeys(normalize(w).strip() for w in group))
        for word in words:
            table[word] = tuple(w for w in words if w != word)
    return table


@functools.lru_cache(maxsize=1)
def shop_synonym_groups() -> tuple[tuple[str, ...], ...]:
    """General shop vocabulary shipped with faqkb (data/shop_synonyms.txt): groups of words shoppers
    use for the same thing, the standard term first, with Traditional forms and common typos."""
    lines = (DATA / "shop_synonyms.txt").read_text(encoding="utf-8").splitlines()
    return tuple(tuple(line.split()) for line in lines if line.strip() and not line.startswith("#"))


@functools.lru_cache(maxsize=1)
def shop_glossary() -> dict[str, tuple[str, ...]]:
    """Normalised Chinese term → the English words shoppers type for it (data/shop_english.txt)."""
    glossary: dict[str, list[str]] = {}
    for line in (DATA / "shop_english.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            english, *terms = line.split()
            for term in terms:
                glossary.setdefault(normalize(term), []).append(normalize(english))
    return {term: tuple(dict.fromkeys(words)) for term, words in glossary.items()}


def vocabulary(shop_groups: Iterable[Iterable[str]]) -> dict[str, tuple[str, ...]]:
    """The synonym table indexing uses: faqkb's general groups and the shop's own (faq/_synonyms.yml),
    a shop group joined with every general group it shares a word with, its own words first."""
    merged: list[list[str]] = [list(group) for group in shop_synonym_groups()]
    home: dict[str, int] = {normalize(word).strip(): n for n, group in enumerate(merged) for word in group}
    for group in shop_groups:
        words = list(group)
        joined = sorted({home[key] for word in words if (key := normalize(word).strip()) in home})
        for n in joined:
            words += merged[n]
            merged[n] = []
        merged.append(list(dict.fromkeys(words)))
        for word in merged[-1]:
            home[normalize(word).strip()] = len(merged) - 1
    return synonym_table(group for group in merged if len(group) > 1)


def pinyin_table(extra_chars: Iterable[str] = ()) -> dict[str, list[str]]:
    """Readings of the common characters and of every character in the content.

    Both searches read pinyin from this table (never from pypinyin directly), so they agree.
    """
    chars = dict.fromkeys(common_characters())
    chars.update(dict.fromkeys(ch for ch in extra_chars if is_cjk(ch)))
    table = {}
    for ch in chars:
        readings = char_pinyins(ch)
        if readings:
            table[ch] = readings
    return table
