"""The shipped lexicon's data (src/zhpolicy/data/lexicon.toml): its format, and that every file an entry
names as evidence holds the entry. Standard library and pytest only; zhpolicy is not imported."""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
LEXICON = ROOT / "src" / "zhpolicy" / "data" / "lexicon.toml"
SHARED_CONGRESS = Path("/work/shared/corpora/cpc_congress")
KEYS = {"phrase", "category", "since", "variants", "not_after", "not_before", "evidence"}
_TABLE = {**dict.fromkeys(map(ord, "\u200b\u2060\ufeff")), **{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}}


def normalise(text: str) -> str:
    """U+200B, U+2060 and U+FEFF removed, full-width ASCII (U+FF01-FF5E) folded to half-width."""
    return text.translate(_TABLE)


def congress_dir() -> Path:
    local = ROOT / "corpus" / "cpc_congress"
    return local if local.is_dir() else SHARED_CONGRESS


@lru_cache(maxsize=None)
def corpus() -> dict[str, Path]:
    files = {p.name: p for p in sorted(congress_dir().glob("*.txt"))}
    for pattern in ("*.txt", "*.md"):
        for path in sorted((ROOT / "corpus").glob(pattern)):
            files.setdefault(path.name, path)
    return files


@lru_cache(maxsize=None)
def text_of(name: str) -> str:
    return normalise(corpus()[name].read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def raw() -> str:
    return LEXICON.read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def entries() -> list[dict]:
    return tomllib.loads(raw())["entry"]


def header_categories(text: str) -> list[str]:
    block = text.split("# Categories", 1)[1].split("\n\n", 1)[0]
    return re.findall(r"^#\s+([a-z_]+)\s+=\s+\S", block, re.M)


def forms(entry: dict) -> list[str]:
    return [entry["phrase"], *entry.get("variants", [])]


def counted_at(text: str, form: str, not_after: str = "", not_before: str = "") -> int | None:
    """The first position of ``form`` in ``text`` with no character of not_after just before it and
    none of not_before just after it, else None."""
    start = text.find(form)
    while start >= 0:
        end = start + len(form)
        if not (start and text[start - 1] in not_after) and not (end < len(text) and text[end] in not_before):
            return start
        start = text.find(form, start + 1)
    return None


def holds(text: str, entry: dict) -> bool:
    return any(counted_at(text, normalise(form), entry.get("not_after", ""), entry.get("not_before", ""))
               is not None for form in forms(entry))


def test_the_lexicon_parses_with_its_header() -> None:
    data = tomllib.loads(raw())
    assert data["lexicon"]["version"] == "2026.12"
    assert "1949-2025" in data["lexicon"]["description"]
    assert raw().startswith("# zhpolicy lexicon of national policy formulations (提法), 1949-2025.")
    for key in ("evidence", "not_after", "not_before"):
        assert re.search(rf"^#\s+{key}\s+\(optional\)", raw(), re.M), key


def test_at_least_1500_entries_with_the_allowed_keys() -> None:
    assert len(entries()) >= 1500
    for entry in entries():
        assert set(entry) <= KEYS, entry
        assert isinstance(entry["phrase"], str) and entry["phrase"].strip(), entry
        assert isinstance(entry.get("variants", []), list), entry


def test_every_form_is_unique_and_well_formed() -> None:
    seen: dict[str, str] = {}
    for entry in entries():
        for form in forms(entry):
            assert isinstance(form, str) and form and form == form.strip(), (entry["phrase"], form)
            assert "。" not in form and "\n" not in form and "\r" not in form, form
            key = normalise(form)
            assert key not in seen, f"{form!r} of {entry['phrase']!r} is also a form of {seen[key]!r}"
            seen[key] = entry["phrase"]


def test_categories_are_those_of_the_header() -> None:
    categories = header_categories(raw())
    assert len(categories) == len(set(categories)) <= 18
    assert {"guiding_thought", "diplomacy"} <= set(categories)
    for entry in entries():
        assert entry["category"] in categories, entry


def test_entries_are_grouped_under_their_category_banner() -> None:
    banner = re.compile(r"^# ([a-z_]+) — ", re.M)
    sections = {m.group(1): m.start() for m in banner.finditer(raw())}
    starts = sorted(sections.values())
    for entry in entries():
        position = raw().index(f'[[entry]]\nphrase = "{entry["phrase"]}"\n')
        start = sections[entry["category"]]
        following = [s for s in starts if s > start]
        assert start < position < (following[0] if following else len(raw()) + 1), entry["phrase"]


def test_since_is_a_year_from_1921_to_2025() -> None:
    for entry in entries():
        if "since" in entry:
            assert type(entry["since"]) is int and 1921 <= entry["since"] <= 2025, entry


def test_not_after_and_not_before_are_strings_of_characters() -> None:
    for entry in entries():
        for key in ("not_after", "not_before"):
            if key in entry:
                assert isinstance(entry[key], str) and entry[key], entry


def test_evidence_names_shipped_files_sorted() -> None:
    claimed = [e for e in entries() if "evidence" in e]
    assert len(claimed) >= 500
    for entry in claimed:
        evidence = entry["evidence"]
        assert evidence and evidence == sorted(set(evidence)), entry
        assert set(evidence) <= set(corpus()), entry


def test_each_claimed_file_holds_the_entry_where_it_counts() -> None:
    failures = [(entry["phrase"], name) for entry in entries() for name in entry.get("evidence", [])
                if name in corpus() and not holds(text_of(name), entry)]
    assert not failures


def test_the_check_fails_for_a_broken_entry() -> None:
    entry = next(e for e in entries() if e["phrase"] == "新发展理念")
    assert "cpc_congress_17_2007.txt" not in entry["evidence"]
    text = text_of("cpc_congress_17_2007.txt")
    assert "创新发展理念" in text  # 创新 + 发展理念: held only through not_after
    assert not holds(text, entry)
    assert holds(text, {**entry, "not_after": ""})
    assert not holds(text_of("cpc_congress_09_1969.txt"), {"phrase": "新质生产力"})


@pytest.mark.parametrize("phrase", ["改革开放", "社会主义市场经济", "阶级斗争", "大跃进", "人民公社", "可持续发展",
                                    "和谐社会", "依法治国", "扩大内需", "碳达峰"])
def test_the_known_gaps_are_filled(phrase: str) -> None:
    assert any(normalise(phrase) in map(normalise, forms(e)) for e in entries()), phrase
