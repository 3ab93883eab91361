"""A piece's counts: the mention rows a worker formats are the csv module's rows, with the contexts of
:func:`zhpolicy.slogans.kwic.mention_context`, whatever the text holds (commas, quotes, carriage returns)."""
from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhpolicy.run.chunks import CountSpec, count_chunk, cut_chunk
from zhpolicy.sections import paragraph_ends
from zhpolicy.slogans.count import SloganMatcher
from zhpolicy.slogans.kwic import mention_context
from zhpolicy.tables import csv_bytes
from zhpolicy.tokens import TokenStream, make_tokenizer

SLOGANS = ("四个走在前", "走在前", "万亿之城再出发", "532")


@pytest.fixture(scope="module")
def tokenizer():  # type: ignore[no-untyped-def]
    return make_tokenizer(SLOGANS, segmenter="jieba")


def mention_rows(text: str, start: int, end: int, tokenizer) -> bytes:  # type: ignore[no-untyped-def]
    piece = cut_chunk(3, text, start, end, paragraph_ends=paragraph_ends(text))
    recipe = CountSpec("jieba", SLOGANS, slogans=tuple(sorted(SLOGANS)))
    tokens = tokenizer.lcut(piece.core)
    counts = count_chunk(piece, TokenStream.of(tokens, piece.core), SloganMatcher(SLOGANS), recipe, tokens=tokens)
    return counts.mention_csv


def counted(text: str, at: int, stop: int, slogan: str) -> bool:
    """The edge rule written out for these slogans: 532 does not count inside a longer number (a digit or
    '.' before it, a digit, '.' or '%' after it); 四个走在前 and 万亿之城再出发, which open with a Chinese
    numeral, do not count right after a Chinese numeral or 第."""
    before, after = text[at - 1:at] if at else "", text[stop:stop + 1]
    if slogan == "532":
        return not (before and before in "0123456789.") and not (after and after in "0123456789.%")
    if slogan[0] in "四万":
        return not (before and before in "〇○零一二两三四五六七八九十百千万亿第")
    return True


def expected_rows(text: str, start: int, end: int) -> list[list[str]]:
    """Every occurrence of every slogan in ``text[start:end]``, by start, then end, then slogan: the
    fields of the mentions table, written out from str.find."""
    found = []
    for slogan in SLOGANS:
        at = text.find(slogan, start)
        while 0 <= at and at + len(slogan) <= end:
            if counted(text, at, at + len(slogan), slogan):
                found.append((at, at + len(slogan), slogan))
            at = text.find(slogan, at + 1)
    rows = []
    for at, stop, slogan in sorted(found):
        paragraph = 1 + sum(1 for number in paragraph_ends(text).tolist() if number <= at)
        rows.append(["3", slogan, str(at), str(stop), str(paragraph), mention_context(text, at, stop)])
    return rows


@pytest.mark.parametrize("text", [
    "全面落实“四个走在前”,建设“万亿之城再出发”。\n\n实施“532”发展战略,四个走在前。\n",  # commas: quoted contexts
    "全面落实“四个走在前”。建设万亿之城再出发。\n\n实施“532”发展战略。\n",  # no comma: bare contexts
    '他说"四个走在前",又说"532"。\n\n万亿之城再出发\n',  # ASCII quotes: doubled inside quoted fields
    "四个走在前\r532,万亿之城再出发\n\n走在前\n",  # a carriage return left in the text
])
def test_mention_rows_are_the_csv_modules_rows_of_the_mentions(text: str, tokenizer) -> None:  # type: ignore[no-untyped-def]
    produced = mention_rows(text, 0, len(text), tokenizer)
    rows = expected_rows(text, 0, len(text))
    assert len(rows) >= 4
    assert produced == csv_bytes(rows)
    assert list(csv.reader(io.StringIO(produced.decode("utf-8"), newline=""))) == rows


@settings(max_examples=150, deadline=None)
@given(parts=st.lists(st.sampled_from(["四个走在前", "走在前", "万亿之城再出发", "532", ",", '"', "\r", "\n", "\n\n",
                                       "。", "发展", "a", " "]), max_size=40), data=st.data())
def test_mention_rows_of_any_piece_are_the_csv_modules_rows(parts: list[str], data, tokenizer) -> None:  # type: ignore[no-untyped-def]
    text = "".join(parts)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert mention_rows(text, start, end, tokenizer) == csv_bytes(expected_rows(text, start, end))
