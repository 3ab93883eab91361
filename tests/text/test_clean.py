from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhpolicy.text.clean import (
    CLEAN_STEPS,
    SAFE_STEPS,
    clean_text,
    drop_page_numbers,
    drop_running_heads,
    is_page_number,
    join_broken_lines,
    parse_clean_steps,
    strip_front_matter,
    strip_html,
)
from zhpolicy.text.convert import convert_script, traditional_share
from zhpolicy.text.normalize import normalize_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_every_step_leaves_the_seed_unchanged(seed_text: str) -> None:
    assert normalize_text(seed_text) == seed_text
    for step in CLEAN_STEPS:
        assert clean_text(seed_text, [step]) == seed_text, step


def test_normalize_is_idempotent_and_maps_unicode_line_separators() -> None:
    text = "甲\u2028乙\u2029丙\x85丁\r\n戊\f己"
    assert normalize_text(text) == "甲\n乙\n丙\n丁\n戊己"
    assert normalize_text(text, keep_page_breaks=True) == "甲\n乙\n丙\n丁\n戊\f己"
    assert normalize_text(normalize_text(text)) == normalize_text(text)


def test_parse_clean_steps() -> None:
    assert parse_clean_steps("safe") == SAFE_STEPS == ("front-matter", "html", "page-numbers")
    assert parse_clean_steps("all") == CLEAN_STEPS
    assert parse_clean_steps("none") == parse_clean_steps("") == ()
    assert parse_clean_steps(["join-lines", "html"]) == ("html", "join-lines")
    with pytest.raises(ValueError, match="unknown cleaning step 'ocr'; choose from front-matter, html, page-numbers"):
        parse_clean_steps("html,ocr")


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("<p>坚持&nbsp;稳中求进</p>", "坚持 稳中求进\n"),
        ("推进&ldquo;放管服&rdquo;改革<br/>下一行", "推进“放管服”改革\n下一行"),
        ("<span style=\"x\">新质</span>生产力", "新质生产力"),
        ("<!-- 注释 -->正文<script>var a = 1 < 2;</script>", "正文"),
        ("&#20013;&#x6587;&#65292;&amp;", "中文,&"),
        ("a<b 且 c>d", "a<b 且 c>d"),              # not a tag
        ("<自定义>标记", "<自定义>标记"),             # not an HTML tag
        ("?a=1&copy=2 &para", "?a=1&copy=2 &para"),  # entities need their semicolon
        ("x&nbsp y", "x  y"),
    ],
)
def test_strip_html(raw: str, clean: str) -> None:
    assert strip_html(raw) == clean


@pytest.mark.parametrize("line", ["- 12 -", "—12—", " -3- ", "第 3 页", "第3页/共10页", "共10页 第3页", "第三页",
                                  "Page 3", "page 3 of 10"])
def test_page_number_lines(line: str) -> None:
    assert is_page_number(line)


@pytest.mark.parametrize("line", ["12", "- 12", "1/10", "第3页内容", "增长 12.6%", "第三章", "- 天宁高新区"])
def test_not_page_number_lines(line: str) -> None:
    assert not is_page_number(line)


def test_drop_page_numbers_keeps_page_breaks() -> None:
    assert drop_page_numbers("甲\n- 1 -\n\f第 2 页\n乙\n") == "甲\n\f乙\n"


# Page numbers whole and in parts, and what surrounds them.
_PAGE_LINE_PARTS = ["\f", " ", "\t", "-", "—", "~", "1", "23", "二", "第", "页", "共", "Page", "of", "/", "、", ",", "甲乙",
                    "- 1 -", "—12—", "第 3 页", "第二页", "共 10 页", "Page 3", "pAgE 3 of 10"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PAGE_LINE_PARTS), max_size=4).map("".join), max_size=8).map("\n".join))
def test_page_numbers_are_dropped_as_one_expression_over_the_text_drops_them(text: str) -> None:
    from zhpolicy.text.clean import _PAGE_NUMBER_LINE

    assert drop_page_numbers(text) == _PAGE_NUMBER_LINE.sub(r"\1", text)


