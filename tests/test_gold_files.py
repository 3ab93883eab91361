"""The hand-made gold files of tests/gold/ agree with the texts of corpus/cpc_congress/.

Checks the gold itself, not zhpolicy (nothing of zhpolicy is imported): the corpus files exist;
every landmark count is the raw count of its forms minus the exclusions its notes list; every
quoted phrase stands in quotes as often, and in exactly the documents, the gold says; and the
quoted list is complete. See tests/gold/README.md for the counting rule.
"""
from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "cpc_congress"
GOLD = ROOT / "tests" / "gold"
LANDMARKS = GOLD / "cpc_congress_landmarks.csv"
QUOTED = GOLD / "cpc_congress_quoted.csv"

STEMS = [
    "cpc_congress_09_1969", "cpc_congress_10_1973", "cpc_congress_11_1977", "cpc_congress_12_1982",
    "cpc_congress_13_1987", "cpc_congress_14_1992", "cpc_congress_15_1997", "cpc_congress_16_2002",
    "cpc_congress_17_2007", "cpc_congress_18_2012", "cpc_congress_19_2017", "cpc_congress_20_2022",
]
FOOTER_MARK = "本作品来自1949年10月1日"
JUDGEMENTS = {"slogan", "name", "term", "quote"}
# One exclusion in a landmark row's notes: "20_2022: 1× 创新发展理念 (...) excluded".
EXCLUSION = re.compile(r"(\d\d_\d{4}): (\d+)× [^;]*? excluded")
QUOTE = re.compile(r"“([^“”]*)”|「([^「」]*)」|『([^『』]*)』")
SENTENCE_PUNCTUATION = re.compile(r"[，。；：！？,.;:!?…\s]")

_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x200B: None, 0x2060: None, 0xFEFF: None, 0x3000: 0x20})


def normalise(text: str) -> str:
    """The text as zhpolicy counts it: invisible characters removed, full-width ASCII made half-width."""
    return text.replace("\r\n", "\n").translate(_WIDTH)


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return {stem: normalise((CORPUS / f"{stem}.txt").read_text(encoding="utf-8")) for stem in STEMS}


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    data = path.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf"), f"{path.name} starts with a BOM"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def raw_count(text: str, forms: list[str]) -> int:
    """Occurrences of the forms, one lying inside an occurrence of a longer form counted once."""
    spans = []
    for form in forms:
        spans += [(m.start(), m.end()) for m in re.finditer(re.escape(form), text)]  # as str.count: no overlaps
    spans.sort(key=lambda span: span[0] - span[1])  # longest first
    kept: list[tuple[int, int]] = []
    for start, end in spans:
        if not any(a <= start and end <= b for a, b in kept):
            kept.append((start, end))
    return len(kept)


def quoted_occurrences(texts: dict[str, str]) -> dict[str, Counter[str]]:
    """phrase -> {stem: times quoted}: every quotation before the licence footer, stripped of the line
    breaks next to its quote marks, of 2-25 characters without sentence punctuation or spaces."""
    found: dict[str, Counter[str]] = defaultdict(Counter)
    for stem, text in texts.items():
        for match in QUOTE.finditer(text, 0, text.index(FOOTER_MARK)):
            phrase = next(group for group in match.groups() if group is not None).strip()
            if 2 <= len(phrase) <= 25 and not SENTENCE_PUNCTUATION.search(phrase):
                found[phrase][stem] += 1
    return found


# --- the corpus -------------------------------------------------------------------------------------

def test_every_corpus_file_exists():
    assert sorted(path.stem for path in CORPUS.glob("*.txt")) == STEMS
    assert (CORPUS / "SOURCES.md").is_file()
    assert (ROOT / "corpus" / "tianning_2024_lianghui.md").is_file()


def test_every_report_ends_with_the_licence_footer(texts):
    for stem, text in texts.items():
        footer = text.find(FOOTER_MARK)
        assert footer > 0.9 * len(text), stem


# --- landmark formulations -------------------------------------------------------------------------

def test_landmark_columns():
    header, rows = read_rows(LANDMARKS)
    assert header == ["formulation", "category", "variants", *STEMS, "notes"]
    assert len(rows) >= 80
    formulations = [row["formulation"] for row in rows]
    assert len(set(formulations)) == len(formulations)
    for row in rows:
        assert row["formulation"] and row["category"], row
        assert all(form for form in row["variants"].split("|")) or row["variants"] == "", row
        for stem in STEMS:
            assert row[stem].isdigit(), (row["formulation"], stem, row[stem])


