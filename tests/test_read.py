from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest

from zhpolicy.errors import InputError
from zhpolicy.read import decode_bytes, find_documents, read_document
from zhpolicy.text.normalize import normalize_text

SAMPLE = "## 一、总体要求\n全面落实“四个走在前”,推动高质量发展。\n"


def test_normalize_text_maps_full_width_forms_and_line_endings() -> None:
    assert normalize_text("\ufeff“四个走在前”，２０２４（一）\r\nＧＤＰ\r") == "“四个走在前”,2024(一)\nGDP\n"


def test_normalize_keeps_chinese_punctuation_without_half_width_twin() -> None:
    text = "“走在前、做示范”。《报告》"
    assert normalize_text(text) == text


@pytest.mark.parametrize(
    "encoding, data",
    [
        ("utf-8", SAMPLE.encode("utf-8")),
        ("utf-8-sig", codecs.BOM_UTF8 + SAMPLE.encode("utf-8")),
        ("utf-16", SAMPLE.encode("utf-16")),
        ("gb18030", SAMPLE.encode("gb18030")),
    ],
)
def test_decode_bytes_reads_common_encodings(encoding: str, data: bytes) -> None:
    text, used = decode_bytes(data, source="x.txt")
    assert normalize_text(text) == SAMPLE
    assert used.replace("_", "-").lower().startswith(encoding.split("-sig")[0][:6])


def test_seed_decodes_the_same_from_gb18030_and_big5(seed_text: str) -> None:
    gb_text, gb_codec = decode_bytes(seed_text.encode("gb18030"), source="seed-gb.txt")
    assert gb_text == seed_text
    assert gb_codec == "gb18030"
    traditional = "全面落實「四個走在前」,推動經濟高質量發展。政府工作報告指出,要堅持穩中求進工作總基調。" * 5
    big5_text, big5_codec = decode_bytes(traditional.encode("big5"), source="tw.txt")
    assert big5_text == traditional
    assert big5_codec in {"big5", "cp950", "big5hkscs"}


def test_forced_encoding_that_does_not_fit_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"x.txt: not valid ascii"):
        decode_bytes("中文".encode(), source="x.txt", encoding="ascii")


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"  \n\n", "empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ],
)
def test_bad_bytes_are_refused_with_the_file_named(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=f"bad.txt: .*{message}"):
        decode_bytes(data, source="bad.txt")


def test_read_document_names_and_normalises(tmp_path: Path) -> None:
    path = tmp_path / "report_2024.txt"
    path.write_bytes(codecs.BOM_UTF8 + "第一部分\r\n推进“放管服”改革\r\n".encode())
    document = read_document(path)
    assert document.name == "report_2024"
    assert document.text == "第一部分\n推进“放管服”改革\n"
    assert document.encoding == "utf-8-sig"


def test_read_document_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nope.txt: no such file"):
        read_document(tmp_path / "nope.txt")


def test_find_documents_recurses_sorted_and_skips_other_files(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2023.md").write_text("x", encoding="utf-8")
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "c.txt").write_text("x", encoding="utf-8")
    assert find_documents([tmp_path]) == [tmp_path / "a.txt", tmp_path / "b" / "2023.md"]


