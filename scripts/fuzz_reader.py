"""Fuzz the reader and the section splitter (issue 6). Not part of CI: run it by hand for a few minutes.

    .venv/bin/pip install atheris
    .venv/bin/python scripts/fuzz_reader.py -max_total_time=300          # coverage-guided (atheris)
    .venv/bin/python scripts/fuzz_reader.py --hypothesis 20000           # without atheris

Each input is raw bytes as a file would hold them. The target decodes them (detected or a forced
encoding), normalises, optionally converts traditional to simplified, cleans with a fuzzed set of steps
and splits into sections, and checks the contracts:

- decoding gives text or an InputError whose message starts with the file name, nothing else;
- normalising and cleaning give normalised text (idempotent, no CR, no form feeds);
- sections concatenate to the text less its leading whitespace; offsets point at each section;
- every title is non-empty and at most 60 characters;
- every slogan count equals ``str.count`` on its section.

A crash or a failed check stops the run and leaves the input in ./crash-*; replay it with
``python scripts/fuzz_reader.py crash-...``.
"""
from __future__ import annotations

import sys

CODECS = [None, None, None, "utf-8", "gb18030", "big5", "utf-16", "utf-16-le", "latin-1"]
STEP_SETS = [(), ("front-matter",), ("html",), ("page-numbers",), ("running-heads",), ("join-lines",),
             ("front-matter", "html", "page-numbers"),
             ("front-matter", "html", "page-numbers", "running-heads", "join-lines")]


def check(data: bytes, encoding: str | None, steps: tuple[str, ...], convert: bool) -> None:
    from zhpolicy.errors import InputError
    from zhpolicy.read import decode_bytes
    from zhpolicy.sections import split_sections
    from zhpolicy.slogans.count import count_slogans
    from zhpolicy.slogans.detect import detect_slogans
    from zhpolicy.text.clean import clean_text
    from zhpolicy.text.convert import convert_script, traditional_share
    from zhpolicy.text.normalize import normalize_text

    try:
        text, codec = decode_bytes(data, source="fuzz.txt", encoding=encoding)
    except InputError as error:
        assert str(error).startswith("fuzz.txt: "), error
        assert "\n" not in str(error), repr(str(error))
        return
    assert isinstance(text, str) and codec
    text = normalize_text(text, keep_page_breaks=True)
    share = traditional_share(text)
    assert 0.0 <= share <= 1.0
    if convert:
        text = normalize_text(convert_script(text, "t2s"), keep_page_breaks=True)
    cleaned = clean_text(text, steps)
    assert "\f" not in cleaned and "\r" not in cleaned
    assert normalize_text(cleaned) == cleaned, "cleaning left text that is not normalised"
    sections = split_sections(cleaned)
    start = sections[0].start
    assert cleaned[:start].strip() == ""
    assert "".join(s.text for s in sections) == cleaned[start:]
    for number, section in enumerate(sections, start=1):
        assert section.number == number
        assert cleaned[section.start: section.start + len(section.text)] == section.text
        assert section.title and len(section.title) <= 60, repr(section.title)
    for row in count_slogans(sections, detect_slogans([cleaned], _lexicon())):
        assert row.count == sections[row.section - 1].text.count(row.slogan.text), row


_LEXICON = []


def _lexicon():  # type: ignore[no-untyped-def]
    if not _LEXICON:
        from zhpolicy.slogans.lexicon import load_lexicon

        _LEXICON.append(load_lexicon())
    return _LEXICON[0]


def one_input(data: bytes) -> None:
    """The atheris target: the first two bytes choose the options, the rest is the file."""
    if len(data) < 2:
        return
    encoding = CODECS[data[0] % len(CODECS)]
    steps = STEP_SETS[data[1] % len(STEP_SETS)]
    check(data[2:], encoding, steps, convert=bool(data[1] & 0x80))


def with_hypothesis(examples: int) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    pieces = st.sampled_from(["## 标题\n", "一、总体\n", "(一)乙。丙", "1. 甲\n", "“四个走在前”", "&nbsp;", "<p>", "</div>",
                              "- 3 -\n", "第 2 页\n", "\f", "\r\n", "\u3000", "\ufeff", "萬億之城再出發",
                              "---\n", "year: 2024\n"])
    text = st.lists(st.one_of(st.text(max_size=40), pieces), max_size=40).map("".join)
    raw = st.one_of(st.binary(max_size=400),
                    st.tuples(text, st.sampled_from(["utf-8", "utf-16", "gb18030", "utf-8-sig"])).map(
                        lambda pair: pair[0].encode(pair[1], errors="ignore")))

    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(raw, st.sampled_from(CODECS), st.sampled_from(STEP_SETS), st.booleans())
    def run(data: bytes, encoding: str | None, steps: tuple[str, ...], convert: bool) -> None:
        check(data, encoding, steps, convert)

    run()
    print(f"hypothesis: {examples} examples, no failure")


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--hypothesis":
        with_hypothesis(int(sys.argv[2]))
        return
    import atheris

    with atheris.instrument_imports(include=["zhpolicy", "charset_normalizer"]):
        import zhpolicy.read
        import zhpolicy.sections
        import zhpolicy.slogans  # noqa: F401
    _lexicon()
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
