"""Peak memory of reading, sectioning and counting a large report (issue 6): not a test, a measurement.

Builds a synthetic report of about SIZE MB (the shipped seed repeated) in benchmarks/data/, then runs
each stage in a fresh Python process and reports its peak resident set size (ru_maxrss) above the
interpreter with zhpolicy imported, as a multiple of the file size:

    .venv/bin/python benchmarks/memory_large.py            # 200 MB, UTF-8
    .venv/bin/python benchmarks/memory_large.py --size 50 --encoding gb18030

Stages: ``read`` (read_document: decode, normalise, clean), ``sections`` (+ split_sections),
``count`` (+ detect_slogans and count_slogans over all sections). Segmentation (jieba) and TF-IDF are
not included: jieba runs at about 0.7 MB/s, so 200 MB would take some five minutes per run.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "tianning_2024_lianghui.md"

CHILD = r"""
import json, resource, sys, time
import zhpolicy
from zhpolicy.sections import split_sections
from zhpolicy.slogans.count import count_slogans
from zhpolicy.slogans.detect import detect_slogans

stage, path, clean = sys.argv[1], sys.argv[2], sys.argv[3]
lexicon = zhpolicy.load_lexicon()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
result = {}
if stage != "baseline":
    document = zhpolicy.read_document(path, clean=clean)
    result["chars"] = len(document.text)
    result["encoding"] = document.encoding
    if stage in ("sections", "count"):
        sections = split_sections(document)
        result["sections"] = len(sections)
        if stage == "count":
            slogans = detect_slogans([document.text], lexicon)
            counts = count_slogans(sections, slogans)
            result["slogans"] = len(slogans)
            result["万亿之城再出发"] = sum(c.count for c in counts if c.slogan.text == "万亿之城再出发")
result["seconds"] = round(time.perf_counter() - start, 1)
result["baseline_mb"] = base / 1024
result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(result, ensure_ascii=False))
"""


def make_input(size_mb: int, encoding: str) -> Path:
    seed = SEED.read_text(encoding="utf-8")
    data = seed.encode(encoding)
    copies = max(1, size_mb * 1_000_000 // len(data))
    path = ROOT / "benchmarks" / "data" / f"large_{size_mb}mb_{encoding}.txt"
    if not path.exists() or path.stat().st_size != copies * len(data):
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            for _ in range(copies):
                handle.write(data)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=200, help="file size in MB (default: 200)")
    parser.add_argument("--encoding", default="utf-8", help="encoding of the synthetic file (default: utf-8)")
    parser.add_argument("--clean", default="safe", help="cleaning steps, as --clean of the CLI (default: safe)")
    parser.add_argument("--stages", default="baseline,read,sections,count")
    args = parser.parse_args()
    path = make_input(args.size, args.encoding)
    size_mb = path.stat().st_size / 2**20
    print(f"input: {path.name}, {size_mb:.0f} MiB ({args.encoding}), cleaning {args.clean}")
    print(f"{'stage':<10} {'peak RSS MiB':>12} {'above baseline':>15} {'x file size':>11} {'seconds':>8}  details")
    baseline = None
    for stage in args.stages.split(","):
        started = time.perf_counter()
        run = subprocess.run([sys.executable, "-c", CHILD, stage, str(path), args.clean], capture_output=True,
                             text=True, check=True)
        result = json.loads(run.stdout)
        baseline = result["baseline_mb"] if baseline is None else baseline
        above = result["peak_mb"] - result["baseline_mb"]
        details = {k: v for k, v in result.items() if k not in ("baseline_mb", "peak_mb", "seconds")}
        print(f"{stage:<10} {result['peak_mb']:>12.0f} {above:>15.0f} {above / size_mb:>11.2f} "
              f"{result['seconds']:>8.1f}  {json.dumps(details, ensure_ascii=False)}"
              f"  (process {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
