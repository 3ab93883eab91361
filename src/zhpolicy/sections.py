"""Splitting a document into its sections at its headings; paragraphs within a section."""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from zhpolicy.read import Document
from zhpolicy.text.headings import find_headings

#: Title given to the text before the first heading, when it is not blank.
PREAMBLE_TITLE = "导语"
#: Title of the single section of a document without headings.
WHOLE_TITLE = "全文"


@dataclass(frozen=True)
class Section:
    """One section of a document: its heading's title and its text, where it starts.

    Made by :func:`split_sections`; frozen. ``document.text[start:start + len(text)] == text``.

    Attributes
    ----------
    number : int
        1..N in document order.
    title : str
        The heading without its markers ("## " or surrounding spaces); ``导语`` for the text before
        the first heading, ``全文`` for a document without headings.
    text : str
        The section's normalised text, heading line included; slogans are counted on it.
    start : int
        Offset of ``text`` in the document's text.
    """

    number: int
    title: str
    text: str
    start: int


def split_sections(document: Document | str, *, heading_regex: str | re.Pattern[str] | None = None) -> list[Section]:
    """Split a document at its headings into sections that cover its text.

    Headings are those of :func:`zhpolicy.text.headings.heading_title` (Markdown, ``一、``, ``(一)`` —
    full-width parentheses are normalised to these —, ``第一部分``, ``第一章``, ``1.``), or the lines
    matched by ``heading_regex`` instead. Lines end at ``\\n`` only. Each heading starts a section that
    runs to the next heading and includes it. Non-blank text before the first heading is a section
    titled ``导语``; a document without headings is one section titled ``全文``.

    Contract: the sections, in order, concatenate to ``text[sections[0].start:]``, and what they leave
    out, ``text[:sections[0].start]``, is the document's leading whitespace (``str.isspace``: blank
    lines, and spaces before the first character); ``text[s.start:s.start + len(s.text)] == s.text``.

    Parameters
    ----------
    document : Document or str
        The document, or its (normalised) text.
    heading_regex : str or re.Pattern, optional
        A pattern that replaces the built-in heading forms: a line is a heading when it matches
        (see :func:`zhpolicy.text.headings.heading_title` for the title it gives).

    Returns
    -------
    list of Section
        Numbered from 1, in document order; never empty.

    Raises
    ------
    ValueError
        ``heading_regex`` is not a valid regular expression.

    Examples
    --------
    >>> sections = split_sections("导语文字\\n一、总体要求\\n推进改革\\n二、主要任务\\n扩大开放")
    >>> [(s.number, s.title, s.start) for s in sections]
    [(1, '导语', 0), (2, '一、总体要求', 5), (3, '二、主要任务', 17)]
    >>> sections[1].text
    '一、总体要求\\n推进改革\\n'
    """
    text = document.text if isinstance(document, Document) else document
    starts = find_headings(text, pattern=heading_regex)
    if not starts:
        begin = len(text) - len(text.lstrip())
        return [Section(number=1, title=WHOLE_TITLE, text=text[begin:], start=begin)]
    preamble = text[: starts[0][0]]
    if preamble.strip():
        begin = len(preamble) - len(preamble.lstrip())
        starts.insert(0, (begin, PREAMBLE_TITLE))
    ends = [start for start, _ in starts[1:]] + [len(text)]
    return [
        Section(number=number, title=title, text=text[start:end], start=start)
        for number, ((start, title), end) in enumerate(zip(starts, ends), start=1)
    ]
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*(?=[^\n])")


def paragraph_number(text: str, offset: int) -> int:
    """The paragraph (1-based; paragraphs are separated by blank lines) that ``offset`` falls in.

XX
    3
    """
    return 1 + len(_PARAGRAPH_BREAK.findall(text[: offset + 1].lstrip("\n")))


def paragraph_numberer(text: str) -> Callable[[int], int]:
    """:func:`paragraph_number` for many offsets into one text: the paragraph breaks are found once
    and each offset is placed by bisection (a scan of the text before every offset is quadratic on
    large sections). Offsets on whitespace, where a break may end differently in the shorter prefix,
    fall back to :func:`paragraph_number`.

    Examples
    --------
    >>> number = paragraph_numberer("## 标题\\n\\n第一段\\n续\\n\\n\\n第二段")
    >>> [number(0), number(7), number(15)]
    [1, 2, 3]
    """
    ends = _paragraph_ends(text)

    def number(offset: int) -> int:
        if offset < len(text) and text[offset].isspace():
            return paragraph_number(text, offset)
        return 1 + bisect_right(ends, offset)

    return number


def paragraph_ends(text: str) -> Any:
    """Where each paragraph break of ``text`` ends (the offset of the next paragraph's first character), an array."""
    import numpy as np

    return np.array(_paragraph_ends(text), dtype=np.int64)


def _paragraph_ends(text: str) -> list[int]:
    """Where each paragraph break ends (the offset of the next paragraph's first character)."""
    lead = len(text) - len(text.lstrip("\n"))
    return [match.end() for match in _PARAGRAPH_BREAK.finditer(text, lead)]
