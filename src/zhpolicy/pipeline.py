"""The analysis: documents → sections → chunks → token and slogan counts → term statistics. Computes, never writes."""
from __future__ import annotations

import logging
import math
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from zhpolicy.compare import category_shares, wide_tables
from zhpolicy.read import Document, read_document
from zhpolicy.run.chunks import (
    MENTION_DTYPES,
    Chunk,
    ChunkCounts,
    CountSpec,
    chunk_bounds,
    count_batch,
    cut_chunk,
    segment_batch,
)
from zhpolicy.run.runner import ENGINES, Engine, Runner, default_workers
from zhpolicy.sections import Section, paragraph_ends, split_sections
from zhpolicy.slogans.count import SloganCount
from zhpolicy.slogans.detect import (
    ScanMerger,
    Slogan,
    SloganKind,
    detect_slogans,
    scan_batch,
)
from zhpolicy.slogans.lexicon import Lexicon, load_lexicon
from zhpolicy.slogans.mine import MAX_MINING_TOKENS, MinedPhrase, mine_phrases
from zhpolicy.stats.keyness import keyness_table
from zhpolicy.stats.terms import TermCounts, TermCountsBuilder, term_freq_table
from zhpolicy.stats.tfidf import import_in_background, rank_tfidf
from zhpolicy.tables import LazyTable, SpooledTable, Tables, stable_sort
from zhpolicy.text.clean import SAFE_STEPS, CleanStep, parse_clean_steps
from zhpolicy.text.convert import CONVERSIONS, Conversion
from zhpolicy.text.headings import compile_heading_regex
from zhpolicy.tokens import (
    SEGMENTERS,
    Segmenter,
    TokenStream,
    default_segmenter,
    dictionary_frequency,
    is_word,
    load_stop_words,
    make_tokenizer,
    word_tokens,
)

logger = logging.getLogger(__name__)

#: Slogans found in a text (with their kind) and its couplets (with their family).
TextSlogans = tuple[dict[str, SloganKind], dict[str, str]]


@dataclass(frozen=True)
class Options:
    """The options of a run: everything that changes the numbers, recorded in summary.json.

    A frozen dataclass, checked when it is made: a bad value raises ``ValueError`` naming the option
    and the allowed values. ``clean`` is stored as a tuple of step names, whatever form it was given in.
    ``workers``, ``engine`` and ``scheduler`` say how the work is run, never what it finds: they are
    left out of summary.json, so the same input gives the same bytes on any machine.

    Attributes
    ----------
    top : int, default 20
        TF-IDF terms kept per section (at least 1).
    images : bool, default True
        Draw each document's pictures (word clouds, heatmap, keyness, category shares, comparison cloud).
    corpus_images : bool or None, default None
        Draw the corpus folder's pictures (the trend by year, the corpus heatmap …); None: as ``images``.
        ``images=False, corpus_images=True`` gives the trend without drawing any per-document picture.
    lexicons : tuple of str, default ()
        User lexicon files, added to (and overriding) the shipped one (see :func:`load_lexicon`).
    min_term_chars : int, default 2
        Shortest term counted, in characters (at least 1; slogans are always kept).
    encoding : str or None, default None
        Force an input encoding instead of detecting it.
    convert : {"t2s", "tw2s", "tw2sp", "hk2s"} or None, default None
        OpenCC conversion to simplified Chinese applied on reading; see :func:`zhpolicy.read.read_document`.
    clean : tuple of str, default ``("front-matter", "html", "page-numbers")``
        Cleaning steps applied on reading, among ``front-matter``, ``html``, ``page-numbers``,
        ``running-heads``, ``join-lines`` (see :mod:`zhpolicy.text.clean`); a comma-separated string
        is accepted too.
    heading_regex : str or None, default None
        The user's heading pattern, replacing the built-in forms (see :func:`split_sections`).
    mine_top : int, default 30
        Most mined phrases kept (0 turns mining off); they are joined into single tokens and listed
        in the ``phrases`` table.
    mine_min_count, mine_min_pmi, mine_min_entropy : int, float, float; defaults 2, 3.0, 0.69
        Thresholds of :func:`zhpolicy.slogans.mine.mine_phrases`: occurrences, pointwise mutual
        information (cohesion) and branching entropy (freedom) a phrase needs.
    phrases_as_slogans : bool, default False
        Count the mined phrases as slogans too (kind ``mined``). Off by default: a recurring
        collocation (人民群众, 积极推进) is not a formulation, and mining depends on the whole run.
    segmenter : {"jieba", "rjieba"}
        ``jieba`` (pure Python) or ``rjieba`` (jieba-rs, the same tokens); by default rjieba where it
        is installed (see :func:`zhpolicy.tokens.default_segmenter`).
    workers : int or None, default 1
        Processes that segment (or Dask workers started for the run), at least 1; ``None``: all cores.
    engine : {"local", "dask"}, default "local"
        ``local`` (this machine) or ``dask`` (a Dask cluster; see :mod:`zhpolicy.run.runner`).
    scheduler : str or None, default None
        Address of a running Dask scheduler, e.g. ``tcp://host:8786`` (engine ``dask`` only).

    Raises
    ------
    ValueError
        An unknown ``segmenter``, ``engine``, ``convert`` or cleaning step; ``top``, ``workers`` or
        ``min_term_chars`` below 1; a ``scheduler`` without engine ``dask``; an invalid ``heading_regex``.

    Examples
    --------
    >>> Options(top=10, clean="html,page-numbers").clean
    ('html', 'page-numbers')
    >>> Options(engine="spark")
    Traceback (most recent call last):
    ...
    ValueError: engine must be one of local, dask, got 'spark'
    """

    top: int = 20
    images: bool = True
    corpus_images: bool | None = None
    lexicons: tuple[str, ...] = ()
    min_term_chars: int = 2
    encoding: str | None = None
    convert: Conversion | None = None
    clean: tuple[CleanStep, ...] = SAFE_STEPS
    heading_regex: str | None = None
    mine_top: int = 30
    mine_min_count: int = 2
    mine_min_pmi: float = 3.0
    mine_min_entropy: float = 0.69
    phrases_as_slogans: bool = False
    segmenter: Segmenter = field(default_factory=default_segmenter)
    workers: int | None = field(default=1, metadata={"recorded": False})
    engine: Engine = field(default="local", metadata={"recorded": False})
    scheduler: str | None = field(default=None, metadata={"recorded": False})

    def __post_init__(self) -> None:
        if self.segmenter not in SEGMENTERS:
            raise ValueError(f"segmenter must be one of {', '.join(SEGMENTERS)}, got {self.segmenter!r}")
        if self.workers is not None and self.workers < 1:
            raise ValueError(f"workers must be at least 1, got {self.workers}")
        if self.engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(ENGINES)}, got {self.engine!r}")
        if self.scheduler is not None and self.engine != "dask":
            raise ValueError("scheduler needs engine 'dask'")
        if self.top < 1:
            raise ValueError(f"top must be at least 1, got {self.top}")
        if self.convert is not None and self.convert not in CONVERSIONS:
            raise ValueError(f"convert must be one of {', '.join(CONVERSIONS)}, got {self.convert!r}")
        object.__setattr__(self, "clean", parse_clean_steps(self.clean))
        if self.heading_regex is not None:
            compile_heading_regex(self.heading_regex)
        if self.min_term_chars < 1:
            raise ValueError(f"min_term_chars must be at least 1, got {self.min_term_chars}")


    def read(self, path: str | Path) -> Document:
        """Read one input file as these options say (``encoding``, ``convert``, ``clean``); see
        :func:`zhpolicy.read.read_document`."""
        return read_document(path, encoding=self.encoding, convert=self.convert, clean=self.clean)


