"""The command line: parse arguments, check inputs, run the pipeline, write outputs, turn errors into exit codes."""
from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import InputError, ZhpolicyError

logger = logging.getLogger("zhpolicy")

EXIT_INPUT_ERROR = 1
EXIT_USAGE_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
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
    analyze.add_argument("--encoding", metavar="CODEC",
                         help="read inputs with this encoding (default: detect UTF-8/UTF-16/GB18030/Big5)")
    analyze.add_argument("--min-chars", type=_positive_int, default=2, metavar="N",
                         help="shortest term counted in term tables, in characters (default: 2)")
    analyze.add_argument("--strict", action="store_true",
                         help="stop at the first unreadable input instead of skipping it")
    verbosity = analyze.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    verbosity.add_argument("-v", "--verbose", action="store_true", help="log each step")
    analyze.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    return parser


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
    level = logging.WARNING if args.quiet else logging.DEBUG if args.verbose else logging.INFO
    logging.basicConfig(level=level, format="%(message)s", stream=sys.stderr)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    try:
        return run_analyze(args)
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
    options = Options(top=args.top, images=not args.no_images, lexicons=tuple(str(p) for p in args.lexicon),
                      min_term_chars=args.min_chars, encoding=args.encoding)
    paths = find_documents(inputs)
    documents = []
    for path in paths:
        try:
            documents.append(read_document(path, encoding=args.encoding))
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
