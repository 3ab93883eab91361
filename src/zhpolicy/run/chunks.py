"""The unit of parallel work: a chunk of a section's text, segmented and counted on its own in a worker."""
from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from zhpolicy.run.runner import ProcessCache, SegmenterSpec, worker_tokenizer
from zhpolicy.slogans.count import (
    SloganMatcher,
    outside_longer_mask,
    reaching_past_mask,
)
from zhpolicy.tables import csv_field
from zhpolicy.tokens import TokenStream, count_terms

logger = logging.getLogger(__name__)

from collections import Counter
from dataclasses import dataclass
from functools import cached_property

#: Longest piece of text segmented as one unit in a worker (characters); longer texts are cut at line ends.
CHUNK_CHARS = 1 << 18


def split_chunks(text: str, max_chars: int | None = None) -> list[str]:
    """Cut ``text`` after line ends into pieces of at most ``max_chars`` characters where it can
    (see :func:`chunk_bounds`).



    """
    return [text[start:end] for start, end in chunk_bounds(text, max_chars)]


def chunk_bounds(text: str, max_chars: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` of consecutive pieces of ``text`` of at most ``max_chars`` characters where it
    can, each ending after a line end.

    Both segmenters end a token at every line end, so segmenting the pieces gives exactly the
    tokens of the whole. A single line longer than ``max_chars`` is cut after a 。 (also a token of
    its own), or left whole when it has none.
    """
    max_chars = CHUNK_CHARS if max_chars is None else max_chars
    if len(text) <= max_chars:
        return [(0, len(text))] if text else []
    bounds: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        end = start + max_chars
        if end >= len(text):
            bounds.append((start, len(text)))
            break
        cut = text.rfind("\n", start, end)
        if cut < 0:
            cut = text.rfind("。", start, end)
        if cut < 0:  # no safe place within max_chars: go to the next one
            cut = min((i for i in (text.find("\n", end), text.find("。", end)) if i >= 0), default=len(text) - 1)
        bounds.append((start, cut + 1))
        start = cut + 1
    return bounds


def segment_batch(texts: Sequence[str], recipe: SegmenterSpec) -> list[TokenStream]:
    """What a worker sends back for each text: its tokens as one joined string (a
    :class:`zhpolicy.tokens.TokenStream`: one object to send between processes, not one per token)."""
    tokenizer = worker_tokenizer(*recipe)
    return [TokenStream.of(tokenizer.lcut(text), text) for text in texts]


#: Characters of context either side of a mention (the ``context`` column of the mentions table).
CONTEXT_CHARS = 20
#: Columns of the mentions table, with their types.
MENTION_DTYPES = {"section": "int64", "slogan": "str", "start": "int64", "end": "int64", "paragraph": "int64",
                  "context": "str"}


@dataclass(frozen=True)
class Chunk:
    """Part of a section: ``core`` is segmented and searched; ``before`` and ``after`` are the
    section's text around it, for the contexts.

    ``paragraph`` is the paragraph number just before ``core``; ``breaks`` (an array) where in ``core``
    each paragraph starts from there on (see :func:`zhpolicy.sections.paragraph_ends`; 0 when one starts
    at the very beginning)."""

    number: int  # the section's number in its document
    offset: int  # where ``core`` starts in the section's text
    before: str
    core: str
    after: str
    paragraph: int = 1
    breaks: Any = ()
    document: int = 0  # the index of the section's document in the run


@dataclass(frozen=True)
class CountSpec:
    """All a worker needs to count pieces: the segmenter and its user words, the slogans to find
    (sorted, with each one's canonical formulation) and the mined phrases to join."""

    segmenter: str
    user_words: tuple[str, ...]
    slogans: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    stop_words: frozenset[str] = frozenset()
    min_chars: int = 2
    canonical: tuple[str, ...] = ()  # of each slogan; the slogan itself where empty
    rules: tuple[tuple[str, tuple[str, str]], ...] = ()  # slogan → (not_after, not_before), where it has any
    #: For each document of the run, the slogans (by matcher id) that are not its own: counted for the
    #: corpus tables, but not listed among its mentions.
    foreign: tuple[tuple[int, ...], ...] = ()

    @cached_property
    def keep(self) -> frozenset[str]:
        """The slogans, always counted as terms."""
        return frozenset(self.slogans)

    @cached_property
    def formulations(self) -> tuple[tuple[str, ...], dict[str, int]]:
        """The formulations (canonical phrases, sorted) and, for each slogan, the index of its own."""
        canonical = {slogan: name or slogan
                     for slogan, name in zip(self.slogans, self.canonical or [""] * len(self.slogans), strict=True)}
        names = tuple(sorted(set(canonical.values())))
        index = {name: position for position, name in enumerate(names)}
        return names, {slogan: index[name] for slogan, name in canonical.items()}

    @cached_property
    def formulation_index(self) -> Any:
        """The index of each slogan's formulation (see :attr:`formulations`) as an array, by the slogan's
        number in a :class:`zhpolicy.slogans.count.SloganMatcher` of them (sorted, the empty one left out)."""
        import numpy as np

        _, formulation_of = self.formulations
        return np.array([formulation_of[slogan] for slogan in sorted({s for s in self.slogans if s})], dtype=np.int64)


@dataclass(frozen=True)
class ChunkCounts:
    """What a piece holds: its word tokens and term counts (mined phrases joined); per slogan (an index
    into the recipe's sorted slogans) its occurrences as ``str.count`` counts them and those not inside
    a longer slogan; per formulation the places it is named; and its mentions as rows of CSV text."""

    words: int
    terms: Counter[str]
    slogans: dict[int, tuple[int, int]]
    formulations: dict[str, int]
    mention_rows: int
    mention_csv: bytes


def cut_chunk(number: int, text: str, start: int, end: int, *, paragraph_ends: Any, document: int = 0) -> Chunk:
    """The piece ``text[start:end]`` of section ``number``, with the text either side for the contexts.
    ``paragraph_ends``: where each paragraph break of the section ends (see
    :func:`zhpolicy.sections.paragraph_ends`), an array."""
    import numpy as np

    first, last = np.searchsorted(paragraph_ends, [start, end])
    return Chunk(number, start, text[max(0, start - CONTEXT_CHARS):start], text[start:end],
                 text[end:end + CONTEXT_CHARS], paragraph=1 + int(first),
                 breaks=paragraph_ends[first:last] - start, document=document)


def count_chunk(piece: Chunk, stream: TokenStream, matcher: SloganMatcher, recipe: CountSpec,
                decided: dict[str, tuple[bool, bool]] | None = None, tokens: Sequence[str] | None = None) -> ChunkCounts:
    """Count a piece from its token stream (and its ``tokens`` as a list, if at hand): words and terms
    (after joining the recipe's phrases), slogans and formulations, and the mention rows. ``decided``
    caches what each token is (see :func:`zhpolicy.tokens.count_terms`)."""
    import numpy as np

    words, terms = count_terms(stream.merged_counts(recipe.phrases, tokens), stop_words=recipe.stop_words,
                               keep=recipe.keep, min_chars=recipe.min_chars, decided=decided)
    starts, ends, ids = matcher.find(piece.core, before=piece.before, after=piece.after)
    keep = matcher.drop_self_overlaps(starts, ends, ids)
    starts, ends, ids = starts[keep], ends[keep], ids[keep]
    order = np.lexsort((ids, ends, starts))
    starts, ends, ids = starts[order], ends[order], ids[order]
    outside = outside_longer_mask(np.zeros(len(ids), dtype=np.int64), starts, ends)
    slogans = {int(i): (int(n), int(m)) for i, n, m in zip(*_tally(ids, outside))}
    names, _ = recipe.formulations
    groups = recipe.formulation_index[ids]
    named = np.bincount(groups[reaching_past_mask(groups, starts, ends)], minlength=len(names))
    formulations = {names[group]: count for group, count in enumerate(named.tolist()) if count}
    # The contexts of :func:`zhpolicy.slogans.kwic.mention_context`, cut from the piece's text with its
    # line breaks made spaces once (not once per mention).
    if recipe.foreign and recipe.foreign[piece.document]:  # mentions of the document's own slogans only
        own = ~np.isin(ids, np.array(recipe.foreign[piece.document], dtype=np.int64))
        starts, ends, ids = starts[own], ends[own], ids[own]
    flat = (piece.before + piece.core + piece.after).replace("\n", " ")
    shift, offset = len(piece.before), piece.offset
    paragraphs = piece.paragraph + np.searchsorted(piece.breaks, starts, side="right")
    # Where each context starts and ends in ``flat``, and the mention's place in it, worked out as arrays.
    bounds = zip(np.maximum(starts + (shift - CONTEXT_CHARS), 0).tolist(), (starts + shift).tolist(),
                 (ends + shift).tolist(), (ends + (shift + CONTEXT_CHARS)).tolist())
    contexts = [f"{flat[first:start]}【{flat[start:end]}】{flat[end:last]}" for first, start, end, last in bounds]
    # The rows as CSV (:func:`zhpolicy.tables.csv_bytes`'s bytes), field by field; each slogan's fields once.
    id_list = ids.tolist()
    heads = {i: f"{piece.number},{csv_field(matcher.patterns[i])}," for i in set(id_list)}
    fields = zip(id_list, (starts + offset).tolist(), (ends + offset).tolist(), paragraphs.tolist(), contexts)
    if '"' in flat or "\r" in flat:
        rows = [f"{heads[i]}{start},{end},{paragraph},{csv_field(context)}\n"
                for i, start, end, paragraph, context in fields]
    else:  # what csv_field does to a context without a quote or a line end, inline (a third of counting a piece)
        rows = [f'{heads[i]}{start},{end},{paragraph},"{context}"\n' if "," in context
                else f"{heads[i]}{start},{end},{paragraph},{context}\n" for i, start, end, paragraph, context in fields]
    return ChunkCounts(words, terms, slogans, formulations, len(rows), "".join(rows).encode("utf-8"))


def _tally(ids: Any, outside: Any) -> tuple[Any, Any, Any]:
    """Each id that occurs, its occurrences and its occurrences where ``outside`` holds."""
    import numpy as np

    unique, inverse = np.unique(ids, return_inverse=True)
    return (unique, np.bincount(inverse, minlength=len(unique)),
            np.bincount(inverse, weights=outside, minlength=len(unique)).astype(np.int64))


# This process's slogan matchers, by slogan list.
_MATCHERS: ProcessCache[tuple[tuple[str, ...], tuple[tuple[str, tuple[str, str]], ...]], SloganMatcher] = ProcessCache(keep=2)


def worker_matcher(slogans: tuple[str, ...], rules: tuple[tuple[str, tuple[str, str]], ...] = ()) -> SloganMatcher:
    """The matcher of this process for a slogan list (and its edge rules), built on first use and kept."""
    return _MATCHERS.get((slogans, rules), lambda: SloganMatcher(slogans, dict(rules)))


# This process's verdicts on tokens (is it a word, is it a term), by recipe.
_VERDICTS: ProcessCache[CountSpec, dict[str, tuple[bool, bool]]] = ProcessCache(keep=2)


def worker_verdicts(recipe: CountSpec) -> dict[str, tuple[bool, bool]]:
    """What this process has decided about each token it has counted under ``recipe`` (see
    :func:`zhpolicy.tokens.count_terms`): kept for the whole run, so a token is judged once per
    process, not once per piece (a report's vocabulary is small; its pieces are many)."""
    return _VERDICTS.get(recipe, dict)


def count_batch(items: Sequence[Chunk | tuple[Chunk, TokenStream]], recipe: CountSpec) -> list[ChunkCounts]:
    """Count each piece (what a worker runs): segmented here, or from its token stream where one comes
    with it (a piece segmented ahead, for phrase mining). The tokenizer and matcher are built once."""
    matcher = worker_matcher(recipe.slogans, recipe.rules)
    decided = worker_verdicts(recipe)
    counts = []
    for item in items:
        if isinstance(item, Chunk):
            tokens = worker_tokenizer(recipe.segmenter, recipe.user_words).lcut(item.core)
            counts.append(count_chunk(item, TokenStream.of(tokens, item.core), matcher, recipe, decided, tokens))
        else:
            counts.append(count_chunk(*item, matcher, recipe, decided))
    return counts
