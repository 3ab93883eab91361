"""Segmenting text with a private tokenizer (jieba or rjieba) that keeps slogans whole; stop words and term filtering."""
from __future__ import annotations

import logging
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal, Protocol, get_args

_NUMBER = re.compile(r"[0-9.,%+\-]+|[0-9]+(?:\.[0-9]+)?[%‰]?")

#: The segmenters: ``jieba`` (the reference, pure Python) and ``rjieba`` (jieba-rs, the same algorithm in Rust).
Segmenter = Literal["jieba", "rjieba"]
SEGMENTERS: tuple[str, ...] = get_args(Segmenter)

# jieba's own character classes (jieba/__init__.py and jieba/finalseg/__init__.py), used to make rjieba agree.
_JIEBA_HAN = re.compile("[\u4E00-\u9FD5]")
_JIEBA_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")
# Characters rjieba segments as Chinese but jieba does not (CJK extension A, U+9FD6-U+9FFF, compatibility
# ideographs, the supplementary planes); jieba emits each of them as a token of its own.
_RJIEBA_ONLY_HAN = re.compile("([\u3400-\u4DBF\u9FD6-\u9FFF\uF900-\uFAFF\U00020000-\U0002FA1F])")


class Tokenizer(Protocol):
    """What the pipeline needs of a segmenter: ``lcut(text)`` → all tokens, whitespace and punctuation included."""

    segmenter: str
    user_words: tuple[str, ...]

    def lcut(self, text: str) -> list[str]: ...


class JiebaTokenizer:
    """A private ``jieba.Tokenizer`` (never jieba's global one), precise mode with HMM, user words added."""

    segmenter = "jieba"

    def __init__(self, user_words: Iterable[str] = ()) -> None:
        import jieba

        # jieba sets its logger to DEBUG when imported; quieten it afterwards.
        logging.getLogger("jieba").setLevel(logging.WARNING)
        self.user_words = _usable_words(user_words)
        self.backend = _PRELOADED.pop("jieba", None) or jieba.Tokenizer()
        self.backend.initialize()
        for word in self.user_words:
            # A word already in the dictionary comes out whole as it is; adding it again would only
            # nudge its frequency (differently in jieba and rjieba).
            if not self.backend.FREQ.get(word):
                self.backend.add_word(word)

    def lcut(self, text: str) -> list[str]:
        return self.backend.lcut(text, cut_all=False, HMM=True)  # type: ignore[no-any-return]

    def __reduce__(self) -> tuple[Any, ...]:
        # Sent to another process, a tokenizer is rebuilt there from its recipe (the dictionary is not copied).
        return (_rebuild, (self.segmenter, self.user_words))


class RjiebaTokenizer:
    """rjieba (jieba-rs: jieba's algorithm and dictionary in Rust), made to give jieba's tokens.

    jieba-rs differs from jieba in two places, both mended here: in HMM mode it keeps ASCII runs with
    punctuation whole (``e-mail``, ``COVID-19``, ``1-10``), where jieba splits them with its
    ``[a-zA-Z0-9]+(?:\\.\\d+)?%?`` rule; and it treats rare CJK characters outside U+4E00-U+9FD5 as
    Chinese, where jieba emits each one alone.
    """

    segmenter = "rjieba"

    def __init__(self, user_words: Iterable[str] = ()) -> None:
        import rjieba

        self.user_words = _usable_words(user_words)
        self.backend = _PRELOADED.pop("rjieba", None) or rjieba.Jieba()
        for word in self.user_words:
            if not self.backend.has_word(word):
                self.backend.add_word(word, None, None)  # freq and tag are required positional arguments

    def lcut(self, text: str) -> list[str]:
        if _RJIEBA_ONLY_HAN.search(text) is None:
            return self._mend(self.backend.cut(text, True))
        tokens: list[str] = []
        for i, piece in enumerate(_RJIEBA_ONLY_HAN.split(text)):
            if i % 2:
                tokens.append(piece)
            elif piece:
                tokens.extend(self._mend(self.backend.cut(piece, True)))
        return tokens

    def _mend(self, tokens: list[str]) -> list[str]:
        """Split ASCII runs the way jieba's HMM step does (only tokens that need it are touched)."""
        mend = {token for token in set(tokens) if self._needs_split(token)}
        if not mend:
            return tokens
        out: list[str] = []
        for token in tokens:
            if token in mend:
                out.extend(piece for piece in _JIEBA_SKIP.split(token) if piece)
            else:
                out.append(token)
        return out

    def _needs_split(self, token: str) -> bool:
        return (len(token) > 1 and _JIEBA_HAN.search(token) is None and _JIEBA_SKIP.fullmatch(token) is None
                and not self.backend.has_word(token))

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.segmenter, self.user_words))


