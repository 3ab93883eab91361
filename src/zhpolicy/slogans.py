"""Slogans and policy formulations: the lexicon, detection (quoted, numeric, lexicon) and exact counting."""
from __future__ import annotations

import hashlib
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from .documents import normalize_text
from .errors import LexiconError
from .sections import Section

SloganKind = Literal["lexicon", "numeric", "quoted", "mined"]
#: When one string is detected in several ways, the first kind in this order names it.
KIND_PRECEDENCE: tuple[SloganKind, ...] = ("lexicon", "numeric", "quoted", "mined")

MIN_SLOGAN_CHARS = 2
MAX_SLOGAN_CHARS = 25
_QUOTED = re.compile(r"“([^“”\n]+)”|「([^「」\n]+)」|『([^『』\n]+)』")
# Punctuation that makes a quotation a sentence rather than a slogan (、 joins slogan pairs and stays).
_SENTENCE_PUNCTUATION = re.compile(r"[,.;:!?。;:!?…\s]")
# A numeral that opens a formula; 百/千/万 are left out, they open idioms (千头万绪) far more often.
_NUMERAL_START = re.compile(r"^(?:[0-9]+|[一二两三四五六七八九十]+)")
_PLAN_NAME = re.compile(r"十[一二三四五六七八九]五")
_STRATEGY_CODE = re.compile(
    r"(?<![0-9.])([0-9]{3,5})”?(?=发展战略|战略|工作部署|部署|工程|行动|计划|体系|格局|模式|布局)"
)


@dataclass(frozen=True)
class LexiconEntry:
    """A formulation of the lexicon: its canonical phrase, category and variant surface forms."""

    phrase: str
    category: str
    variants: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class Lexicon:
    """Formulations to look for, with where they came from (files and a SHA-256 over their bytes)."""

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


@dataclass(frozen=True)
class Slogan:
    """A string to count, how it was detected, and the formulation it belongs to."""

    text: str
    kind: SloganKind
    canonical: str
    category: str = ""


@dataclass(frozen=True, order=True)
class Mention:
    """One occurrence of a slogan: ``section.text[start:end] == slogan``."""

    section: int
    start: int
    end: int
    slogan: str


@dataclass(frozen=True)
class SloganCount:
    """How often a slogan occurs in a section.

    ``count`` equals ``section.text.count(slogan)``: non-overlapping occurrences, scanned left to
    right, whether or not they sit inside a longer slogan. ``count_outside`` leaves out the
    occurrences that lie inside an occurrence of a longer counted slogan ("走在前" inside "四个走在前").
    """

    section: int
    slogan: Slogan
    count: int
    count_outside: int = field(default=0)


def default_lexicon_path() -> Path:
    """The lexicon shipped with zhpolicy (data/lexicon.toml)."""
    return Path(str(resources.files("zhpolicy").joinpath("data/lexicon.toml")))


