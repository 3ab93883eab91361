"""Term statistics: frequencies and TF-IDF per section, from token lists to tidy DataFrames."""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

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


def _identity(tokens: Sequence[str]) -> Sequence[str]:
    return tokens


def term_frequencies(terms_by_section: Mapping[int, Sequence[str]]) -> pd.DataFrame:
    """Long table ``section, term, count`` of every term in every section.

    Sorted by section, then count (descending), then term.
    """
    rows = [
        (section, term, count)
        for section, terms in terms_by_section.items()
        for term, count in Counter(terms).items()
    ]
    table = pd.DataFrame(rows, columns=["section", "term", "count"])
    return stable_sort(table, ["section", "count", "term"], [True, False, True])


def rank_tfidf(terms_by_section: Mapping[int, Sequence[str]], *, top: int = 20) -> pd.DataFrame:
    """The ``top`` terms of each section by TF-IDF, each section a document.

    Uses scikit-learn's ``TfidfVectorizer`` on the token lists already computed (an identity
    analyzer: nothing is segmented again, nothing lowercased), with
    ``idf(t) = ln((1 + n) / (1 + df(t))) + 1`` and L2-normalised rows. Ties are broken by term, so
    the table is stable. Scores are rounded to 6 decimals. Columns ``section, rank, term, score``.
    """
    if top < 1:
        raise ValueError(f"top must be a positive number of terms, got {top}")
    from sklearn.feature_extraction.text import TfidfVectorizer

    sections = [section for section, terms in terms_by_section.items() if terms]
    columns = ["section", "rank", "term", "score"]
    if not sections:
        return pd.DataFrame(columns=columns)
    settings = {key: value for key, value in TFIDF_SETTINGS.items() if key != "formula"}
    vectorizer = TfidfVectorizer(analyzer=_identity, **settings)
    matrix = vectorizer.fit_transform([terms_by_section[section] for section in sections]).tocsr()
    vocabulary = vectorizer.get_feature_names_out()
    rows = []
    for row_index, section in enumerate(sections):
        row = matrix.getrow(row_index)
        scored = sorted(((round(float(score), 6), str(vocabulary[col])) for col, score in zip(row.indices, row.data)),
                        key=lambda pair: (-pair[0], pair[1]))
        rows += [(section, rank, term, score) for rank, (score, term) in enumerate(scored[:top], start=1)]
    return pd.DataFrame(rows, columns=columns)


def stable_sort(table: pd.DataFrame, by: list[str], ascending: list[bool]) -> pd.DataFrame:
    """Sort by ``by`` with a stable sort and a fresh index, so equal keys keep their order and the
    written tables are the same from run to run."""
    return table.sort_values(by, ascending=ascending, kind="mergesort").reset_index(drop=True)