@dataclass(frozen=True)
class DocumentAnalysis:
    """What the pipeline found in one document: its sections, token and term counts, slogan counts and tables.

    Made by :func:`analyze` (or :func:`analyze_document`); frozen. No list of the document's tokens is
    kept: tokens stream into these counts section by section (:func:`section_tokens` segments a section
    again).

    Attributes
    ----------
    document : Document
        The document analysed.
    sections : tuple of Section
        Its sections (see :func:`split_sections`).
    word_counts : dict of int to int
        Section number → word tokens in it (whitespace and punctuation left out; a mined phrase is
        one token).
    term_counts : TermCounts
        Section number → term → occurrences (the terms of :func:`zhpolicy.tokens.is_term`), held as
        one sparse section × term matrix (:class:`zhpolicy.stats.terms.TermCounts`).
    tables : Mapping of str to DataFrame
        The document's tables by name, in the order they are written (``sections``, ``term_freq``,
        ``tfidf``, ``slogans``, ``mentions``, ``formulations``, …: :data:`TABLE_ORDER`). The long ones
        (``term_freq``, ``keyness``, ``mentions``, the matrices) are made or read when asked for.
    slogans : tuple of Slogan
        The slogans counted in the run.
    mined : tuple of MinedPhrase
        The phrases mined in the run.
    run_slogans : DataFrame or None
        The ``slogans`` table over every slogan of the run, for comparing documents on one list
        (``tables["slogans"]`` holds only the document's own: the lexicon's and those detected in its
        text, so that it does not depend on the other documents of the run).
    token_total : int
        Word tokens in the whole document (the sum of ``word_counts``).
    slogan_counts : tuple of SloganCount
        The ``slogans`` table as rows.
    """

    document: Document
    sections: tuple[Section, ...]
    word_counts: dict[int, int]
    term_counts: TermCounts
    tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    slogans: tuple[Slogan, ...] = ()
    mined: tuple[MinedPhrase, ...] = ()
    run_slogans: pd.DataFrame | None = None

    @property
    def token_total(self) -> int:
        """Word tokens in the whole document: the sum of ``word_counts``."""
        return sum(self.word_counts.values())

    @property
    def slogan_counts(self) -> tuple[SloganCount, ...]:
        """The ``slogans`` table as :class:`zhpolicy.slogans.count.SloganCount` rows, in its order."""
        by_text = {slogan.text: slogan for slogan in self.slogans}
        table = self.tables["slogans"]
        return tuple(
            SloganCount(int(row.section), by_text.get(row.slogan) or Slogan(
                row.slogan, row.kind, row.canonical, _text(row.category), _text(row.family)),
                int(row.count), int(row.count_outside))
            for row in table.itertuples(index=False))


