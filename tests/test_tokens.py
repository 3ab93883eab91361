from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhpolicy.slogans.mine import merge_phrases
from zhpolicy.tokens import TokenStream, is_number, load_stop_words, make_tokenizer, select_terms, tokenize

WHOLE = ["万亿之城再出发", "四个走在前", "常有善育", "532", "3511"]


@pytest.fixture(scope="module")
def tokenizer():  # type: ignore[no-untyped-def]
    return make_tokenizer(WHOLE)


def test_slogans_stay_whole_in_the_seed(tokenizer, seed_text: str) -> None:  # type: ignore[no-untyped-def]
    tokens = tokenize(seed_text, tokenizer)
    for slogan in WHOLE:
        assert seed_text.count(slogan) > 0
        assert tokens.count(slogan) == seed_text.count(slogan), slogan


def test_tokens_concatenate_back_to_the_text(tokenizer, seed_text: str) -> None:  # type: ignore[no-untyped-def]
    assert "".join(tokenize(seed_text, tokenizer)) == seed_text


def test_own_tokenizer_leaves_jieba_global_alone(tokenizer) -> None:  # type: ignore[no-untyped-def]
    import jieba

    assert jieba.dt is not tokenizer
    assert "万亿之城再出发" not in jieba.lcut("万亿之城再出发")


def test_without_user_words_jieba_splits_the_slogan() -> None:
    # The reason make_tokenizer exists: plain jieba breaks the slogan apart.
    assert "万亿之城再出发" not in tokenize("常州万亿之城再出发的第一年", make_tokenizer())


def test_select_terms_drops_punctuation_numbers_stop_words_and_single_characters() -> None:
    tokens = ["我们", "推进", "“", "532", "”", "2024", "12.6%", "的", "战略", "\n", "区", " "]
    terms = select_terms(tokens, stop_words=load_stop_words(), keep=frozenset({"532"}))
    assert terms == ["推进", "532", "战略"]


def test_stop_words_are_the_shipped_list() -> None:
    stop_words = load_stop_words()
    assert {"的", "我们", "以及"} <= stop_words
    assert "发展" not in stop_words
    assert len(stop_words) == 794


@pytest.mark.parametrize("token, expected", [("2024", True), ("4.4", True), ("12.6%", True), ("532", True),
                                             ("GDP", False), ("十四五", False), ("5G", False)])
def test_is_number(token: str, expected: bool) -> None:
    assert is_number(token) is expected


# --- the fast segmenter: rjieba must give jieba's tokens --------------------------------------------------

TRICKY = [
    "联系 e-mail: a.b@c.com 或 www.gov.cn",     # jieba-rs keeps ASCII runs with punctuation whole
    "COVID-19疫情，第1-3季度，2024年1-10月",
    "1.2.3版，x_y变量，abc.def，3.14，12.6%，R&D投入，C++和C#",
    "GDP增长5.5%，达到1,234.5亿元；5G基站3.0版本；iPhone15",
    "㐀字、鿪字、𠀀字与兀字",                        # CJK outside U+4E00-U+9FD5: jieba emits them one by one
    "曲检&利苦坚蕴恩-㐀山信午施#𠀀雄",
    "行一\r\n行二\n\n  行三\t行四　全角空格",
    "“532”发展战略和“3511”工作部署，“四个走在前”",
    "",
]


@pytest.fixture(scope="module")
def both() -> tuple[object, object]:
    pytest.importorskip("rjieba")
    return make_tokenizer(WHOLE, segmenter="jieba"), make_tokenizer(WHOLE, segmenter="rjieba")


def test_rjieba_gives_jiebas_tokens_on_the_seed(seed_path, seed_text: str) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("rjieba")
    import zhpolicy

    document = zhpolicy.read_document(seed_path)
    words = [s.text for s in zhpolicy.detect_slogans([document.text], zhpolicy.load_lexicon())]
    jieba_tokens = make_tokenizer(words, segmenter="jieba").lcut(seed_text)
    rjieba_tokens = make_tokenizer(words, segmenter="rjieba").lcut(seed_text)
    assert rjieba_tokens == jieba_tokens
    assert jieba_tokens.count("万亿之城再出发") == seed_text.count("万亿之城再出发")


