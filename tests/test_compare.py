"""zhpolicy.compare: keyness against hand computations, slogan matrix and rates against the slogan table,
category shares, years, corpus tables and the comparison of two reports."""
from __future__ import annotations

import math
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import zhpolicy
from zhpolicy.compare import (
    category_shares,
    compare_documents,
    corpus_tables,
    document_year,
    matrix_frames,
    section_tables,
    slogan_matrix,
    slogan_rates,
)
from zhpolicy.stats.keyness import keyness, keyness_scores


def _row(table: pd.DataFrame, unit: str, key: object, term: str) -> pd.Series:
    rows = table[(table[unit] == key) & (table["term"] == term)]
    assert len(rows) == 1, (key, term)
    return rows.iloc[0]


# --- keyness: a tiny fixture computed by hand --------------------------------------------------------

TINY = pd.DataFrame(
    [(1, "改革", 6), (1, "开放", 2), (1, "民生", 2), (2, "改革", 1), (2, "开放", 4), (2, "民生", 5)],
    columns=["section", "term", "count"],
)


def test_keyness_with_yates_matches_a_hand_computation() -> None:
    # 改革 in section 1: a=6, b=1 (section 2), c=10-6=4, d=10-1=9, N=20.
    # Expected a: (a+b)(a+c)/N = 7*10/20 = 3.5 < 5, and |ad-bc| = |54-4| = 50 >= N/2 = 10: Yates applies.
    chi2 = 20 * (abs(6 * 9 - 1 * 4) - 20 * 0.5) ** 2 / (7 * 13 * 10 * 10)
    assert chi2 == pytest.approx(3.516484, abs=1e-6)
    # G2 on the corrected cells a-0.5, b+0.5, c+0.5, d-0.5 = 5.5, 1.5, 4.5, 8.5 (margins unchanged:
    # rows 7 and 13, columns 10 and 10; expected 3.5, 3.5, 6.5, 6.5).
    g2 = 2 * (5.5 * math.log(5.5 / 3.5) + 1.5 * math.log(1.5 / 3.5)
              + 4.5 * math.log(4.5 / 6.5) + 8.5 * math.log(8.5 / 6.5))
    p = math.erfc(math.sqrt(g2 / 2))

    table = keyness(TINY)
    row = _row(table, "section", 1, "改革")
    assert (row["count"], row["count_rest"]) == (6, 1)
    assert row["chi2"] == pytest.approx(chi2, abs=1e-6)
    assert row["g2"] == pytest.approx(g2, abs=1e-6)
    assert row["p"] == pytest.approx(p, rel=1e-9)
    # The same 2x2 table seen from section 2: under-represented, so both statistics are negative.
    other = _row(table, "section", 2, "改革")
    assert other["chi2"] == pytest.approx(-chi2, abs=1e-6)
    assert other["g2"] == pytest.approx(-g2, abs=1e-6)
    assert list(table.columns) == ["section", "term", "count", "count_rest", "g2", "chi2", "p"]


def test_keyness_without_correction_when_expected_counts_are_large() -> None:
    # a=60, b=20, c=40, d=80, N=200: the smallest expected count is 80*100/200 = 40, so no Yates.
    chi2 = 200 * (60 * 80 - 20 * 40) ** 2 / (80 * 120 * 100 * 100)
    assert chi2 == pytest.approx(33.333333, abs=1e-6)
    g2 = 2 * (60 * math.log(60 / 40) + 20 * math.log(20 / 40) + 40 * math.log(40 / 60) + 80 * math.log(80 / 60))
    got_g2, got_chi2, got_p = keyness_scores([60], [20], 100, 100)
    assert got_chi2[0] == pytest.approx(chi2, rel=1e-12)
    assert got_g2[0] == pytest.approx(g2, rel=1e-12)
    assert got_p[0] == pytest.approx(math.erfc(math.sqrt(g2 / 2)), rel=1e-9)


