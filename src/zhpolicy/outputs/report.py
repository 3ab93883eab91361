"""The HTML report: tables and PNG figures into one self-contained page (images and a font subset inlined)."""
from __future__ import annotations

import base64
import functools
import io
import math
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from zhpolicy._version import __version__
from zhpolicy.compare import section_label
from zhpolicy.figures.fonts import subset_font
from zhpolicy.tables import table_blocks, table_shape

#: CSS font stack: the embedded subset of Noto Sans CJK SC first, then common system CJK fonts.
FONT_STACK = ('"zhpolicy Noto Sans CJK SC", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", '
              '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif')


@dataclass(frozen=True)
class Image:
    """A PNG for the report: ``data`` is the file's bytes."""

    id: str
    caption: str
    data: bytes


#: Rows and columns of a table shown in the report at most (the CSV files and tables.xlsx have them all):
#: a page of a million cells is neither readable nor quick to open.
REPORT_MAX_ROWS = 500
REPORT_MAX_COLUMNS = 40


@dataclass(frozen=True)
class Table:
    """A table for the report: ``limit`` rows and ``max_columns`` columns at most are shown (the CSV
    has them all)."""

    id: str
    table: pd.DataFrame
    caption: str = ""
    limit: int | None = REPORT_MAX_ROWS
    titles: Mapping[str, str] = field(default_factory=dict)
    max_columns: int = REPORT_MAX_COLUMNS
    rows: int | None = None  # rows of the whole table, when ``table`` holds only its first rows
    columns: int | None = None  # and its columns, when ``table`` holds only its first columns


@dataclass(frozen=True)
class Block:
    """One section of the report, with its entry in the table of contents."""

    id: str
    heading: str
    note: str = ""
    headline: Sequence[tuple[str, Any]] = ()
    items: Sequence[str] = ()
    images: Sequence[Image] = ()
    tables: Sequence[Table] = ()


def table_data(table: Table) -> dict[str, Any]:
    """A table as template data: columns (name, numeric, title) and rows of cells (text, sort value)."""
    frame = table.table if table.limit is None else table.table.head(table.limit)
    frame = frame.iloc[:, :table.max_columns]
    numeric = {name: pd.api.types.is_numeric_dtype(frame[name]) and not pd.api.types.is_bool_dtype(frame[name])
               for name in frame.columns}
    columns = [{"name": str(name), "numeric": numeric[name], "title": table.titles.get(str(name), "")}
               for name in frame.columns]
    rows = []
    for values in frame.itertuples(index=False, name=None):
        cells = []
        for name, value in zip(frame.columns, values):
            if numeric[name]:
                number = float(value) if value is not None and not pd.isna(value) else math.nan
                cells.append({"numeric": True, "value": "" if math.isnan(number) else repr(number),
                              "text": _format_number(number), "zero": number == 0})
            else:
                cells.append({"numeric": False, "text": "" if value is None or pd.isna(value) else str(value)})
        rows.append(cells)
    total = len(table.table) if table.rows is None else table.rows
    shown = [f"前 {len(frame)} 行, 共 {total} 行"] if len(frame) < total else []
    width = len(table.table.columns) if table.columns is None else table.columns
    if len(frame.columns) < width:
        shown.append(f"前 {len(frame.columns)} 列, 共 {width} 列")
    more = "; ".join(shown) + "; 全部见 CSV 文件。" if shown else ""
    return {"id": table.id, "caption": table.caption, "columns": columns, "rows": rows, "more": more}


def _format_number(number: float) -> str:
    if math.isnan(number):
        return ""
    if number == int(number) and abs(number) < 1e15:
        return str(int(number))
    if abs(number) < 1e-3:
        return f"{number:.2e}"
    return f"{number:.3f}"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG from its header."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def render_report(
    blocks: Sequence[Block], *, title: str, subtitle: str = "", footer: str = "", embed_font: bool = True,
) -> str:
    """The report as one HTML string: every image inlined as a base64 data URI, tables sortable by a
    few lines of inline JavaScript, a table of contents, and (``embed_font``) a subset of Noto Sans CJK
    SC holding just the characters of the page, so Chinese shows on machines without a CJK font.
    Blocks with nothing to show are left out.
    """
    from markupsafe import Markup


    template = _report_template()
    context = {
        "title": title, "subtitle": subtitle, "footer": footer, "version": __version__, "font_stack": Markup(FONT_STACK),
        "blocks": [_block_data(block) for block in blocks if block.headline or block.items or block.images
                   or block.tables],  # a block left empty (no pictures, no years) is left out
    }
    page = str(template.render(**context, font_css=""))
    if not embed_font:
        return page
    return str(template.render(**context, font_css=Markup(font_face_css(page))))


