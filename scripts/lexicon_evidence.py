#!/usr/bin/env python3
"""Recompute the `evidence` of every lexicon entry from the shipped texts and check the lexicon's format.

    python scripts/lexicon_evidence.py            # report differences and format problems (exit 1 if any)
    python scripts/lexicon_evidence.py --write    # rewrite every entry's `evidence = [...]` line in place
    python scripts/lexicon_evidence.py --contexts 三个代表 [--width 12]   # every match of an entry's forms
    python scripts/lexicon_evidence.py --all-contexts > contexts.txt        # the same for every entry

An entry holds a file when the file's normalised text (U+200B, U+2060 and U+FEFF removed, full-width
ASCII U+FF01-FF5E folded to half-width) contains its phrase or one of its variants (normalised the same
way) at a position where the character before is not in `not_after` and the character after is not in
`not_before`. The texts: corpus/cpc_congress/*.txt of the checkout (else /work/shared/corpora/cpc_congress)
and the other corpus/*.txt and corpus/*.md files. Only the standard library is used.
"""
from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LEXICON = ROOT / "src" / "zhpolicy" / "data" / "lexicon.toml"
SHARED_CONGRESS = Path("/work/shared/corpora/cpc_congress")
KEYS = ("phrase", "category", "since", "variants", "not_after", "not_before", "evidence")
REQUIRED = ("phrase", "category")
SINCE_RANGE = (1921, 2025)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff"))
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_TABLE = {**_INVISIBLE, **_FOLD}


def normalise(text: str) -> str:
    """The text as counted: zero-width space, word joiner and BOM removed, full-width ASCII folded."""
    return text.translate(_TABLE)


def congress_dir(root: Path = ROOT) -> Path:
    local = root / "corpus" / "cpc_congress"
    return local if local.is_dir() else SHARED_CONGRESS


def corpus_files(root: Path = ROOT) -> dict[str, Path]:
    """File name -> path of every shipped text that evidence may name."""
    files = {p.name: p for p in sorted(congress_dir(root).glob("*.txt"))}
    for pattern in ("*.txt", "*.md"):
        for path in sorted((root / "corpus").glob(pattern)):
            files.setdefault(path.name, path)
    return files


def load_texts(root: Path = ROOT) -> dict[str, str]:
    return {name: normalise(path.read_text(encoding="utf-8")) for name, path in corpus_files(root).items()}


def header_categories(raw: str) -> list[str]:
    """Category keys listed in the header comment (`#   key = 中文释义` under `# Categories`)."""
    keys: list[str] = []
    inside = False
    for line in raw.splitlines():
        if not line.startswith("#"):
            if inside:
                break
            continue
        if line.startswith("# Categories"):
            inside = True
            continue
        match = re.match(r"#\s+([a-z_]+)\s+=\s+\S", line)
        if inside and match:
            keys.append(match.group(1))
    return keys


def forms_of(entry: dict) -> list[str]:
    return [normalise(entry["phrase"]), *(normalise(v) for v in entry.get("variants", []))]


def match_positions(text: str, form: str, not_after: str = "", not_before: str = "") -> list[int]:
    """Start of every occurrence of `form` (overlapping ones too) not excluded by not_after/not_before."""
    found = []
    start = text.find(form)
    while start >= 0:
        end = start + len(form)
        before_ok = not (start and text[start - 1] in not_after)
        after_ok = not (end < len(text) and text[end] in not_before)
        if before_ok and after_ok:
            found.append(start)
        start = text.find(form, start + 1)
    return found


def holds(text: str, entry: dict) -> bool:
    na, nb = entry.get("not_after", ""), entry.get("not_before", "")
    return any(match_positions(text, form, na, nb) for form in forms_of(entry))


def computed_evidence(entry: dict, texts: dict[str, str]) -> list[str]:
    return [name for name, text in texts.items() if holds(text, entry)]


