#!/usr/bin/env python3
"""Raw counts and every context of the landmark formulations, for re-checking the hand-made gold.

Prints, for every formulation of tests/gold/cpc_congress_landmarks.csv (or the forms given with
--forms), the raw count in each report of corpus/cpc_congress/ and every occurrence with 15
characters either side, so that a reviewer can judge each match again. The gold CSV is NOT written
by this script: its counts are a hand judgement made after reading these contexts.

Counting rule (the one the gold applies, see tests/gold/README.md):

* the text is normalised as zhpolicy normalises it for counting: U+200B, U+2060 and U+FEFF removed,
  full-width ASCII U+FF01-U+FF5E made half-width, U+3000 made a space (U+00A0 too, and CRLF/CR
  made LF, which changes nothing in these files);
* every surface form (the formulation and its variants) is counted with str.count; an occurrence of
  a form that lies inside an occurrence of a longer form of the same formulation is counted once;
* the hand judgement then subtracts matches that are not the formulation (cut across a word
  boundary, inside the Wikisource licence footer); those are listed in the CSV's notes.

Usage (from the worktree root):

    python tests/gold/tools/make_landmark_counts.py              # every row, every context
    python tests/gold/tools/make_landmark_counts.py -f 九五 -f 十五   # only these rows
    python tests/gold/tools/make_landmark_counts.py --forms '新发展理念'   # ad-hoc forms, | separated
    python tests/gold/tools/make_landmark_counts.py --check     # only rows where gold != raw
    python tests/gold/tools/make_landmark_counts.py --summary   # raw counts table, no contexts

Occurrences inside the licence footer are marked [FOOTER]; --check also reports occurrences that
exist only when line breaks are removed (a formulation cut by a hard line break, which str.count
and zhpolicy do not see; the gold does not count them either).
"""
from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "corpus" / "cpc_congress"
GOLD = ROOT / "tests" / "gold" / "cpc_congress_landmarks.csv"
#: The Wikisource licence notice that every file ends with starts here.
FOOTER_MARK = "本作品来自1949年10月1日"
WIDTH = 15

_TABLE = {0x200B: None, 0x2060: None, 0xFEFF: None, 0x3000: 0x20, 0x00A0: 0x20}
_TABLE.update({code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)})


def normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_TABLE)


def reports() -> dict[str, str]:
    """File stem -> normalised text, in file order."""
    return {path.stem: normalise(path.read_text(encoding="utf-8")) for path in sorted(CORPUS.glob("*.txt"))}


def occurrences(text: str, forms: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, form) of every occurrence of the forms, one inside a longer form's occurrence dropped."""
    found = []
    for form in forms:
        start = text.find(form)
        while start >= 0:
            found.append((start, start + len(form), form))
            start = text.find(form, start + len(form))  # str.count: non-overlapping
    found.sort(key=lambda occ: (-(occ[1] - occ[0]), occ[0]))
    kept: list[tuple[int, int, str]] = []
    for occ in found:
        if not any(k[0] <= occ[0] and occ[1] <= k[1] for k in kept):
            kept.append(occ)
    return sorted(kept)


def context(text: str, start: int, end: int, width: int = WIDTH) -> str:
    left = text[max(0, start - width):start]
    right = text[end:end + width]
    return (left + "【" + text[start:end] + "】" + right).replace("\n", "⏎")


def gold_rows() -> list[dict[str, str]]:
    with GOLD.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-f", "--formulation", action="append", help="only this gold row (repeatable)")
    parser.add_argument("--forms", action="append", help="ad-hoc forms to count, | separated (repeatable)")
    parser.add_argument("--check", action="store_true", help="only rows/reports where the gold differs from raw")
    parser.add_argument("--summary", action="store_true", help="raw counts only, no contexts")
    args = parser.parse_args(argv)

    texts = reports()
    if args.forms:
        rows = [{"formulation": f.split("|")[0], "variants": "|".join(f.split("|")[1:])} for f in args.forms]
    else:
        rows = gold_rows()
        if args.formulation:
            rows = [row for row in rows if row["formulation"] in args.formulation]
    for row in rows:
        forms = [row["formulation"]] + [v for v in row.get("variants", "").split("|") if v]
        raw = {stem: occurrences(text, forms) for stem, text in texts.items()}
        gold = {stem: row.get(stem) for stem in texts}
        if args.check:
            diff = [stem for stem in texts if gold[stem] is not None and int(gold[stem]) != len(raw[stem])]
            split = {stem: len(occurrences(text.replace("\n", ""), forms)) - len(raw[stem])
                     for stem, text in texts.items()}
            split = {stem: n for stem, n in split.items() if n > 0}
            if not diff and not split:
                continue
        print(f"== {row['formulation']}  forms: {' | '.join(forms)}")
        print("   raw:  " + " ".join(f"{stem[13:15]}:{len(occ)}" for stem, occ in raw.items()))
        if any(v is not None for v in gold.values()):
            print("   gold: " + " ".join(f"{stem[13:15]}:{gold[stem]}" for stem in texts))
            if row.get("notes"):
                print(f"   notes: {row['notes']}")
        if args.summary:
            continue
        for stem, occs in raw.items():
            if args.check and stem not in diff:
                continue
            text = texts[stem]
            footer = text.find(FOOTER_MARK)
            for start, end, _form in occs:
                mark = " [FOOTER]" if 0 <= footer <= start else ""
                print(f"   {stem[13:]} @{start}: {context(text, start, end)}{mark}")
        if args.check and split:
            print("   cut by a line break (not counted by str.count): "
                  + ", ".join(f"{stem[13:]}: {n}" for stem, n in split.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
