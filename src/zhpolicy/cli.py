"""The command line: parse arguments, check inputs, run the pipeline, write outputs, turn errors into exit codes."""
from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from . import __version__
from .cleaning import CONVERSIONS, SAFE_STEPS, parse_clean_steps
from .sections import compile_heading_regex
from .errors import InputError, ZhpolicyError

logger = logging.getLogger("zhpolicy")

EXIT_INPUT_ERROR = 1
EXIT_USAGE_ERROR = 2


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
    analyze.add_argument("--no-images", action="store_true", help="skip all pictures (word clouds)")
    analyze.add_argument("--lexicon", action="append", type=Path, default=[], metavar="FILE",
                         help="your own lexicon file (TOML or one phrase per line); extends and overrides the "
                              "shipped one; may be given several times")
    analyze.add_argument("--encoding", metavar="CODEC", type=_codec,
                         help="read inputs with this encoding (default: detect UTF-8/UTF-16/GB18030/Big5)")
    analyze.add_argument("--convert", choices=CONVERSIONS, metavar="{" + ",".join(CONVERSIONS) + "}",
                         help="convert traditional Chinese to simplified with OpenCC on reading, before counting "
                              "(t2s; tw2s/tw2sp for Taiwan, hk2s for Hong Kong usage)")
    analyze.add_argument("--clean", type=_clean_steps, default=SAFE_STEPS, metavar="STEPS",
                         help="cleaning on reading, comma-separated: html, page-numbers, running-heads, "
                              "join-lines, or none/safe/all (default: safe = html,page-numbers)")
    analyze.add_argument("--heading-regex", type=_heading_regex, metavar="REGEX",
                         help="your own heading pattern, matched at the start of each line, replacing the "
                              "built-in forms; a group named 'title' gives the title")
    analyze.add_argument("--min-chars", type=_positive_int, default=2, metavar="N",
                         help="shortest term counted in term tables, in characters (default: 2)")
    analyze.add_argument("--strict", action="store_true",
                         help="stop at the first unreadable input instead of skipping it")
    verbosity = analyze.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    verbosity.add_argument("-v", "--verbose", action="store_true", help="log each step")
    analyze.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    analyze.add_argument("--mine-top", type=_non_negative_int, default=30, metavar="N",
                         help="most statistically mined phrases reported as slogans (0: no mining; default: 30)")
    analyze.add_argument("--mine-min-count", type=_positive_int, default=2, metavar="N",
                         help="least occurrences of a mined phrase (default: 2)")
    analyze.add_argument("--mine-min-pmi", type=float, default=3.0, metavar="X",
                         help="least cohesion (PMI of the weakest cut, nats) of a mined phrase (default: 3.0)")
    analyze.add_argument("--mine-min-entropy", type=float, default=0.69, metavar="X",
                         help="least left/right branching entropy (nats) of a mined phrase (default: 0.69)")
    analyze.add_argument("--segmenter", choices=["jieba", "rjieba"], default="jieba",
                         help="jieba, or rjieba (jieba in Rust: the same tokens, about 25x faster) (default: jieba)")
    analyze.add_argument("--workers", type=_positive_int, default=None, metavar="N",
                         help="processes that segment text and draw word clouds (default: all cores)")
    analyze.add_argument("--engine", choices=["local", "dask"], default=None,
                         help="segment on this machine, or on a Dask cluster (default: local; dask with "
                              "--scheduler)")
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
    kwic.add_argument("--encoding", metavar="CODEC", help="read inputs with this encoding")
    kwic.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    return parser


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


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``zhpolicy`` and ``python -m zhpolicy``; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    quiet, verbose = getattr(args, "quiet", False), getattr(args, "verbose", False)
    level = logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO
    logging.basicConfig(level=level, format="%(message)s", stream=sys.stderr)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    commands = {"analyze": run_analyze, "kwic": run_kwic}
    try:
        return commands[args.command](args)
    except ZhpolicyError as error:
        if args.debug:
            raise
        print(f"zhpolicy: error: {error}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    except KeyboardInterrupt:
        print("zhpolicy: interrupted; nothing was half-written", file=sys.stderr)
        return 130


def run_analyze(args: argparse.Namespace) -> int:
    from .documents import find_documents, read_document
    from .outputs import check_output_dir, write_analysis
    from .pipeline import Options, analyze
    from .slogans import load_lexicon

    inputs: list[Path] = list(args.inputs) or [Path("corpus")]
    if not args.inputs and not Path("corpus").is_dir():
        raise InputError("corpus: no INPUT given and there is no corpus/ folder here")
    problem = _execution_problem(args)
    if problem:
        print(f"zhpolicy analyze: error: {problem}", file=sys.stderr)
        return EXIT_USAGE_ERROR
    options = Options(top=args.top, images=not args.no_images, lexicons=tuple(str(p) for p in args.lexicon),
                      min_term_chars=args.min_chars, encoding=args.encoding, convert=args.convert,
                      clean=args.clean, heading_regex=args.heading_regex, mine_top=args.mine_top,
                      mine_min_count=args.mine_min_count, mine_min_pmi=args.mine_min_pmi,
                      mine_min_entropy=args.mine_min_entropy, segmenter=args.segmenter, workers=args.workers,
                      engine=args.engine or ("dask" if args.scheduler else "local"), scheduler=args.scheduler)
    paths = []
    for item in inputs:  # a missing path among several is skipped like an unreadable file
        try:
            paths += find_documents([item])
        except InputError as error:
            if args.strict or len(inputs) == 1:
                raise
            logger.warning("zhpolicy: skipped: %s", error)
    paths = list(dict.fromkeys(paths))
    documents = []
    for path in paths:
        try:
            documents.append(read_document(path, encoding=args.encoding, convert=args.convert, clean=args.clean))
        except InputError as error:
            if args.strict or len(paths) == 1:
                raise
            logger.warning("zhpolicy: skipped: %s", error)
    if not documents:
        raise InputError(f"{inputs[0]}: none of the inputs could be read")
    check_output_dir(args.output, inputs)
    lexicon = load_lexicon(options.lexicons)
    show = not args.quiet
    analyses = analyze(documents, options=options, lexicon=lexicon, progress=_progress("analysing", show))
    for analysis in _progress("writing", show)(analyses):
        folder = write_analysis(analysis, args.output, options=options, lexicon=lexicon)
        if show:
            print(_summary_line(analysis, folder))
    return 0


def run_kwic(args: argparse.Namespace) -> int:
    """``zhpolicy kwic``: print aligned keyword-in-context lines, optionally write them as CSV."""
    from .documents import find_documents, read_document
    from .outputs import kwic_table, write_csv
    from .sections import split_sections
    from .slogans import format_kwic, kwic

    if not args.term.strip():
        raise InputError("TERM: the term to look for is empty")
    if not args.inputs and not Path("corpus").is_dir():
        raise InputError("corpus: no INPUT given and there is no corpus/ folder here")
    lines = []
    for path in find_documents(list(args.inputs) or [Path("corpus")]):
        document = read_document(path, encoding=args.encoding)
        lines += kwic(split_sections(document), args.term, width=args.width, document=document.name)
    for line in format_kwic(lines, width=args.width):
        print(line)
    print(f"{len(lines)} occurrence(s) of {args.term}", file=sys.stderr)
    if args.csv:
        write_csv(kwic_table(lines), args.csv)
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
    def wrap(items):  # type: ignore[no-untyped-def]
        from tqdm import tqdm

        items = list(items)
        return tqdm(items, desc=label, unit="doc", disable=None if show and len(items) > 1 else True,
                    file=sys.stderr)
    return wrap


def _summary_line(analysis, folder: Path) -> str:  # type: ignore[no-untyped-def]
    table = analysis.tables["slogans"]
    totals = (table.groupby("slogan")["count"].sum().reset_index()
              .sort_values(["count", "slogan"], ascending=[False, True], kind="mergesort").head(5))
    top = ", ".join(f"{row.slogan} {row.count}" for row in totals.itertuples())
    return (f"{analysis.document.name}: {len(analysis.sections)} sections, {analysis.token_total} tokens, "
            f"{table['slogan'].nunique()} slogans (top: {top or 'none'}) -> {folder}")
