"""Term statistics: frequencies and TF-IDF per section, from token lists to tidy DataFrames."""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

import pandas as pd

#: The TfidfVectorizer settings used by :func:`rank_tfidf`, recorded in summary.json.
TFIDF_SETTINGS: dict[str, Any] = {
    "norm": "l2",
    "use_idf": True,
    "smooth_idf": True,
    "sublinear_tf": False,
    "lowercase": False,
    "formula": "tf(t, d) * idf(t), idf(t) = ln((1 + n) / (1 + df(t))) + 1, rows L2-normalised",
}


#: Terms of a unit: their list (in order, repeats included) or their counts.
Terms: TypeAlias = Sequence[str] | Mapping[str, int]


def _counts(terms: Terms) -> Mapping[str, int]:
    return terms if isinstance(terms, Mapping) else Counter(terms)


def term_frequencies(terms_by_section: Mapping[int, Terms]) -> pd.DataFrame:
    """Long table ``section, term, count`` of every term in every section (terms as lists or counts).

    Sorted by section, then count (descending), then term.
    """
    import numpy as np

    sections, terms, counts = [], [], []
    for section, section_terms in terms_by_section.items():
        unit = {term: count for term, count in _counts(section_terms).items() if count > 0}
        sections.append(np.full(len(unit), section, dtype=np.int64))
        terms.append(np.array(list(unit), dtype=object))
        counts.append(np.fromiter(unit.values(), dtype=np.int64, count=len(unit)))
    if not sections:
        return pd.DataFrame(columns=["section", "term", "count"])
    table = pd.DataFrame({"section": np.concatenate(sections), "term": np.concatenate(terms),
                          "count": np.concatenate(counts)})
    return stable_sort(table, ["section", "count", "term"], [True, False, True])


def import_in_background() -> None:
    """Import scikit-learn's TF-IDF (about 0.7 s) in a thread: called while this process waits for
    its workers, so that :func:`rank_tfidf` later finds it loaded."""
    import threading

    def load() -> None:
        from sklearn.feature_extraction.text import TfidfTransformer  # noqa: F401

    threading.Thread(target=load, name="zhpolicy-import-sklearn", daemon=True).start()


def rank_tfidf(terms_by_section: Mapping[int, Terms], *, top: int = 20) -> pd.DataFrame:
    """The ``top`` terms of each section by TF-IDF, each section a document.

    The terms of a section are its list of terms or their counts (what was segmented already: nothing
    is segmented again, nothing lowercased). scikit-learn's ``TfidfTransformer`` weighs the sparse
    section × term count matrix (the same numbers as ``TfidfVectorizer``), with
    ``idf(t) = ln((1 + n) / (1 + df(t))) + 1`` and L2-normalised rows. Ties are broken by term, so
    the table is stable. Scores are rounded to 6 decimals. Columns ``section, rank, term, score``.
    """
    if top < 1:
        raise ValueError(f"top must be a positive number of terms, got {top}")
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfTransformer

    counts = {section: _counts(terms) for section, terms in terms_by_section.items()}
    sections = [section for section, terms in counts.items() if any(c > 0 for c in terms.values())]
    columns = ["section", "rank", "term", "score"]
    if not sections:
        return pd.DataFrame(columns=columns)
    vocabulary = sorted({term for section in sections for term, count in counts[section].items() if count > 0})
    column_of = {term: index for index, term in enumerate(vocabulary)}
    indptr, indices, data = [0], [], []
    for section in sections:
        row = [(column_of[term], count) for term, count in counts[section].items() if count > 0]
        cols = np.fromiter((column for column, _ in row), dtype=np.int64, count=len(row))
        order = np.argsort(cols, kind="stable")  # columns in vocabulary order, as CountVectorizer has them
        indices.append(cols[order])
        data.append(np.fromiter((count for _, count in row), dtype=np.float64, count=len(row))[order])
        indptr.append(indptr[-1] + len(row))
    matrix = csr_matrix((np.concatenate(data), np.concatenate(indices), np.array(indptr)),
                        shape=(len(sections), len(vocabulary)))
    settings = {key: value for key, value in TFIDF_SETTINGS.items() if key not in ("formula", "lowercase")}
    weighted = TfidfTransformer(**settings).fit_transform(matrix).tocsr()
    names = np.array(vocabulary, dtype=object)
    # Python's round (correctly rounded), not numpy's (scale, round, unscale), for the same digits.
    rounded = np.array([round(score, 6) for score in weighted.data.tolist()], dtype=np.float64)
    units, ranks, chosen = [], [], []
    for row_index, section in enumerate(sections):
        start, end = weighted.indptr[row_index], weighted.indptr[row_index + 1]
        # Highest score first, ties by term (the vocabulary is sorted, so by column).
        best = start + np.lexsort((weighted.indices[start:end], -rounded[start:end]))[:top]
        units.append(np.full(len(best), section, dtype=np.int64))
        ranks.append(np.arange(1, len(best) + 1, dtype=np.int64))
        chosen.append(best)
    picked = np.concatenate(chosen)
    return pd.DataFrame({"section": np.concatenate(units), "rank": np.concatenate(ranks),
                         "term": names[weighted.indices[picked]], "score": rounded[picked]}, columns=columns)


def stable_sort(table: pd.DataFrame, by: list[str], ascending: list[bool]) -> pd.DataFrame:
    """Sort by ``by`` with a stable sort and a fresh index, so equal keys keep their order and the
    written tables are the same from run to run."""
    return table.sort_values(by, ascending=ascending, kind="mergesort").reset_index(drop=True)
