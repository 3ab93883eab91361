"""Comparison figures (heatmap, keyness, category shares, comparison cloud, trend, changes) and which of them a set of tables gets."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    pass

import logging

import pandas as pd

from zhpolicy.compare import default_trend_slogans, section_label
from zhpolicy.figures.clouds import draw_wordcloud
from zhpolicy.figures.fonts import font_for, with_cjk_font

logger = logging.getLogger(__name__)


# --- comparison figures (matplotlib Figures, never written here) -----------------------------------

#: Colours of sections/documents in comparison figures (matplotlib's tab10, then tab20's light shades).
UNIT_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                "#bcbd22", "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94",
                "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5")
#: Colours of compare statuses.
STATUS_COLOURS = {"appeared": "#1a7f37", "rose": "#7fc97f", "same": "#bbbbbb", "fell": "#f4a582",
                  "disappeared": "#b2182b"}


def shorten_title(title: str, *, width: int = 14) -> str:
    """A heading cut to ``width`` characters (with …) for axis labels; ``#`` marks and spaces trimmed.

    Examples
    --------
    >>> shorten_title("天宁区“两会”闭幕 “万亿之城再出发” 牢牢扛起主城担当")
    '天宁区“两会”闭幕 “万亿…'
    """
    text = " ".join(title.strip().lstrip("#").split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def unit_labels(titles: Mapping[Any, str], *, width: int = 14) -> dict[Any, str]:
    """Axis labels ``1 标题…`` for sections (key → title), keeping the order given."""
    return {key: f"{index} {shorten_title(title, width=width)}".strip()
            for index, (key, title) in enumerate(titles.items(), start=1)}


def _figure(width: float, height: float, *, dpi: int = 100) -> Any:
    """A matplotlib Figure outside pyplot (no GUI backend, no global registry) with the CJK font."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=dpi, layout="constrained")


@with_cjk_font
def slogan_heatmap(
    matrix: Any, labels: Mapping[str, str], *, rates: Any = None, top: int = 30, unit_name: str = "部分",
    dpi: int = 100,
) -> Any:
    """Heatmap of the slogan matrix: the ``top`` slogans by total (rows) by section or document (columns).

    Parameters
    ----------
    matrix : ``slogan, <unit columns>, total`` (see :func:`zhpolicy.compare.slogan_matrix`).
    labels : unit column → axis label, in column order (e.g. ``{"s01": "1 天宁区“两会”闭幕…"}``).
    rates : the same table per 10,000 characters; when given the colour shows rates, the numbers counts.
    top : most slogans shown.
    unit_name : what a column is, in the title (``部分`` sections, ``文档`` documents).

    Returns
    -------
    matplotlib.figure.Figure
        About 100 px per inch at ``dpi``.
    """
    import numpy as np

    rows = matrix.head(top)
    columns = list(labels)
    counts = rows[columns].to_numpy(dtype=float) if len(rows) else np.zeros((0, len(columns)))
    shade = counts if rates is None else rates.set_index("slogan").loc[rows["slogan"], columns].to_numpy(dtype=float)
    height = 2.6 + 0.32 * max(len(rows), 1)
    width = 3.5 + 0.75 * max(len(columns), 1)
    figure = _figure(width, height, dpi=dpi)
    axes = figure.add_subplot()
    image = axes.imshow(shade if len(rows) else np.zeros((1, len(columns))), aspect="auto", cmap="YlOrRd",
                        interpolation="nearest")
    for i in range(counts.shape[0]):
        for j in range(counts.shape[1]):
            if counts[i, j]:
                dark = shade[i, j] > 0.6 * (shade.max() or 1)
                axes.text(j, i, f"{int(counts[i, j])}", ha="center", va="center", fontsize=8,
                          color="white" if dark else "black")
    axes.set_xticks(range(len(columns)), [labels[c] for c in columns], rotation=40, ha="right", fontsize=9)
    axes.set_yticks(range(len(rows)), list(rows["slogan"]), fontsize=9)
    figure.colorbar(image, ax=axes, shrink=0.6, label="每万字次数" if rates is not None else "次数")
    axes.set_title(f"口号与提法 × {unit_name} (前 {len(rows)} 个, 按总次数)", fontsize=11)
    return figure


