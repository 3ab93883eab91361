"""Writing a document's, a corpus's and a comparison's output folder: tables, summary, pictures, report."""
from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from zhpolicy.compare import corpus_tables
from zhpolicy.figures.clouds import start_wordclouds, wordcloud_frequencies
from zhpolicy.figures.plots import change_plot, comparison_figures, figures_fit
from zhpolicy.outputs.excel import write_excel
from zhpolicy.outputs.files import (
    CSV_FILES,
    figure_png,
    save_image,
    write_csv,
    write_csv_blocks,
    write_folder_atomically,
    write_json,
)
from zhpolicy.outputs.report import corpus_blocks, document_blocks, render_report
from zhpolicy.outputs.summary import summarize
from zhpolicy.run.runner import default_workers
from zhpolicy.tables import GeneratedTable, SpooledTable, Tables

logger = logging.getLogger(__name__)


def write_tables(tables: Mapping[str, pd.DataFrame], summary: Mapping[str, Any], folder: Path) -> None:
    """Write the CSV tables and summary.json into ``folder``."""
    lazy = tables.lazy if isinstance(tables, Tables) else {}
    names = [*CSV_FILES, *(name for name in tables if name not in CSV_FILES)]
    for name in names:
        path = folder / CSV_FILES.get(name, f"{name}.csv")
        table = lazy.get(name)
        if isinstance(table, SpooledTable):
            table.copy_to(path)  # already CSV, written as the rows were made
        elif isinstance(table, GeneratedTable):
            write_csv_blocks(table.columns, table.frames(), path)  # made and written a block at a time
        else:
            write_csv(tables[name], path)
    write_json(summary, folder / "summary.json")


def write_analysis(analysis: Any, out_dir: Path, *, options: Any, lexicon: Any) -> Path:
    """Write one document's tables, summary.json and word clouds into ``out_dir/<document name>/``.

    Everything is produced in a temporary folder first and swapped in whole (see
    :func:`write_folder_atomically`).
    """

    summary = summarize(analysis, options=options, lexicon=lexicon)

    def fill(folder: Path) -> None:
        write_tables(analysis.tables, summary, folder)
        pictures: dict[str, bytes] | None = None
        if options.images:
            frequencies = wordcloud_frequencies(analysis.term_counts,
                                                sections=figures_fit(len(analysis.sections)))
            clouds = start_wordclouds(frequencies, workers=_workers(options))  # drawn in workers meanwhile
            pictures = comparison_pictures(analysis.tables)
            for name, image in clouds().items():
                save_image(image, folder / f"{name}.png")
        write_comparison(analysis.tables, summary, folder, images=options.images, pictures=pictures)

    return write_folder_atomically(out_dir / analysis.document.name, fill)


def write_analyses(analyses: list[Any], out_dir: Path, *, options: Any, lexicon: Any) -> Iterator[Path]:
    """:func:`write_analysis` for each document, in order, yielding each folder when it is written.

    With several documents and ``options.workers`` above 1 the documents are written in that many
    processes at once (each drawing its own word clouds in one process): for a corpus of many short
    reports, writing — the workbook, the report page, the pictures — is most of the time.
    """
    from dataclasses import replace

    workers = _workers(options)
    if workers <= 1 or len(analyses) < 2:
        for analysis in analyses:
            yield write_analysis(analysis, out_dir, options=options, lexicon=lexicon)
        return
    from concurrent.futures import ProcessPoolExecutor

    one = replace(options, workers=1)
    with ProcessPoolExecutor(max_workers=min(workers, len(analyses))) as pool:
        futures = [pool.submit(write_analysis, analysis, out_dir, options=one, lexicon=lexicon)
                   for analysis in analyses]
        try:
            for future in futures:
                yield future.result()
        finally:
            for future in futures:
                future.cancel()


def _workers(options: Any) -> int:
    """The processes ``options.workers`` asks for (None: all cores; options without it: 1)."""

    return getattr(options, "workers", 1) or default_workers()


# --- comparison outputs: figures, tables.xlsx, report.html, the corpus folder, compare --------------

#: Name of the folder holding the tables across documents (``_corpus`` when a document is named corpus).
CORPUS_FOLDER = "corpus"


