"""Parallel and distributed segmentation: the same tokens, tables and summary for any --workers and --engine."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from zhpolicy.cli import main
from zhpolicy.pipeline import Options
from zhpolicy.run import chunks
from zhpolicy.run import runner as runner_module
from zhpolicy.run.chunks import chunk_bounds, segment_batch, split_chunks
from zhpolicy.run.runner import Runner
from zhpolicy.tokens import make_tokenizer

SLOGANS = ["万亿之城再出发", "四个走在前", "常有善育"]


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cut texts into pieces of a few hundred characters, so that even the seed goes to the workers."""
    monkeypatch.setattr(chunks, "CHUNK_CHARS", 300)
    monkeypatch.setattr(runner_module, "BATCH_CHARS", 700)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, seed_text: str) -> Path:
    """The seed, a long variant of it, and a few short reports with odd characters."""
    folder = tmp_path_factory.mktemp("corpus")
    (folder / "seed.md").write_text(seed_text, encoding="utf-8")
    paragraphs = [p for p in seed_text.split("\n") if p.strip() and not p.startswith("#")]
    rng = random.Random(5)
    long = ["# 长报告\n"] + [f"## 第{n}部分\n" + "\n".join(rng.sample(paragraphs, 12)) + "\n" for n in range(1, 5)]
    (folder / "long.md").write_text("\n".join(long), encoding="utf-8")
    (folder / "short_a.md").write_text("# 简报\n\n联系 e-mail: a.b@c.com，COVID-19 防控，第1-3季度。\n"
                                       "“万亿之城再出发”，“532”发展战略。\n", encoding="utf-8")
    (folder / "short_b.md").write_text("全面落实“四个走在前”重大任务，常有善育。\r\n㐀字与𠀀字。\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def baseline(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The tables of one process with jieba, which every other way of running must reproduce."""
    return run(corpus, tmp_path_factory.mktemp("baseline"), "--workers", "1", "--segmenter", "jieba")


def tables(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.suffix in (".csv", ".json")}


def run(corpus: Path, out: Path, *args: str) -> dict[str, bytes]:
    assert main(["analyze", str(corpus), "-o", str(out), "-q", "--no-images", *args]) == 0
    return tables(out)


# --- chunks -------------------------------------------------------------------------------------------

def test_chunks_are_cut_after_line_ends_and_join_back(seed_text: str) -> None:
    chunks = split_chunks(seed_text, max_chars=200)
    assert "".join(chunks) == seed_text
    assert len(chunks) > len(seed_text) // 200
    assert all(chunk.endswith(("\n", "。")) for chunk in chunks[:-1])
    assert sum(chunk.endswith("\n") for chunk in chunks) > len(chunks) // 2  # line ends first


def test_a_long_line_is_cut_after_a_full_stop() -> None:
    text = "一句话。" * 100
    chunks = split_chunks(text, max_chars=30)
    assert "".join(chunks) == text
    assert all(chunk.endswith("。") and len(chunk) <= 30 for chunk in chunks)


def test_small_text_is_one_chunk() -> None:
    assert split_chunks("万亿之城再出发", max_chars=100) == ["万亿之城再出发"]
    assert split_chunks("", max_chars=100) == []


# --- tokens -------------------------------------------------------------------------------------------

def segmented(texts: list[str], *, segmenter: str = "jieba", workers: int = 1) -> list[list[str]]:
    """Each text's tokens as the workers give them: its chunks segmented a batch at a time where a Runner runs."""
    chunked = [(number, chunk) for number, text in enumerate(texts) for chunk in split_chunks(text)]
    with Runner(workers=workers) as runner:
        batches = [[chunked[i][1] for i in batch] for batch in runner.batches([len(c) for _, c in chunked])]
        results = runner.map(segment_batch, batches, (segmenter, tuple(sorted(SLOGANS))))
    tokens: list[list[str]] = [[] for _ in texts]
    for (number, _), stream in zip(chunked, (stream for batch in results for stream in batch), strict=True):
        tokens[number] += stream.tokens()
    return tokens


@pytest.mark.parametrize("segmenter", ["jieba", "rjieba"])
def test_workers_give_the_tokens_of_one_process(small_batches: None, seed_text: str, segmenter: str) -> None:
    pytest.importorskip(segmenter)
    texts = [seed_text, "", "万亿之城再出发\r\n\r\n四个走在前", seed_text[:999]]
    expected = [make_tokenizer(SLOGANS, segmenter=segmenter).lcut(text) for text in texts]
    assert segmented(texts, segmenter=segmenter, workers=1) == expected
    assert segmented(texts, segmenter=segmenter, workers=2) == expected
    assert "万亿之城再出发" in expected[0]


def test_runner_checks_its_arguments() -> None:
    with pytest.raises(ValueError, match="engine"):
        Runner(engine="spark")
    with pytest.raises(ValueError, match="workers"):
        Runner(workers=0)


# --- the CLI, byte for byte -----------------------------------------------------------------------------

@pytest.mark.slow
def test_tables_are_byte_identical_for_any_worker_count(small_batches: None, baseline: dict[str, bytes],
                                                        corpus: Path, tmp_path: Path) -> None:
    two = run(corpus, tmp_path / "two", "--workers", "2", "--segmenter", "jieba")
    assert len([name for name in baseline if name.endswith("tfidf.csv")]) >= 4
    assert baseline == two  # tables and summary.json: the worker count is not recorded


@pytest.mark.slow
def test_rjieba_gives_the_tables_of_jieba(baseline: dict[str, bytes], corpus: Path, tmp_path: Path) -> None:
    pytest.importorskip("rjieba")
    with_jieba = baseline
    with_rjieba = run(corpus, tmp_path / "rjieba", "--segmenter", "rjieba", "--workers", "1")
    assert with_jieba.keys() == with_rjieba.keys()
    for name, data in with_jieba.items():
        if name.endswith("summary.json"):  # records the segmenter, nothing else differs
            data = data.replace(b'"segmenter": "jieba"', b'"segmenter": "rjieba"')
        assert data == with_rjieba[name], name


@pytest.mark.slow
def test_word_clouds_drawn_in_parallel_are_the_same_pictures(tmp_path: Path) -> None:
    report = tmp_path / "in" / "r.md"
    report.parent.mkdir()
    report.write_text("# 报告\n## 一、发展\n万亿之城再出发，新质生产力。\n## 二、民生\n常有善育，民生实事。\n",
                      encoding="utf-8")
    pictures = {}
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}"
        assert main(["analyze", str(report.parent), "-o", str(out), "-q", "--workers", workers]) == 0
        pictures[workers] = {p.name: p.read_bytes() for p in sorted(out.rglob("wordcloud*.png"))}
    assert len(pictures["1"]) >= 3  # the whole report and each section
    assert pictures["1"] == pictures["2"]


