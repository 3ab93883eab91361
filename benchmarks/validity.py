"""Slogan validity against the hand-made gold files (tests/gold/), on texts the code was not tuned on.

Runs ``zhpolicy analyze`` on the twelve CPC congress reports (corpus/cpc_congress/*.txt) and on the
seed (corpus/tianning_2024_lianghui.md), or reads existing output folders, and measures:

a. landmark recall with exact per-report counts (tests/gold/cpc_congress_landmarks.csv);
b. false counts where the gold count is 0 (九五 inside 一九五六年);
c. quoted-slogan precision and recall (tests/gold/cpc_congress_quoted.csv);
d. the corpus's top slogans, with the gold judgement where one is known, to judge the rest by hand;
e. numeric formulas inside a run of numerals or right before 年;
f. the seed's slogans, counted as ``str.count`` of the normalised seed text;
g. a baseline: plain ``jieba.lcut`` tokens equal to a landmark form.

Usage::

    python benchmarks/validity.py [--out DIR] [--results DIR] [--json FILE] [--zhpolicy-args ARG ...]

Prints one short table per measure and writes benchmarks/validity.json. Reads only zhpolicy's output
files (slogans.csv, formulations.csv, mentions.csv), never its modules.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "cpc_congress"
SEED = ROOT / "corpus" / "tianning_2024_lianghui.md"
LANDMARKS = ROOT / "tests" / "gold" / "cpc_congress_landmarks.csv"
QUOTED = ROOT / "tests" / "gold" / "cpc_congress_quoted.csv"
JSON_OUT = ROOT / "benchmarks" / "validity.json"

NUMERALS = set("〇○零一二三四五六七八九十百千万两0123456789")
"""Characters of a number: a numeric formula next to one sits inside a number or a date."""
GENUINE = {"slogan", "name"}
"""Quoted-gold judgements that count as a slogan (the others are ``term`` and ``quote``)."""
SEED_SLOGANS = ("万亿之城再出发", "四个走在前", "六个常有", "532", "3511", "长三角三新经济高地、现代化城乡治理样板")
SEED_FAMILY = "常有X"
SEED_FAMILY_MEMBERS = ("常有善育", "常有优学", "常有健康", "常有颐养", "常有众扶", "常有安居")
TOP_N = 40


# ---------------------------------------------------------------------------------------- reading


def normalise(text: str) -> str:
    """The text as the gold files count it: zero-width characters removed, full-width ASCII folded."""
    table: dict[int, int | None] = {0x200B: None, 0x2060: None, 0xFEFF: None, 0x3000: 0x20}
    table.update({c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)})
    return text.translate(table)


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV written by zhpolicy or the gold files (UTF-8, with or without BOM)."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@dataclass(frozen=True)
class Landmark:
    """One row of the landmark gold: the formulation, its surface forms and the gold count per report."""

    formulation: str
    forms: tuple[str, ...]
    gold: dict[str, int]


def read_landmarks(path: Path = LANDMARKS) -> list[Landmark]:
    """The landmark gold rows; ``forms`` starts with the formulation, then its variants in order."""
    rows = read_csv(path)
    docs = [c for c in rows[0] if c.startswith("cpc_congress_")]
    return [Landmark(r["formulation"],
                     (r["formulation"], *[v for v in r["variants"].split("|") if v]),
                     {d: int(r[d]) for d in docs}) for r in rows]


def read_quoted(path: Path = QUOTED) -> dict[str, dict[str, str]]:
    """The quoted-phrase gold, by phrase."""
    return {r["phrase"]: r for r in read_csv(path)}


@dataclass
class DocResult:
    """What zhpolicy wrote for one document, summed over sections."""

    slogans: Counter[str] = field(default_factory=Counter)
    kinds: dict[str, str] = field(default_factory=dict)
    canonical: dict[str, str] = field(default_factory=dict)
    families: dict[str, str] = field(default_factory=dict)
    formulations: Counter[str] = field(default_factory=Counter)
    mentions: list[dict[str, str]] = field(default_factory=list)


def read_document(folder: Path) -> DocResult:
    """One document folder of zhpolicy's output (slogans.csv, formulations.csv, mentions.csv)."""
    doc = DocResult()
    for r in read_csv(folder / "slogans.csv"):
        doc.slogans[r["slogan"]] += int(r["count"])
        doc.kinds[r["slogan"]] = r["kind"]
        doc.canonical[r["slogan"]] = r["canonical"]
        doc.families[r["slogan"]] = r["family"]
    for r in read_csv(folder / "formulations.csv"):
        doc.formulations[r["canonical"]] += int(r["count"])
    if (folder / "mentions.csv").exists():
        doc.mentions = read_csv(folder / "mentions.csv")
    return doc