def test_find_documents_refuses_missing_and_empty_folders(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        find_documents([tmp_path / "missing"])
    with pytest.raises(InputError, match="holds no .txt or .md files"):
        find_documents([tmp_path])


# --- encodings, traditional Chinese, binary files (issue 6) ------------------------------------------

def _slogan_counts(analysis) -> dict[tuple[int, str], int]:  # type: ignore[no-untyped-def]
    table = analysis.tables["slogans"]
    return {(int(r.section), r.slogan): int(r.count) for r in table.itertuples()}


def test_seed_counts_the_same_in_gb18030_utf16_and_traditional(tmp_path: Path, seed_path: Path,
                                                                seed_text: str) -> None:
    import opencc

    import zhpolicy

    traditional = opencc.OpenCC("s2t.json").convert(seed_text)
    assert traditional != seed_text
    copies = {
        "gb18030.txt": (seed_text.encode("gb18030"), {}, "gb18030"),
        "utf16.txt": (seed_text.encode("utf-16"), {}, "utf-16"),
        "utf16le.txt": (seed_text.encode("utf-16-le"), {}, "utf-16-le"),
        "traditional.md": (traditional.encode("utf-8"), {"convert": "t2s"}, "utf-8"),
    }
    documents = [zhpolicy.read_document(seed_path)]
    for name, (data, options, encoding) in copies.items():
        (tmp_path / name).write_bytes(data)
        document = zhpolicy.read_document(tmp_path / name, **options)  # type: ignore[arg-type]
        assert document.encoding == encoding
        documents.append(document)
    original, *others = zhpolicy.analyze(documents)
    expected = _slogan_counts(original)
    assert expected[(1, "万亿之城再出发")] == seed_text.split("## ")[1].count("万亿之城再出发") > 0
    for analysis in others:
        assert _slogan_counts(analysis) == expected, analysis.document.name
        assert [s.title for s in analysis.sections] == [s.title for s in original.sections]


def test_big5_copy_counts_the_same_after_t2s(tmp_path: Path, seed_text: str) -> None:
    import opencc

    import zhpolicy

    to_traditional = opencc.OpenCC("s2tw.json").convert  # Taiwan forms, as Big5 files have them
    # Big5 lacks 〇 (one line of the seed): keep the lines it can hold.
    lines = seed_text.splitlines(keepends=True)
    kept = [line for line in lines if _encodable(to_traditional(line), "big5")]
    assert len(kept) == len(lines) - 1
    simplified = "".join(kept)
    (tmp_path / "simplified.md").write_text(simplified, encoding="utf-8")
    (tmp_path / "big5.txt").write_bytes(to_traditional(simplified).encode("big5"))
    plain = zhpolicy.read_document(tmp_path / "simplified.md")
    big5 = zhpolicy.read_document(tmp_path / "big5.txt", convert="tw2s")
    assert big5.encoding == "big5" and big5.conversion == "tw2s" and big5.traditional_share > 0.2
    first, second = zhpolicy.analyze([plain, big5])
    assert len(first.sections) == len(second.sections) == 10
    assert _slogan_counts(second) == _slogan_counts(first)
    assert _slogan_counts(first)[(1, "万亿之城再出发")] > 0


def _encodable(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def test_traditional_document_is_detected_and_warned(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "tw.txt"
    path.write_text("## 一、總體要求\n全面落實「四個走在前」,推動經濟高質量發展。\n", encoding="utf-8")
    with caplog.at_level("WARNING", logger="zhpolicy"):
        document = read_document(path)
    assert document.traditional_share > 0.2 and document.conversion is None
    assert "四個走在前" in document.text
    assert any("looks like traditional Chinese" in r.getMessage() and "--convert t2s" in r.getMessage()
               for r in caplog.records)
    caplog.clear()
    with caplog.at_level("WARNING", logger="zhpolicy"):
        converted = read_document(path, convert="t2s")
    assert "四个走在前" in converted.text and converted.text.startswith("## 一、总体要求\n")
    assert not caplog.records


def test_simplified_seed_does_not_look_traditional(seed_path: Path) -> None:
    assert read_document(seed_path).traditional_share < 0.01


@pytest.mark.parametrize(
    "data, kind",
    [
        (b"PK\x03\x04\x14\x00\x06\x00", "a ZIP archive or an Office document"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "an old Office document"),
        (b"{\\rtf1\\ansi\\deff0 hello}", "an RTF document"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "a WebP image"),
        (b"\x7fELF\x02\x01\x01", "a program"),
        (b"abc\x00\x01\x02\x03\xfe\xfd" * 50, "it holds NUL bytes"),
        (b"\x01\x02\x03abc" * 100, "control characters"),
    ],
)
def test_binary_files_are_named(data: bytes, kind: str) -> None:
    with pytest.raises(InputError, match=re.escape(f"f.txt: looks like a binary file ({kind}")):
        decode_bytes(data, source="f.txt")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised(codec: str) -> None:
    text, used = decode_bytes(SAMPLE.encode(codec), source="x.txt")
    assert (text, used) == (SAMPLE, codec)


def test_undecodable_bytes_name_the_byte_and_line() -> None:
    data = SAMPLE.encode() + b"\xff\xfe\xfa" + SAMPLE.encode()
    offset = len(SAMPLE.encode())  # SAMPLE has two lines
    with pytest.raises(InputError, match=rf"x.txt: cannot decode the text: not UTF-8 \(byte {offset}, line 3\)"):
        decode_bytes(data, source="x.txt")


def test_read_document_converts_then_cleans(tmp_path: Path) -> None:
    path = tmp_path / "web.html.txt"
    path.write_text("<p>全面落實&ldquo;四個走在前&rdquo;</p>\n- 1 -\n", encoding="utf-8")
    document = read_document(path, convert="t2s")
    assert document.text == "全面落实“四个走在前”\n\n"
    assert document.cleaning == ("front-matter", "html", "page-numbers")
    raw = read_document(path, convert="t2s", clean="none")
    assert raw.text == "<p>全面落实&ldquo;四个走在前&rdquo;</p>\n- 1 -\n" and raw.cleaning == ()


def test_seed_is_unchanged_by_reading(seed_path: Path, seed_text: str) -> None:
    for clean in ("safe", "all"):
        assert read_document(seed_path, clean=clean).text == seed_text


def test_a_corpus_folders_own_documentation_is_not_a_report(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from zhpolicy.read import find_documents

    for name in ("report_2024.md", "README.md", "SOURCES.md", "license.txt", "notes.txt"):
        (tmp_path / name).write_text("## 一、发展\n万亿之城再出发。\n", encoding="utf-8")
    assert [p.name for p in find_documents([tmp_path])] == ["notes.txt", "report_2024.md"]
    assert [p.name for p in find_documents([tmp_path / "README.md"])] == ["README.md"]  # named: read
