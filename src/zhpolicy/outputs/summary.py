"""summary.json: a document's size, top slogans, the options, lexicon and library versions used."""
from __future__ import annotations

import logging
from dataclasses import asdict, fields
from typing import Any

from zhpolicy.pipeline import DocumentAnalysis, Options
from zhpolicy.slogans.lexicon import Lexicon, default_lexicon_path
from zhpolicy.stats.tfidf import TFIDF_SETTINGS

logger = logging.getLogger(__name__)


def recorded_options(options: Options) -> dict[str, Any]:
    """The options that shape the results, as recorded in summary.json (not how the run was executed)."""
    recorded = {f.name for f in fields(options) if f.metadata.get("recorded", True)}
    return {name: value for name, value in asdict(options).items() if name in recorded}


def summarize(analysis: DocumentAnalysis, *, options: Options, lexicon: Lexicon, top: int = 20) -> dict[str, Any]:
    """The summary.json content: the document, its size, top slogans, the options and versions used."""
    table = analysis.tables["slogans"]
    totals = (table.groupby(["slogan", "kind", "canonical"], as_index=False)["count"].sum()
              .sort_values(["count", "slogan"], ascending=[False, True], kind="mergesort"))
    canonical = (analysis.tables["formulations"].groupby("canonical", as_index=False)["count"].sum()
                 .sort_values(["count", "canonical"], ascending=[False, True], kind="mergesort"))
    return {
        "document": analysis.document.name,
        "path": analysis.document.path,
        "encoding": analysis.document.encoding,
        "reading": {"conversion": analysis.document.conversion, "cleaning": list(analysis.document.cleaning),
                    "traditional_share": analysis.document.traditional_share},
        "sections": len(analysis.sections),
        "chars": len(analysis.document.text),
        "tokens": analysis.token_total,
        "terms": analysis.term_counts.total(),
        "top_slogans": [
            {"slogan": row.slogan, "kind": row.kind, "canonical": row.canonical, "total": int(row.count)}
            for row in totals.head(top).itertuples()
        ],
        "top_formulations": [
            {"canonical": row.canonical, "total": int(row.count)} for row in canonical.head(top).itertuples()
        ],
        "options": recorded_options(options),
        "tfidf": TFIDF_SETTINGS,
        "slogan_counting": "count = section_text.count(slogan) on the normalised text, heading included; "
                           "count_outside leaves out occurrences inside a longer slogan",
        "lexicon": {"files": [_lexicon_label(f) for f in lexicon.files], "sha256": lexicon.sha256,
                    "versions": list(lexicon.versions), "entries": len(lexicon.entries)},
        "versions": package_versions(),
    }


def _lexicon_label(path: str) -> str:
    """The shipped lexicon by name (its path differs between machines), user files by path."""
    return "zhpolicy:data/lexicon.toml" if path == str(default_lexicon_path()) else path


def package_versions() -> dict[str, str]:
    """Versions of zhpolicy and the libraries that shape its numbers."""
    from importlib.metadata import PackageNotFoundError, version

    versions = {}
    for name in ("zhpolicy", "jieba", "scikit-learn", "pandas", "wordcloud", "matplotlib", "ahocorasick-rs"):
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "not installed"
    return versions
