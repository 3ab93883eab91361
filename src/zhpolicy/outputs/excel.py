"""The Excel workbook: one sheet per table that fits in a sheet."""
from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from zhpolicy.outputs.files import _cell_values
from zhpolicy.tables import table_shape

logger = logging.getLogger(__name__)


#: Rows and columns an Excel sheet holds (header included); larger tables stay in their CSV files only.
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
#: Cells of one sheet at most: a larger table (the mentions of a long text, a matrix of thousands of
#: sections) is left out of the workbook; its CSV file holds it in full.
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
        logger.warning("%s: %s left out of the workbook, too large for a sheet (their CSV files have "
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