def comparison_pictures(tables: Mapping[str, pd.DataFrame]) -> dict[str, bytes]:
    """A document's comparison figures (:func:`comparison_figures`) as PNG bytes."""
    return {name: figure_png(figure) for name, figure in comparison_figures(tables).items()}


def write_comparison(tables: Mapping[str, pd.DataFrame], summary: Mapping[str, Any], folder: Path, *,
                     images: bool, pictures: Mapping[str, bytes] | None = None) -> None:
    """Write a document's comparison figures (when ``images``; ``pictures`` when already drawn by
    :func:`comparison_pictures`), ``tables.xlsx`` and ``report.html`` into ``folder`` (which already
    holds its CSV tables and word clouds)."""

    if images:
        pictures = dict(comparison_pictures(tables) if pictures is None else pictures)
        for name, data in pictures.items():
            (folder / f"{name}.png").write_bytes(data)
        for path in sorted(folder.glob("wordcloud*.png")):
            pictures[path.stem] = path.read_bytes()
    else:
        pictures = {}
    write_excel(tables, folder / "tables.xlsx")
    page = render_report(document_blocks(tables, summary, pictures), title=str(summary.get("document", "")),
                         subtitle=str(summary.get("path", "")),
                         footer="counts: section_text.count(slogan) on the normalised text")
    (folder / "report.html").write_text(page, encoding="utf-8")


def corpus_folder_name(document_names: list[str]) -> str:
    """``corpus``, or ``_corpus`` (``__corpus`` …) when a document's own folder already has that name."""
    name = CORPUS_FOLDER
    while name in document_names:
        name = "_" + name
    return name


def write_corpus(analyses: list[Any], out_dir: Path, *, options: Any, trend: tuple[str, ...] = (),
                 boilerplate: Sequence[tuple[str, int, int]] = ()) -> Path:
    """Write the tables across documents (document instead of section) into ``out_dir/corpus/``:
    CSV tables, ``tables.xlsx``, ``report.html`` and, when ``options.images``, the comparison figures
    and a trend plot of the slogans ``trend`` (default: :func:`zhpolicy.compare.default_trend_slogans`)
    when documents have a year. Swapped in atomically like the document folders.

    ``boilerplate`` lists the lines removed from the documents before the analysis as
    ``(line, documents, removed)`` (see :mod:`zhpolicy.text.boilerplate`); it is written as
    ``boilerplate.csv`` (columns ``line, documents, removed``; no rows when nothing was removed)."""

    tables = corpus_tables(analyses, top=getattr(options, "top", 20))
    names = [analysis.document.name for analysis in analyses]
    removed = _boilerplate_table(boilerplate)

    def fill(folder: Path) -> None:
        for name, table in tables.items():
            write_csv(table, folder / f"{name}.csv")
        write_csv(removed, folder / "boilerplate.csv")
        pictures: dict[str, bytes] = {}
        if options.images if options.corpus_images is None else options.corpus_images:
            for name, figure in comparison_figures(tables, unit="document", trend=trend).items():
                pictures[name] = figure_png(figure)
                (folder / f"{name}.png").write_bytes(pictures[name])
        write_excel(tables, folder / "tables.xlsx")
        page = render_report(corpus_blocks(tables, pictures), title=f"{len(names)} documents",
                             subtitle=", ".join(names))
        (folder / "report.html").write_text(page, encoding="utf-8")

    return write_folder_atomically(out_dir / corpus_folder_name(names), fill)


def _boilerplate_table(boilerplate: Sequence[tuple[str, int, int]]) -> pd.DataFrame:
    """The removed boilerplate as a table: ``line`` (str), ``documents`` and ``removed`` (int)."""
    return pd.DataFrame([tuple(row) for row in boilerplate], columns=["line", "documents", "removed"]).astype(
        {"line": "object", "documents": "int64", "removed": "int64"})


def write_compare(comparison: pd.DataFrame, names: tuple[str, str], out_dir: Path, *, images: bool) -> Path:
    """Write ``compare.csv`` (and ``compare.png`` when ``images``) into ``out_dir/compare_<A>_vs_<B>/``,
    swapped in atomically."""

    def fill(folder: Path) -> None:
        write_csv(comparison, folder / "compare.csv")
        if images:
            (folder / "compare.png").write_bytes(figure_png(change_plot(comparison, names=names)))

    return write_folder_atomically(out_dir / f"compare_{names[0]}_vs_{names[1]}", fill)
