"""Progress reports and cancellation for long core calls.

Core functions take ``progress`` (a plain callable) and ``cancel`` (a threading.Event)
and know nothing about threads or signals: the CLI draws a bar, the GUI's task runner
forwards reports to the UI thread (throttled there).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    phase: str                  # "scanning", "indexing", "loading model", ...
    done: int
    total: int | None           # None while unknown (walking a tree)
    rate: float | None = None   # items per second
    eta: float | None = None    # seconds left
    message: str = ""


ProgressFn = Callable[[Progress], None]


def noop(_: Progress) -> None:
    """The default progress callback."""


class Cancelled(Exception):
    """Raised inside a long call when its cancel event is set; callers may catch it."""


def check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled


class RateMeter:
    """Items per second over a sliding window, and the time left at that rate."""

    def __init__(self, window: float = 10.0) -> None:
        self.window = window
        self._marks: list[tuple[float, int]] = []

    def update(self, done: int) -> float | None:
        now = time.monotonic()
        self._marks.append((now, done))
        while len(self._marks) > 2 and now - self._marks[0][0] > self.window:
            self._marks.pop(0)
        (t0, d0), (t1, d1) = self._marks[0], self._marks[-1]
        return (d1 - d0) / (t1 - t0) if t1 > t0 and d1 > d0 else None

    @staticmethod
    def eta(rate: float | None, left: int) -> float | None:
        return left / rate if rate else None
