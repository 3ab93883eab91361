"""Term counts as one sparse unit × term matrix, and the term frequency table made from it a block at a time."""
from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from functools import partial
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from zhpolicy.tables import GeneratedTable, joined

#: (unit, term) pairs made into one block of a long table.
BLOCK_PAIRS = 1 << 18


class TermCounts(Mapping[Any, Counter[str]]):
    """How often each term occurs in each unit (a section, or a document): a CSR matrix with one row
    per unit, in unit order, and one column per term of the sorted ``vocabulary``; zeros are not stored.

    As a mapping, unit → ``Counter`` of its terms (built on demand). :meth:`totals` adds the units up.
    """

    def __init__(self, units: Sequence[Any], vocabulary: Sequence[str], matrix: Any) -> None:
        self.units = list(units)
        self.vocabulary = np.asarray(vocabulary, dtype=object).reshape(-1)
        self.matrix = matrix
        self._row_of = {unit: row for row, unit in enumerate(self.units)}

    @classmethod
    def from_mapping(cls, counts: Mapping[Any, Mapping[str, int] | Sequence[str]]) -> TermCounts:
        """From unit → term counts (or the unit's list of terms, repeats included), in the mapping's order."""
        builder = TermCountsBuilder()
        for unit, terms in counts.items():
            builder.add(unit, terms if isinstance(terms, Mapping) else Counter(terms))
        return builder.build(list(counts))

    @classmethod
    def from_frame(cls, table: pd.DataFrame, *, unit: str) -> TermCounts:
        """From a long ``<unit>, term, count`` table; units sorted (numbers, or names as text sorts)."""
        builder = TermCountsBuilder()
        if table.empty:
            return builder.build([])
        summed = table.groupby([unit, "term"], sort=False)["count"].sum().astype("int64")
        for key, rows in summed.groupby(level=0, sort=False):
            builder.add(key, dict(zip(rows.index.get_level_values(1), rows.to_numpy().tolist())))
        return builder.build(sorted(table[unit].unique()))

    def __getitem__(self, unit: Any) -> Counter[str]:
        row = self._row_of[unit]
        start, end = self.matrix.indptr[row], self.matrix.indptr[row + 1]
        return Counter(dict(zip(self.vocabulary[self.matrix.indices[start:end]].tolist(),
                                self.matrix.data[start:end].tolist())))

    def __iter__(self) -> Iterator[Any]:
        return iter(self.units)

    def __len__(self) -> int:
        return len(self.units)

    def __contains__(self, unit: object) -> bool:
        return unit in self._row_of

    @property
    def pairs(self) -> int:
        """Stored (unit, term) pairs: the rows of ``term_freq``."""
        return int(self.matrix.nnz)

    def total(self) -> int:
        """Occurrences of all terms in all units."""
        return int(self.matrix.data.sum())

    def column_totals(self) -> np.ndarray:
        """Occurrences of each vocabulary term in all units (int64)."""
        return np.asarray(self.matrix.sum(axis=0), dtype=np.int64).reshape(-1)

    def row_totals(self) -> np.ndarray:
        """Occurrences of all terms in each unit (int64)."""
        return np.asarray(self.matrix.sum(axis=1), dtype=np.int64).reshape(-1)

    def totals(self) -> Counter[str]:
        """Every term's occurrences in all units, most frequent first, ties by term."""
        counts = self.column_totals()
        used = np.flatnonzero(counts)
        order = used[np.lexsort((used, -counts[used]))]
        return Counter(dict(zip(self.vocabulary[order].tolist(), counts[order].tolist())))

    def row_blocks(self, pairs: int = BLOCK_PAIRS) -> Iterator[tuple[int, int]]:
        """``(first row, end row)`` of consecutive units holding about ``pairs`` pairs (see :func:`row_blocks`)."""
        return row_blocks(self.matrix.indptr, pairs)

    def block_pairs(self, start: int, end: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Row index, column and count of every pair in rows ``start`` to ``end``, row by row, columns ascending."""
        indptr = self.matrix.indptr
        rows = np.repeat(np.arange(start, end, dtype=np.int64), np.diff(indptr[start:end + 1]))
        return rows, self.matrix.indices[indptr[start]:indptr[end]], self.matrix.data[indptr[start]:indptr[end]]

    def __getstate__(self) -> dict[str, Any]:
        return {"units": self.units, "vocabulary": self.vocabulary, "matrix": self.matrix}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["units"], state["vocabulary"], state["matrix"])  # type: ignore[misc]


def row_blocks(indptr: np.ndarray, pairs: int = BLOCK_PAIRS) -> Iterator[tuple[int, int]]:
    """``(first row, end row)`` of consecutive rows of a CSR matrix (row pointers ``indptr``) holding
    about ``pairs`` stored values each, at least one row."""
    start, rows = 0, len(indptr) - 1
    while start < rows:
        end = int(np.searchsorted(indptr, indptr[start] + pairs, side="right")) - 1
        end = min(max(end, start + 1), rows)
        yield start, end
        start = end


class TermCountsBuilder:
    """Adds up term counts unit by unit (a unit may come in several pieces), terms as integer codes in
    flat arrays: 12 bytes a (piece, term) pair, no object per piece."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}
        self.units: list[Any] = []  # the unit of each piece
        self.sizes = array("q")  # the pairs of each piece
        self.columns = array("i")  # term codes
        self.counts = array("q")

    def add(self, unit: Any, counts: Mapping[str, int]) -> None:
        """Add the term counts of (a piece of) ``unit``."""
        codes = self.codes
        self.columns.extend(codes.setdefault(term, len(codes)) for term in counts)
        self.counts.extend(counts.values())
        self.units.append(unit)
        self.sizes.append(len(counts))

    def build(self, units: Sequence[Any]) -> TermCounts:
        """The counts of ``units``, in that order (a unit never added has no terms); zeros dropped."""
        from scipy.sparse import csr_matrix

        row_of = {unit: row for row, unit in enumerate(units)}
        names = list(self.codes)
        rows = np.repeat(np.array([row_of.get(unit, -1) for unit in self.units], dtype=np.int64),
                         np.frombuffer(self.sizes, dtype=np.int64) if self.sizes else np.zeros(0, np.int64))
        codes = np.frombuffer(self.columns, dtype=np.int32) if self.columns else np.zeros(0, np.int32)
        data = np.frombuffer(self.counts, dtype=np.int64) if self.counts else np.zeros(0, np.int64)
        kept = (data > 0) & (rows >= 0)
        rows, codes, data = rows[kept], codes[kept], data[kept]
        used = np.unique(codes)  # the vocabulary: terms that occur, sorted as text
        order = sorted(range(len(used)), key=lambda index: names[used[index]])
        rank = np.empty(len(names), dtype=np.int32)
        rank[used[order]] = np.arange(len(used), dtype=np.int32)
        vocabulary = [names[used[index]] for index in order]
        columns = rank[codes]
        if len(rows) and np.any(rows[1:] < rows[:-1]):  # pieces of units out of order: put them in order
            by_row = np.argsort(rows, kind="stable")
            rows, columns, data = rows[by_row], columns[by_row], data[by_row]
        indptr = np.zeros(len(units) + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=len(units)), out=indptr[1:])
        # Straight to CSR (a COO matrix would hold another two arrays of the pairs' size).
        matrix = csr_matrix((data, columns, indptr), shape=(len(units), len(vocabulary)))
        matrix.sum_duplicates()  # a unit's pieces added up; columns sorted within each row
        return TermCounts(units, vocabulary, matrix)


