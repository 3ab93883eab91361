"""Slogan detection in depth on the seed: quoted, numeric, families, couplets, mentions, tokens kept whole."""
from __future__ import annotations

import re

import pytest
from test_detect import SEED_QUOTED

# The 常有 enumeration of the seed, read off the text by hand, and its umbrella formula.
CHANGYOU = {"常有颐养", "常有安居", "常有善育", "常有健康", "常有优学", "常有众扶", "六个常有"}
# The last line of the seed: three couplets of one frame.
COUPLETS = {"守绝对忠诚之正 创政治建设之新", "守秉公用权之正 创法治建设之新", "守担当实干之正 创作风建设之新"}


@pytest.fixture(scope="module")
def slogans(seed_analysis):  # type: ignore[no-untyped-def]
    return seed_analysis.tables["slogans"]


#: Quoted in the seed but common words (idioms, 万亿 "a trillion", 小区 "a housing estate"), read by hand:
#: terms in quotes, not slogans.
COMMON_QUOTED = {"千辛万苦", "千头万绪", "千难万险", "万亿", "小区", "压舱石"}


def test_quoted_common_words_are_not_slogans(slogans) -> None:  # type: ignore[no-untyped-def]
    from zhpolicy.slogans.detect import is_common_word, is_numeric_formula

    # 两会 is a common word too, but it opens with a numeral: a numeric formula, kept.
    common = {phrase for phrase in SEED_QUOTED if is_common_word(phrase) and not is_numeric_formula(phrase)}
    assert {"千辛万苦", "千头万绪", "万亿"} <= common <= COMMON_QUOTED
    assert not common & set(slogans[slogans.kind == "quoted"].slogan)


def test_every_quoted_slogan_has_its_exact_count_in_every_section(slogans, seed_sections) -> None:  # type: ignore[no-untyped-def]
    from zhpolicy.slogans.detect import is_common_word, is_numeric_formula

    for phrase in (p for p in SEED_QUOTED if is_numeric_formula(p) or not is_common_word(p)):
        for number, text in enumerate(seed_sections, start=1):
            rows = slogans[(slogans.slogan == phrase) & (slogans.section == number)]
            expected = text.count(phrase)
            assert (rows["count"].sum() if len(rows) else 0) == expected, (phrase, number)
            assert len(rows) == (1 if expected else 0)


def test_the_changyou_family_is_grouped(slogans) -> None:  # type: ignore[no-untyped-def]
    family = slogans[slogans.family == "常有X"]
    assert set(family.slogan) == CHANGYOU


def test_the_couplets_are_found_as_one_family(slogans, seed_sections) -> None:  # type: ignore[no-untyped-def]
    couplets = slogans[slogans.family == "守…之正 创…之新"]
    assert set(couplets.slogan) == COUPLETS
    assert set(couplets.kind) == {"couplet"}
    for row in couplets.itertuples():
        assert row.count == seed_sections[row.section - 1].count(row.slogan) == 1


def test_numeric_formulas_are_found_and_named(slogans) -> None:  # type: ignore[no-untyped-def]
    kinds = dict(zip(slogans.slogan, slogans.kind))
    for formula in ("四个走在前", "四个新", "四敢", "六个常有", "532", "3511"):
        assert kinds[formula] == "numeric", formula
    # 十四五 is numeric too, but the lexicon knows it (a variant of 十四五规划) and the lexicon comes first.
    assert kinds["十四五"] == "lexicon"
    assert set(slogans[slogans.slogan == "十四五"].canonical) == {"十四五规划"}


def test_no_slogan_is_split_by_the_tokenizer(seed_analysis, slogans) -> None:  # type: ignore[no-untyped-def]
    # Every occurrence that is not inside a longer slogan is exactly one token. Slogans holding
    # punctuation or spaces (“走在前、做示范”) cannot be one jieba token and are left out.
    from zhpolicy.pipeline import section_tokens

    checked = 0
    tokens = {section.number: section_tokens(seed_analysis, section.number) for section in seed_analysis.sections}
    for row in slogans.itertuples():
        if re.fullmatch(r"[\u4e00-\u9fff0-9]+", row.slogan):
            assert tokens[row.section].count(row.slogan) == row.count_outside, row
            checked += 1
    assert checked >= 80


def test_count_outside_for_nested_slogans(seed_analysis, seed_sections) -> None:  # type: ignore[no-untyped-def]
    from zhpolicy.slogans.count import count_slogans
    from zhpolicy.slogans.detect import Slogan

    rows = count_slogans(seed_analysis.sections, [Slogan("万亿", "quoted", "万亿"),
                                                  Slogan("万亿之城再出发", "quoted", "万亿之城再出发")])
    (row,) = [r for r in rows if r.slogan.text == "万亿" and r.section == 3]
    text = seed_sections[2]
    assert row.count == text.count("万亿")
    assert row.count_outside == text.count("万亿") - text.count("万亿之城再出发") > 0


def test_table_is_sorted_by_total_then_text(slogans) -> None:  # type: ignore[no-untyped-def]
    totals = slogans.groupby("slogan")["count"].sum()
    keys = [(-totals[s], s, n) for s, n in zip(slogans.slogan, slogans.section)]
    assert keys == sorted(keys)


def test_mentions_add_up_to_the_slogan_counts(seed_analysis, slogans, seed_sections) -> None:  # type: ignore[no-untyped-def]
    mentions = seed_analysis.tables["mentions"]
    assert list(mentions.columns) == ["section", "slogan", "start", "end", "paragraph", "context"]
    per_slogan = mentions.groupby(["section", "slogan"]).size()
    assert {key: int(value) for key, value in per_slogan.items()} == {
        (row.section, row.slogan): row.count for row in slogans.itertuples()}
    for row in mentions.itertuples():
        section_text = seed_sections[row.section - 1]
        assert section_text[row.start:row.end] == row.slogan
        assert f"【{row.slogan}】" in row.context


