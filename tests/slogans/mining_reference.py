"""A plain-Python phrase miner, the implementation zhpolicy shipped before its array version: the oracle
test_mining compares zhpolicy.slogans.mine.mine_phrases with (same phrases, same numbers)."""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence

from zhpolicy.slogans.mine import _BOUNDARY, MAX_MINING_TOKENS, MinedPhrase, branching_entropy, word_runs
from zhpolicy.tokens import is_number


def reference_mine_phrases(
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
    """The mining of zhpolicy 0.1 (plain Python loops over token tuples): an oracle for the array version."""
    runs: list[list[str]] = []
    budget = MAX_MINING_TOKENS
    for tokens in token_lists:  # consumed only until the budget is spent
        if budget <= 0:
            break
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


