"""Writing results: CSV tables (UTF-8 with BOM), summary.json and images, each document's folder swapped in atomically."""
from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import OutputError

logger = logging.getLogger(__name__)

#: Table name → CSV file name, in the order they are written.
CSV_FILES = {
    "sections": "sections.csv",
    "term_freq": "term_freq.csv",
    "tfidf": "tfidf.csv",
    "slogans": "slogans.csv",
}


def check_output_dir(out_dir: Path, inputs: list[Path]) -> None:
    """Refuse an output folder that is a file, cannot be created or written, or lies inside an input folder."""
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
    """Write a table as UTF-8 CSV with BOM (Excel opens it right), comma-separated, header row."""
    table.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n", float_format="%.6f")


def write_json(data: Mapping[str, Any], path: Path) -> None:
    """Write JSON as UTF-8, Chinese kept readable, keys in a fixed order."""
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_folder_atomically(target: Path, fill: Callable[[Path], None]) -> Path:
    """Build a folder in a temporary sibling with ``fill(tmp)``, then swap it in for ``target``.

    A failure inside ``fill`` leaves ``target`` as it was (previous results intact, nothing half
    written); a successful run replaces all previous results at once.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        fill(staging)
        if target.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
            os.replace(target, retired / target.name)
            os.replace(staging, target)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def write_tables(tables: Mapping[str, pd.DataFrame], summary: Mapping[str, Any], folder: Path) -> None:
    """Write the CSV tables and summary.json into ``folder``."""
    for name, file_name in CSV_FILES.items():
        write_csv(tables[name], folder / file_name)
    for name, table in tables.items():
        if name not in CSV_FILES:
            write_csv(table, folder / f"{name}.csv")
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
    from .figures import render_wordclouds
    from .pipeline import summarize

    summary = summarize(analysis, options=options, lexicon=lexicon)

    def fill(folder: Path) -> None:
        write_tables(analysis.tables, summary, folder)
        if options.images:
            frequencies = wordcloud_frequencies(analysis.tables["term_freq"])
            workers = getattr(options, "workers", 1)
            if workers is None:  # all cores
                from .parallel import default_workers

                workers = default_workers()
            for name, image in render_wordclouds(frequencies, workers=workers).items():
                save_image(image, folder / f"{name}.png")

    return write_folder_atomically(out_dir / analysis.document.name, fill)


def wordcloud_frequencies(term_freq: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Image name → term frequencies: ``wordcloud`` for the whole document, ``wordcloud_sNN`` per section."""
    whole = (term_freq.groupby("term", as_index=False)["count"].sum()
             .sort_values(["count", "term"], ascending=[False, True], kind="mergesort"))
    result = {"wordcloud": dict(zip(whole["term"], whole["count"].astype(int)))}
    for section, rows in term_freq.groupby("section", sort=True):
        result[f"wordcloud_s{int(section):02d}"] = dict(zip(rows["term"], rows["count"].astype(int)))
    return result


def kwic_table(lines: Any) -> pd.DataFrame:
    """Keyword-in-context lines as a table: ``document, section, title, start, left, match, right``."""
    columns = ["document", "section", "title", "start", "left", "match", "right"]
    return pd.DataFrame([[getattr(line, column) for column in columns] for line in lines], columns=columns)
