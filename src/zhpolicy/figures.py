"""Figures with a real CJK font: word clouds (returned, never written here)."""
from __future__ import annotations

import importlib.util
from collections.abc import Mapping
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
    jobs = {name: dict(freqs) for name, freqs in frequencies.items() if any(v > 0 for v in freqs.values())}
    if workers > 1 and len(jobs) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            images = pool.map(_cloud_image, jobs.values())
            return dict(zip(jobs, images))
    return {name: _cloud_image(freqs) for name, freqs in jobs.items()}


def _cloud_image(frequencies: Mapping[str, int]) -> Any:
    return draw_wordcloud(frequencies).to_image()
