"""zhpolicy: slogans, official formulations and key terms in Chinese policy texts, counted exactly."""
from __future__ import annotations

__version__ = "0.1.0"

from .cleaning import normalize_text
from .compare import (
    category_shares,
    compare_documents,
    corpus_tables,
    document_year,
    keyness,
    slogan_matrix,
    slogan_rates,
)
from .documents import Document, find_documents, read_corpus, read_document
from .errors import InputError, LexiconError, OutputError, WriteError, ZhpolicyError
from .figures import cjk_font_path, draw_wordcloud, missing_glyphs, use_cjk_font
from .pipeline import DocumentAnalysis, Options, analyze, analyze_document, section_tokens
from .sections import Section, split_sections
from .slogans import (
    Lexicon,
    Slogan,
    count_slogans,
    detect_slogans,
    find_mentions,
    find_numeric,
    find_quoted,
    load_lexicon,
)
from .stats import rank_tfidf, term_frequencies
from .tokens import load_stop_words, make_tokenizer, select_terms, tokenize

__all__ = [
    "Document", "DocumentAnalysis", "InputError", "Lexicon", "LexiconError", "Options", "OutputError",
    "Section", "Slogan", "WriteError", "ZhpolicyError", "analyze", "analyze_document", "cjk_font_path",
    "count_slogans", "detect_slogans", "draw_wordcloud", "find_documents", "find_mentions", "find_numeric",
    "find_quoted", "load_lexicon", "load_stop_words", "make_tokenizer", "missing_glyphs", "normalize_text",
    "rank_tfidf", "read_corpus", "read_document", "section_tokens", "select_terms", "split_sections",
    "term_frequencies", "tokenize", "use_cjk_font",
    # comparison (zhpolicy.compare)
    "category_shares", "compare_documents", "corpus_tables", "document_year", "keyness", "slogan_matrix",
    "slogan_rates",
]
