"""Segmenting many texts at once: in this process, in worker processes, or on a Dask cluster — same tokens."""
from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable, Sequence
from typing import Any, Literal, get_args

from .tokens import Tokenizer, TokenStream, default_segmenter, make_tokenizer, pick_separator

logger = logging.getLogger(__name__)

#: Where segmentation runs: ``local`` (this machine, ``workers`` processes) or ``dask`` (a Dask cluster).
Engine = Literal["local", "dask"]
ENGINES: tuple[str, ...] = get_args(Engine)

#: Longest piece of text segmented as one unit in a worker (characters); longer texts are cut at line ends.
CHUNK_CHARS = 1 << 18
#: Text sent to a worker at once (characters): small sections are grouped up to this size.
BATCH_CHARS = 1 << 18

#: (segmenter, user words): all a worker needs to build its tokenizer.
Recipe = tuple[str, tuple[str, ...]]


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def split_chunks(text: str, max_chars: int | None = None) -> list[str]:
    """Cut ``text`` after line ends into pieces of at most ``max_chars`` characters where it can.

    Both segmenters end a token at every line end, so segmenting the pieces gives exactly the
    tokens of the whole. A single line longer than ``max_chars`` is cut after a 。 (also a token of
    its own), or left whole when it has none.

    >>> split_chunks("一二\\n三四\\n五", max_chars=4)
    ['一二\\n', '三四\\n', '五']
    """
    max_chars = CHUNK_CHARS if max_chars is None else max_chars
    if len(text) <= max_chars:
        return [text] if text else []
    chunks: list[str] = []
    start = 0
    while start < len(text):
        end = start + max_chars
        if end >= len(text):
            chunks.append(text[start:])
            break
        cut = text.rfind("\n", start, end)
        if cut < 0:
            cut = text.rfind("。", start, end)
        if cut < 0:  # no safe place within max_chars: go to the next one
            cut = min((i for i in (text.find("\n", end), text.find("。", end)) if i >= 0), default=len(text) - 1)
        chunks.append(text[start:cut + 1])
        start = cut + 1
    return chunks


def _batches(chunks: Sequence[str], max_chars: int | None = None) -> list[list[int]]:
    """Group consecutive chunk indices into batches of about ``max_chars`` characters."""
    max_chars = BATCH_CHARS if max_chars is None else max_chars
    batches: list[list[int]] = []
    size = 0
    for index, chunk in enumerate(chunks):
        if not batches or size + len(chunk) > max_chars:
            batches.append([])
            size = 0
        batches[-1].append(index)
        size += len(chunk)
    return batches


# The tokenizers of a worker process, by recipe: built once per process, shared by its threads.
_TOKENIZERS: dict[Recipe, Tokenizer] = {}
_TOKENIZERS_LOCK = threading.Lock()


def worker_tokenizer(segmenter: str, user_words: tuple[str, ...]) -> Tokenizer:
    """The tokenizer of this process for a recipe, built on first use and kept (one per worker).

    Thread-safe: a Dask worker with several threads builds it once. The last few recipes are kept.
    """
    recipe = (segmenter, user_words)
    tokenizer = _TOKENIZERS.get(recipe)
    if tokenizer is None:
        with _TOKENIZERS_LOCK:
            tokenizer = _TOKENIZERS.get(recipe)
            if tokenizer is None:
                while len(_TOKENIZERS) >= 4:
                    del _TOKENIZERS[next(iter(_TOKENIZERS))]
                tokenizer = _TOKENIZERS[recipe] = make_tokenizer(user_words, segmenter=segmenter)
    return tokenizer


def _init_worker(recipe: Recipe) -> None:
    worker_tokenizer(*recipe)


def segment_batch(texts: Sequence[str], recipe: Recipe) -> list[TokenStream]:
    """What a worker sends back for each text: its tokens as one joined string (much cheaper to send
    between processes than a list)."""
    tokenizer = worker_tokenizer(*recipe)
    return [TokenStream.of(tokenizer.lcut(text), text) for text in texts]


def segment_texts(texts: Sequence[str], **options: Any) -> list[list[str]]:
    """All tokens of each text (whitespace and punctuation included), each string interned; the
    options are those of :func:`segment_streams`."""
    return [stream.tokens() for stream in segment_streams(texts, **options)]


