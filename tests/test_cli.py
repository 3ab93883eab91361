from __future__ import annotations

import csv
import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from zhpolicy import cli

COLUMNS = {
    "sections.csv": ["section", "title", "chars", "tokens"],
    "term_freq.csv": ["section", "term", "count"],
    "tfidf.csv": ["section", "rank", "term", "score"],
    "slogans.csv": ["section", "slogan", "kind", "count"],
}


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MPLBACKEND": "Agg"}
    return subprocess.run([sys.executable, "-m", "zhpolicy", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=300, check=False)


def read_rows(path: Path) -> list[dict[str, str]]:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf"), f"{path.name} has no BOM"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory, seed_path):  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("out")
    result = run_cli("analyze", str(seed_path), "-o", str(out))
    assert result.returncode == 0, result.stderr
    return result, out / seed_path.stem


def test_analyze_writes_the_contract_files(seed_run) -> None:  # type: ignore[no-untyped-def]
    result, folder = seed_run
    names = {p.name for p in folder.iterdir()}
    assert {"sections.csv", "term_freq.csv", "tfidf.csv", "slogans.csv", "summary.json", "wordcloud.png"} <= names
    assert {f"wordcloud_s{n:02d}.png" for n in range(1, 11)} <= names
    for name, columns in COLUMNS.items():
        with (folder / name).open(encoding="utf-8-sig", newline="") as handle:
            assert next(csv.reader(handle))[: len(columns)] == columns
    assert "10 sections" in result.stdout and str(folder) in result.stdout


def test_tables_agree_with_the_text(seed_run, seed_sections) -> None:  # type: ignore[no-untyped-def]
    _, folder = seed_run
    sections = read_rows(folder / "sections.csv")
    assert [int(r["section"]) for r in sections] == list(range(1, 11))
    assert [int(r["chars"]) for r in sections] == [len(text) for text in seed_sections]
    slogans = read_rows(folder / "slogans.csv")
    assert {r["kind"] for r in slogans} <= {"lexicon", "quoted", "numeric", "couplet"}
    for row in slogans:
        assert int(row["count"]) == seed_sections[int(row["section"]) - 1].count(row["slogan"]) > 0
    terms = {r["term"] for r in read_rows(folder / "term_freq.csv")}
    assert {"万亿之城再出发", "四个走在前", "532"} <= terms
    assert not {"的", "2024", "“", "##"} & terms


def test_summary_records_options_and_versions(seed_run, seed_text: str) -> None:  # type: ignore[no-untyped-def]
    _, folder = seed_run
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["sections"] == 10
    assert summary["chars"] == len(seed_text)
    assert summary["options"]["top"] == 20
    assert summary["tfidf"]["norm"] == "l2"
    assert "jieba" in summary["versions"]
    top = summary["top_slogans"]
    assert {"slogan": "万亿之城再出发", "kind": "quoted", "canonical": "万亿之城再出发",
            "total": seed_text.count("万亿之城再出发")} in top
    # “万亿” (a trillion) is quoted once but is a common word: a term in quotes, not a slogan.
    assert "万亿" not in {row["slogan"] for row in top}
    totals = [row["total"] for row in top]
    assert totals == sorted(totals, reverse=True)


def test_images_are_real_pngs(seed_run) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    _, folder = seed_run
    for path in folder.glob("wordcloud*.png"):
        with Image.open(path) as image:
            assert image.format == "PNG" and image.size == (800, 600)
        assert path.stat().st_size > 20_000


def test_same_input_gives_byte_identical_tables(tmp_path: Path, seed_path: Path) -> None:
    for name in ("a", "b"):
        assert cli.main(["analyze", str(seed_path), "-o", str(tmp_path / name), "--no-images", "-q"]) == 0
    first, second = tmp_path / "a" / seed_path.stem, tmp_path / "b" / seed_path.stem
    for name in (*COLUMNS, "summary.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert not list(first.glob("*.png"))


def test_top_option_sets_tfidf_depth(tmp_path: Path, seed_path: Path) -> None:
    assert cli.main(["analyze", str(seed_path), "-o", str(tmp_path), "--no-images", "--top", "3", "-q"]) == 0
    rows = read_rows(tmp_path / seed_path.stem / "tfidf.csv")
    assert max(int(r["rank"]) for r in rows) == 3
    assert len(rows) == 30


def test_help_explains_every_option() -> None:
    result = run_cli("analyze", "--help")
    assert result.returncode == 0
    for flag in ("--output", "--top", "--no-images", "--lexicon", "--encoding", "--strict"):
        assert flag in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["missing.txt"], "missing.txt: no such file or folder"),
        (["empty.txt"], "empty.txt: the file is empty"),
        (["report.pdf"], "report.pdf: looks like a binary file"),
    ],
)
def test_bad_input_is_one_line_exit_1_no_traceback(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.5\n\x00\x01binary")
    result = run_cli("analyze", *args, "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"zhpolicy: error: {message}")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_usage_error_exits_2(tmp_path: Path) -> None:
    result = run_cli("analyze", "--top", "zero", cwd=tmp_path)
    assert result.returncode == 2
    assert "expected a whole number" in result.stderr


def test_malformed_lexicon_is_one_line(tmp_path: Path, seed_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[[entry]\nphrase = 1\n", encoding="utf-8")
    result = run_cli("analyze", str(seed_path), "--lexicon", str(bad), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"zhpolicy: error: {bad}: TOML syntax error")


def test_output_inside_input_folder_is_refused(tmp_path: Path, seed_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_bytes(seed_path.read_bytes())
    result = run_cli("analyze", str(corpus), "-o", str(corpus / "out"))
    assert result.returncode == 2  # an unusable output folder is a usage error
    assert "inside the input folder" in result.stderr
    assert [p.name for p in corpus.iterdir()] == ["a.md"]


def test_output_path_that_is_a_file_is_refused(tmp_path: Path, seed_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("not a folder", encoding="utf-8")
    assert cli.main(["analyze", str(seed_path), "-o", str(target), "-q"]) == 2
    assert target.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.parametrize("writer, error", [
    ("write_json", OSError(errno.ENOSPC, "No space left on device")),
    ("write_csv", PermissionError(errno.EACCES, "Permission denied", "slogans.csv")),
])
def test_a_failed_write_is_one_line_exit_1_and_keeps_previous_results(
        tmp_path: Path, seed_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        writer: str, error: OSError) -> None:
    assert cli.main(["analyze", str(seed_path), "-o", str(tmp_path), "--no-images", "-q"]) == 0
    folder = tmp_path / seed_path.stem
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    capsys.readouterr()

    from zhpolicy.outputs import folders as outputs

    def broken(*_args: object, **_kwargs: object) -> None:
        raise error

    monkeypatch.setattr(outputs, writer, broken)
    assert cli.main(["analyze", str(seed_path), "-o", str(tmp_path), "--no-images", "-q", "--top", "5"]) == 1
    stderr = capsys.readouterr().err
    assert stderr.splitlines() == [f"zhpolicy: error: {folder}: cannot write the results ({error.strerror})"]
    assert "Traceback" not in stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == [seed_path.stem]  # no .tmp or .old folder left


def test_a_failed_write_with_debug_raises_with_its_cause(tmp_path: Path, seed_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from zhpolicy.errors import WriteError
    from zhpolicy.outputs import folders as outputs

    disk_full = OSError(errno.ENOSPC, "No space left on device")

    def broken(*_args: object, **_kwargs: object) -> None:
        raise disk_full

    monkeypatch.setattr(outputs, "write_json", broken)
    with pytest.raises(WriteError, match="cannot write the results") as caught:
        cli.main(["analyze", str(seed_path), "-o", str(tmp_path), "--no-images", "-q", "--debug"])
    assert caught.value.__cause__ is disk_full
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_through_the_entry_point_has_no_traceback(tmp_path: Path, seed_path: Path) -> None:
    # The write fails in a fresh interpreter: summary.json is written by a function made to fail with ENOSPC.
    code = ("import errno, sys\n"
            "from zhpolicy import cli\n"
            "from zhpolicy.outputs import folders as outputs\n"
            "def full(*args, **kwargs):\n"
            "    raise OSError(errno.ENOSPC, 'No space left on device')\n"
            "outputs.write_json = full\n"
            "sys.exit(cli.main(sys.argv[1:]))\n")
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-c", code, "analyze", str(seed_path), "-o", str(out), "--no-images"],
                            capture_output=True, text=True, check=False, env={**os.environ, "MPLBACKEND": "Agg"},
                            timeout=300)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"zhpolicy: error: {out / seed_path.stem}: cannot write the results (No space left on device)"]
    assert list(out.iterdir()) == []


def test_an_interrupted_write_still_stops_as_an_interrupt(tmp_path: Path, seed_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    from zhpolicy.outputs import folders as outputs

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(outputs, "write_json", interrupted)
    assert cli.main(["analyze", str(seed_path), "-o", str(tmp_path), "--no-images", "-q"]) == 130
    assert "interrupted" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(KeyboardInterrupt):
        outputs.write_folder_atomically(tmp_path / "x", interrupted)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_swap_puts_the_previous_results_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from zhpolicy.errors import WriteError
    from zhpolicy.outputs import folders as outputs

    target = tmp_path / "report"
    target.mkdir()
    (target / "old.csv").write_text("previous", encoding="utf-8")
    real_replace = os.replace

    def replace(source: str | Path, destination: str | Path) -> None:
        if str(source).endswith(".tmp"):  # moving the new results in fails
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(WriteError, match=r"report: cannot write the results \(Invalid cross-device link\)"):
        outputs.write_folder_atomically(target, lambda folder: (folder / "new.csv").write_text("new"))
    assert [p.name for p in tmp_path.iterdir()] == ["report"]
    assert [p.name for p in target.iterdir()] == ["old.csv"]
    assert (target / "old.csv").read_text(encoding="utf-8") == "previous"


def test_rerun_replaces_previous_results(tmp_path: Path, seed_path: Path) -> None:
    folder = tmp_path / seed_path.stem
    folder.mkdir()
    (folder / "stale.csv").write_text("old", encoding="utf-8")
    assert cli.main(["analyze", str(seed_path), "-o", str(tmp_path), "--no-images", "-q"]) == 0
    assert not (folder / "stale.csv").exists()
    assert (folder / "slogans.csv").exists()


def test_one_bad_file_among_several_is_skipped(tmp_path: Path, seed_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.md").write_bytes(seed_path.read_bytes())
    (corpus / "bad.txt").write_bytes(b"")
    out = tmp_path / "out"
    result = run_cli("analyze", str(corpus), "-o", str(out), "--no-images")
    assert result.returncode == 0
    assert "skipped" in result.stderr and "bad.txt" in result.stderr
    assert [p.name for p in out.iterdir()] == ["good"]
    strict = run_cli("analyze", str(corpus), "-o", str(tmp_path / "strict"), "--no-images", "--strict")
    assert strict.returncode == 1


def test_default_input_is_corpus_folder(tmp_path: Path, seed_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "r.md").write_bytes(seed_path.read_bytes())
    result = run_cli("analyze", "--no-images", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "outputs" / "r" / "slogans.csv").exists()
    no_corpus = run_cli("analyze", cwd=tmp_path / "corpus")
    assert no_corpus.returncode == 1 and "no corpus/ folder" in no_corpus.stderr


FIXTURES = Path(__file__).resolve().parent / "fixtures"


def kwic_rows(*args: str) -> list[dict[str, str]]:
    """Run ``zhpolicy kwic`` in-process with ``--csv`` and return the CSV rows."""
    out = Path(args[-1])
    assert cli.main(["kwic", *args[:-1], "--csv", str(out)]) == 0
    with out.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_kwic_converts_traditional_chinese_like_analyze(tmp_path: Path) -> None:
    path = FIXTURES / "traditional_utf8.md"
    written = path.read_text(encoding="utf-8")
    assert written.count("四個走在前") == 1 and "四个走在前" not in written
    assert kwic_rows("四个走在前", str(path), str(tmp_path / "plain.csv")) == []
    rows = kwic_rows("四个走在前", str(path), "--convert", "t2s", str(tmp_path / "t2s.csv"))
    assert [(r["section"], r["title"], r["match"]) for r in rows] == [("1", "一、总体要求", "四个走在前")]
    assert rows[0]["left"].endswith("全面落实“")  # the context is converted too


def test_kwic_accepts_the_cleaning_steps(tmp_path: Path) -> None:
    path = FIXTURES / "html_remnants.md"
    # The fixture's "<p>全面落实&ldquo;四个走在前&rdquo;": entities and tags go with the default cleaning.
    cleaned = kwic_rows("四个走在前", str(path), "--width", "10", str(tmp_path / "safe.csv"))
    assert len(cleaned) == 1 and cleaned[0]["left"].endswith(" 全面落实“")  # the line break shows as a space
    raw = kwic_rows("四个走在前", str(path), "--width", "10", "--clean", "none", str(tmp_path / "none.csv"))
    assert len(raw) == 1 and raw[0]["left"] == "<p>全面落实&ldquo;"[-10:]
    result = run_cli("kwic", "四个走在前", str(path), "--clean", "html,shred")
    assert result.returncode == 2 and "unknown cleaning step 'shred'" in result.stderr


def test_kwic_uses_the_heading_regex(tmp_path: Path) -> None:
    path = FIXTURES / "custom_headings.txt"
    plain = kwic_rows("532", str(path), str(tmp_path / "plain.csv"))
    assert [(r["section"], r["title"]) for r in plain] == [("1", "全文")]
    custom = kwic_rows("532", str(path), "--heading-regex", "第(?P<title>[0-9]+条)", str(tmp_path / "custom.csv"))
    assert [(r["section"], r["title"]) for r in custom] == [("3", "2条")]


def test_kwic_csv_that_cannot_be_written_is_one_line(tmp_path: Path, seed_path: Path) -> None:
    target = tmp_path / "missing" / "kwic.csv"
    result = run_cli("kwic", "四个走在前", str(seed_path), "--csv", str(target))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"zhpolicy: error: {target}: cannot write the CSV file here (its folder does not exist)"]
    assert not target.parent.exists()


def test_a_failed_write_in_a_writing_worker_is_one_line_exit_1(
        tmp_path: Path, seed_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    # Two documents and two workers: the documents are written in worker processes, forked after the
    # writer below is broken, so the failure happens in a worker and must reach the user the same way.
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.md").write_text("## 一、发展\n万亿之城再出发。\n", encoding="utf-8")
    (inputs / "b.md").write_text("## 一、民生\n常有善育，常有优学。\n", encoding="utf-8")
    out = tmp_path / "out"
    from zhpolicy.outputs import folders as outputs

    def broken(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(outputs, "write_json", broken)
    assert cli.main(["analyze", str(inputs), "-o", str(out), "--no-images", "-q", "--workers", "2"]) == 1
    stderr = capsys.readouterr().err
    assert len(stderr.splitlines()) == 1
    assert stderr.startswith("zhpolicy: error: ") and "cannot write the results (No space left on device)" in stderr
    assert not any(p.name.endswith((".tmp", ".old")) for p in out.iterdir())


def test_several_documents_written_in_workers_give_the_files_of_one_process(
        tmp_path: Path, seed_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "seed.md").write_bytes(seed_path.read_bytes())
    (inputs / "short.md").write_text("## 一、发展\n万亿之城再出发，“四个走在前”。\n", encoding="utf-8")
    written = {}
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}"
        assert cli.main(["analyze", str(inputs), "-o", str(out), "-q", "--workers", workers]) == 0
        written[workers] = {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert len([name for name in written["1"] if name.endswith(".png")]) >= 10  # word clouds and plots
    assert written["1"] == written["2"]


def test_a_temporary_folder_without_room_is_one_line_exit_1(tmp_path: Path, seed_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    # The mentions table is spooled to Python's temporary folder while the pieces are counted.
    import tempfile

    def full(*_args: object, **_kwargs: object) -> tuple[int, str]:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "mkstemp", full)
    assert cli.main(["analyze", str(seed_path), "-o", str(tmp_path), "--no-images", "-q"]) == 1
    stderr = capsys.readouterr().err
    assert stderr.splitlines() == [(f"zhpolicy: error: {tempfile.gettempdir()}: cannot make a temporary file "
                                    "(No space left on device); set TMPDIR to a folder with room")]
    assert list(tmp_path.iterdir()) == []