def _text(value: Any) -> str:
    """A table cell as text ("" for a missing one)."""
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def section_table(sections: Sequence[Section], word_counts: Mapping[int, int]) -> pd.DataFrame:
    """``section, title, chars, tokens``: tokens counts jieba's word tokens (no whitespace or punctuation)."""
    return pd.DataFrame(
        [(s.number, s.title, len(s.text), word_counts[s.number]) for s in sections],
        columns=["section", "title", "chars", "tokens"],
    )


def slogan_table(counts: Sequence[SloganCount]) -> pd.DataFrame:
    """``section, slogan, kind, count, count_outside, canonical, category, family``: one row per slogan
    per section where it occurs, sorted by the slogan's total count (descending), then slogan, then section."""
    return pd.DataFrame(
        [(r.section, r.slogan.text, r.slogan.kind, r.count, r.count_outside, r.slogan.canonical,
          r.slogan.category, r.slogan.family) for r in counts],
        columns=["section", "slogan", "kind", "count", "count_outside", "canonical", "category", "family"],
    )


def analyze_document(
    document: Document,
    *,
    sections: Sequence[Section],
    word_counts: Mapping[int, int],
    term_counts: TermCounts | Mapping[int, Mapping[str, int]],
    slogan_counts: Sequence[SloganCount] | pd.DataFrame,
    formulation_counts: Sequence[tuple[int, str, int]] | pd.DataFrame,
    mentions: SpooledTable,
    options: Options,
    slogans: Sequence[Slogan] = (),
    mined: Sequence[MinedPhrase] = (),
    run_slogans: pd.DataFrame | None = None,
    detections: pd.DataFrame | None = None,
    phrase_documents: Mapping[str, int] | None = None,
) -> DocumentAnalysis:
    """Rank one counted document and build its tables (the last step of :func:`analyze`).

    From each section's word tokens, term counts, slogan and formulation counts and the ``mentions``
    table: TF-IDF (:func:`rank_tfidf`), keyness (:func:`keyness`), category shares, the slogan and
    formulation matrices and rates, the ``phrases`` and ``detections`` tables. Nothing is segmented
    or counted again. Sections missing from ``word_counts`` or ``term_counts`` count as empty.

    Parameters
    ----------
    document : Document
        The document counted.
    sections : sequence of Section
        Its sections, in order.
    word_counts : Mapping of int to int
        Section number → word tokens.
    term_counts : TermCounts or Mapping of int to Mapping of str to int
        Section number → term → occurrences (the terms of :func:`zhpolicy.tokens.is_term`, mined
        phrases joined).
    slogan_counts : sequence of SloganCount or DataFrame
        From :func:`zhpolicy.slogans.count.count_mentions`, or the ``slogans`` table itself.
    formulation_counts : sequence of (int, str, int) or DataFrame
        ``(section, canonical, count)`` from :func:`zhpolicy.slogans.count.count_formulations`, or the
        ``formulations`` table itself.
    mentions : SpooledTable
        The ``mentions`` rows, spooled to disk (:class:`zhpolicy.tables.SpooledTable`); closed here.
    options : Options
        ``options.top`` sets the TF-IDF terms kept per section.
    slogans : sequence of Slogan, default ()
        The slogans of the run.
    mined : sequence of MinedPhrase, default ()
        The phrases mined in the run (the ``phrases`` table).
    run_slogans : DataFrame, optional
        The run's ``slogans`` table; by default the document's own.
    detections : DataFrame, optional
        The ``detections`` table; by default made from the slogans table without scan evidence.

    Returns
    -------
    DocumentAnalysis
        The document, its sections, counts and tables.
    """
    word_counts = {section.number: int(word_counts.get(section.number, 0)) for section in sections}
    numbers = [section.number for section in sections]
    if not isinstance(term_counts, TermCounts) or term_counts.units != numbers:
        term_counts = TermCounts.from_mapping({number: term_counts.get(number, {}) for number in numbers})
    frames = {
        "sections": section_table(sections, word_counts),
        "tfidf": rank_tfidf(term_counts, top=options.top),
        "slogans": slogan_counts if isinstance(slogan_counts, pd.DataFrame) else slogan_table(slogan_counts),
        "formulations": (formulation_counts if isinstance(formulation_counts, pd.DataFrame) else
                         pd.DataFrame(list(formulation_counts), columns=["section", "canonical", "count"])),
    }
    frames["category_shares"] = category_shares(frames["slogans"])
    frames["phrases"] = phrase_table(mined, term_counts, phrase_documents)
    frames["detections"] = detection_table(frames["slogans"], {}) if detections is None else detections
    # A row per (section, term), a column per section: made a block at a time when read or written.
    lazy: dict[str, LazyTable] = {"term_freq": term_freq_table(term_counts), "keyness": keyness_table(term_counts),
                                  "mentions": mentions.close(), **wide_tables(frames)}
    tables = Tables(frames, lazy, order=TABLE_ORDER)
    return DocumentAnalysis(document, tuple(sections), word_counts, term_counts, tables,
                            slogans=tuple(slogans), mined=tuple(mined),
                            run_slogans=frames["slogans"] if run_slogans is None else run_slogans)


