"""Text before it is split: normalising, cleaning, script conversion, heading lines.

- :mod:`~zhpolicy.text.normalize`: :func:`normalize_text` — line ends, full-width ASCII, invisible characters.
- :mod:`~zhpolicy.text.clean`: :func:`clean_text` and its steps (front matter, HTML, page numbers, running
  heads, broken lines), :func:`parse_clean_steps`.
- :mod:`~zhpolicy.text.convert`: :func:`convert_script` (OpenCC), :func:`traditional_share`.
- :mod:`~zhpolicy.text.boilerplate`: :func:`find_boilerplate`, :func:`remove_boilerplate` — lines that recur
  across the documents of a corpus (licence notices, site navigation).
- :mod:`~zhpolicy.text.headings`: :func:`heading_title`, :func:`find_headings`, :func:`compile_heading_regex`.
"""
from zhpolicy.text.boilerplate import Boilerplate, count_lines, find_boilerplate, remove_boilerplate
from zhpolicy.text.clean import CLEAN_STEPS, SAFE_STEPS, clean_text, parse_clean_steps, split_front_matter
from zhpolicy.text.convert import CONVERSIONS, convert_script, traditional_share
from zhpolicy.text.headings import compile_heading_regex, find_headings, heading_title
from zhpolicy.text.normalize import normalize_text

__all__ = ["CLEAN_STEPS", "CONVERSIONS", "SAFE_STEPS", "Boilerplate", "clean_text", "compile_heading_regex",
           "convert_script", "count_lines", "find_boilerplate", "find_headings", "heading_title", "normalize_text",
           "parse_clean_steps", "remove_boilerplate", "split_front_matter", "traditional_share"]
