"""Writing results: CSV tables (UTF-8 with BOM), summary.json and images, each document's folder swapped in atomically."""
from __future__ import annotations

import json
import logging
import math
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import OutputError, WriteError
from .spool import GeneratedTable, SpooledTable, Tables, table_shape
from .terms import TermCounts, term_freq_frames

logger = logging.getLogger(__name__)

#: Table name → CSV file name, in the order they are written.
CSV_FILES = {
    "sections": "sections.csv",
    "term_freq": "term_freq.csv",
    "tfidf": "tfidf.csv",
    "slogans": "slogans.csv",
}


def check_output_dir(out_dir: Path, inputs: list[Path]) -> None:
    """Refuse an output folder that is a file, cannot be created or written, or lies inside an input folder.

    Raises :class:`OutputError` (a usage error: the CLI exits with code 2) naming ``out_dir``.
    """
    out = out_dir.resolve()
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out_dir}: output path is a file, not a folder")
    for item in inputs:
        source = item.resolve()
        if source.is_dir() and (out == source or source in out.parents):
            raise OutputError(f"{out_dir}: output folder lies inside the input folder {item}; choose another -o")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{out_dir}: cannot create the output folder ({error.strerror})") from None
    if not os.access(out, os.W_OK):
        raise OutputError(f"{out_dir}: output folder is not writable")


def write_csv(table: pd.DataFrame, path: Path) -> None:
    """Write a table as UTF-8 CSV with BOM (Excel opens it right), comma-separated, header row.

    Floats are written with 6 decimals, missing values as empty cells: the bytes of pandas'
    ``to_csv(float_format="%.6f")``, written row by row with the csv module (the writer pandas uses)
    without pandas' per-value formatting, several times faster (a keyness table of a text cut into
    thousands of sections has millions of rows; a rate matrix, thousands of columns). A float column of
    another type than float64 goes to pandas.
    """
    floats = [pd.api.types.is_float_dtype(dtype) for dtype in table.dtypes]
    if any(is_float and dtype != "float64" for is_float, dtype in zip(floats, table.dtypes, strict=True)):
        table.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n", float_format="%.6f")
        return
    write_csv_blocks(list(table.columns), [table], path)


