"""Comparison outputs: figures (size, CJK glyphs), tables.xlsx, report.html (self-contained, and loaded in
a real headless chromium), the corpus folder for several documents, and ``zhpolicy compare``."""
from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhpolicy.compare import corpus_tables, section_label
from zhpolicy.figures import fonts, plots
from zhpolicy.figures.fonts import cjk_font_path, missing_glyphs

CHROMIUM = Path("/usr/bin/chromium")
NEW_FILES = {"slogan_matrix.csv", "slogan_rates.csv", "keyness.csv", "category_shares.csv", "tables.xlsx",
             "report.html", "slogan_heatmap.png", "keyness.png", "category_shares.png", "comparison_cloud.png"}


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MPLBACKEND": "Agg"}
    return subprocess.run([sys.executable, "-m", "zhpolicy", *args], capture_output=True, text=True, env=env,
                          timeout=600, check=False)


def read_rows(path: Path) -> list[dict[str, str]]:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf"), f"{path.name} has no BOM"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def png_size(path_or_bytes: Path | bytes) -> tuple[int, int]:
    import io

    from PIL import Image

    data = path_or_bytes.read_bytes() if isinstance(path_or_bytes, Path) else path_or_bytes
    with Image.open(io.BytesIO(data)) as image:
        return image.size


