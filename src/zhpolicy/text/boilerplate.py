"""Boilerplate of a corpus: lines that recur in many of its documents (licence notices, site navigation), and removing them."""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from zhpolicy.text.headings import heading_title

#: A line with fewer letters, digits or Han characters than this is never boilerplate: ``。``, ``[``,
#: the salutation ``同志们:`` (punctuation and spaces are not counted).
MIN_LINE_CHARS = 4


@dataclass(frozen=True)
class Boilerplate:
    """A line that recurs across the documents of a corpus.

    Attributes
    ----------
    line : the line as written, stripped of surrounding whitespace.
    documents : in how many of the documents it occurs (once or more).
    """

    line: str
    documents: int


def find_boilerplate(texts: Sequence[str], *, min_documents: int = 3,
                     min_share: float = 0.5) -> list[Boilerplate]:
    """The lines that occur in at least ``max(min_documents, ceil(min_share * n))`` of the ``n`` texts.

    Lines are compared after ``str.strip``. A line is a candidate only if it has at least 4 letters,
    digits or Han characters (``str.isalnum``; punctuation and spaces not counted) and is not a heading
    (:func:`zhpolicy.text.headings.heading_title`): a heading such as ``## 一、总体要求`` shared by
    several reports is content, and so is a salutation such as ``同志们:``; very short lines (``。``,
    ``[``) say nothing about where they come from. With fewer than ``min_documents`` texts nothing is boilerplate.
    The lines come in the order they first appear (in the first text that has them).

    Parameters
    ----------
    texts : the documents' texts.
    min_documents : the least number of documents a line must occur in (at least 2).
    min_share : the least share of the documents a line must occur in, in (0, 1].

    Examples
    --------
    >>> footer = "本文来自某某网站\\nPublic domain"
    >>> texts = [f"一、总体要求\\n甲{i}。\\n{footer}" for i in range(3)] + ["一、总体要求\\n乙。"]
    >>> find_boilerplate(texts)
    [Boilerplate(line='本文来自某某网站', documents=3), Boilerplate(line='Public domain', documents=3)]
    >>> find_boilerplate(texts[:2])
    []
    """
    if isinstance(texts, str):
        raise TypeError("find_boilerplate: a sequence of texts expected, got one string")
    if min_documents < 2:
        raise ValueError(f"find_boilerplate: min_documents must be at least 2, got {min_documents}")
    if not 0 < min_share <= 1:
        raise ValueError(f"find_boilerplate: min_share must be in (0, 1], got {min_share}")
    if len(texts) < min_documents:
        return []
    needed = max(min_documents, math.ceil(min_share * len(texts)))
    documents: Counter[str] = Counter()
    for text in texts:
        lines = dict.fromkeys(line for line in map(str.strip, text.splitlines()) if _candidate(line))
        documents.update(list(lines))  # each line once per document, in the order of first appearance
    return [Boilerplate(line=line, documents=count) for line, count in documents.items() if count >= needed]


def _candidate(line: str) -> bool:
    """Whether a stripped line may be boilerplate: long enough and not a heading."""
    return sum(char.isalnum() for char in line) >= MIN_LINE_CHARS and heading_title(line) is None


def remove_boilerplate(text: str, lines: Iterable[str]) -> tuple[str, int]:
    """``text`` without the lines whose stripped form is one of ``lines``, and how many lines were dropped.

    Every other line, line ends included, is kept as it was.

    Examples
    --------
    >>> remove_boilerplate("推进改革\\n  Public domain \\n扩大开放\\nPublic domain", ["Public domain"])
    ('推进改革\\n扩大开放\\n', 2)
    >>> remove_boilerplate("推进改革\\n", [])
    ('推进改革\\n', 0)
    """
    if isinstance(lines, str):
        raise TypeError("remove_boilerplate: an iterable of lines expected, got one string")
    drop = {line.strip() for line in lines} - {""}  # never blank lines
    if not drop:
        return text, 0
    kept, removed = [], 0
    for line in text.splitlines(keepends=True):
        if line.strip() in drop:
            removed += 1
        else:
            kept.append(line)
    return "".join(kept), removed


def count_lines(text: str, lines: Iterable[str]) -> dict[str, int]:
    """How many lines of ``text`` have each of ``lines`` as their stripped form (what
    :func:`remove_boilerplate` would drop, line by line); lines never found are left out.

    Examples
    --------
    >>> count_lines("Public domain\\nfalse\\n推进改革\\n Public domain", ["Public domain", "false", "缺"])
    {'Public domain': 2, 'false': 1}
    """
    if isinstance(lines, str):
        raise TypeError("count_lines: an iterable of lines expected, got one string")
    wanted = {line.strip() for line in lines} - {""}
    return dict(Counter(line for line in map(str.strip, text.splitlines()) if line in wanted))
