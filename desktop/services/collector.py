"""The garbage collector's settings for a process that loads much once and imports in bulk."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


def freeze_loaded() -> None:
    """Keep what is loaded now (gazetteer, pipelines, place names) out of later collections.

    Those objects live as long as the process; without this every full garbage collection
    walks all of them again, and an import makes dozens of such collections.
    """
    gc.collect()
    gc.freeze()


# While bulk work runs: a young collection every 20,000 new objects instead of every 700. An
# import keeps each batch's rows and analyses alive for a while, so with the default every one
# of them was walked a dozen times before it was freed (1.9 s of 1,500 German documents' import
# in the main process went to collections; 0.4 s with this).
BULK_THRESHOLDS = (20_000, 20, 10)


class _BulkWork:
    """How many blocks run with fewer collections now, and the thresholds before the first."""

    lock = threading.Lock()
    users = 0
    before = gc.get_threshold()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect garbage less often while the block runs; nests and overlaps across threads.

    The thresholds in force before the first of overlapping blocks come back after the last.
    """
    with _BulkWork.lock:
        if not _BulkWork.users:
            _BulkWork.before = gc.get_threshold()
            gc.set_threshold(*BULK_THRESHOLDS)
        _BulkWork.users += 1
    try:
        yield
    finally:
        with _BulkWork.lock:
            _BulkWork.users -= 1
            if not _BulkWork.users:
                gc.set_threshold(*_BulkWork.before)
