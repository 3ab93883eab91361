"""Term statistics, from term counts to tidy tables.

- :mod:`~zhpolicy.stats.terms`: :class:`TermCounts` (a sparse unit × term matrix), :func:`term_frequencies`.
- :mod:`~zhpolicy.stats.tfidf`: :func:`rank_tfidf`.
- :mod:`~zhpolicy.stats.keyness`: :func:`keyness` (G², χ², p).
"""
from zhpolicy.stats.keyness import keyness
from zhpolicy.stats.terms import TermCounts, term_frequencies
from zhpolicy.stats.tfidf import rank_tfidf

__all__ = ["TermCounts", "keyness", "rank_tfidf", "term_frequencies"]
