from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhpolicy.errors import LexiconError
from zhpolicy.sections import split_sections
from zhpolicy.slogans.count import count_slogans, find_mentions
from zhpolicy.slogans.detect import Slogan, detect_slogans, find_numeric, find_quoted
from zhpolicy.slogans.lexicon import load_lexicon

# Every “…” phrase of the seed, read off the file by hand, minus the one sentence-like quotation
# (“经历了风雨洗礼,看到了美丽风景,取得了沉甸甸的收获”).
SEED_QUOTED = {
    "万亿之城再出发", "长三角三新经济高地、现代化城乡治理样板", "四个走在前", "四个新", "十四五", "走在前、做示范",
    "两会", "532", "3511", "风雨不动安如山", "考古中国", "红盒子", "满弓紧弦", "放管服", "揭榜挂帅", "当年度完成",
    "幸福是奋斗出来的", "常有颐养", "常有安居", "常有善育", "常有健康", "常有优学", "常有众扶", "尽力而为、量力而行",
    "小身材迸发大能量", "小区", "小事能有大作为", "寒冬过后就是春暖花开", "学前教育普及普惠区", "天宁担当",
    "天宁所长", "天宁价值", "大作为", "四敢", "发展是解决一切问题的关键", "压舱石", "千难万险", "千辛万苦",
    "千头万绪", "关键一招", "六个常有", "亿元俱乐部", "五园荟萃", "义务教育优质均衡发展区", "万亿",
}
HAND_PICKED = ["万亿之城再出发", "四个走在前", "532", "3511", "常有善育", "十四五", "新质生产力", "走在前、做示范"]


def test_find_quoted_on_the_seed(seed_text: str) -> None:
    assert set(find_quoted(seed_text)) == SEED_QUOTED


def test_find_quoted_rules() -> None:
    too_long = "这是一个二十六个字符长的引语它实在太长了不像一个口号"
    assert len(too_long) == 26
    text = f"“一”“{too_long}”「揭榜挂帅」『放管服』“你好,世界”“走在前、做示范”"
    assert find_quoted(text) == ["揭榜挂帅", "放管服", "走在前、做示范"]


def test_find_numeric_on_the_seed(seed_text: str) -> None:
    numeric = set(find_numeric(seed_text))
    assert {"532", "3511", "十四五", "四个走在前", "四个新", "四敢", "六个常有"} <= numeric
    assert not numeric & {"千头万绪", "千辛万苦", "千难万险", "万亿", "二十大精神"}
    # Unquoted "X大Y" / "X个Y" formulas of the seed, found by reading it.
    assert {"两大主题", "三大赛道", "七个方面工作"} <= numeric


def test_strategy_codes_are_found_unquoted() -> None:
    assert find_numeric("实施532发展战略,落实3511工作部署,增长2024年") == ["532", "3511"]


@pytest.fixture(scope="module")
def seed_counts(seed_path):  # type: ignore[no-untyped-def]
    from zhpolicy.read import read_document

    document = read_document(seed_path)
    slogans = detect_slogans([document.text], load_lexicon())
    return count_slogans(split_sections(document), slogans)


def test_hand_picked_counts_equal_str_count_per_section(seed_counts, seed_sections) -> None:  # type: ignore[no-untyped-def]
    for slogan in HAND_PICKED:
        assert sum(text.count(slogan) for text in seed_sections) > 0, slogan
        for number, text in enumerate(seed_sections, start=1):
            got = sum(r.count for r in seed_counts if r.slogan.text == slogan and r.section == number)
            assert got == text.count(slogan), (slogan, number)


def test_every_count_equals_str_count(seed_counts, seed_sections) -> None:  # type: ignore[no-untyped-def]
    assert seed_counts
    for row in seed_counts:
        assert row.count == seed_sections[row.section - 1].count(row.slogan.text) > 0


def test_the_rows_name_their_kind(seed_counts) -> None:  # type: ignore[no-untyped-def]
    kinds = {r.slogan.text: r.slogan.kind for r in seed_counts}
    assert kinds["万亿之城再出发"] == "quoted"
    assert kinds["532"] == "numeric"
    assert kinds["新质生产力"] == "lexicon"