def test_landmark_counts_are_raw_counts_minus_the_listed_exclusions(texts):
    _, rows = read_rows(LANDMARKS)
    problems = []
    for row in rows:
        forms = [row["formulation"], *filter(None, row["variants"].split("|"))]
        excluded = Counter()
        for report, times in EXCLUSION.findall(row["notes"]):
            assert f"cpc_congress_{report}" in STEMS, (row["formulation"], report)
            excluded[report] += int(times)
        for stem in STEMS:
            gold, raw = int(row[stem]), raw_count(texts[stem], forms)
            if gold > raw:
                problems.append(f"{row['formulation']} {stem}: gold {gold} > raw {raw}")
            elif stem[13:] not in excluded and gold != raw:
                problems.append(f"{row['formulation']} {stem}: gold {gold} != raw {raw}, notes list no exclusion")
            elif gold != raw - excluded[stem[13:]]:
                problems.append(f"{row['formulation']} {stem}: gold {gold} != raw {raw} - "
                                f"{excluded[stem[13:]]} excluded in the notes")
    assert not problems, "\n".join(problems)


def test_landmarks_span_every_report_and_era():
    _, rows = read_rows(LANDMARKS)
    for stem in STEMS:
        assert sum(int(row[stem]) > 0 for row in rows) >= 10, stem
    several_eras = [row for row in rows if sum(int(row[stem]) > 0 for stem in STEMS) >= 6]
    assert len(several_eras) >= 10
    assert sum(any(int(row[stem]) for stem in STEMS) for row in rows) >= 0.9 * len(rows)


def test_raw_count_counts_a_nested_form_once():
    assert raw_count("深化放管服改革,放管服", ["放管服改革", "放管服"]) == 2
    assert raw_count("创新发展理念", ["新发展理念"]) == 1
    assert raw_count("aaa", ["aa"]) == "aaa".count("aa") == 1
    assert raw_count("抓革命,促生产;抓革命、促生产", ["抓革命,促生产", "抓革命、促生产"]) == 2


# --- quoted phrases ---------------------------------------------------------------------------------

def test_quoted_columns_and_judgements():
    header, rows = read_rows(QUOTED)
    assert header == ["phrase", "documents", "quoted_times", "judgement", "reason"]
    phrases = [row["phrase"] for row in rows]
    assert len(set(phrases)) == len(phrases)
    for row in rows:
        assert row["judgement"] in JUDGEMENTS, row
        assert row["reason"].strip(), row
        assert 2 <= len(row["phrase"]) <= 25 and not SENTENCE_PUNCTUATION.search(row["phrase"]), row
        assert row["quoted_times"].isdigit() and int(row["quoted_times"]) >= 1, row
        documents = row["documents"].split("|")
        assert documents == sorted(set(documents)) and set(documents) <= set(STEMS), row


def test_every_quoted_phrase_stands_in_quotes_as_often_as_the_gold_says(texts):
    _, rows = read_rows(QUOTED)
    found = quoted_occurrences(texts)
    problems = []
    for row in rows:
        phrase, documents = row["phrase"], row["documents"].split("|")
        for stem in documents:
            body = texts[stem][:texts[stem].index(FOOTER_MARK)]
            pattern = f"[“「『]\\s*{re.escape(phrase)}\\s*[”」』]"
            if not re.search(pattern, body):
                problems.append(f"{phrase}: not in quotes in {stem}")
        if sorted(found[phrase]) != documents:
            problems.append(f"{phrase}: quoted in {sorted(found[phrase])}, gold says {documents}")
        if sum(found[phrase].values()) != int(row["quoted_times"]):
            problems.append(f"{phrase}: quoted {sum(found[phrase].values())} times, gold says {row['quoted_times']}")
    assert not problems, "\n".join(problems)


def test_the_quoted_list_is_complete(texts):
    _, rows = read_rows(QUOTED)
    missing = set(quoted_occurrences(texts)) - {row["phrase"] for row in rows}
    assert not missing, sorted(missing)


def test_no_quotation_of_the_licence_footer_is_listed(texts):
    _, rows = read_rows(QUOTED)
    footer_quotes = {next(g for g in m.groups() if g is not None).strip()
                     for text in texts.values() for m in QUOTE.finditer(text, text.index(FOOTER_MARK))}
    assert footer_quotes == {"具有立法、司法、行政性质的文件", "直属机构"}
    assert not footer_quotes & {row["phrase"] for row in rows}
