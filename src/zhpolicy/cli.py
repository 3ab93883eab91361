"""The command line: parse arguments, check inputs, call the library, format its log messages, turn errors into exit codes."""
from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from zhpolicy._version import __version__
from zhpolicy.compare import change_summary, compare_documents
from zhpolicy.errors import EXIT_USAGE_ERROR, InputError, OutputError, ZhpolicyError
from zhpolicy.outputs.files import check_output_dir, write_csv, write_file_atomically
from zhpolicy.outputs.folders import write_analyses, write_compare, write_corpus
from zhpolicy.pipeline import Options, analyze
from zhpolicy.read import Document, find_documents, read_document
from zhpolicy.run.runner import BATCH_CHARS, Runner, default_workers
from zhpolicy.sections import split_sections
from zhpolicy.slogans.kwic import format_kwic, kwic, kwic_table
from zhpolicy.slogans.lexicon import load_lexicon
from zhpolicy.text.boilerplate import count_lines, find_boilerplate, remove_boilerplate
from zhpolicy.text.clean import CLEAN_STEPS, SAFE_STEPS, parse_clean_steps
from zhpolicy.text.convert import CONVERSIONS
from zhpolicy.text.headings import compile_heading_regex

logger = logging.getLogger("zhpolicy")


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors on one line: ``zhpolicy analyze: error: ... (see zhpolicy analyze --help)``."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE_ERROR, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="zhpolicy",
        description="Count slogans and official formulations (口号, 提法) in Chinese policy texts, per section, "
                    "and rank each section's terms by TF-IDF.",
    )
    parser.add_argument("--version", action="version", version=f"zhpolicy {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    analyze = commands.add_parser(
        "analyze", help="analyse reports and write tables and word clouds",
        description="Analyse reports: split them into sections, segment with jieba (slogans kept whole), "
                    "count slogans exactly, rank terms by TF-IDF, and write tables and word clouds to "
                    "DIR/<file stem>/.",
    )
    analyze.add_argument("inputs", nargs="*", metavar="INPUT", type=Path,
                         help="report files (.txt/.md) or folders searched recursively (default: corpus/)")
    analyze.add_argument("-o", "--output", type=Path, default=Path("outputs"), metavar="DIR",
                         help="output folder, one sub-folder per document (default: outputs/)")
    analyze.add_argument("--top", type=_positive_int, default=20, metavar="N",
                         help="TF-IDF terms kept per section (default: 20)")
    analyze.add_argument("--no-images", action="store_true", help="skip all pictures (same as --images none)")
    analyze.add_argument("--images", choices=["all", "corpus", "none"], default=None,
                         help="which pictures to draw: all (default), corpus (only the corpus folder's: the trend "
                              "by year and the corpus figures, no per-document picture) or none")
    analyze.add_argument("--lexicon", action="append", type=Path, default=[], metavar="FILE",
                         help="your own lexicon file (TOML or one phrase per line); extends and overrides the "
                              "shipped one; may be given several times")
    _add_reading_arguments(analyze)
    analyze.add_argument("--min-chars", type=_positive_int, default=2, metavar="N",
                         help="shortest term counted in term tables, in characters (default: 2)")
    analyze.add_argument("--keep-boilerplate", action="store_true",
                         help="with several documents, keep the lines that recur in at least half of them (and "
                              "in 3 or more: licence notices, site navigation), which are otherwise removed "
                              "before counting and listed in DIR/corpus/boilerplate.csv")
    analyze.add_argument("--strict", action="store_true",
                         help="stop at the first unreadable input instead of skipping it")
    verbosity = analyze.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    verbosity.add_argument("-v", "--verbose", action="store_true", help="log each step")
    analyze.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    analyze.add_argument("--mine-top", type=_non_negative_int, default=30, metavar="N",
                         help="most statistically mined phrases, listed in phrases.csv and kept whole as terms "
                              "(0: no mining; default: 30)")
    analyze.add_argument("--phrases-as-slogans", action="store_true",
                         help="count the mined phrases as slogans too (kind mined; they depend on the whole run)")
    analyze.add_argument("--mine-min-count", type=_positive_int, default=2, metavar="N",
                         help="least occurrences of a mined phrase (default: 2)")
    analyze.add_argument("--mine-min-pmi", type=float, default=3.0, metavar="X",
                         help="least cohesion (PMI of the weakest cut, nats) of a mined phrase (default: 3.0)")
    analyze.add_argument("--mine-min-entropy", type=float, default=0.69, metavar="X",
                         help="least left/right branching entropy (nats) of a mined phrase (default: 0.69)")
    analyze.add_argument("--segmenter", choices=["jieba", "rjieba"], default=None,
                         help="rjieba (jieba in Rust: the same tokens, about 25x faster) or jieba "
                              "(default: rjieba where installed, else jieba)")
    analyze.add_argument("--workers", type=_positive_int, default=None, metavar="N",
                         help="processes that segment text and draw word clouds (default: all cores)")
    analyze.add_argument("--engine", choices=["local", "dask"], default=None,
                         help="segment on this machine, or on a Dask cluster (default: local; dask with "
                              "--scheduler)")
    analyze.add_argument("--trend", action="append", default=[], metavar="SLOGAN",
                         help="a slogan for the trend plot across documents with years (DIR/corpus/trend.png); "
                              "may be given several times (default: the 8 lexicon formulations whose rate "
                              "changes most across the years)")
    analyze.add_argument("--scheduler", metavar="ADDRESS",
                         help="address of a running Dask scheduler, e.g. tcp://host:8786 (implies --engine dask; "
                              "without it, --engine dask starts a local cluster of --workers processes)")

    kwic = commands.add_parser(
        "kwic", help="show every occurrence of a slogan or term in context",
        description="Keyword in context: every occurrence of TERM (as str.count finds them) with its document, "
                    "section and left/right context, aligned for Chinese (wide) characters.",
    )
    kwic.add_argument("term", metavar="TERM", help="the slogan or term to look for, e.g. 万亿之城再出发")
    kwic.add_argument("inputs", nargs="*", metavar="INPUT", type=Path,
                      help="report files or folders (default: corpus/)")
    kwic.add_argument("--width", type=_positive_int, default=20, metavar="N",
                      help="characters of context on each side (default: 20)")
    kwic.add_argument("--csv", type=Path, metavar="FILE", help="also write the lines to FILE as CSV (UTF-8 with BOM)")
    _add_reading_arguments(kwic)
    kwic.add_argument("--debug", action="store_true", help="show tracebacks for errors")

    compare = commands.add_parser(
        "compare", help="what rose, fell, appeared and disappeared between two reports",
        description="Compare report A with report B (analysed together, so both count the same slogans): "
                    "slogans and terms whose rate per 10,000 characters rose or fell, and those that appeared "
                    "or disappeared. Writes DIR/compare_<A>_vs_<B>/compare.csv and compare.png.",
    )
    compare.add_argument("first", metavar="A", type=Path, help="the earlier (or reference) report")
    compare.add_argument("second", metavar="B", type=Path, help="the later report, compared with A")
    compare.add_argument("-o", "--output", type=Path, default=Path("outputs"), metavar="DIR",
                         help="output folder (default: outputs/)")
    compare.add_argument("--top", type=_positive_int, default=5, metavar="N",
                         help="slogans named per status in the printed summary (default: 5)")
    compare.add_argument("--no-images", action="store_true", help="skip the plot")
    compare.add_argument("--lexicon", action="append", type=Path, default=[], metavar="FILE",
                         help="your own lexicon file; may be given several times")
    _add_reading_arguments(compare)
    compare.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    compare.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    return parser