def test_str_count_semantics_for_self_overlapping_and_nested_slogans() -> None:
    sections = split_sections("哈哈哈哈哈 四个走在前 走在前")
    slogans = [Slogan("哈哈", "quoted", "哈哈"), Slogan("四个走在前", "numeric", "四个走在前"),
               Slogan("走在前", "quoted", "走在前")]
    rows = {r.slogan.text: (r.count, r.count_outside) for r in count_slogans(sections, slogans)}
    text = sections[0].text
    assert rows == {"哈哈": (text.count("哈哈"), 2), "四个走在前": (1, 1), "走在前": (text.count("走在前"), 1)}


def test_mentions_point_at_the_slogan() -> None:
    sections = split_sections("## 一\n落实“四个走在前”\n## 二\n四个走在前四个走在前")
    mentions = find_mentions(sections, ["四个走在前"])
    assert [(m.section, m.start) for m in mentions] == [(1, 8), (2, 5), (2, 10)]
    for mention in mentions:
        assert sections[mention.section - 1].text[mention.start:mention.end] == "四个走在前"


def test_several_user_lexicons_later_ones_win(tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.toml"
    first.write_text("万亿之城再出发\tlocal\n", encoding="utf-8")
    second.write_text('[[entry]]\nphrase = "万亿之城再出发"\ncategory = "slogan"\n', encoding="utf-8")
    lexicon = load_lexicon([first, second])
    assert lexicon.forms()["万亿之城再出发"].category == "slogan"
    assert lexicon.files[1:] == (str(first), str(second))


def test_lexicon_variants_count_under_their_canonical_form(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('[[entry]]\nphrase = "放管服改革"\ncategory = "reform"\nvariants = ["放管服"]\n', encoding="utf-8")
    lexicon = load_lexicon([path], include_default=False)
    slogans = detect_slogans([], lexicon)
    rows = count_slogans(split_sections("深化放管服改革。推进“放管服”。"), slogans)
    assert {(r.slogan.text, r.slogan.canonical, r.count) for r in rows} == {
        ("放管服改革", "放管服改革", 1), ("放管服", "放管服改革", 2)}


def test_shipped_lexicon_loads_with_categories() -> None:
    lexicon = load_lexicon()
    assert len(lexicon.entries) >= 300
    assert all(entry.category for entry in lexicon.entries)
    forms = lexicon.forms()
    assert {"新质生产力", "新发展理念", "高质量发展"} <= set(forms)
    assert len(lexicon.sha256) == 64


def test_user_lexicon_overrides_the_shipped_entry(tmp_path: Path) -> None:
    path = tmp_path / "mine.txt"
    path.write_text("# my phrases\n新质生产力\tmy_category\n万亿之城再出发\tlocal\n", encoding="utf-8")
    forms = load_lexicon([path]).forms()
    assert forms["新质生产力"].category == "my_category"
    assert forms["万亿之城再出发"].category == "local"


def test_malformed_lexicon_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[[entry]]\nphrase = "新质生产力"\ncategory = \n', encoding="utf-8")
    with pytest.raises(LexiconError, match=r"bad.toml: TOML syntax error: .*line 3"):
        load_lexicon([path])
    path.write_text('[[entry]]\nphrase = "新质生产力"\ncategory = "x"\nvariants = "新质"\n', encoding="utf-8")
    with pytest.raises(LexiconError, match=r"bad.toml:2: variants of '新质生产力' must be a list"):
        load_lexicon([path])
    with pytest.raises(LexiconError, match="missing.toml: cannot read"):
        load_lexicon([tmp_path / "missing.toml"])


def test_a_lexicon_phrase_with_a_full_stop_is_refused(tmp_path: Path) -> None:
    # Texts are cut into pieces after line ends and 。: a phrase holding one could straddle two pieces.
    path = tmp_path / "stops.txt"
    path.write_text("稳中求进\n稳中求进。以进促稳\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"stops.txt:2: phrase '稳中求进。以进促稳' holds a full stop"):
        load_lexicon([path])


# The two numeric-formula patterns as first written, each opening with a look-behind: find_numeric now
# runs them without it and skips matches after those characters, and opens each with a plain character
# class (both faster); the matches must be the same.
_COUNTED_WITH_LOOKBEHIND = re.compile(
    r"(?<![〇○零一二两三四五六七八九十百千万第])(?:[一二两三四五六七八九十]+[个项]|[二两三四五六七八九十]大)"
    r"(?![〇○零一二两三四五六七八九十百千万亿])[\u4e00-\u9fff]{2,4}?(?=[、,。;:!?”」)\s]|$)")
_STRATEGY_WITH_LOOKBEHIND = re.compile(
    r"(?<![0-9.])([0-9]{3,5})”?(?=发展战略|战略|工作部署|部署|工程|行动|计划|体系|格局|模式|布局)")


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="一二两三四五十百千万第个项大意识攻坚战发展战略部署工程0123456789.”“、,。 \n", max_size=40))
def test_numeric_patterns_find_what_their_look_behind_forms_find(text: str) -> None:
    from zhpolicy.slogans.detect import (
        _COUNTED_FORMULA,
        _COUNTED_FORMULA_NOT_AFTER,
        _STRATEGY_CODE,
        _STRATEGY_CODE_NOT_AFTER,
        _matches_not_after,
    )

    assert [m.span() for m in _matches_not_after(_COUNTED_FORMULA, text, _COUNTED_FORMULA_NOT_AFTER)] == [
        m.span() for m in _COUNTED_WITH_LOOKBEHIND.finditer(text)]
    assert [m.span(1) for m in _matches_not_after(_STRATEGY_CODE, text, _STRATEGY_CODE_NOT_AFTER)] == [
        m.span(1) for m in _STRATEGY_WITH_LOOKBEHIND.finditer(text)]


def _quoted_as_first_written(text: str) -> list[str]:
    """find_quoted as first written: match by match, the phrases kept in order of first appearance."""
    from zhpolicy.slogans.detect import _QUOTED, _SENTENCE_PUNCTUATION, MAX_SLOGAN_CHARS, MIN_SLOGAN_CHARS

    found = []
    for match in _QUOTED.finditer(text):
        phrase = next(group for group in match.groups() if group is not None)
        if MIN_SLOGAN_CHARS <= len(phrase) <= MAX_SLOGAN_CHARS and not _SENTENCE_PUNCTUATION.search(phrase):
            found.append(phrase)
    return list(dict.fromkeys(found))


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(["“", "”", "「", "」", "『", "』", "放管服", "揭榜挂帅", "a", "走在前", "、", ",", " ",
                                 "\n", "万亿之城再出发、走在前列"]), max_size=30).map("".join))
