"""Recognising heading lines: Markdown, Chinese ordinals (一、, （一）, 第一部分), numbered lines, the user's own pattern."""
from __future__ import annotations

import functools
import re

_NUMERAL = "[一二三四五六七八九十百零〇]+"
_MARKDOWN = re.compile(r"^ {0,3}#{1,6}[ \t]+(?P<title>.+?)[ \t#]*$")
_ORDINAL = re.compile(
    rf"^[ \t]*(?P<title>(?:{_NUMERAL}、|\({_NUMERAL}\)|第{_NUMERAL}(?:部分|章|篇|节)).*)$"
)
# "1." and "一." headings (full-width "１．" is normalised to these); "1.5" and "2024." are not headings.
_NUMBERED = re.compile(rf"^[ \t]*(?P<title>(?:[0-9]{{1,2}}|{_NUMERAL})\.(?![0-9])[ \t]*\S.*)$")
# An ordinal heading that runs on into its paragraph ("(一)着力扩大国内需求。推动……") is cut here.
_SENTENCE_END = re.compile(r"[。!?;:]")
_MAX_TITLE_CHARS = 60
# A numbered title longer than this is a numbered paragraph or list item, not a heading.
_MAX_NUMBERED_TITLE_CHARS = 30
# Lines that may be a built-in heading; only these are looked at closely.
_MAYBE_HEADING = re.compile(r"^(?: {0,3}#|[ \t]*(?:[一二三四五六七八九十百零〇0-9(]|第))", re.MULTILINE)


def heading_title(line: str, *, pattern: str | re.Pattern[str] | None = None) -> str | None:
    """The section title if ``line`` is a heading, else None.

    Built-in headings: Markdown (``#`` to ``######`` and a space), Chinese ordinals at the start of a
    line (``一、``, ``(一)``, ``第一部分``, ``第一章``, ``第一篇``, ``第一节``) and numbers with a dot
    (``1.``, ``12.``, ``一.``). An ordinal or numbered heading that runs on into its paragraph is cut
    at the first sentence end (``。!?;:``). A numbered line is a heading only when its title is at most
    30 characters and, if a sentence end follows, text follows that: ``1. 总体要求`` and
    ``1.着力扩大内需。推动……`` are headings, the list item ``1. 天宁高新区获批市高新技术产业园。`` is not.
    Titles are cut to 60 characters.

    ``pattern`` replaces the built-in forms: a line is a heading when the regular expression matches
    at its start (``re.match``); the title is the group named ``title`` if the pattern has one, else
    the whole line, stripped.

    Examples
    --------
    >>> heading_title("## 2024年重点工作")
    '2024年重点工作'
    >>> heading_title("(一)着力扩大国内需求。推动消费从疫后恢复转向持续扩大")
    '(一)着力扩大国内需求'
    >>> heading_title("一是加快发展新质生产力") is None
    True
    >>> heading_title("Article 3: scope", pattern=r"Article \\d+")
    'Article 3: scope'
    """
    if pattern is not None:
        regex = compile_heading_regex(pattern)
        found = regex.match(line)
        if not found:
            return None
        title = found["title"] if "title" in regex.groupindex and found["title"] is not None else line
        return title.strip()[:_MAX_TITLE_CHARS].strip() or None
    match = _MARKDOWN.match(line)
    if match:
        return match["title"].strip()[:_MAX_TITLE_CHARS].strip() or None
    match = _ORDINAL.match(line)
    if match:
        title = _SENTENCE_END.split(match["title"].strip(), maxsplit=1)[0]
        return title[:_MAX_TITLE_CHARS]
    match = _NUMBERED.match(line)
    if match:
        title, *rest = _SENTENCE_END.split(match["title"].strip(), maxsplit=1)
        if len(title) <= _MAX_NUMBERED_TITLE_CHARS and (not rest or rest[0].strip()):
            return title
    return None


def compile_heading_regex(pattern: str | re.Pattern[str]) -> re.Pattern[str]:
    """Compile a user's heading pattern, raising ``ValueError`` with the reason when it is not valid.

    Examples
    --------
    >>> compile_heading_regex("第[0-9]+条").pattern
    '第[0-9]+条'
    """
    if isinstance(pattern, re.Pattern):
        return pattern
    try:
        return _compile(pattern)
    except re.error as error:
        raise ValueError(f"invalid heading regex {pattern!r}: {error}") from None


@functools.lru_cache(maxsize=32)
def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def find_headings(text: str, *, pattern: str | re.Pattern[str] | None = None) -> list[tuple[int, str]]:
    """``(offset, title)`` of every heading line in ``text`` (lines end at ``\\n`` only).

    Examples
    --------
    >>> find_headings("导语\\n## 甲\\n文\\n")
    [(3, '甲')]
    """
    if pattern is not None:
        regex = compile_heading_regex(pattern)
        starts = []
        offset = 0
        while offset <= len(text):
            end = text.find("\n", offset)
            end = len(text) if end < 0 else end
            title = heading_title(text[offset:end], pattern=regex)
            if title:
                starts.append((offset, title))
            offset = end + 1
        return starts
    starts = []
    for match in _MAYBE_HEADING.finditer(text):
        offset = match.start()
        end = text.find("\n", offset)
        title = heading_title(text[offset: len(text) if end < 0 else end])
        if title:
            starts.append((offset, title))
    return starts