def load_lexicon(paths: Sequence[str | Path] = (), *, include_default: bool = True) -> Lexicon:
    """Load the shipped lexicon and the user's lexicon files, later files overriding earlier ones.

    A lexicon file is TOML with ``[[entry]]`` tables (``phrase``, ``category``, optional
    ``variants``), or plain text with one phrase per line and an optional category after a tab.
    An entry whose phrase an earlier file has replaces that entry. Raises :class:`LexiconError`
    naming the file and line for a missing or malformed file.
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
        result.append(entry if variants == entry.variants else
                      LexiconEntry(entry.phrase, entry.category, variants, entry.source))
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
    for form in (phrase, *variants):
        _check_form(form, where)
    # Forms are normalised like the text they are counted in (full-width ＋ and ， become + and ,).
    phrase = normalize_text(phrase.strip())
    forms = dict.fromkeys(normalize_text(v.strip()) for v in variants)
    return LexiconEntry(phrase=phrase, category=category.strip(),
                        variants=tuple(v for v in forms if v != phrase), source=str(path))


def _parse_plain_lexicon(text: str, path: Path) -> list[LexiconEntry]:
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        phrase, _, category = line.partition("\t")
        _check_form(phrase.strip(), f"{path}:{number}")
        entries.append(LexiconEntry(phrase=normalize_text(phrase.strip()), category=category.strip(),
                                    source=str(path)))
    if not entries:
        raise LexiconError(f"{path}: the lexicon holds no phrases")
    return entries


def _check_form(form: str, where: str) -> None:
    if "\n" in form or not form.strip():
        raise LexiconError(f"{where}: phrase {form!r} is empty or spans lines")


def _line_of(text: str, phrase: str) -> int:
    index = text.find(f'"{phrase}"')
    return text.count("\n", 0, index) + 1 if index >= 0 else 0


def find_quoted(text: str) -> list[str]:
    """Phrases of 2-25 characters inside “…”, 「…」 or 『…』 that are not quoted sentences.

    A quotation holding sentence punctuation (,。;:!?) or spaces is a sentence, not a slogan;
    the enumeration comma 、 is allowed ("走在前、做示范"). Returned in order of first appearance.

    >>> find_quoted("全面落实“四个走在前”“四个新”,我们“经历了风雨洗礼,看到了美丽风景”")
    ['四个走在前', '四个新']
    """
    found = []
    for match in _QUOTED.finditer(text):
        phrase = next(group for group in match.groups() if group is not None)
        if (MIN_SLOGAN_CHARS <= len(phrase) <= MAX_SLOGAN_CHARS
                and not _SENTENCE_PUNCTUATION.search(phrase)):
            found.append(phrase)
    return list(dict.fromkeys(found))


def is_numeric_formula(phrase: str) -> bool:
    """True for a slogan that starts with a numeral: "四个走在前", "六个常有", "532", "十四五"."""
    return _NUMERAL_START.match(phrase) is not None


def find_numeric(text: str) -> list[str]:
    """Numeric formulas in running text: quoted ones that start with a numeral, five-year-plan names
    ("十四五") and digit strategy codes named as such ("532"发展战略, "3511"工作部署).

    >>> find_numeric("深入推进“532”发展战略和区“3511”工作部署,完成“十四五”,落实“四个走在前”")
    ['532', '3511', '十四五', '四个走在前']
    """
    found = [match[1] for match in _STRATEGY_CODE.finditer(text)]
    found += _PLAN_NAME.findall(text)
    found += [phrase for phrase in find_quoted(text) if is_numeric_formula(phrase)]
    return list(dict.fromkeys(found))


def detect_slogans(
    texts: Iterable[str],
    lexicon: Lexicon,
    *,
    mined: Iterable[str] = (),
) -> list[Slogan]:
    """All slogans to count: the lexicon's forms, and the quoted and numeric slogans found in ``texts``.

    Each string gets one kind, the first of lexicon, numeric, quoted, mined that applies; lexicon
    variants name their entry's phrase as canonical. Sorted by text for a stable order.
    """
    forms = lexicon.forms()
    kinds: dict[str, SloganKind] = {}
    for text in texts:
        for phrase in find_numeric(text):
            kinds.setdefault(phrase, "numeric")
        for phrase in find_quoted(text):
            kinds.setdefault(phrase, "quoted")
    for phrase in mined:
        kinds.setdefault(phrase, "mined")
    slogans = []
    for phrase in sorted(set(kinds) | set(forms)):
        entry = forms.get(phrase)
        if entry is not None:
            slogans.append(Slogan(phrase, "lexicon", entry.phrase, entry.category))
        else:
            slogans.append(Slogan(phrase, kinds[phrase], phrase))
    return slogans


def find_mentions(sections: Sequence[Section], slogans: Sequence[str]) -> list[Mention]:
    """Every occurrence of every slogan in every section, as ``str.count`` sees them.

    For each slogan the occurrences are non-overlapping and leftmost-first (``"哈哈哈".count("哈哈")``
    is 1); occurrences of different slogans may overlap or nest. One Aho-Corasick pass per section.
    """
    import ahocorasick

    patterns = sorted({s for s in slogans if s})
    if not patterns:
        return []
    automaton = ahocorasick.Automaton()
    for pattern in patterns:
        automaton.add_word(pattern, pattern)
    automaton.make_automaton()
    mentions: list[Mention] = []
    for section in sections:
        last_end: dict[str, int] = {}
        for end_index, pattern in automaton.iter(section.text):
            start = end_index + 1 - len(pattern)
            if start >= last_end.get(pattern, 0):
                last_end[pattern] = end_index + 1
                mentions.append(Mention(section.number, start, end_index + 1, pattern))
    return sorted(mentions)


def count_slogans(sections: Sequence[Section], slogans: Sequence[Slogan]) -> list[SloganCount]:
    """Count each slogan in each section (one row where the count is above zero).

    ``count`` is ``section.text.count(slogan.text)``, heading included; ``count_outside`` leaves
    out occurrences inside a longer slogan's occurrence. Rows are ordered by section, then count
    (descending), then slogan text.

    >>> from zhpolicy.sections import split_sections
    >>> rows = count_slogans(split_sections("## 一\\n四个走在前,走在前"),
    ...                      [Slogan("四个走在前", "numeric", "四个走在前"), Slogan("走在前", "quoted", "走在前")])
    >>> [(r.slogan.text, r.count, r.count_outside) for r in rows]
    [('走在前', 2, 1), ('四个走在前', 1, 1)]
    """
    by_text = {slogan.text: slogan for slogan in slogans}
    mentions = find_mentions(sections, list(by_text))
    counts: Counter[tuple[int, str]] = Counter((m.section, m.slogan) for m in mentions)
    outside = Counter((m.section, m.slogan) for m in _outside_longer(mentions))
    rows = [SloganCount(section, by_text[text], count, outside[(section, text)])
            for (section, text), count in counts.items()]
    return sorted(rows, key=lambda r: (r.section, -r.count, r.slogan.text))


def _outside_longer(mentions: Sequence[Mention]) -> list[Mention]:
    """The mentions not covered by a longer mention in the same section."""
    result = []
    by_section: dict[int, list[Mention]] = {}
    for mention in mentions:
        by_section.setdefault(mention.section, []).append(mention)
    for section_mentions in by_section.values():
        # Sorted by start, longest first: a mention is covered when an earlier-starting (or equal
        # start, longer) mention reaches at least as far and is longer.
        ordered = sorted(section_mentions, key=lambda m: (m.start, -(m.end - m.start)))
        reach_end, reach_len = -1, 0
        for mention in ordered:
            length = mention.end - mention.start
            if mention.end <= reach_end and length < reach_len:
                continue
            result.append(mention)
            if mention.end > reach_end or (mention.end == reach_end and length > reach_len):
                reach_end, reach_len = mention.end, length
    return result


def slogan_totals(counts: Iterable[SloganCount]) -> dict[str, int]:
    """Total count per slogan text over all sections."""
    totals: Counter[str] = Counter()
    for row in counts:
        totals[row.slogan.text] += row.count
    return dict(totals)


def canonical_totals(counts: Iterable[SloganCount]) -> Mapping[str, int]:
    """Total count per canonical formulation (variants added to their entry's phrase)."""
    totals: Counter[str] = Counter()
    for row in counts:
        totals[row.slogan.canonical] += row.count
    return dict(totals)
