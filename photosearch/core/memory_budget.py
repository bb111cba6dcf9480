"""How much memory the decoders may hold at once, shared by every decoder thread.

A photo's decoding cost is known from its header before a pixel is decoded (see
``decoding.decode_cost``). Each decode holds its cost from the budget until it is done,
so two workers can never both hold a giant image, and the index run's peak stays the
model plus this budget, whatever the folder holds. A photo whose cost alone is over the
budget is refused (a file's own fault, like a decompression bomb), never waited for, so
holds can never deadlock: each thread holds at most one at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

DEFAULT_LIMIT = 512 << 20   # with ViT-B-32 (~0.6 GB) the whole run stays under ~1.5 GB


class MemoryBudget:
    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        self.limit = limit
        self._used = 0
        self.waiting = 0        # threads waiting for room (for tests and diagnostics)
        self._cond = threading.Condition()

    @contextmanager
    def hold(self, nbytes: int) -> Iterator[None]:
        """Wait until ``nbytes`` fit beside what others hold, and hold them for the block.
        The caller checks ``nbytes <= limit`` first."""
        nbytes = max(0, min(nbytes, self.limit))
        with self._cond:
            if self._used + nbytes > self.limit:
                self.waiting += 1
                self._cond.notify_all()
                self._cond.wait_for(lambda: self._used + nbytes <= self.limit)
                self.waiting -= 1
            self._used += nbytes
        try:
            yield
        finally:
            with self._cond:
                self._used -= nbytes
                self._cond.notify_all()


DECODERS = MemoryBudget()   # the one budget of this process's decoders
