"""The lexicon of formulations: loading the shipped TOML file and the user's own."""
from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

from zhpolicy.errors import LexiconError
from zhpolicy.text.normalize import normalize_text


@dataclass(frozen=True)
class LexiconEntry:
    """A formulation of the lexicon: its canonical phrase, category and variant surface forms."""

    phrase: str
    category: str
    variants: tuple[str, ...] = ()
    source: str = ""
    not_after: str = ""  # characters that may not stand just before a form for it to count (新发展理念 not after 创)
    not_before: str = ""  # characters that may not stand just after it
    since: int | None = None  # the year the formulation entered official use, where known


@dataclass(frozen=True)
class Lexicon:
    """Formulations to look for, with where they came from (files and a SHA-256 over their bytes).

    Made by :func:`load_lexicon`; frozen.

    Attributes
    ----------
    entries : tuple of LexiconEntry
        The formulations, each with its canonical phrase, category and variant forms; no form is
        both one entry's phrase and another's variant.
    files : tuple of str
        The files read, in order (the shipped lexicon first, unless left out).
    sha256 : str
        Hex SHA-256 over the bytes of the files, in order: identifies the lexicon of a run.
    versions : tuple of str
        The ``[lexicon] version`` of each file ("" where it has none).

    Examples
    --------
    >>> lexicon = Lexicon((LexiconEntry("新发展理念", "理念", variants=("新的发展理念",)),))
    >>> {form: entry.phrase for form, entry in lexicon.forms().items()}
    {'新发展理念': '新发展理念', '新的发展理念': '新发展理念'}
    """

    entries: tuple[LexiconEntry, ...]
    files: tuple[str, ...] = ()
    sha256: str = ""
    versions: tuple[str, ...] = ()

    def forms(self) -> dict[str, LexiconEntry]:
        """Every surface form (phrases and variants) mapped to its entry."""
        forms: dict[str, LexiconEntry] = {}
        for entry in self.entries:
            for form in (entry.phrase, *entry.variants):
                forms[form] = entry
        return forms


def default_lexicon_path() -> Path:
    """The lexicon shipped with zhpolicy (data/lexicon.toml)."""
    return Path(str(resources.files("zhpolicy").joinpath("data/lexicon.toml")))


def load_lexicon(paths: Sequence[str | Path] = (), *, include_default: bool = True) -> Lexicon:
    """Load the shipped lexicon and the user's lexicon files, later files overriding earlier ones.

    A lexicon file is TOML with ``[[entry]]`` tables (``phrase``, ``category``, optional
    ``variants``, ``not_after``, ``not_before``, ``since``), or plain text (any other suffix) with one
    phrase per line and an optional category after a tab; ``#`` starts a comment line. Forms are
    normalised like the texts (:func:`zhpolicy.text.normalize.normalize_text`). An entry whose phrase
    an earlier file has replaces that entry; a phrase of one entry is never a variant of another.

    Parameters
    ----------
    paths : sequence of str or Path, default ()
        The user's lexicon files, in order.
    include_default : bool, default True
        Read the shipped lexicon (data/lexicon.toml) first.

    Returns
    -------
    Lexicon
        The entries, the files read and a SHA-256 over their bytes.

    Raises
    ------
    LexiconError
        A file is missing, unreadable, not UTF-8, not valid TOML, holds no entries, or an entry is
        malformed (no phrase, a form that spans lines or holds a 。, a bad ``since`` year…); the
        message names the file and, where known, the line.

    Examples
    --------
    >>> lexicon = load_lexicon()
    >>> "新发展理念" in lexicon.forms(), len(lexicon.files)
    (True, 1)
    """
    files = ([default_lexicon_path()] if include_default else []) + [Path(p) for p in paths]
    by_phrase: dict[str, LexiconEntry] = {}
    digest = hashlib.sha256()
    versions: list[str] = []
    for path in files:
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise LexiconError(f"{path}: cannot read the lexicon ({error.strerror or error})") from None
        digest.update(raw)
        entries, version = _parse_lexicon(raw, path)
        versions.append(version)
        for entry in entries:
            by_phrase.pop(entry.phrase, None)
            by_phrase[entry.phrase] = entry
    entries = _drop_shadowed_variants(list(by_phrase.values()))
    return Lexicon(entries=tuple(entries), files=tuple(str(p) for p in files),
                   sha256=digest.hexdigest(), versions=tuple(versions))


