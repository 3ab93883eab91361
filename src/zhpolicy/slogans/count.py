"""Exact slogan counting: every occurrence of every slogan (one Aho-Corasick pass), counts and formulations."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, TypeAlias

import pandas as pd

from zhpolicy.sections import Section
from zhpolicy.slogans.detect import Slogan


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


#: Columns of a mention frame (:func:`mention_frame`).
MENTION_COLUMNS = ["section", "start", "end", "slogan"]
#: Mentions as objects or as a frame with :data:`MENTION_COLUMNS`.
Mentions: TypeAlias = Sequence[Mention] | pd.DataFrame


def find_mentions(sections: Sequence[Section], slogans: Sequence[str]) -> list[Mention]:
    """Every occurrence of every slogan in every section, as ``str.count`` sees them.

    For each slogan the occurrences are non-overlapping and leftmost-first, as ``str.count`` counts
    them; occurrences of different slogans may overlap or nest ("走在前" inside "四个走在前").
    ``section.text[m.start:m.end] == m.slogan`` for every mention ``m``. The numeral rule of
    :func:`edge_rules` applies (a slogan that opens or ends with a numeral does not count inside a
    longer number); a lexicon entry's own edge rules need its :class:`Slogan` (:func:`count_slogans`).

    Parameters
    ----------
    sections : sequence of Section
        The sections to search (see :func:`zhpolicy.sections.split_sections`).
    slogans : sequence of str
        The slogan texts; empty strings are ignored.

    Returns
    -------
    list of Mention
        Sorted by section, start, end and slogan (:func:`mention_frame` gives the same as a table).

    Examples
    --------
    >>> from zhpolicy.sections import split_sections
    >>> mentions = find_mentions(split_sections("## 一\\n四个走在前,走在前"), ["四个走在前", "走在前"])
    >>> [(m.section, m.start, m.end, m.slogan) for m in mentions]
    [(1, 5, 10, '四个走在前'), (1, 7, 10, '走在前'), (1, 11, 14, '走在前')]
    """
    frame = mention_frame(sections, slogans)
    return [Mention(int(section), int(start), int(end), slogan)
            for section, start, end, slogan in frame.itertuples(index=False, name=None)]


#: Chinese numerals: a numeral at the edge of a slogan must not continue a longer number (九五 inside 一九五四年).
CHINESE_NUMERALS = "〇○零一二两三四五六七八九十百千万亿"
#: What may not follow a slogan that ends in a Chinese numeral: more numerals, or a unit that makes it a
#: date, a count or a congress (十五年, 十五个, 十五大, 十五届).
_AFTER_CHINESE_NUMERAL = CHINESE_NUMERALS + "年月日号大届次周岁个项条倍名位0123456789"
_DIGITS = "0123456789"


def edge_rules(phrase: str, not_after: str = "", not_before: str = "") -> tuple[str, str]:
    """The characters that may not stand just before and just after an occurrence of ``phrase`` for it
    to count: ``not_after``/``not_before`` as given (a lexicon entry's), plus the numeral rule — a phrase
    that opens with a numeral does not count inside a longer number, an ordinal or a fraction (第十五,
    百分之十五), one that ends with a Chinese numeral
    not before more numerals, 年 or a unit (十五 in 二十五 or 十五年 is no plan name), one that ends with a
    digit not before more digits.

    Examples
    --------
    >>> edge_rules("九五")[0][:6], "年" in edge_rules("九五")[1]
    ('〇○零一二两', True)
    >>> edge_rules("新发展理念", not_after="创")
    ('创', '')
    >>> edge_rules("532")
    ('0123456789.', '0123456789.%')
    """
    if phrase[:1] and phrase[0] in CHINESE_NUMERALS:
        not_after += CHINESE_NUMERALS + "第之"  # 第十五, 百分之十五
    elif phrase[:1].isdigit():
        not_after += _DIGITS + "."
    if phrase[-1:] and phrase[-1] in CHINESE_NUMERALS:
        not_before += _AFTER_CHINESE_NUMERAL
    elif phrase[-1:].isdigit():
        not_before += _DIGITS + ".%"
    return "".join(dict.fromkeys(not_after)), "".join(dict.fromkeys(not_before))


class SloganMatcher:
    """Finds every slogan in a text in one Aho-Corasick pass (ahocorasick-rs, the Rust aho-corasick
    crate); the matches come back as arrays.

    ``patterns`` are the slogans, sorted (a match's ``id`` indexes them). Built once per process and
    reused for every piece of text (a worker keeps one).
    """

    def __init__(self, slogans: Iterable[str], rules: Mapping[str, tuple[str, str]] | None = None) -> None:
        import ahocorasick_rs
        import numpy as np

        self.patterns = sorted({s for s in slogans if s})
        self.rules = dict(rules or {})
        # Each pattern's characters not allowed just before and just after it (see :func:`edge_rules`).
        self.edges = [edge_rules(p, *self.rules.get(p, ("", ""))) for p in self.patterns]
        self.edged = np.array([bool(a or b) for a, b in self.edges], dtype=bool)
        # Standard match kind: every match, overlapping and nested ones too (万亿 inside 万亿之城再出发).
        self.automaton = ahocorasick_rs.AhoCorasick(self.patterns, matchkind=ahocorasick_rs.MatchKind.Standard)
        # Only a pattern whose start recurs at its end (哈哈, 一一) can overlap itself.
        self.bordered = np.array([any(p[:k] == p[-k:] for k in range(1, len(p))) for p in self.patterns], dtype=bool)

    def __reduce__(self) -> tuple[Any, ...]:
        # Sent to another process, a matcher is built there again (the automaton cannot be pickled).
        return (SloganMatcher, (self.patterns, self.rules))

    def find(self, text: str, *, before: str = "", after: str = "") -> tuple[Any, Any, Any]:
        """``(starts, ends, ids)`` of every match, in order of end (character offsets); a pattern's
        overlapping matches are all there (see :meth:`drop_self_overlaps`). A match with a character
        its pattern's :func:`edge_rules` forbid just before or after it is left out; ``before`` and
        ``after`` are the text around ``text`` (a chunk's neighbours), for matches at its ends."""
        import numpy as np

        if not self.patterns or not text:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        matches = self.automaton.find_matches_as_indexes(text, overlapping=True)
        found = np.fromiter(chain.from_iterable(matches), dtype=np.int64, count=3 * len(matches)).reshape(-1, 3)
        starts, ends, ids = found[:, 1], found[:, 2], found[:, 0]
        edged = np.flatnonzero(self.edged[ids])
        if len(edged):
            keep = np.ones(len(ids), dtype=bool)
            last = len(text)
            for position, start, end, pattern in zip(edged.tolist(), starts[edged].tolist(), ends[edged].tolist(),
                                                     ids[edged].tolist()):
                not_after, not_before = self.edges[pattern]
                previous = text[start - 1] if start else before[-1:]
                following = text[end] if end < last else after[:1]
                if (previous and previous in not_after) or (following and following in not_before):
                    keep[position] = False
            starts, ends, ids = starts[keep], ends[keep], ids[keep]
        return starts, ends, ids

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

    ``count`` is ``section.text.count(slogan.text)``, heading included, less the occurrences that a
    character forbidden by the slogan's edge rules touches (:func:`edge_rules`: its lexicon entry's
    ``not_after``/``not_before``, and the numeral rule: "九五" does not count in "一九五四年");
    ``count_outside`` leaves out, further, the occurrences inside a longer slogan's occurrence.

    Parameters
    ----------
    sections : sequence of Section
        The sections to count in (see :func:`zhpolicy.sections.split_sections`).
    slogans : sequence of Slogan
        The slogans to count (see :func:`zhpolicy.slogans.detect.detect_slogans`).

    Returns
    -------
    list of SloganCount
        One row per slogan per section where it occurs, ordered by the slogan's total count over all
        sections (descending), then slogan text, then section.

    Examples
    --------
    >>> from zhpolicy.sections import split_sections
    >>> rows = count_slogans(split_sections("## 一\\n四个走在前,走在前"),
    ...                      [Slogan("四个走在前", "numeric", "四个走在前"), Slogan("走在前", "quoted", "走在前")])
    >>> [(r.slogan.text, r.count, r.count_outside) for r in rows]
    [('走在前', 2, 1), ('四个走在前', 1, 1)]
    """
    return count_mentions(mention_frame(sections, matcher_of(slogans)), slogans)


def matcher_of(slogans: Sequence[Slogan]) -> SloganMatcher:
    """A matcher of the slogans' texts that keeps each one's edge rules (a lexicon entry's not_after and
    not_before, see :func:`edge_rules`)."""
    return SloganMatcher([s.text for s in slogans],
                         {s.text: (s.not_after, s.not_before) for s in slogans if s.not_after or s.not_before})


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

    Examples
    --------
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