@with_cjk_font
def keyness_plot(
    keyness: Any, labels: Mapping[Any, str], *, unit: str = "section", top: int = 8, columns: int = 3,
    dpi: int = 100,
) -> Any:
    """Bar plots of the ``top`` key terms (largest positive G2) of each section or document.

    ``keyness`` is the table of :func:`zhpolicy.stats.keyness`; ``labels`` maps each unit to its
    panel title, in panel order. Returns a matplotlib Figure.
    """
    units = list(labels)
    columns = max(1, min(columns, len(units)))
    rows = max(1, -(-len(units) // columns))
    figure = _figure(4.2 * columns, 0.28 * top * rows + 0.9 * rows + 0.6, dpi=dpi)
    grid = figure.subplots(rows, columns, squeeze=False)
    for index, axes in enumerate(grid.flat):
        if index >= len(units):
            axes.set_axis_off()
            continue
        key = units[index]
        chosen = keyness[(keyness[unit] == key) & (keyness["g2"] > 0)].head(top)
        colour = UNIT_COLOURS[index % len(UNIT_COLOURS)]
        axes.barh(range(len(chosen)), chosen["g2"], color=colour)
        axes.set_yticks(range(len(chosen)), list(chosen["term"]), fontsize=9)
        axes.invert_yaxis()
        axes.set_title(labels[key], fontsize=10)
        axes.tick_params(axis="x", labelsize=8)
        if not len(chosen):
            axes.text(0.5, 0.5, "无显著关键词", ha="center", va="center", transform=axes.transAxes, fontsize=9)
    name = "部分" if unit == "section" else "文档"
    figure.suptitle(f"各{name}关键词 (对数似然 G², 与其余{name}相比)", fontsize=12)
    return figure


def comparison_weights(term_freq: Any, *, unit: str = "section") -> dict[str, tuple[Any, float]]:
    """Term → (the unit it dominates, weight) for a comparison cloud, as R's ``comparison.cloud``.

    Each term's rate in each unit (its count over the unit's terms) is compared with its mean rate over
    the units; the term goes to the unit of the highest rate, weighted by ``max rate - mean rate`` (per
    1,000 terms). Terms spread evenly (weight 0) are left out.
    """
    wide = term_freq.pivot_table(index="term", columns=unit, values="count", aggfunc="sum", fill_value=0)
    if wide.empty:
        return {}
    rates = wide / wide.sum(axis=0).replace(0, 1) * 1000
    excess = rates.max(axis=1) - rates.mean(axis=1)
    owner = rates.idxmax(axis=1)
    return {str(term): (owner[term], float(weight)) for term, weight in excess.items() if weight > 1e-12}


@with_cjk_font
def comparison_cloud(
    term_freq: Any, labels: Mapping[Any, str], *, unit: str = "section", max_words: int = 150,
    width: int = 1100, height: int = 800, seed: int = 42, dpi: int = 100,
) -> Any:
    """A comparison word cloud: each term in the colour of the section (or document) it dominates.

    Word size is the term's excess rate in that unit (see :func:`comparison_weights`); a legend names
    the colours. Returns a matplotlib Figure of ``width`` x ``height`` pixels at ``dpi``.
    """
    from matplotlib.patches import Patch

    weights = comparison_weights(term_freq, unit=unit)
    units = list(labels)
    colour_of = {key: UNIT_COLOURS[i % len(UNIT_COLOURS)] for i, key in enumerate(units)}
    figure = _figure(width / dpi, height / dpi, dpi=dpi)
    axes = figure.add_subplot()
    axes.set_axis_off()
    if weights:
        with font_for(weights) as font_path:
            cloud = draw_wordcloud({term: max(1, round(w * 100)) for term, (_, w) in weights.items()},
                                   width=width, height=int(height * 0.78), max_words=max_words, seed=seed,
                                   font_path=font_path)
            cloud.recolor(color_func=lambda word, **_: colour_of.get(weights[word][0], "#444444"))
            pixels = cloud.to_array()
        axes.imshow(pixels, interpolation="bilinear")
    handles = [Patch(color=colour_of[key], label=labels[key]) for key in units]
    figure.legend(handles=handles, loc="outside lower center", ncols=min(5, max(1, len(units))), fontsize=9,
                  frameon=False)
    axes.set_title(f"对比词云: 每个词的颜色是它最突出的{'部分' if unit == 'section' else '文档'}", fontsize=11)
    return figure


@with_cjk_font
def category_shares_plot(shares: Any, labels: Mapping[Any, str], *, unit: str = "section", dpi: int = 100) -> Any:
    """Stacked horizontal bars: each section's (or document's) lexicon slogan mentions by category.

    ``shares`` is the table of :func:`zhpolicy.compare.category_shares`; ``labels`` maps units to bar
    labels, in bar order (units without categorised slogans get an empty bar). Returns a Figure.
    """
    units = list(labels)
    categories = sorted(shares["category"].unique()) if len(shares) else []
    figure = _figure(9.5, 1.6 + 0.42 * max(len(units), 1), dpi=dpi)
    axes = figure.add_subplot()
    left = [0.0] * len(units)
    palette = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
               "#9c755f", "#bab0ac", "#1b9e77", "#d95f02", "#7570b3", "#e7298a")
    for index, category in enumerate(categories):
        values = []
        for key in units:
            row = shares[(shares[unit] == key) & (shares["category"] == category)]
            values.append(float(row["share"].sum()) * 100)
        axes.barh(range(len(units)), values, left=left, label=str(category), color=palette[index % len(palette)])
        left = [a + b for a, b in zip(left, values)]
    axes.set_yticks(range(len(units)), [labels[key] for key in units], fontsize=9)
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel("占已分类提法次数的百分比 (%)")
    axes.set_title("提法类别构成", fontsize=11)
    if categories:
        axes.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)
    return figure


