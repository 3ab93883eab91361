"""Views for exploring an analysed report in a notebook: top terms and slogans, labels, styled tables."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from zhpolicy.compare import section_label
from zhpolicy.figures.clouds import draw_wordcloud
from zhpolicy.figures.fonts import with_cjk_font
from zhpolicy.figures.plots import unit_labels
from zhpolicy.tables import stable_sort

#: Columns of :func:`leading_sections`.
LEADING_COLUMNS = ["slogan", "total", "section", "title", "count", "rate", "rate_all", "ratio", "share"]


def mark_slogans(tokens: Iterable[str], slogans: Iterable[str], *, sep: str = " | ") -> str:
    """Tokens joined by ``sep``, each token that is a slogan wrapped in 【】, to see segmentation at a glance.

    Examples
    --------
    >>> mark_slogans(["是", "万亿之城再出发", "的", "第一年"], ["万亿之城再出发"])
    '是 | 【万亿之城再出发】 | 的 | 第一年'
    """
    keep = frozenset(slogans)
    return sep.join(f"【{token}】" if token in keep else token for token in tokens)


def top_terms(term_freq: pd.DataFrame, *, top: int = 20) -> pd.DataFrame:
    """The most frequent terms of a document: ``term, count, sections`` (sections it occurs in).

    ``term_freq`` is the long ``section, term, count`` table. Sorted by count (descending), then term.
    """
    if term_freq.empty:
        return pd.DataFrame({"term": pd.Series(dtype=str), "count": pd.Series(dtype="int64"),
                             "sections": pd.Series(dtype="int64")})
    table = term_freq.groupby("term", as_index=False).agg(count=("count", "sum"),
                                                          sections=("section", "nunique"))
    table = table.astype({"count": "int64", "sections": "int64"})
    return stable_sort(table, ["count", "term"], [False, True]).head(top)


def top_slogans(slogans: pd.DataFrame, *, top: int = 20) -> pd.DataFrame:
    """The most frequent slogans of a document: ``slogan, kind, category, count, count_outside, sections``.

    ``slogans`` is the pipeline's ``slogans`` table (one row per slogan per section); counts are summed
    over sections. Sorted by count (descending), then slogan.
    """
    columns = ["slogan", "kind", "category", "count", "count_outside", "sections"]
    if slogans.empty:
        return pd.DataFrame(columns=columns)
    table = slogans.groupby("slogan", as_index=False, sort=False).agg(
        kind=("kind", "first"), category=("category", "first"), count=("count", "sum"),
        count_outside=("count_outside", "sum"), sections=("section", "nunique"))
    table["category"] = table["category"].fillna("")
    return stable_sort(table[columns], ["count", "slogan"], [False, True]).head(top)


def section_labels(sections: pd.DataFrame, *, width: int = 12) -> dict[int, str]:
    """Section number → short label ``"3 “满弓紧弦”再出发"`` for figures (see :func:`zhpolicy.figures.plots.unit_labels`).

    ``sections`` is the pipeline's ``sections`` table (``section, title, …``).
    """

    return unit_labels({int(n): str(t) for n, t in zip(sections["section"], sections["title"])}, width=width)


def section_columns(sections: pd.DataFrame, *, width: int = 12) -> dict[str, str]:
    """Column of the wide tables (``s01``, ``s02``, …) → short section label, in section order.

    This is the ``labels`` argument of :func:`zhpolicy.figures.plots.slogan_heatmap`.
    """

    return {section_label(n): label for n, label in section_labels(sections, width=width).items()}


def style_matrix(matrix: pd.DataFrame, sections: pd.DataFrame, *, top: int = 25, cmap: str = "YlOrRd") -> Any:
    """The slogan-by-section table (counts or rates) as a pandas Styler, shaded by value.

    The first ``top`` rows of ``matrix`` (``slogan, s01, …, total``), section columns renamed to their
    labels; every section column shares one colour scale (``total`` is left unshaded). Needs jinja2
    (a dependency of JupyterLab) and matplotlib.
    """
    columns = section_columns(sections)
    shown = matrix.head(top).set_index("slogan").rename(columns=columns)
    shaded = [label for label in columns.values() if label in shown.columns]
    floats = shown.select_dtypes("float").columns
    styler = shown.style.background_gradient(cmap=cmap, axis=None, subset=shaded)
    return styler.format("{:.1f}", subset=list(floats)) if len(floats) else styler


def leading_sections(matrix: pd.DataFrame, rates: pd.DataFrame, sections: pd.DataFrame, *,
                     min_total: int = 2) -> pd.DataFrame:
    """Which section pushes which slogan: for each slogan, the section where its rate is highest.

    Parameters
    ----------
    matrix, rates : the ``slogan_matrix`` and ``slogan_rates`` tables (``slogan, s01, …, total``).
    sections : the ``sections`` table, for titles.
    min_total : slogans counted fewer times in the whole document are left out.

    Returns
    -------
    ``slogan, total, section, title, count, rate, rate_all, ratio, share``: the leading section's
    number and title, the slogan's count and rate (per 10,000 characters) there, its rate over the
    whole document (``rate_all``), ``ratio = rate / rate_all`` (how many times denser than on average)
    and ``share = count / total`` (the part of all its mentions found there). Ties in rate go to the
    earlier section. Sorted by total (descending), then slogan.
    """

    columns = {section_label(n): int(n) for n in sections["section"]}
    titles = dict(zip(sections["section"].astype(int), sections["title"].astype(str)))
    chosen = matrix[matrix["total"] >= min_total]
    if chosen.empty:
        return pd.DataFrame(columns=LEADING_COLUMNS)
    by_rate = rates.set_index("slogan").loc[chosen["slogan"], list(columns)]
    leader = by_rate.idxmax(axis=1)  # first column of the highest rate
    counts = chosen.set_index("slogan")
    rows = []
    for slogan, column in leader.items():
        count = int(counts.loc[slogan, column])
        total = int(counts.loc[slogan, "total"])
        rate = float(by_rate.loc[slogan, column])
        rate_all = float(rates.set_index("slogan").loc[slogan, "total"])
        ratio = round(rate / rate_all, 2) if rate_all else 0.0
        rows.append((slogan, total, columns[column], titles[columns[column]], count, round(rate, 2),
                     round(rate_all, 2), ratio, round(count / total, 2)))
    table = pd.DataFrame(rows, columns=LEADING_COLUMNS)
    return stable_sort(table, ["total", "slogan"], [False, True])


def key_terms(keyness: pd.DataFrame, sections: pd.DataFrame, *, top: int = 5,
              max_p: float = 0.05) -> pd.DataFrame:
    """The key terms of each section in one row: ``section, title, terms`` (``提案 (G²=29.9)``, …).

    Only over-represented terms (``g2 > 0``) with ``p <= max_p`` are listed, at most ``top`` per
    section, strongest first; sections without any get an empty string.
    """
    titles = dict(zip(sections["section"].astype(int), sections["title"].astype(str)))
    rows = []
    for number, title in titles.items():
        chosen = keyness[(keyness["section"] == number) & (keyness["g2"] > 0) & (keyness["p"] <= max_p)]
        chosen = stable_sort(chosen, ["g2", "term"], [False, True]).head(top)
        terms = "、".join(f"{term} (G²={g2:.1f})" for term, g2 in zip(chosen["term"], chosen["g2"]))
        rows.append((number, title, terms))
    return pd.DataFrame(rows, columns=["section", "title", "terms"])


def tfidf_summary(tfidf: pd.DataFrame, sections: pd.DataFrame, *, top: int = 8) -> pd.DataFrame:
    """Each section's first ``top`` TF-IDF terms in one row: ``section, title, terms`` (rank order)."""
    titles = dict(zip(sections["section"].astype(int), sections["title"].astype(str)))
    rows = []
    for number, title in titles.items():
        chosen = tfidf[(tfidf["section"] == number) & (tfidf["rank"] <= top)].sort_values("rank")
        rows.append((number, title, "、".join(chosen["term"])))
    return pd.DataFrame(rows, columns=["section", "title", "terms"])