def test_running_heads_with_page_breaks() -> None:
    bodies = ["坚持稳中求进工作总基调。", "加快发展新质生产力。", "深入推进“532”发展战略。", "持续优化营商环境。"]
    pages = [f"政府工作报告 {n}\n{body}\n第 {n} 页\n" for n, body in enumerate(bodies, start=1)]
    text = "\f".join(pages)
    cleaned = clean_text(text, ["running-heads"])
    assert "政府工作报告" not in cleaned
    assert cleaned == "".join(f"{body}\n" for body in bodies)  # "第 n 页" goes too: a page footer


def test_running_heads_without_page_breaks_and_bare_page_numbers() -> None:
    text = "报告\n一、总体要求\n正文。\n1\n报告\n正文二。\n2\n报告\n一、总体要求\n正文三。\n3\n"
    cleaned = drop_running_heads(text)
    # the repeated short line goes, the repeated heading stays, rising bare numbers go
    assert cleaned == "一、总体要求\n正文。\n正文二。\n一、总体要求\n正文三。\n"


def test_bare_numbers_that_do_not_rise_stay() -> None:
    text = "数值\n12\n5\n30\n"
    assert drop_running_heads(text) == text


def test_join_broken_lines_from_a_pdf() -> None:
    text = (
        "一、总体要求\n"
        "全面落实“四个走在前”重大任务,奋力推进“万亿之\n"
        "城再出发”,坚持稳中求进工作总基调,完整准确全面\n"
        "贯彻新发展理念。\n"
        "  新段落缩进开头,不与上一段相连接,这一行很长很长\n"
        "- 列表项一,这一行没有句号结尾也足够长足够长\n"
        "- 列表项二。\n"
        "GDP growth of the district\n"
        "reached 4.4 percent.\n"
    )
    assert join_broken_lines(text) == (
        "一、总体要求\n"
        "全面落实“四个走在前”重大任务,奋力推进“万亿之城再出发”,坚持稳中求进工作总基调,完整准确全面贯彻新发展理念。\n"
        "  新段落缩进开头,不与上一段相连接,这一行很长很长\n"
        "- 列表项一,这一行没有句号结尾也足够长足够长\n"
        "- 列表项二。\n"
        "GDP growth of the district reached 4.4 percent.\n"
    )


def test_join_keeps_headings_short_lines_and_markdown_hard_breaks() -> None:
    text = "## 新发展动能\n加速汇聚,天宁高新区获批市高新技术产业园\n天 轩\n增长 5.4%  \n增长 12.6%\n"
    assert join_broken_lines(text) == text


def test_pdf_paste_fixture_cleans_to_the_report() -> None:
    raw = normalize_text((FIXTURES / "pdf_paste.txt").read_text(encoding="utf-8"), keep_page_breaks=True)
    assert clean_text(raw, CLEAN_STEPS) == (
        "一、总体要求\n"
        "全面落实“四个走在前”重大任务,奋力推进“万亿之城再出发”,坚持稳中求进工作总基调,完整准确全面贯彻新发展理念。\n"
        "二、重点工作\n"
        "坚持“四敢”引领,深入推进“532”发展战略和区“3511”工作部署,加快发展新质生产力。\n"
    )
    # the safe steps only remove the page numbers
    safe = clean_text(raw)
    assert "- 1 -" not in safe and "第 3 页" not in safe and safe.count("天宁区政府工作报告") == 3


def test_convert_script_and_traditional_share(seed_text: str) -> None:
    assert convert_script("全面落實「四個走在前」,萬億之城再出發") == "全面落实「四个走在前」,万亿之城再出发"
    assert convert_script("政府工作報告", "tw2sp") == "政府工作报告"
    assert traditional_share(seed_text) == 0.0
    assert traditional_share("") == 0.0
    long_text = "萬億之城再出發\n" * 300_000  # converted in chunks, cut at line breaks
    assert convert_script(long_text) == "万亿之城再出发\n" * 300_000
    with pytest.raises(ValueError, match="unknown conversion 's2t'"):
        convert_script("x", "s2t")


# --- front matter: the fixtures, and the expected text written out by hand ---------------------------

REPORT = (
    "## 一、总体要求\n"
    "全面落实“四个走在前”重大任务,奋力推进“万亿之城再出发”,坚持稳中求进工作总基调。\n"
    "## 二、重点工作\n"
    "坚持“四敢”引领,深入推进“532”发展战略和区“3511”工作部署,加快发展新质生产力。\n"
)