#: Marker of each trend line, in turn with the colours, so lines stay apart in grey print.
TREND_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
#: Characters per line of a trend legend entry (longer formulations are wrapped).
TREND_LABEL_CHARS = 12


@with_cjk_font
def trend_plot(
    rates: Any, years: Mapping[str, int | None], *, slogans: Sequence[str] | None = None, top: int = 8,
    gap_years: int | None = None, dpi: int = 100,
) -> Any:
    """Slogans across reports by year: rate per 10,000 characters, one line per slogan.

    One point (a marker) per document with a year, at that year on a numeric axis with a few integer
    ticks; a rate of 0 is a real 0 and is drawn. Consecutive documents are joined, however far apart
    their years (congress reports come every five years); with ``gap_years`` the line is broken where
    two consecutive documents are more than ``gap_years`` years apart. The legend stands right of the
    plot, in the order of ``slogans``.

    Parameters
    ----------
    rates : a rates table across documents, the first column the slogan or formulation (the corpus
        ``slogan_rates`` or ``formulation_rates``), then one column per document.
    years : document → year (documents without a year are left out).
    slogans : the rows to draw; by default :func:`zhpolicy.compare.default_trend_slogans` (the ``top``
        whose rate changes most across the years), or the ``top`` first rows when none qualifies.
    gap_years : break the lines between documents more than this many years apart (None: never).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        When no document has a year.
    """
    from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

    dated = sorted(((year, name) for name, year in years.items() if year is not None and name in rates.columns))
    if not dated:
        raise ValueError("no document has a year: give one in the front matter (year: 2024) or the file name")
    if gap_years is not None and gap_years < 1:
        raise ValueError(f"gap_years must be at least 1 (or None), got {gap_years}")
    label = rates.columns[0]
    if slogans is None:
        chosen = default_trend_slogans(rates, years, top=top) or list(rates[label].head(top))
    else:
        chosen = list(slogans)
    table = rates.set_index(label)
    drawn = [item for item in dict.fromkeys(chosen) if item in table.index]
    xs = [float(year) for year, _ in dated]
    breaks = {index for index in range(1, len(xs)) if gap_years is not None and xs[index] - xs[index - 1] > gap_years}
    figure = _figure(10, 5.5, dpi=dpi)
    axes = figure.add_subplot()
    for index, item in enumerate(drawn):
        x_line: list[float] = []
        y_line: list[float] = []
        for position, (x, (_, name)) in enumerate(zip(xs, dated, strict=True)):
            if position in breaks:  # a NaN point between the two documents breaks the line there
                x_line.append((xs[position - 1] + x) / 2)
                y_line.append(float("nan"))
            x_line.append(x)
            y_line.append(float(table.loc[item, name]))
        axes.plot(x_line, y_line, marker=TREND_MARKERS[index % len(TREND_MARKERS)], markersize=5, linewidth=1.6,
                  label=_wrap(str(item), TREND_LABEL_CHARS), color=UNIT_COLOURS[index % len(UNIT_COLOURS)])
    first, last = xs[0], xs[-1]
    margin = max(0.6, (last - first) * 0.03)
    axes.set_xlim(first - margin, last + margin)
    axes.xaxis.set_major_locator(MaxNLocator(nbins=8, steps=[1, 2, 5, 10], integer=True, min_n_ticks=1))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.0f}"))
    axes.xaxis.set_minor_locator(FixedLocator(sorted(set(xs))))  # a small tick at each document's year
    axes.set_ylim(-0.02 * axes.get_ylim()[1], axes.get_ylim()[1])  # markers at 0 shown whole
    axes.grid(axis="y", color="#dddddd", linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.set_xlabel("年份")
    axes.set_ylabel("每万字次数")
    axes.set_title("口号与提法的年度变化", fontsize=11)
    if drawn:
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False)
    return figure


