"""Term counts as a sparse matrix, and term_freq / keyness made from it a block of sections at a time."""
from __future__ import annotations

import pickle
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhpolicy.outputs.folders import write_tables
from zhpolicy.outputs.report import REPORT_MAX_ROWS, _top_keyness
from zhpolicy.stats.keyness import keyness_frames, keyness_scores, keyness_table
from zhpolicy.stats.terms import TermCounts, TermCountsBuilder, row_blocks, term_freq_frames, term_freq_table
from zhpolicy.tables import GeneratedTable, Tables

TERMS = ["改革", "发展", "创新", "万亿之城再出发", "GDP", "gdp", "四个走在前", "a,b", '引"号']
SECTIONS = {
    1: Counter({"改革": 3, "发展": 1, "GDP": 2}),
    2: Counter(),
    3: Counter({"发展": 4, "创新": 1, "a,b": 1}),
    4: Counter({"改革": 1, "万亿之城再出发": 5, '引"号': 2, "gdp": 1}),
}

counters = st.dictionaries(st.sampled_from(TERMS), st.integers(0, 6), max_size=len(TERMS)).map(Counter)
#: Sections (numbered 1-9) with their term counts.
sections_of_counts = st.dictionaries(st.integers(1, 9), counters, min_size=1, max_size=7)


def reference_term_freq(sections: dict[int, Counter[str]]) -> pd.DataFrame:
    """term_freq by pandas, straight from the counters."""
    rows = [(number, term, count) for number, counts in sections.items() for term, count in counts.items() if count > 0]
    table = pd.DataFrame(rows, columns=["section", "term", "count"])
    return table.sort_values(["section", "count", "term"], ascending=[True, False, True], kind="mergesort",
                             ignore_index=True)


def test_a_section_reads_back_as_its_counter_and_the_totals_add_up() -> None:
    counts = TermCounts.from_mapping(SECTIONS)
    assert list(counts) == [1, 2, 3, 4]
    for number, expected in SECTIONS.items():
        assert counts[number] == expected
    expected_total = sum(SECTIONS.values(), Counter())
    assert counts.totals() == expected_total
    assert list(counts.totals()) == sorted(expected_total, key=lambda term: (-expected_total[term], term))
    assert counts.total() == sum(expected_total.values())
    assert counts.pairs == sum(len(c) for c in SECTIONS.values())
    assert list(counts.vocabulary) == sorted(expected_total)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 5), counters), max_size=12))
def test_pieces_of_a_section_add_up_as_counters_do(pieces: list[tuple[int, Counter[str]]]) -> None:
    builder = TermCountsBuilder()
    expected: dict[int, Counter[str]] = {number: Counter() for number in range(1, 6)}
    for number, counts in pieces:
        builder.add(number, counts)
        expected[number].update(counts)
    counts = builder.build([1, 2, 3, 4, 5])
    for number in range(1, 6):
        assert counts[number] == +expected[number]  # zeros dropped
    assert counts.matrix.has_sorted_indices


@settings(max_examples=60, deadline=None)
@given(sections_of_counts, st.integers(1, 5))
def test_term_freq_is_the_same_in_blocks_of_any_size(sections: dict[int, Counter[str]], pairs: int) -> None:
    sections = dict(sorted(sections.items()))
    counts = TermCounts.from_mapping(sections)
    blocks = list(term_freq_frames(counts, pairs=pairs))
    got = pd.concat(blocks, ignore_index=True)
    expected = reference_term_freq(sections)
    assert [tuple(row) for row in got.itertuples(index=False)] == [tuple(row) for row in expected.itertuples(index=False)]


def test_row_blocks_cover_every_row_once_and_hold_about_the_pairs_asked() -> None:
    indptr = np.cumsum([0, 3, 0, 1, 7, 2, 2, 0])
    blocks = list(row_blocks(indptr, 4))
    assert [start for start, _ in blocks] == [0, *[end for _, end in blocks[:-1]]]
    assert blocks[-1][1] == len(indptr) - 1
    for start, end in blocks:
        assert end > start
        assert indptr[end] - indptr[start] <= 4 or end == start + 1  # one row may hold more


