"""Mining recurring multi-word phrases from token lists: cohesion (PMI) and freedom (branching entropy)."""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from zhpolicy.tokens import is_number, is_word

#: Mining looks at no more than this many tokens (the first ones of the run, in document order),
#: so that its memory stays bounded on large corpora.
MAX_MINING_TOKENS = 2_000_000
_BOUNDARY = None


@dataclass(frozen=True)
class MinedPhrase:
    """A recurring phrase: its tokens, frequency, cohesion and freedom.

    Attributes
    ----------
    text : the tokens joined, as it appears in the text.
    tokens : the jieba tokens it spans (at least two).
    count : occurrences as a token n-gram.
    pmi : cohesion, the smallest ``ln(f(ab) * N / (f(a) * f(b)))`` over the ways of cutting it in two.
    entropy : freedom, the smaller of its left and right branching entropies (nats).
    score : ``count * pmi * entropy``, the ranking key.
    """

    text: str
    tokens: tuple[str, ...]
    count: int
    pmi: float
    entropy: float
    score: float


def word_runs(tokens: Iterable[str]) -> list[list[str]]:
    """Split a token stream into runs of word tokens; punctuation and whitespace end a run."""
    runs: list[list[str]] = []
    current: list[str] = []
    known: dict[str, bool] = {}  # decided once per distinct token
    for token in tokens:
        word = known.get(token)
        if word is None:
            word = known[token] = is_word(token)
        if word:
            current.append(token)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def branching_entropy(neighbours: Counter[str | None]) -> float:
    """Entropy (nats) of the tokens next to a phrase; each text or run boundary counts as a distinct neighbour."""
    return _entropy([(neighbour is _BOUNDARY, count) for neighbour, count in neighbours.items()])


def _entropy(neighbours: Sequence[tuple[bool, int]]) -> float:
    """:func:`branching_entropy` of ``(is a boundary, count)`` pairs, summed in their order."""
    total = sum(count for _, count in neighbours)
    entropy = 0.0
    for boundary, count in neighbours:
        if boundary:
            entropy += count / total * math.log(total)
        else:
            entropy -= count / total * math.log(count / total)
    return entropy


def mine_phrases(
    token_lists: Iterable[Sequence[str]],
    *,
    stop_words: frozenset[str],
    min_count: int = 2,
    min_pmi: float = 3.0,
    min_entropy: float = 0.69,
    max_tokens: int = 4,
    min_chars: int = 3,
    max_chars: int = 12,
    top: int = 30,
    accept: Callable[[str], bool] | None = None,
) -> list[MinedPhrase]:
    """Recurring multi-word phrases, ranked by ``count * pmi * entropy`` and capped at ``top``.

    Candidates are contiguous n-grams of 2 to ``max_tokens`` word tokens inside a run (no
    punctuation between them) that occur at least ``min_count`` times, span ``min_chars`` to
    ``max_chars`` characters, hold no bare number and neither start nor end with a stop word. A
    candidate is kept when its cohesion (PMI, the weakest cut) is at least ``min_pmi`` and its
    freedom (the smaller branching entropy) at least ``min_entropy`` — ``ln 2 ≈ 0.69`` means at
    least two different neighbours on each side. ``accept`` may veto phrases (slogans already
    known), best first, before the cap. Ties are broken by text, so the list is stable.

    Examples
    --------
    >>> tokens = ["优化", "营商环境", ",", "持续", "优化", "营商环境", "。", "优化", "流程"]
    >>> [p.text for p in mine_phrases([tokens], stop_words=frozenset(), min_pmi=0.5)]
    ['优化营商环境']
    """
    sequence, vocabulary = _encode_runs(token_lists, MAX_MINING_TOKENS)
    words = sequence >= 0
    unigrams = np.bincount(sequence[words], minlength=len(vocabulary))
    total = int(words.sum())
    # remaining[i]: word tokens from position i to the end of its run.
    remaining = _run_remaining(words)
    size_range = range(2, max_tokens + 1)
    # ids[n][i]: a dense id of the n-gram starting at i (-1 where none does); counts[n][id]: its count.
    ids: dict[int, Any] = {1: np.where(words, sequence, -1)}
    counts: dict[int, Any] = {1: unigrams}
    # starts[n][offsets[n][id]:offsets[n][id + 1]]: where the n-gram ``id`` starts, in text order.
    starts: dict[int, Any] = {}
    offsets: dict[int, Any] = {}
    for size in size_range:
        valid = np.flatnonzero(remaining >= size)
        keys = ids[size - 1][valid] * (len(vocabulary) + 1) + sequence[valid + size - 1]
        # One stable sort groups the n-grams (ids in the order of their keys, as np.unique numbers
        # them) and lists each one's starts in text order.
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        first = np.r_[True, ordered[1:] != ordered[:-1]] if len(keys) else np.zeros(0, dtype=bool)
        dense = np.full(len(sequence), -1, dtype=np.int64)
        dense[valid[order]] = np.cumsum(first) - 1
        offsets[size] = np.r_[np.flatnonzero(first), len(keys)]
        ids[size], counts[size] = dense, np.diff(offsets[size])
        starts[size] = valid[order]

    def gram_at(size: int, position: int) -> tuple[str, ...]:
        return tuple(vocabulary[code] for code in sequence[position:position + size].tolist())

    def frequency(size: int, position: int) -> int:
        return int(counts[size][ids[size][position]])

    phrases = []
    for size in size_range:
        for gram_id in np.flatnonzero(counts[size] >= min_count).tolist():
            where = starts[size][offsets[size][gram_id]:offsets[size][gram_id + 1]]
            position = int(where[0])
            gram = gram_at(size, position)
            if not _plausible(gram, stop_words, min_chars, max_chars):
                continue
            count = int(counts[size][gram_id])
            pmi = min(math.log(count * total / (frequency(cut, position) * frequency(size - cut, position + cut)))
                      for cut in range(1, size))
            if pmi < min_pmi:
                continue
            entropy = _entropy(_neighbours(sequence, where - 1))
            if entropy < min_entropy - 1e-9:  # the right side cannot make up for the left
                continue
            entropy = min(entropy, _entropy(_neighbours(sequence, where + size)))
            if entropy >= min_entropy - 1e-9:
                phrases.append(MinedPhrase("".join(gram), gram, count, round(pmi, 6), round(entropy, 6),
                                           round(count * pmi * entropy, 6)))
    best: dict[str, MinedPhrase] = {}
    for phrase in sorted(phrases, key=lambda p: (-p.score, p.text, p.tokens)):
        if len(best) >= top:
            break
        if phrase.text not in best and (accept is None or accept(phrase.text)):
            best[phrase.text] = phrase
    return list(best.values())


