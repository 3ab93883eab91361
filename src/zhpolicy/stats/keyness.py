"""Keyness: which terms a unit (section or document) uses more than the rest, by log-likelihood G² and χ²."""
from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any, Literal

import numpy as np
import pandas as pd

from zhpolicy.stats.terms import BLOCK_PAIRS, TermCounts
from zhpolicy.tables import GeneratedTable, joined

#: Columns of the keyness table after the unit and the term.
KEYNESS_COLUMNS = ["count", "count_rest", "g2", "chi2", "p"]


def keyness_frames(counts: TermCounts, *, unit: str = "section", correction: Literal["default", "none"] = "default",
                   pairs: int = BLOCK_PAIRS) -> Iterator[pd.DataFrame]:
    """Keyness of every term in each unit against all other units, a block of units at a time.

    ``<unit>, term, count, count_rest, g2, chi2, p``: one row per term that occurs in the unit; the 2x2
    totals are all terms in the unit and all terms in the rest; statistics as
    :func:`zhpolicy.stats.keyness.keyness_scores`, ``g2`` and ``chi2`` rounded to 6 decimals. Sorted by unit
    (in ``counts`` order), g2 (descending), term. Nothing when fewer than two units have terms.
    """

    totals = counts.row_totals()
    if np.count_nonzero(totals) < 2:
        return
    overall = counts.column_totals()
    grand = int(totals.sum())
    units = np.asarray(counts.units)
    for start, end in counts.row_blocks(pairs):
        rows, columns, count = counts.block_pairs(start, end)
        rest = overall[columns] - count
        g2, chi2, p = keyness_scores(count, rest, totals[rows], grand - totals[rows], correction=correction)
        g2, chi2 = np.round(g2, 6), np.round(chi2, 6)
        order = np.lexsort((columns, -g2, rows))
        yield pd.DataFrame({unit: units[rows[order]], "term": counts.vocabulary[columns[order]],
                            "count": count[order], "count_rest": rest[order], "g2": g2[order],
                            "chi2": chi2[order], "p": p[order]})


def keyness_table(counts: TermCounts, *, unit: str = "section") -> GeneratedTable:
    """The ``keyness`` table of ``counts``, made when it is read or written (see :func:`keyness_frames`)."""
    rows = counts.pairs if np.count_nonzero(counts.row_totals()) >= 2 else 0
    return GeneratedTable([unit, "term", *KEYNESS_COLUMNS], rows, partial(keyness_frames, counts, unit=unit))