def test_execution_is_not_recorded_in_the_summary() -> None:
    from zhpolicy.outputs.summary import recorded_options

    recorded = recorded_options(Options(workers=2, engine="dask", scheduler="tcp://host:8786", segmenter="rjieba"))
    assert recorded["segmenter"] == "rjieba"
    assert not {"workers", "engine", "scheduler"} & recorded.keys()
    assert recorded == recorded_options(Options(segmenter="rjieba"))


@pytest.mark.parametrize("kwargs, message", [
    ({"segmenter": "thulac"}, "segmenter"), ({"workers": 0}, "workers"), ({"engine": "spark"}, "engine"),
    ({"scheduler": "tcp://host:8786"}, "scheduler"),
])
def test_options_check_execution_settings(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Options(**kwargs)  # type: ignore[arg-type]


def test_scheduler_with_local_engine_is_a_usage_error(corpus: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["analyze", str(corpus), "-o", str(tmp_path), "--engine", "local", "--scheduler", "tcp://x:8786"])
    assert code == 2
    assert "--scheduler needs --engine dask" in capsys.readouterr().err


# --- Dask ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def dask_cluster():  # type: ignore[no-untyped-def]
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0",
                                  silence_logs=50) as cluster:
        yield cluster


@pytest.mark.slow
def test_dask_engine_gives_the_tables_of_the_local_engine(dask_cluster, small_batches: None,  # type: ignore[no-untyped-def]
                                                          baseline: dict[str, bytes], corpus: Path,
                                                          tmp_path: Path) -> None:
    dask = run(corpus, tmp_path / "dask", "--engine", "dask", "--scheduler", dask_cluster.scheduler_address,
               "--segmenter", "jieba")
    assert baseline == dask