def _wrap(text: str, width: int) -> str:
    """``text`` cut into lines of ``width`` characters (a legend entry for a long formulation)."""
    return "\n".join(text[start:start + width] for start in range(0, len(text), width)) or text


@with_cjk_font
def change_plot(comparison: Any, *, names: tuple[str, str] = ("A", "B"), top: int = 10, dpi: int = 100) -> Any:
    """What rose and fell between two reports: per-10,000-character change of the largest movers.

    Two panels (slogans, terms), each with the ``top`` largest rises and the ``top`` largest falls of
    :func:`zhpolicy.compare.compare_documents`, coloured by status (appeared, rose, fell,
    disappeared). Returns a matplotlib Figure.
    """
    import pandas as pd
    from matplotlib.patches import Patch

    figure = _figure(12, 0.3 * 2 * top + 2.0, dpi=dpi)
    panels = figure.subplots(1, 2, squeeze=False)[0]
    for axes, kind, title in zip(panels, ("slogan", "term"), ("口号与提法", "词语")):
        rows = comparison[(comparison["kind"] == kind) & (comparison["status"] != "same")]
        rises = rows[rows["change"] > 0].head(top)
        falls = rows[rows["change"] < 0].tail(top)
        chosen = pd.concat([rises, falls])
        axes.barh(range(len(chosen)), chosen["change"], color=[STATUS_COLOURS[s] for s in chosen["status"]])
        axes.set_yticks(range(len(chosen)), list(chosen["item"]), fontsize=9)
        axes.invert_yaxis()
        axes.axvline(0, color="#333333", linewidth=0.8)
        axes.set_xlabel("每万字次数的变化")
        axes.set_title(f"{title}: {names[0]} → {names[1]}", fontsize=11)
    handles = [Patch(color=colour, label=label) for label, colour in
               zip(("新出现", "上升", "下降", "消失"), (STATUS_COLOURS[s] for s in ("appeared", "rose", "fell", "disappeared")))]
    figure.legend(handles=handles, loc="outside lower center", ncols=4, fontsize=9, frameon=False)
    return figure