@pytest.mark.parametrize("text", TRICKY)
def test_rjieba_gives_jiebas_tokens_on_tricky_text(both, text: str) -> None:  # type: ignore[no-untyped-def]
    jieba_tokenizer, rjieba_tokenizer = both
    assert rjieba_tokenizer.lcut(text) == jieba_tokenizer.lcut(text)
    assert "".join(rjieba_tokenizer.lcut(text)) == text


def test_bare_rjieba_differs_where_we_mend_it(both) -> None:  # type: ignore[no-untyped-def]
    import rjieba

    assert rjieba.Jieba().cut("e-mail", True) == ["e-mail"]  # why RjiebaTokenizer mends its output
    assert both[1].lcut("e-mail") == ["e", "-", "mail"] == both[0].lcut("e-mail")


def test_rjieba_agrees_with_jieba_on_random_text(both, seed_text: str) -> None:  # type: ignore[no-untyped-def]
    import random

    jieba_tokenizer, rjieba_tokenizer = both
    rng = random.Random(2024)
    pool = sorted(set(seed_text)) + list("abcXYZ0123456789.-_%&+#@:/ \n\t,;()'\"!?㐀鿪𠀀ж한") + WHOLE
    for _ in range(1500):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 30)))
        assert rjieba_tokenizer.lcut(text) == jieba_tokenizer.lcut(text), text


@pytest.mark.parametrize("segmenter", ["jieba", "rjieba"])
def test_each_segmenter_keeps_slogans_whole(segmenter: str, seed_text: str) -> None:
    pytest.importorskip(segmenter)
    tokens = tokenize(seed_text, make_tokenizer(WHOLE, segmenter=segmenter))
    assert "".join(tokens) == seed_text
    for slogan in WHOLE:
        assert tokens.count(slogan) == seed_text.count(slogan), slogan


def test_unknown_segmenter_is_refused() -> None:
    with pytest.raises(ValueError, match="segmenter must be one of jieba, rjieba"):
        make_tokenizer(segmenter="thulac")


def test_a_tokenizer_sent_to_another_process_is_rebuilt_the_same(both) -> None:  # type: ignore[no-untyped-def]
    import pickle

    for tokenizer in both:
        copy = pickle.loads(pickle.dumps(tokenizer))
        assert copy is not tokenizer and copy.segmenter == tokenizer.segmenter
        assert copy.lcut("常州万亿之城再出发") == tokenizer.lcut("常州万亿之城再出发") == ["常州", "万亿之城再出发"]


def test_word_tokens_keeps_words_in_order_and_interns_them() -> None:
    import sys

    from zhpolicy.tokens import is_word, word_tokens

    tokens = ["我们", "“", "532", "”", " ", "\n", "发展", "。", "".join(["发", "展"])]  # noqa: FLY002 (a new string)
    words = word_tokens(tokens)
    assert words == [t for t in tokens if is_word(t)] == ["我们", "532", "发展", "发展"]
    assert words[2] is words[3] is sys.intern("发展")


# --- joining mined phrases in a token stream -------------------------------------------------------------

_TOKENS = st.sampled_from(["统筹", "发展", "和", "安全", "，", "发", "展", "a"])


@given(tokens=st.lists(_TOKENS, max_size=40),
       phrases=st.lists(st.lists(_TOKENS, min_size=1, max_size=4), max_size=5))
def test_phrases_are_joined_as_merge_phrases_joins_them(tokens: list[str], phrases: list[list[str]]) -> None:
    stream = TokenStream.of(tokens)
    expected = merge_phrases(tokens, [tuple(phrase) for phrase in phrases])
    assert stream.merged(phrases).tokens() == expected
    # Counted from the token list, each phrase found taken off as its tokens and added as one.
    assert stream.merged_counts(phrases, tokens) == Counter(expected)
    assert stream.merged_counts(phrases) == Counter(expected)


def test_a_token_only_ever_inside_phrases_is_not_counted() -> None:
    tokens = ["统筹", "发展", "和", "安全", "，", "统筹", "发展"]
    counts = TokenStream.of(tokens).merged_counts([("统筹", "发展", "和", "安全"), ("统筹", "发展")], tokens)
    assert counts == {"统筹发展和安全": 1, "，": 1, "统筹发展": 1}
    assert "统筹" not in counts and "和" not in counts