@with_cjk_font
def wordcloud_grid(term_freq: pd.DataFrame, sections: pd.DataFrame, *, columns: int = 3,
                   numbers: Sequence[int] | None = None, max_words: int = 60, dpi: int = 100) -> Any:
    """One small word cloud per section in a grid, each titled with the section's label.

    ``numbers`` picks the sections (default all with terms). Returns a matplotlib Figure.
    """
    from matplotlib.figure import Figure


    labels = section_labels(sections, width=16)
    frequencies: Mapping[int, dict[str, int]] = {
        int(n): dict(zip(rows["term"], rows["count"].astype(int)))
        for n, rows in term_freq.groupby("section")}
    chosen = [n for n in (numbers if numbers is not None else labels) if frequencies.get(n)]
    columns = max(1, min(columns, len(chosen)))
    rows = max(1, -(-len(chosen) // columns))
    figure = Figure(figsize=(4.0 * columns, 3.3 * rows), dpi=dpi, layout="constrained")
    grid = figure.subplots(rows, columns, squeeze=False)
    for index, axes in enumerate(grid.flat):
        axes.set_axis_off()
        if index < len(chosen):
            number = chosen[index]
            cloud = draw_wordcloud(frequencies[number], width=400, height=300, max_words=max_words)
            axes.imshow(cloud.to_array(), interpolation="bilinear")
            axes.set_title(labels.get(number, str(number)), fontsize=10)
    return figure
