"""Tables too long to hold in memory (spooled to disk or made a block at a time), CSV fields, stable sorting."""
from __future__ import annotations

import codecs
import csv
import io
import os
import shutil
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd

from zhpolicy.errors import WriteError


def csv_bytes(rows: Iterable[Sequence[Any]]) -> bytes:
    """``rows`` as UTF-8 CSV the way :func:`zhpolicy.outputs.files.write_csv` writes them (the csv module,
    ``\\n`` line ends, quotes only where needed). Made in the workers, so that the main process only
    appends bytes."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def csv_field(text: str) -> str:
    """``text`` as :func:`csv_bytes` writes it in a row of several fields: quoted where it holds a comma,
    a quote (doubled) or a line end; as it is otherwise. Joined with commas, such fields make the bytes
    the csv module makes, without a writer call per row (the mentions table has many short rows)."""
    if "\r" in text:  # whether a carriage return is quoted depends on the Python version: ask the csv module
        return csv_bytes([[text, ""]]).decode("utf-8")[:-2]
    if '"' in text:
        return '"' + text.replace('"', '""') + '"'
    if "," in text or "\n" in text:
        return '"' + text + '"'
    return text


class SpooledTable:
    """A CSV table written a block of rows at a time to a temporary file (UTF-8 with BOM, header row:
    the bytes :func:`zhpolicy.outputs.files.write_csv` writes for the same frame). The file is opened only
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

    @property
    def shape(self) -> tuple[int, int]:
        return self.rows, len(self.columns)

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


class GeneratedTable:
    """A long table made a block of rows at a time by ``make()`` (an iterator of frames with
    ``columns``; picklable, e.g. a ``functools.partial``), each time it is read or written: never held
    whole unless asked for as a frame.
    ``rows``: how many rows the blocks hold, known without making them; ``empty``: the frame to give
    when there are none (typed columns)."""

    def __init__(self, columns: Sequence[str], rows: int, make: Callable[[], Iterable[pd.DataFrame]], *,
                 empty: pd.DataFrame | None = None) -> None:
        self.columns = list(columns)
        self.rows = int(rows)
        self.make = make
        self.empty = empty  # the frame of no rows, with its column types (default: untyped)

    @property
    def shape(self) -> tuple[int, int]:
        return self.rows, len(self.columns)

    def frames(self) -> Iterator[pd.DataFrame]:
        """The table's blocks, in order."""
        return iter(self.make())

    def frame(self) -> pd.DataFrame:
        """The whole table, in memory."""
        return joined(self.frames(), pd.DataFrame(columns=self.columns) if self.empty is None else self.empty)


def joined(blocks: Iterable[pd.DataFrame], empty: pd.DataFrame) -> pd.DataFrame:
    """The blocks of a table as one frame; a copy of ``empty`` (its columns, typed) when there are none."""
    frames = list(blocks)
    return pd.concat(frames, ignore_index=True) if frames else empty.copy()


#: A table that is not held in memory: read (``frame()``) each time it is asked for.
LazyTable = SpooledTable | GeneratedTable


class Tables(Mapping[str, pd.DataFrame]):
    """A document's tables by name, in ``order``: frames in memory, and lazy tables (spooled to a
    file, or generated block by block; see :data:`LazyTable`) read each time they are asked for."""

    def __init__(self, frames: Mapping[str, pd.DataFrame], lazy: Mapping[str, LazyTable] | None = None,
                 *, order: Sequence[str] | None = None) -> None:
        self.frames = dict(frames)
        self.lazy = dict(lazy or {})
        made = [*self.frames, *self.lazy]
        self.order = [name for name in order or () if name in made] + [name for name in made if name not in (order or ())]

    def __contains__(self, name: object) -> bool:  # Mapping's would read a lazy table
        return name in self.frames or name in self.lazy

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name in self.lazy:
            return self.lazy[name].frame()
        return self.frames[name]

    def blocks(self, name: str) -> Iterator[pd.DataFrame]:
        """A table a block of rows at a time: a generated table's blocks, or the whole table as one."""
        table = self.lazy.get(name)
        if isinstance(table, GeneratedTable):
            return table.frames()
        return iter([self[name]])

    def __iter__(self) -> Iterator[str]:
        return iter(self.order)

    def __len__(self) -> int:
        return len(self.order)

    def shape(self, name: str) -> tuple[int, int]:
        """Rows and columns of a table, without reading a lazy one."""
        if name in self.lazy:
            return self.lazy[name].shape
        rows, columns = self.frames[name].shape
        return int(rows), int(columns)


def table_shape(tables: Mapping[str, pd.DataFrame], name: str) -> tuple[int, int]:
    """Rows and columns of ``tables[name]``, without reading it when it is lazy."""
    if isinstance(tables, Tables):
        return tables.shape(name)
    rows, columns = tables[name].shape
    return int(rows), int(columns)


def table_blocks(tables: Mapping[str, pd.DataFrame], name: str) -> Iterator[pd.DataFrame]:
    """``tables[name]`` a block of rows at a time (see :meth:`Tables.blocks`)."""
    return tables.blocks(name) if isinstance(tables, Tables) else iter([tables[name]])


def stable_sort(table: pd.DataFrame, by: list[str], ascending: list[bool]) -> pd.DataFrame:
    """Sort by ``by`` with a stable sort and a fresh index, so equal keys keep their order and the
    written tables are the same from run to run."""
    return table.sort_values(by, ascending=ascending, kind="mergesort").reset_index(drop=True)