#: A document's tables in the order they are written (CSV files, workbook sheets).
TABLE_ORDER = ["sections", "term_freq", "tfidf", "slogans", "mentions", "formulations", "slogan_matrix",
               "slogan_rates", "formulation_matrix", "formulation_rates", "keyness", "category_shares", "phrases",
               "detections"]


#: Why a slogan of a kind is one, where the scan gave no reason of its own.
_KIND_EVIDENCE = {"lexicon": "in the lexicon", "quoted": "quoted here, not a common word",
                  "numeric": "numeric formula", "couplet": "couplet whose frame recurs here",
                  "mined": "mined phrase of the run (--phrases-as-slogans)"}


def detection_table(slogans: pd.DataFrame, evidence: Mapping[str, str]) -> pd.DataFrame:
    """``slogan, kind, canonical, category, family, evidence, total``: each slogan of the document's
    ``slogans`` table once, with why it is a slogan (``evidence``: the lexicon and its category, the rule
    that found a numeric formula, a quotation that is not a common word, a recurring couplet frame) and
    its total count. Sorted by total (descending), then slogan."""
    columns = ["slogan", "kind", "canonical", "category", "family", "evidence", "total"]
    if not len(slogans):
        return pd.DataFrame(columns=columns)
    first = slogans.drop_duplicates("slogan").set_index("slogan")
    totals = slogans.groupby("slogan", sort=True)["count"].sum()
    rows = []
    for slogan, total in totals.items():
        row = first.loc[slogan]
        category = _text(row["category"])
        if row["kind"] == "lexicon":
            reason = f"in the lexicon ({category})" if category else "in the lexicon"
        else:
            reason = evidence.get(str(slogan)) or _KIND_EVIDENCE.get(str(row["kind"]), "")
        rows.append((slogan, row["kind"], row["canonical"], category, _text(row["family"]), reason, int(total)))
    table = pd.DataFrame(rows, columns=columns)
    return stable_sort(table, ["total", "slogan"], [False, True]).reset_index(drop=True)


def phrase_table(mined: Sequence[MinedPhrase], term_counts: TermCounts,
                 documents: Mapping[str, int] | None = None) -> pd.DataFrame:
    """``phrase, count, documents, run_count, pmi, entropy, score, dictionary``: the phrases mined in the
    run (recurring multi-word collocations, not slogans), with their count in this document (as one joined
    token), the number of the run's documents that hold them (``documents``; 1 for a lone document), their
    count where they were mined, cohesion (PMI), freedom (branching entropy), and how often jieba's
    general dictionary holds the phrase (0: not a dictionary word). Sorted by count, then phrase."""
    totals: Counter[str] = Counter()
    wanted = {phrase.text for phrase in mined}
    for unit in term_counts.units:
        for term, count in term_counts[unit].items():
            if term in wanted:
                totals[term] += count
    spread = documents or {}
    rows = [(p.text, totals.get(p.text, 0), spread.get(p.text, int(totals.get(p.text, 0) > 0)), p.count,
             round(p.pmi, 6), round(p.entropy, 6), round(p.score, 6), dictionary_frequency(p.text)) for p in mined]
    table = pd.DataFrame(rows, columns=["phrase", "count", "documents", "run_count", "pmi", "entropy", "score",
                                        "dictionary"])
    return stable_sort(table, ["count", "phrase"], [False, True]).reset_index(drop=True)