def keyness_scores(
    count: Any, count_rest: Any, total: Any, total_rest: Any,
    *, correction: Literal["default", "none"] = "default",
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Signed log-likelihood G2, signed chi-square and p for 2x2 tables, as quanteda's ``textstat_keyness``.

    For each term, with ``a = count`` (in the target), ``b = count_rest`` (in the reference),
    ``c = total - a``, ``d = total_rest - b``, ``N = a + b + c + d`` and the expected counts
    ``E11 = (a+b)(a+c)/N``, ``E12 = (a+b)(b+d)/N``, ``E21 = (a+c)(c+d)/N``, ``E22 = (b+d)(c+d)/N``:

    - ``chi2 = N (|ad - bc| - N δ)^2 / ((a+b)(c+d)(a+c)(b+d))``
    - ``g2 = 2 Σ o ln(o / e)`` over the four cells, with ``0 ln 0 = 0``; under the correction each
      observed cell is first moved by δ towards its expected value (``a∓δ, b±δ, c±δ, d∓δ``).

    The Yates correction is quanteda's default: ``δ = 0.5`` when ``|ad - bc| >= N/2`` and some
    expected count is below 5, else ``δ = 0`` (``correction="none"``: always 0). Both statistics are
    negative when the term is under-represented in the target (``a <= E11``), as in quanteda. ``p`` is
    the upper tail of the chi-square distribution with one degree of freedom at ``|g2|``
    (``erfc(sqrt(|g2| / 2))``). quanteda adds 1e-9 inside its logarithms; the difference is below 1e-8.

    Returns
    -------
    ``(g2, chi2, p)``, float arrays shaped like ``count``.
    """
    a, b = np.asarray(count, dtype=float), np.asarray(count_rest, dtype=float)
    c, d = np.asarray(total, dtype=float) - a, np.asarray(total_rest, dtype=float) - b
    n = a + b + c + d
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = [(a + b) * (a + c) / n, (a + b) * (b + d) / n, (a + c) * (c + d) / n, (b + d) * (c + d) / n]
        cross = a * d - b * c
        if correction == "default":
            small = np.logical_or.reduce([e < 5 for e in expected])
            delta = np.where((np.abs(cross) >= n / 2) & small, 0.5, 0.0)
        elif correction == "none":
            delta = np.zeros_like(a)
        else:
            raise ValueError(f"correction must be 'default' or 'none', got {correction!r}")
        sign = np.where(a > expected[0], 1.0, -1.0)
        chi2 = n * (np.abs(cross) - n * delta) ** 2 / ((a + b) * (c + d) * (a + c) * (b + d))
        shift = np.where(cross > 0, delta, -delta)
        cells = [a - shift, b + shift, c + shift, d - shift]
        margins = [(cells[0] + cells[1], cells[0] + cells[2]), (cells[0] + cells[1], cells[1] + cells[3]),
                   (cells[0] + cells[2], cells[2] + cells[3]), (cells[1] + cells[3], cells[2] + cells[3])]
        g2 = 2 * sum(np.where(o > 0, o * np.log(o * n / (r * k)), 0.0) for o, (r, k) in zip(cells, margins))
    chi2 = np.nan_to_num(chi2) * sign + 0.0
    g2 = np.nan_to_num(g2) * sign + 0.0
    from scipy.special import erfc

    p = erfc(np.sqrt(np.abs(g2) / 2))
    return g2, chi2, p


def keyness(
    term_freq: pd.DataFrame, *, unit: str = "section", correction: Literal["default", "none"] = "default",
) -> pd.DataFrame:
    """Keyness of every term in each section (or document) against the rest, as quanteda's textstat_keyness.

    For each unit and term, the 2x2 table of the term's count in the unit and in all other units
    together, against all terms in each; signed log-likelihood ``g2 = 2 Σ o ln(o / e)``, signed
    chi-square and ``p`` as in :func:`keyness_scores`.

    Parameters
    ----------
    term_freq : DataFrame
        The long ``<unit>, term, count`` table (see :func:`zhpolicy.stats.terms.term_frequencies`).
    unit : str, default "section"
        The name of the unit column: ``"section"`` or ``"document"``.
    correction : {"default", "none"}, default "default"
        ``"default"``: quanteda's Yates correction (δ = 0.5 where some expected count is below 5 and
        ``|ad - bc| >= N/2``); ``"none"``: never (see :func:`keyness_scores`).

    Returns
    -------
    DataFrame
        ``<unit>, term, count, count_rest, g2, chi2, p``: for each unit every term that occurs in it,
        counted in the unit (``count``) and in all other units together (``count_rest``) — terms
        absent from a unit get no row, which keeps the table linear in the text rather than units ×
        vocabulary; the 2x2 totals are all terms in the unit and all terms in the rest. Statistics as
        in :func:`keyness_scores`, signed negative for under-represented terms. Sorted by unit, g2
        (descending), term. Empty when there are fewer than two units. Computed from the sparse
        unit × term counts a block of units at a time (:func:`zhpolicy.stats.keyness.keyness_frames`).

    Raises
    ------
    ValueError
        ``correction`` is neither ``"default"`` nor ``"none"`` (raised once there are two units to compare).

    Examples
    --------
    >>> import pandas as pd
    >>> term_freq = pd.DataFrame({"section": [1, 1, 2, 2], "term": ["改革", "开放", "改革", "创新"],
    ...                           "count": [30, 5, 2, 20]})
    >>> [(row.section, row.term, round(row.g2, 2)) for row in keyness(term_freq).itertuples()]
    [(1, '改革', 36.04), (1, '开放', 2.26), (2, '创新', 60.47), (2, '改革', -36.04)]
    """
    return joined(keyness_frames(TermCounts.from_frame(term_freq, unit=unit), unit=unit, correction=correction),
                  pd.DataFrame(columns=[unit, "term", *KEYNESS_COLUMNS]))
