"""Writing files: CSV tables (UTF-8 with BOM), JSON, images, and folders swapped in whole."""
from __future__ import annotations

import json
import logging
import math
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from zhpolicy.errors import OutputError, WriteError
from zhpolicy.figures.fonts import cjk_context

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
    without pandas' per-value formatting, for tables of millions of rows (the keyness table of a text
    cut into thousands of sections) or thousands of columns (a rate matrix). A float column of
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


def write_file_atomically(target: Path, write: Callable[[Path], None]) -> None:
    """Write ``target`` through ``write(tmp)`` into a temporary sibling, then ``os.replace`` it into place.

    A failure leaves a previous ``target`` as it was and no temporary file behind; an ``OSError`` (disk
    full, permission denied) is raised as :class:`WriteError` naming ``target``, chained to the original.
    """
    # A fresh name rather than tempfile.mkstemp, whose file is private (0600): the CSV keeps the usual mode.
    temporary = target.parent / f".{target.name}.{uuid.uuid4().hex}.tmp"
    try:
        write(temporary)
        os.replace(temporary, target)
    except OSError as error:
        raise WriteError(f"{target}: cannot write the CSV file ({error.strerror or error})") from error
    finally:
        temporary.unlink(missing_ok=True)  # still there only if something failed


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


def save_image(image: Any, path: Path) -> None:
    """Save a PIL image or a matplotlib figure as PNG without time stamps (same input, same bytes)."""
    if hasattr(image, "savefig"):
        image.savefig(path, format="png", dpi=image.dpi, metadata={"Software": None})
        import matplotlib.pyplot as plt

        plt.close(image)
    else:
        image.save(path, format="PNG", optimize=False)


def figure_png(figure: Any) -> bytes:
    """A matplotlib Figure as PNG bytes, without time stamps (same figure, same bytes)."""
    import io

    buffer = io.BytesIO()
    with cjk_context():
        figure.savefig(buffer, format="png", dpi=figure.dpi, metadata={"Software": None})
    return buffer.getvalue()


def _cell_values(column: pd.Series) -> list[Any]:
    """A column's values as Python objects for a sheet, missing ones as None (an empty cell)."""
    values: list[Any] = column.tolist()
    for index in column.isna().to_numpy().nonzero()[0].tolist():
        values[index] = None
    return values