# Dictionaries loaded before they are needed (see :func:`preload_segmenter`), each taken by the next
# tokenizer made with that segmenter, which adds its user words to it.
_PRELOADED: dict[str, Any] = {}


def preload_segmenter(segmenter: str) -> None:
    """Load the segmenter's dictionary now, for the next tokenizer made in this process: a worker does it
    while the main process is still reading the input (loading the dictionary is most of the work of
    making a tokenizer)."""
    if segmenter == "jieba" and "jieba" not in _PRELOADED:
        import jieba

        logging.getLogger("jieba").setLevel(logging.WARNING)
        backend = jieba.Tokenizer()
        backend.initialize()
        _PRELOADED["jieba"] = backend
    elif segmenter == "rjieba" and "rjieba" not in _PRELOADED:
        try:
            import rjieba
        except ImportError:
            return  # making the tokenizer will say so
        _PRELOADED["rjieba"] = rjieba.Jieba()


def default_segmenter() -> Segmenter:
    """``rjieba`` where it is installed, else ``jieba``: both give the same tokens (see :class:`RjiebaTokenizer`)."""
    import importlib.util

    return "rjieba" if importlib.util.find_spec("rjieba") is not None else "jieba"


def _usable_words(user_words: Iterable[str]) -> tuple[str, ...]:
    # jieba's regex splits at spaces and most punctuation: words with spaces can never be one token.
    return tuple(sorted({word for word in user_words if word and not any(ch.isspace() for ch in word)}))


def _rebuild(segmenter: str, user_words: tuple[str, ...]) -> Tokenizer:
    return make_tokenizer(user_words, segmenter=segmenter)


def make_tokenizer(user_words: Iterable[str] = (), *, segmenter: str | None = None) -> Tokenizer:
    """A tokenizer of our own that keeps ``user_words`` whole.

    A private segmenter (never jieba's global one), precise mode with HMM, with ``user_words`` added
    to its dictionary. The dictionary is loaded here, once; jieba's start-up messages are silenced.
    Sent to another process, the tokenizer is rebuilt there from the segmenter's name and the words.

    Parameters
    ----------
    user_words : iterable of str, default ()
        Words to keep whole (slogans, lexicon phrases); words holding whitespace are skipped (jieba
        splits at spaces, so they could never be one token).
    segmenter : {"jieba", "rjieba"}, optional
        ``jieba`` (pure Python, the reference) or ``rjieba`` (jieba-rs: the same tokens); by default
        rjieba where it is installed (see :func:`default_segmenter`).

    Returns
    -------
    Tokenizer
        An object with ``lcut(text) -> list[str]``, for :func:`tokenize`.

    Raises
    ------
    ValueError
        ``segmenter`` is neither ``"jieba"`` nor ``"rjieba"``, or it is ``"rjieba"`` and the rjieba
        package is not installed.

    Examples
    --------
    >>> tokenizer = make_tokenizer(["万亿之城再出发"])  # doctest: +SKIP
    >>> tokenize("万亿之城再出发", tokenizer)  # doctest: +SKIP
    ['万亿之城再出发']
    """
    segmenter = default_segmenter() if segmenter is None else segmenter
    if segmenter == "jieba":
        return JiebaTokenizer(user_words)
    if segmenter == "rjieba":
        try:
            return RjiebaTokenizer(user_words)
        except ImportError:
            raise ValueError("segmenter 'rjieba' needs the rjieba package: pip install rjieba") from None
    raise ValueError(f"segmenter must be one of {', '.join(SEGMENTERS)}; got {segmenter!r}")


def tokenize(text: str, tokenizer: Any) -> list[str]:
    """All tokens of ``text`` in jieba's precise mode (HMM on), whitespace and punctuation included.

    The tokens, joined, give ``text`` back: ``"".join(tokenize(text, tokenizer)) == text``.

    Parameters
    ----------
    text : str
        The text to segment (normalised, see :func:`zhpolicy.text.normalize.normalize_text`).
    tokenizer : Tokenizer
        One made by :func:`make_tokenizer` (a bare ``jieba.Tokenizer`` works too).

    Returns
    -------
    list of str
        The tokens, in text order.

    Examples
    --------
    >>> tokenize("推进“四个走在前”", make_tokenizer(["四个走在前"]))  # doctest: +SKIP
    ['推进', '“', '四个走在前', '”']
    """
    return tokenizer.lcut(text)  # type: ignore[no-any-return]


