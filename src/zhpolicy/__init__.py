"""zhpolicy: slogans, official formulations and key terms in Chinese policy texts, counted exactly.

The data flow, one subpackage or module per step::

    text/       normalise, clean, convert, recognise headings
    read        bytes → Document
    sections    Document → Sections (and their paragraphs)
    tokens      a private jieba/rjieba tokenizer that keeps slogans whole; terms
    slogans/    lexicon, detection, mining, exact counting, kwic
    stats/      term counts, TF-IDF, keyness
    compare     matrices and rates across sections and documents
    run/        where the work runs, and its unit (a chunk of a section)
    pipeline    analyze(documents, options) → DocumentAnalysis (computes, never writes)
    figures/    the CJK font, word clouds, comparison plots
    outputs/    files, workbook, report, summary, folders (the only writer)
    explore     notebook views
    cli         the command line
"""
from __future__ import annotations

from zhpolicy._version import __version__
from zhpolicy.compare import (
    category_shares,
    compare_documents,
    corpus_tables,
    document_year,
    slogan_matrix,
    slogan_rates,
)
from zhpolicy.errors import InputError, LexiconError, OutputError, WriteError, ZhpolicyError
from zhpolicy.figures.clouds import draw_wordcloud
from zhpolicy.figures.fonts import cjk_font_path, missing_glyphs, use_cjk_font
from zhpolicy.pipeline import DocumentAnalysis, Options, analyze, analyze_document, section_tokens
from zhpolicy.read import Document, find_documents, read_corpus, read_document
from zhpolicy.sections import Section, split_sections
from zhpolicy.slogans.count import count_slogans, find_mentions
from zhpolicy.slogans.detect import Slogan, detect_slogans, find_numeric, find_quoted
from zhpolicy.slogans.lexicon import Lexicon, load_lexicon
from zhpolicy.stats.keyness import keyness
from zhpolicy.stats.terms import term_frequencies
from zhpolicy.stats.tfidf import rank_tfidf
from zhpolicy.text.normalize import normalize_text
from zhpolicy.tokens import load_stop_words, make_tokenizer, select_terms, tokenize

__all__ = [
    "Document", "DocumentAnalysis", "InputError", "Lexicon", "LexiconError", "Options", "OutputError",
    "Section", "Slogan", "WriteError", "ZhpolicyError", "__version__", "analyze", "analyze_document", "cjk_font_path",
    "count_slogans", "detect_slogans", "draw_wordcloud", "find_documents", "find_mentions", "find_numeric",
    "find_quoted", "load_lexicon", "load_stop_words", "make_tokenizer", "missing_glyphs", "normalize_text",
    "rank_tfidf", "read_corpus", "read_document", "section_tokens", "select_terms", "split_sections",
    "term_frequencies", "tokenize", "use_cjk_font",
    # comparison (zhpolicy.compare, zhpolicy.stats.keyness)
    "category_shares", "compare_documents", "corpus_tables", "document_year", "keyness", "slogan_matrix",
    "slogan_rates",
]