def test_keyness_agrees_with_scipy_contingency_tests() -> None:
    from scipy.stats import chi2 as chi2_distribution
    from scipy.stats import chi2_contingency

    table = keyness(TINY)
    for row in table.itertuples():
        a, b = row.count, row.count_rest
        c, d = 10 - a, 10 - b
        expected_small = min((a + b) * (a + c), (a + b) * (b + d), (a + c) * (c + d), (b + d) * (c + d)) / 20 < 5
        correct = expected_small and abs(a * d - b * c) >= 10
        observed = [[a, b], [c, d]]
        chi2 = chi2_contingency(observed, correction=correct)[0]
        g2 = chi2_contingency(observed, correction=correct, lambda_="log-likelihood")[0]
        assert abs(row.chi2) == pytest.approx(chi2, abs=1e-6), row
        assert abs(row.g2) == pytest.approx(g2, abs=1e-6), row
        assert row.p == pytest.approx(chi2_distribution.sf(abs(row.g2), 1), rel=1e-6)


def test_keyness_is_empty_for_one_section_and_sorted_otherwise() -> None:
    assert keyness(TINY[TINY["section"] == 1]).empty
    table = keyness(TINY)
    for _, rows in table.groupby("section"):
        assert list(rows["g2"]) == sorted(rows["g2"], reverse=True)
    # Every term of the document appears once per section.
    assert len(table) == 2 * TINY["term"].nunique()


def _hand_keyness(a: int, b: int, total: int, total_rest: int) -> tuple[float, float]:
    """Signed G2 and chi2 of one 2x2 table, written out as in quanteda's keyness.cpp."""
    c, d = total - a, total_rest - b
    n = a + b + c + d
    expected = [(a + b) * (a + c) / n, (a + b) * (b + d) / n, (a + c) * (c + d) / n, (b + d) * (c + d) / n]
    delta = 0.5 if abs(a * d - b * c) >= n / 2 and min(expected) < 5 else 0.0
    chi2 = n * (abs(a * d - b * c) - n * delta) ** 2 / ((a + b) * (c + d) * (a + c) * (b + d))
    s = delta if a * d - b * c > 0 else -delta
    cells = [a - s, b + s, c + s, d - s]
    a2, b2, c2, d2 = cells
    observed_expected = [(a2, (a2 + b2) * (a2 + c2) / n), (b2, (a2 + b2) * (b2 + d2) / n),
                         (c2, (a2 + c2) * (c2 + d2) / n), (d2, (b2 + d2) * (c2 + d2) / n)]
    g2 = 2 * sum(o * math.log(o / e) for o, e in observed_expected if o > 0)
    sign = 1.0 if a > expected[0] else -1.0
    return sign * g2, sign * chi2


@pytest.mark.parametrize(("section", "term"), [(1, "提案"), (2, "工程")])
def test_keyness_on_the_seed_against_the_formula(seed_analysis, seed_sections, section: int, term: str) -> None:  # type: ignore[no-untyped-def]
    term_freq = seed_analysis.tables["term_freq"]
    a = int(term_freq[(term_freq["section"] == section) & (term_freq["term"] == term)]["count"].sum())
    b = int(term_freq[(term_freq["section"] != section) & (term_freq["term"] == term)]["count"].sum())
    total = int(term_freq[term_freq["section"] == section]["count"].sum())
    total_rest = int(term_freq["count"].sum()) - total
    # The term counts are token counts: never more than the substring counts in the text.
    assert 0 < a <= seed_sections[section - 1].count(term)
    assert b <= sum(text.count(term) for i, text in enumerate(seed_sections, start=1) if i != section)
    g2, chi2 = _hand_keyness(a, b, total, total_rest)
    row = _row(seed_analysis.tables["keyness"], "section", section, term)
    assert (row["count"], row["count_rest"]) == (a, b)
    assert row["g2"] == pytest.approx(g2, abs=1e-6)
    assert row["chi2"] == pytest.approx(chi2, abs=1e-6)
    # Both are the most over-represented term of their section.
    assert row["g2"] > 0
    assert row["g2"] == seed_analysis.tables["keyness"].query("section == @section")["g2"].max()


# --- slogan matrix, rates and category shares --------------------------------------------------------


