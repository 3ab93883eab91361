"""Spooled tables: rows written to a temporary CSV file as they come, read back and copied unchanged."""
from __future__ import annotations

import gc
import pickle
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhpolicy.outputs.files import write_csv
from zhpolicy.tables import SpooledTable, Tables, csv_bytes, csv_field, table_shape

DTYPES = {"section": "int64", "slogan": "str", "context": "str"}
# Text that CSV must quote or that a reader could take for something else: commas, quotes, line-end
# look-alikes, an empty string, "NA" and "nan", leading and trailing spaces, digits.
ROWS = [(1, "万亿之城再出发", "“【万亿之城再出发】”,再出发"), (1, "NA", ""), (2, "nan", ' 前后有空格 '),
        (2, '引号"里', "a,b;c"), (10, "532", "0012")]


def spooled(rows: list[tuple[object, ...]] = ROWS) -> SpooledTable:
    table = SpooledTable(DTYPES)
    table.append(csv_bytes(rows[:2]), 2)
    table.append(csv_bytes(rows[2:]), len(rows) - 2)
    return table.close()


def test_rows_read_back_as_they_were_written() -> None:
    frame = spooled().frame()
    assert list(frame.columns) == list(DTYPES)
    assert [tuple(row) for row in frame.itertuples(index=False)] == ROWS
    assert frame["section"].dtype == "int64"


def test_the_file_is_the_csv_write_csv_writes(tmp_path: Path) -> None:
    table = spooled()
    table.copy_to(tmp_path / "spooled.csv")
    write_csv(pd.DataFrame(ROWS, columns=list(DTYPES)), tmp_path / "written.csv")
    assert (tmp_path / "spooled.csv").read_bytes() == (tmp_path / "written.csv").read_bytes()


def test_an_empty_table_has_its_header() -> None:
    frame = SpooledTable(DTYPES).close().frame()
    assert frame.empty and list(frame.columns) == list(DTYPES)


def test_the_file_goes_with_the_table_but_not_with_a_copy_in_another_process() -> None:
    table = spooled()
    path = table.path
    copy = pickle.loads(pickle.dumps(table))
    assert copy.rows == len(ROWS) and copy.path == path
    del copy
    gc.collect()
    assert path.exists()  # a copy (as a worker process gets it) never removes the file
    del table
    gc.collect()
    assert not path.exists()


def test_a_closed_table_takes_no_rows() -> None:
    with pytest.raises(ValueError, match="closed"):
        spooled().append(csv_bytes(ROWS), len(ROWS))


def test_tables_keep_their_order_and_read_a_spooled_one_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    table = spooled()
    tables = Tables({"a": pd.DataFrame({"x": [1, 2]}), "b": pd.DataFrame({"y": [3]})}, {"mentions": table},
                    order=["a", "mentions", "b"])
    assert list(tables) == ["a", "mentions", "b"] and len(tables) == 3
    assert tables["mentions"].equals(table.frame())

    def refuse() -> pd.DataFrame:
        raise AssertionError("read")

    monkeypatch.setattr(table, "frame", refuse)
    assert table_shape(tables, "mentions") == (len(ROWS), 3)
    assert table_shape(tables, "a") == (2, 1)
    assert table_shape({"a": pd.DataFrame({"x": [1]})}, "a") == (1, 1)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts open files in /proc")
def test_tables_hold_no_open_file_between_appends() -> None:
    # One table per document: a run over thousands of reports must not run out of file handles.
    before = len(list(Path("/proc/self/fd").iterdir()))
    tables = [spooled() for _ in range(200)]
    assert len(list(Path("/proc/self/fd").iterdir())) - before < 5
    assert all(table.frame().shape == (len(ROWS), 3) for table in tables[:3])


def test_membership_does_not_read_a_spooled_table(monkeypatch: pytest.MonkeyPatch) -> None:
    table = spooled()
    tables = Tables({"a": pd.DataFrame({"x": [1]})}, {"mentions": table})

    def refuse() -> pd.DataFrame:
        raise AssertionError("read")

    monkeypatch.setattr(table, "frame", refuse)
    assert "mentions" in tables and "a" in tables and "b" not in tables


@given(st.lists(st.tuples(st.integers(0, 10**6), st.text(alphabet=',"\n\r 【】a万亿', max_size=8),
                          st.text(alphabet=',"\n\r 【】a万亿', max_size=8)), max_size=6))
def test_csv_fields_joined_by_commas_are_the_csv_modules_rows(rows: list[tuple[int, str, str]]) -> None:
    joined = "".join(f"{number},{csv_field(first)},{csv_field(second)}\n" for number, first, second in rows)
    assert joined.encode("utf-8") == csv_bytes(rows)