def segment_streams(
    texts: Sequence[str],
    *,
    user_words: Iterable[str] = (),
    segmenter: str | None = None,
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
) -> list[TokenStream]:
    """All tokens of each text (whitespace and punctuation included), as one :class:`TokenStream` per text.

    Parameters
    ----------
    texts : section texts, of one or many documents.
    user_words : words kept whole (the slogans).
    segmenter : ``"jieba"`` or ``"rjieba"`` (default: :func:`zhpolicy.tokens.default_segmenter`).
    workers : processes on this machine (``engine="local"``) or, for ``engine="dask"`` without a
        scheduler, the workers of the local cluster started for the run.
    engine : ``"local"`` or ``"dask"``.
    scheduler : address of a running Dask scheduler (``tcp://host:8786``); needs ``engine="dask"``.

    Long texts are cut at line ends (:func:`split_chunks`) and small ones grouped into batches;
    each worker builds its tokenizer once. The tokens are the same for any ``workers`` and ``engine``.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}; got {engine!r}")
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    segmenter = default_segmenter() if segmenter is None else segmenter
    recipe: Recipe = (segmenter, tuple(sorted(set(user_words))))
    size = sum(len(text) for text in texts)
    if engine == "local" and (workers == 1 or size <= BATCH_CHARS):
        # One process: no pool to start; long texts still go piece by piece, so no list of all their tokens.
        tokenizer = make_tokenizer(recipe[1], segmenter=segmenter)
        return [_joined([TokenStream.of(tokenizer.lcut(piece), piece) for piece in split_chunks(text)], text)
                for text in texts]

    owners: list[int] = []
    chunks: list[str] = []
    for number, text in enumerate(texts):
        pieces = split_chunks(text)
        chunks.extend(pieces)
        owners.extend([number] * len(pieces))
    batches = [[chunks[i] for i in batch] for batch in _batches(chunks)]
    logger.debug("segmenting %d characters in %d batches (%s, %s, %d workers)",
                  size, len(batches), segmenter, engine, workers)
    if engine == "dask":
        joined = _run_dask(batches, recipe, workers=workers, scheduler=scheduler)
    else:
        joined = _run_local(batches, recipe, workers=workers)

    pieces_of: list[list[TokenStream]] = [[] for _ in texts]
    pieces_done = (piece for batch in joined for piece in batch)
    for number, piece in zip(owners, pieces_done, strict=True):
        pieces_of[number].append(piece)
    return [_joined(pieces, text) for pieces, text in zip(pieces_of, texts)]


def _joined(pieces: Sequence[TokenStream], text: str) -> TokenStream:
    """One stream of a text from the streams of its consecutive pieces."""
    if len(pieces) == 1:
        return pieces[0]
    separator = pick_separator(text)
    return TokenStream(separator, separator.join(
        piece.joined if piece.separator == separator else piece.joined.replace(piece.separator, separator)
        for piece in pieces if piece.joined))


def _run_local(batches: list[list[str]], recipe: Recipe, *, workers: int) -> list[list[TokenStream]]:
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=min(workers, len(batches)), initializer=_init_worker,
                             initargs=(recipe,)) as pool:
        return list(pool.map(segment_batch, batches, [recipe] * len(batches)))


def _run_dask(batches: list[list[str]], recipe: Recipe, *, workers: int, scheduler: str | None) -> list[list[Any]]:
    try:
        import distributed
    except ImportError:
        raise ValueError("engine 'dask' needs dask.distributed: pip install 'zhpolicy[dask]'") from None

    dask: Any = distributed  # untyped
    cluster: Any = None
    if scheduler is None:
        cluster = dask.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=":0", silence_logs=logging.WARNING)
        client = dask.Client(cluster)
    else:
        client = dask.Client(scheduler)
    try:
        # Data goes to the workers directly (not inside the task graph); the recipe once to each.
        data = client.scatter(batches)
        shared = client.scatter(recipe, broadcast=True)
        futures = client.map(segment_batch, data, recipe=shared)
        return list(client.gather(futures))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

