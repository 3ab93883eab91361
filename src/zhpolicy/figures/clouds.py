"""Word clouds drawn from term frequencies with the CJK font (returned, never written here)."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wordcloud import WordCloud

import logging

import pandas as pd

from zhpolicy.figures.fonts import cjk_font_path, font_for
from zhpolicy.stats.terms import TermCounts, term_freq_frames

logger = logging.getLogger(__name__)


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

    Terms are sized by their counts (``relative_scaling`` 0.5), drawn as given: no collocations, no
    plural folding, numbers kept. The layout is fixed by ``seed``, so the same frequencies give the
    same picture. Nothing is written: ``cloud.to_image()`` gives a PIL image and ``cloud.layout_``
    the words drawn.

    Parameters
    ----------
    frequencies : Mapping of str to int
        Term → count (e.g. a section's row of ``term_freq``); counts of 0 or less are left out.
    width, height : int, default 800, 600
        Size of the picture, in pixels.
    max_words : int, default 150
        Most terms drawn (the most frequent).
    font_path : Path, optional
        The font to draw with; by default the CJK font (:func:`zhpolicy.figures.fonts.cjk_font_path`).
    seed : int, default 42
        Seed of the layout.

    Returns
    -------
    wordcloud.WordCloud
        The cloud, laid out.

    Raises
    ------
    ValueError
        No term has a count above zero.

    Examples
    --------
    >>> cloud = draw_wordcloud({"改革": 30, "开放": 20, "四个走在前": 12})  # doctest: +SKIP
    >>> cloud.to_image().size  # doctest: +SKIP
    (800, 600)
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


def wordcloud_frequencies(terms: pd.DataFrame | TermCounts, *, sections: bool = True) -> dict[str, dict[str, int]]:
    """Image name → term frequencies, most frequent first, ties by term: ``wordcloud`` for the whole
    document and, with ``sections``, ``wordcloud_sNN`` per section; from the ``term_freq`` table or
    the analysis's term counts (``analysis.term_counts``)."""
    counts = terms if isinstance(terms, TermCounts) else TermCounts.from_frame(terms, unit="section")
    result = {"wordcloud": dict(counts.totals())}
    if sections:
        for table in term_freq_frames(counts):
            for section, rows in table.groupby("section", sort=True):
                result[f"wordcloud_s{int(section):02d}"] = dict(zip(rows["term"], rows["count"].astype(int)))
    return result