def section_tokens(analysis: DocumentAnalysis, number: int, *, segmenter: str | None = None) -> list[str]:
    """The word tokens of one section as the analysis counted them, segmented again.

    Slogans stay whole, mined phrases are joined, punctuation and whitespace are left out: the
    tokens whose counts are ``analysis.word_counts[number]``. The analysis keeps only counts, so the
    section's text is segmented here again (a tokenizer is made: the segmenter's dictionary is loaded).

    Parameters
    ----------
    analysis : DocumentAnalysis
        A document analysed by :func:`analyze`.
    number : int
        The section's number (1-based).
    segmenter : {"jieba", "rjieba"}, optional
        By default rjieba where it is installed, else jieba; both give the same tokens.

    Returns
    -------
    list of str
        The word tokens, in text order.

    Raises
    ------
    ValueError
        The document has no section ``number``, or the segmenter is unknown or not installed.

    Examples
    --------
    >>> section_tokens(analysis, 2)[:3]  # doctest: +SKIP
    ['各位', '代表', '现在']
    """
    section = next((s for s in analysis.sections if s.number == number), None)
    if section is None:
        raise ValueError(f"{analysis.document.name} has no section {number}")
    mined = {phrase.text for phrase in analysis.mined}  # joined after segmenting, never user words
    tokenizer = make_tokenizer([s.text for s in analysis.slogans if s.text not in mined], segmenter=segmenter)
    stream = TokenStream.of(tokenizer.lcut(section.text), section.text)
    return word_tokens(stream.merged([phrase.tokens for phrase in analysis.mined]).tokens())


def analyze(
    documents: Sequence[Document],
    *,
    options: Options = Options(),
    lexicon: Lexicon | None = None,
    progress: Callable[[Iterable[Document]], Iterable[Document]] = lambda items: items,
    runner: Runner | None = None,
) -> list[DocumentAnalysis]:
    """Analyse documents together: sections, tokens, slogans, formulations and term statistics.

    Computes, never writes (:mod:`zhpolicy.outputs` writes the results). The steps:

    1. Detect slogans over all documents (lexicon, numeric, quoted, couplets); one tokenizer keeps
       every one of them whole.
    2. Cut every section into pieces (after line ends) and segment the first pieces, enough for
       phrase mining (:data:`zhpolicy.slogans.mine.MAX_MINING_TOKENS` word tokens); mine recurring
       multi-word phrases from them (kind ``mined``), unless ``options.mine_top`` is 0. The workers
       go on segmenting the pieces that follow while this process mines.
    3. Segment and count every other piece in ``options.workers`` processes (or on Dask): each
       piece comes back as token counts (mined phrases joined), slogan and formulation counts (as
       ``str.count`` counts) and its rows of the mentions table as CSV text, never as tokens.
    4. Add the pieces up per section as they come back (the mention rows go straight to a file,
       see :mod:`zhpolicy.tables`: memory does not grow with the number of mentions) and build the tables.

    Slogans found in any document are counted in every document, so reports can be compared on the
    same list. The numbers are the same for any ``workers`` and ``engine``.

    Parameters
    ----------
    documents : sequence of Document
        The documents, read by :func:`read_document` or :func:`read_corpus`.
    options : Options, default ``Options()``
        What to count and how; see :class:`Options`.
    lexicon : Lexicon, optional
        The formulations to look for; by default ``load_lexicon(options.lexicons)``.
    progress : callable, optional
        Wraps the documents as they are split into sections (a progress bar, say); by default the
        identity.
    runner : Runner, optional
        Where the work runs (:class:`zhpolicy.run.runner.Runner`); by default one made from
        ``options.workers``, ``options.engine`` and ``options.scheduler`` and closed at the end.

    Returns
    -------
    list of DocumentAnalysis
        One per document, in order.

    Raises
    ------
    LexiconError
        A lexicon file of ``options.lexicons`` is missing or malformed.
    ValueError
        A slogan holds a line end or a 。, or the segmenter or engine cannot be used (rjieba or
        dask.distributed not installed).

    Examples
    --------
    >>> analyses = analyze(read_corpus(["corpus/tianning_2024_lianghui.md"]))  # doctest: +SKIP
    >>> analyses[0].tables["slogans"].head()  # doctest: +SKIP
    """
    if runner is None:
        with Runner(workers=options.workers or default_workers(), engine=options.engine,
                    scheduler=options.scheduler) as own:
            return analyze(documents, options=options, lexicon=lexicon, progress=progress, runner=own)
    lexicon = load_lexicon(options.lexicons) if lexicon is None else lexicon
    texts = [doc.text for doc in documents]
    stop_words = load_stop_words()
    sections = [tuple(split_sections(document, heading_regex=options.heading_regex))
                for document in progress(documents)]
    flat = [section for doc in sections for section in doc]
    owner = [index for index, doc in enumerate(sections) for _ in doc]  # the document of each section
    # Every piece of work: (index into flat, start, end) of a chunk of a section's text, in text order.
    chunks = [(number, start, end) for number, section in enumerate(flat) for start, end in chunk_bounds(section.text)]
    found, found_by_document, evidence_by_document = _scan_chunks(documents, owner, flat, chunks, runner)
    slogans = detect_slogans(texts, lexicon, found=found)
    user_words = tuple(sorted({slogan.text for slogan in slogans}))
    mined: list[MinedPhrase] = []
    prefix: list[TokenStream] = []  # the first chunks, segmented for mining
    ahead: SegmentedAhead | None = None  # the chunks after them, still being segmented
    if options.mine_top > 0:
        prefix, ahead = _segment_prefix(flat, chunks, user_words, options, runner)
        known = {slogan.text for slogan in slogans}
        mined = mine_phrases(
            (piece for stream in prefix for piece in stream.pieces()),
            stop_words=stop_words, min_count=options.mine_min_count, min_pmi=options.mine_min_pmi,
            min_entropy=options.mine_min_entropy, top=options.mine_top,
            accept=lambda phrase: (phrase not in known and not _holds_slogan(phrase, known)
                                   and not _only_inside(phrase, known, texts)))
        if options.phrases_as_slogans:
            slogans = detect_slogans(texts, lexicon, mined=[phrase.text for phrase in mined], found=found)
    unsafe = [slogan.text for slogan in slogans if "\n" in slogan.text or "。" in slogan.text]
    if unsafe:  # the lexicon refuses them and no scanned or mined slogan can hold one
        raise ValueError(f"slogans {unsafe!r} hold a line end or a 。, where pieces are cut")
    patterns = tuple(sorted({s.text for s in slogans}))
    canonical = {slogan.text: slogan.canonical for slogan in slogans}
    rules = tuple(sorted({s.text: (s.not_after, s.not_before) for s in slogans if s.not_after or s.not_before}.items()))
    indexed = [pattern for pattern in patterns if pattern]  # as the workers' matchers index them
    # Each document's own slogans: the lexicon's and those detected in its text (and, when asked, the run's
    # mined phrases). The slogans of the whole run are counted in every document too, for the corpus tables.
    mined_slogans = [phrase.text for phrase in mined] if options.phrases_as_slogans else []
    own_slogans = [detect_slogans([], lexicon, mined=mined_slogans, found=found_here) for found_here in found_by_document]
    foreign = []
    for listed in own_slogans:
        texts_here = {slogan.text for slogan in listed}
        foreign.append(tuple(number for number, pattern in enumerate(indexed) if pattern not in texts_here))
    recipe = CountSpec(options.segmenter, user_words, patterns, tuple(phrase.tokens for phrase in mined),
                       stop_words, options.min_term_chars, canonical=tuple(canonical[p] for p in patterns), rules=rules,
                       foreign=tuple(foreign))
    if not runner.local:
        import_in_background()  # this process mostly waits while the workers count
    tallies = [DocumentTally() for _ in documents]
    for (number, _, _), counts in zip(chunks, _count_chunks(flat, chunks, prefix, ahead, recipe, runner, owner),
                                      strict=True):
        tallies[owner[number]].add(flat[number].number, counts)
    analyses = []
    term_counts = [tally.terms.build([section.number for section in doc_sections])
                   for doc_sections, tally in zip(sections, tallies, strict=True)]
    phrase_documents: Counter[str] = Counter()
    for doc_counts in term_counts:
        totals = doc_counts.totals()
        phrase_documents.update(phrase.text for phrase in mined if totals.get(phrase.text, 0) > 0)
    for document, doc_sections, tally, listed, evidence, doc_terms in zip(
            documents, sections, tallies, own_slogans, evidence_by_document, term_counts, strict=True):
        own_table = tally.slogan_table(listed, indexed)
        analyses.append(analyze_document(
            document, sections=doc_sections, word_counts=tally.words,
            term_counts=doc_terms, phrase_documents=phrase_documents,
            slogan_counts=own_table, formulation_counts=tally.formulation_table(),
            detections=detection_table(own_table, evidence),
            mentions=tally.mentions, slogans=slogans, options=options, mined=mined,
            run_slogans=tally.slogan_table(slogans, indexed)))
    return analyses


