from __future__ import annotations

import csv
import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from zhpolicy import cli
from zhpolicy.sections import split_sections
from zhpolicy.slogans.kwic import display_width, format_kwic, kwic


def test_kwic_finds_what_str_count_counts(seed_text: str) -> None:
    sections = split_sections(seed_text)
    lines = kwic(sections, "万亿之城再出发", width=5)
    assert len(lines) == seed_text.count("万亿之城再出发")
    for line in lines:
        section = sections[line.section - 1]
        assert section.text[line.start:line.start + len(line.match)] == "万亿之城再出发"
        assert section.text[line.start - 5:line.start].replace("\n", " ") == line.left
        assert line.title == section.title


def test_format_kwic_aligns_matches_by_display_width() -> None:
    sections = split_sections("## 甲\n推进532发展战略。落实“532”。\n## 乙\nabc 532 def")
    rows = format_kwic(kwic(sections, "532", width=4, document="d"), width=4)
    columns = [display_width(row[: row.index("532")]) for row in rows]
    assert len(rows) == 3 and len(set(columns)) == 1


def test_kwic_cli_prints_and_writes_csv(tmp_path: Path, seed_path: Path, seed_text: str) -> None:
    out = tmp_path / "kwic.csv"
    result = subprocess.run(
        [sys.executable, "-m", "zhpolicy", "kwic", "四个走在前", str(seed_path), "--width", "8", "--csv", str(out)],
        capture_output=True, text=True, env={**os.environ, "MPLBACKEND": "Agg"}, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    printed = [line for line in result.stdout.splitlines() if "四个走在前" in line]
    assert len(printed) == seed_text.count("四个走在前")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["match"] for row in rows] == ["四个走在前"] * seed_text.count("四个走在前")
    assert list(rows[0]) == ["document", "section", "title", "start", "left", "match", "right"]


def test_kwic_cli_empty_term_is_an_error(seed_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "zhpolicy", "kwic", " ", str(seed_path)],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1
    assert result.stderr.strip() == "zhpolicy: error: TERM: the term to look for is empty"


def test_kwic_csv_is_written_atomically(tmp_path: Path, seed_path: Path, seed_text: str,
                                        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "kwic.csv"
    assert cli.main(["kwic", "四个走在前", str(seed_path), "--csv", str(target)]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["kwic.csv"]  # no temporary file left
    before = target.read_bytes()
    assert before.decode("utf-8-sig").count("四个走在前") == seed_text.count("四个走在前")
    capsys.readouterr()

    from zhpolicy import cli as outputs  # kwic writes its CSV with the write_csv the CLI imported

    def disk_full(_table: object, path: Path) -> None:  # writes part of the file, then the disk is full
        path.write_text("document,section\npartial", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(outputs, "write_csv", disk_full)
    assert cli.main(["kwic", "四个走在前", str(seed_path), "--csv", str(target)]) == 1
    stderr = capsys.readouterr().err
    assert stderr.splitlines() == [f"zhpolicy: error: {target}: cannot write the CSV file (No space left on device)"]
    assert [p.name for p in tmp_path.iterdir()] == ["kwic.csv"]
    assert target.read_bytes() == before


def test_kwic_into_a_closed_pipe_ends_without_a_traceback(seed_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    # `zhpolicy kwic … | head -1`: the reader stops after the first line.
    corpus = seed_path.parent / "cpc_congress"  # thousands of lines: more than a pipe holds
    command = f"{sys.executable} -m zhpolicy kwic 社会主义 {corpus} | head -1"
    result = subprocess.run(command, shell=True, capture_output=True, text=True)
    assert result.stdout.count("\n") == 1 and "社会主义" in result.stdout
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr
