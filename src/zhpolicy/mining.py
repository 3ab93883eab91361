"""Mining recurring multi-word phrases from token lists: cohesion (PMI) and freedom (branching entropy)."""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .tokens import is_number, is_word

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
    total = sum(neighbours.values())
    entropy = 0.0
    for neighbour, count in neighbours.items():
        if neighbour is _BOUNDARY:
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

    >>> tokens = ["优化", "营商环境", ",", "持续", "优化", "营商环境", "。", "优化", "流程"]
    >>> [p.text for p in mine_phrases([tokens], stop_words=frozenset(), min_pmi=0.5)]
    ['优化营商环境']
    """
    runs: list[list[str]] = []
    budget = MAX_MINING_TOKENS
    for tokens in token_lists:
        for run in word_runs(tokens):
            if budget <= 0:
                break
            runs.append(run[:budget])
            budget -= len(run)
    unigrams: Counter[str] = Counter(token for run in runs for token in run)
    total = sum(unigrams.values())
    grams: Counter[tuple[str, ...]] = Counter()
    for run in runs:
        for size in range(2, max_tokens + 1):
            for start in range(len(run) - size + 1):
                grams[tuple(run[start:start + size])] += 1
    candidates = {gram: count for gram, count in grams.items()
                  if count >= min_count and _plausible(gram, stop_words, min_chars, max_chars)}
    left: defaultdict[tuple[str, ...], Counter[str | None]] = defaultdict(Counter)
    right: defaultdict[tuple[str, ...], Counter[str | None]] = defaultdict(Counter)
    for run in runs:
        for size in range(2, max_tokens + 1):
            for start in range(len(run) - size + 1):
                gram = tuple(run[start:start + size])
                if gram in candidates:
                    left[gram][run[start - 1] if start > 0 else _BOUNDARY] += 1
                    right[gram][run[start + size] if start + size < len(run) else _BOUNDARY] += 1

    def frequency(part: tuple[str, ...]) -> int:
        return unigrams[part[0]] if len(part) == 1 else grams[part]

    phrases = []
    for gram, count in candidates.items():
        pmi = min(math.log(count * total / (frequency(gram[:cut]) * frequency(gram[cut:])))
                  for cut in range(1, len(gram)))
        entropy = min(branching_entropy(left[gram]), branching_entropy(right[gram]))
        if pmi >= min_pmi and entropy >= min_entropy - 1e-9:
            phrases.append(MinedPhrase("".join(gram), gram, count, round(pmi, 6), round(entropy, 6),
                                       round(count * pmi * entropy, 6)))
    best: dict[str, MinedPhrase] = {}
    for phrase in sorted(phrases, key=lambda p: (-p.score, p.text, p.tokens)):
        if len(best) >= top:
            break
        if phrase.text not in best and (accept is None or accept(phrase.text)):
            best[phrase.text] = phrase
    return list(best.values())


def _plausible(gram: tuple[str, ...], stop_words: frozenset[str], min_chars: int, max_chars: int) -> bool:
    chars = sum(len(token) for token in gram)
    return (min_chars <= chars <= max_chars
            and gram[0] not in stop_words and gram[-1] not in stop_words
            and not any(is_number(token) for token in gram))


def merge_phrases(tokens: Sequence[str], phrases: Iterable[Sequence[str]]) -> list[str]:
    """Join consecutive tokens that form one of ``phrases`` into a single token (longest first).

    This keeps mined phrases whole in the term tables without segmenting the text again.

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
