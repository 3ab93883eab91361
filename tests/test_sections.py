from __future__ import annotations

from zhpolicy.documents import read_document
from zhpolicy.sections import heading_title, split_sections

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