def _encode_runs(token_lists: Iterable[Sequence[str]], budget: int) -> tuple[Any, list[str]]:
    """The first ``budget`` word tokens as codes into a vocabulary, -1 where a run ends (punctuation,
    whitespace, the end of a token list). Token lists are consumed only until the budget is spent."""
    vocabulary: list[str] = []
    code_of: dict[str, int] = {}  # decided once per distinct token: its code, or -1 for no word
    parts = []
    for tokens in token_lists:
        if budget <= 0:
            break
        for token in sorted(set(tokens).difference(code_of)):  # sorted: the same codes in every run
            code_of[token] = len(vocabulary) if is_word(token) else -1
            if code_of[token] >= 0:
                vocabulary.append(token)
        encoded = np.fromiter(map(code_of.__getitem__, tokens), dtype=np.int64, count=len(tokens))
        words = np.flatnonzero(encoded >= 0)
        if len(words) > budget:  # the budget ends inside this list: cut after its last word token
            encoded = encoded[:words[budget - 1] + 1]
        budget -= min(budget, len(words))
        parts += [encoded, np.array([-1], dtype=np.int64)]
    return (np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)), vocabulary


def _run_remaining(words: Any) -> Any:
    """For each position, how many word tokens follow from it (itself included) before the run ends."""
    positions = np.arange(len(words))
    # The next non-word position at or after each position.
    stops = np.where(~words, positions, len(words))
    next_stop = np.minimum.accumulate(stops[::-1])[::-1]
    return next_stop - positions


def _neighbours(sequence: Any, positions: Any) -> list[tuple[bool, int]]:
    """The tokens at ``positions`` as ``(is a run boundary, count)`` per distinct token, in order of first
    appearance (all boundaries as one entry, at the first): what a Counter of them holds, in its order."""
    inside = (positions >= 0) & (positions < len(sequence))
    codes = np.where(inside, sequence[np.clip(positions, 0, len(sequence) - 1)], -1)
    distinct, first, counts = np.unique(codes, return_index=True, return_counts=True)
    order = np.argsort(first)
    return list(zip((distinct[order] < 0).tolist(), counts[order].tolist()))


def _plausible(gram: tuple[str, ...], stop_words: frozenset[str], min_chars: int, max_chars: int) -> bool:
    chars = sum(len(token) for token in gram)
    return (min_chars <= chars <= max_chars
            and gram[0] not in stop_words and gram[-1] not in stop_words
            and not any(is_number(token) for token in gram))


def merge_phrases(tokens: Sequence[str], phrases: Iterable[Sequence[str]]) -> list[str]:
    """Join consecutive tokens that form one of ``phrases`` into a single token (longest first).

    This keeps mined phrases whole in the term tables without segmenting the text again.

    Examples
    --------
    >>> merge_phrases(["优化", "营商环境", "和", "优化", "流程"], [("优化", "营商环境")])
    ['优化营商环境', '和', '优化', '流程']
    """
    by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for phrase in phrases:
        by_first[phrase[0]].append(tuple(phrase))
    for options in by_first.values():
        options.sort(key=len, reverse=True)
    merged: list[str] = []
    index = 0
    while index < len(tokens):
        for phrase in by_first.get(tokens[index], ()):
            if tuple(tokens[index:index + len(phrase)]) == phrase:
                merged.append("".join(phrase))
                index += len(phrase)
                break
        else:
            merged.append(tokens[index])
            index += 1
    return merged
