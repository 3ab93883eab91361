"""The CJK font: where it is, which characters it covers, cut to the characters a figure draws."""
from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cache, wraps
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


#: The font drawn with: Noto Sans CJK SC (SIL Open Font License), installed by the mplfonts package.
FONT_FILE = "NotoSansCJKsc-Regular.otf"


@cache
def cjk_font_path() -> Path:
    """Path of the bundled Noto Sans CJK SC font (from the mplfonts package; no system font needed).

    Looked up once per process.

    Returns
    -------
    Path
        The font file, ``NotoSansCJKsc-Regular.otf`` (:data:`FONT_FILE`).

    Raises
    ------
    FileNotFoundError
        The mplfonts package, or the font in it, is not installed.

    Examples
    --------
    >>> cjk_font_path().name
    'NotoSansCJKsc-Regular.otf'
    """
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

    Cut with HarfBuzz's hb-subset (uharfbuzz). The same characters give the same bytes.
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

    A word cloud opens its font for every size it tries (hundreds of times a cloud), so it is given only
    the glyphs it draws; the pixels are the same as with the whole font.
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
    """Characters of ``text`` (other than whitespace) that the font cannot draw.

    Parameters
    ----------
    text : str
        The text to draw (terms, titles).
    font_path : Path, optional
        The font to check; by default the CJK font (:func:`cjk_font_path`).

    Returns
    -------
    set of str
        The characters without a glyph in the font; empty when it draws them all.

    Examples
    --------
    >>> missing_glyphs("四个走在前 2024")
    set()
    """
    charmap = font_charmap(font_path)
    return {ch for ch in text if not ch.isspace() and ord(ch) not in charmap}


@cache
def _registered_family() -> str:
    """The CJK font registered with matplotlib's font manager (once per process); its family name."""
    from matplotlib import font_manager

    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    return str(font_manager.FontProperties(fname=str(path)).get_name())


def cjk_rc() -> dict[str, Any]:
    """matplotlib settings that draw text with the CJK font (for :func:`matplotlib.rc_context`)."""
    return {"font.family": [_registered_family()], "axes.unicode_minus": False}


@contextmanager
def cjk_context() -> Iterator[None]:
    """Draw with the CJK font inside the block; matplotlib's global settings are left as they were."""
    import matplotlib

    with matplotlib.rc_context(cjk_rc()):  # type: ignore[arg-type]
        yield


def with_cjk_font(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` run inside :func:`cjk_context`: the figures it makes draw Chinese with the CJK font."""
    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with cjk_context():
            return function(*args, **kwargs)
    return wrapper


def use_cjk_font() -> str:
    """Make the CJK font matplotlib's default for this process (for notebooks and scripts of your own).

    Registers the font with matplotlib's font manager and sets ``font.family`` (and
    ``axes.unicode_minus`` off: minus signs drawn as ASCII hyphens) in the global ``rcParams``.
    zhpolicy's own figures do not need it: they draw in :func:`cjk_context` and leave the global
    settings as they were.

    Returns
    -------
    str
        The font's family name, as matplotlib knows it.

    Raises
    ------
    FileNotFoundError
        The font is not installed (see :func:`cjk_font_path`).

    Examples
    --------
    >>> use_cjk_font()  # doctest: +SKIP
    'Noto Sans CJK SC'
    """
    from matplotlib import rcParams

    rcParams.update(cjk_rc())  # type: ignore[arg-type]
    return _registered_family()
