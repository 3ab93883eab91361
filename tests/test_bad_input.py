"""Real-world input through the command line: the hand-made fixtures in tests/fixtures/, each with its expected behaviour.

Bad inputs are refused with one line naming the file, exit code 1 (2 for bad flags and unusable output
folders), no traceback and no output; messy inputs give the same slogan counts as the clean report they
were made from.
"""
from __future__ import annotations

import csv
import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from zhpolicy import cli

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SLOGANS = ["四个走在前", "万亿之城再出发", "四敢", "532", "3511", "新质生产力"]
# The clean report every messy fixture was made from (see fixtures/make_fixtures.py), split by hand.
SECTIONS = [
    "## 一、总体要求\n全面落实“四个走在前”重大任务,奋力推进“万亿之城再出发”,坚持稳中求进工作总基调。\n",
    "## 二、重点工作\n坚持“四敢”引领,深入推进“532”发展战略和区“3511”工作部署,加快发展新质生产力。\n",
]
TITLES = ["一、总体要求", "二、重点工作"]

# file, extra arguments, message after "zhpolicy: error: <file>: "
BAD = [
    ("empty.txt", [], "the file is empty"),
    ("blank.txt", [], "the file is empty"),
    ("pdf_by_mistake.txt", [], "looks like a binary file (a PDF), not text"),
    ("image_by_mistake.md", [], "looks like a binary file (a PNG image), not text"),
    ("docx_by_mistake.txt", [], "looks like a binary file (a ZIP archive or an Office document"),
    ("nul_bytes.txt", [], "looks like a binary file (it holds NUL bytes), not text"),
    ("utf8_corrupt.txt", [], "cannot decode the text: not UTF-8 (byte 40, line 2) nor GB18030, Big5 or UTF-16"),
    ("utf8_corrupt.txt", ["--encoding", "utf-8"], "not valid utf-8 (byte 40, line 2)"),
    ("only_markup.md", [], "the file holds no text"),
    ("missing.txt", [], "no such file or folder"),
]

# file, extra arguments, encoding recorded in summary.json
MESSY = [
    ("utf8_bom.md", [], "utf-8-sig"),
    ("utf16_bom.txt", [], "utf-16"),
    ("utf16le_no_bom.txt", [], "utf-16-le"),
    ("gb18030.txt", [], "gb18030"),
    ("gb18030.txt", ["--encoding", "gbk"], "gbk"),
    ("big5_traditional.txt", ["--convert", "t2s"], "big5"),
    ("traditional_utf8.md", ["--convert", "t2s"], "utf-8"),
    ("crlf_full_width.txt", [], "utf-8"),
    ("html_remnants.md", [], "utf-8"),
    ("pdf_paste.txt", ["--clean", "all"], "utf-8"),
    ("front_matter.md", [], "utf-8"),
    ("front_matter_pandoc.md", [], "utf-8-sig"),
]


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "zhpolicy", *map(str, args)], capture_output=True, text=True,
                          check=False, cwd=cwd, env={**os.environ, "MPLBACKEND": "Agg"}, timeout=300)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


@pytest.mark.parametrize("name, extra, message", BAD, ids=[f"{b[0]}{' '.join(b[1])}" for b in BAD])
def test_bad_input_is_refused_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          name: str, extra: list[str], message: str) -> None:
    path = FIXTURES / name
    out = tmp_path / "out"
    assert cli.main(["analyze", str(path), *extra, "-o", str(out), "--no-images", "-q"]) == 1
    line = one_error_line(capsys.readouterr().err)
    assert line.startswith(f"zhpolicy: error: {path}: {message}"), line
    assert not out.exists() or not any(out.iterdir())


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    quiet = run("analyze", FIXTURES / "pdf_by_mistake.txt", "-o", tmp_path)
    assert quiet.returncode == 1 and "Traceback" not in quiet.stderr
    loud = run("analyze", FIXTURES / "pdf_by_mistake.txt", "-o", tmp_path, "--debug")
    assert loud.returncode == 1
    assert "Traceback" in loud.stderr and "InputError" in loud.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["--heading-regex", "(第"], "argument --heading-regex: invalid heading regex '(第'"),
        (["--encoding", "klingon"], "argument --encoding: unknown encoding 'klingon'"),
        (["--encoding", "base64"], "argument --encoding: 'base64' is not a text encoding"),
        (["--clean", "html,shred"], "argument --clean: unknown cleaning step 'shred'"),
        (["--convert", "s2t"], "argument --convert: invalid choice: 's2t'"),
    ],
)
def test_bad_flags_are_usage_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    result = run("analyze", FIXTURES / "gb18030.txt", *args, "-o", tmp_path / "out")
    assert result.returncode == 2
    assert one_error_line(result.stderr).startswith(f"zhpolicy analyze: error: {message}")
    assert not (tmp_path / "out").exists()


