"""A document's slogans do not depend on the other documents of the run; each says why it is a slogan."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from zhpolicy.cli import main

ROOT = Path(__file__).resolve().parent.parent
CONGRESS = ROOT / "corpus" / "cpc_congress"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.slow
def test_a_documents_slogan_tables_are_the_same_alone_and_in_a_folder(seed_path: Path, tmp_path: Path) -> None:
    alone, together = tmp_path / "alone", tmp_path / "together"
    assert main(["analyze", str(seed_path), "-o", str(alone), "--no-images", "-q"]) == 0
    others = [str(CONGRESS / "cpc_congress_19_2017.txt"), str(CONGRESS / "cpc_congress_20_2022.txt")]
    assert main(["analyze", str(seed_path), *others, "-o", str(together), "--no-images", "-q"]) == 0
    for name in ("slogans.csv", "formulations.csv", "detections.csv", "mentions.csv"):
        one, three = alone / seed_path.stem / name, together / seed_path.stem / name
        assert one.read_bytes() == three.read_bytes(), name
    # The corpus tables compare the documents on every slogan of the run: a congress report's own quoted
    # slogans are counted in the seed there (as the text counts them), not in the seed's own table.
    corpus = {(r["document"], r["slogan"]): int(r["count"]) for r in rows(together / "corpus" / "slogans.csv")}
    own = {r["slogan"] for r in rows(together / seed_path.stem / "slogans.csv")}
    assert {slogan for document, slogan in corpus if document == seed_path.stem} >= own
    # A document's mentions are those of its own slogans, as many as its slogans table counts.
    for name in ("cpc_congress_19_2017", "cpc_congress_20_2022"):
        listed = rows(together / name / "slogans.csv")
        mentioned = [r["slogan"] for r in rows(together / name / "mentions.csv")]
        assert set(mentioned) <= {r["slogan"] for r in listed}
        assert len(mentioned) == sum(int(r["count"]) for r in listed)


def test_every_slogan_of_a_document_says_why_it_is_one(seed_analysis) -> None:  # type: ignore[no-untyped-def]
    detections = seed_analysis.tables["detections"].set_index("slogan")
    slogans = seed_analysis.tables["slogans"]
    assert set(detections.index) == set(slogans.slogan)
    assert (detections["evidence"].str.len() > 0).all()
    text = seed_analysis.document.text
    assert detections.loc["万亿之城再出发", "total"] == text.count("万亿之城再出发")
    assert detections.loc["万亿之城再出发", "evidence"] == "quoted here, not a common word"
    assert detections.loc["532", "evidence"] == "strategy code"  # “532”发展战略
    assert detections.loc["四个走在前", "kind"] == "numeric"
    assert detections.loc["守绝对忠诚之正 创政治建设之新", "kind"] == "couplet"
    assert detections.loc["高质量发展", "evidence"].startswith("in the lexicon")


def test_mined_phrases_are_listed_apart_unless_asked_for(seed_path: Path, tmp_path: Path) -> None:
    assert main(["analyze", str(seed_path), "-o", str(tmp_path / "a"), "--no-images", "-q"]) == 0
    assert main(["analyze", str(seed_path), "-o", str(tmp_path / "b"), "--no-images", "-q",
                 "--phrases-as-slogans"]) == 0
    table = rows(tmp_path / "a" / seed_path.stem / "phrases.csv")
    phrases = {r["phrase"] for r in table}
    assert all(r["documents"] == ("1" if int(r["count"]) else "0") for r in table)  # one document in the run
    kinds_a = {r["kind"] for r in rows(tmp_path / "a" / seed_path.stem / "slogans.csv")}
    mined_b = {r["slogan"] for r in rows(tmp_path / "b" / seed_path.stem / "slogans.csv") if r["kind"] == "mined"}
    assert "民生实事" in phrases and "mined" not in kinds_a
    assert "民生实事" in mined_b and mined_b <= phrases