def test_slogan_matrix_totals_equal_the_slogan_table_sums(seed_analysis) -> None:  # type: ignore[no-untyped-def]
    slogans = seed_analysis.tables["slogans"]
    matrix = seed_analysis.tables["slogan_matrix"]
    sections = seed_analysis.tables["sections"]
    assert list(matrix.columns) == ["slogan", *[f"s{n:02d}" for n in sections["section"]], "total"]
    assert len(matrix) == slogans["slogan"].nunique()
    totals = slogans.groupby("slogan")["count"].sum()
    assert dict(zip(matrix["slogan"], matrix["total"])) == totals.to_dict()
    for number in sections["section"]:
        assert matrix[f"s{number:02d}"].sum() == slogans[slogans["section"] == number]["count"].sum()
    assert (matrix[[f"s{n:02d}" for n in sections["section"]]].sum(axis=1) == matrix["total"]).all()
    keys = list(zip(-matrix["total"], matrix["slogan"]))
    assert keys == sorted(keys)


def test_slogan_matrix_cells_are_exact_text_counts(seed_analysis, seed_sections) -> None:  # type: ignore[no-untyped-def]
    matrix = seed_analysis.tables["slogan_matrix"].set_index("slogan")
    for slogan in ["万亿之城再出发", "四个走在前", "532", "六个常有"]:
        for number, text in enumerate(seed_sections, start=1):
            assert matrix.loc[slogan, f"s{number:02d}"] == text.count(slogan), (slogan, number)


def test_slogan_rates_are_count_per_ten_thousand_characters(seed_analysis) -> None:  # type: ignore[no-untyped-def]
    matrix = seed_analysis.tables["slogan_matrix"]
    rates = seed_analysis.tables["slogan_rates"]
    chars = dict(zip(seed_analysis.tables["sections"]["section"], seed_analysis.tables["sections"]["chars"]))
    assert list(rates.columns) == list(matrix.columns) and list(rates["slogan"]) == list(matrix["slogan"])
    for number, size in chars.items():
        column = f"s{number:02d}"
        for count, rate in zip(matrix[column], rates[column]):
            assert rate == pytest.approx(count / size * 10_000)
    whole = sum(chars.values())
    for count, rate in zip(matrix["total"], rates["total"]):
        assert rate == pytest.approx(count / whole * 10_000)


def test_slogan_matrix_keeps_sections_without_slogans() -> None:
    table = pd.DataFrame({"section": [2], "slogan": ["四敢"], "count": [3]})
    matrix = slogan_matrix(table, {1: "s01", 2: "s02", 3: "s03"})
    assert matrix.to_dict("records") == [{"slogan": "四敢", "s01": 0, "s02": 3, "s03": 0, "total": 3}]
    rates = slogan_rates(matrix, {"s01": 100, "s02": 300, "s03": 0})
    assert rates.to_dict("records") == [{"slogan": "四敢", "s01": 0.0, "s02": 100.0, "s03": 0.0, "total": 75.0}]
    empty = slogan_matrix(table.iloc[0:0], {1: "s01"})
    assert list(empty.columns) == ["slogan", "s01", "total"] and empty.empty


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 6), st.sampled_from(["四敢", "532", "万亿之城再出发", "走在前", "a,b"]),
                          st.integers(0, 5)), max_size=25),
       st.integers(1, 30))
def test_wide_tables_made_in_blocks_are_the_pivot_table(rows: list[tuple[int, str, int]], cells: int) -> None:
    # Sections 1-5 are columns; section 6 is left out of them (its counts are in no column, nor in total).
    long = pd.DataFrame(rows, columns=["section", "slogan", "count"])
    columns = {number: f"s{number:02d}" for number in range(1, 6)}
    blocks = list(matrix_frames(long, columns, cells=cells))
    if long.empty:
        assert blocks == []
        return
    got = pd.concat(blocks, ignore_index=True)
    expected = long.pivot_table(index="slogan", columns="section", values="count", aggfunc="sum", fill_value=0)
    expected = expected.reindex(columns=list(columns), fill_value=0).astype("int64")
    expected.columns = list(columns.values())
    expected["total"] = expected.sum(axis=1)
    expected = expected.reset_index()
    expected = expected.sort_values(["total", "slogan"], ascending=[False, True], kind="mergesort", ignore_index=True)
    pd.testing.assert_frame_equal(got, expected, check_names=False)
    chars = {name: 10 * number for number, name in columns.items()}
    rates = pd.concat(list(matrix_frames(long, columns, chars=chars, cells=cells, label="formulation")),
                      ignore_index=True)
    assert list(rates.columns) == ["formulation", *columns.values(), "total"]
    pd.testing.assert_frame_equal(rates.rename(columns={"formulation": "slogan"}), slogan_rates(expected, chars))


