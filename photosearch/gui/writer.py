"""The GUI's one writer: every catalog and index write from the app runs on one thread.

SQLite and hnswlib each want one writer (see ``core.pipeline`` for the roles). The
``writer`` lane of the ``TaskRunner`` has one thread; this module is the way onto it:

- ``run(fn, …)``: a long write (an indexing run, a rescan, a regroup, re-tagging,
  removing a folder) as a task of its own, after the ones queued before it;
- ``submit(fn, on_done=…)``: a small write (a watcher job, a tag added by hand, a folder
  added, a keep choice), from any thread. It runs as soon as the writer is free *or*
  between two batches of a running index run (the run calls ``run_pending``), so a
  change on disk or a click never waits for a long run to end.

Callbacks run on the UI thread. Without a runner (widgets tested alone) small writes run
inline, in the caller's thread.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from photosearch.gui.task_runner import Task, TaskRunner

log = logging.getLogger(__name__)

LANE = "writer"
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class Writer(QObject):
    """Small writes queued for the writer thread, and long ones run on it."""

    _wake = Signal()                          # any thread -> UI: make sure a drain runs
    _result = Signal(object, object)   # writer -> UI: (callback, its argument)

    def __init__(self, runner: TaskRunner | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self._jobs: deque[tuple[Callable[[], Any], Done | None, Failed | None]] = deque()
        self._lock = threading.Lock()
        self._draining = False
        self._closed = False
        self._wake.connect(self._schedule)
        self._result.connect(self._deliver)

    def run(self, fn: Callable[[Task], Any], **callbacks: Any) -> Task:
        """A long write on the writer lane (``TaskRunner.run``'s callbacks)."""
        assert self.runner is not None
        return self.runner.run(fn, lane=LANE, **callbacks)

    def submit(self, fn: Callable[[], Any], on_done: Done | None = None,
               on_error: Failed | None = None) -> None:
        """Queue a small write; callable from any thread. ``on_done(result)`` or
        ``on_error(error)`` follow on the UI thread (without ``on_error`` an error is
        logged)."""
        if self.runner is None:
            self._call(fn, on_done, on_error)
            return
        with self._lock:
            self._jobs.append((fn, on_done, on_error))
        self._wake.emit()

    def run_pending(self) -> None:
        """Run the queued small writes, in order. Only on the writer thread: the writer
        lane's drain task, and index runs between batches."""
        while True:
            with self._lock:
                if not self._jobs:
                    return
                fn, on_done, on_error = self._jobs.popleft()
            try:
                value, error = fn(), None
            except Exception as e:  # delivered (or logged) on the UI thread
                value, error = None, e
            if error is not None:
                self._result.emit(on_error or _log_error, error)
            elif on_done is not None:
                self._result.emit(on_done, value)

    def close(self) -> None:
        """Queue nothing more (the window is closing; small writes not yet run are dropped,
        as the watcher's unapplied events are: the next launch's rescan catches up)."""
        self._closed = True
        with self._lock:
            self._jobs.clear()

    # -- UI thread ------------------------------------------------------------------------
    def _schedule(self) -> None:
        if self._draining or self._closed or self.runner is None:
            return
        with self._lock:
            if not self._jobs:
                return
        self._draining = True
        self.runner.run(lambda task: self.run_pending(), lane=LANE,
                        on_finished=self._drained)

    def _drained(self) -> None:
        self._draining = False
        self._schedule()       # a job queued after the drain's last look

    def _deliver(self, callback: Callable[[Any], None], value: Any) -> None:
        callback(value)

    @staticmethod
    def _call(fn: Callable[[], Any], on_done: Done | None, on_error: Failed | None) -> None:
        try:
            value = fn()
        except Exception as e:
            (on_error or _log_error)(e)
            return
        if on_done is not None:
            on_done(value)


def _log_error(error: BaseException) -> None:
    log.error("a write failed", exc_info=error)