# Separators for joined token streams: control characters a report almost never holds, then private-use ones.
_SEPARATORS = "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a"
#: Longest piece of a joined stream split into a list at once (characters), so memory stays bounded.
SPLIT_CHARS = 1 << 20


def pick_separator(text: str) -> str:
    """A character that ``text`` does not contain (tried in a fixed order, so the choice is deterministic)."""
    for separator in _SEPARATORS:
        if separator not in text:
            return separator
    used = set(text)
    return next(chr(code) for code in range(0xF0000, 0x10FFFE) if chr(code) not in used)


@dataclass(frozen=True)
class TokenStream:
    """All tokens of a text joined by a ``separator`` character the text does not contain.

    One string is one object, where a list holds one per token: it is what is sent between processes,
    split, counted and searched, and the pipeline keeps tokens in this form, never as one long list.
    """

    separator: str
    joined: str

    @classmethod
    def of(cls, tokens: Sequence[str], text: str = "") -> TokenStream:
        """The stream of ``tokens`` (the tokens of ``text``: the separator is chosen to be in neither)."""
        separator = pick_separator(text) if text else pick_separator("".join(tokens))
        return cls(separator, separator.join(tokens))

    def tokens(self) -> list[str]:
        """The tokens, in order, each string interned."""
        return list(map(sys.intern, self.joined.split(self.separator))) if self.joined else []

    def pieces(self, max_chars: int = SPLIT_CHARS) -> Iterator[list[str]]:
        """The tokens in consecutive lists of about ``max_chars`` characters, cut after a line break
        where there is one (so no run of words is cut), never inside a token."""
        joined, separator, start = self.joined, self.separator, 0
        while start < len(joined):
            end = -1
            if start + max_chars < len(joined):
                line_end = joined.find("\n", start + max_chars)
                end = joined.find(separator, start + max_chars if line_end < 0 else line_end)
            end = len(joined) if end < 0 else end
            yield joined[start:end].split(separator)
            start = end + 1

    def counts(self) -> Counter[str]:
        """How often each token occurs (punctuation and whitespace included)."""
        counts: Counter[str] = Counter()
        for piece in self.pieces():
            counts.update(piece)
        return counts

    def merged(self, phrases: Iterable[Sequence[str]]) -> TokenStream:
        """Consecutive tokens that form one of ``phrases`` joined into a single token: the same as
        :func:`zhpolicy.slogans.mine.merge_phrases` (longest phrase first at each token, left to right), done
        by one regular expression over the joined string."""
        pattern = _phrase_pattern(self.separator, phrases)
        if pattern is None or not self.joined:
            return self
        return TokenStream(self.separator, pattern.sub(lambda match: match.group().replace(self.separator, ""),
                                                       self.joined))

    def merged_counts(self, phrases: Iterable[Sequence[str]], tokens: Sequence[str] | None = None) -> Counter[str]:
        """``self.merged(phrases).counts()``, without making the merged stream: the tokens (``tokens``,
        this stream's tokens as a list, if at hand) are counted as they are, then each phrase found is
        taken off as its tokens and added as one."""
        if tokens is None:
            tokens = self.joined.split(self.separator) if self.joined else []
        counts = Counter(tokens)
        pattern = _phrase_pattern(self.separator, phrases)
        if pattern is None:
            return counts
        for found, times in Counter(pattern.findall(self.joined)).items():  # a few distinct phrases, many times
            parts = found.split(self.separator)
            for part in parts:
                counts[part] -= times
            counts["".join(parts)] += times
        return +counts  # without the tokens all of whose occurrences were inside phrases


def _phrase_pattern(separator: str, phrases: Iterable[Sequence[str]]) -> re.Pattern[str] | None:
    """A regular expression for ``phrases`` (of two tokens or more) as whole runs of tokens joined by
    ``separator``, longest first; None when there are none.

    Each phrase must start where a token starts: checked after its first character by a look-behind
    of two characters, so that the expression opens with a character set and the search only stops
    at the phrases' first characters (a look-behind in front would be tried at every character)."""
    ordered = sorted({tuple(phrase) for phrase in phrases if len(phrase) > 1}, key=lambda p: (-len(p), p))
    if not ordered:
        return None
    boundary = re.escape(separator)
    phrases_joined = [separator.join(phrase) for phrase in ordered]
    return re.compile("(?:" + "|".join(f"{re.escape(joined[0])}(?<![^{boundary}].){re.escape(joined[1:])}"
                                       for joined in phrases_joined) + f")(?![^{boundary}])")