def read_results(out: Path, documents: list[str]) -> dict[str, DocResult]:
    """The given documents' folders under ``out``."""
    return {d: read_document(out / d) for d in documents}


def run_zhpolicy(inputs: list[Path], out: Path, args: Sequence[str] = ()) -> Path:
    """``python -m zhpolicy analyze INPUTS -o OUT --no-images -q ARGS`` with this interpreter."""
    cmd = [sys.executable, "-m", "zhpolicy", "analyze", *map(str, inputs), "-o", str(out),
           "--no-images", "-q", *args]
    subprocess.run(cmd, check=True, env={**_env(), "MPLBACKEND": "Agg"})
    return out


def _env() -> dict[str, str]:
    """The environment, with src/ on PYTHONPATH when zhpolicy is not installed from it."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "src"), env.get("PYTHONPATH", "")) if p)
    return env


def congress_documents() -> list[str]:
    """The stems of the twelve reports (SOURCES.md is not a report)."""
    return sorted(p.stem for p in CORPUS.glob("cpc_congress_*.txt"))


# ---------------------------------------------------------------------------------------- measures


def zhpolicy_count(landmark: Landmark, doc: DocResult) -> int:
    """zhpolicy's count of a landmark in one document.

    The formulations.csv count of the first form that is a canonical there; else the slogans.csv count
    of the first form that is a slogan; else 0.
    """
    for form in landmark.forms:
        if form in doc.formulations:
            return doc.formulations[form]
    for form in landmark.forms:
        if form in doc.slogans:
            return doc.slogans[form]
    return 0


def lexicon_known(landmark: Landmark, results: dict[str, DocResult]) -> bool:
    """Whether any form of the landmark is a ``lexicon`` slogan (or canonical of one) in some document."""
    forms = set(landmark.forms)
    return any(kind == "lexicon" and (s in forms or doc.canonical[s] in forms)
               for doc in results.values() for s, kind in doc.kinds.items())


def measure_landmarks(landmarks: list[Landmark], results: dict[str, DocResult]) -> dict[str, Any]:
    """(a) Exact-count recall over the (formulation, report) pairs with gold > 0, and (b) gold-0 false counts."""
    pairs = 0
    misses: list[dict[str, Any]] = []
    false_counts: list[dict[str, Any]] = []
    exact = found = 0
    for lm in landmarks:
        for d, gold in lm.gold.items():
            got = zhpolicy_count(lm, results[d])
            if gold == 0:
                if got > 0:
                    false_counts.append({"formulation": lm.formulation, "report": d, "gold": 0, "zhpolicy": got})
                continue
            pairs += 1
            exact += got == gold
            found += got > 0
            if got != gold:
                misses.append({"formulation": lm.formulation, "report": d, "gold": gold, "zhpolicy": got})
    known = [lm.formulation for lm in landmarks if lexicon_known(lm, results)]
    return {
        "pairs": pairs,
        "exact": exact,
        "exact_share": exact / pairs,
        "found": found,
        "found_share": found / pairs,
        "misses": misses,
        "over_counts": [m for m in misses if m["zhpolicy"] > m["gold"]],
        "lexicon_known": len(known),
        "lexicon_known_share": len(known) / len(landmarks),
        "lexicon_unknown": [lm.formulation for lm in landmarks if lm.formulation not in known],
        "gold_zero_false_counts": false_counts,
    }


def line_break_quotations(reason: str) -> int:
    """How many quotations the gold's reason marks as split by line breaks (``…quote marks: 09_1969 1×``)."""
    m = re.search(r"line breaks inside the quote marks: ([^]]*)", reason)
    return sum(int(k) for k in re.findall(r"(\d+)×", m.group(1))) if m else 0


