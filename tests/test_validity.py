"""Slogan validity on the CPC congress gold (issue 16): one fresh zhpolicy run, one test per target.

The measures are those of benchmarks/validity.py (imported by path). Targets not met by today's code
are strict xfails (today: quoted precision): the day a target is met the xfail fails, and its marker is to be removed.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCHMARK = Path(__file__).resolve().parent.parent / "benchmarks" / "validity.py"

LANDMARK_EXACT_RECALL = 0.95
"""Share of the gold (formulation, report) pairs with gold > 0 that zhpolicy counts exactly."""
NUMERIC_IN_NUMBERS = 0
"""Numeric-formula mentions allowed inside a run of numerals or right before 年 (九五 in 一九五六年)."""
QUOTED_PRECISION = 0.9
"""Share of zhpolicy's quoted/numeric slogans in the quoted gold that the gold judges slogan or name."""
LANDMARK_PAIRS = 614
"""(formulation, report) pairs with gold > 0 in tests/gold/cpc_congress_landmarks.csv."""

pytestmark = pytest.mark.slow


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("validity", BENCHMARK)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["validity"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


validity = _load()


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Any]:
    """zhpolicy's results on the twelve reports and on the seed, from a fresh run."""
    return validity.run_and_read(tmp_path_factory.mktemp("validity"))  # type: ignore[no-any-return]


def test_measures_cover_the_gold(run: tuple[dict[str, Any], Any]) -> None:
    results, _ = run
    assert sorted(results) == validity.congress_documents() and len(results) == 12
    assert validity.measure_landmarks(validity.read_landmarks(), results)["pairs"] == LANDMARK_PAIRS


def test_landmark_recall(run: tuple[dict[str, Any], Any]) -> None:
    results, _ = run
    m = validity.measure_landmarks(validity.read_landmarks(), results)
    assert m["exact_share"] >= LANDMARK_EXACT_RECALL, m["misses"][:20]


def test_no_numeric_formula_inside_numbers(run: tuple[dict[str, Any], Any]) -> None:
    results, _ = run
    m = validity.numeric_in_numbers(results)
    assert m["total"] <= NUMERIC_IN_NUMBERS, m["mentions"][:20]


def test_seed_slogans_exact(run: tuple[dict[str, Any], Any]) -> None:
    _, seed = run
    m = validity.seed_check(seed, validity.SEED.read_text(encoding="utf-8"))
    assert m["ok"], ([r for r in m["rows"] if not r["ok"]], m["family_missing"])


@pytest.mark.xfail(strict=True, reason="issue 16: quoted-slogan precision is 0.45 today (75/165): many quoted phrases are terms or citations")
def test_quoted_precision(run: tuple[dict[str, Any], Any]) -> None:
    results, _ = run
    m = validity.measure_quoted(validity.read_quoted(), results)
    assert m["precision"] >= QUOTED_PRECISION, m["false_positives"][:20]
