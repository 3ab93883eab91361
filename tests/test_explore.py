"""zhpolicy.explore: the notebook views, on hand-made tables (values by hand) and on the shipped report."""
from __future__ import annotations

import doctest

import pandas as pd
import pytest

from zhpolicy import explore
from zhpolicy.compare import slogan_matrix, slogan_rates

SECTIONS = pd.DataFrame({"section": [1, 2, 3], "title": ["导语", "民生实事", "重点工作"], "chars": [1000, 200, 500],
                         "tokens": [400, 80, 200]})
SLOGANS = pd.DataFrame({
    "section": [1, 2, 1, 3, 2],
    "slogan": ["万亿之城再出发", "万亿之城再出发", "六个常有", "六个常有", "四敢"],
    "kind": ["quoted", "quoted", "numeric", "numeric", "numeric"],
    "count": [3, 1, 1, 2, 1],
    "count_outside": [3, 1, 1, 2, 1],
    "canonical": ["万亿之城再出发", "万亿之城再出发", "六个常有", "六个常有", "四敢"],
    "category": ["", "", "", "", ""],
    "family": ["", "", "", "", ""],
})
COLUMNS = {1: "s01", 2: "s02", 3: "s03"}


def test_docstring_examples() -> None:
    assert doctest.testmod(explore).failed == 0


def test_mark_slogans_wraps_only_whole_slogan_tokens() -> None:
    assert explore.mark_slogans(["万亿", "之城", "万亿之城再出发"], ["万亿之城再出发"], sep="/") == "万亿/之城/【万亿之城再出发】"


def test_top_terms_sums_over_sections_and_counts_sections() -> None:
    term_freq = pd.DataFrame({"section": [1, 1, 2, 2], "term": ["发展", "提案", "发展", "工程"],
                              "count": [3, 5, 4, 5]})
    table = explore.top_terms(term_freq, top=2)
    assert table.to_dict("records") == [{"term": "发展", "count": 7, "sections": 2},
                                        {"term": "工程", "count": 5, "sections": 1}]  # 工程 before 提案 on ties


def test_top_slogans_totals() -> None:
    table = explore.top_slogans(SLOGANS)
    assert list(table["slogan"]) == ["万亿之城再出发", "六个常有", "四敢"]
    assert list(table["count"]) == [4, 3, 1]
    assert list(table["sections"]) == [2, 2, 1]


def test_leading_sections_by_rate_not_count() -> None:
    matrix = slogan_matrix(SLOGANS, COLUMNS)
    rates = slogan_rates(matrix, {"s01": 1000, "s02": 200, "s03": 500})
    table = explore.leading_sections(matrix, rates, SECTIONS, min_total=2).set_index("slogan")
    # 万亿之城再出发: 3 in 1,000 characters (30 per 10,000) against 1 in 200 (50): section 2 leads.
    row = table.loc["万亿之城再出发"]
    assert (row["section"], row["title"], row["count"], row["total"]) == (2, "民生实事", 1, 4)
    assert row["rate"] == pytest.approx(50.0)
    assert row["rate_all"] == pytest.approx(round(4 / 1700 * 10_000, 2))
    assert row["share"] == pytest.approx(0.25)
    assert row["ratio"] == pytest.approx(round(50.0 / (4 / 1700 * 10_000), 2))
    # 六个常有: 1 in 1,000 (10) against 2 in 500 (40).
    assert table.loc["六个常有", "section"] == 3
    assert "四敢" not in table.index  # counted once: below min_total


def test_leading_sections_ties_go_to_the_earlier_section() -> None:
    slogans = SLOGANS.assign(count=[1, 1, 1, 1, 1])
    matrix = slogan_matrix(slogans, {1: "s01", 2: "s02"})
    rates = slogan_rates(matrix, {"s01": 100, "s02": 100})
    table = explore.leading_sections(matrix, rates, SECTIONS.head(2), min_total=2)
    assert table.set_index("slogan").loc["万亿之城再出发", "section"] == 1


def test_section_columns_match_the_wide_tables() -> None:
    columns = explore.section_columns(SECTIONS)
    assert list(columns) == ["s01", "s02", "s03"]
    assert columns["s02"] == "2 民生实事"


def test_key_terms_lists_significant_positive_terms() -> None:
    keyness = pd.DataFrame({"section": [1, 1, 1, 2], "term": ["提案", "大会", "发展", "工程"],
                            "g2": [29.9, 2.0, -1.0, 51.3], "p": [0.0001, 0.2, 0.3, 0.00001]})
    table = explore.key_terms(keyness, SECTIONS)
    assert list(table["terms"]) == ["提案 (G²=29.9)", "工程 (G²=51.3)", ""]


def test_style_matrix_renders_html_with_labels() -> None:
    pytest.importorskip("jinja2")
    matrix = slogan_matrix(SLOGANS, COLUMNS)
    html = explore.style_matrix(matrix, SECTIONS).to_html()
    assert "2 民生实事" in html and "background-color" in html


def test_on_the_seed(seed_analysis) -> None:  # type: ignore[no-untyped-def]
    tables = seed_analysis.tables
    text = seed_analysis.document.text
    slogans = explore.top_slogans(tables["slogans"], top=50).set_index("slogan")
    assert slogans.loc["万亿之城再出发", "count"] == text.count("万亿之城再出发") == 8
    summary = explore.tfidf_summary(tables["tfidf"], tables["sections"], top=3)
    assert len(summary) == len(seed_analysis.sections)
    leaders = explore.leading_sections(tables["slogan_matrix"], tables["slogan_rates"], tables["sections"])
    # 万亿之城再出发 leads where its rate (mentions per character of the section) is highest.
    rates = {s.number: s.text.count("万亿之城再出发") / len(s.text) for s in seed_analysis.sections}
    assert leaders.set_index("slogan").loc["万亿之城再出发", "section"] == max(rates, key=rates.__getitem__)
    figure = explore.wordcloud_grid(tables["term_freq"], tables["sections"], numbers=[1, 2], columns=2)
    assert len([axes for axes in figure.axes if axes.images]) == 2