def word_tokens(tokens: Iterable[str]) -> list[str]:
    """The tokens that are words (:func:`is_word`), in order, each string interned.

    A report has few distinct words and many repeats: interning keeps one copy of each in memory.
    """
    tokens = list(tokens)
    words = {token: sys.intern(token) for token in set(tokens) if is_word(token)}
    return [word for word in map(words.get, tokens) if word is not None]


def is_word(token: str) -> bool:
    """True when a token holds a letter, digit or CJK character (not whitespace or punctuation)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in token)


def is_number(token: str) -> bool:
    """True for a bare number such as ``2024``, ``4.4`` or ``12.6%``."""
    return _NUMBER.fullmatch(token) is not None


@cache
def load_stop_words() -> frozenset[str]:
    """The shipped Chinese stop-word list (stopwords-iso "zh", MIT licence; see data/stopwords_zh.txt).

    Read once per process; lines starting with ``#`` and blank lines are skipped.

    Returns
    -------
    frozenset of str
        The stop words, for :func:`select_terms` and the term counts.

    Examples
    --------
    >>> stop_words = load_stop_words()
    >>> "我们" in stop_words, "改革" in stop_words
    (True, False)
    """
    text = resources.files("zhpolicy").joinpath("data/stopwords_zh.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@cache
def _dictionary() -> dict[str, int]:
    """jieba's dictionary (the one both segmenters use): word → frequency."""
    frequencies: dict[str, int] = {}
    with resources.files("jieba").joinpath("dict.txt").open(encoding="utf-8") as lines:
        for line in lines:
            word, frequency, *_ = line.split(" ")
            frequencies[word] = int(frequency)
    return frequencies


def dictionary_frequency(word: str) -> int:
    """How often jieba's dictionary says ``word`` occurs in general Chinese (0 for a word it lacks)."""
    return _dictionary().get(word, 0)


def is_term(token: str, *, stop_words: frozenset[str], keep: frozenset[str] = frozenset(), min_chars: int = 2) -> bool:
    """True for a token counted as a term: a slogan in ``keep``, or a word that is no bare number, no
    stop word and at least ``min_chars`` characters long."""
    return token in keep or (is_word(token) and not is_number(token) and token not in stop_words
                             and len(token) >= min_chars)


def count_terms(
    counts: Mapping[str, int], *, stop_words: frozenset[str], keep: frozenset[str] = frozenset(), min_chars: int = 2,
    decided: dict[str, tuple[bool, bool]] | None = None,
) -> tuple[int, Counter[str]]:
    """From a text's token counts (:meth:`TokenStream.counts`): the number of word tokens and the
    counts of the terms (:func:`is_term`), each decided once per distinct token.

    ``decided`` (token → (is a word, is a term)) may be shared between the calls of one run with the
    same options, so that a token is judged once over many sections.
    """
    decided = {} if decided is None else decided
    words = 0
    terms: Counter[str] = Counter()
    for token, count in counts.items():
        verdict = decided.get(token)
        if verdict is None:
            verdict = decided[sys.intern(token)] = (
                is_word(token), is_term(token, stop_words=stop_words, keep=keep, min_chars=min_chars))
        if verdict[0]:
            words += count
        if verdict[1]:
            terms[sys.intern(token)] = count
    return words, terms


def select_terms(
    tokens: Iterable[str],
    *,
    stop_words: frozenset[str],
    keep: frozenset[str] = frozenset(),
    min_chars: int = 2,
) -> list[str]:
    """The tokens counted as terms, in order.

    Dropped: whitespace and punctuation, bare numbers, stop words and tokens shorter than
    ``min_chars`` characters — except tokens in ``keep`` (the slogans, so "532" survives). The rule
    is :func:`is_term`'s.

    Parameters
    ----------
    tokens : iterable of str
        Tokens from :func:`tokenize`.
    stop_words : frozenset of str
        Words never counted (see :func:`load_stop_words`).
    keep : frozenset of str, default frozenset()
        Tokens always counted (the slogans).
    min_chars : int, default 2
        Shortest term, in characters.

    Returns
    -------
    list of str
        The terms, in the order of ``tokens``, repeats included.

    Examples
    --------
    >>> select_terms(["我们", "推进", "改革", ",", "2024", "532", "新"],
    ...              stop_words=frozenset({"我们"}), keep=frozenset({"532"}))
    ['推进', '改革', '532']
    """
    tokens = list(tokens)
    # Decided once per distinct token: a report repeats few words many times.
    terms = {token for token in set(tokens) if is_term(token, stop_words=stop_words, keep=keep, min_chars=min_chars)}
    return [token for token in tokens if token in terms]
