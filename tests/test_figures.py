from __future__ import annotations

import gc
import io
from pathlib import Path

from zhpolicy.figures import cjk_font_path, draw_wordcloud, font_charmap, missing_glyphs, render_wordclouds
from zhpolicy.outputs import wordcloud_frequencies


def test_the_font_is_the_bundled_noto_cjk() -> None:
    path = cjk_font_path()
    assert path.name == "NotoSansCJKsc-Regular.otf"
    assert path.stat().st_size > 10_000_000


def test_font_covers_every_character_of_the_seed_terms(seed_analysis) -> None:  # type: ignore[no-untyped-def]
    terms = "".join(seed_analysis.tables["term_freq"]["term"])
    assert missing_glyphs(terms) == set()
    # The check itself can fail: a character no CJK font has (a private-use code point) is reported.
    assert missing_glyphs("发展\ue000") == {"\ue000"}


def test_every_word_drawn_in_the_seed_clouds_has_glyphs(seed_analysis) -> None:  # type: ignore[no-untyped-def]
    frequencies = wordcloud_frequencies(seed_analysis.tables["term_freq"])
    for name in ("wordcloud", "wordcloud_s01", "wordcloud_s10"):
        cloud = draw_wordcloud(frequencies[name])
        charmap = font_charmap(Path(cloud.font_path))  # the font the cloud draws with: a cut of the CJK font
        assert len(charmap) < 0.1 * len(font_charmap()), name
        drawn = [word for (word, _), *_ in cloud.layout_]
        assert len(drawn) >= 10, name
        assert all(ord(ch) in charmap for word in drawn for ch in word), name
        assert any("\u4e00" <= ch <= "\u9fff" for word in drawn for ch in word)


def test_a_cloud_drawn_with_the_cut_font_has_the_pixels_of_the_whole_font(seed_analysis) -> None:  # type: ignore[no-untyped-def]
    frequencies = wordcloud_frequencies(seed_analysis.tables["term_freq"])["wordcloud_s01"]
    cut = draw_wordcloud(frequencies)
    assert Path(cut.font_path) != cjk_font_path()
    whole = draw_wordcloud(frequencies, font_path=cjk_font_path())
    assert _png(cut.to_image()) == _png(whole.to_image())
    font_file = Path(cut.font_path)
    assert font_file.is_file()
    del cut
    gc.collect()
    assert not font_file.exists()  # the temporary font goes with its cloud


def test_wordcloud_is_deterministic_and_draws_whole_slogans() -> None:
    frequencies = {"万亿之城再出发": 8, "532": 2, "高质量发展": 3, "新质生产力": 1}
    first = _png(draw_wordcloud(frequencies).to_image())
    second = _png(draw_wordcloud(frequencies).to_image())
    assert first == second
    drawn = {word for (word, _), *_ in draw_wordcloud(frequencies).layout_}
    assert drawn == set(frequencies)


def test_parallel_rendering_gives_the_same_pictures() -> None:
    jobs = {"a": {"改革": 3, "开放": 1}, "b": {"民生": 2, "实事": 2}, "empty": {}}
    serial = render_wordclouds(jobs, workers=1)
    parallel = render_wordclouds(jobs, workers=2)
    assert set(serial) == {"a", "b"}
    assert {k: _png(v) for k, v in serial.items()} == {k: _png(v) for k, v in parallel.items()}


def _png(image) -> bytes:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
