"""The trend across dated documents: which formulations it draws by default, and how it draws them."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from zhpolicy.compare import default_trend_slogans
from zhpolicy.figures import plots

# Rates per 10,000 characters of four congress-like reports (hand-made), and one document without a year.
RATES = pd.DataFrame({
    "formulation": ["社会主义", "中国特色社会主义", "四人帮", "邓小平理论", "科学发展观", "改革开放"],
    "c1977": [40.0, 0.0, 45.0, 0.0, 0.0, 0.0],
    "c1997": [60.0, 12.0, 0.0, 14.0, 0.0, 3.0],
    "c2007": [50.0, 18.0, 0.0, 3.0, 7.0, 4.0],
    "c2012": [55.0, 27.0, 0.0, 1.0, 5.0, 5.0],
    "undated": [99.0, 99.0, 99.0, 99.0, 99.0, 99.0],
    "total": [51.0, 14.0, 11.0, 4.5, 3.0, 3.0],
})
YEARS = {"c2012": 2012, "c1977": 1977, "c2007": 2007, "c1997": 1997, "undated": None}
# The kinds of the slogans behind the formulations: 社会主义 and 四人帮 were found as quoted phrases only.
SLOGANS = pd.DataFrame({
    "slogan": ["社会主义", "中国特色社会主义", "四人帮", "邓小平理论", "科学发展观", "改开"],
    "kind": ["quoted", "lexicon", "quoted", "lexicon", "lexicon", "lexicon"],
    "canonical": ["社会主义", "中国特色社会主义", "四人帮", "邓小平理论", "科学发展观", "改革开放"],
})


def test_default_is_the_largest_range_over_the_dated_documents() -> None:
    # Ranges (max - min over 1977, 1997, 2007, 2012; the undated column is not used):
    # 中国特色社会主义 27 - 0 = 27, 社会主义 60 - 40 = 20, 邓小平理论 14 - 0 = 14, 科学发展观 7 - 0 = 7,
    # 改革开放 5 - 0 = 5; 四人帮 is in one dated document only (45 - 0 = 45 but left out).
    assert default_trend_slogans(RATES, YEARS) == ["中国特色社会主义", "社会主义", "邓小平理论", "科学发展观", "改革开放"]
    assert default_trend_slogans(RATES, YEARS, top=2) == ["中国特色社会主义", "社会主义"]
    assert default_trend_slogans(RATES, YEARS, min_documents=1)[0] == "四人帮"
    # Present in at least 3 dated documents: 科学发展观 (2) is out, 改革开放 (3) stays.
    assert default_trend_slogans(RATES, YEARS, min_documents=3) == ["中国特色社会主义", "社会主义", "邓小平理论", "改革开放"]


def test_default_keeps_lexicon_formulations_given_the_slogans() -> None:
    # 社会主义 was quoted, not a lexicon entry; 改革开放 is the canonical form of the lexicon variant 改开.
    assert default_trend_slogans(RATES, YEARS, slogans=SLOGANS) == ["中国特色社会主义", "邓小平理论", "科学发展观",
                                                                   "改革开放"]
    assert default_trend_slogans(RATES, YEARS, slogans=SLOGANS, kinds=("quoted",)) == ["社会主义"]


def test_ties_go_to_the_larger_mean_then_the_text() -> None:
    rates = pd.DataFrame({"slogan": ["乙", "甲", "丙"], "a": [1.0, 1.0, 2.0], "b": [3.0, 3.0, 4.0]})
    # All three range 2; 丙 has the larger mean (3 against 2); then 乙 (U+4E59) before 甲 (U+7532).
    assert default_trend_slogans(rates, {"a": 2000, "b": 2001}) == ["丙", "乙", "甲"]


def test_nothing_to_choose() -> None:
    assert default_trend_slogans(RATES, {"undated": None}) == []
    assert default_trend_slogans(RATES.head(0), YEARS) == []
    with pytest.raises(ValueError, match="top"):
        default_trend_slogans(RATES, YEARS, top=0)


def _tick_labels(axes) -> list[str]:  # type: ignore[no-untyped-def]
    axes.figure.canvas.draw()
    low, high = axes.get_xlim()
    return [tick.get_text() for tick, value in zip(axes.get_xticklabels(), axes.get_xticks(), strict=True)
            if low <= value <= high]


def test_trend_years_are_a_numeric_axis_with_integer_ticks() -> None:
    figure = plots.trend_plot(RATES, YEARS)
    axes = figure.axes[0]
    lines = axes.get_lines()
    assert [line.get_label() for line in lines] == ["中国特色社会主义", "社会主义", "邓小平理论", "科学发展观", "改革开放"]
    # One point per dated document, in year order, at the year itself; a rate of 0 is drawn.
    assert list(lines[0].get_xdata()) == [1977, 1997, 2007, 2012]
    assert list(lines[0].get_ydata()) == [0.0, 12.0, 18.0, 27.0]
    assert all(line.get_marker() not in (None, "None", "") for line in lines)
    low, high = axes.get_xlim()
    assert low < 1977 and high > 2012 and high - low < 40
    labels = _tick_labels(axes)
    assert 2 <= len(labels) <= 9 and all(label.isdigit() and 1970 <= int(label) <= 2020 for label in labels)
    assert [int(label) for label in labels] == sorted(int(label) for label in labels)
    assert axes.get_legend() is not None


def test_a_gap_only_where_asked() -> None:
    axes = plots.trend_plot(RATES, YEARS, slogans=["改革开放"]).axes[0]
    assert not any(math.isnan(y) for y in axes.get_lines()[0].get_ydata())  # 1977 to 1997 joined by default
    axes = plots.trend_plot(RATES, YEARS, slogans=["改革开放"], gap_years=5).axes[0]
    xs, ys = list(axes.get_lines()[0].get_xdata()), list(axes.get_lines()[0].get_ydata())
    # 1977 → 1997 is 20 years (> 5): a NaN point between them; 1997 → 2007 is 10 (> 5); 2007 → 2012 is 5 (not).
    assert xs == [1977, 1987, 1997, 2002, 2007, 2012]
    assert [y if not math.isnan(y) else None for y in ys] == [0.0, None, 3.0, None, 4.0, 5.0]
    with pytest.raises(ValueError, match="gap_years"):
        plots.trend_plot(RATES, YEARS, gap_years=0)


def test_comparison_figures_default_to_lexicon_formulations() -> None:
    documents = pd.DataFrame({"document": ["c1977", "c1997", "c2007", "c2012"], "year": [1977, 1997, 2007, 2012],
                              "chars": [10_000] * 4}).astype({"year": "Int64"})
    tables = {"documents": documents, "slogan_rates": RATES.rename(columns={"formulation": "slogan"}),
              "formulation_rates": RATES, "slogans": SLOGANS}
    # More documents than the other figures fit (MAX_FIGURE_UNITS): only the trend is drawn, from these tables.
    extra = plots.MAX_FIGURE_UNITS + 1 - len(documents)
    tables["documents"] = pd.concat([documents, pd.DataFrame({"document": [f"d{i}" for i in range(extra)],
                                                              "year": [None] * extra, "chars": [1] * extra})]
                                    ).astype({"year": "Int64"})
    figures = plots.comparison_figures(tables, unit="document")
    assert list(figures) == ["trend"]
    labels = [line.get_label() for line in figures["trend"].axes[0].get_lines()]
    assert labels == ["中国特色社会主义", "邓小平理论", "科学发展观", "改革开放"]
    figures = plots.comparison_figures(tables, unit="document", trend=("社会主义",))
    assert [line.get_label() for line in figures["trend"].axes[0].get_lines()] == ["社会主义"]
