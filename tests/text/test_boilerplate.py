from __future__ import annotations

import csv
from pathlib import Path

import pytest

from zhpolicy import cli
from zhpolicy.read import read_document
from zhpolicy.text.boilerplate import Boilerplate, count_lines, find_boilerplate, remove_boilerplate

ROOT = Path(__file__).resolve().parents[2]
CONGRESS = sorted((ROOT / "corpus" / "cpc_congress").glob("cpc_congress_*.txt"))
SEED = ROOT / "corpus" / "tianning_2024_lianghui.md"

FOOTER = "本文来自人民网，转载请注明出处\nPublic domain\nfalse\n"
# Four reports: the three first end with the same footer; all four share a heading, a salutation and "。".
REPORTS = [
    "## 一、总体要求\n同志们：\n坚持稳中求进。\n。\n" + FOOTER,
    "## 一、总体要求\n同志们：\n推动高质量发展。\n" + FOOTER + "Public domain\n",
    "## 一、总体要求\n同志们：\n  扩大高水平开放。\n" + FOOTER.replace("false", "  false  "),
    "## 一、总体要求\n同志们：\n深化改革。\n。\n",
]


def test_finds_the_shared_footer_and_nothing_else() -> None:
    # n = 4: a line must be in max(3, ceil(0.5 * 4)) = 3 documents. The heading, the salutation (3
    # letters) and "。" are in 4 but are never boilerplate; "false" is found stripped.
    assert find_boilerplate(REPORTS) == [
        Boilerplate("本文来自人民网，转载请注明出处", 3),
        Boilerplate("Public domain", 3),
        Boilerplate("false", 3),
    ]


def test_thresholds() -> None:
    assert find_boilerplate(REPORTS[:2]) == []  # fewer than 3 documents: nothing
    assert find_boilerplate(REPORTS, min_documents=4) == []  # the footer is in 3 of 4
    assert [b.line for b in find_boilerplate(REPORTS[:2], min_documents=2)] == [
        "本文来自人民网，转载请注明出处", "Public domain", "false"]
    # Six documents, the footer in three: 3 ≥ max(3, ceil(0.5 * 6)) = 3; with min_share 0.6, ceil(3.6) = 4.
    six = REPORTS + ["深化改革。\n", "扩大开放。\n"]
    assert len(find_boilerplate(six)) == 3
    assert find_boilerplate(six, min_share=0.6) == []


@pytest.mark.parametrize("kwargs", [{"min_documents": 1}, {"min_share": 0}, {"min_share": 1.5}])
def test_bad_thresholds_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        find_boilerplate(REPORTS, **kwargs)  # type: ignore[arg-type]


def test_one_string_is_refused() -> None:
    with pytest.raises(TypeError, match="sequence of texts"):
        find_boilerplate("Public domain\nPublic domain\nPublic domain")


def test_remove_keeps_every_other_line_as_written() -> None:
    lines = ["本文来自人民网，转载请注明出处", "Public domain", "false"]
    text, removed = remove_boilerplate(REPORTS[1], lines)
    assert text == "## 一、总体要求\n同志们：\n推动高质量发展。\n"
    assert removed == 4  # the footer's three lines and the second "Public domain"
    text, removed = remove_boilerplate(REPORTS[2], lines)
    assert text == "## 一、总体要求\n同志们：\n  扩大高水平开放。\n"
    assert removed == 3
    assert remove_boilerplate(REPORTS[3], lines) == (REPORTS[3], 0)
    assert remove_boilerplate("甲\n\n乙\n", ["", "  "]) == ("甲\n\n乙\n", 0)  # blank lines are never dropped
    assert count_lines(REPORTS[1], lines) == {"本文来自人民网，转载请注明出处": 1, "Public domain": 2, "false": 1}


# --- the shipped corpus ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def shipped() -> dict[str, str]:
    """The texts as analyze reads them: the seed and the twelve congress reports."""
    return {path.name: read_document(path).text for path in [SEED, *CONGRESS]}


