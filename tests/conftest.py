"""Shared fixtures: the shipped seed report and its sections, split independently of zhpolicy."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "tianning_2024_lianghui.md"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_sections(seed_text: str) -> list[str]:
    """The seed's sections the plain way: each line starting with '## ' opens one."""
    sections: list[list[str]] = []
    for line in seed_text.splitlines(keepends=True):
        if line.startswith("## "):
            sections.append([])
        if sections:
            sections[-1].append(line)
    return ["".join(lines) for lines in sections]


@pytest.fixture(scope="session")
def seed_analysis():  # type: ignore[no-untyped-def]
    import zhpolicy

    return zhpolicy.analyze([zhpolicy.read_document(SEED)])[0]
