"""Slogans and policy formulations: the lexicon, detection (quoted, numeric, lexicon) and exact counting."""
from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from itertools import chain
from pathlib import Path
from typing import Any, Literal, TypeAlias

import pandas as pd

from .cleaning import normalize_text
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
_NUMERAL_FORMULA = re.compile(r"^[一二两三四五六七八九十]+个(?P<stem>.+)$")
_COUPLET = re.compile(
    r"(?P<a>[\u4e00-\u9fff])[\u4e00-\u9fff]{2,6}之(?P<b>[\u4e00-\u9fff])[ ,、]?"
    r"(?P<c>[\u4e00-\u9fff])[\u4e00-\u9fff]{2,6}之(?P<d>[\u4e00-\u9fff])"
)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*(?=[^\n])")
_PLAN_NAME = re.compile(r"十[一二三四五六七八九]五")
# "X个Y", "X大Y", "X项Y" in running text: a Chinese numeral, a classifier and 2-4 characters up to a
# punctuation mark ("增强四个意识、", "打好三大攻坚战,"). Multi-character numerals before 大 are party
# congresses (二十大精神), not formulas. Not after _COUNTED_FORMULA_NOT_AFTER (checked by _matches_not_after:
# a pattern that opens with a look-behind cannot use the regex engine's first-character scan). Both
# patterns open with one plain character class, not a repeat or a group of alternatives, for the same
# reason: the engine then jumps from numeral to numeral (3x faster), with the same matches.
_COUNTED_FORMULA = re.compile(
    r"[一二两三四五六七八九十](?:[一二两三四五六七八九十]*[个项]|大)"
    r"[\u4e00-\u9fff]{2,4}?(?=[、,。;:!?”」)\s]|$)"
)
_COUNTED_FORMULA_NOT_AFTER = frozenset("一二两三四五六七八九十百千万第")
_STRATEGY_CODE = re.compile(
    r"([0-9][0-9]{2,4})”?(?=发展战略|战略|工作部署|部署|工程|行动|计划|体系|格局|模式|布局)"
)
_STRATEGY_CODE_NOT_AFTER = frozenset("0123456789.")


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
    family: str = ""


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
    # Forms are normalised like the text they are counted in (full-width ＋ and ， become + and ,;
    # \r and U+2028 become line ends), then checked.
    phrase = normalize_text(phrase.strip())
    forms = dict.fromkeys(normalize_text(v.strip()) for v in variants)
    for form in (phrase, *forms):
        _check_form(form, where)
    return LexiconEntry(phrase=phrase, category=category.strip(),
                        variants=tuple(v for v in forms if v != phrase), source=str(path))


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


def find_quoted(text: str) -> list[str]:
    """Phrases of 2-25 characters inside “…”, 「…」 or 『…』 that are not quoted sentences.

    A quotation holding sentence punctuation (,。;:!?) or spaces is a sentence, not a slogan;
    the enumeration comma 、 is allowed ("走在前、做示范"). Returned in order of first appearance.

    >>> find_quoted("全面落实“四个走在前”“四个新”,我们“经历了风雨洗礼,看到了美丽风景”")
    ['四个走在前', '四个新']
    """
    quoted = dict.fromkeys(first or second or third for first, second, third in _QUOTED.findall(text))
    return [phrase for phrase in quoted
            if MIN_SLOGAN_CHARS <= len(phrase) <= MAX_SLOGAN_CHARS and not _SENTENCE_PUNCTUATION.search(phrase)]


def is_numeric_formula(phrase: str) -> bool:
    """True for a slogan that starts with a numeral: "四个走在前", "六个常有", "532", "十四五"."""
    return _NUMERAL_START.match(phrase) is not None