def read_fixture(name: str) -> str:
    return normalize_text((FIXTURES / name).read_text(encoding="utf-8-sig"), keep_page_breaks=True)


def test_front_matter_is_removed_and_a_later_rule_kept() -> None:
    assert strip_front_matter(read_fixture("front_matter.md")) == (
        "## 一、总体要求\n"
        "全面落实“四个走在前”重大任务,奋力推进“万亿之城再出发”,坚持稳中求进工作总基调。\n"
        "---\n"
        "## 二、重点工作\n"
        "坚持“四敢”引领,深入推进“532”发展战略和区“3511”工作部署,加快发展新质生产力。\n"
    )


def test_pandoc_front_matter_after_blank_lines_closed_by_dots() -> None:
    assert strip_front_matter(read_fixture("front_matter_pandoc.md")) == "\n" + REPORT
    assert clean_text(read_fixture("front_matter_pandoc.md")) == "\n" + REPORT  # on by default


def test_horizontal_rules_are_not_front_matter() -> None:
    text = read_fixture("horizontal_rules.md")
    assert text.startswith("---\n\n## 一、") and text.count("---\n") == 3
    assert strip_front_matter(text) == text
    assert clean_text(text) == text  # the safe steps (running-heads would take the thrice-repeated "---")


@pytest.mark.parametrize(
    "text",
    [
        "正文\n---\ntitle: x\n---\n",           # not at the start
        "  ---\ntitle: x\n---\n正文",              # an indented fence
        "----\ntitle: x\n----\n正文",              # four dashes
        "---\n一、总体要求\n---\n正文",           # a title between two rules, not a YAML key
        "---\n时间:2024年1月\n---\n正文",          # a Chinese colon without a space: prose, not YAML
        "---\ntitle: x\n正文没有结束的分隔线\n",    # never closed
        "---\ntitle: x\n" + "- 行\n" * 98 + "---\n正文",  # closed on line 101: too far
        "---",
        "",
    ],
)
def test_what_is_not_front_matter_stays(text: str) -> None:
    assert strip_front_matter(text) == text


def test_front_matter_closed_on_line_100_is_removed() -> None:
    block = "---\ntitle: x\n" + "- 行\n" * 97 + "---\n"
    assert block.count("\n") == 100
    assert strip_front_matter(block + "正文\n---\n") == "正文\n---\n"
    assert strip_front_matter("\ufeff\n \n" + block) == "\ufeff\n \n"  # what precedes the block stays


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_front_matter_comes_off_whatever_follows(body: str) -> None:
    front = "---\ntitle: 政府工作报告\ntags: [四个走在前]\n---\n"
    assert strip_front_matter(front + body) == body
    if not body.lstrip("\ufeff \t\n").startswith("---"):
        assert strip_front_matter(body) == body


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None), max_size=200)
       | st.text(alphabet="，。１２Ａａ\u3000\u00a0\u0085\u2028\u2029\ufeff\u200b\u2060甲乙 \n", max_size=200))
def test_array_translation_equals_str_translate(text: str) -> None:
    from zhpolicy.text.normalize import _TRANSLATION, translate

    assert translate(text) == text.translate(_TRANSLATION)


_CONTROL_TEXT = st.text(alphabet="\x00\x01\x08\t\n\x0b\x0c\r\x1f\x7f\x85 a，甲\u200b😀", max_size=60)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.characters(codec=None), max_size=200) | _CONTROL_TEXT, keep=st.booleans())
def test_normalising_removes_controls_as_the_expressions_did(text: str, keep: bool) -> None:
    from zhpolicy.text.normalize import _TRANSLATION, normalize_text

    lines_ended = text.replace("\r\n", "\n").replace("\r", "\n")
    # The expressions normalising used before, written out here (the module's are now made from one list).
    control = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]" if keep else r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
    assert normalize_text(text, keep_page_breaks=keep) == control.sub("", lines_ended.translate(_TRANSLATION))


def test_array_translation_of_long_text_goes_in_slices(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from zhpolicy.text import normalize as cleaning

    monkeypatch.setattr(cleaning, "TRANSLATE_CHARS", 7)
    text = "全角，１２３\u200b走在前\u3000" * 5 + "😀𠀀"
    assert cleaning.translate(text) == text.translate(cleaning._TRANSLATION)
    assert "\u200b" not in cleaning.translate(text) and "，" not in cleaning.translate(text)
