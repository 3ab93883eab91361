"""Benchmark texts made from the seed report: one large document of a given size, and a folder of small ones.

The seed's paragraphs are repeated in shuffled order, with place names and figures varied (never inside
quotation marks, so slogans such as “532”发展战略 stay as they are). Same arguments, same bytes.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "tianning_2024_lianghui.md"

PLACES = ["天宁", "钟楼", "新北", "武进", "金坛", "溧阳", "梁溪", "姑苏", "江宁", "鼓楼", "滨湖", "吴中"]
_FIGURE = re.compile(r"(?<![“\"])\d+(?:\.\d+)?(?=[%亿万个家项所条座公里平方千人户元])")


def seed_sections(text: str) -> tuple[str, list[tuple[str, list[str]]]]:
    """The seed's preamble and its sections as (heading line, paragraphs)."""
    preamble: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    for line in text.splitlines(keepends=True):
        if line.startswith("## "):
            sections.append((line, []))
        elif sections:
            if line.strip():
                sections[-1][1].append(line)
        else:
            preamble.append(line)
    return "".join(preamble), sections


def vary(paragraph: str, rng: random.Random) -> str:
    place = rng.choice(PLACES)
    paragraph = paragraph.replace("天宁", place)
    return _FIGURE.sub(lambda m: _other_figure(m.group(0), rng), paragraph)


def _other_figure(figure: str, rng: random.Random) -> str:
    if "." in figure:
        return f"{rng.uniform(0.1, 99.9):.1f}"
    return str(rng.randint(1, 10 ** len(figure) - 1))


def large_document(size_bytes: int, seed: int = 7) -> str:
    """One document with the seed's headings, each section's paragraphs repeated (varied) to ``size_bytes``."""
    rng = random.Random(seed)
    preamble, sections = seed_sections(SEED.read_text(encoding="utf-8"))
    per_round = sum(len("".join(p).encode()) for _, p in sections)
    rounds = max(1, size_bytes // per_round)
    parts = [preamble]
    for heading, paragraphs in sections:
        parts.append(heading)
        for _ in range(rounds):
            shuffled = paragraphs[:]
            rng.shuffle(shuffled)
            parts.extend(vary(p, rng) + "\n" for p in shuffled)
    return "".join(parts)


def small_documents(count: int, seed: int = 11) -> list[str]:
    """``count`` short reports: a title and one to three of the seed's sections, varied."""
    rng = random.Random(seed)
    _, sections = seed_sections(SEED.read_text(encoding="utf-8"))
    documents = []
    for number in range(count):
        place = rng.choice(PLACES)
        chosen = sorted(rng.sample(range(len(sections)), rng.randint(1, 3)))
        parts = [f"# {place}区{2000 + number % 25}年政府工作报告（第{number + 1}号）\n\n"]
        for index in chosen:
            heading, paragraphs = sections[index]
            parts.append(heading)
            keep = rng.sample(paragraphs, max(1, len(paragraphs) * 2 // 3)) if paragraphs else []
            parts.extend(vary(p, rng) + "\n" for p in keep)
        documents.append("".join(parts))
    return documents


def write_large(path: Path, size_bytes: int) -> Path:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(large_document(size_bytes), encoding="utf-8")
    return path


def write_folder(folder: Path, count: int) -> Path:
    if not folder.exists() or len(list(folder.glob("*.md"))) != count:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.md"):
            old.unlink()
        for number, text in enumerate(small_documents(count)):
            (folder / f"report_{number + 1:05d}.md").write_text(text, encoding="utf-8")
    return folder