@pytest.fixture(scope="module")
def seed_folder(tmp_path_factory, seed_path):  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("out")
    result = run_cli("analyze", str(seed_path), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert not (out / "corpus").exists()  # one document: no corpus folder
    return out / seed_path.stem


# --- figures -----------------------------------------------------------------------------------------


def _figure_texts(figure) -> list[str]:  # type: ignore[no-untyped-def]
    from matplotlib.text import Text

    return [t.get_text() for t in figure.findobj(Text) if t.get_text().strip()]


def _seed_figures(analysis):  # type: ignore[no-untyped-def]
    from zhpolicy.figures.plots import comparison_figures

    return comparison_figures(analysis.tables)


def test_figures_have_their_size_and_every_label_has_a_glyph(seed_analysis) -> None:  # type: ignore[no-untyped-def]
    from matplotlib import font_manager

    from zhpolicy.outputs.files import figure_png

    built = _seed_figures(seed_analysis)
    assert set(built) == {"slogan_heatmap", "keyness", "category_shares", "comparison_cloud"}
    for name, figure in built.items():
        width, height = figure.get_size_inches() * figure.dpi
        data = figure_png(figure)  # any "Glyph missing" warning fails the test (filterwarnings = error)
        assert png_size(data) == (round(width), round(height)), name
        texts = _figure_texts(figure)
        assert any(re.search(r"[\u4e00-\u9fff]", t) for t in texts), name
        assert missing_glyphs("".join(texts)) == set(), name
        for text in figure.findobj(lambda artist: hasattr(artist, "get_fontproperties")):
            if re.search(r"[\u4e00-\u9fff]", getattr(text, "get_text", lambda: "")()):
                assert Path(font_manager.findfont(text.get_fontproperties())).name == cjk_font_path().name


def test_heatmap_shows_the_top_slogans_and_readable_section_titles(seed_analysis) -> None:  # type: ignore[no-untyped-def]
    tables = seed_analysis.tables
    sections = tables["sections"]
    labels = plots.unit_labels({section_label(n): t for n, t in zip(sections["section"], sections["title"])})
    figure = plots.slogan_heatmap(tables["slogan_matrix"], labels, rates=tables["slogan_rates"], top=12)
    axes = figure.axes[0]
    assert [t.get_text() for t in axes.get_yticklabels()] == list(tables["slogan_matrix"]["slogan"].head(12))
    ticks = [t.get_text() for t in axes.get_xticklabels()]
    assert ticks[0] == "1 天宁区“两会”闭幕 “万亿…"  # cut to 14 characters
    assert ticks[9] == "10 2024年重点工作"
    # Cell numbers are the exact counts of the matrix.
    numbers = sorted(int(t.get_text()) for t in axes.texts)
    cells = tables["slogan_matrix"].head(12).drop(columns=["slogan", "total"]).to_numpy().ravel()
    assert numbers == sorted(int(v) for v in cells if v)


def test_comparison_cloud_colours_each_word_by_its_dominant_section() -> None:
    import pandas as pd

    term_freq = pd.DataFrame([(1, "改革", 9), (1, "开放", 1), (2, "民生", 8), (2, "开放", 1), (2, "改革", 1)],
                             columns=["section", "term", "count"])
    weights = plots.comparison_weights(term_freq)
    assert weights["改革"][0] == 1 and weights["民生"][0] == 2
    # 开放: 1/10 in section 1 and 1/10 in section 2, spread evenly, so not drawn.
    assert "开放" not in weights
    figure = plots.comparison_cloud(term_freq, {1: "1 回顾", 2: "2 安排"}, width=600, height=400)
    assert [t.get_text() for t in figure.legends[0].get_texts()] == ["1 回顾", "2 安排"]


def test_trend_plot_needs_a_year(two_documents) -> None:  # type: ignore[no-untyped-def]
    tables = corpus_tables(two_documents)
    figure = plots.trend_plot(tables["slogan_rates"], {"gov_2023": 2023, "gov_2024": 2024},
                                slogans=["稳中求进", "新质生产力"])
    lines = figure.axes[0].get_lines()
    assert [line.get_label() for line in lines] == ["稳中求进", "新质生产力"]
    assert list(lines[0].get_xdata()) == [2023, 2024]
    rates = tables["slogan_rates"].set_index("slogan")
    assert list(lines[1].get_ydata()) == [rates.loc["新质生产力", "gov_2023"], rates.loc["新质生产力", "gov_2024"]]
    with pytest.raises(ValueError, match="no document has a year"):
        plots.trend_plot(tables["slogan_rates"], {"gov_2023": None})


# --- the document folder -----------------------------------------------------------------------------


def test_the_document_folder_gets_the_comparison_files(seed_folder) -> None:  # type: ignore[no-untyped-def]
    names = {p.name for p in seed_folder.iterdir()}
    assert NEW_FILES <= names
    assert {"sections.csv", "term_freq.csv", "tfidf.csv", "slogans.csv", "summary.json", "wordcloud.png"} <= names
    assert list(read_rows(seed_folder / "keyness.csv")[0]) == \
        ["section", "term", "count", "count_rest", "g2", "chi2", "p"]
    assert list(read_rows(seed_folder / "category_shares.csv")[0]) == \
        ["section", "category", "count_outside", "share"]
    for name in ("slogan_heatmap.png", "keyness.png", "category_shares.png", "comparison_cloud.png"):
        width, height = png_size(seed_folder / name)
        assert width >= 800 and height >= 500, name


def test_matrix_csv_totals_equal_the_slogans_csv_sums(seed_folder) -> None:  # type: ignore[no-untyped-def]
    slogans = read_rows(seed_folder / "slogans.csv")
    matrix = read_rows(seed_folder / "slogan_matrix.csv")
    rates = {row["slogan"]: row for row in read_rows(seed_folder / "slogan_rates.csv")}
    sections = {row["section"]: int(row["chars"]) for row in read_rows(seed_folder / "sections.csv")}
    totals: dict[str, int] = {}
    cells: dict[tuple[str, str], int] = {}
    for row in slogans:
        totals[row["slogan"]] = totals.get(row["slogan"], 0) + int(row["count"])
        cells[row["slogan"], f"s{int(row['section']):02d}"] = int(row["count"])
    assert {row["slogan"]: int(row["total"]) for row in matrix} == totals
    for row in matrix:
        for number, chars in sections.items():
            column = f"s{int(number):02d}"
            assert int(row[column]) == cells.get((row["slogan"], column), 0)
            assert float(rates[row["slogan"]][column]) == pytest.approx(int(row[column]) / chars * 10_000, abs=1e-6)


def test_excel_workbook_has_one_sheet_per_table(seed_folder) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    workbook = load_workbook(seed_folder / "tables.xlsx", read_only=True)
    try:
        assert {"sections", "term_freq", "tfidf", "slogans", "slogan_matrix", "slogan_rates", "keyness",
                "category_shares"} <= set(workbook.sheetnames)
        for name in ("slogans", "slogan_matrix", "keyness"):
            rows = list(workbook[name].iter_rows(values_only=True))
            with (seed_folder / f"{name}.csv").open(encoding="utf-8-sig", newline="") as handle:
                csv_rows = list(csv.reader(handle))
            assert [str(c) for c in rows[0]] == csv_rows[0]
            assert len(rows) == len(csv_rows)
            assert [str(c) for c in rows[1][:2]] == csv_rows[1][:2]
    finally:
        workbook.close()


def test_report_is_self_contained(seed_folder) -> None:  # type: ignore[no-untyped-def]
    page = (seed_folder / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    # Nothing is fetched: every image is a data URI, no external scripts, styles or fonts.
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", page)
    assert not re.search(r"url\((?!data:)", page)
    images = re.findall(r'<img src="([^"]{0,30})', page)
    assert len(images) >= 4 + 11 and all(src.startswith("data:image/png;base64,") for src in images)
    assert "@font-face" in page and "data:font/woff;base64," in page
    assert '"Noto Sans CJK SC"' in page and "Microsoft YaHei" in page  # the CJK font stack, not escaped
    # A navigable table of contents and sortable tables.
    for anchor in re.findall(r'<a href="#([^"]+)"', page):
        assert f'id="{anchor}"' in page
    assert page.count('class="sortable"') >= 5
    for slogan in ("万亿之城再出发", "四个走在前", "532", "新时代中国特色社会主义思想"):
        assert slogan in page


def _embedded_font(page: str):  # type: ignore[no-untyped-def]
    import base64
    import io

    from fontTools.ttLib import TTFont

    found = re.search(r"url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)", page)
    assert found, "no embedded WOFF font"
    return TTFont(io.BytesIO(base64.b64decode(found.group(1))))


def test_embedded_font_draws_every_character_of_the_page(seed_folder) -> None:  # type: ignore[no-untyped-def]
    from fontTools.pens.boundsPen import BoundsPen

    page = (seed_folder / "report.html").read_text(encoding="utf-8")
    font = _embedded_font(page)
    assert font.flavor == "woff"
    charmap = font.getBestCmap()
    chinese = {ch for ch in page if "\u4e00" <= ch <= "\u9fff"}
    assert len(chinese) > 100  # slogans, titles, terms: hundreds of distinct characters
    assert missing_glyphs(page, cjk_font_path()) <= {ch for ch in page if not ch.isprintable()}  # the full font has them
    page_characters = {ch for ch in page if not ch.isspace() and ch.isprintable()}
    assert {ch for ch in page_characters if ord(ch) not in charmap} == set()
    glyphs = font.getGlyphSet()
    for ch in "万亿之城再出发四个走在前532":  # real outlines, not empty boxes
        pen = BoundsPen(glyphs)
        glyphs[charmap[ord(ch)]].draw(pen)
        assert pen.bounds is not None, ch
    assert len(charmap) < 0.25 * len(fonts.font_charmap(cjk_font_path()))  # a subset, not the whole font


def test_embedded_font_is_the_same_bytes_for_the_same_text() -> None:
    from zhpolicy.outputs.report import font_face_css

    text = "坚持“稳中求进”，发展新质生产力。2024"
    first = font_face_css(text)
    assert first == font_face_css(text)
    assert first != font_face_css(text + "鑫")
    assert ord("鑫") in _embedded_font(font_face_css(text + "鑫")).getBestCmap()
    assert ord("鑫") not in _embedded_font(first).getBestCmap()


# --- several documents and the corpus folder ---------------------------------------------------------


@pytest.fixture(scope="module")
def two_documents(tmp_path_factory):  # type: ignore[no-untyped-def]
    import zhpolicy

    folder = tmp_path_factory.mktemp("two")
    first = folder / "gov_2023.md"
    first.write_text("## 一、回顾\n坚持“稳中求进”,推进“放管服”改革,改革开放。\n## 二、安排\n办好民生实事。\n",
                     encoding="utf-8")
    second = folder / "gov_2024.md"
    second.write_text("## 一、回顾\n坚持“稳中求进”“稳中求进”,发展“新质生产力”。\n## 二、安排\n发展新质生产力。\n",
                      encoding="utf-8")
    return zhpolicy.analyze([zhpolicy.read_document(first), zhpolicy.read_document(second)],
                            options=zhpolicy.Options(mine_top=0))


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory, seed_path):  # type: ignore[no-untyped-def]
    inputs = tmp_path_factory.mktemp("inputs")
    text = seed_path.read_text(encoding="utf-8")
    parts = text.split("\n## ")
    (inputs / "tianning_2023.md").write_text("---\nyear: 2023\n---\n" + "\n## ".join(parts[:5]), encoding="utf-8")
    (inputs / "tianning_2024.md").write_text("## " + "\n## ".join(parts[5:]), encoding="utf-8")
    out = tmp_path_factory.mktemp("corpus_out")
    result = run_cli("analyze", str(inputs), "-o", str(out), "--trend", "万亿之城再出发", "--trend", "不存在的口号")
    assert result.returncode == 0, result.stderr
    return result, out, inputs


def test_several_documents_get_a_corpus_folder(corpus_run) -> None:  # type: ignore[no-untyped-def]
    result, out, _ = corpus_run
    assert sorted(p.name for p in out.iterdir()) == ["corpus", "tianning_2023", "tianning_2024"]
    folder = out / "corpus"
    names = {p.name for p in folder.iterdir()}
    assert {"documents.csv", "term_freq.csv", "tfidf.csv", "slogans.csv", "slogan_matrix.csv", "slogan_rates.csv",
            "keyness.csv", "category_shares.csv", "tables.xlsx", "report.html", "trend.png",
            "slogan_heatmap.png", "keyness.png"} <= names
    documents = read_rows(folder / "documents.csv")
    assert [(r["document"], r["year"]) for r in documents] == [("tianning_2023", "2023"), ("tianning_2024", "2024")]
    matrix = read_rows(folder / "slogan_matrix.csv")
    assert list(matrix[0]) == ["slogan", "tianning_2023", "tianning_2024", "total"]
    for document in ("tianning_2023", "tianning_2024"):
        per_document: dict[str, int] = {}
        for row in read_rows(out / document / "slogans.csv"):
            per_document[row["slogan"]] = per_document.get(row["slogan"], 0) + int(row["count"])
        assert {r["slogan"]: int(r[document]) for r in matrix if int(r[document])} == per_document
    assert read_rows(folder / "keyness.csv")[0].keys() >= {"document", "term", "g2", "chi2", "p"}
    assert "2 documents compared" in result.stdout
    assert "trend: not found in any document: 不存在的口号" in result.stderr


def test_a_document_named_corpus_moves_the_corpus_folder(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "corpus.md").write_text("## 一\n“稳中求进”。\n", encoding="utf-8")
    (inputs / "other.md").write_text("## 一\n“稳中求进”“新质生产力”。\n", encoding="utf-8")
    result = run_cli("analyze", str(inputs), "-o", str(tmp_path / "out"), "--no-images", "-q")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == ["_corpus", "corpus", "other"]
    assert (out / "corpus" / "slogans.csv").is_file() and (out / "_corpus" / "documents.csv").is_file()
    assert not list((out / "_corpus").glob("*.png"))


# --- zhpolicy compare --------------------------------------------------------------------------------


def test_compare_command_writes_a_table_a_plot_and_a_summary(corpus_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, _, inputs = corpus_run
    result = run_cli("compare", str(inputs / "tianning_2023.md"), str(inputs / "tianning_2024.md"),
                     "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "compare_tianning_2023_vs_tianning_2024"
    assert {p.name for p in folder.iterdir()} == {"compare.csv", "compare.png"}
    rows = read_rows(folder / "compare.csv")
    assert list(rows[0]) == ["kind", "item", "count_a", "count_b", "rate_a", "rate_b", "change", "g2", "p",
                             "status"]
    first = (inputs / "tianning_2023.md").read_text(encoding="utf-8")
    second = (inputs / "tianning_2024.md").read_text(encoding="utf-8")
    slogans = {r["item"]: r for r in rows if r["kind"] == "slogan"}
    for slogan in ("万亿之城再出发", "四个走在前"):
        assert int(slogans[slogan]["count_a"]) == first.count(slogan)
        assert int(slogans[slogan]["count_b"]) == second.count(slogan)
    gone = [item for item, row in slogans.items() if int(row["count_a"]) > 0 and int(row["count_b"]) == 0]
    assert gone and all(slogans[item]["status"] == "disappeared" for item in gone)
    assert "slogans:" in result.stdout and "disappeared" in result.stdout
    assert png_size(folder / "compare.png") == (1200, 800)


def test_compare_refuses_two_files_with_the_same_name(tmp_path: Path) -> None:
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "report.md").write_text("## 一\n“稳中求进”。\n", encoding="utf-8")
    result = run_cli("compare", str(tmp_path / "a" / "report.md"), str(tmp_path / "b" / "report.md"),
                     "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "same file name" in result.stderr


# --- the report in a real browser --------------------------------------------------------------------

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--enable-logging=stderr", "--v=0"]

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed "
                                    "(apt-get install chromium; .ci/run installs it)")


def chromium(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()],
                          capture_output=True, text=True, timeout=180, check=False)


def console_errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "CONSOLE" in line and re.search(r"Uncaught|Error", line)]


