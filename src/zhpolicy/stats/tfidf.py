"""TF-IDF per unit (scikit-learn's TfidfTransformer on the term counts): the top terms of each section."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from zhpolicy.stats.terms import TermCounts, Terms, row_blocks, term_counts_of

#: The TfidfVectorizer settings used by :func:`rank_tfidf`, recorded in summary.json.
TFIDF_SETTINGS: dict[str, Any] = {
    "norm": "l2",
    "use_idf": True,
    "smooth_idf": True,
    "sublinear_tf": False,
    "lowercase": False,
    "formula": "tf(t, d) * idf(t), idf(t) = ln((1 + n) / (1 + df(t))) + 1, rows L2-normalised",
}


def import_in_background() -> None:
    """Import scikit-learn's TF-IDF in a thread: called while this process waits for its workers, so
    that :func:`rank_tfidf` later finds it loaded instead of importing it when the counts are in."""
    import threading

    def load() -> None:
        from sklearn.feature_extraction.text import TfidfTransformer  # noqa: F401

    threading.Thread(target=load, name="zhpolicy-import-sklearn", daemon=True).start()


def rank_tfidf(terms_by_section: Mapping[int, Terms] | TermCounts, *, top: int = 20) -> pd.DataFrame:
    """The ``top`` terms of each section by TF-IDF, each section a document.

    The terms of a section are its list of terms or their counts (what was segmented already: nothing
    is segmented again, nothing lowercased). scikit-learn's ``TfidfTransformer`` weighs the sparse
    section × term count matrix (the same numbers as ``TfidfVectorizer``)::

        score(t, d) = tf(t, d) * idf(t),  idf(t) = ln((1 + n) / (1 + df(t))) + 1

    with ``tf`` the raw count, ``n`` the number of sections that have terms and ``df(t)`` the number
    of them holding ``t``; each section's scores are then L2-normalised (:data:`TFIDF_SETTINGS`).
    Sections without terms are left out. Ties are broken by term, so the table is stable.

    Parameters
    ----------
    terms_by_section : Mapping of int to (sequence of str or Mapping of str to int), or TermCounts
        Section number → its terms or their counts; or an analysis's ``term_counts``.
    top : int, default 20
        Terms kept per section (at least 1).

    Returns
    -------
    DataFrame
        Columns ``section, rank, term, score``: per section (in the mapping's order) its ``top``
        terms, rank 1 the highest score; scores rounded to 6 decimals.

    Raises
    ------
    ValueError
        ``top`` is below 1.

    Examples
    --------
    >>> table = rank_tfidf({1: ["改革", "开放", "改革"], 2: ["开放", "创新"]}, top=1)
    >>> table.values.tolist()
    [[1, 1, '改革', 0.942156], [2, 1, '创新', 0.814802]]
    """
    if top < 1:
        raise ValueError(f"top must be a positive number of terms, got {top}")
    import numpy as np
    from sklearn.feature_extraction.text import TfidfTransformer

    counts = term_counts_of(terms_by_section)
    columns = ["section", "rank", "term", "score"]
    totals = counts.row_totals()
    kept = np.flatnonzero(totals > 0)  # a section without terms is not a TF-IDF document
    if not len(kept):
        return pd.DataFrame(columns=columns)
    # Columns sorted by term within each row; rows taken out only when some are empty (a copy).
    matrix = (counts.matrix if len(kept) == len(totals) else counts.matrix[kept]).astype(np.float64)
    settings = {key: value for key, value in TFIDF_SETTINGS.items() if key not in ("formula", "lowercase")}
    weighted = TfidfTransformer(**settings).fit_transform(matrix).tocsr()
    units = np.asarray(counts.units)[kept]
    parts: list[pd.DataFrame] = []
    for start, end in row_blocks(weighted.indptr, 1 << 20):
        first, last = weighted.indptr[start], weighted.indptr[end]
        # Python's round (correctly rounded), not numpy's (scale, round, unscale), for the same digits.
        rounded = np.array([round(score, 6) for score in weighted.data[first:last].tolist()], dtype=np.float64)
        chosen, sections, ranks = [], [], []
        for row in range(start, end):
            begin, stop = weighted.indptr[row] - first, weighted.indptr[row + 1] - first
            # Highest score first, ties by term (the vocabulary is sorted, so by column).
            best = begin + np.lexsort((weighted.indices[first + begin:first + stop], -rounded[begin:stop]))[:top]
            chosen.append(best)
            sections.append(np.full(len(best), units[row]))
            ranks.append(np.arange(1, len(best) + 1, dtype=np.int64))
        picked = np.concatenate(chosen)
        parts.append(pd.DataFrame({"section": np.concatenate(sections), "rank": np.concatenate(ranks),
                                   "term": counts.vocabulary[weighted.indices[first + picked]],
                                   "score": rounded[picked]}, columns=columns))
    return pd.concat(parts, ignore_index=True)