def write_csv_blocks(columns: list[str], blocks: Iterable[pd.DataFrame], path: Path) -> None:
    """Write a table given a block of rows at a time (frames with ``columns``, float columns float64),
    with the bytes :func:`write_csv` writes for the whole table."""
    import csv

    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([str(column) for column in columns])
        for table in blocks:
            kinds = [_column_kind(dtype) for dtype in table.dtypes]
            floats = [index for index, kind in enumerate(kinds) if kind == "float"]
            integers = [index for index, kind in enumerate(kinds) if kind == "int"]
            step = max(1, CSV_CELLS // max(1, len(table.columns)))  # a wide matrix: fewer rows at a time
            for start in range(0, len(table), step):  # a slice at a time: no copy of the whole table
                rows = table.iloc[start:start + step]
                # The float and the integer columns each as one array (a rate matrix has a column per
                # section: no Series each).
                float_values = iter(rows.iloc[:, floats].to_numpy().T.tolist())
                int_values = iter(rows.iloc[:, integers].to_numpy().T.tolist())
                writer.writerows(zip(*(_float_texts(next(float_values)) if kind == "float" else
                                       next(int_values) if kind == "int" else _cell_values(rows.iloc[:, index])
                                       for index, kind in enumerate(kinds))))


def _column_kind(dtype: Any) -> str:
    """``float`` (float64), ``int`` (int64: never missing) or ``other`` (written value by value)."""
    if dtype == "float64":
        return "float"
    return "int" if dtype == "int64" else "other"


def _float_texts(values: list[float]) -> list[str]:
    """Floats as pandas writes them with ``float_format="%.6f"``: missing values empty."""
    return ["" if math.isnan(value) else "%.6f" % value for value in values]  # noqa: UP031 (pandas' format)


#: Cells written at a time by :func:`write_csv` (a slice of rows: 65,536 rows of 16 columns).
CSV_CELLS = 1 << 20


def write_json(data: Mapping[str, Any], path: Path) -> None:
    """Write JSON as UTF-8, Chinese kept readable, keys in a fixed order."""
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_folder_atomically(target: Path, fill: Callable[[Path], None]) -> Path:
    """Build a folder in a temporary sibling with ``fill(tmp)``, then swap it in for ``target``.

    A failure inside ``fill`` or in the swap leaves ``target`` as it was (previous results intact,
    nothing half written, the temporary folder removed); a successful run replaces all previous
    results at once. An ``OSError`` (disk full, permission denied) is raised as :class:`WriteError`
    naming ``target`` and the system's reason, chained to the original; anything else (a bug,
    ``KeyboardInterrupt``) propagates as it is.
    """
    staging: Path | None = None
    retired: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
        fill(staging)
        if target.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
            os.replace(target, retired / target.name)
        try:
            os.replace(staging, target)
        except BaseException:
            if retired is not None and (retired / target.name).exists():
                os.replace(retired / target.name, target)  # put the previous results back
            raise
    except OSError as error:
        raise WriteError(f"{target}: cannot write the results ({error.strerror or error})") from error
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        if retired is not None and target.exists():  # kept only if the previous results could not be put back
            shutil.rmtree(retired, ignore_errors=True)
    return target


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


def save_image(image: Any, path: Path) -> None:
    """Save a PIL image or a matplotlib figure as PNG without time stamps (same input, same bytes)."""
    if hasattr(image, "savefig"):
        image.savefig(path, format="png", dpi=image.dpi, metadata={"Software": None})
        import matplotlib.pyplot as plt

        plt.close(image)
    else:
        image.save(path, format="PNG", optimize=False)


def write_analysis(analysis: Any, out_dir: Path, *, options: Any, lexicon: Any) -> Path:
    """Write one document's tables, summary.json and word clouds into ``out_dir/<document name>/``.

    Everything is produced in a temporary folder first and swapped in whole (see
    :func:`write_folder_atomically`).
    """
    from .figures import start_wordclouds
    from .pipeline import summarize

    summary = summarize(analysis, options=options, lexicon=lexicon)

    def fill(folder: Path) -> None:
        write_tables(analysis.tables, summary, folder)
        pictures: dict[str, bytes] | None = None
        if options.images:
            frequencies = wordcloud_frequencies(analysis.term_counts,
                                                sections=len(analysis.sections) <= MAX_FIGURE_UNITS)
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
    from .parallel import default_workers

    return getattr(options, "workers", 1) or default_workers()


def wordcloud_frequencies(terms: pd.DataFrame | TermCounts, *, sections: bool = True) -> dict[str, dict[str, int]]:
    """Image name → term frequencies, most frequent first, ties by term: ``wordcloud`` for the whole
    document and, with ``sections``, ``wordcloud_sNN`` per section; from the ``term_freq`` table or
    the analysis's term counts (``analysis.term_counts``)."""
    counts = terms if isinstance(terms, TermCounts) else TermCounts.from_frame(terms, unit="section")
    result = {"wordcloud": dict(counts.totals())}
    if sections:
        for table in term_freq_frames(counts):
            for section, rows in table.groupby("section", sort=True):
                result[f"wordcloud_s{int(section):02d}"] = dict(zip(rows["term"], rows["count"].astype(int)))
    return result


def kwic_table(lines: Any) -> pd.DataFrame:
    """Keyword-in-context lines as a table: ``document, section, title, start, left, match, right``."""
    columns = ["document", "section", "title", "start", "left", "match", "right"]
    return pd.DataFrame([[getattr(line, column) for column in columns] for line in lines], columns=columns)


# --- comparison outputs: figures, tables.xlsx, report.html, the corpus folder, compare --------------

#: Name of the folder holding the tables across documents (``_corpus`` when a document is named corpus).
CORPUS_FOLDER = "corpus"


def figure_png(figure: Any) -> bytes:
    """A matplotlib Figure as PNG bytes, without time stamps (same figure, same bytes)."""
    import io

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=figure.dpi, metadata={"Software": None})
    return buffer.getvalue()


#: Sections (or documents) a figure draws one column, panel or bar for, at most: beyond that the
#: per-unit figures (heatmap, keyness, category shares, comparison cloud, a word cloud per section) are
#: not drawn, with a warning, and the tables hold every unit. A document cut into thousands of
#: sections would otherwise get images of a million pixels a side.
MAX_FIGURE_UNITS = 60


