"""Where work runs: in this process, in worker processes, or on a Dask cluster; the caches a worker keeps."""
from __future__ import annotations

import logging
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from typing import Any, Generic, Literal, Self, TypeVar, get_args

from zhpolicy.tokens import Tokenizer, default_segmenter, make_tokenizer, preload_segmenter

logger = logging.getLogger(__name__)


#: Where segmentation runs: ``local`` (this machine, ``workers`` processes) or ``dask`` (a Dask cluster).
Engine = Literal["local", "dask"]
ENGINES: tuple[str, ...] = get_args(Engine)
#: Text sent to a worker at once (characters): small sections are grouped up to this size.
BATCH_CHARS = 1 << 18

K = TypeVar("K")
V = TypeVar("V")

#: (segmenter, user words): all a worker needs to build its tokenizer.
SegmenterSpec = tuple[str, tuple[str, ...]]


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def group_batches(sizes: Sequence[int], max_chars: int | None = None) -> list[list[int]]:
    """Group consecutive items (of ``sizes`` characters) into batches of about ``max_chars`` characters."""
    max_chars = BATCH_CHARS if max_chars is None else max_chars
    batches: list[list[int]] = []
    size = 0
    for index, chunk in enumerate(sizes):
        if not batches or size + chunk > max_chars:
            batches.append([])
            size = 0
        batches[-1].append(index)
        size += chunk
    return batches


class ProcessCache(Generic[K, V]):
    """Things a worker process builds once and keeps (its tokenizer, its slogan matcher), by recipe:
    the last ``keep`` recipes. Thread-safe: a Dask worker with several threads builds each once."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self._items: dict[K, V] = {}
        self._lock = threading.Lock()

    def get(self, key: K, build: Callable[[], V]) -> V:
        """The item for ``key``, built with ``build()`` on first use."""
        item = self._items.get(key)
        if item is None:
            with self._lock:
                item = self._items.get(key)
                if item is None:
                    while len(self._items) >= self.keep:
                        del self._items[next(iter(self._items))]
                    item = self._items[key] = build()
        return item


# The tokenizers of this process, by recipe.
_TOKENIZERS: ProcessCache[SegmenterSpec, Tokenizer] = ProcessCache(keep=4)


def worker_tokenizer(segmenter: str, user_words: tuple[str, ...]) -> Tokenizer:
    """The tokenizer of this process for a recipe, built on first use and kept (one per worker)."""
    return _TOKENIZERS.get((segmenter, user_words), lambda: make_tokenizer(user_words, segmenter=segmenter))


class Runner:
    """Where batches of work run: in this process (``workers`` 1), in a pool of worker processes kept
    for the whole run, or on a Dask cluster. Use it as a context manager; the pool or the cluster is
    started on the first batch that needs it and closed at the end.

    Each worker builds its tokenizer (and slogan matcher) once, on its first task, and keeps it.
    """

    def __init__(self, *, workers: int = 1, engine: str = "local", scheduler: str | None = None) -> None:
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(ENGINES)}; got {engine!r}")
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self.workers, self.engine, self.scheduler = workers, engine, scheduler
        self._pool: Any = None
        self._client: Any = None
        self._cluster: Any = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self, segmenter: str | None = None) -> None:
        """Start the worker processes now, each loading the segmenter's dictionary, while this process
        goes on, reading the input for example. Nothing happens where the
        work runs in this process or on Dask, or once the workers are running."""
        if self.local or self.engine != "local" or self._pool is not None:
            return
        from concurrent.futures import ProcessPoolExecutor

        self._pool = ProcessPoolExecutor(max_workers=self.workers, initializer=preload_segmenter,
                                         initargs=(segmenter or default_segmenter(),))
        self._pool.submit(int)  # the processes start with the first piece of work

    @property
    def local(self) -> bool:
        """True when the work runs in this process."""
        return self.engine == "local" and self.workers == 1

    def batches(self, sizes: Sequence[int]) -> list[list[int]]:
        """The items (of ``sizes`` characters) grouped into batches of about :data:`BATCH_CHARS`
        characters (see :func:`group_batches`), wherever the work runs: in this process too, so that a
        caller adding results up as they come (:meth:`imap`) holds one batch's at a time."""
        return group_batches(sizes)

    def map(self, function: Callable[[Any, Any], Any], batches: Iterable[Any], shared: Any) -> list[Any]:
        """``[function(batch, shared) for batch in batches]``, in order, wherever the work runs."""
        return list(self.imap(function, batches, shared))

    def imap(self, function: Callable[[Any, Any], Any], batches: Iterable[Any], shared: Any, *,
             window: int | None = None) -> Iterator[Any]:
        """``function(batch, shared)`` for each batch, yielded in order as they are done: a caller that
        adds results up as they come never holds them all.

        Batches are taken from ``batches`` one at a time, as they are sent (it may be lazy, and may
        stop early); ``window`` of them (default: two per worker, and one) are in flight at once.
        While the caller holds a result, ``window - 1`` batches go on running: the workers keep busy.
        """
        if isinstance(batches, Sized) and not len(batches):
            return  # no worker is started for no work
        if self.local or (self.engine == "local" and isinstance(batches, Sized) and len(batches) == 1):
            for batch in batches:
                yield function(batch, shared)
            return
        window = max(2, window or 2 * self.workers + 1)
        submit = self._dask_submitter(shared) if self.engine == "dask" else self._pool_submitter()
        # The next batch is made when one is sent: the input is never all copied at once, nor are the results.
        pending: deque[Any] = deque()
        for batch in batches:
            pending.append(submit(function, batch, shared))
            if len(pending) >= window:
                yield _result(pending.popleft())
        while pending:
            yield _result(pending.popleft())

    def _pool_submitter(self) -> Callable[[Callable[[Any, Any], Any], Any, Any], Any]:
        if self._pool is None:
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(max_workers=self.workers)
        return self._pool.submit  # type: ignore[no-any-return]

    def _dask_submitter(self, shared: Any) -> Callable[[Callable[[Any, Any], Any], Any, Any], Any]:
        client = self._dask_client()
        common: list[Any] = []  # the shared part, sent once to every worker with the first batch

        def submit(function: Callable[[Any, Any], Any], batch: Any, _: Any) -> Any:
            # Data goes to the workers directly (not inside the task graph). Fresh keys (hash=False,
            # pure=False): a later call sending the same data must not share, and lose, an earlier one's.
            if not common:
                common.append(client.scatter(shared, broadcast=True, hash=False))
            data = client.scatter([batch], hash=False)[0]
            return client.submit(function, data, common[0], pure=False)

        return submit

    def _dask_client(self) -> Any:
        if self._client is None:
            try:
                import distributed
            except ImportError:
                raise ValueError("engine 'dask' needs dask.distributed: pip install 'zhpolicy[dask]'") from None
            dask: Any = distributed  # untyped
            if self.scheduler is None:
                self._cluster = dask.LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                                  dashboard_address=":0", silence_logs=logging.WARNING)
                self._client = dask.Client(self._cluster)
            else:
                self._client = dask.Client(self.scheduler)
        return self._client

    def close(self) -> None:
        """Stop the worker processes or leave the cluster."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


def _result(future: Any) -> Any:
    """The result of a finished piece of work; a Dask future is released once read."""
    result = future.result()
    if hasattr(future, "release"):
        future.release()
    return result
