from __future__ import annotations

import pytest

from zhpolicy.tokens import is_number, load_stop_words, make_tokenizer, select_terms, tokenize

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
