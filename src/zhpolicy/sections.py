"""Splitting a document into its sections at Markdown and Chinese ordinal headings."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .documents import Document

#: Title given to the text before the first heading, when it is not blank.
PREAMBLE_TITLE = "导语"
#: Title of the single section of a document without headings.
WHOLE_TITLE = "全文"

_NUMERAL = "[一二三四五六七八九十百零〇]+"
_MARKDOWN = re.compile(r"^ {0,3}#{1,6}[ \t]+(?P<title>.+?)[ \t#]*$")
_ORDINAL = re.compile(
    rf"^[ \t]*(?P<title>(?:{_NUMERAL}、|\({_NUMERAL}\)|第{_NUMERAL}(?:部分|章|篇|节)).*)$"
)
# An ordinal heading that runs on into its paragraph ("(一)着力扩大国内需求。推动……") is cut here.
_SENTENCE_END = re.compile(r"[。!?;:]")
_MAX_TITLE_CHARS = 60


@dataclass(frozen=True)
class Section:
    """One section of a document.

    Attributes
    ----------
    number : 1..N in document order.
    title : the heading without its markers ("## " or surrounding spaces).
    text : the section's normalised text, heading line included; slogans are counted on it.
    start : offset of ``text`` in the document's text.
    """

    number: int
    title: str
    text: str
    start: int


def heading_title(line: str) -> str | None:
    """The section title if ``line`` is a heading, else None.

    >>> heading_title("## 2024年重点工作")
    '2024年重点工作'
    >>> heading_title("(一)着力扩大国内需求。推动消费从疫后恢复转向持续扩大")
    '(一)着力扩大国内需求'
    >>> heading_title("一是加快发展新质生产力") is None
    True
    """
    match = _MARKDOWN.match(line)
    if match:
        return match["title"].strip()
    match = _ORDINAL.match(line)
    if match:
        title = _SENTENCE_END.split(match["title"].strip(), maxsplit=1)[0]
        return title[:_MAX_TITLE_CHARS]
    return None


def split_sections(document: Document | str) -> list[Section]:
    """Split a document at its headings.

    Headings are Markdown headings (``#`` to ``######``) and Chinese ordinal headings at the start
    of a line (``一、``, ``(一)`` — full-width parentheses are normalised to these —, ``第一部分``,
    ``第一章``). Each heading starts a section that runs to the next heading and includes it.
    Non-blank text before the first heading is a section titled ``导语``; blank lines before the
    first heading belong to no section. A document without headings is one section titled ``全文``.
    """
    text = document.text if isinstance(document, Document) else document
    starts: list[tuple[int, str]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        title = heading_title(line.rstrip("\n"))
        if title:
            starts.append((offset, title))
        offset += len(line)
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
