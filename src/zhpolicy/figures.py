"""Figures with a real CJK font: word clouds (returned, never written here)."""
from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wordcloud import WordCloud

#: The font drawn with: Noto Sans CJK SC (SIL Open Font License), installed by the mplfonts package.
FONT_FILE = "NotoSansCJKsc-Regular.otf"


@cache
def cjk_font_path() -> Path:
    """Path of the bundled Noto Sans CJK SC font (from the mplfonts package; no system font needed)."""
    spec = importlib.util.find_spec("mplfonts")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        path = Path(location) / "fonts" / FONT_FILE
        if path.is_file():
            return path
    raise FileNotFoundError(f"{FONT_FILE} not found: install zhpolicy's dependency mplfonts (pip install mplfonts)")


def subset_font(characters: Iterable[str], *, font_path: Path | None = None, layout_features: bool = False) -> bytes:
    """The font (by default the CJK font) cut down to ``characters`` (single characters), as OpenType
    bytes: the same glyphs, metrics and hints. With ``layout_features`` it keeps the OpenType features
    a text layout applies by default (HarfBuzz's default list: kerning, ligatures, localised forms…),
    as Pillow with raqm does when it draws a word cloud; without, none (a browser drawing horizontal
    Chinese does not need them, and the font is smaller).

    Cut with HarfBuzz's hb-subset (uharfbuzz): a few milliseconds, where fontTools' subsetter takes
    0.3-0.4 s on this 65,000-glyph CFF font. The same characters give the same bytes.
    """
    import uharfbuzz as hb

    path = font_path or cjk_font_path()
    request = hb.SubsetInput()
    request.unicode_set.update(sorted({ord(ch) for ch in characters}))
    if not layout_features:
        request.layout_feature_tag_set.clear()
    request.flags = hb.SubsetFlags.NOTDEF_OUTLINE  # the .notdef box shows, should a character be missing
    cut = hb.subset(hb.Face(hb.Blob.from_file_path(str(path))), request)
    if cut is None:
        raise RuntimeError(f"HarfBuzz could not subset {path}")
    return bytes(cut.blob.data)


@contextmanager
def font_for(words: Iterable[str]) -> Iterator[Path]:
    """A temporary file holding the CJK font cut to the characters of ``words`` (layout features kept,
    see :func:`subset_font`), removed when the block ends, whatever happens in it.

    A word cloud opens its font for every size it tries (hundreds of times a cloud): with the cut font
    it draws the same pixels in about half the time as with the whole 16 MB font.
    """
    import tempfile

    data = subset_font(set("".join(words)), layout_features=True)
    handle, name = tempfile.mkstemp(prefix="zhpolicy-font-", suffix=".otf")
    path = Path(name)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        yield path
    finally:
        path.unlink(missing_ok=True)


@cache
def font_charmap(font_path: Path | None = None) -> frozenset[int]:
    """The code points the font has glyphs for."""
    from matplotlib.ft2font import FT2Font

    return frozenset(FT2Font(str(font_path or cjk_font_path())).get_charmap())


def missing_glyphs(text: str, font_path: Path | None = None) -> set[str]:
    """Characters of ``text`` (other than whitespace) that the font cannot draw."""
    charmap = font_charmap(font_path)
    return {ch for ch in text if not ch.isspace() and ord(ch) not in charmap}


def use_cjk_font() -> str:
    """Register the CJK font with matplotlib and make it the default; returns its family name."""
    from matplotlib import font_manager, rcParams

    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    rcParams["font.family"] = [name]
    rcParams["axes.unicode_minus"] = False
    return name


def draw_wordcloud(
    frequencies: Mapping[str, int],
    *,
    width: int = 800,
    height: int = 600,
    max_words: int = 150,
    font_path: Path | None = None,
    seed: int = 42,
) -> WordCloud:
    """A word cloud drawn from term frequencies (not from raw text) with the CJK font.

    The layout is fixed by ``seed``, so the same frequencies give the same picture. Raises
    ValueError when ``frequencies`` is empty. ``cloud.to_image()`` gives a PIL image and
    ``cloud.layout_`` the words drawn.
    """
    from wordcloud import WordCloud

    words = {word: count for word, count in frequencies.items() if count > 0}
    if not words:
        raise ValueError("no terms to draw a word cloud from")
    cloud = WordCloud(
        font_path=str(font_path or cjk_font_path()),
        width=width,
        height=height,
        max_words=max_words,
        background_color="white",
        colormap="viridis",
        prefer_horizontal=0.95,
        random_state=seed,
        collocations=False,
        include_numbers=True,
        normalize_plurals=False,
        relative_scaling=0.5,
    )
    return cloud.generate_from_frequencies(words)