def measure_quoted(quoted: dict[str, dict[str, str]], results: dict[str, DocResult]) -> dict[str, Any]:
    """(c) Precision of zhpolicy's quoted/numeric slogans that the gold judges; recall of gold slogans/names."""
    detected = {s for doc in results.values() for s, k in doc.kinds.items() if k in ("quoted", "numeric")}
    any_kind = {s for doc in results.values() for s in doc.slogans}
    judged = sorted(detected & quoted.keys())
    true = [p for p in judged if quoted[p]["judgement"] in GENUINE]
    gold = [p for p, r in quoted.items() if r["judgement"] in GENUINE]
    hit = [p for p in gold if p in any_kind]
    # Phrases quoted only across a line break (“⏎拥政爱民⏎”): out of reach of a one-line quote pattern.
    broken = {p for p, r in quoted.items() if line_break_quotations(r["reason"]) == int(r["quoted_times"])}
    reachable = [p for p in gold if p not in broken]
    return {
        "detected": len(detected),
        "judged": len(judged),
        "precision": len(true) / len(judged) if judged else 0.0,
        "false_positives": [{"phrase": p, "judgement": quoted[p]["judgement"]} for p in judged if p not in true],
        "gold": len(gold),
        "recall": len(hit) / len(gold),
        "recall_reachable": sum(p in any_kind for p in reachable) / len(reachable),
        "misses": [{"phrase": p, "judgement": quoted[p]["judgement"], "line_break_only": p in broken}
                   for p in gold if p not in any_kind],
    }


def top_slogans(results: dict[str, DocResult], landmarks: list[Landmark], quoted: dict[str, dict[str, str]],
                n: int = TOP_N) -> list[dict[str, Any]]:
    """(d) The ``n`` slogans with the highest total count over the documents, with any gold judgement."""
    totals: Counter[str] = Counter()
    kinds: dict[str, str] = {}
    for doc in results.values():
        totals.update(doc.slogans)
        kinds.update(doc.kinds)
    forms = {f: lm for lm in landmarks for f in lm.forms}
    rows = []
    for slogan, total in totals.most_common(n):
        judgement = quoted[slogan]["judgement"] if slogan in quoted else ""
        if slogan in forms:
            judgement = (judgement + " " if judgement else "") + f"landmark (gold {sum(forms[slogan].gold.values())})"
        rows.append({"slogan": slogan, "kind": kinds[slogan], "total": total, "judgement": judgement})
    return rows


def in_number(context: str, slogan: str) -> bool:
    """Whether the marked mention ``【slogan】`` in a KWIC context continues a run of numerals or precedes 年.

    A numeral next to the mention counts only on the side where the slogan itself has a numeral
    (一【九五】七年, 二【十五】; not 国内国际【两个市场】两种资源).
    """
    i = context.find(f"【{slogan}】")
    before = context[i - 1] if i > 0 else ""
    j = i + len(slogan) + 2
    after = context[j] if j < len(context) else ""
    return ((before in NUMERALS and slogan[0] in NUMERALS) or (after in NUMERALS and slogan[-1] in NUMERALS)
            or after == "年")


def numeric_in_numbers(results: dict[str, DocResult]) -> dict[str, Any]:
    """(e) Mentions of ``numeric`` slogans inside a run of numerals or right before 年, per report."""
    per_report: dict[str, int] = {}
    examples = []
    for d, doc in results.items():
        hits = [m for m in doc.mentions if doc.kinds.get(m["slogan"]) == "numeric"
                and in_number(m["context"], m["slogan"])]
        per_report[d] = len(hits)
        examples += [{"report": d, "slogan": m["slogan"], "context": m["context"]} for m in hits]
    return {"total": sum(per_report.values()), "per_report": per_report, "mentions": examples}


