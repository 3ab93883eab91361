"""Segmenting text with a private jieba tokenizer that keeps slogans whole; stop words and term filtering."""
from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jieba

_NUMBER = re.compile(r"[0-9.,%+\-]+|[0-9]+(?:\.[0-9]+)?[%‰]?")


def make_tokenizer(user_words: Iterable[str] = ()) -> jieba.Tokenizer:
    """A jieba tokenizer of our own (never jieba's global one) that keeps ``user_words`` whole.

    The dictionary is loaded here, once; jieba's start-up messages are silenced.

    >>> tokenizer = make_tokenizer(["万亿之城再出发"])  # doctest: +SKIP
    >>> tokenize("万亿之城再出发", tokenizer)  # doctest: +SKIP
    ['万亿之城再出发']
    """
    import jieba

    # jieba sets its logger to DEBUG when imported; quieten it afterwards.
    logging.getLogger("jieba").setLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in sorted(set(user_words)):
        # jieba's regex splits at spaces and most punctuation: such words can never be one token.
        if word and not any(ch.isspace() for ch in word):
            tokenizer.add_word(word)
    return tokenizer


def tokenize(text: str, tokenizer: jieba.Tokenizer) -> list[str]:
    """All tokens of ``text`` in jieba's precise mode (HMM on), whitespace and punctuation included."""
    return list(tokenizer.cut(text, cut_all=False, HMM=True))


def is_word(token: str) -> bool:
    """True when a token holds a letter, digit or CJK character (not whitespace or punctuation)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in token)


def is_number(token: str) -> bool:
    """True for a bare number such as ``2024``, ``4.4`` or ``12.6%``."""
    return _NUMBER.fullmatch(token) is not None


@cache
def load_stop_words() -> frozenset[str]:
    """The shipped Chinese stop-word list (stopwords-iso "zh", MIT licence; see data/stopwords_zh.txt)."""
    text = resources.files("zhpolicy").joinpath("data/stopwords_zh.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def select_terms(
    tokens: Iterable[str],
    *,
    stop_words: frozenset[str],
    keep: frozenset[str] = frozenset(),
    min_chars: int = 2,
) -> list[str]:
    """The tokens counted as terms.

    Dropped: whitespace and punctuation, bare numbers, stop words and tokens shorter than
    ``min_chars`` characters — except tokens in ``keep`` (the slogans, so "532" survives).
    """
    return [
        token for token in tokens
        if token in keep
        or (is_word(token) and not is_number(token) and token not in stop_words and len(token) >= min_chars)
    ]