def test_folder_without_text_files_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "scan.pdf").write_bytes(b"%PDF-1.4")
    assert cli.main(["analyze", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-q"]) == 1
    assert one_error_line(capsys.readouterr().err) == \
        f"zhpolicy: error: {tmp_path / 'in'}: folder holds no .txt or .md files"


def test_lexicon_syntax_error_names_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lexicon = FIXTURES / "bad_lexicon.toml"
    assert cli.main(["analyze", str(FIXTURES / "gb18030.txt"), "--lexicon", str(lexicon), "-o",
                     str(tmp_path / "out"), "--no-images", "-q"]) == 1
    line = one_error_line(capsys.readouterr().err)
    assert line.startswith(f"zhpolicy: error: {lexicon}: TOML syntax error") and "line 3" in line
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_output_folder_that_is_a_file_or_inside_the_input(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out"
    target.write_text("keep me", encoding="utf-8")
    assert cli.main(["analyze", str(FIXTURES / "gb18030.txt"), "-o", str(target), "-q"]) == 2
    assert one_error_line(capsys.readouterr().err) == \
        f"zhpolicy: error: {target}: output path is a file, not a folder"
    assert target.read_text(encoding="utf-8") == "keep me"
    assert cli.main(["analyze", str(FIXTURES / "gb18030.txt"), "-o", str(target / "sub"), "-q"]) == 2
    assert one_error_line(capsys.readouterr().err) == \
        f"zhpolicy: error: {target / 'sub'}: cannot create the output folder (Not a directory)"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(FIXTURES / "gb18030.txt", corpus)
    assert cli.main(["analyze", str(corpus), "-o", str(corpus / "results"), "-q"]) == 2
    assert "lies inside the input folder" in one_error_line(capsys.readouterr().err)
    assert [p.name for p in corpus.iterdir()] == ["gb18030.txt"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can write anywhere")
def test_output_folder_not_writable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        assert cli.main(["analyze", str(FIXTURES / "gb18030.txt"), "-o", str(locked / "out"), "-q"]) == 2
        assert "cannot create the output folder" in one_error_line(capsys.readouterr().err)
    finally:
        locked.chmod(0o700)


def test_output_folder_without_write_permission_is_a_usage_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # chmod does not stop root, so the permission check itself is made to say no for this one folder.
    out = tmp_path / "out"
    out.mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: (Path(path).resolve() != out.resolve()
                                                                and real_access(path, mode, **kw)))
    assert cli.main(["analyze", str(FIXTURES / "gb18030.txt"), "-o", str(out), "-q"]) == 2
    assert one_error_line(capsys.readouterr().err) == f"zhpolicy: error: {out}: output folder is not writable"
    assert list(out.iterdir()) == []


def test_output_problems_exit_2_and_input_problems_exit_1_through_the_entry_point(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("keep me", encoding="utf-8")
    usage = run("analyze", FIXTURES / "gb18030.txt", "-o", target)
    assert usage.returncode == 2
    assert one_error_line(usage.stderr) == f"zhpolicy: error: {target}: output path is a file, not a folder"
    bad_input = run("analyze", FIXTURES / "empty.txt", "-o", tmp_path / "results")
    assert bad_input.returncode == 1
    assert one_error_line(bad_input.stderr) == f"zhpolicy: error: {FIXTURES / 'empty.txt'}: the file is empty"


def test_bad_files_among_good_ones_are_skipped_and_strict_stops(tmp_path: Path) -> None:
    out = tmp_path / "out"
    inputs = [FIXTURES / n for n in ("gb18030.txt", "empty.txt", "pdf_by_mistake.txt", "nope.md", "utf16_bom.txt")]
    result = run("analyze", *inputs, "-o", out, "--no-images")
    assert result.returncode == 0, result.stderr
    skipped = [line for line in result.stderr.splitlines() if line.startswith("zhpolicy: warning: skipped:")]
    assert len(skipped) == 3 and all(any(n in line for line in skipped)
                                     for n in ("empty.txt", "pdf_by_mistake.txt", "nope.md"))
    written = {p.name for p in out.iterdir()}
    assert {"gb18030", "utf16_bom"} <= written
    assert not written & {"empty", "pdf_by_mistake", "nope"}
    strict = run("analyze", *inputs, "-o", tmp_path / "strict", "--no-images", "--strict")
    assert strict.returncode == 1
    # Paths are checked before files are read: the missing one is the first problem found.
    assert one_error_line(strict.stderr) == f"zhpolicy: error: {FIXTURES / 'nope.md'}: no such file or folder"
    assert not (tmp_path / "strict").exists()


@pytest.mark.parametrize("name, extra, encoding", MESSY, ids=[f"{m[0]}{' '.join(m[1])}" for m in MESSY])
def test_messy_input_counts_like_the_clean_report(tmp_path: Path, name: str, extra: list[str],
                                                  encoding: str) -> None:
    assert cli.main(["analyze", str(FIXTURES / name), *extra, "-o", str(tmp_path), "--no-images", "-q"]) == 0
    folder = tmp_path / Path(name).stem
    assert [r["title"] for r in rows(folder / "sections.csv")] == TITLES
    counts = {(int(r["section"]), r["slogan"]): int(r["count"]) for r in rows(folder / "slogans.csv")}
    for number, text in enumerate(SECTIONS, start=1):
        for slogan in SLOGANS:
            assert counts.get((number, slogan), 0) == text.count(slogan), (number, slogan)
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["encoding"] == encoding
    assert summary["reading"]["conversion"] == (extra[1] if "--convert" in extra else None)
    assert summary["options"]["convert"] == summary["reading"]["conversion"]
    assert summary["options"]["clean"] == list(summary["reading"]["cleaning"])


def test_traditional_without_conversion_warns_and_counts_as_written(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="zhpolicy"):
        assert cli.main(["analyze", str(FIXTURES / "traditional_utf8.md"), "-o", str(tmp_path), "--no-images",
                         "-q"]) == 0
    warning = [r.getMessage() for r in caplog.records if "traditional Chinese" in r.getMessage()]
    assert len(warning) == 1 and "--convert t2s" in warning[0] and "traditional_utf8.md" in warning[0]
    slogans = {r["slogan"] for r in rows(tmp_path / "traditional_utf8" / "slogans.csv")}
    assert "四个走在前" not in slogans and "四個走在前" in slogans
    summary = json.loads((tmp_path / "traditional_utf8" / "summary.json").read_text(encoding="utf-8"))
    assert summary["reading"]["traditional_share"] > 0.3


def test_simplified_input_gives_no_traditional_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="zhpolicy"):
        assert cli.main(["analyze", str(FIXTURES / "gb18030.txt"), "-o", str(tmp_path), "--no-images", "-q"]) == 0
    assert not [r for r in caplog.records if "traditional" in r.getMessage()]


def test_numbered_and_custom_headings(tmp_path: Path) -> None:
    assert cli.main(["analyze", str(FIXTURES / "numbered_headings.txt"), "-o", str(tmp_path), "--no-images",
                     "-q"]) == 0
    assert [r["title"] for r in rows(tmp_path / "numbered_headings" / "sections.csv")] == \
        ["1. 总体要求", "2.重点工作"]
    assert cli.main(["analyze", str(FIXTURES / "custom_headings.txt"), "-o", str(tmp_path), "--no-images", "-q",
                     "--heading-regex", r"第(?P<title>[0-9]+条)"]) == 0
    assert [r["title"] for r in rows(tmp_path / "custom_headings" / "sections.csv")] == ["导语", "1条", "2条"]
    summary = json.loads((tmp_path / "custom_headings" / "summary.json").read_text(encoding="utf-8"))
    assert summary["options"]["heading_regex"] == r"第(?P<title>[0-9]+条)"


def test_rerun_replaces_results_completely(tmp_path: Path) -> None:
    assert cli.main(["analyze", str(FIXTURES / "pdf_paste.txt"), "-o", str(tmp_path), "--no-images", "-q"]) == 0
    folder = tmp_path / "pdf_paste"
    (folder / "stale.csv").write_text("old", encoding="utf-8")
    first = rows(folder / "sections.csv")
    assert cli.main(["analyze", str(FIXTURES / "pdf_paste.txt"), "-o", str(tmp_path), "--no-images", "-q",
                     "--clean", "all"]) == 0
    assert not (folder / "stale.csv").exists()
    assert [r["title"] for r in first] == ["导语", *TITLES]
    assert [r["title"] for r in rows(folder / "sections.csv")] == TITLES
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pdf_paste"]  # no temporary folders left


def test_front_matter_is_cleaned_by_default_and_recorded(tmp_path: Path) -> None:
    path = FIXTURES / "front_matter.md"
    assert cli.main(["analyze", str(path), "-o", str(tmp_path / "safe"), "--no-images", "-q"]) == 0
    summary = json.loads((tmp_path / "safe" / "front_matter" / "summary.json").read_text(encoding="utf-8"))
    assert summary["reading"]["cleaning"] == ["front-matter", "html", "page-numbers"]
    assert summary["chars"] == len(SECTIONS[0]) + len("---\n") + len(SECTIONS[1])
    # Kept (--clean none), the block is a section of its own and its tags are counted.
    assert cli.main(["analyze", str(path), "-o", str(tmp_path / "none"), "--no-images", "-q", "--clean", "none"]) == 0
    folder = tmp_path / "none" / "front_matter"
    assert [r["title"] for r in rows(folder / "sections.csv")] == ["导语", *TITLES]
    counts = {(r["section"], r["slogan"]): int(r["count"]) for r in rows(folder / "slogans.csv")}
    assert counts[("1", "万亿之城再出发")] == 1