def seed_check(doc: DocResult, text: str) -> dict[str, Any]:
    """(f) The seed's slogans and the 常有X family, each against ``str.count`` of the normalised text."""
    text = normalise(text)
    family = sorted(s for s, f in doc.families.items() if f == SEED_FAMILY)
    rows = [{"slogan": s, "expected": text.count(s), "zhpolicy": doc.slogans.get(s, 0)}
            for s in (*SEED_SLOGANS, *SEED_FAMILY_MEMBERS)]
    for r in rows:
        r["ok"] = r["expected"] == r["zhpolicy"]
    missing_family = [s for s in SEED_FAMILY_MEMBERS if s not in family]
    return {"rows": rows, "family": family, "family_missing": missing_family,
            "ok": all(r["ok"] for r in rows) and not missing_family}


def jieba_baseline(landmarks: list[Landmark], corpus: Path = CORPUS) -> dict[str, Any]:
    """(g) Share of gold > 0 pairs that plain ``jieba.lcut`` gets exactly: tokens equal to a landmark form."""
    import jieba

    jieba.setLogLevel(60)
    tokens = {p.stem: Counter(jieba.lcut(normalise(p.read_text(encoding="utf-8"))))
              for p in sorted(corpus.glob("cpc_congress_*.txt"))}
    pairs = exact = found = false = 0
    for lm in landmarks:
        for d, gold in lm.gold.items():
            got = sum(tokens[d][f] for f in lm.forms)
            if gold == 0:
                false += got > 0
                continue
            pairs += 1
            exact += got == gold
            found += got > 0
    return {"pairs": pairs, "exact": exact, "exact_share": exact / pairs, "found_share": found / pairs,
            "gold_zero_false_counts": false}


# ---------------------------------------------------------------------------------------- driver


def measure(results: dict[str, DocResult], seed: DocResult, baseline: bool = True) -> dict[str, Any]:
    """All measures on read results; the jieba baseline unless ``baseline`` is false."""
    landmarks, quoted = read_landmarks(), read_quoted()
    out: dict[str, Any] = {
        "landmarks": measure_landmarks(landmarks, results),
        "quoted": measure_quoted(quoted, results),
        "top": top_slogans(results, landmarks, quoted),
        "numeric_in_numbers": numeric_in_numbers(results),
        "seed": seed_check(seed, SEED.read_text(encoding="utf-8")),
    }
    if baseline:
        out["jieba_baseline"] = jieba_baseline(landmarks)
    return out


def run_and_read(out: Path, args: Sequence[str] = ()) -> tuple[dict[str, DocResult], DocResult]:
    """Run zhpolicy on the reports (OUT/congress) and the seed (OUT/seed) and read the results."""
    docs = congress_documents()
    run_zhpolicy([CORPUS / f"{d}.txt" for d in docs], out / "congress", list(args))
    run_zhpolicy([SEED], out / "seed", list(args))
    return read_results(out / "congress", docs), read_document(out / "seed" / SEED.stem)


def _table(title: str, header: list[str], rows: list[list[Any]]) -> None:
    """Print a small aligned table."""
    print(f"\n== {title}")
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)] if rows else [len(h) for h in header]
    for row in [header, *rows]:
        print("  ".join(str(x).ljust(w) for x, w in zip(row, widths)).rstrip())


