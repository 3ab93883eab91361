"""Figures with a real CJK font, returned and never written here.

- :mod:`~zhpolicy.figures.fonts`: :func:`cjk_font_path`, :func:`missing_glyphs`, :func:`use_cjk_font`.
- :mod:`~zhpolicy.figures.clouds`: :func:`draw_wordcloud`.
- :mod:`~zhpolicy.figures.plots`: heatmap, keyness, category shares, comparison cloud, trend and change plots;
  :func:`comparison_figures` (the figures a set of tables gets).
"""
from zhpolicy.figures.clouds import draw_wordcloud
from zhpolicy.figures.fonts import cjk_font_path, missing_glyphs, use_cjk_font
from zhpolicy.figures.plots import comparison_figures

__all__ = ["cjk_font_path", "comparison_figures", "draw_wordcloud", "missing_glyphs", "use_cjk_font"]