def _scan_chunks(documents: Sequence[Document], owner: Sequence[int], flat: Sequence[Section],
                 chunks: Sequence[tuple[int, int, int]], runner: Runner
                 ) -> tuple[TextSlogans, list[TextSlogans], list[dict[str, str]]]:
    """Numeric, quoted and couplet slogans of all documents together and of each document on its own (see
    :func:`zhpolicy.slogans.detect.find_text_slogans`), scanned chunk by chunk where ``runner`` runs: the
    same slogans as scanning each text whole. ``owner``: the document of each section of ``flat``."""
    def text(index: int) -> str:
        number, start, end = chunks[index]
        return flat[number].text[start:end]

    batches = runner.batches([end - start for _, start, end in chunks])
    scans = (scan for result in runner.imap(scan_batch, LazyBatches(batches, text), None) for scan in result)
    merger = ScanMerger()  # chunks come in document order: each document's scans are merged as they come
    own: list[tuple[dict[str, SloganKind], dict[str, str]]] = [({}, {}) for _ in documents]
    evidence: list[dict[str, str]] = [{} for _ in documents]
    current = 0
    for (number, _, _), scan in zip(chunks, scans, strict=True):
        if owner[number] != current:
            merger.end_text()
            own[current], evidence[current] = merger.by_text[-1], merger.evidence_by_text[-1]
            current = owner[number]
        merger.add(scan)
    merger.end_text()
    own[current], evidence[current] = merger.by_text[-1], merger.evidence_by_text[-1]
    return (merger.kinds, merger.couplets), own, evidence