def report(m: dict[str, Any]) -> None:
    """Print one short table per measure."""
    lm = m["landmarks"]
    _table("a. landmark recall (gold > 0 pairs)", ["measure", "value"], [
        ["pairs", lm["pairs"]],
        ["exact count", f"{lm['exact']} ({lm['exact_share']:.3f})"],
        ["found at all", f"{lm['found']} ({lm['found_share']:.3f})"],
        ["over-counts", len(lm["over_counts"])],
        ["lexicon knows", f"{lm['lexicon_known']}/138 ({lm['lexicon_known_share']:.3f})"]])
    _table("a. misses (formulation, report, gold, zhpolicy)", ["formulation", "report", "gold", "zhpolicy"],
           [[x["formulation"], x["report"][13:], x["gold"], x["zhpolicy"]] for x in lm["misses"]])
    _table("b. counted where gold is 0", ["formulation", "report", "zhpolicy"],
           [[x["formulation"], x["report"][13:], x["zhpolicy"]] for x in lm["gold_zero_false_counts"]])
    q = m["quoted"]
    _table("c. quoted/numeric slogans vs quoted gold", ["measure", "value"], [
        ["detected quoted/numeric", q["detected"]], ["of them in gold", q["judged"]],
        ["precision", f"{q['precision']:.3f}"], ["gold slogan/name", q["gold"]],
        ["recall", f"{q['recall']:.3f}"], ["recall (one-line quotes)", f"{q['recall_reachable']:.3f}"]])
    _table("c. false positives", ["phrase", "judgement"], [[x["phrase"], x["judgement"]] for x in q["false_positives"]])
    _table("c. misses", ["phrase", "judgement", "line break only"],
           [[x["phrase"], x["judgement"], "yes" if x["line_break_only"] else ""] for x in q["misses"]])
    _table(f"d. top {TOP_N} slogans", ["slogan", "kind", "total", "gold"],
           [[x["slogan"], x["kind"], x["total"], x["judgement"]] for x in m["top"]])
    e = m["numeric_in_numbers"]
    _table(f"e. numeric formulas inside numbers/dates: {e['total']}", ["report", "mentions"],
           [[d[13:], k] for d, k in e["per_report"].items()])
    for x in e["mentions"][:15]:
        print(f"   {x['report'][13:]} {x['slogan']}: {x['context']}")
    s = m["seed"]
    _table(f"f. seed ({'ok' if s['ok'] else 'NOT ok'}; 常有X family: {len(s['family'])})",
           ["slogan", "str.count", "zhpolicy", "ok"],
           [[x["slogan"], x["expected"], x["zhpolicy"], "ok" if x["ok"] else "NO"] for x in s["rows"]])
    if "jieba_baseline" in m:
        j = m["jieba_baseline"]
        _table("jieba.lcut baseline (tokens equal to a landmark form)", ["measure", "value"], [
            ["exact count", f"{j['exact']}/{j['pairs']} ({j['exact_share']:.3f})"],
            ["found at all", f"{j['found_share']:.3f}"], ["gold-0 pairs counted", j["gold_zero_false_counts"]]])


def main(argv: list[str] | None = None) -> int:
    """Run or read zhpolicy's outputs, print the measures and write the JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, help="keep zhpolicy's outputs here (OUT/congress, OUT/seed)")
    ap.add_argument("--results", type=Path, help="read this existing output folder of the congress reports")
    ap.add_argument("--seed-results", type=Path,
                    help="output folder of the seed (default: RESULTS/tianning_2024_lianghui if there, else run)")
    ap.add_argument("--json", type=Path, default=JSON_OUT, help=f"write the measures here (default: {JSON_OUT})")
    ap.add_argument("--no-baseline", action="store_true", help="skip the jieba baseline")
    ap.add_argument("--zhpolicy-args", nargs=argparse.REMAINDER, default=[], help="passed on to zhpolicy analyze")
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="zhpolicy-validity-") as tmp:
        out = a.out or Path(tmp)
        if a.results:
            results = read_results(a.results, congress_documents())
            seed_dir = a.seed_results or a.results
            if not (seed_dir / SEED.stem).exists():
                seed_dir = run_zhpolicy([SEED], out / "seed", a.zhpolicy_args)
            seed = read_document(seed_dir / SEED.stem)
        else:
            results, seed = run_and_read(out, a.zhpolicy_args)
        m = measure(results, seed, baseline=not a.no_baseline)
    report(m)
    a.json.write_text(json.dumps(m, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"\nwrote {a.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
