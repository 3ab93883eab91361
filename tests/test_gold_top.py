"""The congress corpus's top slogans are real slogans or formulations, by hand judgement (issue 16)."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from zhpolicy.cli import main

ROOT = Path(__file__).resolve().parent.parent
JUDGED = ROOT / "tests" / "gold" / "cpc_congress_top_slogans.csv"
TOP = 40
MIN_REAL_SHARE = 0.9


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_judgements_are_well_formed() -> None:
    rows = read(JUDGED)
    assert len(rows) >= TOP and len({r["phrase"] for r in rows}) == len(rows)
    assert {r["judgement"] for r in rows} <= {"formulation", "slogan", "name", "not"}
    assert all(r["reason"] for r in rows)


@pytest.mark.slow
def test_the_corpus_top_slogans_are_real(tmp_path: Path) -> None:
    assert main(["analyze", str(ROOT / "corpus" / "cpc_congress"), "-o", str(tmp_path), "--no-images", "-q"]) == 0
    top = [row["slogan"] for row in read(tmp_path / "corpus" / "detections.csv")][:TOP]
    judged = {row["phrase"]: row["judgement"] for row in read(JUDGED)}
    unjudged = [phrase for phrase in top if phrase not in judged]
    assert not unjudged, f"judge these by hand in {JUDGED.name}: {unjudged}"
    real = [phrase for phrase in top if judged[phrase] != "not"]
    assert len(real) >= MIN_REAL_SHARE * TOP, [phrase for phrase in top if judged[phrase] == "not"]
