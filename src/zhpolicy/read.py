"""Reading documents: bytes → decoded text (UTF-8, UTF-16, GB18030, Big5) → normalised, converted, cleaned text."""
from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from zhpolicy.errors import InputError
from zhpolicy.text.clean import (
    SAFE_STEPS,
    clean_text,
    parse_clean_steps,
    split_front_matter,
)
from zhpolicy.text.convert import TRADITIONAL_SHARE, convert_script, traditional_share
from zhpolicy.text.normalize import normalize_text

logger = logging.getLogger(__name__)


#: File suffixes read when a folder is given as input.
TEXT_SUFFIXES = (".txt", ".md")

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Encodings a Chinese report is plausibly in when it is not UTF-8; tried by charset-normalizer.
_LEGACY_ENCODINGS = ["gb18030", "big5", "utf_16", "utf_16_le", "utf_16_be"]
# File signatures of formats given by mistake, with a name the user will recognise.
_SIGNATURES = (
    (b"%PDF", "a PDF"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive or an Office document (.docx, .xlsx)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (.doc, .xls)"),
    (b"{\\rtf", "an RTF document"), (b"\x1f\x8b", "a gzip archive"), (b"BZh", "a bzip2 archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"), (b"Rar!", "a RAR archive"), (b"\x7fELF", "a program"),
    (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"),
)
_RIFF_KINDS = {b"WEBP": "a WebP image", b"WAVE": "a WAV sound", b"AVI ": "an AVI video"}
# Characters that occur in Chinese or English running text; used to tell UTF-16 without a BOM from binary.
_TEXT_CHAR = re.compile(r"[\t\n\r\x20-\x7e\u00a0-\u024f\u2000-\u206f\u3000-\u303f\u3400-\u4dbf"
                        r"\u4e00-\u9fff\uff00-\uffef]")
# Control characters (other than tab, line breaks, form feed and the DOS end-of-file mark) in decoded text.
_BINARY_CONTROL = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f\ufffd]")


@dataclass(frozen=True)
class Document:
    """One input report: its text as counted, and how it was read.

    Made by :func:`read_document`; frozen. Every count of the pipeline is taken on ``text``.

    Attributes
    ----------
    name : str
        The file stem, used to name its output folder.
    path : str
        Where it was read from.
    text : str
        The normalised, converted and cleaned text (see :func:`read_document`); all counting
        happens on it.
    encoding : str
        The encoding the bytes were decoded with (``"utf-8"``, ``"utf-8-sig"``, ``"gb18030"``…).
    conversion : str or None
        The OpenCC conversion applied on reading (``"t2s"``, ``"tw2s"``, ``"tw2sp"``, ``"hk2s"``), or None.
    cleaning : tuple of str
        The cleaning steps applied on reading (see :mod:`zhpolicy.text.clean`).
    traditional_share : float
        Share of the Han characters (in a sample) that t2s would change, measured before any
        conversion; at or above 0.05 the document looks like traditional Chinese.
    front_matter : str
        The YAML front-matter block at the top of the file (``---`` … ``---``), or ""; kept here even
        when the ``front-matter`` cleaning step removes it from ``text`` (the report's year may be
        written in it, see :func:`zhpolicy.compare.document_year`).

    Examples
    --------
    >>> doc = Document(name="tianning_2024", path="tianning_2024.md", text="一、总体要求\\n推进改革", encoding="utf-8")
    >>> doc.name, doc.conversion
    ('tianning_2024', None)
    """

    name: str
    path: str
    text: str
    encoding: str
    conversion: str | None = None
    cleaning: tuple[str, ...] = ()
    traditional_share: float = 0.0
    front_matter: str = ""


def decode_bytes(data: bytes, *, source: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode a report's bytes, returning ``(text, encoding)``.

    ``encoding`` forces a codec. Otherwise a byte-order mark wins (UTF-8, UTF-16, UTF-32); files that
    start like a PDF, an image, an archive or an Office document are refused; UTF-16 without a BOM is
    recognised by its NUL bytes; then strict UTF-8; then the most likely of GB18030, Big5 and UTF-16
    according to charset-normalizer. Raises :class:`InputError`, naming ``source``, for empty, binary
    or undecodable input.
    """
    if not data or data.isspace():
        raise InputError(f"{source}: the file is empty")
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise InputError(f"{source}: unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as error:
            raise InputError(f"{source}: not valid {encoding} ({_where(data, error.start)})") from None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError as error:
                raise InputError(f"{source}: not valid {codec} after its byte-order mark "
                                 f"({_where(data, error.start)})") from None
    kind = _binary_kind(data)
    if kind:
        raise InputError(f"{source}: looks like a binary file ({kind}), not text; save it as .txt first")
    if b"\x00" in data[:4096]:
        utf16 = _sniff_utf16(data[:4096])
        if utf16 is None:
            raise InputError(f"{source}: looks like a binary file (it holds NUL bytes), not text; "
                             "if it is UTF-16, give --encoding utf-16-le or utf-16-be")
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError as error:
            raise InputError(f"{source}: not valid {utf16} ({_where(data, error.start)})") from None
    try:
        text, codec = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        text, codec = _decode_legacy(data, source=source, utf8_error=_where(data, error.start))
    head = text[:4096]
    if len(_BINARY_CONTROL.findall(head)) > 0.01 * len(head):
        raise InputError(f"{source}: looks like a binary file (control characters), not text")
    return text, codec


def _where(data: bytes, offset: int) -> str:
    """``byte N, line L`` for an offset into ``data`` (lines counted at ``\n`` bytes)."""
    line = data.count(b"\n", 0, offset) + 1
    return f"byte {offset}, line {line}"


def _binary_kind(data: bytes) -> str | None:
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    if data.startswith(b"RIFF") and data[8:12] in _RIFF_KINDS:
        return _RIFF_KINDS[data[8:12]]
    return None


def _sniff_utf16(head: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when ``head`` reads as text in one of them, else None."""
    head = head[: len(head) // 2 * 2]
    best: str | None = None
    best_share = 0.0
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = head.decode(codec, errors="strict")
        except UnicodeDecodeError as error:
            if error.start < len(head) - 4:  # only a surrogate pair cut at the end is forgiven
                continue
            text = head[: error.start].decode(codec)
        share = len(_TEXT_CHAR.findall(text)) / max(1, len(text))
        if share > best_share:
            best, best_share = codec, share
    return best if best_share >= 0.95 else None


def _decode_legacy(data: bytes, *, source: str, utf8_error: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_LEGACY_ENCODINGS).best()
    if best is None:
        raise InputError(f"{source}: cannot decode the text: not UTF-8 ({utf8_error}) nor GB18030, Big5 "
                         "or UTF-16; give the encoding with --encoding")
    codec = str(best.encoding)
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError as error:  # charset-normalizer judged on samples
        raise InputError(f"{source}: cannot decode the text: not UTF-8 ({utf8_error}) and not valid {codec} "
                         f"({_where(data, error.start)}); give the encoding with --encoding") from None


def read_document(
    path: str | Path,
    *,
    encoding: str | None = None,
    convert: str | None = None,
    clean: str | Iterable[str] = SAFE_STEPS,
) -> Document:
    """Read one report from ``path``: decode, normalise, convert, clean.

    The bytes are decoded (see :func:`decode_bytes`), normalised with
    :func:`zhpolicy.text.normalize.normalize_text` (page breaks kept for the cleaning steps),
    converted to simplified Chinese when ``convert`` is given (and normalised again), then cleaned.
    The front matter is taken before cleaning, so it is kept even when cleaning removes it.

    Parameters
    ----------
    path : str or Path
        A text file.
    encoding : str, optional
        Force a codec instead of detecting it (see :func:`decode_bytes`); any name Python's
        ``codecs`` knows.
    convert : {"t2s", "tw2s", "tw2sp", "hk2s"}, optional
        An OpenCC conversion to simplified Chinese applied on reading, before anything is counted.
        Without one, a document that looks traditional (see
        :func:`zhpolicy.text.convert.traditional_share`) is read as it is, with a warning.
    clean : str or iterable of str, default ``SAFE_STEPS``
        Cleaning steps (see :func:`zhpolicy.text.clean.clean_text`): names among ``"front-matter"``,
        ``"html"``, ``"page-numbers"``, ``"running-heads"``, ``"join-lines"``, or one comma-separated
        spec; by default ``front-matter, html, page-numbers``, which leave a clean report unchanged.

    Returns
    -------
    Document
        Named after the file's stem, with the text as counted and how it was read.

    Raises
    ------
    InputError
        The file is missing, a folder, unreadable, empty, binary, not in ``encoding``, cannot be
        decoded, or holds no text after cleaning; the message names the file.
    ValueError
        An unknown cleaning step or conversion.

    Examples
    --------
    >>> doc = read_document("corpus/tianning_2024_lianghui.md")  # doctest: +SKIP
    >>> doc.name, doc.encoding  # doctest: +SKIP
    ('tianning_2024_lianghui', 'utf-8')
    """

    steps = parse_clean_steps(clean)
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a file") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})") from None
    size = len(data)
    text, used = decode_bytes(data, source=str(path), encoding=encoding)
    del data
    text = normalize_text(text, keep_page_breaks=True)
    share = traditional_share(text)
    if convert is not None:
        text = normalize_text(convert_script(text, convert), keep_page_breaks=True)
    elif share >= TRADITIONAL_SHARE:
        logger.warning("%s looks like traditional Chinese (%.0f%% of its Han characters "
                       "differ from simplified); slogans are matched as written: give --convert t2s to "
                       "count simplified formulations", path, 100 * share)
    front_matter = split_front_matter(text)[0]
    text = clean_text(text, steps)
    if not text or text.isspace():
        raise InputError(f"{path}: the file holds no text")
    logger.debug("read %s (%d bytes, %s)", path, size, used)
    return Document(name=path.stem, path=str(path), text=text, encoding=used, conversion=convert,
                    cleaning=steps, traditional_share=round(share, 4), front_matter=front_matter)


def find_documents(inputs: Sequence[str | Path]) -> list[Path]:
    """Expand files and folders into the report files to read.

    A file is taken as it is, whatever its suffix; a folder gives its ``.txt`` and ``.md`` files
    (:data:`TEXT_SUFFIXES`, any case), searched recursively, hidden files and folders (``.name``)
    and a corpus's own documentation (README, SOURCES, LICENSE, CHANGELOG …, see :data:`NOT_REPORTS`)
    left out. Files come in the order given, each folder's files sorted by path; a file named
    twice is kept once, where it first appears.

    Parameters
    ----------
    inputs : sequence of str or Path
        Files and folders.

    Returns
    -------
    list of Path
        The files to read, in that order.

    Raises
    ------
    InputError
        A path that does not exist, or a folder without ``.txt`` or ``.md`` files.

    Examples
    --------
    >>> find_documents(["corpus"])  # doctest: +SKIP
    [PosixPath('corpus/tianning_2024_lianghui.md'), ...]
    """
    found: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*")
                           if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES and not _hidden(p, path)
                           and p.stem.upper() not in NOT_REPORTS)
            if not files:
                raise InputError(f"{path}: folder holds no .txt or .md files")
            found.extend(files)
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return list(dict.fromkeys(found))


#: File names (stems, upper case) that document a corpus rather than belong to it: left out of folders.
NOT_REPORTS = frozenset({"README", "SOURCES", "LICENSE", "LICENCE", "COPYING", "CHANGELOG", "NOTICE", "AUTHORS"})


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def read_corpus(
    paths: Iterable[str | Path],
    *,
    encoding: str | None = None,
    convert: str | None = None,
    clean: str | Iterable[str] = SAFE_STEPS,
) -> list[Document]:
    """Read several reports, in the order given; see :func:`read_document`.

    Parameters
    ----------
    paths : iterable of str or Path
        Text files (:func:`find_documents` expands folders into them).
    encoding, convert, clean
        As in :func:`read_document`, the same for every file.

    Returns
    -------
    list of Document
        One per path, in order.

    Raises
    ------
    InputError
        For the first file that cannot be read (see :func:`read_document`).
    ValueError
        An unknown cleaning step or conversion.
    """
    return [read_document(path, encoding=encoding, convert=convert, clean=clean) for path in paths]
