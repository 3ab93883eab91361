"""The analysis: documents → sections → tokens (once) → slogan counts and term statistics. Computes, never writes."""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from .documents import Document
from .sections import Section, split_sections
from .slogans import Lexicon, Slogan, SloganCount, count_slogans, detect_slogans, load_lexicon
from .stats import TFIDF_SETTINGS, rank_tfidf, term_frequencies
from .tokens import is_word, load_stop_words, make_tokenizer, select_terms, tokenize

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Options:
    """Everything that changes the numbers; recorded in summary.json.

    Attributes
    ----------
    top : TF-IDF terms kept per section.
    images : draw word clouds.
    lexicons : user lexicon files, added to (and overriding) the shipped one.
    min_term_chars : shortest term counted (slogans are always kept).
    encoding : force an input encoding instead of detecting it.
    """

    top: int = 20
    images: bool = True
    lexicons: tuple[str, ...] = ()
    min_term_chars: int = 2
    encoding: str | None = None

    def __post_init__(self) -> None:
        if self.top < 1:
            raise ValueError(f"top must be at least 1, got {self.top}")
        if self.min_term_chars < 1:
            raise ValueError(f"min_term_chars must be at least 1, got {self.min_term_chars}")


@dataclass(frozen=True)
class DocumentAnalysis:
    """What the pipeline found in one document: its sections, tokens, terms, slogan counts and tables."""

    document: Document
    sections: tuple[Section, ...]
    tokens: dict[int, list[str]]
    terms: dict[int, list[str]]
    slogan_counts: tuple[SloganCount, ...]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def token_total(self) -> int:
        return sum(len(tokens) for tokens in self.tokens.values())


def section_table(sections: Sequence[Section], tokens: dict[int, list[str]]) -> pd.DataFrame:
    """``section, title, chars, tokens``: tokens counts jieba's word tokens (no whitespace or punctuation)."""
    return pd.DataFrame(
        [(s.number, s.title, len(s.text), len(tokens[s.number])) for s in sections],
        columns=["section", "title", "chars", "tokens"],
    )


def slogan_table(counts: Sequence[SloganCount]) -> pd.DataFrame:
    """``section, slogan, kind, count, count_outside, canonical, category``, one row per slogan per section."""
    return pd.DataFrame(
        [(r.section, r.slogan.text, r.slogan.kind, r.count, r.count_outside, r.slogan.canonical, r.slogan.category)
         for r in counts],
        columns=["section", "slogan", "kind", "count", "count_outside", "canonical", "category"],
    )


def analyze_document(
    document: Document,
    *,
    tokenizer: Any,
    slogans: Sequence[Slogan],
    options: Options,
    stop_words: frozenset[str] | None = None,
) -> DocumentAnalysis:
    """Analyse one document with a ready tokenizer and slogan list (see :func:`analyze`)."""
    stop_words = load_stop_words() if stop_words is None else stop_words
    keep = frozenset(slogan.text for slogan in slogans)
    sections = tuple(split_sections(document))
    tokens: dict[int, list[str]] = {}
    terms: dict[int, list[str]] = {}
    for section in sections:
        words = [token for token in tokenize(section.text, tokenizer) if is_word(token)]
        tokens[section.number] = words
        terms[section.number] = select_terms(words, stop_words=stop_words, keep=keep,
                                             min_chars=options.min_term_chars)
    counts = tuple(count_slogans(sections, slogans))
    tables = {
        "sections": section_table(sections, tokens),
        "term_freq": term_frequencies(terms),
        "tfidf": rank_tfidf(terms, top=options.top),
        "slogans": slogan_table(counts),
    }
    return DocumentAnalysis(document, sections, tokens, terms, counts, tables)


def analyze(
    documents: Sequence[Document],
    *,
    options: Options = Options(),
    lexicon: Lexicon | None = None,
    progress: Callable[[Iterable[Document]], Iterable[Document]] = lambda items: items,
) -> list[DocumentAnalysis]:
    """Analyse documents: detect slogans over all of them, build one tokenizer that keeps every
    slogan whole, then segment each document once and count.

    Slogans found in any document (quoted, numeric) and the lexicon's formulations are counted in
    every document, so reports can be compared on the same list.
    """
    lexicon = load_lexicon(options.lexicons) if lexicon is None else lexicon
    slogans = detect_slogans((doc.text for doc in documents), lexicon)
    tokenizer = make_tokenizer(slogan.text for slogan in slogans)
    stop_words = load_stop_words()
    return [analyze_document(doc, tokenizer=tokenizer, slogans=slogans, options=options, stop_words=stop_words)
            for doc in progress(documents)]


def summarize(analysis: DocumentAnalysis, *, options: Options, lexicon: Lexicon, top: int = 20) -> dict[str, Any]:
    """The summary.json content: the document, its size, top slogans, the options and versions used."""
    table = analysis.tables["slogans"]
    totals = (table.groupby(["slogan", "kind", "canonical"], as_index=False)["count"].sum()
              .sort_values(["count", "slogan"], ascending=[False, True], kind="mergesort"))
    canonical = (table.groupby("canonical", as_index=False)["count"].sum()
                 .sort_values(["count", "canonical"], ascending=[False, True], kind="mergesort"))
    return {
        "document": analysis.document.name,
        "path": analysis.document.path,
        "encoding": analysis.document.encoding,
        "sections": len(analysis.sections),
        "chars": len(analysis.document.text),
        "tokens": analysis.token_total,
        "terms": sum(len(t) for t in analysis.terms.values()),
        "top_slogans": [
            {"slogan": row.slogan, "kind": row.kind, "canonical": row.canonical, "total": int(row.count)}
            for row in totals.head(top).itertuples()
        ],
        "top_formulations": [
            {"canonical": row.canonical, "total": int(row.count)} for row in canonical.head(top).itertuples()
        ],
        "options": asdict(options),
        "tfidf": TFIDF_SETTINGS,
        "slogan_counting": "count = section_text.count(slogan) on the normalised text, heading included; "
                           "count_outside leaves out occurrences inside a longer slogan",
        "lexicon": {"files": [f for f in lexicon.files], "sha256": lexicon.sha256,
                    "versions": list(lexicon.versions), "entries": len(lexicon.entries)},
        "versions": package_versions(),
    }


def package_versions() -> dict[str, str]:
    """Versions of zhpolicy and the libraries that shape its numbers."""
    from importlib.metadata import PackageNotFoundError, version

    versions = {}
    for name in ("zhpolicy", "jieba", "scikit-learn", "pandas", "wordcloud", "matplotlib", "pyahocorasick"):
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "not installed"
    return versions
