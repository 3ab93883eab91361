from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pytest

from zhpolicy.figures import clouds
from zhpolicy.figures.clouds import draw_wordcloud, render_wordclouds, wordcloud_frequencies
from zhpolicy.figures.fonts import cjk_font_path, font_charmap, font_for, missing_glyphs


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
    charmap = font_charmap()
    frequencies = wordcloud_frequencies(seed_analysis.tables["term_freq"])
    for name in ("wordcloud", "wordcloud_s01", "wordcloud_s10"):
        cloud = draw_wordcloud(frequencies[name])
        drawn = [word for (word, _), *_ in cloud.layout_]
        assert len(drawn) >= 10, name
        assert all(ord(ch) in charmap for word in drawn for ch in word), name
        assert any("\u4e00" <= ch <= "\u9fff" for word in drawn for ch in word)
        with font_for(frequencies[name]) as cut:  # the font the written clouds are drawn with
            cut_charmap = font_charmap(cut)
        assert all(ord(ch) in cut_charmap for word in drawn for ch in word), name
        assert len(cut_charmap) < 0.1 * len(charmap), name


KERNED = {"AVATAR": 5, "Toyota": 3, "WAVE": 2, "“新质生产力”": 3, "AI+": 2, "LV": 2, "office": 1, "高质量发展": 4}


def test_clouds_drawn_with_the_cut_font_have_the_pixels_of_the_whole_font(seed_analysis) -> None:  # type: ignore[no-untyped-def]
    # Latin pairs that the font kerns (AV, To, WA) and a ligature (ffi): Pillow with raqm applies the
    # font's layout features, which the cut keeps.
    for frequencies in (wordcloud_frequencies(seed_analysis.tables["term_freq"])["wordcloud_s01"], KERNED):
        whole = _png(draw_wordcloud(frequencies, font_path=cjk_font_path()).to_image())
        assert _png(clouds._cloud_image(frequencies)) == whole


def test_the_cut_font_is_removed_after_drawing_even_on_failure(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    clouds._cloud_image({"发展": 2, "改革": 1})
    render_wordclouds({"a": {"改革": 3, "开放": 1}, "b": {"民生": 2}}, workers=2)
    with pytest.raises(RuntimeError), font_for(["发展"]) as path:
        assert path.parent == tmp_path and path.stat().st_size > 1000
        raise RuntimeError("drawing failed")
    assert list(tmp_path.iterdir()) == []


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
