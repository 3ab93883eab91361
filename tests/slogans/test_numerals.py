"""Numerals inside dates and numbers are never formulas, and never counted as one (issue 16)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from zhpolicy.sections import split_sections
from zhpolicy.slogans.count import count_slogans
from zhpolicy.slogans.detect import Slogan, find_numeric

DIGITS = "〇一二三四五六七八九"
PLAN_NAMES = ["一五", "二五", "五五", "八五", "九五", "十五", "十一五", "十四五", "十五五"]


def chinese_number(value: int) -> str:
    """A number below 10,000 in Chinese numerals, written out by hand: 25 → 二十五, 105 → 一百零五."""
    units = ["", "十", "百", "千"]
    if value == 0:
        return "零"
    text, zero = "", False
    for power in range(3, -1, -1):
        digit = value // 10 ** power % 10
        if digit:
            text += ("零" if zero else "") + "零一二三四五六七八九"[digit] + units[power]
            zero = False
        elif text:
            zero = True
    return text[1:] if text.startswith("一十") else text


years = st.integers(1949, 2099).map(lambda year: "".join(DIGITS[int(d)] for d in str(year)) + "年")
counts = st.tuples(st.integers(11, 9999), st.sampled_from("项个年条人倍届大")).map(
    lambda pair: chinese_number(pair[0]) + pair[1])
percentages = st.integers(1, 99).map(lambda n: "百分之" + chinese_number(n))
numbers = st.one_of(years, counts, percentages)
filler = st.sampled_from(["", "在", "的", "、", ",", "完成了", "。\n"])


def test_the_hand_written_numbers_are_right() -> None:
    assert [chinese_number(n) for n in (15, 25, 105, 1954, 2024)] == ["十五", "二十五", "一百零五", "一千九百五十四",
                                                                      "二千零二十四"]


@settings(max_examples=400, deadline=None)
@given(parts=st.lists(st.tuples(filler, numbers), min_size=1, max_size=8))
def test_no_formula_is_found_or_counted_in_dates_and_numbers(parts: list[tuple[str, str]]) -> None:
    text = "".join(f"{before}{number}" for before, number in parts)
    # Plan names can only stand inside these numbers as a longer numeral, a date or a count.
    assert [phrase for phrase in find_numeric(text) if any(name in phrase for name in PLAN_NAMES)] == []
    slogans = [Slogan(name, "numeric", name) for name in PLAN_NAMES]
    assert [row for row in count_slogans(split_sections(text), slogans) if row.count] == []


def test_plan_names_count_where_the_text_names_a_plan() -> None:
    text = "“九五”计划完成,一九九五年是“八五”计划的最后一年,十一五规划期间,二十五项,十五大,第十五个五年计划。"
    assert set(find_numeric(text)) >= {"九五", "八五", "十一五"}
    slogans = [Slogan(name, "numeric", name) for name in ("九五", "八五", "十一五", "十五")]
    counted = {row.slogan.text: row.count for row in count_slogans(split_sections(text), slogans)}
    # 九五 once (not inside 一九九五年), 八五 once, 十一五 once; 十五 never (二十五项, 十五大, 十五个).
    assert counted == {"九五": 1, "八五": 1, "十一五": 1}


def test_counted_formulas_stop_at_word_boundaries() -> None:
    text = "加快建设全国统一大市场建设,涌现一大批人才,打好三大攻坚战,坚持一个中心、两个基本点。"
    found = find_numeric(text)
    assert "三大攻坚战" in found and "一个中心" in found
    assert not [phrase for phrase in found if phrase.startswith("一大")]
