from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from zhpolicy.documents import decode_bytes, find_documents, normalize_text, read_document
from zhpolicy.errors import InputError

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
        decode_bytes("中文".encode("utf-8"), source="x.txt", encoding="ascii")


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
    path.write_bytes(codecs.BOM_UTF8 + "第一部分\r\n推进“放管服”改革\r\n".encode("utf-8"))
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
