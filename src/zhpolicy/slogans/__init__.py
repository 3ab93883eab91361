"""Slogans and formulations: the lexicon, detection, phrase mining, exact counting, keyword in context.

- :mod:`~zhpolicy.slogans.lexicon`: :func:`load_lexicon` → :class:`Lexicon` of :class:`LexiconEntry`.
- :mod:`~zhpolicy.slogans.detect`: :func:`find_quoted`, :func:`find_numeric`, :func:`find_couplets`,
  :func:`detect_slogans` → :class:`Slogan`, :func:`slogan_families`.
- :mod:`~zhpolicy.slogans.mine`: :func:`mine_phrases` → :class:`MinedPhrase`.
- :mod:`~zhpolicy.slogans.count`: :class:`SloganMatcher`, :func:`find_mentions`, :func:`count_slogans`,
  :func:`count_formulations`.
- :mod:`~zhpolicy.slogans.kwic`: :func:`kwic`, :func:`format_kwic`.
"""
from zhpolicy.slogans.count import (
    Mention,
    SloganCount,
    SloganMatcher,
    count_formulations,
    count_mentions,
    count_slogans,
    find_mentions,
)
from zhpolicy.slogans.detect import (
    Slogan,
    detect_slogans,
    find_couplets,
    find_numeric,
    find_quoted,
    slogan_families,
)
from zhpolicy.slogans.kwic import KwicLine, format_kwic, kwic, kwic_table
from zhpolicy.slogans.lexicon import Lexicon, LexiconEntry, load_lexicon
from zhpolicy.slogans.mine import MinedPhrase, mine_phrases

__all__ = ["KwicLine", "Lexicon", "LexiconEntry", "Mention", "MinedPhrase", "Slogan", "SloganCount", "SloganMatcher",
           "count_formulations", "count_mentions", "count_slogans", "detect_slogans", "find_couplets",
           "find_mentions", "find_numeric", "find_quoted", "format_kwic", "kwic", "kwic_table", "load_lexicon", "mine_phrases",
           "slogan_families"]
