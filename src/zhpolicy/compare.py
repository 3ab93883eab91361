"""Comparing sections and reports: slogan matrices and rates, category shares, years, rises and falls."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from functools import partial
from pathlib import PurePath
from typing import Any

import numpy as np
import pandas as pd

from zhpolicy.stats.keyness import keyness, keyness_scores
from zhpolicy.stats.terms import term_counts_of
from zhpolicy.stats.tfidf import rank_tfidf
from zhpolicy.tables import GeneratedTable, joined, stable_sort

#: Rates are given per this many characters of normalised text.
RATE_BASE = 10_000


_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_YEAR_LINE = re.compile(r"^[ \t]*(?:year|年份|年度)[ \t]*[:：][ \t]*[\"']?((?:19|20)\d\d)\b", re.MULTILINE | re.IGNORECASE)
_YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def section_label(number: int) -> str:
    """The column name of a section in wide tables: ``s01``, ``s02``, … (as in ``wordcloud_s01.png``)."""
    return f"s{int(number):02d}"


def slogan_matrix(slogans: pd.DataFrame, columns: Mapping[Any, str], *, unit: str = "section") -> pd.DataFrame:
    """Slogans by section (or document): one row per slogan, one column per unit, and ``total``.

    Parameters
    ----------
    slogans : the long ``slogans`` table (``unit, slogan, …, count``).
    columns : unit → column name, in column order (e.g. ``{1: "s01", 2: "s02"}``); units without
        slogans get a column of zeros.
    unit : the name of the unit column, ``section`` or ``document``.

    Returns
    -------
    ``slogan, <one column per unit>, total`` with exact counts (``count``, see the counting rule),
    ordered by total (descending), then slogan.

    Examples
    --------
    >>> table = pd.DataFrame({"section": [1, 2, 2], "slogan": ["四敢", "四敢", "532"], "count": [1, 2, 3]})
    >>> slogan_matrix(table, {1: "s01", 2: "s02"}).to_dict("records")
    [{'slogan': '532', 's01': 0, 's02': 3, 'total': 3}, {'slogan': '四敢', 's01': 1, 's02': 2, 'total': 3}]
    """
    return joined(matrix_frames(slogans, columns, unit=unit), _empty_matrix(["slogan", *columns.values(), "total"]))


def _empty_matrix(header: list[str], dtype: str = "int64") -> pd.DataFrame:
    """A wide table of no rows: its first column text, the others ``dtype``."""
    return pd.DataFrame(columns=header).astype({column: dtype for column in header[1:]})


#: Cells of a wide table made at a time by :func:`matrix_frames` (a text cut into 100,000 sections
#: has a column for each).
MATRIX_CELLS = 1 << 20


def matrix_frames(slogans: pd.DataFrame, columns: Mapping[Any, str], *, unit: str = "section",
                  chars: Mapping[str, int] | None = None, label: str = "slogan",
                  cells: int = MATRIX_CELLS) -> Iterator[pd.DataFrame]:
    """:func:`slogan_matrix` (or, given ``chars``, :func:`slogan_rates` of it) a block of rows at a
    time, each block about ``cells`` cells, the first column named ``label``: the counts are held as
    (slogan, unit) pairs, never as the whole slogan × unit grid."""
    if slogans.empty:
        return
    summed = slogans.groupby(["slogan", unit], sort=False)["count"].sum()
    codes, items = pd.factorize(summed.index.get_level_values(0), sort=True)  # items sorted as text
    column = pd.Index(list(columns)).get_indexer(summed.index.get_level_values(1))  # -1: a unit left out
    counts = summed.to_numpy(dtype=np.int64)
    kept = column >= 0
    totals = np.bincount(codes[kept], weights=counts[kept], minlength=len(items)).astype(np.int64)
    by_row = np.lexsort((np.arange(len(items)), -totals))  # total (descending), then slogan
    row_of = np.empty(len(items), dtype=np.int64)
    row_of[by_row] = np.arange(len(items), dtype=np.int64)
    rows, column, counts = row_of[codes[kept]], column[kept], counts[kept]
    order = np.argsort(rows, kind="stable")
    rows, column, counts = rows[order], column[order], counts[order]
    names, labels = list(columns.values()), np.asarray(items, dtype=object)[by_row]
    step = max(1, cells // (len(names) + 2))
    for start in range(0, len(items), step):
        end = min(start + step, len(items))
        first, last = np.searchsorted(rows, [start, end])
        grid = np.zeros((end - start, len(names)), dtype=np.int64)
        grid[rows[first:last] - start, column[first:last]] = counts[first:last]
        block = pd.DataFrame(grid, columns=names)
        block.insert(0, "slogan", labels[start:end])
        block["total"] = grid.sum(axis=1)
        if chars is not None:
            block = slogan_rates(block, chars)
        yield block.rename(columns={"slogan": label}) if label != "slogan" else block


def slogan_rates(matrix: pd.DataFrame, chars: Mapping[str, int]) -> pd.DataFrame:
    """The slogan matrix per 10,000 characters: ``count / chars * 10000`` for each column.

    ``chars`` maps each unit column to the characters of its normalised text; ``total`` is divided by
    the sum of them. Units of zero characters get rates of 0. Same rows and columns as ``matrix``.
    """
    total_chars = sum(int(chars[name]) for name in chars)
    columns = [c for c in matrix.columns if c != "slogan"]
    sizes = np.array([total_chars if name == "total" else int(chars[name]) for name in columns], dtype=float)
    counts = matrix[columns].to_numpy(dtype=float).reshape(len(matrix), len(columns))
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = np.where(sizes > 0, counts / np.where(sizes > 0, sizes, 1.0) * RATE_BASE, 0.0)
    return pd.concat([matrix[["slogan"]], pd.DataFrame(rates, index=matrix.index, columns=columns)], axis=1)


def category_shares(slogans: pd.DataFrame, *, unit: str = "section") -> pd.DataFrame:
    """Share of each lexicon category among a section's (or document's) categorised slogan mentions.

    Counts ``count_outside`` (occurrences inside a longer counted slogan are left out, so nested
    formulations are not counted twice); slogans without a category (quoted, numeric, mined) are left
    out. Columns ``<unit>, category, count_outside, share``, sorted by unit, share (descending),
    category; shares of a unit sum to 1.
    """
    columns = [unit, "category", "count_outside", "share"]
    rows = slogans[slogans["category"].fillna("").astype(str) != ""] if not slogans.empty else slogans
    if rows.empty:
        return pd.DataFrame(columns=columns)
    table = rows.groupby([unit, "category"], as_index=False)["count_outside"].sum()
    table = table[table["count_outside"] > 0]
    table["share"] = table["count_outside"] / table.groupby(unit)["count_outside"].transform("sum")
    return stable_sort(table, [unit, "share", "category"], [True, False, True])[columns].reset_index(drop=True)


def section_tables(tables: Mapping[str, pd.DataFrame], *, with_keyness: bool = True) -> dict[str, pd.DataFrame]:
    """The comparison tables of one document from its pipeline tables (``sections``, ``slogans``, ``term_freq``).

    Returns ``slogan_matrix``, ``slogan_rates``, ``keyness`` and ``category_shares`` (see
    :func:`slogan_matrix`, :func:`slogan_rates`, :func:`keyness`, :func:`category_shares`), and
    ``formulation_matrix`` / ``formulation_rates``: the matrix by formulation, every surface form of a
    lexicon entry counted under its canonical phrase, a form nested in another form of the same
    formulation counted once (the ``formulations`` table; first column ``formulation``). The section columns are named ``s01``, ``s02``, ….
    ``with_keyness=False`` leaves keyness out (the pipeline makes it block by block, see :mod:`zhpolicy.stats.terms`).
    """
    wide = {name: table.frame() for name, table in wide_tables(tables).items()}
    return {
        **wide,
        **({"keyness": keyness(tables["term_freq"])} if with_keyness else {}),
        "category_shares": category_shares(tables["slogans"]),
    }


def wide_tables(tables: Mapping[str, pd.DataFrame]) -> dict[str, GeneratedTable]:
    """``slogan_matrix``, ``slogan_rates``, ``formulation_matrix`` and ``formulation_rates`` of one
    document (see :func:`section_tables`), each made a block of rows at a time when it is read or
    written (:func:`matrix_frames`)."""
    sections = tables["sections"]
    columns = {int(n): section_label(n) for n in sections["section"]}
    chars = {section_label(n): int(c) for n, c in zip(sections["section"], sections["chars"])}
    slogans = tables["slogans"]
    # The same, with lexicon variants added to their formulation (放管服 → 放管服改革).
    by_formulation = (tables["formulations"].rename(columns={"canonical": "slogan"}) if "formulations" in tables
                      else slogans.assign(slogan=slogans["canonical"]))
    result = {}
    for name, long, label in (("slogan", slogans, "slogan"), ("formulation", by_formulation, "formulation")):
        rows = int(long["slogan"].nunique()) if len(long) else 0
        header = [label, *columns.values(), "total"]
        result[f"{name}_matrix"] = GeneratedTable(header, rows, partial(matrix_frames, long, columns, label=label),
                                                  empty=_empty_matrix(header))
        result[f"{name}_rates"] = GeneratedTable(header, rows, partial(matrix_frames, long, columns, chars=chars,
                                                                       label=label),
                                                 empty=_empty_matrix(header, "float64"))
    return result


def document_year(document: Any) -> int | None:
    """The year of a report: ``year:`` in its front matter, else a 19xx/20xx number in its file name.

    Front matter is a block between two ``---`` lines at the very start of the text, holding
    ``key: value`` lines (``year: 2024``; ``年份: 2024`` also works). In the file name the year must
    stand alone among digits (``tianning_2024_lianghui`` → 2024, ``report12024`` → none).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> document_year(SimpleNamespace(text="---\\nyear: 2023\\n---\\n正文", name="x_2024", path="x_2024.md"))
    2023
    >>> document_year(SimpleNamespace(text="正文", name="tianning_2024_lianghui", path=""))
    2024
    """
    # The reader keeps the block apart (the front-matter cleaning step takes it out of the text).
    front = _FRONT_MATTER.match(getattr(document, "front_matter", "") or document.text)
    if front:
        found = _YEAR_LINE.search(front.group(1))
        if found:
            return int(found.group(1))
    for name in (document.name, PurePath(str(document.path or "")).stem):
        years = _YEAR_IN_NAME.findall(name or "")
        if years:
            return int(years[0])
    return None


def corpus_tables(analyses: Sequence[Any], *, top: int = 20) -> dict[str, pd.DataFrame]:
    """The tables of several documents, each document a unit (``document`` instead of ``section``).

    Returns ``documents`` (``document, year, sections, chars, tokens``), ``term_freq``, ``tfidf``
    (each document a TF-IDF document), ``slogans`` (summed over sections), ``slogan_matrix`` (one
    column per document, named by its name), ``slogan_rates``, ``keyness`` (each document against all
    the others) and ``category_shares``; and, when the documents' tables have ``formulations``,
    ``formulations`` (``document, canonical, count``, summed over sections), ``formulation_matrix``
    and ``formulation_rates`` (first column ``formulation``), as for one document (see
    :func:`section_tables`). Documents keep their input order.
    """

    names = [a.document.name for a in analyses]
    documents = pd.DataFrame(
        [(a.document.name, document_year(a.document), len(a.sections), int(a.tables["sections"]["chars"].sum()),
          int(a.tables["sections"]["tokens"].sum())) for a in analyses],
        columns=["document", "year", "sections", "chars", "tokens"],
    ).astype({"year": "Int64"})
    totals = [_term_totals(a) for a in analyses]  # each document's terms, most frequent first, ties by term
    term_freq = pd.DataFrame({
        "document": np.repeat(np.array(names, dtype=object), [len(t) for t in totals]),
        "term": np.array([term for t in totals for term in t], dtype=object),
        "count": np.fromiter((count for t in totals for count in t.values()), dtype=np.int64,
                             count=sum(len(t) for t in totals))})
    slogans = pd.concat([_by_document(_run_slogans(a), a.document.name, ["slogan"]) for a in analyses],
                        ignore_index=True)
    tfidf = rank_tfidf(dict(enumerate(totals)), top=top)
    tfidf.insert(0, "document", tfidf.pop("section").map(dict(enumerate(names))))
    matrix = slogan_matrix(slogans, {name: name for name in names}, unit="document")
    chars = dict(zip(documents["document"], documents["chars"].astype(int)))
    return {
        "documents": documents,
        "term_freq": term_freq,
        "tfidf": tfidf,
        "slogans": slogans,
        "slogan_matrix": matrix,
        "slogan_rates": slogan_rates(matrix, chars),
        "keyness": keyness(term_freq, unit="document"),
        "category_shares": category_shares(slogans, unit="document"),
        "detections": corpus_detections(analyses),
        **_formulation_tables(analyses, chars),
    }


def corpus_detections(analyses: Sequence[Any]) -> pd.DataFrame:
    """``slogan, kind, canonical, category, evidence, documents, first_document, total``: every slogan that
    some document holds as its own (see the documents' ``detections`` tables), the evidence of the first
    document that holds it, in how many documents it is a slogan of their own, and its total count there."""
    columns = ["slogan", "kind", "canonical", "category", "evidence", "documents", "first_document", "total"]
    frames = [a.tables["detections"].assign(document=a.document.name) for a in analyses if "detections" in a.tables]
    if not frames or not sum(len(f) for f in frames):
        return pd.DataFrame(columns=columns)
    every = pd.concat(frames, ignore_index=True)
    grouped = every.groupby("slogan", sort=True)
    table = grouped.first()[["kind", "canonical", "category", "evidence"]]
    table["documents"] = grouped["document"].nunique()
    table["first_document"] = grouped["document"].first()
    table["total"] = grouped["total"].sum().astype("int64")
    table = table.reset_index()[columns]
    return stable_sort(table, ["total", "slogan"], [False, True]).reset_index(drop=True)


def _run_slogans(analysis: Any) -> pd.DataFrame:
    """A document's counts of every slogan of its run (its own table where it has no such table)."""
    table = getattr(analysis, "run_slogans", None)
    return analysis.tables["slogans"] if table is None else table


def _formulation_tables(analyses: Sequence[Any], chars: Mapping[str, int]) -> dict[str, pd.DataFrame]:
    """``formulations``, ``formulation_matrix`` and ``formulation_rates`` across documents (none when a
    document's tables have no ``formulations``)."""
    if not analyses or not all("formulations" in a.tables for a in analyses):
        return {}
    long = pd.concat([_by_document(a.tables["formulations"], a.document.name, ["canonical"]) for a in analyses],
                     ignore_index=True)
    names = {a.document.name: a.document.name for a in analyses}
    matrix = slogan_matrix(long.rename(columns={"canonical": "slogan"}), names, unit="document")
    rates = slogan_rates(matrix, chars)
    return {"formulations": long, "formulation_matrix": matrix.rename(columns={"slogan": "formulation"}),
            "formulation_rates": rates.rename(columns={"slogan": "formulation"})}


def default_trend_slogans(rates: pd.DataFrame, years: Mapping[str, int | None], *, top: int = 8,
                          slogans: pd.DataFrame | None = None, kinds: Sequence[str] = ("lexicon",),
                          min_documents: int = 2) -> list[str]:
    """The slogans (or formulations) whose rate changes most across the documents with a year.

    Each row of ``rates`` is scored by its range over the dated documents,
    ``range = max(rate) - min(rate)`` (rates per 10,000 characters), among the rows with a rate above
    0 in at least ``min_documents`` dated documents; the ``top`` largest ranges come first, ties by
    the larger mean rate, then by the text. A slogan that is frequent everywhere but steady is not
    chosen; one that rises from nothing, or falls away, is.

    Parameters
    ----------
    rates : a rates table across documents: the first column the slogan (``slogan_rates``) or the
        formulation (``formulation_rates``), then one column per document (``total`` is not used).
    years : document → year; documents without a year (None) or without a column are left out.
    top : how many to return.
    slogans : the long ``slogans`` table (``slogan, kind, canonical``); when given, only the rows that
        are the ``slogan`` or the ``canonical`` form of a slogan of one of ``kinds`` are candidates
        (by default lexicon formulations, not quoted, numeric or mined phrases).
    min_documents : the least number of dated documents a candidate occurs in.

    Examples
    --------
    >>> rates = pd.DataFrame({"formulation": ["社会主义", "新质生产力", "四人帮", "改革开放"],
    ...                       "r1977": [40.0, 0.0, 45.0, 0.0], "r2012": [50.0, 0.0, 0.0, 9.0],
    ...                       "r2022": [45.0, 6.0, 0.0, 5.0], "total": [45.0, 2.0, 15.0, 4.7]})
    >>> years = {"r1977": 1977, "r2012": 2012, "r2022": 2022}
    >>> default_trend_slogans(rates, years)  # 四人帮 and 新质生产力 are in one document only
    ['社会主义', '改革开放']
    >>> default_trend_slogans(rates, years, min_documents=1, top=3)
    ['四人帮', '社会主义', '改革开放']
    >>> kinds = pd.DataFrame({"slogan": ["社会主义", "改开"], "kind": ["quoted", "lexicon"],
    ...                       "canonical": ["社会主义", "改革开放"]})
    >>> default_trend_slogans(rates, years, slogans=kinds)
    ['改革开放']
    """
    if top < 1:
        raise ValueError(f"default_trend_slogans: top must be at least 1, got {top}")
    label = rates.columns[0]
    dated = [name for name, year in sorted(((n, y) for n, y in years.items() if y is not None),
                                           key=lambda item: (item[1], item[0])) if name in rates.columns]
    if not dated or rates.empty:
        return []
    table = rates
    if slogans is not None:
        kept = slogans[slogans["kind"].isin(list(kinds))] if len(slogans) else slogans
        allowed = set(kept["slogan"]) | set(kept["canonical"]) if len(kept) else set()
        table = table[table[label].isin(allowed)]
    values = table[dated].to_numpy(dtype=float)
    scores = pd.DataFrame({"item": table[label].astype(str).to_numpy(),
                           "range": values.max(axis=1, initial=0.0) - values.min(axis=1, initial=np.inf),
                           "mean": values.mean(axis=1), "present": (values > 0).sum(axis=1)})
    scores = scores[scores["present"] >= min_documents]
    return list(stable_sort(scores, ["range", "mean", "item"], [False, False, True])["item"].head(top))


def _by_document(table: pd.DataFrame, name: str, keys: list[str]) -> pd.DataFrame:
    """Sum a per-section table's counts over sections: ``document, <keys>, <other columns>, count…``."""
    counts = [c for c in ("count", "count_outside") if c in table.columns]
    others = [c for c in table.columns if c not in ("section", *keys, *counts)]
    if table.empty:
        return pd.DataFrame(columns=["document", *[c for c in table.columns if c != "section"]])
    summed = table.groupby(keys, as_index=False, sort=False).agg(
        {**{c: "first" for c in others}, **{c: "sum" for c in counts}})
    summed.insert(0, "document", name)
    order = ["document", *[c for c in table.columns if c != "section"]]
    return stable_sort(summed[order], ["count", *keys], [False, True]) if "count" in order else summed[order]


def compare_documents(a: Any, b: Any) -> pd.DataFrame:
    """What rose, fell, appeared and disappeared from report ``a`` to report ``b``: slogans and terms.

    Parameters
    ----------
    a, b : :class:`zhpolicy.DocumentAnalysis` (analysed together, so both count the same slogans).

    Returns
    -------
    ``kind, item, count_a, count_b, rate_a, rate_b, change, g2, p, status``, one row per slogan
    (``kind = slogan``) and term (``kind = term``) found in either report. Rates are per 10,000
    characters of each report; ``change = rate_b - rate_a``. ``g2``/``p`` are the signed
    log-likelihood of ``b`` against ``a`` (positive: more in ``b``; see :func:`keyness_scores`),
    with the reports' characters as totals for slogans and their numbers of terms for terms.
    ``status`` is ``appeared`` (0 in a), ``disappeared`` (0 in b), ``rose``, ``fell`` or ``same``
    (by rate). Sorted by kind, change (descending), item.
    """
    chars_a, chars_b = int(a.tables["sections"]["chars"].sum()), int(b.tables["sections"]["chars"].sum())
    parts = []
    for kind in ("slogan", "term"):
        if kind == "slogan":
            counts_a = _run_slogans(a).groupby("slogan")["count"].sum()
            counts_b = _run_slogans(b).groupby("slogan")["count"].sum()
        else:
            counts_a = pd.Series(_term_totals(a), dtype="int64").sort_index()
            counts_b = pd.Series(_term_totals(b), dtype="int64").sort_index()
        both = pd.concat([counts_a.rename("count_a"), counts_b.rename("count_b")], axis=1).fillna(0).astype("int64")
        both = both[(both["count_a"] > 0) | (both["count_b"] > 0)]
        if kind == "slogan":
            total_a, total_b = chars_a, chars_b
        else:
            total_a, total_b = int(counts_a.sum()), int(counts_b.sum())
        g2, _, p = keyness_scores(both["count_b"].to_numpy(), both["count_a"].to_numpy(), total_b, total_a)
        part = pd.DataFrame({
            "kind": kind, "item": both.index.astype(str), "count_a": both["count_a"].to_numpy(),
            "count_b": both["count_b"].to_numpy(),
            "rate_a": both["count_a"].to_numpy() / chars_a * RATE_BASE if chars_a else 0.0,
            "rate_b": both["count_b"].to_numpy() / chars_b * RATE_BASE if chars_b else 0.0,
            "g2": np.round(g2, 6), "p": p,
        })
        part["change"] = part["rate_b"] - part["rate_a"]
        part["status"] = np.select(
            [part["count_a"] == 0, part["count_b"] == 0, part["change"] > 1e-12, part["change"] < -1e-12],
            ["appeared", "disappeared", "rose", "fell"], "same")
        parts.append(part)
    table = pd.concat(parts, ignore_index=True)
    table["_kind"] = table["kind"].map({"slogan": 0, "term": 1})
    table = table.sort_values(["_kind", "change", "item"], ascending=[True, False, True], kind="mergesort")
    columns = ["kind", "item", "count_a", "count_b", "rate_a", "rate_b", "change", "g2", "p", "status"]
    return table[columns].reset_index(drop=True)


def change_summary(comparison: pd.DataFrame, *, kind: str = "slogan", top: int = 5) -> dict[str, list[str]]:
    """Status → the first ``top`` items of that status (largest changes first) for one kind."""
    rows = comparison[comparison["kind"] == kind]
    result = {}
    for status in ("appeared", "rose", "fell", "disappeared"):
        chosen = rows[rows["status"] == status]
        chosen = chosen.sort_values(["change", "item"], ascending=[status in ("fell", "disappeared"), True],
                                    kind="mergesort")
        result[status] = list(chosen["item"].head(top))
    return result


def _term_totals(analysis: Any) -> Counter[str]:
    """A document's term counts over all its sections, most frequent first, ties by term."""
    return term_counts_of(analysis.term_counts).totals()
