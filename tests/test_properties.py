"""Property-based tests (hypothesis): for arbitrary Unicode text, reading, cleaning, sectioning and counting hold their contracts.

- the pipeline never crashes;
- the sections concatenate back to the normalised document, less its leading whitespace;
- every slogan count equals ``str.count`` on its section's text.
"""
from __future__ import annotations

from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import zhpolicy
from zhpolicy.errors import InputError
from zhpolicy.read import Document, decode_bytes
from zhpolicy.sections import split_sections
from zhpolicy.slogans.count import count_slogans
from zhpolicy.slogans.detect import detect_slogans
from zhpolicy.text.clean import CLEAN_STEPS, clean_text
from zhpolicy.text.normalize import normalize_text

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces of real reports, so that headings, quotes and slogans turn up often among random text.
PIECES = [
    "## 2024年重点工作", "# 标题 #", "一、总体要求", "(一)着力扩大内需。推动消费", "(二)", "第三部分 附则", "第一章",
    "1. 总体要求", "2.重点工作。坚持", "一.目标", "“四个走在前”", "“万亿之城再出发”", "“532”发展战略", "「四敢」",
    "新质生产力", "十四五", "&nbsp;", "<p>", "</div>", "- 3 -", "第 2 页", "\f", "\r\n", "\u3000", "\u2028",
    "，", "。", "（一）", "２０２４", "\ufeff", "\t", " ", "\n", "\n\n",
]
TEXT = st.lists(st.one_of(st.text(max_size=30), st.sampled_from(PIECES),
                          st.text(alphabet="一二三四五六七八九十、()“”「」#.。!?0123456789 \n万亿之城再出发四个走在前", max_size=30)),
                max_size=30).map("".join)


@cache
def lexicon() -> zhpolicy.Lexicon:
    return zhpolicy.load_lexicon()


def check_sections(text: str, sections: list[zhpolicy.Section]) -> None:
    assert sections, "a document always has at least one section"
    start = sections[0].start
    assert text[:start].strip() == "", "only leading whitespace is left out"
    assert "".join(s.text for s in sections) == text[start:]
    assert [s.number for s in sections] == list(range(1, len(sections) + 1))
    for section in sections:
        assert text[section.start: section.start + len(section.text)] == section.text
        assert section.title and len(section.title) <= 60


@SETTINGS
@given(TEXT)
def test_normalising_and_cleaning_never_crash_and_stay_normal(raw: str) -> None:
    text = normalize_text(raw)
    assert normalize_text(text) == text
    assert "\r" not in text and "\f" not in text
    for steps in ((), ("html", "page-numbers"), CLEAN_STEPS):
        cleaned = clean_text(normalize_text(raw, keep_page_breaks=True), steps)
        assert "\f" not in cleaned
        assert normalize_text(cleaned) == cleaned


@SETTINGS
@given(TEXT)
def test_sections_concatenate_back_to_the_document(raw: str) -> None:
    text = clean_text(normalize_text(raw, keep_page_breaks=True))
    check_sections(text, split_sections(text))
    check_sections(text, split_sections(text, heading_regex=r"(?P<title>第.{1,3}[页章])"))


NUMERALS = "〇○零一二两三四五六七八九十百千万亿"
AFTER_NUMERAL = NUMERALS + "年月日号大届次周岁个项条倍名位0123456789"


def expected_count(text: str, slogan: str, not_after: str = "", not_before: str = "") -> int:
    """The counting rule written out: str.count's occurrences, leftmost first without overlap, among those
    not at a forbidden edge (a numeral continuing a longer number, or a lexicon entry's own characters)."""
    count, at = 0, text.find(slogan)
    while at >= 0:
        before, after = text[at - 1] if at else "", text[at + len(slogan):at + len(slogan) + 1]
        forbidden = (bool(before) and ((slogan[0] in NUMERALS and before in NUMERALS + "第之")
                                       or (slogan[0].isdigit() and before in "0123456789.") or before in not_after)
                     or bool(after) and ((slogan[-1] in NUMERALS and after in AFTER_NUMERAL)
                                         or (slogan[-1].isdigit() and after in "0123456789.%") or after in not_before))
        if forbidden:
            at = text.find(slogan, at + 1)
        else:
            count += 1
            at = text.find(slogan, at + len(slogan))
    return count


@SETTINGS
@given(TEXT)
def test_every_slogan_count_follows_the_counting_rule(raw: str) -> None:
    text = normalize_text(raw)
    sections = split_sections(text)
    slogans = detect_slogans([text], lexicon())
    for row in count_slogans(sections, slogans):
        section = sections[row.section - 1]
        assert row.section == section.number
        slogan = row.slogan
        assert row.count == expected_count(section.text, slogan.text, slogan.not_after, slogan.not_before) > 0
        assert 0 <= row.count_outside <= row.count


@SETTINGS
@given(st.binary(max_size=300), st.sampled_from([None, "utf-8", "gb18030", "big5", "utf-16"]))
def test_decoding_arbitrary_bytes_gives_text_or_an_input_error(data: bytes, encoding: str | None) -> None:
    try:
        text, codec = decode_bytes(data, source="x.txt", encoding=encoding)
    except InputError as error:
        assert str(error).startswith("x.txt: ")
        return
    assert isinstance(text, str) and codec


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TEXT.filter(lambda t: t.strip()), min_size=1, max_size=4))
def test_the_whole_pipeline_never_crashes_and_counts_on_the_text(raws: list[str]) -> None:
    # Several documents per example: the jieba dictionary load (0.6 s) is paid once per example.
    documents = [Document(name=f"d{i}", path=f"d{i}.txt", text=clean_text(normalize_text(raw)), encoding="utf-8")
                 for i, raw in enumerate(raws)]
    for analysis in zhpolicy.analyze(documents, lexicon=lexicon()):
        text = analysis.document.text
        check_sections(text, list(analysis.sections))
        table = analysis.tables["slogans"]
        for row in table.itertuples():
            assert row.count == analysis.sections[row.section - 1].text.count(row.slogan)
        assert list(analysis.tables["sections"]["chars"]) == [len(s.text) for s in analysis.sections]