@needs_chromium
def test_console_errors_are_seen_by_the_check(tmp_path: Path) -> None:
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><html><body><script>notDefined();</script></body></html>", encoding="utf-8")
    result = chromium(page, tmp_path / "profile", "--dump-dom")
    assert console_errors(result.stderr), result.stderr[-2000:]


@needs_chromium
def test_report_loads_in_chromium_without_errors_and_shows_the_slogans(seed_folder, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = chromium(seed_folder / "report.html", tmp_path / "profile", "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    assert console_errors(result.stderr) == []
    dom = result.stdout
    assert 'data-ready="1"' in dom  # the inline script ran to its end
    assert dom.count('aria-label="目录"') == 1
    for row in read_rows(seed_folder / "slogan_matrix.csv")[:20]:
        assert f"<td>{row['slogan']}</td>" in dom, row["slogan"]


@needs_chromium
def test_report_tables_sort_when_a_header_is_clicked(seed_folder, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = (seed_folder / "report.html").read_text(encoding="utf-8")
    probe = """<script>
      var table = document.getElementById("table-slogan-matrix");
      var header = table.tHead.rows[0].cells[table.tHead.rows[0].cells.length - 1];
      header.click();
      var values = Array.prototype.map.call(table.tBodies[0].rows,
          function (row) { return row.cells[row.cells.length - 1].getAttribute("data-value"); });
      document.body.setAttribute("data-probe", header.getAttribute("aria-sort") + ":" + values.join(","));
    </script></body>"""
    copy = tmp_path / "report.html"
    copy.write_text(page.replace("</body>", probe), encoding="utf-8")
    result = chromium(copy, tmp_path / "profile", "--dump-dom")
    assert console_errors(result.stderr) == []
    found = re.search(r'data-probe="([^"]*)"', result.stdout)
    assert found, result.stdout[:500]
    order, _, values = found.group(1).partition(":")
    numbers = [float(v) for v in values.split(",")]
    assert order == "ascending" and numbers == sorted(numbers) and numbers[0] < numbers[-1]


@needs_chromium
def test_report_screenshot_has_the_window_size(seed_folder, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    shot = tmp_path / "report.png"
    result = chromium(seed_folder / "report.html", tmp_path / "profile", f"--screenshot={shot}",
                      "--window-size=1280,1600", "--hide-scrollbars")
    assert result.returncode == 0 and shot.is_file(), result.stderr[-2000:]
    assert png_size(shot) == (1280, 1600)
    keep = os.environ.get("ZHPOLICY_KEEP_SCREENSHOT")  # to look at it: ZHPOLICY_KEEP_SCREENSHOT=/tmp/x.png
    if keep:
        shutil.copyfile(shot, keep)


@needs_chromium
def test_corpus_report_loads_in_chromium(corpus_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, out, _ = corpus_run
    result = chromium(out / "corpus" / "report.html", tmp_path / "profile", "--dump-dom")
    assert console_errors(result.stderr) == [] and 'data-ready="1"' in result.stdout
    assert "<td>万亿之城再出发</td>" in result.stdout and "tianning_2023" in result.stdout


# --- the report and workbook as functions ------------------------------------------------------------


def test_render_report_escapes_text_and_leaves_out_empty_blocks() -> None:
    import pandas as pd

    from zhpolicy.outputs.report import Block, Table, render_report

    table = pd.DataFrame({"slogan": ["<b>稳中求进</b>", "四敢"], "count": [3, 0]})
    page = render_report([Block("matrix", "口号矩阵", tables=[Table("t", table)]), Block("trend", "年度变化")],
                         title="测试 & <报告>", embed_font=False)
    assert "&lt;b&gt;稳中求进&lt;/b&gt;" in page and "<b>稳中求进" not in page
    assert "测试 &amp; &lt;报告&gt;" in page
    assert 'href="#matrix"' in page and 'href="#trend"' not in page
    assert 'data-value="3.0"' in page and "@font-face" not in page


def test_write_excel_gives_the_same_bytes_for_the_same_tables(seed_analysis, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from zhpolicy.outputs.excel import write_excel

    tables = {name: seed_analysis.tables[name] for name in ("sections", "slogan_matrix")}
    write_excel(tables, tmp_path / "a.xlsx")
    write_excel(tables, tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_tables_longer_than_an_excel_sheet_are_left_out_with_a_note(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import pandas as pd
    from openpyxl import load_workbook

    from zhpolicy.outputs import excel as outputs

    monkeypatch.setattr(outputs, "EXCEL_MAX_ROWS", 4)
    path = tmp_path / "tables.xlsx"
    outputs.write_excel({"small": pd.DataFrame({"a": [1, 2]}), "big": pd.DataFrame({"a": range(10)})}, path)
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["notes", "small"]
    assert [cell.value for cell in workbook["notes"][2]][:2] == ["big", 10]
    assert [row[0].value for row in workbook["small"].iter_rows()] == ["a", 1, 2]


def test_tables_too_wide_or_too_many_cells_are_left_out_with_a_note(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import pandas as pd
    from openpyxl import load_workbook

    from zhpolicy.outputs import excel as outputs

    monkeypatch.setattr(outputs, "EXCEL_MAX_COLUMNS", 3)
    monkeypatch.setattr(outputs, "EXCEL_MAX_CELLS", 20)
    path = tmp_path / "tables.xlsx"
    tables = {"wide": pd.DataFrame([[1, 2, 3, 4]], columns=list("abcd")),  # 4 columns > 3
              "tall": pd.DataFrame({"a": range(10), "b": range(10)}),  # 11 rows x 2 = 22 cells > 20
              "fits": pd.DataFrame({"a": range(9), "b": range(9)})}  # 10 x 2 = 20 cells
    outputs.write_excel(tables, path)
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["notes", "fits"]
    notes = [[cell.value for cell in row] for row in workbook["notes"].iter_rows()]
    assert [row[:3] for row in notes[1:]] == [["wide", 1, 4], ["tall", 10, 2]]
    assert "columns" in notes[1][3] and "cells" in notes[2][3]


def test_report_tables_show_a_bounded_part_and_say_so() -> None:
    import pandas as pd

    from zhpolicy.outputs.report import Table, table_data

    frame = pd.DataFrame([[row * 100 + column for column in range(50)] for row in range(600)],
                         columns=[f"c{column}" for column in range(50)])
    data = table_data(Table("t", frame, limit=500, max_columns=40))
    assert len(data["rows"]) == 500 and len(data["columns"]) == 40
    assert data["rows"][-1][-1]["text"] == str(499 * 100 + 39)
    assert "共 600 行" in data["more"] and "共 50 列" in data["more"]
    small = table_data(Table("t", frame.iloc[:3, :3]))
    assert len(small["rows"]) == 3 and small["more"] == ""


def test_the_report_reads_only_the_part_of_a_wide_table_it_shows() -> None:
    import pandas as pd

    from zhpolicy.compare import matrix_frames, wide_tables
    from zhpolicy.outputs.report import _preview, table_data
    from zhpolicy.tables import Tables

    # 700 slogans over 120 sections: the matrix has 122 columns and 700 rows, made a block at a time.
    sections = pd.DataFrame({"section": range(1, 121), "title": "t", "chars": 1000, "tokens": 10})
    slogans = pd.DataFrame([(section, f"口号{index:03d}", index % 7 + 1, 0, f"口号{index:03d}")
                            for index in range(700) for section in (1 + index % 120, 1 + (index * 7) % 120)],
                           columns=["section", "slogan", "count", "count_outside", "canonical"])
    frames = {"sections": sections, "slogans": slogans,
              "formulations": slogans[["section", "canonical", "count"]]}
    tables = Tables(frames, wide_tables(frames))
    made: list[int] = []
    table = tables.lazy["slogan_matrix"]

    def small_blocks():  # type: ignore[no-untyped-def]
        for block in matrix_frames(slogans, {n: f"s{n:02d}" for n in range(1, 121)}, cells=122 * 100):
            made.append(len(block))  # 100 rows a block
            yield block

    table.make = small_blocks  # type: ignore[assignment]
    preview = _preview(tables, "slogan_matrix", "table-slogan-matrix", "counts", titles={})
    assert made == [100] * 5  # the 500 rows shown, not the 700
    whole = tables["slogan_matrix"]
    assert whole.shape == (700, 122)
    pd.testing.assert_frame_equal(preview.table, whole.iloc[:500, :40])
    data = table_data(preview)
    assert "共 700 行" in data["more"] and "共 122 列" in data["more"]


def test_a_document_without_slogans_keeps_typed_empty_matrices() -> None:
    import pandas as pd

    from zhpolicy.compare import wide_tables
    from zhpolicy.outputs.report import _preview, table_data
    from zhpolicy.tables import Tables

    sections = pd.DataFrame({"section": [1, 2], "title": "t", "chars": 100, "tokens": 10})
    slogans = pd.DataFrame(columns=["section", "slogan", "count", "count_outside", "canonical"])
    frames = {"sections": sections, "slogans": slogans, "formulations": pd.DataFrame(columns=["section", "canonical", "count"])}
    tables = Tables(frames, wide_tables(frames))
    for name, dtype in (("slogan_matrix", "int64"), ("slogan_rates", "float64"), ("formulation_matrix", "int64"),
                        ("formulation_rates", "float64")):
        table = tables[name]
        assert table.empty and [str(t) for t in table.dtypes[1:]] == [dtype] * 3, name
    # The report marks the count columns numeric, as for a table with rows.
    data = table_data(_preview(tables, "slogan_matrix", "m", "counts", titles={}))
    assert [column["numeric"] for column in data["columns"]] == [False, True, True, True]


def test_a_document_with_more_sections_than_figures_hold_gets_tables_and_one_cloud(
        tmp_path, monkeypatch, seed_analysis, caplog) -> None:  # type: ignore[no-untyped-def]
    import zhpolicy
    from zhpolicy import outputs
    from zhpolicy.figures import plots
    from zhpolicy.slogans.lexicon import load_lexicon

    assert len(seed_analysis.sections) == 10
    monkeypatch.setattr(plots, "MAX_FIGURE_UNITS", 9)
    folder = outputs.write_analysis(seed_analysis, tmp_path, options=zhpolicy.Options(), lexicon=load_lexicon(()))
    pictures = sorted(path.name for path in folder.glob("*.png"))
    assert pictures == ["wordcloud.png"]  # no per-section clouds, heatmap, keyness, shares or comparison cloud
    assert {"slogan_matrix.csv", "keyness.csv", "tables.xlsx", "report.html"} <= {p.name for p in folder.iterdir()}
    assert "10 sections: more than 9" in caplog.text


def test_csv_writer_gives_the_bytes_of_pandas(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pandas as pd

    from zhpolicy.outputs.files import write_csv

    tables = {
        "mixed": pd.DataFrame({"section": [1, 2, 3], "slogan": ["四个走在前", 'a,"b"', "多\n行"],
                               "flag": [True, False, True], "context": ["【甲】", None, float("nan")]}),
        "floats": pd.DataFrame({"term": ["甲", "乙"], "score": [0.1234567, float("nan")]}),
        "empty": pd.DataFrame(columns=["section", "slogan"]),
    }
    for name, table in tables.items():
        ours = tmp_path / f"{name}.csv"
        write_csv(table, ours)
        table.to_csv(tmp_path / f"{name}.pandas.csv", index=False, encoding="utf-8-sig", lineterminator="\n",
                     float_format="%.6f")
        assert ours.read_bytes() == (tmp_path / f"{name}.pandas.csv").read_bytes(), name


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
                          st.one_of(st.none(), st.text(max_size=8)), st.floats(-1e-3, 1e-3)), max_size=12))
def test_float_tables_are_written_with_the_bytes_of_pandas(tmp_path_factory, rows) -> None:  # type: ignore[no-untyped-def]
    import pandas as pd

    from zhpolicy.outputs.files import write_csv

    folder = tmp_path_factory.mktemp("floats")
    table = pd.DataFrame(rows, columns=["section", "score", "term", "tiny"]).astype(
        {"section": "int64", "score": "float64", "tiny": "float64"})
    write_csv(table, folder / "ours.csv")
    table.to_csv(folder / "pandas.csv", index=False, encoding="utf-8-sig", lineterminator="\n", float_format="%.6f")
    assert (folder / "ours.csv").read_bytes() == (folder / "pandas.csv").read_bytes()


def test_images_corpus_draws_the_trend_and_no_document_picture(tmp_path: Path) -> None:
    from zhpolicy.cli import main

    congress = Path(__file__).resolve().parents[2] / "corpus" / "cpc_congress"
    inputs = [str(congress / name) for name in ("cpc_congress_18_2012.txt", "cpc_congress_19_2017.txt",
                                                "cpc_congress_20_2022.txt")]
    assert main(["analyze", *inputs, "-o", str(tmp_path), "--images", "corpus", "-q"]) == 0
    assert not list(tmp_path.glob("cpc_congress_*/*.png"))  # no per-document picture
    corpus = {path.name for path in (tmp_path / "corpus").glob("*.png")}
    assert "trend.png" in corpus