def test_mention_paragraph_is_counted_by_blank_lines(seed_analysis, seed_sections) -> None:  # type: ignore[no-untyped-def]
    mentions = seed_analysis.tables["mentions"]
    row = mentions[(mentions.slogan == "六个常有")].iloc[0]
    text = seed_sections[row.section - 1]
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip("\n")) if p.strip()]
    assert "六个常有" in paragraphs[row.paragraph - 1]


def test_summary_aggregates_variants_by_canonical(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import zhpolicy
    from zhpolicy.outputs.summary import summarize

    lexicon_path = tmp_path / "mine.toml"
    lexicon_path.write_text('[[entry]]\nphrase = "放管服改革"\ncategory = "reform"\nvariants = ["放管服"]\n',
                            encoding="utf-8")
    report = tmp_path / "r.md"
    report.write_text("## 一\n深化放管服改革。\n## 二\n推进“放管服”。\n", encoding="utf-8")
    lexicon = zhpolicy.load_lexicon([lexicon_path], include_default=False)
    [analysis] = zhpolicy.analyze([zhpolicy.read_document(report)], lexicon=lexicon)
    summary = summarize(analysis, options=zhpolicy.Options(), lexicon=lexicon)
    # Two namings: 放管服改革 (with 放管服 inside it, not counted again) and “放管服”.
    assert {"canonical": "放管服改革", "total": 2} in summary["top_formulations"]
    assert summary["lexicon"]["sha256"] == lexicon.sha256


def test_formulations_count_each_naming_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import zhpolicy

    lexicon_path = tmp_path / "mine.toml"
    lexicon_path.write_text('[[entry]]\nphrase = "十四五规划"\ncategory = "development"\nvariants = ["十四五"]\n',
                            encoding="utf-8")
    report = tmp_path / "r.md"
    text = "## 一\n编制十四五规划,完成“十四五”目标。\n## 二\n十四五规划十四五规划\n"
    report.write_text(text, encoding="utf-8")
    lexicon = zhpolicy.load_lexicon([lexicon_path], include_default=False)
    [analysis] = zhpolicy.analyze([zhpolicy.read_document(report)], lexicon=lexicon)
    formulations = analysis.tables["formulations"]
    got = {(r.section, r.canonical): r.count for r in formulations.itertuples()}
    # Section 1 names the plan twice (once in full, once short); section 2 twice in full.
    assert got == {(1, "十四五规划"): 2, (2, "十四五规划"): 2}
    # The surface-form rows still follow str.count: 十四五 occurs in both full forms too.
    slogans = {(r.section, r.slogan): r.count for r in analysis.tables["slogans"].itertuples()}
    assert slogans[(1, "十四五")] == 2 and slogans[(2, "十四五")] == 2
    matrix = analysis.tables["formulation_matrix"].set_index("formulation")
    assert matrix.loc["十四五规划", "total"] == 4


def test_seed_formulation_matrix_matches_the_text(seed_analysis, seed_sections) -> None:  # type: ignore[no-untyped-def]
    matrix = seed_analysis.tables["formulation_matrix"].set_index("formulation")
    # The seed writes “十四五” (quoted, then 规划): every naming is the short form.
    row = matrix.loc["十四五规划"]
    assert [row[f"s{n:02d}"] for n in range(1, 11)] == [text.count("十四五") for text in seed_sections]


def test_paragraph_numberer_agrees_with_paragraph_number_everywhere(seed_sections) -> None:  # type: ignore[no-untyped-def]
    from zhpolicy.sections import paragraph_number, paragraph_numberer

    for text in [*seed_sections, "\n\n甲\n \n\n乙\n\n\n", "无段落"]:
        number = paragraph_numberer(text)
        assert [number(i) for i in range(len(text))] == [paragraph_number(text, i) for i in range(len(text))]


def test_slogan_counts_are_the_slogans_table_even_without_the_slogan_list(seed_analysis) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    counts = seed_analysis.slogan_counts
    table = seed_analysis.tables["slogans"]
    assert [(c.section, c.slogan.text, c.count, c.count_outside) for c in counts] == \
        list(zip(table["section"], table["slogan"], table["count"], table["count_outside"]))
    # An analysis made without its slogan list (analyze_document(slogans=()) rebuilds each from the table.
    # (edge rules are not in the table: the rebuilt slogans hold what the table holds)
    def shown(rows):  # type: ignore[no-untyped-def]
        return [(c.section, c.slogan.text, c.slogan.kind, c.slogan.canonical, c.slogan.category, c.slogan.family,
                 c.count, c.count_outside) for c in rows]

    assert shown(replace(seed_analysis, slogans=()).slogan_counts) == shown(counts)


def test_a_lexicon_entry_does_not_count_across_the_word_boundary_it_forbids() -> None:
    from zhpolicy.sections import split_sections
    from zhpolicy.slogans.count import count_slogans
    from zhpolicy.slogans.detect import detect_slogans
    from zhpolicy.slogans.lexicon import load_lexicon

    # Sentences of the 2007 and 2022 congress reports: 创新发展理念 is 创新 + 发展理念, not 新发展理念.
    text = "深入贯彻落实科学发展观,把握发展规律、创新发展理念、破解发展难题。\n完整、准确、全面贯彻新发展理念。\n"
    slogans = [s for s in detect_slogans([], load_lexicon()) if s.text == "新发展理念"]
    assert slogans and slogans[0].not_after == "创"
    rows = count_slogans(split_sections(text), slogans)
    assert [(r.slogan.text, r.count) for r in rows] == [("新发展理念", text.count("新发展理念") - 1)]