def test_category_shares_sum_to_one_and_count_categorised_mentions(seed_analysis) -> None:  # type: ignore[no-untyped-def]
    slogans = seed_analysis.tables["slogans"]
    shares = seed_analysis.tables["category_shares"]
    assert list(shares.columns) == ["section", "category", "count_outside", "share"]
    categorised = slogans[slogans["category"].fillna("") != ""]
    expected = categorised.groupby(["section", "category"])["count_outside"].sum()
    expected = expected[expected > 0]
    got = shares.set_index(["section", "category"])["count_outside"]
    assert got.sort_index().to_dict() == expected.sort_index().to_dict()
    for _, rows in shares.groupby("section"):
        assert rows["share"].sum() == pytest.approx(1.0)
    assert set(shares["category"]) <= set(categorised["category"])


def test_category_shares_by_hand() -> None:
    table = pd.DataFrame({"section": [1, 1, 1, 2], "slogan": ["甲", "乙", "丙", "甲"],
                          "category": ["reform", "reform", "", "economy"], "count_outside": [3, 1, 9, 2]})
    assert category_shares(table).to_dict("records") == [
        {"section": 1, "category": "reform", "count_outside": 4, "share": 1.0},
        {"section": 2, "category": "economy", "count_outside": 2, "share": 1.0},
    ]


def test_section_tables_are_the_pipeline_tables(seed_analysis) -> None:  # type: ignore[no-untyped-def]
    fresh = section_tables(seed_analysis.tables)
    for name, table in fresh.items():
        pd.testing.assert_frame_equal(table, seed_analysis.tables[name])


# --- years -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "name", "year"), [
    ("---\nyear: 2023\ntitle: 报告\n---\n正文", "report_2024", 2023),   # front matter wins
    ("---\ntitle: 报告\nyear: \"2019\"\n---\n正文", "report", 2019),
    ("---\n年份: 2021\n---\n正文", "report", 2021),
    ("正文 year: 2020", "tianning_2024_lianghui", 2024),                  # only front matter counts
    ("正文", "2022政府工作报告", 2022),
    ("正文", "report12024", None),                                        # not a standalone year
    ("正文", "report_1850", None),
    ("正文", "report", None),
])
def test_document_year(text: str, name: str, year: int | None) -> None:
    assert document_year(SimpleNamespace(text=text, name=name, path=f"{name}.md")) == year


