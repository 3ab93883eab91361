"""A section's text in pieces, each segmented and counted on its own: the unit of work of a worker.

A worker gets a piece of text (cut after a line end, see :func:`zhpolicy.parallel.split_chunks`)
and sends back counts, never tokens: how many word tokens it holds, how often each term occurs (mined
phrases joined, see :func:`zhpolicy.tokens.count_terms`) and where each slogan starts, with its context. Added up over the pieces these are exactly the counts of the whole
section, so no process ever holds the token list of a document.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from .parallel import ProcessCache, worker_tokenizer
from .slogans import SloganMatcher, mention_context
from .tokens import TokenStream, count_terms

#: Characters of context either side of a mention (the ``context`` column of the mentions table).
CONTEXT_CHARS = 20


@dataclass(frozen=True)
class Piece:
    """Part of a section: ``core`` is segmented and searched; ``before`` and ``after`` are the
    section's text around it, for the contexts and for slogans that start in the core and end past it."""

    section: int  # index of the section in the run's list of sections
    offset: int  # where ``core`` starts in the section's text
    before: str
    core: str
    after: str


@dataclass(frozen=True)
class CountRecipe:
    """All a worker needs to count pieces: the segmenter and its user words, the slogans to find and
    the mined phrases to join."""

    segmenter: str
    user_words: tuple[str, ...]
    slogans: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    stop_words: frozenset[str] = frozenset()
    min_chars: int = 2

    @cached_property
    def keep(self) -> frozenset[str]:
        """The slogans, always counted as terms."""
        return frozenset(self.slogans)


@dataclass(frozen=True)
class PieceCounts:
    """What a piece holds: its word tokens and term counts (mined phrases joined) and its slogan
    matches, offsets relative to the core, with their contexts (every match of a pattern, overlapping
    ones included: the caller keeps what ``str.count`` counts over the whole section)."""

    words: int
    terms: Counter[str]
    starts: Any
    ends: Any
    ids: Any
    contexts: list[str]


def cut_piece(section: int, text: str, start: int, end: int, *, longest: int) -> Piece:
    """The piece ``text[start:end]`` of a section, with enough text around it for the contexts and
    for a slogan of ``longest`` characters that starts at its end."""
    reach = max(longest - 1, 0) + CONTEXT_CHARS
    return Piece(section, start, text[max(0, start - CONTEXT_CHARS):start], text[start:end], text[end:end + reach])


def count_piece(piece: Piece, stream: TokenStream, matcher: SloganMatcher, recipe: CountRecipe,
                decided: dict[str, tuple[bool, bool]] | None = None) -> PieceCounts:
    """Count a piece from its token stream: words and terms (after joining the recipe's phrases) and
    slogan matches. ``decided`` caches what each token is (see :func:`zhpolicy.tokens.count_terms`)."""
    tokens = (stream.merged(recipe.phrases) if recipe.phrases else stream).counts()
    words, terms = count_terms(tokens, stop_words=recipe.stop_words, keep=recipe.keep,
                               min_chars=recipe.min_chars, decided=decided)
    starts, ends, ids = matcher.find(piece.core + piece.after, limit=len(piece.core))
    text = piece.before + piece.core + piece.after
    shift = len(piece.before)
    contexts = [mention_context(text, start + shift, end + shift, width=CONTEXT_CHARS)
                for start, end in zip(starts.tolist(), ends.tolist())]
    return PieceCounts(words, terms, starts, ends, ids, contexts)


# This process's slogan matchers, by slogan list.
_MATCHERS: ProcessCache[tuple[str, ...], SloganMatcher] = ProcessCache(keep=2)


def worker_matcher(slogans: tuple[str, ...]) -> SloganMatcher:
    """The matcher of this process for a slogan list, built on first use and kept."""
    return _MATCHERS.get(slogans, lambda: SloganMatcher(slogans))


def count_batch(pieces: Sequence[Piece], recipe: CountRecipe) -> list[PieceCounts]:
    """Segment and count each piece (what a worker runs); the tokenizer and matcher are built once."""
    tokenizer = worker_tokenizer(recipe.segmenter, recipe.user_words)
    matcher = worker_matcher(recipe.slogans)
    decided: dict[str, tuple[bool, bool]] = {}
    return [count_piece(piece, TokenStream.of(tokenizer.lcut(piece.core), piece.core), matcher, recipe, decided)
            for piece in pieces]


def count_stream_batch(items: Sequence[tuple[Piece, TokenStream]], recipe: CountRecipe) -> list[PieceCounts]:
    """Count pieces already segmented (each with its token stream), as :func:`count_batch` does."""
    matcher = worker_matcher(recipe.slogans)
    decided: dict[str, tuple[bool, bool]] = {}
    return [count_piece(piece, stream, matcher, recipe, decided) for piece, stream in items]
