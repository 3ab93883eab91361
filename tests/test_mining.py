from __future__ import annotations

import math
from collections import Counter

from zhpolicy.mining import branching_entropy, merge_phrases, mine_phrases, word_runs


def test_pmi_and_entropy_by_hand() -> None:
    tokens = "优化 营商环境 , 持续 优化 营商环境 。 优化 流程 , 改善 营商环境".split()
    [phrase] = mine_phrases([tokens], stop_words=frozenset(), min_pmi=0.0, min_count=2)
    assert phrase.text == "优化营商环境" and phrase.count == 2
    # N = 9 word tokens; f(优化) = 3, f(营商环境) = 3, f(优化 营商环境) = 2.
    assert phrase.pmi == round(math.log(2 * 9 / (3 * 3)), 6)
    # Left neighbours: a run start and 持续 → ln 2; right: two run ends → ln 2.
    assert phrase.entropy == round(math.log(2), 6)


def test_thresholds_filter() -> None:
    tokens = "优化 营商环境 , 持续 优化 营商环境 。".split()
    assert mine_phrases([tokens], stop_words=frozenset(), min_pmi=0.0, min_count=3) == []
    assert mine_phrases([tokens], stop_words=frozenset(), min_pmi=10.0) == []
    assert mine_phrases([tokens], stop_words=frozenset({"优化"}), min_pmi=0.0) == []


def test_branching_entropy_counts_each_boundary_as_distinct() -> None:
    assert branching_entropy(Counter({None: 3})) == math.log(3)
    assert branching_entropy(Counter({"甲": 2})) == 0.0


def test_runs_end_at_punctuation() -> None:
    assert word_runs(["甲", "乙", ",", "丙", " ", "丁"]) == [["甲", "乙"], ["丙"], ["丁"]]


def test_merge_prefers_longest() -> None:
    tokens = ["统筹", "发展", "和", "安全", "统筹", "发展"]
    assert merge_phrases(tokens, [("统筹", "发展"), ("统筹", "发展", "和", "安全")]) == ["统筹发展和安全", "统筹发展"]


def test_seed_mining_is_capped_ranked_and_stable(seed_analysis) -> None:  # type: ignore[no-untyped-def]
    slogans = seed_analysis.tables["slogans"]
    mined = slogans[slogans.kind == "mined"].slogan.unique()
    assert 10 <= len(mined) <= 30 + 3  # the cap, plus the three couplets
    # Multi-word, not numbers, and kept whole in the term table.
    terms = set(seed_analysis.tables["term_freq"].term)
    for phrase in mined:
        assert len(phrase) >= 3
        if " " not in phrase:
            assert phrase in terms, phrase
    # Phrases found by hand in the seed, each recurring and cut apart by plain jieba.
    assert {"优化营商环境", "地区生产总值", "民生实事", "扭住项目牛鼻子"} <= set(mined)


def test_mining_can_be_turned_off(seed_path) -> None:  # type: ignore[no-untyped-def]
    import zhpolicy

    [analysis] = zhpolicy.analyze([zhpolicy.read_document(seed_path)], options=zhpolicy.Options(mine_top=0))
    kinds = set(analysis.tables["slogans"].kind)
    # Couplets are structural (a repeated frame), found without statistics; nothing else is mined.
    mined = analysis.tables["slogans"].query("kind == 'mined'")
    assert set(mined.family) <= {"守…之正 创…之新"}
    assert {"quoted", "numeric", "lexicon"} <= kinds
