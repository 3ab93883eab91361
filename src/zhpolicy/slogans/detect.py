"""Detecting slogans in texts: quoted phrases, numeric formulas, couplets, the lexicon's formulations, families."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from zhpolicy.slogans.lexicon import Lexicon
from zhpolicy.tokens import dictionary_frequency

SloganKind = Literal["lexicon", "numeric", "quoted", "couplet", "mined"]
#: When one string is detected in several ways, the first kind in this order names it.
KIND_PRECEDENCE: tuple[SloganKind, ...] = ("lexicon", "numeric", "quoted", "couplet", "mined")
#: A quoted phrase that jieba's dictionary holds at least this often is a common word put in quotes
#: (“和平”, “民主”, “一把手”), not a slogan; see :func:`is_common_word`.
COMMON_WORD_FREQUENCY = 20

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
# Five-year-plan names in running text (一五 … 十五, 十一五 … 十五五), only where the text names a plan:
# followed by 计划, 规划, 时期 or 期间; not inside a longer numeral (一九五四年 holds 九五), see _PLAN_NOT_AFTER.
_PLAN_NAME = re.compile(r"(?:十[一二三四五六七八九]?|[一二三四五六七八九])五(?=计划|规划|时期|期间)")
_PLAN_NOT_AFTER = frozenset("〇○零一二两三四五六七八九十百千万第")
# "X个Y", "X大Y", "X项Y" in running text: a Chinese numeral, a classifier and 2-4 characters up to a
# punctuation mark ("增强四个意识、", "打好三大攻坚战,"). Multi-character numerals before 大 are party
# congresses (二十大精神), not formulas. Not after _COUNTED_FORMULA_NOT_AFTER (checked by _matches_not_after:
# a pattern that opens with a look-behind cannot use the regex engine's first-character scan). Both
# patterns open with one plain character class, not a repeat or a group of alternatives, for the same
# reason: the engine then jumps from numeral to numeral instead of trying every character, with the same matches.
_COUNTED_FORMULA = re.compile(
    r"[一二两三四五六七八九十](?:[一二两三四五六七八九十]*[个项]|(?<!一)大)"
    r"(?![〇○零一二两三四五六七八九十百千万亿])[\u4e00-\u9fff]{2,4}?(?=[、,。;:!?”」)\s]|$)"
)
# Not after a numeral (a longer number), 第 (an ordinal), or a character that makes the numeral part of a
# word: 统一大市场 is 统一 + 大市场, not 一大 + 市场; 唯一, 同一, 单一, 逐一, 之一, 万一.
_COUNTED_FORMULA_NOT_AFTER = frozenset("〇○零一二两三四五六七八九十百千万第")
_WORDS_ENDING_IN_ONE = frozenset("统唯同单逐之万专划")  # 统一, 唯一, 同一 … : 一 there opens no formula
_STRATEGY_CODE = re.compile(
    r"([0-9][0-9]{2,4})”?(?=发展战略|战略|工作部署|部署|工程|行动|计划|体系|格局|模式|布局)"
)
_STRATEGY_CODE_NOT_AFTER = frozenset("0123456789.")


@dataclass(frozen=True)
class Slogan:
    """A string to count, how it was detected, and the formulation it belongs to.

    Made by :func:`detect_slogans`; frozen.

    Attributes
    ----------
    text : str
        The string counted, exactly as it must appear in the normalised text.
    kind : {"lexicon", "numeric", "quoted", "couplet", "mined"}
        How it was found: a form of a lexicon entry, a numeric formula (:func:`find_numeric`), a
        quoted phrase that is not a common word (:func:`find_quoted`), a couplet whose frame recurs,
        or a phrase mined from the run.
    canonical : str
        The formulation it counts for: the lexicon entry's phrase for its variants, else ``text``.
    category : str, default ""
        The lexicon entry's category.
    family : str, default ""
        A shared stem ("常有X", see :func:`slogan_families`) or couplet frame ("守…之正 创…之新").
    not_after : str, default ""
        Characters that may not stand just before an occurrence for it to count (a lexicon entry's).
    not_before : str, default ""
        Characters that may not stand just after one.

    Examples
    --------
    >>> Slogan("十四五", "lexicon", "十四五规划", category="规划").canonical
    '十四五规划'
    """

    text: str
    kind: SloganKind
    canonical: str
    category: str = ""
    family: str = ""
    not_after: str = ""  # characters that may not stand just before an occurrence (a lexicon entry's)
    not_before: str = ""  # characters that may not stand just after one


def find_quoted(text: str) -> list[str]:
    """Phrases of 2-25 characters inside “…”, 「…」 or 『…』 that are not quoted sentences.

    A quotation holding sentence punctuation (,。;:!?) or spaces is a sentence, not a slogan;
    the enumeration comma 、 is allowed ("走在前、做示范"). Common words in quotes are returned too
    (:func:`detect_slogans` leaves them out, see :func:`is_common_word`).

    Parameters
    ----------
    text : str
        Normalised text (half-width punctuation, see :func:`zhpolicy.text.normalize.normalize_text`).

    Returns
    -------
    list of str
        Each phrase once, in order of first appearance.

    Examples
    --------
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
    formulas ending at a punctuation mark ("四个意识、", "三大攻坚战,").

    A numeral never opens a formula inside a longer number or a date (九五 in 一九五四年, 十五 in
    二十五项); an unquoted plan name counts only before 计划, 规划, 时期 or 期间; multi-character
    numerals before 大 are party congresses (二十大精神), not formulas; 一 after 统, 唯, 同… opens no
    formula (全国统一大市场).

    Parameters
    ----------
    text : str
        Normalised text.
    quoted : sequence of str, optional
        The result of :func:`find_quoted` on the same text, if already at hand.

    Returns
    -------
    list of str
        Each formula once: strategy codes, then plan names, then X个Y/X大Y formulas, then quoted
        numeral formulas, each group in order of appearance (see :func:`numeric_evidence` for the
        rule that found each).

    Examples
    --------
    >>> find_numeric("深入推进“532”发展战略和区“3511”工作部署,完成“十四五”,落实“四个走在前”")
    ['532', '3511', '四个走在前', '十四五']
    >>> find_numeric("增强四个意识、坚定四个自信,打好三大攻坚战,学习二十大精神,完成十个重点项目建设。")
    ['四个意识', '四个自信', '三大攻坚战']
    >>> find_numeric("一九五四年和一九九五年,二十五项,“九五”计划和十一五规划期间,全国统一大市场建设,一大批人才。")
    ['十一五', '九五']
    """
    return list(numeric_evidence(text, quoted=quoted))


def numeric_evidence(text: str, *, quoted: Sequence[str] | None = None) -> dict[str, str]:
    """The numeric formulas of :func:`find_numeric`, each with the rule that found it first.

    Examples
    --------
    >>> numeric_evidence("实施“532”发展战略,十四五规划期间,增强四个意识、弘扬“四敢”精神")
    {'532': 'strategy code', '十四五': 'plan name', '四个意识': 'X个Y formula', '四敢': 'quoted numeral formula'}
    """
    found: dict[str, str] = {}
    for match in _matches_not_after(_STRATEGY_CODE, text, _STRATEGY_CODE_NOT_AFTER):
        found.setdefault(match[1], "strategy code")
    for match in _matches_not_after(_PLAN_NAME, text, _PLAN_NOT_AFTER):
        found.setdefault(match[0], "plan name")
    for match in _matches_not_after(_COUNTED_FORMULA, text, _COUNTED_FORMULA_NOT_AFTER):
        if not (match[0][0] == "一" and match.start() and text[match.start() - 1] in _WORDS_ENDING_IN_ONE):
            found.setdefault(match[0], "X大Y formula" if "大" in match[0][:3] and "个" not in match[0][:3]
                             and "项" not in match[0][:3] else "X个Y formula")
    for phrase in (find_quoted(text) if quoted is None else quoted):
        if is_numeric_formula(phrase):
            found.setdefault(phrase, "quoted numeral formula")
    return found


def _matches_not_after(pattern: re.Pattern[str], text: str, not_after: frozenset[str]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` had ``pattern`` opened with ``(?<![not_after])``: the same matches, while
    ``pattern`` keeps its first-character scan (one that opens with a look-behind is tried at every
    character). A match after one of those characters is skipped and the search goes on from the next
    character, as the look-behind would have failed there and the engine moved on."""
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
    reasons: tuple[str, ...] = ()  # the rule that found each numeric formula (see :func:`numeric_evidence`)


def scan_text(text: str) -> TextScan:
    """Numeric and quoted slogans and couplet frames in ``text``. A text cut after line ends (or
    after a 。) gives, piece by piece, what it gives whole: no slogan spans a line end or a 。."""
    quoted = find_quoted(text)
    numeric = numeric_evidence(text, quoted=quoted)
    return TextScan(tuple(numeric), tuple(quoted), _couplet_frames(text), tuple(numeric.values()))


def _couplet_frames(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each couplet frame ("守…之正 创…之新") of ``text`` with its couplets, in order of appearance."""
    by_frame: dict[str, list[str]] = {}
    # A couplet holds two 之 and no line break: only lines with two 之 are searched (the same matches,
    # as the search of the whole text starts each line afresh; the other lines cannot hold one).
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
        #: For each text in turn: its own slogans with their kind, and its couplets with their family.
        self.by_text: list[tuple[dict[str, SloganKind], dict[str, str]]] = []
        self._numeric: dict[str, str] = {}
        #: For each text in turn: the rule that found each of its numeric formulas (see :func:`numeric_evidence`).
        self.evidence_by_text: list[dict[str, str]] = []
        self._quoted: dict[str, None] = {}
        self._frame_couplets: dict[str, dict[str, None]] = {}  # frame → its distinct couplets, in order
        self._frame_occurrences: Counter[str] = Counter()

    def add(self, scan: TextScan) -> None:
        """Add the scan of the next piece of the current text."""
        for phrase, reason in zip(scan.numeric, scan.reasons or ("numeric formula",) * len(scan.numeric)):
            self._numeric.setdefault(phrase, reason)
        self._quoted.update(dict.fromkeys(scan.quoted))
        for frame, found in scan.frames:
            self._frame_couplets.setdefault(frame, {}).update(dict.fromkeys(found))
            self._frame_occurrences[frame] += len(found)

    def end_text(self) -> None:
        """The current text is done: its slogans and recurring couplet frames are added."""
        own: dict[str, SloganKind] = dict.fromkeys(self._numeric, "numeric")
        for phrase in self._quoted:
            if phrase not in own and not is_common_word(phrase):
                own[phrase] = "quoted"
        couplets = {couplet: frame for frame, found in self._frame_couplets.items()
                    if self._frame_occurrences[frame] >= 2 for couplet in found}
        for phrase, kind in own.items():
            self.kinds.setdefault(phrase, kind)
        self.couplets.update(couplets)
        self.by_text.append((own, couplets))
        # Only the rule that found each numeric formula: every other kind has one reason (see the pipeline).
        self.evidence_by_text.append({phrase: self._numeric[phrase] for phrase, kind in own.items() if kind == "numeric"})
        self._numeric, self._quoted, self._frame_couplets, self._frame_occurrences = {}, {}, {}, Counter()


def is_common_word(phrase: str) -> bool:
    """True when jieba's dictionary holds ``phrase`` at least :data:`COMMON_WORD_FREQUENCY` times: a
    common word that a report put in quotes once (“和平”, “民主”) is a term in quotes, not a slogan.

    Examples
    --------
    >>> is_common_word("民主"), is_common_word("万亿之城再出发")
    (True, False)
    """
    return dictionary_frequency(phrase) >= COMMON_WORD_FREQUENCY


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

    Each string gets one kind, the first of lexicon, numeric, quoted, couplet, mined that applies;
    lexicon variants name their entry's phrase as canonical. Quoted common words (:func:`is_common_word`)
    are left out; couplets count when their frame recurs within one text (:func:`find_couplets`).
    Slogans that share a stem get a family (:func:`slogan_families`).

    Parameters
    ----------
    texts : iterable of str
        Normalised texts to scan (a document's text, or several).
    lexicon : Lexicon
        The formulations to count (see :func:`zhpolicy.slogans.lexicon.load_lexicon`); every form
        is a slogan, found in the texts or not.
    mined : iterable of str, default ()
        Mined phrases to count too (kind ``mined``).
    found : tuple of (dict, dict), optional
        The result of :func:`find_text_slogans` on the same texts, to skip scanning them again.

    Returns
    -------
    list of Slogan
        Sorted by text.

    Examples
    --------
    >>> from zhpolicy.slogans.lexicon import Lexicon, LexiconEntry
    >>> lexicon = Lexicon((LexiconEntry("新发展理念", "理念", variants=("新的发展理念",)),))
    >>> [(s.text, s.kind, s.canonical) for s in detect_slogans(["贯彻新发展理念,落实“四个走在前”"], lexicon)]
    [('四个走在前', 'numeric', '四个走在前'), ('新发展理念', 'lexicon', '新发展理念'), ('新的发展理念', 'lexicon', '新发展理念')]
    """
    forms = lexicon.forms()
    text_kinds, couplets = find_text_slogans(texts) if found is None else found
    kinds = dict(text_kinds)
    for phrase in sorted(couplets):
        kinds.setdefault(phrase, "couplet")
    for phrase in mined:
        kinds.setdefault(phrase, "mined")
    families = slogan_families(phrase for phrase in kinds if phrase not in forms) | couplets
    slogans = []
    for phrase in sorted(set(kinds) | set(forms)):
        entry = forms.get(phrase)
        if entry is not None:
            slogans.append(Slogan(phrase, "lexicon", entry.phrase, entry.category, families.get(phrase, ""),
                                  entry.not_after, entry.not_before))
        else:
            slogans.append(Slogan(phrase, kinds[phrase], phrase, family=families.get(phrase, "")))
    return slogans


def find_couplets(text: str) -> dict[str, str]:
    """Parallel couplets that recur with the same frame, mapped to their family.

    "守绝对忠诚之正 创政治建设之新 守秉公用权之正 创法治建设之新" holds two couplets of the family
    "守…之正 创…之新"; a frame seen only once is not reported.

    Examples
    --------
    >>> find_couplets("守绝对忠诚之正 创政治建设之新 守秉公用权之正 创法治建设之新")
    {'守绝对忠诚之正 创政治建设之新': '守…之正 创…之新', '守秉公用权之正 创法治建设之新': '守…之正 创…之新'}
    """
    return merge_scans([[TextScan((), (), _couplet_frames(text))]])[1]


def slogan_families(phrases: Iterable[str], *, min_members: int = 3) -> dict[str, str]:
    """Group slogans that share a stem into families: 常有善育, 常有优学, 常有健康 … → "常有X".

    A family is a prefix (or suffix) of at least two characters shared by at least ``min_members``
    slogans whose varying part is one to four characters ("X" stands for it). Each slogan joins the
    family with the longest stem; a numeric formula naming the stem ("六个常有") joins it too.

    Examples
    --------
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
