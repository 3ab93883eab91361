from __future__ import annotations

import math

import pytest

from zhpolicy.stats.terms import term_frequencies
from zhpolicy.stats.tfidf import rank_tfidf


def test_tfidf_matches_the_formula_by_hand() -> None:
    terms = {1: ["甲", "甲", "乙"], 2: ["乙", "丙"]}
    idf_rare = math.log(3 / 2) + 1  # df = 1 of n = 2: ln((1 + n) / (1 + df)) + 1
    idf_common = math.log(3 / 3) + 1
    norm1 = math.hypot(2 * idf_rare, idf_common)
    norm2 = math.hypot(idf_common, idf_rare)
    table = rank_tfidf(terms, top=5)
    got = {(r.section, r.term): (r.rank, r.score) for r in table.itertuples()}
    assert got == {
        (1, "甲"): (1, round(2 * idf_rare / norm1, 6)),
        (1, "乙"): (2, round(idf_common / norm1, 6)),
        (2, "丙"): (1, round(idf_rare / norm2, 6)),
        (2, "乙"): (2, round(idf_common / norm2, 6)),
    }


def test_ties_are_broken_by_term_and_top_cuts() -> None:
    table = rank_tfidf({1: ["政策", "改革", "创新", "发展"], 2: ["其他"]}, top=3)
    first = table[table.section == 1]
    assert list(first.term) == sorted(["政策", "改革", "创新", "发展"])[:3]
    assert list(first["rank"]) == [1, 2, 3]
    assert first.score.nunique() == 1


def test_tfidf_keeps_case_and_does_not_resegment() -> None:
    table = rank_tfidf({1: ["GDP", "万亿之城再出发"], 2: ["gdp"]})
    assert set(table.term) == {"GDP", "万亿之城再出发", "gdp"}


def test_tfidf_on_the_seed_has_top_rows_per_section_in_order(seed_analysis) -> None:  # type: ignore[no-untyped-def]
    table = seed_analysis.tables["tfidf"]
    assert list(table.columns) == ["section", "rank", "term", "score"]
    for section, rows in table.groupby("section"):
        distinct_terms = len(seed_analysis.term_counts[section])
        assert len(rows) == min(20, distinct_terms)
        assert list(rows["rank"]) == list(range(1, len(rows) + 1))
        pairs = list(zip(-rows.score, rows.term))
        assert pairs == sorted(pairs)
    assert sorted(table.section.unique()) == list(range(1, 11))


def test_term_frequencies_count_and_sort() -> None:
    table = term_frequencies({2: ["改革", "发展", "改革"], 1: ["发展"]})
    assert [tuple(r) for r in table.itertuples(index=False)] == [(1, "发展", 1), (2, "改革", 2), (2, "发展", 1)]


def test_top_must_be_positive() -> None:
    with pytest.raises(ValueError, match="top must be a positive"):
        rank_tfidf({1: ["甲"]}, top=0)