#: Batches segmented ahead, per worker, while this process counts the words of the first ones and mines
#: phrases from them: the workers are kept busy meanwhile.
AHEAD_PER_WORKER = 4


def _segment_prefix(sections: Sequence[Section], chunks: Sequence[tuple[int, int, int]], user_words: tuple[str, ...],
                    options: Options, runner: Runner) -> tuple[list[TokenStream], SegmentedAhead]:
    """The token streams of the first chunks, in text order, enough for phrase mining (it reads
    :data:`zhpolicy.slogans.mine.MAX_MINING_TOKENS` word tokens), their words counted as they come back.

    The segmenting goes on meanwhile, for the chunks that follow (see :class:`SegmentedAhead`):
    segmenting never depends on the mined phrases (they are joined from the tokens, see
    :meth:`zhpolicy.tokens.TokenStream.merged`), so the workers keep busy while this process mines.
    """
    def text(index: int) -> str:
        number, start, end = chunks[index]
        return sections[number].text[start:end]

    texts = LazyBatches(runner.batches([end - start for _, start, end in chunks]), text)
    results = runner.imap(segment_batch, texts, (options.segmenter, user_words), window=AHEAD_PER_WORKER * runner.workers)
    streams: list[TokenStream] = []
    words = 0
    for batch in results:
        streams += batch
        words += sum(count for stream in batch for token, count in stream.counts().items() if is_word(token))
        if words >= MAX_MINING_TOKENS:
            break
    texts.stop()
    return streams, SegmentedAhead(results, sum(len(batch) for batch in texts.batches[:texts.made]) - len(streams))


@dataclass
class SegmentedAhead:
    """The streams of the ``chunks`` chunks after the mining prefix, in order, as their segmenting ends:
    ``results`` yields them a batch at a time."""

    results: Iterator[list[TokenStream]]
    chunks: int

    def __iter__(self) -> Iterator[TokenStream]:
        for batch in self.results:
            yield from batch


def _count_chunks(sections: Sequence[Section], chunks: Sequence[tuple[int, int, int]], prefix: list[TokenStream],
                  ahead: SegmentedAhead | None, recipe: CountSpec, runner: Runner,
                  owner: Sequence[int]) -> Iterator[ChunkCounts]:
    """The counts of every chunk, in order, counted where ``runner`` runs, a batch at a time, yielded
    as they come. The chunks segmented for mining (``prefix``, dropped from it as they are sent) and
    those segmented ahead go with their tokens; the others are segmented there. Work on them is sent
    while the last ones segmented ahead are still coming back, so no worker waits for the others."""
    ends_of: dict[int, Any] = {}  # the paragraph ends of the section being cut (sections come in order)
    segmented = len(prefix) + (ahead.chunks if ahead else 0)
    prefix.reverse()
    streams = iter(ahead or ())

    def piece(index: int) -> Chunk:
        number, start, end = chunks[index]
        if number not in ends_of:
            ends_of.clear()
            ends_of[number] = paragraph_ends(sections[number].text)
        return cut_chunk(sections[number].number, sections[number].text, start, end, paragraph_ends=ends_of[number],
                         document=owner[number])

    def item(index: int) -> Chunk | tuple[Chunk, TokenStream]:
        if index >= segmented:
            return piece(index)
        return piece(index), prefix.pop() if prefix else next(streams)  # held no longer than needed

    batches = runner.batches([end - start for _, start, end in chunks])
    for result in runner.imap(count_batch, LazyBatches(batches, item), recipe):
        yield from result


class LazyBatches(Sequence[list[Any]]):
    """Batches of work items (``make(index)``) made only when they are sent, so that the text is never
    copied all at once. :meth:`stop` ends an iteration early; ``made`` counts the batches made by it."""

    def __init__(self, batches: list[list[int]], make: Callable[[int], Any]) -> None:
        self.batches, self.make = batches, make
        self.stopped = False
        self.made = 0

    def __len__(self) -> int:
        return len(self.batches)

    def __getitem__(self, index: int) -> list[Any]:  # type: ignore[override]
        return [self.make(i) for i in self.batches[index]]

    def __iter__(self) -> Iterator[list[Any]]:
        for index in range(len(self.batches)):
            if self.stopped:
                return
            self.made = index + 1
            yield self[index]

    def stop(self) -> None:
        """Make no more batches: an iteration under way ends before its next one."""
        self.stopped = True


