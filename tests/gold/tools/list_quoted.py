#!/usr/bin/env python3
"""Every quoted phrase of corpus/cpc_congress/ with its contexts and the gold's judgement, to re-check it.

A quoted phrase is what stands between “ ” (or 「 」, 『 』) before the Wikisource licence footer,
with the line breaks next to the quote marks stripped (09_1969 and 11_1977 write Mao's and Lenin's
words as “⏎…⏎”), 2-25 characters long, without sentence punctuation (，。；：！？ and their
half-width forms, …) or whitespace inside; the enumeration comma 、 is allowed.

Usage (from the worktree root):

    python tests/gold/tools/list_quoted.py            # every phrase, every context, the gold's judgement
    python tests/gold/tools/list_quoted.py 四人帮 台独   # only these phrases
    python tests/gold/tools/list_quoted.py --diff     # phrases missing from, or extra in, the gold CSV
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_landmark_counts import FOOTER_MARK, ROOT, reports  # noqa: E402

GOLD = ROOT / "tests" / "gold" / "cpc_congress_quoted.csv"
QUOTE = re.compile(r"“([^“”]*)”|「([^「」]*)」|『([^『』]*)』")
SENTENCE_PUNCTUATION = re.compile(r"[，。；：！？,.;:!?…\s]")
WIDTH = 15


def quoted(texts: dict[str, str]) -> dict[str, list[tuple[str, int, int, bool]]]:
    """phrase -> [(stem, start, end, written with line breaks inside the quote marks)] in text order."""
    found: dict[str, list[tuple[str, int, int, bool]]] = {}
    for stem, text in texts.items():
        for match in QUOTE.finditer(text, 0, text.index(FOOTER_MARK)):
            inner = next(group for group in match.groups() if group is not None)
            phrase = inner.strip()
            if 2 <= len(phrase) <= 25 and not SENTENCE_PUNCTUATION.search(phrase):
                found.setdefault(phrase, []).append((stem, match.start(), match.end(), inner != phrase))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("phrases", nargs="*", help="only these phrases")
    parser.add_argument("--diff", action="store_true", help="compare the phrases with the gold CSV")
    args = parser.parse_args(argv)
    texts = reports()
    found = quoted(texts)
    with GOLD.open(encoding="utf-8", newline="") as handle:
        gold = {row["phrase"]: row for row in csv.DictReader(handle)}
    if args.diff:
        print("missing from the gold:", sorted(set(found) - set(gold)))
        print("in the gold, not quoted:", sorted(set(gold) - set(found)))
        return 0
    for phrase, places in found.items():
        if args.phrases and phrase not in args.phrases:
            continue
        row = gold.get(phrase, {})
        print(f"== {phrase}  ×{len(places)}  gold: {row.get('judgement', '?')} ({row.get('reason', '')})")
        for stem, start, end, broken in places:
            text = texts[stem]
            context = (text[max(0, start - WIDTH):start] + "【" + text[start:end] + "】" + text[end:end + WIDTH])
            print(f"   {stem[13:]} @{start}: {context.replace(chr(10), '⏎')}{' [line breaks]' if broken else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