def test_quoted_phrases_are_those_found_match_by_match(text: str) -> None:
    assert find_quoted(text) == _quoted_as_first_written(text)


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(["守", "创", "之", "正", "新", "绝对忠诚", "政治建设", " ", ",", "、", "\n", "。"]),
                max_size=40).map("".join))
def test_couplets_are_found_line_by_line_as_in_the_whole_text(text: str) -> None:
    from zhpolicy.slogans.detect import _COUPLET, _couplet_frames

    whole: dict[str, list[str]] = {}
    for match in _COUPLET.finditer(text):
        whole.setdefault(f"{match['a']}…之{match['b']} {match['c']}…之{match['d']}", []).append(match[0])
    assert _couplet_frames(text) == tuple((frame, tuple(found)) for frame, found in whole.items())


def test_a_lexicon_phrase_is_checked_after_normalising(tmp_path: Path) -> None:
    # \r and U+2028 become line ends when normalised: such a phrase spans lines.
    path = tmp_path / "odd.toml"
    path.write_text('[[entry]]\nphrase = "稳中\\u2028求进"\ncategory = "x"\n', encoding="utf-8")
    with pytest.raises(LexiconError, match=r"odd.toml: phrase '稳中\\n求进' is empty or spans lines"):
        load_lexicon([path])


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet="万亿之城再出发a𠀀😀㐀,\n", max_size=60))
def test_matches_are_at_character_offsets_beyond_the_bmp(text: str) -> None:
    from zhpolicy.slogans.count import SloganMatcher

    patterns = ["万亿", "万亿之城再出发", "𠀀万亿", "亿😀", "aa"]
    starts, ends, ids = SloganMatcher(patterns).find(text)
    found = sorted((int(s), int(e), sorted(patterns)[int(i)]) for s, e, i in zip(starts, ends, ids))

    def counted(start: int, p: str) -> bool:  # the edge rule for this alphabet, whose numerals are 万 and 亿
        before, after = text[start - 1:start] if start else "", text[start + len(p):start + len(p) + 1]
        return not (p[0] in "万亿" and before and before in "万亿之") and not (
            p[-1] in "万亿" and after and after in "万亿")

    # Every occurrence, overlapping ones too, found by hand with str.startswith at each character.
    expected = sorted((start, start + len(p), p) for p in patterns for start in range(len(text))
                      if text.startswith(p, start) and counted(start, p))
    assert found == expected
    assert list(ends) == sorted(ends)  # in order of end