def test_shipped_corpus_loses_only_the_wikisource_footer(shipped: dict[str, str]) -> None:
    found = find_boilerplate(list(shipped.values()))
    lines = [item.line for item in found]
    assert "Public domain" in lines and "false" in lines and "公有领域" in lines
    assert lines[0].startswith("本作品来自1949年10月1日")
    assert len(found) == 18 and {item.documents for item in found} == {12}  # every congress report, not the seed
    for name, text in shipped.items():
        stripped = [line.strip() for line in text.splitlines()]
        starts = [index for index, line in enumerate(stripped) if line.startswith("本作品来自")]
        if name == SEED.name:
            assert not starts and remove_boilerplate(text, lines) == (text, 0)
            continue
        assert len(starts) == 1, name
        for line in lines:  # every removed line stands after the notice's first line, only there
            positions = [index for index, each in enumerate(stripped) if each == line]
            assert positions and min(positions) >= starts[0], (name, line)
        cleaned, removed = remove_boilerplate(text, lines)
        assert removed == 20  # 16 lines once, "Public domain" and "false" twice
        body = text.splitlines()[:starts[0]]
        assert cleaned.splitlines()[:starts[0]] == body  # the report itself is untouched
        for word in ("改革开放", "社会主义", "同志们", "马克思主义"):
            assert cleaned.count(word) == text.count(word), (name, word)  # not in the footer


def test_shipped_headings_and_salutations_are_content(shipped: dict[str, str]) -> None:
    lines = {item.line for item in find_boilerplate(list(shipped.values()), min_documents=2, min_share=0.1)}
    assert "同志们：" not in lines and "同志们:" not in lines
    assert not any(line.startswith(("一、", "二、", "## ")) for line in lines)


# --- through the command line ------------------------------------------------------------------------

def _write_reports(folder: Path) -> None:
    folder.mkdir()
    bodies = ["坚持稳中求进工作总基调。推动高质量发展。", "扩大高水平对外开放。推动高质量发展。",
              "深化改革。全面建设社会主义现代化国家。"]
    for year, body in zip((2020, 2021, 2022), bodies, strict=True):
        (folder / f"report_{year}.md").write_text(f"## 一、总体要求\n{body}\n\n本页面由网站管理员维护\n版权声明仅供参考\n",
                                                  encoding="utf-8")


def _terms(folder: Path) -> set[str]:
    with open(folder / "term_freq.csv", encoding="utf-8-sig", newline="") as handle:
        return {row["term"] for row in csv.DictReader(handle)}


def test_cli_removes_the_footer_and_lists_it(tmp_path: Path) -> None:
    _write_reports(tmp_path / "in")
    out = tmp_path / "out"
    assert cli.main(["analyze", str(tmp_path / "in"), "-o", str(out), "--no-images", "-q", "--workers", "1"]) == 0
    for year in (2020, 2021, 2022):
        terms = _terms(out / f"report_{year}")
        assert {"总体", "要求"} <= terms  # the heading all three share is content
        assert not terms & {"网站", "管理员", "维护", "版权", "声明", "仅供参考"}, year
    with open(out / "corpus" / "boilerplate.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows == [{"line": "本页面由网站管理员维护", "documents": "3", "removed": "3"},
                    {"line": "版权声明仅供参考", "documents": "3", "removed": "3"}]


def test_cli_keep_boilerplate_keeps_it(tmp_path: Path) -> None:
    _write_reports(tmp_path / "in")
    out = tmp_path / "out"
    assert cli.main(["analyze", str(tmp_path / "in"), "-o", str(out), "--no-images", "-q", "--workers", "1",
                     "--keep-boilerplate"]) == 0
    for year in (2020, 2021, 2022):
        assert {"网站", "管理员", "版权"} <= _terms(out / f"report_{year}")
    assert (out / "corpus" / "boilerplate.csv").read_text(encoding="utf-8-sig") == "line,documents,removed\n"


def test_cli_logs_each_removed_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write_reports(tmp_path / "in")
    assert cli.main(["analyze", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--no-images",
                     "--workers", "1"]) == 0
    err = capsys.readouterr().err
    assert "boilerplate removed: '本页面由网站管理员维护' (in 3 documents, 3 lines)" in err
    assert "boilerplate removed: '版权声明仅供参考' (in 3 documents, 3 lines)" in err