def render_wordclouds(frequencies: Mapping[str, Mapping[str, int]], *, workers: int = 1) -> dict[str, Any]:
    """Draw one word cloud per entry (name → term frequencies) and return name → PIL image.

    Entries with no terms are skipped. With ``workers`` > 1 the clouds are drawn in that many
    processes; the pictures are the same either way.
    """
    return start_wordclouds(frequencies, workers=workers)()


def start_wordclouds(frequencies: Mapping[str, Mapping[str, int]], *,
                     workers: int = 1) -> Callable[[], dict[str, Any]]:
    """Start drawing the word clouds of :func:`render_wordclouds` and return a function that waits for
    them (name → PIL image). With ``workers`` > 1 they are drawn in worker processes while the caller
    goes on (drawing the other figures, say); with 1 they are drawn when the function is called."""
    jobs = {name: dict(freqs) for name, freqs in frequencies.items() if any(v > 0 for v in freqs.values())}
    if workers > 1 and len(jobs) > 1:
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(max_workers=workers)
        futures = {name: pool.submit(_cloud_image, freqs) for name, freqs in jobs.items()}

        def wait() -> dict[str, Any]:
            try:
                return {name: future.result() for name, future in futures.items()}
            finally:
                pool.shutdown(cancel_futures=True)

        return wait
    return lambda: {name: _cloud_image(freqs) for name, freqs in jobs.items()}


def _cloud_image(frequencies: Mapping[str, int]) -> Any:
    """The cloud as a PIL image, drawn with the font cut to its words (:func:`font_for`)."""
    with font_for(word for word, count in frequencies.items() if count > 0) as font_path:
        return draw_wordcloud(frequencies, font_path=font_path).to_image()


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

    use_cjk_font()
    return Figure(figsize=(width, height), dpi=dpi, layout="constrained")


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

    Returns a matplotlib Figure (about 100 px per inch at ``dpi``).
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


def keyness_plot(
    keyness: Any, labels: Mapping[Any, str], *, unit: str = "section", top: int = 8, columns: int = 3,
    dpi: int = 100,
) -> Any:
    """Bar plots of the ``top`` key terms (largest positive G2) of each section or document.

    ``keyness`` is the table of :func:`zhpolicy.compare.keyness`; ``labels`` maps each unit to its
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


def trend_plot(
    rates: Any, years: Mapping[str, int | None], *, slogans: Sequence[str] | None = None, top: int = 8,
    dpi: int = 100,
) -> Any:
    """Slogans across reports by year: rate per 10,000 characters, one line per slogan.

    Parameters
    ----------
    rates : the corpus ``slogan_rates`` table (``slogan, <one column per document>, total``).
    years : document → year (documents without a year are left out).
    slogans : the slogans to draw; by default the ``top`` of the table (highest total first).

    Raises ValueError when no document has a year. Returns a matplotlib Figure.
    """
    dated = sorted(((year, name) for name, year in years.items() if year is not None and name in rates.columns))
    if not dated:
        raise ValueError("no document has a year: give one in the front matter (year: 2024) or the file name")
    chosen = list(slogans) if slogans is not None else list(rates["slogan"].head(top))
    table = rates.set_index("slogan")
    figure = _figure(9.5, 5.5, dpi=dpi)
    axes = figure.add_subplot()
    for index, slogan in enumerate(chosen):
        if slogan not in table.index:
            continue
        axes.plot([year for year, _ in dated], [float(table.loc[slogan, name]) for _, name in dated], marker="o",
                  label=slogan, color=UNIT_COLOURS[index % len(UNIT_COLOURS)])
    axes.set_xticks(sorted({year for year, _ in dated}))
    axes.set_xlabel("年份")
    axes.set_ylabel("每万字次数")
    axes.set_title("口号与提法的年度变化", fontsize=11)
    axes.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=9, frameon=False)
    return figure


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