@functools.cache
def _report_template() -> Any:
    """The page's Jinja template, compiled once per process and reused for every report."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    environment = Environment(loader=PackageLoader("zhpolicy", "data"), autoescape=select_autoescape(["j2", "html"]),
                              trim_blocks=False, lstrip_blocks=False)
    return environment.get_template("report.html.j2")


def _block_data(block: Block) -> dict[str, Any]:
    images = []
    for image in block.images:
        width, height = png_size(image.data)
        images.append({"id": image.id, "caption": image.caption, "width": width, "height": height,
                       "data": base64.b64encode(image.data).decode("ascii")})
    return {"id": block.id, "heading": block.heading, "note": block.note, "headline": list(block.headline),
            "entries": list(block.items), "images": images, "tables": [table_data(t) for t in block.tables]}


def font_face_css(text: str) -> str:
    """An ``@font-face`` rule with the characters of ``text`` (plus printable ASCII) from Noto Sans CJK
    SC (SIL Open Font License), inlined as a WOFF data URI.

    The subset is cut with HarfBuzz (:func:`zhpolicy.figures.fonts.subset_font`) and wrapped as WOFF by
    fontTools. The same text gives the same bytes (no time stamp is written).
    """
    from fontTools.ttLib import TTFont


    # set(text) first: a page with pictures is megabytes of base64, of a few thousand distinct characters.
    characters = {ch for ch in set(text) if not ch.isspace()} | {chr(code) for code in range(0x20, 0x7F)}
    buffer = io.BytesIO()
    with TTFont(io.BytesIO(subset_font(characters)), recalcBBoxes=False, recalcTimestamp=False) as font:
        font.flavor = "woff"
        font.save(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return ('@font-face { font-family: "zhpolicy Noto Sans CJK SC"; font-style: normal; font-weight: 400; '
            f'src: url(data:font/woff;base64,{data}) format("woff"); }}')


def _section_titles(sections: pd.DataFrame) -> dict[str, str]:

    return {section_label(n): f"{int(n)} {title}" for n, title in zip(sections["section"], sections["title"])}


def document_blocks(
    tables: Mapping[str, pd.DataFrame], summary: Mapping[str, Any], images: Mapping[str, bytes], *, top_keyness: int = 10,
) -> list[Block]:
    """The blocks of one document's report: headline numbers, sections, slogan matrix, keyness,
    categories and word clouds (``images``: PNG name without ``.png`` → bytes; missing ones are left out)."""
    slogans, sections = tables["slogans"], tables["sections"]
    titles = _section_titles(sections)
    top = [f"{row['slogan']} · {row['total']}" for row in summary.get("top_slogans", [])[:10]]
    headline = [("部分 sections", summary.get("sections", len(sections))),
                ("字符 characters", f"{int(sections['chars'].sum()):,}"),
                ("词元 tokens", f"{int(sections['tokens'].sum()):,}"),
                ("口号与提法 slogans", int(slogans["slogan"].nunique()) if len(slogans) else 0),
                ("出现次数 mentions", int(slogans.groupby("slogan")["count"].sum().sum()) if len(slogans) else 0)]
    key_top, key_rows = _top_keyness(tables, top_keyness)

    def image(name: str, caption: str) -> list[Image]:
        return [Image(name, caption, images[name])] if name in images else []

    clouds = image("wordcloud", "全文词云 whole document")
    for number, title in zip(sections["section"], sections["title"]):
        clouds += image(f"wordcloud_s{int(number):02d}", f"{int(number)} {title}")
    return [
        Block("headline", "概要 Headline", headline=headline, items=top,
              note="最常出现的口号与提法 (全文次数, 含嵌套出现): top slogans, total count."),
        Block("sections", "各部分 Sections", tables=[Table("table-sections", sections)]),
        Block("matrix", "口号矩阵 Slogan matrix",
              note="每个口号在各部分的精确次数 (str.count); 颜色为每万字次数. Exact counts per section; "
                   "colour shows the rate per 10,000 characters.",
              images=image("slogan_heatmap", "口号 × 部分 heatmap"),
              tables=[_preview(tables, "slogan_matrix", "table-slogan-matrix", "次数 counts", titles=titles),
                      _preview(tables, "slogan_rates", "table-slogan-rates", "每万字次数 per 10,000 characters",
                               titles=titles)]),
        Block("keyness", "关键词 Keyness",
              note="各部分与其余部分相比的对数似然 G² 与 χ² (Yates 校正, 同 quanteda textstat_keyness); "
                   "负值表示低于预期. Log-likelihood and chi-square of each section against the rest.",
              images=image("keyness", "各部分关键词 top key terms"),
              tables=[Table("table-keyness", key_top, f"每部分前 {top_keyness} 个 top {top_keyness} per section",
                            rows=key_rows)]),
        Block("categories", "提法类别 Categories",
              note="词典提法按类别的构成 (count_outside, 嵌套不重复计). Shares of lexicon categories.",
              images=image("category_shares", "类别构成 category shares"),
              tables=[Table("table-category-shares", tables["category_shares"])]),
        Block("comparison-cloud", "对比词云 Comparison cloud",
              note="每个词的颜色是它频率最突出的部分, 大小是超出各部分平均频率的程度. Each term in the colour of the "
                   "section where it is most over-represented.",
              images=image("comparison_cloud", "对比词云 comparison cloud")),
        Block("clouds", "词云 Word clouds", images=clouds),
    ]


def _preview(tables: Mapping[str, pd.DataFrame], name: str, id: str, caption: str, *,
             titles: Mapping[str, str]) -> Table:
    """The part of a table the report shows (its first rows and columns), read a block at a time:
    a slogan matrix of a text cut into 100,000 sections has a column for each."""
    shown: list[pd.DataFrame] = []
    held = 0
    for block in table_blocks(tables, name):
        shown.append(block.iloc[:REPORT_MAX_ROWS - held, :REPORT_MAX_COLUMNS])
        held += len(shown[-1])
        if held >= REPORT_MAX_ROWS:
            break
    rows, columns = table_shape(tables, name)
    frame = pd.concat(shown, ignore_index=True) if shown else tables[name]
    return Table(id, frame, caption, titles=titles, rows=rows, columns=columns)


def _top_keyness(tables: Mapping[str, pd.DataFrame], top: int) -> tuple[pd.DataFrame, int]:
    """The ``top`` over-represented terms of each section (g2 > 0), as many rows as the report shows,
    and how many there are in all: read a block of sections at a time (a text cut into 100,000
    sections has millions of keyness rows)."""
    shown: list[pd.DataFrame] = []
    held = rows = 0
    for block in table_blocks(tables, "keyness"):
        chosen = block[block["g2"] > 0].groupby("section", sort=True).head(top) if len(block) else block
        rows += len(chosen)
        if held < REPORT_MAX_ROWS:
            shown.append(chosen.head(REPORT_MAX_ROWS - held))
            held += len(shown[-1])
    return (pd.concat(shown, ignore_index=True) if shown else tables["keyness"]), rows


def corpus_blocks(tables: Mapping[str, pd.DataFrame], images: Mapping[str, bytes], *, top_keyness: int = 10) -> list[Block]:
    """The blocks of the corpus report: documents, slogan matrix across documents, trend, keyness, categories."""
    documents = tables["documents"]
    keyness = tables["keyness"]
    key_top = keyness[keyness["g2"] > 0].groupby("document", sort=False).head(top_keyness) if len(keyness) else keyness

    def image(name: str, caption: str) -> list[Image]:
        return [Image(name, caption, images[name])] if name in images else []

    headline = [("文档 documents", len(documents)), ("字符 characters", f"{int(documents['chars'].sum()):,}"),
                ("口号与提法 slogans", int(tables["slogans"]["slogan"].nunique()) if len(tables["slogans"]) else 0)]
    return [
        Block("headline", "概要 Headline", headline=headline, tables=[Table("table-documents", documents)]),
        Block("matrix", "口号矩阵 Slogan matrix", note="每个口号在各文档的精确次数; 颜色为每万字次数.",
              images=image("slogan_heatmap", "口号 × 文档 heatmap"),
              tables=[Table("table-slogan-matrix", tables["slogan_matrix"], "次数 counts"),
                      Table("table-slogan-rates", tables["slogan_rates"], "每万字次数 per 10,000 characters")]),
        Block("trend", "年度变化 Trend", note="有年份的文档 (front matter year: 或文件名中的年份).",
              images=image("trend", "口号年度变化 trend")),
        Block("keyness", "关键词 Keyness", note="各文档与其余文档相比的对数似然 G².",
              images=image("keyness", "各文档关键词"),
              tables=[Table("table-keyness", key_top, f"每文档前 {top_keyness} 个")]),
        Block("categories", "提法类别 Categories", images=image("category_shares", "类别构成"),
              tables=[Table("table-category-shares", tables["category_shares"])]),
        Block("comparison-cloud", "对比词云 Comparison cloud", images=image("comparison_cloud", "对比词云 comparison cloud")),
    ]
