"""Run one zhpolicy command in this process with each stage timed; print one JSON line (used by bench.py).

    python benchmarks/_child.py analyze INPUT -o DIR --no-images --workers 2

Stages are timed by wrapping the library's functions; nothing of zhpolicy is changed. Peak memory is
this process's high-water resident set (VmHWM) and the largest ru_maxrss of its finished children (the
worker processes, forked from it: their figure includes the pages they share with it).
"""
from __future__ import annotations

import json
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

START = time.perf_counter()
STAGES: dict[str, float] = defaultdict(float)


def timed(module: Any, name: str, label: str) -> None:
    original: Callable[..., Any] | None = getattr(module, name, None)
    if original is None:  # not in this version of zhpolicy
        return

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            STAGES[label] += time.perf_counter() - began

    setattr(module, name, wrapper)


def peak_rss_mb() -> float:
    """This process's peak resident memory (MB) since it started: VmHWM, which belongs to the program
    image. ru_maxrss is not used for it: Linux carries it over from the forked parent across exec, so
    a child of a big benchmark process would report the parent's memory."""
    try:
        for line in open("/proc/self/status", encoding="ascii"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_iter(module: Any, name: str, label: str) -> None:
    """Time a generator: the time spent getting each of its items (not what the caller does with them)."""
    original: Callable[..., Any] | None = getattr(module, name, None)
    if original is None:  # not in this version of zhpolicy
        return

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        items = original(*args, **kwargs)
        while True:
            began = time.perf_counter()
            try:
                item = next(items)
            except StopIteration:
                return
            finally:
                STAGES[label] += time.perf_counter() - began
            yield item

    setattr(module, name, wrapper)


def timed_wait(module: Any, name: str, label: str) -> None:
    """Time a function that starts work and returns a function waiting for it: both parts count."""
    original: Callable[..., Any] = getattr(module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        wait = original(*args, **kwargs)
        STAGES[label] += time.perf_counter() - began

        def timed_result() -> Any:
            began = time.perf_counter()
            try:
                return wait()
            finally:
                STAGES[label] += time.perf_counter() - began

        return timed_result

    setattr(module, name, wrapper)


def main() -> int:
    import zhpolicy.cli
    import zhpolicy.figures
    import zhpolicy.outputs
    import zhpolicy.pipeline
    import zhpolicy.read
    import zhpolicy.tokens

    imported = time.perf_counter() - START
    pipeline = zhpolicy.pipeline
    timed(zhpolicy.read, "read_document", "read")
    timed(zhpolicy.slogans, "load_lexicon", "lexicon")
    timed(pipeline, "detect_slogans", "detect slogans")
    timed(pipeline, "_segment_prefix", "segment (mining prefix)")
    timed_iter(pipeline, "_count_chunks", "segment + count pieces")
    timed(pipeline.DocumentTally, "add", "add up pieces")
    if hasattr(pipeline, "TermCountsBuilder"):
        timed(pipeline.TermCountsBuilder, "build", "add up pieces")
        timed(pipeline.DocumentTally, "slogan_table", "slogan table")
        timed(pipeline.DocumentTally, "formulation_table", "slogan table")
    timed(pipeline, "mine_phrases", "mine phrases")
    timed(pipeline, "_scan_chunks", "detect slogans")
    timed(pipeline, "term_frequencies", "term frequencies")
    timed(pipeline, "rank_tfidf", "tf-idf")
    timed(pipeline, "summarize", "summary")
    timed(pipeline, "section_tables", "compare tables")
    timed(pipeline, "_only_inside", "mine phrases")
    timed(pipeline, "slogan_table", "slogan table")
    timed(pipeline, "section_table", "section table")
    timed(zhpolicy.outputs, "write_tables", "write tables")
    if hasattr(zhpolicy.outputs, "write_comparison"):
        timed(zhpolicy.outputs, "write_comparison", "write workbook and report")
    timed(zhpolicy.outputs, "comparison_pictures", "comparison figures")
    timed_wait(zhpolicy.figures, "start_wordclouds", "word clouds")
    timed(zhpolicy.outputs, "save_image", "save images")

    error = None
    try:
        code = zhpolicy.cli.main(sys.argv[1:])
    except Exception as exc:  # noqa: BLE001 (a failure is a result too: report how far it got)
        code, error = 1, f"{type(exc).__name__}: {exc}"[:300]
    total = time.perf_counter() - START
    stages = {"import": imported, **STAGES}
    stages["other"] = max(0.0, total - sum(stages.values()))
    own = peak_rss_mb()
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"exit": code, "failed": error, "seconds": total, "stages": stages,
                      "peak_mb": own, "peak_child_mb": children}), flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