def find_numeric(text: str, *, quoted: Sequence[str] | None = None) -> list[str]:
    """Numeric formulas in running text: quoted ones that start with a numeral, five-year-plan names
    ("十四五"), digit strategy codes named as such ("532"发展战略, "3511"工作部署), and "X个Y"/"X大Y"/"X项Y"
    formulas ending at a punctuation mark ("四个意识、", "三大攻坚战,"). ``quoted``: the result of
    :func:`find_quoted` on the same text, if already at hand.

    >>> find_numeric("深入推进“532”发展战略和区“3511”工作部署,完成“十四五”,落实“四个走在前”")
    ['532', '3511', '十四五', '四个走在前']
    >>> find_numeric("增强四个意识、坚定四个自信,打好三大攻坚战,学习二十大精神,完成十个重点项目建设。")
    ['四个意识', '四个自信', '三大攻坚战']
    """
    found = [match[1] for match in _matches_not_after(_STRATEGY_CODE, text, _STRATEGY_CODE_NOT_AFTER)]
    found += _PLAN_NAME.findall(text)
    found += [match[0] for match in _matches_not_after(_COUNTED_FORMULA, text, _COUNTED_FORMULA_NOT_AFTER)]
    found += [phrase for phrase in (find_quoted(text) if quoted is None else quoted) if is_numeric_formula(phrase)]
    return list(dict.fromkeys(found))