@settings(max_examples=60, deadline=None)
@given(sections_of_counts, st.integers(1, 5))
def test_keyness_in_blocks_counts_each_section_against_the_rest(sections: dict[int, Counter[str]], pairs: int) -> None:
    sections = dict(sorted(sections.items()))
    counts = TermCounts.from_mapping(sections)
    blocks = list(keyness_frames(counts, pairs=pairs))
    with_terms = [number for number, c in sections.items() if sum(c.values()) > 0]
    if len(with_terms) < 2:
        assert blocks == []
        assert keyness_table(counts).shape[0] == 0
        return
    table = pd.concat(blocks, ignore_index=True)
    assert keyness_table(counts).shape == (len(table), 7)
    grand = sum(sum(c.values()) for c in sections.values())
    expected_rows = []
    for number in with_terms:
        total = sum(sections[number].values())
        for term, count in sections[number].items():
            if count:
                rest = sum(c[term] for other, c in sections.items() if other != number)
                g2, chi2, _ = keyness_scores([count], [rest], [total], [grand - total])
                expected_rows.append((number, term, count, rest, round(float(g2[0]), 6), round(float(chi2[0]), 6)))
    expected_rows.sort(key=lambda row: (row[0], -row[4], row[1]))
    got = [(r.section, r.term, r.count, r.count_rest, r.g2, r.chi2) for r in table.itertuples()]
    assert [row[:4] for row in got] == [row[:4] for row in expected_rows]
    assert np.allclose([row[4:] for row in got], [row[4:] for row in expected_rows], rtol=0, atol=2e-6)


def test_generated_tables_write_the_bytes_of_the_whole_frame(tmp_path: Path) -> None:
    counts = TermCounts.from_mapping(SECTIONS)
    made: list[int] = []

    def counted(table):  # type: ignore[no-untyped-def]
        make = table.make
        table.make = lambda: (made.append(1), make())[1]
        return table

    others = {name: pd.DataFrame({"section": [1]}) for name in ("sections", "tfidf", "slogans")}
    tables = Tables(others, {"term_freq": counted(term_freq_table(counts)), "keyness": counted(keyness_table(counts))})
    assert tables.shape("term_freq") == (counts.pairs, 3)  # known without making the table
    assert tables.shape("keyness") == (counts.pairs, 7)
    assert made == []
    write_tables(tables, {}, tmp_path)
    for name in ("term_freq", "keyness"):
        # pandas' own writer is the reference for the bytes (write_csv writes block by block too).
        tables[name].to_csv(tmp_path / f"{name}_pandas.csv", index=False, encoding="utf-8-sig", lineterminator="\n",
                            float_format="%.6f")
        assert (tmp_path / f"{name}.csv").read_bytes() == (tmp_path / f"{name}_pandas.csv").read_bytes()
    whole = pd.read_csv(tmp_path / "term_freq.csv", encoding="utf-8-sig", keep_default_na=False)
    assert [tuple(r) for r in whole.itertuples(index=False)] == \
        [tuple(r) for r in reference_term_freq(SECTIONS).itertuples(index=False)]


def test_term_counts_and_their_tables_survive_pickling() -> None:
    counts = TermCounts.from_mapping(SECTIONS)
    tables = Tables({}, {"term_freq": term_freq_table(counts), "keyness": keyness_table(counts)})
    copy = pickle.loads(pickle.dumps(tables))
    for name in ("term_freq", "keyness"):
        pd.testing.assert_frame_equal(copy[name], tables[name])
    assert pickle.loads(pickle.dumps(counts))[4] == SECTIONS[4]


def test_the_report_keeps_the_first_keyness_rows_and_counts_them_all() -> None:
    # 400 sections of 3 terms each, every term over-represented where it occurs: 1,200 rows, 500 shown.
    sections = {number: Counter({f"词{number}": 5, f"词{number + 1}": 1, "共同": 1}) for number in range(1, 401)}
    counts = TermCounts.from_mapping(sections)
    made: list[int] = []

    def small_blocks():  # type: ignore[no-untyped-def]
        for block in keyness_frames(counts, pairs=30):  # 10 sections a block
            made.append(len(block))
            yield block

    tables = Tables({}, {"keyness": GeneratedTable(keyness_table(counts).columns, counts.pairs, small_blocks)})
    top, rows = _top_keyness(tables, 10)
    assert len(made) == 40  # every block read, to count the rows
    made.clear()
    whole = tables["keyness"]
    expected = whole[whole["g2"] > 0].groupby("section", sort=True).head(10)
    assert rows == len(expected) > REPORT_MAX_ROWS
    pd.testing.assert_frame_equal(top, expected.head(REPORT_MAX_ROWS).reset_index(drop=True))


def test_from_frame_sums_repeated_rows_and_sorts_units() -> None:
    table = pd.DataFrame({"document": ["乙", "甲", "乙"], "term": ["改革", "发展", "改革"], "count": [1, 2, 3]})
    counts = TermCounts.from_frame(table, unit="document")
    assert list(counts) == sorted(["乙", "甲"])
    assert counts["乙"] == Counter({"改革": 4})
    assert counts["甲"] == Counter({"发展": 2})


def test_an_unknown_unit_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        TermCounts.from_mapping(SECTIONS)[99]


def test_float_counts_are_counted_as_integers() -> None:
    table = pd.DataFrame({"section": [1, 1, 2], "term": ["改革", "发展", "改革"], "count": [2.0, 1.0, 3.0]})
    counts = TermCounts.from_frame(table, unit="section")
    assert counts[1] == Counter({"改革": 2, "发展": 1}) and counts[2] == Counter({"改革": 3})
