"""Running the work: where (:mod:`~zhpolicy.run.runner`) and in what units (:mod:`~zhpolicy.run.chunks`).

- :mod:`~zhpolicy.run.runner`: :class:`Runner` (this process, worker processes or Dask), the caches a worker
  keeps, :func:`default_workers`.
- :mod:`~zhpolicy.run.chunks`: a section's text cut into chunks (:func:`chunk_bounds`); each chunk segmented
  (:func:`segment_batch`) and counted (:func:`count_batch`) in a worker, a batch of chunks at a time.
"""
from zhpolicy.run.chunks import chunk_bounds, count_batch, segment_batch
from zhpolicy.run.runner import Runner, default_workers

__all__ = ["Runner", "chunk_bounds", "count_batch", "default_workers", "segment_batch"]
