#!/usr/bin/env python3
"""Benchmark (not a test): count a 1,000-entry lexicon over a 10 MB corpus.

Compares zhpolicy's one-pass Aho-Corasick counting (find_mentions) with one ``str.count`` per pattern
per section, checks that both give the same numbers, and puts both against raw ``jieba.lcut`` on the
same text in the same run. Prints a table and writes benchmarks/results_lexicon.json.

    .venv/bin/python benchmarks/bench_lexicon.py [--mb 10] [--entries 1000]
"""
from __future__ import annotations

import argparse
import json
import platform
import random
import time
from collections import Counter
from pathlib import Path

import zhpolicy
from zhpolicy.sections import split_sections
from zhpolicy.slogans.count import find_mentions

HERE = Path(__file__).resolve().parent
SEED = HERE.parent / "corpus" / "tianning_2024_lianghui.md"


def make_corpus(megabytes: float, rng: random.Random) -> str:
    """The seed's paragraphs, shuffled and repeated under its ten headings until the text reaches the size."""
    seed = SEED.read_text(encoding="utf-8")
    paragraphs = [p for p in seed.split("\n\n") if p.strip() and not p.startswith("#")]
    headings = [line for line in seed.splitlines() if line.startswith("## ")]
    parts: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        for heading in headings:
            block = "\n\n".join(rng.sample(paragraphs, k=8))
            parts.append(f"{heading}\n\n{block}\n\n")
            size += len(parts[-1].encode("utf-8"))
    return "".join(parts)


def make_lexicon(entries: int, text: str, rng: random.Random) -> list[str]:
    """The shipped lexicon's forms, the seed's slogans, then random 3-6 character strings of the text."""
    forms = list(zhpolicy.load_lexicon().forms())
    seed_text = SEED.read_text(encoding="utf-8")
    seed_slogans = [s.text for s in zhpolicy.detect_slogans([seed_text], zhpolicy.Lexicon(entries=()))]
    patterns = list(dict.fromkeys(seed_slogans + forms))
    while len(patterns) < entries:
        start = rng.randrange(len(text) - 8)
        candidate = text[start:start + rng.randint(3, 6)]
        if candidate.strip() and "\n" not in candidate and candidate not in patterns:
            patterns.append(candidate)
    return patterns[:entries]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--jieba-mb", type=float, default=1.0, help="size of the slice raw jieba segments")
    args = parser.parse_args()
    rng = random.Random(20240110)
    text = make_corpus(args.mb, rng)
    megabytes = len(text.encode("utf-8")) / 1e6
    sections = split_sections(text)
    patterns = make_lexicon(args.entries, text, rng)

    start = time.perf_counter()
    mentions = find_mentions(sections, patterns)
    aho_seconds = time.perf_counter() - start
    aho_counts = Counter((m.section, m.slogan) for m in mentions)

    start = time.perf_counter()
    str_counts = Counter()
    for section in sections:
        for pattern in patterns:
            count = section.text.count(pattern)
            if count:
                str_counts[(section.number, pattern)] = count
    str_seconds = time.perf_counter() - start

    import logging

    import jieba

    logging.getLogger("jieba").setLevel(logging.WARNING)
    jieba.initialize()
    logging.getLogger("jieba").setLevel(logging.WARNING)
    piece = text[: int(args.jieba_mb * 1_000_000 / 3)]
    piece_mb = len(piece.encode("utf-8")) / 1e6
    start = time.perf_counter()
    jieba.lcut(piece)
    jieba_mbps = piece_mb / (time.perf_counter() - start)

    results = {
        "machine": {"processor": platform.processor() or platform.machine(), "python": platform.python_version(),
                    "cpus": __import__("os").cpu_count()},
        "corpus_mb": round(megabytes, 2),
        "sections": len(sections),
        "patterns": len(patterns),
        "mentions": len(mentions),
        "counts_equal": aho_counts == str_counts,
        "aho_corasick_mb_per_s": round(megabytes / aho_seconds, 2),
        "str_count_mb_per_s": round(megabytes / str_seconds, 2),
        "raw_jieba_mb_per_s": round(jieba_mbps, 2),
        "aho_vs_str_count": round(str_seconds / aho_seconds, 2),
        "aho_vs_raw_jieba": round(megabytes / aho_seconds / jieba_mbps, 2),
    }
    width = max(len(key) for key in results)
    for key, value in results.items():
        print(f"{key:<{width}}  {value}")
    (HERE / "results_lexicon.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    if not results["counts_equal"]:
        raise SystemExit("counts differ between Aho-Corasick and str.count")


if __name__ == "__main__":
    main()