class DocumentTally:
    """A document's counts, added up piece by piece as the pieces come back: word tokens and terms per
    section (a sparse matrix, see :mod:`zhpolicy.stats.terms`), slogan and formulation counts (rows of
    integers, added up at the end) and the mention rows, spooled to disk. A document cut into 100,000
    sections holds millions of (section, slogan) counts: none of them is a Python object."""

    def __init__(self) -> None:
        self.words: dict[int, int] = {}
        self.terms = TermCountsBuilder()
        self.slogans = array("q")  # section, slogan index, count, count outside: four per row
        self.formulations = array("q")  # section, formulation code, count: three per row
        self.formulation_codes: dict[str, int] = {}
        self.mentions = SpooledTable(MENTION_DTYPES, prefix="zhpolicy-mentions-")

    def add(self, number: int, counts: ChunkCounts) -> None:
        """Add the counts of a piece of section ``number``."""
        self.words[number] = self.words.get(number, 0) + counts.words
        self.terms.add(number, counts.terms)
        for pattern, (count, outside) in counts.slogans.items():
            self.slogans.extend((number, pattern, count, outside))
        codes = self.formulation_codes
        for name, count in counts.formulations.items():
            self.formulations.extend((number, codes.setdefault(name, len(codes)), count))
        if counts.mention_rows:
            self.mentions.append(counts.mention_csv, counts.mention_rows)

    def slogan_table(self, slogans: Sequence[Slogan], patterns: Sequence[str]) -> pd.DataFrame:
        """The ``slogans`` table (see :func:`slogan_table`): one row per slogan per section where it occurs,
        ordered as :func:`zhpolicy.slogans.count.count_mentions` orders them. ``patterns``: the slogan texts,
        sorted, as the pieces index them."""
        import numpy as np

        section, pattern, count, outside = _summed(self.slogans, 4)
        if not len(section):
            return slogan_table([])
        total = np.bincount(pattern, weights=count).astype(np.int64)  # each slogan over all sections
        order = np.lexsort((section, pattern, -total[pattern]))  # patterns are sorted: by index is by text
        by_text = {slogan.text: slogan for slogan in slogans}
        listed = np.array([text in by_text for text in patterns], dtype=bool)
        order = order[listed[pattern[order]]]  # only the slogans asked for
        described = [by_text.get(text) or Slogan(text, "quoted", text) for text in patterns]

        def column(name: str) -> Any:
            return np.array([getattr(slogan, name) for slogan in described], dtype=object)[pattern[order]]

        return pd.DataFrame({"section": section[order], "slogan": column("text"), "kind": column("kind"),
                             "count": count[order], "count_outside": outside[order], "canonical": column("canonical"),
                             "category": column("category"), "family": column("family")})

    def formulation_table(self) -> pd.DataFrame:
        """The ``formulations`` table ``section, canonical, count``, ordered as
        :func:`zhpolicy.slogans.count.count_formulations` orders it (section, count descending, canonical)."""
        import numpy as np

        section, code, count = _summed(self.formulations, 3)
        if not len(section):
            return pd.DataFrame(columns=["section", "canonical", "count"])
        names = np.array(list(self.formulation_codes), dtype=object)
        rank = np.empty(len(names), dtype=np.int64)
        rank[sorted(range(len(names)), key=names.__getitem__)] = np.arange(len(names), dtype=np.int64)
        order = np.lexsort((rank[code], -count, section))
        return pd.DataFrame({"section": section[order], "canonical": names[code[order]], "count": count[order]},
                            columns=["section", "canonical", "count"])


def _summed(rows: array[int], width: int) -> list[Any]:
    """Rows of ``width`` integers (a key of two, then counts), rows with the same key added up: the
    columns, sorted by key."""
    import numpy as np

    table = np.frombuffer(rows, dtype=np.int64).reshape(-1, width) if len(rows) else np.zeros((0, width), np.int64)
    table = table[np.lexsort((table[:, 1], table[:, 0]))]
    starts = np.flatnonzero(np.r_[True, (np.diff(table[:, 0]) != 0) | (np.diff(table[:, 1]) != 0)]) if len(table) else \
        np.zeros(0, dtype=np.int64)
    sums = [np.add.reduceat(table[:, index], starts) if len(table) else table[:, index] for index in range(2, width)]
    return [table[starts, 0], table[starts, 1], *sums]


def _holds_slogan(phrase: str, slogans: set[str]) -> bool:
    """True when a slogan stands inside ``phrase`` (优化营商环境 holds 营商环境): joined as one token, such a
    phrase would hide the slogan from the term counts, so it is not mined."""
    return any(phrase[start:end] in slogans for start in range(len(phrase))
               for end in range(start + 2, len(phrase) + 1) if end - start < len(phrase))


def _only_inside(phrase: str, slogans: set[str], texts: Sequence[str]) -> bool:
    """True when every occurrence of ``phrase`` lies inside a longer known slogan (``建设之新`` inside
    a couplet): such a phrase is not worth reporting on its own."""
    holders = [slogan for slogan in slogans if phrase in slogan and slogan != phrase]
    return bool(holders) and all(
        text.count(phrase) == sum(text.count(holder) * holder.count(phrase) for holder in holders) for text in texts)