def format_problems(data: dict, raw: str, texts: dict[str, str]) -> list[str]:
    problems: list[str] = []
    categories = set(header_categories(raw))
    if not categories:
        problems.append("header: no category list found")
    seen: dict[str, str] = {}
    for number, entry in enumerate(data.get("entry", []), start=1):
        label = f"entry {number} ({entry.get('phrase', '?')})"
        for key in REQUIRED:
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                problems.append(f"{label}: {key} missing or not a string")
        unknown = set(entry) - set(KEYS)
        if unknown:
            problems.append(f"{label}: unknown keys {sorted(unknown)}")
        if entry.get("category") not in categories:
            problems.append(f"{label}: category {entry.get('category')!r} is not in the header list")
        since = entry.get("since")
        if since is not None and (type(since) is not int or not SINCE_RANGE[0] <= since <= SINCE_RANGE[1]):
            problems.append(f"{label}: since {since!r} is not a year in {SINCE_RANGE[0]}-{SINCE_RANGE[1]}")
        variants = entry.get("variants", [])
        if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
            problems.append(f"{label}: variants must be a list of strings")
            continue
        for key in ("not_after", "not_before"):
            value = entry.get(key)
            if value is not None and (not isinstance(value, str) or not value):
                problems.append(f"{label}: {key} must be a non-empty string of characters")
        evidence = entry.get("evidence", [])
        if not isinstance(evidence, list) or not all(isinstance(e, str) for e in evidence):
            problems.append(f"{label}: evidence must be a list of file names")
        else:
            if evidence != sorted(set(evidence)):
                problems.append(f"{label}: evidence is not sorted or holds a file twice")
            for name in evidence:
                if name not in texts:
                    problems.append(f"{label}: evidence names {name!r}, not a shipped text")
        if entry.get("evidence") == []:
            problems.append(f"{label}: an empty evidence list (leave the key out)")
        for form in [entry.get("phrase", ""), *variants]:
            if not isinstance(form, str):
                continue
            if not form.strip() or form != form.strip():
                problems.append(f"{label}: form {form!r} is empty or has surrounding spaces")
            if "。" in form or "\n" in form or "\r" in form:
                problems.append(f"{label}: form {form!r} holds 。 or a line break")
            if any(q in form for q in "\"“”'‘’「」"):
                problems.append(f"{label}: form {form!r} holds a quotation mark")
            key = normalise(form)
            if key in seen:
                problems.append(f"{label}: form {form!r} is also in {seen[key]}")
            else:
                seen[key] = label
    return problems


def evidence_problems(data: dict, texts: dict[str, str]) -> list[str]:
    problems = []
    for number, entry in enumerate(data.get("entry", []), start=1):
        claimed = set(entry.get("evidence", []))
        held = set(computed_evidence(entry, texts))
        label = f"entry {number} ({entry['phrase']})"
        for name in sorted(claimed - held):
            problems.append(f"{label}: claims {name}, which does not hold it")
        for name in sorted(held - claimed):
            problems.append(f"{label}: {name} holds it, not claimed")
    return problems


def rewrite_evidence(raw: str, data: dict, texts: dict[str, str]) -> str:
    """`raw` with each entry's evidence line replaced by the computed one (after the entry's last key)."""
    entries = iter(data["entry"])
    out: list[str] = []
    block: list[str] = []

    def flush() -> None:
        if not block:
            return
        entry = next(entries)
        lines = [line for line in block if not line.startswith("evidence = ")]
        last = max(i for i, line in enumerate(lines) if re.match(r"[a-z_]+ = ", line))
        evidence = computed_evidence(entry, texts)
        if evidence:
            lines.insert(last + 1, "evidence = [" + ", ".join(f'"{name}"' for name in evidence) + "]")
        out.extend(lines)
        block.clear()

    in_entry = False
    for line in raw.split("\n"):
        if line == "[[entry]]":
            flush()
            in_entry = True
            block.append(line)
        elif in_entry and (re.match(r"[a-z_]+ = ", line)):
            block.append(line)
        else:
            flush()
            in_entry = False
            out.append(line)
    flush()
    return "\n".join(out)


def contexts(entry: dict, texts: dict[str, str], width: int) -> list[str]:
    lines = []
    na, nb = entry.get("not_after", ""), entry.get("not_before", "")
    for name, text in texts.items():
        for form in forms_of(entry):
            for start in match_positions(text, form):
                end = start + len(form)
                excluded = start not in match_positions(text, form, na, nb)
                left = text[max(0, start - width):start].replace("\n", "⏎")
                right = text[end:end + width].replace("\n", "⏎")
                mark = " EXCLUDED" if excluded else ""
                lines.append(f"{entry['phrase']}\t{name}\t{left}【{form}】{right}{mark}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lexicon", type=Path, default=LEXICON)
    parser.add_argument("--write", action="store_true", help="rewrite the evidence lines in place")
    parser.add_argument("--contexts", metavar="FORM", action="append", default=[],
                        help="print every match of the entry holding FORM (phrase or variant)")
    parser.add_argument("--all-contexts", action="store_true", help="print every match of every entry")
    parser.add_argument("--width", type=int, default=10, help="context characters each side")
    args = parser.parse_args(argv)

    raw = args.lexicon.read_text(encoding="utf-8")
    data = tomllib.loads(raw)
    texts = load_texts()
    if args.contexts or args.all_contexts:
        wanted = {normalise(f) for f in args.contexts}
        for entry in data["entry"]:
            if args.all_contexts or wanted & set(forms_of(entry)):
                print("\n".join(contexts(entry, texts, args.width)))
        return 0
    if args.write:
        new = rewrite_evidence(raw, data, texts)
        if new != raw:
            args.lexicon.write_text(new, encoding="utf-8")
            raw, data = new, tomllib.loads(new)
        print(f"evidence rewritten in {args.lexicon}")
    problems = format_problems(data, raw, texts) + evidence_problems(data, texts)
    entries = data.get("entry", [])
    with_evidence = sum(1 for e in entries if e.get("evidence"))
    print(f"{len(entries)} entries, {with_evidence} with evidence, {len(texts)} texts: {', '.join(texts)}")
    for problem in problems:
        print(problem)
    print("clean" if not problems else f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