def term_freq_frames(counts: TermCounts, *, unit: str = "section", pairs: int = BLOCK_PAIRS) -> Iterator[pd.DataFrame]:
    """The long ``<unit>, term, count`` table, a block of units at a time: sorted by unit (in
    ``counts`` order), then count (descending), then term."""
    units = np.asarray(counts.units)
    for start, end in counts.row_blocks(pairs):
        rows, columns, data = counts.block_pairs(start, end)
        order = np.lexsort((columns, -data, rows))
        yield pd.DataFrame({unit: units[rows[order]], "term": counts.vocabulary[columns[order]],
                            "count": data[order]})


def term_freq_table(counts: TermCounts, *, unit: str = "section") -> GeneratedTable:
    """The ``term_freq`` table of ``counts``, made when it is read or written (see :func:`term_freq_frames`)."""
    return GeneratedTable([unit, "term", "count"], counts.pairs, partial(term_freq_frames, counts, unit=unit))


#: Terms of a unit: their list (in order, repeats included) or their counts.
Terms: TypeAlias = Sequence[str] | Mapping[str, int]


def term_counts_of(terms_by_unit: Mapping[Any, Terms] | TermCounts) -> TermCounts:
    """Term counts as a :class:`zhpolicy.stats.terms.TermCounts` matrix (given as one, or unit → terms)."""
    return terms_by_unit if isinstance(terms_by_unit, TermCounts) else TermCounts.from_mapping(terms_by_unit)


def term_frequencies(terms_by_section: Mapping[int, Terms] | TermCounts) -> pd.DataFrame:
    """Long table ``section, term, count`` of every term in every section.

    Nothing is segmented: the terms are given, as each section's list (repeats included) or counts.
    A term absent from a section gets no row; a section without terms, none.

    Parameters
    ----------
    terms_by_section : Mapping of int to (sequence of str or Mapping of str to int), or TermCounts
        Section number → its terms (from :func:`zhpolicy.tokens.select_terms`) or their counts; or
        an analysis's ``term_counts``.

    Returns
    -------
    DataFrame
        Columns ``section, term, count``, sorted by section, then count (descending), then term.

    Examples
    --------
    >>> table = term_frequencies({1: ["改革", "开放", "改革"], 2: {"开放": 1}})
    >>> table.values.tolist()
    [[1, '改革', 2], [1, '开放', 1], [2, '开放', 1]]
    """
    if not isinstance(terms_by_section, TermCounts):
        terms_by_section = dict(sorted(terms_by_section.items()))
    return joined(term_freq_frames(term_counts_of(terms_by_section)), pd.DataFrame(columns=["section", "term", "count"]))
