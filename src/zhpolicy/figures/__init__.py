"""Figures with a real CJK font, returned and never written here.

- :mod:`~zhpolicy.figures.fonts`: :func:`cjk_font_path`, :func:`missing_glyphs`, :func:`use_cjk_font`.
- :mod:`~zhpolicy.figures.clouds`: :func:`draw_wordcloud`.
- :mod:`~zhpolicy.figures.plots`: heatmap, keyness, category shares, comparison cloud, trend and change plots;
  :func:`comparison_figures` (the figures a set of tables gets).
"""
from zhpolicy.figures.clouds import draw_wordcloud, wordcloud_frequencies
from zhpolicy.figures.fonts import cjk_context, cjk_font_path, missing_glyphs, use_cjk_font
from zhpolicy.figures.plots import (
    category_shares_plot,
    change_plot,
    comparison_cloud,
    comparison_figures,
    keyness_plot,
    slogan_heatmap,
    trend_plot,
)

__all__ = ["category_shares_plot", "change_plot", "cjk_context", "cjk_font_path", "comparison_cloud",
           "comparison_figures", "draw_wordcloud", "keyness_plot", "missing_glyphs", "slogan_heatmap", "trend_plot",
           "use_cjk_font", "wordcloud_frequencies"]