def comparison_figures(tables: Mapping[str, pd.DataFrame], *, unit: str = "section",
                       trend: tuple[str, ...] = ()) -> dict[str, Any]:
    """Image name → matplotlib Figure: ``slogan_heatmap``, ``keyness``, ``category_shares``,
    ``comparison_cloud`` (and ``trend`` for documents with years: the slogans ``trend``, by default
    the 8 most frequent), from a document's or the corpus's tables. With more than
    :data:`MAX_FIGURE_UNITS` sections (documents) only the trend is drawn."""
    from . import figures
    from .compare import section_label

    if unit == "section":
        sections = tables["sections"]
        titles = {int(n): str(t) for n, t in zip(sections["section"], sections["title"])}
        labels = figures.unit_labels(titles)
        columns = {section_label(n): labels[n] for n in titles}
    else:
        names = list(tables["documents"]["document"])
        labels = {name: figures.shorten_title(name, width=24) for name in names}
        columns = dict(labels)
    result: dict[str, Any] = {}
    if len(labels) > MAX_FIGURE_UNITS:
        logger.warning("zhpolicy: %d %ss: more than %d, so no per-%s figures or word clouds are drawn (the "
                       "tables have every %s)", len(labels), unit, MAX_FIGURE_UNITS, unit, unit)
    else:
        counts, rates = _heatmap_tables(tables)
        result = {
            "slogan_heatmap": figures.slogan_heatmap(counts, columns, rates=rates,
                                                     unit_name="部分" if unit == "section" else "文档"),
            "keyness": figures.keyness_plot(tables["keyness"], labels, unit=unit),
            "category_shares": figures.category_shares_plot(tables["category_shares"], labels, unit=unit),
        }
        term_freq = tables["term_freq"]
        if len(term_freq) and term_freq[unit].nunique() > 1:
            result["comparison_cloud"] = figures.comparison_cloud(term_freq, labels, unit=unit)
    if unit == "document":
        documents = tables["documents"]
        years = {name: (None if pd.isna(year) else int(year)) for name, year in zip(documents["document"], documents["year"])}
        if any(year is not None for year in years.values()):
            unknown = sorted(set(trend) - set(tables["slogan_rates"]["slogan"]))
            if unknown:
                logger.warning("zhpolicy: trend: not found in any document: %s (a phrase of your own needs "
                               "--lexicon)", ", ".join(unknown))
            result["trend"] = figures.trend_plot(tables["slogan_rates"], years, slogans=list(trend) or None)
    return result