def _matches_not_after(pattern: re.Pattern[str], text: str, not_after: frozenset[str]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` had ``pattern`` opened with ``(?<![not_after])``: the same matches, found
    several times faster. A match after one of those characters is skipped and the search goes on from
    the next character, as the look-behind would have failed there and the engine moved on."""
    position = 0
    while (match := pattern.search(text, position)) is not None:
        start = match.start()
        if start and text[start - 1] in not_after:
            position = start + 1
            continue
        yield match
        position = max(match.end(), start + 1)


@dataclass(frozen=True)
class TextScan:
    """What one pass over a text (or a piece of it) finds: numeric and quoted slogans in order of
    appearance, and couplet frames with their couplets."""

    numeric: tuple[str, ...]
    quoted: tuple[str, ...]
    frames: tuple[tuple[str, tuple[str, ...]], ...]


def scan_text(text: str) -> TextScan:
    """Numeric and quoted slogans and couplet frames in ``text``. A text cut after line ends (or
    after a 。) gives, piece by piece, what it gives whole: no slogan spans a line end or a 。."""
    quoted = find_quoted(text)
    return TextScan(tuple(find_numeric(text, quoted=quoted)), tuple(quoted), _couplet_frames(text))


def _couplet_frames(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each couplet frame ("守…之正 创…之新") of ``text`` with its couplets, in order of appearance."""
    by_frame: dict[str, list[str]] = {}
    # A couplet holds two 之 and no line break: only lines with two 之 are searched (the same matches,
    # as the search of the whole text starts each line afresh; several times faster).
    lines = (line for line in text.split("\n") if line.count("之") >= 2) if text.count("之") >= 2 else ()
    for match in (match for line in lines for match in _COUPLET.finditer(line)):
        by_frame.setdefault(f"{match['a']}…之{match['b']} {match['c']}…之{match['d']}", []).append(match[0])
    return tuple((frame, tuple(couplets)) for frame, couplets in by_frame.items())


def scan_batch(texts: Sequence[str], _: Any = None) -> list[TextScan]:
    """:func:`scan_text` of each text (what a worker runs)."""
    return [scan_text(text) for text in texts]


def merge_scans(scans_by_text: Iterable[Sequence[TextScan]]) -> tuple[dict[str, SloganKind], dict[str, str]]:
    """Slogans with their kind, and couplets with their family, from the scans of each text's pieces
    (in order). Numeric wins over quoted; a couplet frame counts when it recurs within one text."""
    merger = ScanMerger()
    for scans in scans_by_text:
        for scan in scans:
            merger.add(scan)
        merger.end_text()
    return merger.kinds, merger.couplets


class ScanMerger:
    """:func:`merge_scans` a piece at a time, as the scans come back: only the distinct phrases of the
    text being merged are held, not every scan (a text cut into 100,000 pieces has millions of matches)."""

    def __init__(self) -> None:
        self.kinds: dict[str, SloganKind] = {}
        self.couplets: dict[str, str] = {}
        self._numeric: dict[str, None] = {}
        self._quoted: dict[str, None] = {}
        self._frame_couplets: dict[str, dict[str, None]] = {}  # frame → its distinct couplets, in order
        self._frame_occurrences: Counter[str] = Counter()

    def add(self, scan: TextScan) -> None:
        """Add the scan of the next piece of the current text."""
        self._numeric.update(dict.fromkeys(scan.numeric))
        self._quoted.update(dict.fromkeys(scan.quoted))
        for frame, found in scan.frames:
            self._frame_couplets.setdefault(frame, {}).update(dict.fromkeys(found))
            self._frame_occurrences[frame] += len(found)

    def end_text(self) -> None:
        """The current text is done: its slogans and recurring couplet frames are added."""
        for phrase in self._numeric:
            self.kinds.setdefault(phrase, "numeric")
        for phrase in self._quoted:
            self.kinds.setdefault(phrase, "quoted")
        self.couplets.update({couplet: frame for frame, found in self._frame_couplets.items()
                              if self._frame_occurrences[frame] >= 2 for couplet in found})
        self._numeric, self._quoted, self._frame_couplets, self._frame_occurrences = {}, {}, {}, Counter()


def find_text_slogans(texts: Iterable[str]) -> tuple[dict[str, SloganKind], dict[str, str]]:
    """One pass over the texts: numeric and quoted slogans with their kind, and couplets with their family.

    Numeric wins over quoted for the same string ("四个走在前" in quotes is numeric).
    """
    return merge_scans([scan_text(text)] for text in texts)


def detect_slogans(
    texts: Iterable[str],
    lexicon: Lexicon,
    *,
    mined: Iterable[str] = (),
    found: tuple[dict[str, SloganKind], dict[str, str]] | None = None,
) -> list[Slogan]:
    """All slogans to count: the lexicon's forms, and the quoted and numeric slogans found in ``texts``.

    Each string gets one kind, the first of lexicon, numeric, quoted, mined that applies; lexicon
    variants name their entry's phrase as canonical. ``found`` is the result of
    :func:`find_text_slogans` on the same texts, to skip scanning them again. Sorted by text.
    """
    forms = lexicon.forms()
    text_kinds, couplets = find_text_slogans(texts) if found is None else found
    kinds = dict(text_kinds)
    for phrase in (*mined, *sorted(couplets)):
        kinds.setdefault(phrase, "mined")
    families = slogan_families(phrase for phrase in kinds if phrase not in forms) | couplets
    slogans = []
    for phrase in sorted(set(kinds) | set(forms)):
        entry = forms.get(phrase)
        if entry is not None:
            slogans.append(Slogan(phrase, "lexicon", entry.phrase, entry.category, families.get(phrase, "")))
        else:
            slogans.append(Slogan(phrase, kinds[phrase], phrase, family=families.get(phrase, "")))
    return slogans


def find_couplets(text: str) -> dict[str, str]:
    """Parallel couplets that recur with the same frame, mapped to their family.

    "守绝对忠诚之正 创政治建设之新 守秉公用权之正 创法治建设之新" holds two couplets of the family
    "守…之正 创…之新"; a frame seen only once is not reported.

    >>> find_couplets("守绝对忠诚之正 创政治建设之新 守秉公用权之正 创法治建设之新")
    {'守绝对忠诚之正 创政治建设之新': '守…之正 创…之新', '守秉公用权之正 创法治建设之新': '守…之正 创…之新'}
    """
    return merge_scans([[TextScan((), (), _couplet_frames(text))]])[1]


def slogan_families(phrases: Iterable[str], *, min_members: int = 3) -> dict[str, str]:
    """Group slogans that share a stem into families: 常有善育, 常有优学, 常有健康 … → "常有X".

    A family is a prefix (or suffix) of at least two characters shared by at least ``min_members``
    slogans whose varying part is one to four characters ("X" stands for it). Each slogan joins the
    family with the longest stem; a numeric formula naming the stem ("六个常有") joins it too.

    >>> slogan_families(["常有善育", "常有优学", "常有健康", "六个常有", "四个走在前"])
    {'六个常有': '常有X', '常有优学': '常有X', '常有健康': '常有X', '常有善育': '常有X'}
    """
    unique = sorted(set(phrases))
    by_prefix: dict[str, list[str]] = {}
    by_suffix: dict[str, list[str]] = {}
    for phrase in unique:
        for size in range(max(2, len(phrase) - 4), len(phrase)):
            by_prefix.setdefault(phrase[:size], []).append(phrase)
            by_suffix.setdefault(phrase[-size:], []).append(phrase)
    candidates: dict[str, tuple[int, str]] = {}
    for groups, pattern in ((by_prefix, "{}X"), (by_suffix, "X{}")):
        for stem, members in groups.items():
            if len(members) >= min_members and not _NUMERAL_START.match(stem):
                for member in members:
                    if len(stem) > candidates.get(member, (0, ""))[0]:
                        candidates[member] = (len(stem), pattern.format(stem))
    families = {member: name for member, (_, name) in candidates.items()}
    stems = {name[:-1]: name for name in families.values() if name.endswith("X")}
    for phrase in unique:
        match = _NUMERAL_FORMULA.match(phrase)
        if match and match["stem"] in stems and phrase not in families:
            families[phrase] = stems[match["stem"]]
    return dict(sorted(families.items()))


#: Columns of a mention frame (:func:`mention_frame`).
MENTION_COLUMNS = ["section", "start", "end", "slogan"]
#: Mentions as objects or as a frame with :data:`MENTION_COLUMNS`.
Mentions: TypeAlias = Sequence[Mention] | pd.DataFrame


def find_mentions(sections: Sequence[Section], slogans: Sequence[str]) -> list[Mention]:
    """Every occurrence of every slogan in every section, as ``str.count`` sees them, in order of
    section, start, end and slogan (see :func:`mention_frame`, the same as a table)."""
    frame = mention_frame(sections, slogans)
    return [Mention(int(section), int(start), int(end), slogan)
            for section, start, end, slogan in frame.itertuples(index=False, name=None)]


class SloganMatcher:
    """Finds every slogan in a text in one Aho-Corasick pass (ahocorasick-rs, the Rust aho-corasick
    crate: about 2.5x faster than pyahocorasick here); the matches come back as arrays.

    ``patterns`` are the slogans, sorted (a match's ``id`` indexes them). Built once per process and
    reused for every piece of text (a worker keeps one).
    """

    def __init__(self, slogans: Iterable[str]) -> None:
        import ahocorasick_rs
        import numpy as np

        self.patterns = sorted({s for s in slogans if s})
        # Standard match kind: every match, overlapping and nested ones too (万亿 inside 万亿之城再出发).
        self.automaton = ahocorasick_rs.AhoCorasick(self.patterns, matchkind=ahocorasick_rs.MatchKind.Standard)
        # Only a pattern whose start recurs at its end (哈哈, 一一) can overlap itself.
        self.bordered = np.array([any(p[:k] == p[-k:] for k in range(1, len(p))) for p in self.patterns], dtype=bool)

    def __reduce__(self) -> tuple[Any, ...]:
        # Sent to another process, a matcher is built there again (the automaton cannot be pickled).
        return (SloganMatcher, (self.patterns,))

    def find(self, text: str) -> tuple[Any, Any, Any]:
        """``(starts, ends, ids)`` of every match, in order of end (character offsets); a pattern's
        overlapping matches are all there (see :meth:`drop_self_overlaps`)."""
        import numpy as np

        if not self.patterns or not text:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        matches = self.automaton.find_matches_as_indexes(text, overlapping=True)
        found = np.fromiter(chain.from_iterable(matches), dtype=np.int64, count=3 * len(matches)).reshape(-1, 3)
        return found[:, 1], found[:, 2], found[:, 0]

    def drop_self_overlaps(self, starts: Any, ends: Any, ids: Any) -> Any:
        """Mask of the matches ``str.count`` counts, for the matches of one whole text in order of end:
        each pattern's occurrences leftmost first, without overlap (``"哈哈哈".count("哈哈")`` is 1)."""
        import numpy as np

        keep = np.ones(len(ids), dtype=bool)
        last_end: dict[int, int] = {}
        for position in np.flatnonzero(self.bordered[ids]).tolist():
            pattern = int(ids[position])
            if starts[position] < last_end.get(pattern, 0):
                keep[position] = False
            else:
                last_end[pattern] = int(ends[position])
        return keep


def mention_frame(sections: Sequence[Section], slogans: Sequence[str] | SloganMatcher) -> pd.DataFrame:
    """Every occurrence of every slogan in every section: columns ``section, start, end, slogan``,
    sorted by section, start, end, slogan.

    For each slogan the occurrences are non-overlapping and leftmost-first (``"哈哈哈".count("哈哈")``
    is 1); occurrences of different slogans may overlap or nest. One Aho-Corasick pass per section,
    the matches gathered as arrays.
    """
    import numpy as np

    matcher = slogans if isinstance(slogans, SloganMatcher) else SloganMatcher(slogans)
    parts: list[tuple[Any, ...]] = []
    for section in sections:
        starts, ends, ids = matcher.find(section.text)
        keep = matcher.drop_self_overlaps(starts, ends, ids)
        parts.append((np.full(int(keep.sum()), section.number, dtype=np.int64), starts[keep], ends[keep], ids[keep]))
    return mentions_from_arrays(parts, matcher.patterns)


def mentions_from_arrays(parts: Sequence[tuple[Any, ...]], patterns: Sequence[str],
                         extra: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """A mention frame from ``(sections, starts, ends, ids)`` arrays, sorted by section, start, end,
    slogan; ``extra`` columns (arrays aligned with the concatenated parts) are carried along."""
    import numpy as np

    columns = {column: np.zeros(0, dtype=np.int64) for column in ("section", "start", "end", "id")}
    if parts:
        columns = dict(zip(("section", "start", "end", "id"), (np.concatenate(c).astype(np.int64) for c in zip(*parts))))
    order = np.lexsort((columns["id"], columns["end"], columns["start"], columns["section"]))
    frame = pd.DataFrame({"section": columns["section"][order], "start": columns["start"][order],
                          "end": columns["end"][order],
                          "slogan": np.array(list(patterns), dtype=object)[columns["id"][order]]
                          if len(order) else np.array([], dtype=object)})
    for name, values in (extra or {}).items():
        frame[name] = np.asarray(values, dtype=object)[order] if len(order) else np.array([], dtype=object)
    return frame


def as_mention_frame(mentions: Mentions) -> pd.DataFrame:
    """Mentions as a frame with :data:`MENTION_COLUMNS` (a frame is returned as it is)."""
    if isinstance(mentions, pd.DataFrame):
        return mentions
    return pd.DataFrame([(m.section, m.start, m.end, m.slogan) for m in mentions], columns=MENTION_COLUMNS)


def count_slogans(sections: Sequence[Section], slogans: Sequence[Slogan]) -> list[SloganCount]:
    """Count each slogan in each section (one row where the count is above zero).

    ``count`` is ``section.text.count(slogan.text)``, heading included; ``count_outside`` leaves
    out occurrences inside a longer slogan's occurrence. Rows are ordered by the slogan's total
    count over all sections (descending), then slogan text, then section.

    >>> from zhpolicy.sections import split_sections
    >>> rows = count_slogans(split_sections("## 一\\n四个走在前,走在前"),
    ...                      [Slogan("四个走在前", "numeric", "四个走在前"), Slogan("走在前", "quoted", "走在前")])
    >>> [(r.slogan.text, r.count, r.count_outside) for r in rows]
    [('走在前', 2, 1), ('四个走在前', 1, 1)]
    """
    return count_mentions(mention_frame(sections, [slogan.text for slogan in slogans]), slogans)


def count_mentions(mentions: Mentions, slogans: Sequence[Slogan]) -> list[SloganCount]:
    """Aggregate mentions (from :func:`find_mentions` or :func:`mention_frame`) into counts per slogan
    per section; see :func:`count_slogans` for the rules and the order."""
    frame = as_mention_frame(mentions)
    if frame.empty:
        return []
    by_text = {slogan.text: slogan for slogan in slogans}
    counts = frame.groupby(["section", "slogan"], sort=False).size()
    outside = frame[outside_longer(frame)].groupby(["section", "slogan"], sort=False).size().to_dict()
    return sort_slogan_counts([SloganCount(int(section), by_text[text], int(count), int(outside.get((section, text), 0)))
                               for (section, text), count in counts.items()])


def sort_slogan_counts(rows: Iterable[SloganCount]) -> list[SloganCount]:
    """Slogan counts in the order of :func:`count_slogans`: the slogan's total over all sections
    (descending), then slogan text, then section."""
    rows = list(rows)
    totals: Counter[str] = Counter()
    for row in rows:
        totals[row.slogan.text] += row.count
    return sorted(rows, key=lambda r: (-totals[r.slogan.text], r.slogan.text, r.section))


def sort_formulation_counts(rows: Iterable[tuple[int, str, int]]) -> list[tuple[int, str, int]]:
    """``(section, canonical, count)`` rows in the order of :func:`count_formulations`: by section,
    count (descending), canonical."""
    return sorted(rows, key=lambda row: (row[0], -row[2], row[1]))


def count_formulations(mentions: Mentions, slogans: Sequence[Slogan]) -> list[tuple[int, str, int]]:
    """``(section, canonical, count)``: occurrences of any surface form of each formulation.

    An occurrence inside another occurrence of the same formulation is not counted again ("十四五"
    inside "十四五规划" is one mention of 十四五规划), so the count is the number of places the
    formulation is named. Sorted by section, count (descending), canonical.

    >>> from zhpolicy.sections import split_sections
    >>> forms = [Slogan("十四五规划", "lexicon", "十四五规划"), Slogan("十四五", "lexicon", "十四五规划")]
    >>> text = split_sections("编制十四五规划,完成“十四五”")
    >>> count_formulations(find_mentions(text, ["十四五规划", "十四五"]), forms)
    [(1, '十四五规划', 2)]
    """
    import numpy as np

    frame = as_mention_frame(mentions)
    if frame.empty:
        return []
    canonical = {slogan.text: slogan.canonical for slogan in slogans}
    frame = frame.assign(canonical=frame["slogan"].map(canonical))
    groups = frame.groupby(["section", "canonical"], sort=False).ngroup().to_numpy(dtype=np.int64)
    counted = reaching_past_mask(groups, frame["start"].to_numpy(dtype=np.int64), frame["end"].to_numpy(dtype=np.int64))
    totals = frame[counted].groupby(["section", "canonical"]).size()
    return sort_formulation_counts((int(section), str(name), int(count)) for (section, name), count in totals.items())


def paragraph_number(text: str, offset: int) -> int:
    """The paragraph (1-based; paragraphs are separated by blank lines) that ``offset`` falls in.

XX
    3
    """
    return 1 + len(_PARAGRAPH_BREAK.findall(text[: offset + 1].lstrip("\n")))


def paragraph_numberer(text: str) -> Callable[[int], int]:
    """:func:`paragraph_number` for many offsets into one text: the paragraph breaks are found once
    and each offset is placed by bisection (a scan of the text before every offset is quadratic on
    large sections). Offsets on whitespace, where a break may end differently in the shorter prefix,
    fall back to :func:`paragraph_number`.

    >>> number = paragraph_numberer("## 标题\\n\\n第一段\\n续\\n\\n\\n第二段")
    >>> [number(0), number(7), number(15)]
    [1, 2, 3]
    """
    ends = _paragraph_ends(text)

    def number(offset: int) -> int:
        if offset < len(text) and text[offset].isspace():
            return paragraph_number(text, offset)
        return 1 + bisect_right(ends, offset)

    return number


def paragraph_starts(text: str, offsets: Any) -> Any:
    """:func:`paragraph_numberer` for an array of offsets that fall on no whitespace (the starts of
    mentions of slogans that begin with a character): one binary search over the array."""
    import numpy as np

    return 1 + np.searchsorted(np.array(_paragraph_ends(text), dtype=np.int64), offsets, side="right")


def paragraph_ends(text: str) -> Any:
    """Where each paragraph break of ``text`` ends (the offset of the next paragraph's first character), an array."""
    import numpy as np

    return np.array(_paragraph_ends(text), dtype=np.int64)


def _paragraph_ends(text: str) -> list[int]:
    """Where each paragraph break ends (the offset of the next paragraph's first character)."""
    lead = len(text) - len(text.lstrip("\n"))
    return [match.end() for match in _PARAGRAPH_BREAK.finditer(text, lead)]


def mention_context(text: str, start: int, end: int, *, width: int = 20) -> str:
    """The mention with up to ``width`` characters either side, in 【】, line breaks shown as spaces.

    >>> mention_context("全面落实“四个走在前”重大任务", 5, 10, width=3)
    '落实“【四个走在前】”重大'
    """
    left, match, right = kwic_parts(text, start, end, width=width)
    return f"{left}【{match}】{right}"


def kwic_parts(text: str, start: int, end: int, *, width: int) -> tuple[str, str, str]:
    """Left context, match and right context of ``text[start:end]``, line breaks as spaces."""
    def flat(part: str) -> str:
        return part.replace("\n", " ")

    return flat(text[max(0, start - width):start]), flat(text[start:end]), flat(text[end:end + width])


@dataclass(frozen=True)
class KwicLine:
    """One occurrence of a term with its context (keyword in context)."""

    document: str
    section: int
    title: str
    start: int
    left: str
    match: str
    right: str


def kwic(sections: Sequence[Section], term: str, *, width: int = 20, document: str = "") -> list[KwicLine]:
    """Every occurrence of ``term`` (as ``str.count`` finds them) with ``width`` characters of context.

    >>> from zhpolicy.sections import split_sections
    >>> [(k.section, k.left, k.match, k.right) for k in kwic(split_sections("## 甲\\n推进532发展战略"), "532", width=2)]
    [(1, '推进', '532', '发展')]
    """
    if not term:
        raise ValueError("the term to look for is empty")
    titles = {section.number: section for section in sections}
    lines = []
    for mention in find_mentions(sections, [term]):
        section = titles[mention.section]
        left, match, right = kwic_parts(section.text, mention.start, mention.end, width=width)
        lines.append(KwicLine(document, section.number, section.title, mention.start, left, match, right))
    return lines


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide and full-width characters (Chinese) take two.

    >>> display_width("532发展")
    7
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_kwic(lines: Sequence[KwicLine], *, width: int = 20) -> list[str]:
    """Aligned text lines for a terminal: the matches line up in one column whatever the script.

    Each line is ``document:section  left  match  right``, the left context right-aligned to
    ``2 * width`` columns (Chinese characters are two columns wide).
    """
    columns = 2 * width
    labels = [f"{line.document}:{line.section}" if line.document else str(line.section) for line in lines]
    label_width = max((display_width(label) for label in labels), default=0)
    return [
        f"{label}{' ' * (label_width - display_width(label))}  "
        f"{' ' * max(0, columns - display_width(line.left))}{line.left}  {line.match}  {line.right}"
        for label, line in zip(labels, lines)
    ]


def outside_longer(mentions: pd.DataFrame) -> Any:
    """Boolean mask of the mentions not covered by a longer mention in the same section: one that
    starts no later, reaches at least as far and is longer."""
    import numpy as np

    return outside_longer_mask(mentions["section"].to_numpy(dtype=np.int64), mentions["start"].to_numpy(dtype=np.int64),
                               mentions["end"].to_numpy(dtype=np.int64))


def outside_longer_mask(groups: Any, starts: Any, ends: Any) -> Any:
    """:func:`outside_longer` on arrays: True for each match (``starts``, ``ends``) not covered by a
    longer match of the same group (section)."""
    import numpy as np

    if len(starts) == 0:
        return np.zeros(0, dtype=bool)
    lengths = ends - starts
    order = np.lexsort((-lengths, starts, groups))  # by group, start, longest first
    longest = int(lengths.max()) + 1
    span = (int(ends.max()) + 1) * longest
    # The (end, length) reached so far in the group, compared as one number.
    reach = np.maximum.accumulate(groups[order] * span + ends[order] * longest + lengths[order])
    before = np.concatenate(([-1], reach[:-1]))
    same_group = before // span == groups[order]
    covered = same_group & (ends[order] <= (before % span) // longest) & (lengths[order] < before % longest)
    mask = np.ones(len(starts), dtype=bool)
    mask[order[covered]] = False
    return mask


def reaching_past_mask(groups: Any, starts: Any, ends: Any) -> Any:
    """True for each match that names its group (a formulation) anew: taken by start, longest first,
    it reaches past every earlier match of the group ("十四五" inside "十四五规划" does not)."""
    import numpy as np

    if len(starts) == 0:
        return np.zeros(0, dtype=bool)
    order = np.lexsort((starts - ends, starts, groups))
    sorted_groups, sorted_ends = groups[order], ends[order]
    span = int(ends.max()) + 2
    reach = np.maximum.accumulate(sorted_groups * span + sorted_ends)
    before = np.concatenate(([-1], reach[:-1]))
    mask = np.zeros(len(starts), dtype=bool)
    mask[order] = (before // span != sorted_groups) | (sorted_ends > before % span)
    return mask


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
