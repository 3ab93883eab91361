from __future__ import annotations

import pytest

from zhpolicy.read import read_document
from zhpolicy.sections import split_sections
from zhpolicy.text.headings import compile_heading_regex, find_headings, heading_title

# The seed's ten headings, copied by hand from the file.
SEED_TITLES = [
    "天宁区“两会”闭幕 “万亿之城再出发” 牢牢扛起主城担当",
    "天宁票决产生10项民生实事",
    "“满弓紧弦”再出发",
    "一图读懂",
    "新发展动能 加速汇聚",
    "新产业赛道 收获硕果",
    "新文化地标 闪耀龙城",
    "新发展成果 更加殷实",
    "发展预期目标",
    "2024年重点工作",
]


def test_seed_has_its_ten_sections_with_titles(seed_path, seed_sections) -> None:  # type: ignore[no-untyped-def]
    sections = split_sections(read_document(seed_path))
    assert [s.title for s in sections] == SEED_TITLES
    assert [s.number for s in sections] == list(range(1, 11))
    assert [s.text for s in sections] == seed_sections


def test_section_offsets_point_into_the_document(seed_path) -> None:  # type: ignore[no-untyped-def]
    document = read_document(seed_path)
    for section in split_sections(document):
        assert document.text[section.start: section.start + len(section.text)] == section.text


def test_chinese_ordinal_headings_and_preamble() -> None:
    text = (
        "政府工作报告\n——2024年1月\n"
        "一、2023年工作回顾\n过去一年。\n"
        "(一)着力扩大国内需求。推动消费从疫后恢复转向持续扩大。\n"
        "二、2024年工作安排\n一是稳增长。\n"
        "第三部分 附则\n完。\n"
    )
    sections = split_sections(text)
    assert [s.title for s in sections] == [
        "导语", "一、2023年工作回顾", "(一)着力扩大国内需求", "二、2024年工作安排", "第三部分 附则"]
    assert "".join(s.text for s in sections) == text
    assert sections[3].text == "二、2024年工作安排\n一是稳增长。\n"


def test_text_without_headings_is_one_section() -> None:
    sections = split_sections("\n\n坚持稳中求进工作总基调。\n")
    assert len(sections) == 1
    assert sections[0].title == "全文"
    assert sections[0].text == "坚持稳中求进工作总基调。\n"


def test_blank_preamble_is_not_a_section() -> None:
    assert [s.title for s in split_sections("\n\n## 甲\n文\n## 乙\n文\n")] == ["甲", "乙"]


def test_heading_title_forms() -> None:
    assert heading_title("### 三、深化改革 ###") == "三、深化改革"
    assert heading_title("第二章 发展目标") == "第二章 发展目标"
    assert heading_title("一是加快发展") is None
    assert heading_title("#没有空格不是标题") is None


# --- numbered headings, the user's heading regex, the splitter's contract (issue 6) -------------------

@pytest.mark.parametrize(
    "line, title",
    [
        ("1. 总体要求", "1. 总体要求"),
        ("12.深化改革", "12.深化改革"),
        ("2.着力扩大国内需求。推动消费从疫后恢复转向持续扩大", "2.着力扩大国内需求"),
        ("一.发展目标", "一.发展目标"),
        ("1. 天宁高新区获批市高新技术产业园。", None),     # a list item: one sentence, nothing after it
        ("4.4%的增长", None),
        ("2024.1 新年献词", None),
        ("1.", None),
        ("1. 这一行的标题部分超过三十个字符因此它只是一个编号的段落而不是标题,后面还有", None),
    ],
)
def test_numbered_headings(line: str, title: str | None) -> None:
    assert heading_title(line) == title


def test_users_heading_regex_replaces_the_built_in_forms() -> None:
    text = "总则\n第1条 适用范围\n## 不是标题了\n第2条 定义\n"
    sections = split_sections(text, heading_regex=r"第[0-9]+条")
    assert [s.title for s in sections] == ["导语", "第1条 适用范围", "第2条 定义"]
    titled = split_sections(text, heading_regex=r"第(?P<title>[0-9]+)条")
    assert [s.title for s in titled] == ["导语", "1", "2"]
    assert "".join(s.text for s in titled) == text


def test_invalid_heading_regex_is_a_value_error() -> None:
    with pytest.raises(ValueError, match=r"invalid heading regex '\[一': unterminated character set"):
        compile_heading_regex("[一")
    with pytest.raises(ValueError, match="invalid heading regex"):
        split_sections("文", heading_regex="(?P<title")


def test_a_regex_that_matches_empty_lines_makes_no_empty_titles() -> None:
    sections = split_sections("甲\n\n乙\n", heading_regex=r".*")
    assert [s.title for s in sections] == ["甲", "乙"]
    assert "".join(s.text for s in sections) == "甲\n\n乙\n"


def test_lines_end_at_newline_only() -> None:
    # split_sections also takes raw strings: U+2028 and \x85 are not line breaks for it.
    text = "前言\u2028## 不是标题\n## 是标题\x85尾\n"
    assert [s.title for s in split_sections(text)] == ["导语", "是标题\x85尾"]
    assert find_headings(text) == [(text.index("## 是"), "是标题\x85尾")]


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\n\n  \n", "  正文", "\n\n## 甲\n文\n", " \t导语\n## 甲\n", "## 甲", "\n 一、甲\n(一)乙。丙\n"],
)
def test_sections_concatenate_to_the_text_after_its_leading_whitespace(text: str) -> None:
    sections = split_sections(text)
    start = sections[0].start
    assert text[:start].strip() == ""
    assert "".join(s.text for s in sections) == text[start:]
    assert [s.number for s in sections] == list(range(1, len(sections) + 1))
    for section in sections:
        assert text[section.start: section.start + len(section.text)] == section.text