def _heatmap_tables(tables: Mapping[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Counts and rates for the heatmap: by formulation (variants summed into their canonical form)
    where the tables have it, else by slogan."""
    if "formulation_matrix" in tables:
        return (tables["formulation_matrix"].rename(columns={"formulation": "slogan"}),
                tables["formulation_rates"].rename(columns={"formulation": "slogan"}))
    return tables["slogan_matrix"], tables["slogan_rates"]


#: Rows and columns an Excel sheet holds (header included); larger tables stay in their CSV files only.
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
#: Cells of one sheet at most: a larger table (the mentions of a long text, a matrix of thousands of
#: sections) is left to its CSV file, which keeps writing the workbook to seconds.
EXCEL_MAX_CELLS = 1_000_000


def excel_problem(shape: tuple[int, int]) -> str:
    """Why a table of ``shape`` (rows, columns) is left out of tables.xlsx, or "" when it goes in."""
    rows, columns = shape[0] + 1, shape[1]
    if rows > EXCEL_MAX_ROWS:
        return f"{rows - 1:,} rows, more than an Excel sheet holds"
    if columns > EXCEL_MAX_COLUMNS:
        return f"{columns:,} columns, more than an Excel sheet holds"
    if rows * columns > EXCEL_MAX_CELLS:
        return f"{rows * columns:,} cells, more than zhpolicy puts in one sheet ({EXCEL_MAX_CELLS:,})"
    return ""


def write_excel(tables: Mapping[str, pd.DataFrame], path: Path) -> None:
    """All tables in one workbook, one sheet per table (names cut to Excel's 31 characters).

    A table larger than an Excel sheet, or than :data:`EXCEL_MAX_CELLS` cells, is left out (see
    :func:`excel_problem`), with a warning and a row in a ``notes`` sheet; its CSV file holds it.

    The workbook's dates and the zip entries' times are fixed, so the same tables give the same bytes.
    """
    import re
    import zipfile
    from datetime import datetime

    import xlsxwriter

    shapes = {name: table_shape(tables, name) for name in tables}
    problems = {name: excel_problem(shape) for name, shape in shapes.items()}
    too_long = [name for name, problem in problems.items() if problem]
    if too_long:
        logger.warning("zhpolicy: %s: %s left out of the workbook, too large for a sheet (their CSV files have "
                       "them; the notes sheet says why)", path.name, ", ".join(too_long))
    # constant_memory streams each row to disk; text is never read as a formula, a number or a link.
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                               "strings_to_numbers": False, "strings_to_urls": False})
    workbook.set_properties({"created": datetime(2000, 1, 1)})
    if too_long:
        notes = workbook.add_worksheet("notes")
        notes.write_row(0, 0, ["table", "rows", "columns", "note"])
        for row, name in enumerate(too_long, start=1):
            notes.write_row(row, 0, [name, *shapes[name], f"{problems[name]}: see {name}.csv"])
    for name in tables:
        if name in too_long:
            continue
        table = tables[name]  # a spooled table is read only when it fits in a sheet
        sheet = workbook.add_worksheet(name[:31])
        sheet.write_row(0, 0, [str(column) for column in table.columns])
        for row, values in enumerate(zip(*(_cell_values(table[column]) for column in table.columns)), start=1):
            sheet.write_row(row, 0, values)
    workbook.close()
    fixed = b"2000-01-01T00:00:00Z"
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + fixed, data)
            target.writestr(zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0)), data,
                            compress_type=zipfile.ZIP_DEFLATED)


def _cell_values(column: pd.Series) -> list[Any]:
    """A column's values as Python objects for a sheet, missing ones as None (an empty cell)."""
    values: list[Any] = column.tolist()
    for index in column.isna().to_numpy().nonzero()[0].tolist():
        values[index] = None
    return values


def comparison_pictures(tables: Mapping[str, pd.DataFrame]) -> dict[str, bytes]:
    """A document's comparison figures (:func:`comparison_figures`) as PNG bytes."""
    return {name: figure_png(figure) for name, figure in comparison_figures(tables).items()}


def write_comparison(tables: Mapping[str, pd.DataFrame], summary: Mapping[str, Any], folder: Path, *,
                     images: bool, pictures: Mapping[str, bytes] | None = None) -> None:
    """Write a document's comparison figures (when ``images``; ``pictures`` when already drawn by
    :func:`comparison_pictures`), ``tables.xlsx`` and ``report.html`` into ``folder`` (which already
    holds its CSV tables and word clouds)."""
    from .report import document_blocks, render_report

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


def write_corpus(analyses: list[Any], out_dir: Path, *, options: Any, trend: tuple[str, ...] = ()) -> Path:
    """Write the tables across documents (document instead of section) into ``out_dir/corpus/``:
    CSV tables, ``tables.xlsx``, ``report.html`` and, when ``options.images``, the comparison figures
    and a trend plot of the slogans ``trend`` (default: the 8 most frequent) when documents have a
    year. Swapped in atomically like the document folders."""
    from .compare import corpus_tables
    from .report import corpus_blocks, render_report

    tables = corpus_tables(analyses, top=getattr(options, "top", 20))
    names = [analysis.document.name for analysis in analyses]

    def fill(folder: Path) -> None:
        for name, table in tables.items():
            write_csv(table, folder / f"{name}.csv")
        pictures: dict[str, bytes] = {}
        if options.images:
            for name, figure in comparison_figures(tables, unit="document", trend=trend).items():
                pictures[name] = figure_png(figure)
                (folder / f"{name}.png").write_bytes(pictures[name])
        write_excel(tables, folder / "tables.xlsx")
        page = render_report(corpus_blocks(tables, pictures), title=f"{len(names)} documents",
                             subtitle=", ".join(names))
        (folder / "report.html").write_text(page, encoding="utf-8")

    return write_folder_atomically(out_dir / corpus_folder_name(names), fill)


def write_compare(comparison: pd.DataFrame, names: tuple[str, str], out_dir: Path, *, images: bool) -> Path:
    """Write ``compare.csv`` (and ``compare.png`` when ``images``) into ``out_dir/compare_<A>_vs_<B>/``,
    swapped in atomically."""
    from .figures import change_plot

    def fill(folder: Path) -> None:
        write_csv(comparison, folder / "compare.csv")
        if images:
            (folder / "compare.png").write_bytes(figure_png(change_plot(comparison, names=names)))

    return write_folder_atomically(out_dir / f"compare_{names[0]}_vs_{names[1]}", fill)