def _drop_shadowed_variants(entries: list[LexiconEntry]) -> list[LexiconEntry]:
    """A phrase of one entry is never a variant of another: the later definition wins."""
    phrases = {entry.phrase for entry in entries}
    result = []
    for entry in entries:
        variants = tuple(v for v in entry.variants if v not in phrases)
        result.append(entry if variants == entry.variants else replace(entry, variants=variants))
    return result


def _parse_lexicon(raw: bytes, path: Path) -> tuple[list[LexiconEntry], str]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LexiconError(f"{path}: lexicon is not UTF-8 (byte {error.start})") from None
    if path.suffix.lower() != ".toml":
        return _parse_plain_lexicon(text, path), ""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise LexiconError(f"{path}: TOML syntax error: {error}") from None
    meta = data.get("lexicon", {})
    version = str(meta.get("version", "")) if isinstance(meta, dict) else ""
    rows = data.get("entry")
    if not isinstance(rows, list) or not rows:
        raise LexiconError(f"{path}: no [[entry]] tables (each needs phrase = \"...\" and category = \"...\")")
    return [_entry_from_table(row, path, text) for row in rows], version


def _entry_from_table(row: Any, path: Path, text: str) -> LexiconEntry:
    phrase = row.get("phrase") if isinstance(row, dict) else None
    line = _line_of(text, phrase) if isinstance(phrase, str) else 0
    where = f"{path}:{line}" if line else str(path)
    if not isinstance(phrase, str) or not phrase.strip():
        raise LexiconError(f"{where}: an [[entry]] has no phrase = \"...\"")
    category = row.get("category", "")
    variants = row.get("variants", [])
    if not isinstance(category, str):
        raise LexiconError(f"{where}: category of {phrase!r} must be a string")
    if not isinstance(variants, list) or not all(isinstance(v, str) and v.strip() for v in variants):
        raise LexiconError(f"{where}: variants of {phrase!r} must be a list of non-empty strings")
    # Forms are normalised like the text they are counted in (full-width ＋ and ， become + and ,;
    # \r and U+2028 become line ends), then checked.
    phrase = normalize_text(phrase.strip())
    forms = dict.fromkeys(normalize_text(v.strip()) for v in variants)
    for form in (phrase, *forms):
        _check_form(form, where)
    edges = {}
    for key in ("not_after", "not_before"):
        value = row.get(key, "")
        if not isinstance(value, str) or any(ch.isspace() for ch in value):
            raise LexiconError(f"{where}: {key} of {phrase!r} must be a string of characters (no spaces)")
        edges[key] = normalize_text(value)
    since = row.get("since")
    if since is not None and (not isinstance(since, int) or isinstance(since, bool) or not 1840 <= since <= 2100):
        raise LexiconError(f"{where}: since of {phrase!r} must be a year, got {since!r}")
    return LexiconEntry(phrase=phrase, category=category.strip(),
                        variants=tuple(v for v in forms if v != phrase), source=str(path), since=since, **edges)


def _parse_plain_lexicon(text: str, path: Path) -> list[LexiconEntry]:
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        phrase, _, category = line.partition("\t")
        phrase = normalize_text(phrase.strip())
        _check_form(phrase, f"{path}:{number}")
        entries.append(LexiconEntry(phrase=phrase, category=category.strip(),
                                    source=str(path)))
    if not entries:
        raise LexiconError(f"{path}: the lexicon holds no phrases")
    return entries


def _check_form(form: str, where: str) -> None:
    if "\n" in form or not form.strip():
        raise LexiconError(f"{where}: phrase {form!r} is empty or spans lines")
    if "。" in form:
        raise LexiconError(f"{where}: phrase {form!r} holds a full stop 。: a formulation is part of a sentence")


def _line_of(text: str, phrase: str) -> int:
    index = text.find(f'"{phrase}"')
    return text.count("\n", 0, index) + 1 if index >= 0 else 0
