"""Tables too long to hold in memory: written to a temporary CSV file as they are made, read back on demand.

The mentions table has a row per slogan occurrence: 2.4 million rows, with their contexts, for a
200 MB report. Workers format its rows piece by piece; the rows go straight to a spool file, which
becomes ``mentions.csv`` by a byte copy. Only a caller who asks for the table as a frame
(``analysis.tables["mentions"]``) reads it back into memory.
"""
from __future__ import annotations

import codecs
import csv
import io
import os
import shutil
import tempfile
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd

from .errors import WriteError


def csv_bytes(rows: Iterable[Sequence[Any]]) -> bytes:
    """``rows`` as UTF-8 CSV the way :func:`zhpolicy.outputs.write_csv` writes them (the csv module,
    ``\\n`` line ends, quotes only where needed). Made in the workers, so that the main process only
    appends bytes."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


class SpooledTable:
    """A CSV table written a block of rows at a time to a temporary file (UTF-8 with BOM, header row:
    the bytes :func:`zhpolicy.outputs.write_csv` writes for the same frame). The file is opened only
    while a block is written (a run over thousands of documents holds one table each), and removed
    when the object is garbage-collected or the interpreter exits. It lives in Python's temporary
    folder (``TMPDIR``), and takes about as much room as the finished CSV file.

    ``dtypes``: column → dtype, to read the table back as it was made (text columns stay text: an
    empty string or "NA" is not a missing value). A copy made by pickling (a worker process's) reads
    the same file and never removes it: the original must outlive it.
    """

    def __init__(self, dtypes: Mapping[str, str], *, prefix: str = "zhpolicy-") -> None:
        self.columns = list(dtypes)
        self.dtypes = dict(dtypes)
        self.rows = 0
        self.closed = False
        try:
            handle, name = tempfile.mkstemp(prefix=prefix, suffix=".csv")
        except OSError as error:
            raise WriteError(f"{tempfile.gettempdir()}: cannot make a temporary file ({error.strerror}); "
                             "set TMPDIR to a folder with room") from None
        self.path = Path(name)
        self._finalizer: weakref.finalize[Any, SpooledTable] | None = weakref.finalize(self, _remove, name)
        with open(handle, "wb") as file:
            self._write(file, codecs.BOM_UTF8 + csv_bytes([self.columns]))

    def append(self, data: bytes, rows: int) -> None:
        """Add ``rows`` rows given as CSV (see :func:`csv_bytes`)."""
        if self.closed:
            raise ValueError(f"{self.path}: the table is closed")
        with open(self.path, "ab") as file:
            self._write(file, data)
        self.rows += rows

    def _write(self, file: BinaryIO, data: bytes) -> None:
        try:
            file.write(data)
        except OSError as error:
            raise WriteError(f"{self.path.parent}: cannot write the temporary {self.path.name} "
                             f"({error.strerror}); set TMPDIR to a folder with room") from None

    def close(self) -> SpooledTable:
        """Finish writing; the table can then be read and copied."""
        self.closed = True
        return self

    def frame(self) -> pd.DataFrame:
        """The whole table, read into memory."""
        return pd.read_csv(self.path, encoding="utf-8-sig", dtype=self.dtypes, keep_default_na=False,
                           na_filter=False)

    def copy_to(self, path: Path) -> None:
        """Write the table's CSV file to ``path``."""
        shutil.copyfile(self.path, path)

    def __getstate__(self) -> dict[str, Any]:
        return {"columns": self.columns, "dtypes": self.dtypes, "rows": self.rows, "path": self.path,
                "closed": self.closed}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state, _finalizer=None)


def _remove(name: str) -> None:
    try:
        os.unlink(name)
    except OSError:
        pass


class Tables(Mapping[str, pd.DataFrame]):
    """A document's tables by name, in the order they were made: frames in memory, and spooled tables
    (:class:`SpooledTable`) read from their file each time they are asked for."""

    def __init__(self, frames: Mapping[str, pd.DataFrame], spooled: Mapping[str, SpooledTable] | None = None,
                 *, order: Sequence[str] | None = None) -> None:
        self.frames = dict(frames)
        self.spooled = dict(spooled or {})
        made = [*self.frames, *self.spooled]
        self.order = [name for name in order or () if name in made] + [name for name in made if name not in (order or ())]

    def __contains__(self, name: object) -> bool:  # Mapping's would read a spooled table
        return name in self.frames or name in self.spooled

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name in self.spooled:
            return self.spooled[name].frame()
        return self.frames[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.order)

    def __len__(self) -> int:
        return len(self.order)

    def shape(self, name: str) -> tuple[int, int]:
        """Rows and columns of a table, without reading a spooled one."""
        if name in self.spooled:
            table = self.spooled[name]
            return table.rows, len(table.columns)
        rows, columns = self.frames[name].shape
        return int(rows), int(columns)


def table_shape(tables: Mapping[str, pd.DataFrame], name: str) -> tuple[int, int]:
    """Rows and columns of ``tables[name]``, without reading it when it is spooled."""
    if isinstance(tables, Tables):
        return tables.shape(name)
    rows, columns = tables[name].shape
    return int(rows), int(columns)