# --- several documents -------------------------------------------------------------------------------


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def two_reports(tmp_path_factory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("reports")
    first = _write(folder, "gov_2023.md", "---\nyear: 2023\n---\n## 一、回顾\n坚持“稳中求进”,推进“放管服”改革。"
                                          "“放管服”改革成效明显,改革改革。\n## 二、安排\n民生民生实事。\n")
    second = _write(folder, "gov_2024.md", "## 一、回顾\n坚持“稳中求进”“稳中求进”,发展“新质生产力”。\n"
                                           "## 二、安排\n发展新质生产力,民生实事。\n")
    documents = [zhpolicy.read_document(first), zhpolicy.read_document(second)]
    return zhpolicy.analyze(documents, options=zhpolicy.Options(mine_top=0))


def test_corpus_tables_put_documents_in_place_of_sections(two_reports) -> None:  # type: ignore[no-untyped-def]
    tables = corpus_tables(two_reports)
    documents = tables["documents"]
    assert list(documents["document"]) == ["gov_2023", "gov_2024"]
    assert list(documents["year"]) == [2023, 2024]
    matrix = tables["slogan_matrix"].set_index("slogan")
    assert list(matrix.columns) == ["gov_2023", "gov_2024", "total"]
    for analysis in two_reports:
        sums = analysis.tables["slogans"].groupby("slogan")["count"].sum()
        column = matrix[analysis.document.name]
        assert column[column > 0].sort_index().to_dict() == sums[sums > 0].sort_index().to_dict()
        assert int(documents.set_index("document").loc[analysis.document.name, "chars"]) == \
            int(analysis.tables["sections"]["chars"].sum())
    assert matrix.loc["稳中求进", "gov_2023"] == 1 and matrix.loc["稳中求进", "gov_2024"] == 2
    assert matrix.loc["放管服", "gov_2024"] == 0
    assert set(tables) >= {"documents", "term_freq", "tfidf", "slogans", "slogan_matrix", "slogan_rates",
                           "keyness", "category_shares"}
    assert list(tables["keyness"].columns[:2]) == ["document", "term"]
    assert list(tables["slogans"].columns[:2]) == ["document", "slogan"]
    # Document-level keyness is the same 2x2 computation, each document against the other.
    term_freq = tables["term_freq"]
    row = _row(tables["keyness"], "document", "gov_2023", "改革")
    a = int(term_freq.query("document == 'gov_2023' and term == '改革'")["count"].sum())
    b = int(term_freq.query("document == 'gov_2024' and term == '改革'")["count"].sum())
    total = int(term_freq.query("document == 'gov_2023'")["count"].sum())
    g2, chi2 = _hand_keyness(a, b, total, int(term_freq["count"].sum()) - total)
    assert (row["count"], row["count_rest"]) == (a, b) and a > 0
    assert row["g2"] == pytest.approx(g2, abs=1e-6) and row["chi2"] == pytest.approx(chi2, abs=1e-6)


def test_compare_documents_finds_what_rose_fell_appeared_and_disappeared(two_reports) -> None:  # type: ignore[no-untyped-def]
    first, second = two_reports
    table = compare_documents(first, second)
    assert list(table.columns) == ["kind", "item", "count_a", "count_b", "rate_a", "rate_b", "change", "g2", "p",
                                   "status"]
    slogans = table[table["kind"] == "slogan"].set_index("item")
    chars_a = int(first.tables["sections"]["chars"].sum())
    chars_b = int(second.tables["sections"]["chars"].sum())
    for slogan in ("稳中求进", "放管服", "新质生产力"):
        row = slogans.loc[slogan]
        assert row["count_a"] == first.document.text.count(slogan)
        assert row["count_b"] == second.document.text.count(slogan)
        assert row["rate_a"] == pytest.approx(row["count_a"] / chars_a * 10_000)
        assert row["rate_b"] == pytest.approx(row["count_b"] / chars_b * 10_000)
        assert row["change"] == pytest.approx(row["rate_b"] - row["rate_a"])
    assert slogans.loc["稳中求进", "status"] == "rose"
    assert slogans.loc["放管服", "status"] == "disappeared"
    assert slogans.loc["新质生产力", "status"] == "appeared"
    assert slogans.loc["新质生产力", "g2"] > 0 > slogans.loc["放管服", "g2"]
    terms = table[table["kind"] == "term"].set_index("item")
    assert terms.loc["改革", "status"] == "disappeared"
    assert set(table["status"]) <= {"appeared", "rose", "same", "fell", "disappeared"}
    assert list(table["kind"]) == sorted(table["kind"], key=["slogan", "term"].index)
    # Swapping the reports swaps appeared and disappeared.
    swapped = compare_documents(second, first)
    back = swapped[swapped["kind"] == "slogan"].set_index("item")
    assert back.loc["新质生产力", "status"] == "disappeared" and back.loc["放管服", "status"] == "appeared"


def test_the_year_in_front_matter_survives_the_front_matter_cleaning(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from zhpolicy import read_document
    from zhpolicy.compare import document_year

    body = "## 一、发展\n万亿之城再出发。\n"
    path = tmp_path / "report.md"  # no year in the file name: only the front matter has it
    path.write_text("---\nyear: 2023\ntitle: 报告\n---\n" + body, encoding="utf-8")
    document = read_document(path)  # the default cleaning removes the block from the text
    assert document.text == body
    assert document.front_matter == "---\nyear: 2023\ntitle: 报告\n---\n"
    assert document_year(document) == 2023
    kept = read_document(path, clean="none")  # without the step the block stays in the text
    assert kept.text.startswith("---\nyear: 2023") and document_year(kept) == 2023


def test_compare_command_converts_traditional_chinese(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    import csv

    from zhpolicy import cli

    simplified = {"a_2023": "## 一、总体要求\n全面落实“四个走在前”,推动高质量发展。\n"
                            "## 二、工作安排\n坚持四个走在前,办好民生实事。\n",
                  "b_2024": "## 一、总体要求\n全面落实“四个走在前”,发展新质生产力。\n"}
    traditional = {"a_2023": "## 一、總體要求\n全面落實“四個走在前”,推動高質量發展。\n"
                             "## 二、工作安排\n堅持四個走在前,辦好民生實事。\n",
                   "b_2024": "## 一、總體要求\n全面落實“四個走在前”,發展新質生產力。\n"}
    paths = []
    for name, text in traditional.items():
        assert "四个走在前" not in text
        paths.append(_write(tmp_path, f"{name}.md", text))
        assert zhpolicy.read_document(paths[-1], convert="t2s").text == simplified[name]

    def slogans(*options: str) -> dict[str, tuple[int, int]]:
        out = tmp_path / "out"
        assert cli.main(["compare", *map(str, paths), "-o", str(out), "--no-images", "-q", *options]) == 0
        with (out / "compare_a_2023_vs_b_2024" / "compare.csv").open(encoding="utf-8-sig", newline="") as handle:
            rows = [row for row in csv.DictReader(handle) if row["kind"] == "slogan"]
        return {row["item"]: (int(row["count_a"]), int(row["count_b"])) for row in rows}

    assert "四个走在前" not in slogans()  # matched as written: only the traditional form is found
    expected = (simplified["a_2023"].count("四个走在前"), simplified["b_2024"].count("四个走在前"))
    assert expected == (2, 1)
    assert slogans("--convert", "t2s")["四个走在前"] == expected
    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        cli.main(["compare", *map(str, paths), "-o", str(tmp_path / "bad"), "--convert", "x2y"])
    assert exited.value.code == 2
    stderr = capsys.readouterr().err
    assert stderr.startswith("zhpolicy compare: error: argument --convert: invalid choice: 'x2y'")
    assert len(stderr.splitlines()) == 1
    assert not (tmp_path / "bad").exists()


def test_corpus_tables_have_the_formulations_of_each_document(two_reports) -> None:  # type: ignore[no-untyped-def]
    tables = corpus_tables(two_reports)
    matrix = tables["formulation_matrix"].set_index("formulation")
    rates = tables["formulation_rates"].set_index("formulation")
    chars = tables["documents"].set_index("document")["chars"]
    assert list(matrix.columns) == ["gov_2023", "gov_2024", "total"] and list(rates.columns) == list(matrix.columns)
    for analysis in two_reports:
        name = analysis.document.name
        sums = analysis.tables["formulations"].groupby("canonical")["count"].sum()
        column = matrix[name]
        assert column[column > 0].sort_index().to_dict() == sums[sums > 0].sort_index().to_dict()
        for formulation, count in sums.items():
            assert rates.loc[formulation, name] == pytest.approx(count / int(chars[name]) * 10_000)
    assert list(tables["formulations"].columns) == ["document", "canonical", "count"]
    # By hand: gov_2023 has “放管服”改革 twice (the variant 放管服 of 放管服改革), gov_2024 新质生产力 twice.
    assert matrix.loc["放管服改革", "gov_2023"] == 2 and matrix.loc["放管服改革", "gov_2024"] == 0
    assert matrix.loc["新质生产力"].tolist() == [0, 2, 2] and matrix.loc["稳中求进"].tolist() == [1, 2, 3]