def test_dask_workers_build_their_tokenizer_once(dask_cluster, seed_text: str,  # type: ignore[no-untyped-def]
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from distributed import Client

    built = []

    def counting(user_words, *, segmenter):  # type: ignore[no-untyped-def]
        built.append(segmenter)
        return make_tokenizer(user_words, segmenter=segmenter)

    monkeypatch.setattr(runner_module, "make_tokenizer", counting)
    monkeypatch.setattr(runner_module, "_TOKENIZERS", runner_module.ProcessCache(keep=4))
    recipe = ("jieba", tuple(SLOGANS))
    pieces = [[seed_text[i:i + 500]] for i in range(0, 3000, 500)]
    with Client(dask_cluster) as client:
        results = client.gather(client.map(chunks.segment_batch, pieces, recipe=recipe))
    assert len(results) == 6
    # An in-process cluster: two worker threads in this process share one tokenizer for six tasks.
    assert built == ["jieba"]


def test_mentions_counted_piece_by_piece_are_those_of_the_whole_section(small_batches: None, tmp_path: Path) -> None:
    # Pieces of at most 300 characters: long lines are cut after a 。, paragraphs fall across pieces.
    from zhpolicy.pipeline import analyze
    from zhpolicy.read import read_document
    from zhpolicy.sections import paragraph_number, split_sections
    from zhpolicy.slogans.count import count_formulations, count_mentions, mention_frame
    from zhpolicy.slogans.kwic import mention_context

    sentence = "全面落实“四个走在前”，走在前列。哈哈哈哈，“万亿之城再出发”。"
    text = ("## 一、总体\n\n" + sentence * 30 + "\n \n\t\n" + "开篇。\n" + sentence * 12 + "\n\n\n"
            + "## 二、分项\n" + ("走在前列，" + sentence + "\n\n") * 20)
    path = tmp_path / "long_lines.md"
    path.write_text(text, encoding="utf-8")
    # Nested (走在前 in 四个走在前) and self-overlapping (哈哈 in 哈哈哈哈) slogans; 走在前 also a variant of
    # the formulation 走在前列, so that a nested form is named once.
    lexicon = tmp_path / "words.toml"
    lexicon.write_text('[[entry]]\nphrase = "走在前列"\ncategory = "测试"\nvariants = ["走在前"]\n'
                       '[[entry]]\nphrase = "哈哈"\ncategory = "测试"\n[[entry]]\nphrase = "万亿"\ncategory = "测试"\n',
                       encoding="utf-8")
    document = read_document(path)
    [analysis] = analyze([document], options=Options(images=False, workers=1, mine_top=0, lexicons=(str(lexicon),)))
    sections = split_sections(document)
    assert max(len(section.text) for section in sections) > 3 * chunks.CHUNK_CHARS
    mentions = analysis.tables["mentions"]
    oracle = mention_frame(sections, sorted({s.text for s in analysis.slogans}))
    assert {"哈哈", "走在前", "走在前列", "四个走在前", "万亿", "万亿之城再出发"} <= set(oracle["slogan"])
    assert mentions[["section", "start", "end", "slogan"]].equals(oracle)
    by_number = {section.number: section.text for section in sections}
    assert mentions["paragraph"].tolist() == [paragraph_number(by_number[row.section], row.start)
                                              for row in mentions.itertuples()]
    assert mentions["context"].tolist() == [mention_context(by_number[row.section], row.start, row.end)
                                            for row in mentions.itertuples()]
    formulations = [tuple(row) for row in analysis.tables["formulations"].itertuples(index=False)]
    assert formulations == count_formulations(oracle, analysis.slogans)
    assert ("走在前列" in {row[1] for row in formulations}) and len(formulations) >= 4
    # Counts, counts outside a longer slogan and their order: those of the whole sections.
    assert analysis.slogan_counts == tuple(count_mentions(oracle, analysis.slogans))
    counts = {(row.section, row.slogan): row.count for row in analysis.tables["slogans"].itertuples()}
    assert counts == {(s.number, slogan): s.text.count(slogan) for s in sections for slogan in set(oracle["slogan"])
                      if s.text.count(slogan)}


# --- segmenting ahead while phrases are mined -------------------------------------------------------

@pytest.fixture
def small_mining_budget(monkeypatch: pytest.MonkeyPatch) -> int:
    """Mine phrases from the first 400 word tokens only, so that most of the seed comes after them."""
    from zhpolicy import pipeline

    monkeypatch.setattr(pipeline, "MAX_MINING_TOKENS", 400)
    return 400


def test_segmenting_goes_on_ahead_of_the_mining_prefix(small_batches: None, small_mining_budget: int,
                                                       seed_text: str) -> None:
    from zhpolicy.pipeline import _segment_prefix
    from zhpolicy.read import Document
    from zhpolicy.sections import split_sections
    from zhpolicy.tokens import is_word

    sections = split_sections(Document(name="seed", path="seed.md", text=seed_text, encoding="utf-8"))
    chunks = [(number, start, end) for number, section in enumerate(sections)
              for start, end in chunk_bounds(section.text)]
    texts = [sections[number].text[start:end] for number, start, end in chunks]
    with Runner(workers=2) as runner:
        prefix, ahead = _segment_prefix(sections, chunks, tuple(SLOGANS), Options(segmenter="jieba"), runner)
        words = [sum(is_word(token) for token in stream.tokens()) for stream in prefix]
        assert sum(words) >= small_mining_budget > sum(words) - sum(words[-3:])  # stopped within a batch or so
        assert 0 < ahead.chunks < len(chunks) - len(prefix)  # some work was sent ahead, not all of it
        streams = [*prefix, *ahead]
    assert len(streams) == len(prefix) + ahead.chunks
    assert [stream.tokens() for stream in streams] == segmented(texts[:len(streams)])


@pytest.mark.slow
def test_tables_are_identical_when_mining_reads_a_prefix(small_batches: None, small_mining_budget: int,
                                                        corpus: Path, tmp_path: Path) -> None:
    one = run(corpus, tmp_path / "one", "--workers", "1", "--segmenter", "jieba")
    two = run(corpus, tmp_path / "two", "--workers", "2", "--segmenter", "jieba")
    assert one == two


# --- workers started early -----------------------------------------------------------------------------

def _first_tokenizer_in_worker(texts: list[str], _: object) -> tuple[bool, bool, list[str]]:
    from zhpolicy import tokens

    preloaded = "jieba" in tokens._PRELOADED
    tokenizer = tokens.make_tokenizer(SLOGANS, segmenter="jieba")
    return preloaded, "jieba" in tokens._PRELOADED, tokenizer.lcut(texts[0])


def test_workers_started_early_load_the_dictionary_for_the_first_tokenizer(seed_text: str) -> None:
    with Runner(workers=2) as runner:
        runner.start("jieba")
        results = runner.map(_first_tokenizer_in_worker, [[seed_text], [seed_text]], None)
    preloaded, left, tokens = results[0]
    assert preloaded and not left  # loaded when the worker started, then taken by the tokenizer
    assert tokens == make_tokenizer(SLOGANS, segmenter="jieba").lcut(seed_text)  # user words added to it
    assert "万亿之城再出发" in tokens


def test_no_work_starts_no_worker() -> None:
    with Runner(workers=2) as runner:
        assert runner.map(_first_tokenizer_in_worker, [], None) == []
        assert runner._pool is None
