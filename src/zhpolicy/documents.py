"""Reading documents: bytes → decoded text (UTF-8, UTF-16, GB18030, Big5) → normalised text."""
from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

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
# Full-width ASCII forms (！ to ～) are 0xFEE0 above their half-width twins.
_WIDTH_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20, 0x00A0: 0x20}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Document:
    """One input report.

    Attributes
    ----------
    name : the file stem, used to name its output folder.
    path : where it was read from.
    text : the normalised text (see :func:`normalize_text`); all counting happens on it.
    encoding : the encoding the bytes were decoded with.
    """

    name: str
    path: str
    text: str
    encoding: str


def normalize_text(text: str) -> str:
    """Normalise a decoded text for counting.

    Line endings become ``\\n``; full-width ASCII forms become half-width (``，`` → ``,``,
    ``１２`` → ``12``, ``（`` → ``(``), the ideographic and no-break spaces become spaces; a leading
    BOM and control characters other than tab and newline are removed. Chinese punctuation without a
    half-width twin (“ ” 、 。 《 》) is kept as it is.

    >>> normalize_text("“四个走在前”，２０２４\\r\\n")
    '“四个走在前”,2024\\n'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return _CONTROL.sub("", text.translate(_WIDTH_TABLE))


def decode_bytes(data: bytes, *, source: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode a report's bytes, returning ``(text, encoding)``.

    A byte-order mark wins; then strict UTF-8; then the most likely of GB18030, Big5 and UTF-16
    according to charset-normalizer. ``encoding`` forces a codec. Raises :class:`InputError`, naming
    ``source``, for empty, binary or undecodable input.
    """
    if not data.strip():
        raise InputError(f"{source}: the file is empty")
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise InputError(f"{source}: unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as error:
            raise InputError(f"{source}: not valid {encoding} (byte {error.start})") from None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError as error:
                raise InputError(f"{source}: not valid {codec} after its byte-order mark "
                                 f"(byte {error.start})") from None
    if _looks_binary(data):
        raise InputError(f"{source}: looks like a binary file (a PDF, image or archive?), not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _decode_legacy(data, source=source)


def _looks_binary(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04", b"\x1f\x8b")):
        return True
    # NUL bytes do not occur in text in any 8-bit or multi-byte Chinese encoding; UTF-16 without a
    # BOM has them in every other byte, which charset-normalizer then recognises.
    nul_share = head.count(0) / len(head)
    return 0 < nul_share < 0.2 or (nul_share > 0 and _undecodable_as_utf16(head))


def _undecodable_as_utf16(head: bytes) -> bool:
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            head[: len(head) // 2 * 2].decode(codec)
            return False
        except UnicodeDecodeError:
            continue
    return True


def _decode_legacy(data: bytes, *, source: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_LEGACY_ENCODINGS).best()
    if best is None:
        raise InputError(f"{source}: cannot decode the text (not UTF-8, UTF-16, GB18030 or Big5); "
                         "give the encoding with --encoding")
    codec = str(best.encoding)
    return data.decode(codec), codec


def read_document(path: str | Path, *, encoding: str | None = None) -> Document:
    """Read one report from ``path``, decode and normalise it.

    >>> doc = read_document("corpus/tianning_2024_lianghui.md")  # doctest: +SKIP
    >>> doc.name, doc.encoding
    ('tianning_2024_lianghui', 'utf-8')
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a file") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})") from None
    text, used = decode_bytes(data, source=str(path), encoding=encoding)
    text = normalize_text(text)
    if not text.strip():
        raise InputError(f"{path}: the file holds no text")
    logger.debug("read %s (%d bytes, %s)", path, len(data), used)
    return Document(name=path.stem, path=str(path), text=text, encoding=used)


def find_documents(inputs: Sequence[str | Path]) -> list[Path]:
    """Expand files and folders into the report files to read (folders recursively, .txt and .md).

    Files are returned in the order given, each folder's files sorted by path; duplicates are dropped.
    Raises :class:`InputError` for a missing path or a folder without text files.
    """
    found: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*")
                           if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES and not _hidden(p, path))
            if not files:
                raise InputError(f"{path}: folder holds no .txt or .md files")
            found.extend(files)
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return list(dict.fromkeys(found))


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def read_corpus(paths: Iterable[str | Path], *, encoding: str | None = None) -> list[Document]:
    """Read several reports; see :func:`read_document`."""
    return [read_document(path, encoding=encoding) for path in paths]
