"""Keyword in context: each occurrence of a term with its left and right context, aligned for wide characters."""
from __future__ import annotations

import logging
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from zhpolicy.sections import Section
from zhpolicy.slogans.count import find_mentions

logger = logging.getLogger(__name__)


def mention_context(text: str, start: int, end: int, *, width: int = 20) -> str:
    """The mention with up to ``width`` characters either side, in 【】, line breaks shown as spaces.

    Examples
    --------
    >>> mention_context("全面落实“四个走在前”重大任务", 5, 10, width=3)
    '落实“【四个走在前】”重大'
    """
    left, match, right = kwic_parts(text, start, end, width=width)
    return f"{left}【{match}】{right}"


def kwic_parts(text: str, start: int, end: int, *, width: int) -> tuple[str, str, str]:
    """Left context, match and right context of ``text[start:end]``, line breaks as spaces."""
    def flat(part: str) -> str:
        return part.replace("\n", " ")

    return flat(text[max(0, start - width):start]), flat(text[start:end]), flat(text[end:end + width])


@dataclass(frozen=True)
class KwicLine:
    """One occurrence of a term with its context (keyword in context)."""

    document: str
    section: int
    title: str
    start: int
    left: str
    match: str
    right: str


def kwic(sections: Sequence[Section], term: str, *, width: int = 20, document: str = "") -> list[KwicLine]:
    """Every occurrence of ``term`` (as ``str.count`` finds them) with ``width`` characters of context.

    Examples
    --------
    >>> from zhpolicy.sections import split_sections
    >>> [(k.section, k.left, k.match, k.right) for k in kwic(split_sections("## 甲\\n推进532发展战略"), "532", width=2)]
    [(1, '推进', '532', '发展')]
    """
    if not term:
        raise ValueError("the term to look for is empty")
    titles = {section.number: section for section in sections}
    lines = []
    for mention in find_mentions(sections, [term]):
        section = titles[mention.section]
        left, match, right = kwic_parts(section.text, mention.start, mention.end, width=width)
        lines.append(KwicLine(document, section.number, section.title, mention.start, left, match, right))
    return lines


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide and full-width characters (Chinese) take two.

    Examples
    --------
    >>> display_width("532发展")
    7
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_kwic(lines: Sequence[KwicLine], *, width: int = 20) -> list[str]:
    """Aligned text lines for a terminal: the matches line up in one column whatever the script.

    Each line is ``document:section  left  match  right``, the left context right-aligned to
    ``2 * width`` columns (Chinese characters are two columns wide).
    """
    columns = 2 * width
    labels = [f"{line.document}:{line.section}" if line.document else str(line.section) for line in lines]
    label_width = max((display_width(label) for label in labels), default=0)
    return [
        f"{label}{' ' * (label_width - display_width(label))}  "
        f"{' ' * max(0, columns - display_width(line.left))}{line.left}  {line.match}  {line.right}"
        for label, line in zip(labels, lines)
    ]


def kwic_table(lines: Any) -> pd.DataFrame:
    """Keyword-in-context lines as a table: ``document, section, title, start, left, match, right``."""
    columns = ["document", "section", "title", "start", "left", "match", "right"]
    return pd.DataFrame([[getattr(line, column) for column in columns] for line in lines], columns=columns)
