"""Normalising text for counting: line ends, full-width ASCII, invisible and control characters."""
from __future__ import annotations

import functools
import re
import sys
from typing import Any

# Full-width ASCII forms (！ to ～) are 0xFEE0 above their half-width twins.
_WIDTH_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20, 0x00A0: 0x20}
# Unicode line separators that str.splitlines() honours but a "\n"-based reader does not.
_LINE_SEPARATORS = {0x85: 0x0A, 0x2028: 0x0A, 0x2029: 0x0A}
# Invisible characters that web pages and concatenated files leave inside words: the byte-order mark
# (zero-width no-break space), the zero-width space and the word joiner. "四个\u200b走在前" is 四个走在前.
_INVISIBLE = {0xFEFF: None, 0x200B: None, 0x2060: None}
_TRANSLATION = _WIDTH_TABLE | _LINE_SEPARATORS | _INVISIBLE
# Control characters other than tab and newline, removed by normalising (form feeds may be kept).
_CONTROLS = "".join(chr(code) for code in [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_CONTROLS_BUT_FF = _CONTROLS.replace("\f", "")
_CONTROL = re.compile(f"[{re.escape(_CONTROLS)}]")
_CONTROL_KEEP_FF = re.compile(f"[{re.escape(_CONTROLS_BUT_FF)}]")

#: The page break pdftotext writes between pages; kept by ``normalize_text(keep_page_breaks=True)``.
PAGE_BREAK = "\f"


def normalize_text(text: str, *, keep_page_breaks: bool = False) -> str:
    """Normalise a decoded text for counting.

    Line endings (``\\r\\n``, ``\\r``, U+0085, U+2028, U+2029) become ``\\n``; full-width ASCII forms
    become half-width (``，`` → ``,``, ``１２`` → ``12``, ``（`` → ``(``), the ideographic and no-break
    spaces become spaces; byte-order marks (anywhere: concatenated files have them inside), zero-width
    spaces, word joiners and control characters other than tab and newline are removed
    (form feeds, pdftotext's page breaks, are kept when ``keep_page_breaks``). Chinese punctuation
    without a half-width twin (“ ” 、 。 《 》) is kept as it is. The function is idempotent.

    Parameters
    ----------
    text : str
        A decoded text.
    keep_page_breaks : bool, default False
        Keep form feeds (``\\f``, :data:`PAGE_BREAK`), for the cleaning steps that work page by page.

    Returns
    -------
    str
        The normalised text; lexicon forms are normalised the same way, so they match it.

    Examples
    --------
    >>> normalize_text("“四个走在前”，２０２４\\r\\n")
    '“四个走在前”,2024\\n'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii():
        return (_CONTROL_KEEP_FF if keep_page_breaks else _CONTROL).sub("", text)
    # The control characters go in the same pass as the table's (none is made by the table).
    return translate(text, deleting=_CONTROLS_BUT_FF if keep_page_breaks else _CONTROLS)


#: Characters translated at a time by :func:`translate` (bounds its working memory).
TRANSLATE_CHARS = 1 << 23


def translate(text: str, *, deleting: str = "") -> str:
    """``text.translate`` with the normalising table (widths, line separators, invisible characters),
    the characters of ``deleting`` removed too: the same string, computed on an array of code points
    with a table that covers every code point (:func:`_code_table`), not a dict lookup per character.
    Long texts go :data:`TRANSLATE_CHARS` characters at a time."""
    if text.isascii() and not deleting:
        return text  # the table maps no ASCII character
    if len(text) > TRANSLATE_CHARS:
        return "".join(translate(text[start:start + TRANSLATE_CHARS], deleting=deleting)
                       for start in range(0, len(text), TRANSLATE_CHARS))
    import numpy as np

    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    mapped = _code_table(deleting)[codes]
    kept = mapped != _DELETED
    if not kept.all():
        mapped = mapped[kept]
    return str(mapped.tobytes().decode("utf-32-le", "surrogatepass"))


_DELETED = 0xFFFFFFFF


@functools.cache
def _code_table(deleting: str = "") -> Any:
    """Code point → its replacement (:data:`_DELETED` for removed characters, those of ``deleting``
    too), for every code point (4 MB)."""
    import numpy as np

    table = np.arange(sys.maxunicode + 1, dtype="<u4")
    for code, replacement in _TRANSLATION.items():
        table[code] = _DELETED if replacement is None else replacement
    for character in deleting:
        table[ord(character)] = _DELETED
    return table