def _add_reading_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options that say how inputs are read and split: --encoding, --convert, --clean, --heading-regex."""
    parser.add_argument("--encoding", metavar="CODEC", type=_codec,
                        help="read inputs with this encoding (default: detect UTF-8/UTF-16/GB18030/Big5)")
    parser.add_argument("--convert", choices=CONVERSIONS, metavar="{" + ",".join(CONVERSIONS) + "}",
                        help="convert traditional Chinese to simplified with OpenCC on reading, before counting "
                             "(t2s; tw2s/tw2sp for Taiwan, hk2s for Hong Kong usage)")
    parser.add_argument("--clean", type=_clean_steps, default=SAFE_STEPS, metavar="STEPS",
                        help=f"cleaning on reading, comma-separated: {', '.join(CLEAN_STEPS)}, or none/safe/all "
                             f"(default: safe = {','.join(SAFE_STEPS)})")
    parser.add_argument("--heading-regex", type=_heading_regex, metavar="REGEX",
                        help="your own heading pattern, matched at the start of each line, replacing the "
                             "built-in forms; a group named 'title' gives the title")


def _codec(text: str) -> str:
    import codecs

    try:
        info = codecs.lookup(text)
    except LookupError:
        raise argparse.ArgumentTypeError(f"unknown encoding {text!r}") from None
    if not getattr(info, "_is_text_encoding", True):
        raise argparse.ArgumentTypeError(f"{text!r} is not a text encoding")
    return text


def _clean_steps(text: str) -> tuple[str, ...]:
    try:
        return parse_clean_steps(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _heading_regex(text: str) -> str:
    try:
        compile_heading_regex(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def _non_negative_int(text: str) -> int:
    return _positive_int(text) if text.strip() != "0" else 0


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {value}")
    return value


class _LogLines(logging.Handler):
    """zhpolicy's log records as the CLI shows them on stderr: ``zhpolicy: warning: …`` for warnings,
    ``zhpolicy: error: …`` for errors, the plain message for steps (``-v``)."""

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno >= logging.ERROR:
            message = f"zhpolicy: error: {message}"
        elif record.levelno >= logging.WARNING:
            message = f"zhpolicy: warning: {message}"
        sys.stderr.write(message + "\n")  # the current stderr, as captured or redirected


def _show_log(level: int) -> None:
    """Show zhpolicy's own log records at ``level`` and above (other libraries' debug output stays hidden)."""
    package_logger = logging.getLogger("zhpolicy")
    package_logger.setLevel(level)
    if not any(isinstance(handler, _LogLines) for handler in package_logger.handlers):
        package_logger.addHandler(_LogLines())
    logging.getLogger("jieba").setLevel(logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``zhpolicy`` and ``python -m zhpolicy``; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    quiet, verbose = getattr(args, "quiet", False), getattr(args, "verbose", False)
    level = logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO
    _show_log(level)
    commands = {"analyze": run_analyze, "kwic": run_kwic, "compare": run_compare}
    try:
        return commands[args.command](args)
    except ZhpolicyError as error:  # one line; exit 2 for an unusable output folder, 1 for the rest
        if args.debug:
            raise
        print(f"zhpolicy: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("zhpolicy: interrupted; nothing was half-written", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of stdout went away (zhpolicy kwic … | head): not an error of ours
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error when Python flushes
        return 0


def run_analyze(args: argparse.Namespace) -> int:

    inputs: list[Path] = list(args.inputs) or [Path("corpus")]
    if not args.inputs and not Path("corpus").is_dir():
        raise InputError("corpus: no INPUT given and there is no corpus/ folder here")
    problem = _execution_problem(args)
    if problem:
        print(f"zhpolicy analyze: error: {problem}", file=sys.stderr)
        return EXIT_USAGE_ERROR
    images = "none" if args.no_images else (args.images or "all")
    options = Options(top=args.top, images=images == "all", corpus_images=images != "none",
                      lexicons=tuple(str(p) for p in args.lexicon),
                      min_term_chars=args.min_chars, encoding=args.encoding, convert=args.convert,
                      clean=args.clean, heading_regex=args.heading_regex, mine_top=args.mine_top,
                      phrases_as_slogans=args.phrases_as_slogans,
                      mine_min_count=args.mine_min_count, mine_min_pmi=args.mine_min_pmi,
                      mine_min_entropy=args.mine_min_entropy, workers=args.workers,
                      **({"segmenter": args.segmenter} if args.segmenter else {}),
                      engine=args.engine or ("dask" if args.scheduler else "local"), scheduler=args.scheduler)
    paths = []
    for item in inputs:  # a missing path among several is skipped like an unreadable file
        try:
            paths += find_documents([item])
        except InputError as error:
            if args.strict or len(inputs) == 1:
                raise
            logger.warning("skipped: %s", error)
    paths = list(dict.fromkeys(paths))
    with Runner(workers=options.workers or default_workers(), engine=options.engine,
                scheduler=options.scheduler) as runner:
        if sum(path.stat().st_size for path in paths if path.is_file()) > 3 * BATCH_CHARS:  # over a batch of work
            runner.start(options.segmenter)  # the workers load the dictionary while the input is read
        documents = []
        for path in paths:
            try:
                documents.append(options.read(path))
            except InputError as error:
                if args.strict or len(paths) == 1:
                    raise
                logger.warning("skipped: %s", error)
        if not documents:
            raise InputError(f"{inputs[0]}: none of the inputs could be read")
        check_output_dir(args.output, inputs)
        boilerplate: list[tuple[str, int, int]] = []
        if len(documents) > 1 and not args.keep_boilerplate:
            documents, boilerplate = _remove_boilerplate(documents)
        lexicon = load_lexicon(options.lexicons)
        show = not args.quiet
        analyses = analyze(documents, options=options, lexicon=lexicon, progress=_progress("analysing", show),
                           runner=runner)
    folders = write_analyses(analyses, args.output, options=options, lexicon=lexicon)
    for analysis, folder in zip(analyses, _progress("writing", show)(folders, total=len(analyses))):
        if show:
            print(_summary_line(analysis, folder))
    if len(analyses) > 1:  # the tables across documents, in DIR/corpus/ (DIR/_corpus/ if a document is named corpus)

        folder = write_corpus(analyses, args.output, options=options, trend=tuple(args.trend),
                              boilerplate=boilerplate)
        if show:
            print(f"{len(analyses)} documents compared -> {folder}")
    return 0


def _remove_boilerplate(documents: list[Document]) -> tuple[list[Document], list[tuple[str, int, int]]]:
    """The documents without the lines that :func:`find_boilerplate` finds across them, and those lines as
    ``(line, documents, lines removed)``; logs one line per kind of line removed."""
    found = find_boilerplate([document.text for document in documents])
    if not found:
        return documents, []
    lines = [item.line for item in found]
    cleaned, removed = [], dict.fromkeys(lines, 0)
    for document in documents:
        for line, count in count_lines(document.text, lines).items():
            removed[line] += count
        text, _ = remove_boilerplate(document.text, lines)
        cleaned.append(dataclasses.replace(document, text=text))
    for item in found:
        logger.info("boilerplate removed: %r (in %d documents, %d lines)", item.line, item.documents,
                    removed[item.line])
    return cleaned, [(item.line, item.documents, removed[item.line]) for item in found]


def run_kwic(args: argparse.Namespace) -> int:
    """``zhpolicy kwic``: print aligned keyword-in-context lines, optionally write them as CSV."""

    if not args.term.strip():
        raise InputError("TERM: the term to look for is empty")
    if not args.inputs and not Path("corpus").is_dir():
        raise InputError("corpus: no INPUT given and there is no corpus/ folder here")
    if args.csv and (args.csv.is_dir() or not args.csv.resolve().parent.is_dir()):
        problem = "is a folder" if args.csv.is_dir() else "its folder does not exist"
        raise OutputError(f"{args.csv}: cannot write the CSV file here ({problem})")
    lines = []
    for path in find_documents(list(args.inputs) or [Path("corpus")]):
        document = read_document(path, encoding=args.encoding, convert=args.convert, clean=args.clean)
        sections = split_sections(document, heading_regex=args.heading_regex)
        lines += kwic(sections, args.term, width=args.width, document=document.name)
    for line in format_kwic(lines, width=args.width):
        print(line)
    if args.csv:
        write_file_atomically(args.csv, lambda path: write_csv(kwic_table(lines), path))
    print(f"{len(lines)} occurrence(s) of {args.term}", file=sys.stderr)  # after the CSV: a failure is one line
    return 0


def run_compare(args: argparse.Namespace) -> int:
    """``zhpolicy compare A B``: analyse both reports together, write the comparison, print a summary."""

    options = Options(images=not args.no_images, lexicons=tuple(str(p) for p in args.lexicon),
                      encoding=args.encoding, convert=args.convert, clean=args.clean,
                      heading_regex=args.heading_regex)
    documents = [options.read(path) for path in (args.first, args.second)]
    if documents[0].name == documents[1].name:
        raise InputError(f"{args.second}: A and B have the same file name ({documents[0].name}); rename one")
    check_output_dir(args.output, [args.first, args.second])
    lexicon = load_lexicon(options.lexicons)
    first, second = analyze(documents, options=options, lexicon=lexicon)
    comparison = compare_documents(first, second)
    names = (first.document.name, second.document.name)
    folder = write_compare(comparison, names, args.output, images=options.images)
    if not args.quiet:
        print(f"{names[0]} -> {names[1]}")
        for kind, label in (("slogan", "slogans"), ("term", "terms")):
            rows = comparison[comparison["kind"] == kind]
            counts = rows["status"].value_counts()
            print(f"{label}: " + ", ".join(f"{counts.get(s, 0)} {s}" for s in ("rose", "fell", "appeared",
                                                                                 "disappeared", "same")))
        for status, items in change_summary(comparison, kind="slogan", top=args.top).items():
            if items:
                print(f"  {status}: " + ", ".join(items))
        print(f"-> {folder}")
    return 0


def _execution_problem(args: argparse.Namespace) -> str | None:
    """Why --segmenter/--engine/--scheduler cannot run here (a missing package, a contradiction), or None."""
    import importlib.util

    if args.scheduler and args.engine == "local":
        return "--scheduler needs --engine dask"
    if args.segmenter == "rjieba" and importlib.util.find_spec("rjieba") is None:
        return "--segmenter rjieba needs the rjieba package (pip install rjieba)"
    if (args.engine == "dask" or args.scheduler) and importlib.util.find_spec("distributed") is None:
        return "--engine dask needs dask.distributed (pip install 'zhpolicy[dask]')"
    return None


def _progress(label: str, show: bool):  # type: ignore[no-untyped-def]
    """A tqdm progress bar on stderr for several items when stderr is a terminal."""
    def wrap(items, total=None):  # type: ignore[no-untyped-def]
        from tqdm import tqdm

        if total is None:
            items = list(items)
            total = len(items)
        return tqdm(items, desc=label, unit="doc", total=total, disable=None if show and total > 1 else True,
                    file=sys.stderr)
    return wrap


def _summary_line(analysis, folder: Path) -> str:  # type: ignore[no-untyped-def]
    table = analysis.tables["slogans"]
    totals = (table.groupby("slogan")["count"].sum().reset_index()
              .sort_values(["count", "slogan"], ascending=[False, True], kind="mergesort").head(5))
    top = ", ".join(f"{row.slogan} {row.count}" for row in totals.itertuples())
    return (f"{analysis.document.name}: {len(analysis.sections)} sections, {analysis.token_total} tokens, "
            f"{table['slogan'].nunique()} slogans (top: {top or 'none'}) -> {folder}")