#: Sections (or documents) a figure draws one column, panel or bar for, at most: beyond that the
#: per-unit figures (heatmap, keyness, category shares, comparison cloud, a word cloud per section) are
#: not drawn, with a warning, and the tables hold every unit. A document cut into thousands of
#: sections would otherwise get images of a million pixels a side.
MAX_FIGURE_UNITS = 60


def figures_fit(units: int) -> bool:
    """Whether per-unit figures (per-section word clouds, heatmap, keyness …) are drawn for ``units`` units:
    at most :data:`MAX_FIGURE_UNITS`."""
    return units <= MAX_FIGURE_UNITS


def comparison_figures(tables: Mapping[str, pd.DataFrame], *, unit: str = "section",
                       trend: tuple[str, ...] = ()) -> dict[str, Any]:
    """Image name → matplotlib Figure: ``slogan_heatmap``, ``keyness``, ``category_shares``,
    ``comparison_cloud`` (and ``trend`` for documents with years: the slogans ``trend``, by default the
    8 lexicon formulations whose rates change most, see :func:`zhpolicy.compare.default_trend_slogans`), from a document's or the corpus's tables. With more than
    :data:`MAX_FIGURE_UNITS` sections (documents) only the trend is drawn."""

    if unit == "section":
        sections = tables["sections"]
        titles = {int(n): str(t) for n, t in zip(sections["section"], sections["title"])}
        labels = unit_labels(titles)
        columns = {section_label(n): labels[n] for n in titles}
    else:
        names = list(tables["documents"]["document"])
        labels = {name: shorten_title(name, width=24) for name in names}
        columns = dict(labels)
    result: dict[str, Any] = {}
    if not figures_fit(len(labels)):
        logger.warning("%d %ss: more than %d, so no per-%s figures or word clouds are drawn (the "
                       "tables have every %s)", len(labels), unit, MAX_FIGURE_UNITS, unit, unit)
    else:
        counts, rates = _heatmap_tables(tables)
        result = {
            "slogan_heatmap": slogan_heatmap(counts, columns, rates=rates,
                                                     unit_name="部分" if unit == "section" else "文档"),
            "keyness": keyness_plot(tables["keyness"], labels, unit=unit),
            "category_shares": category_shares_plot(tables["category_shares"], labels, unit=unit),
        }
        term_freq = tables["term_freq"]
        if len(term_freq) and term_freq[unit].nunique() > 1:
            result["comparison_cloud"] = comparison_cloud(term_freq, labels, unit=unit)
    if unit == "document":
        documents = tables["documents"]
        years = {name: (None if pd.isna(year) else int(year)) for name, year in zip(documents["document"], documents["year"])}
        if any(year is not None for year in years.values()):
            unknown = sorted(set(trend) - set(tables["slogan_rates"]["slogan"]))
            if unknown:
                logger.warning("trend: not found in any document: %s (a phrase of your own needs "
                               "--lexicon)", ", ".join(unknown))
            rates, chosen = tables["slogan_rates"], list(trend) or None
            if not trend and "formulation_rates" in tables:  # by default the lexicon formulations that change most
                formulations = default_trend_slogans(tables["formulation_rates"], years, slogans=tables["slogans"])
                if formulations:
                    rates, chosen = tables["formulation_rates"], formulations
            result["trend"] = trend_plot(rates, years, slogans=chosen)
    return result


def _heatmap_tables(tables: Mapping[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Counts and rates for the heatmap: by formulation (variants summed into their canonical form)
    where the tables have it, else by slogan."""
    if "formulation_matrix" in tables:
        return (tables["formulation_matrix"].rename(columns={"formulation": "slogan"}),
                tables["formulation_rates"].rename(columns={"formulation": "slogan"}))
    return tables["slogan_matrix"], tables["slogan_rates"]
