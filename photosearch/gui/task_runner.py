"""The one way the GUI runs core work off the UI thread.

Widgets never create threads. They hand a callable to ``TaskRunner.run`` and get its
result, its error or its progress back on the UI thread through Qt signals, as Anki's
``QueryOp`` and Picard's ``run_task`` do. The callable receives the ``Task``, whose
``report`` is a core ``ProgressFn`` and whose ``cancel`` is the ``threading.Event`` core
functions take::

    runner.run(lambda task: index_library(lib, enc, progress=task.report,
                                          cancel=task.cancel),
               lane="writer", on_done=..., on_progress=...)

Lanes are thread pools by role (see ``core.pipeline``): ``writer`` has one thread, the
only one that writes the catalog and the indexes (``gui.writer`` is the way onto it),
``query`` serves searches so that a long batch never blocks them, ``thumbnails`` makes
grid thumbnails, ``background`` loads the model and other read-only one-off jobs. A lane's
threads carry its name (``writer-lane``…), which logs and the one-writer test read.

Progress is throttled where it is produced: at most one report per ``min_interval``
(0.1 s, so ≤ 10 a second) and the latest one wins. A report that arrives too soon is held
and delivered by a timer when its interval is up (as Picard's ``throttle`` does), not by
the next report, which may be a whole batch away; the last is always delivered before the
result.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from photosearch.core.progress import Progress

log = logging.getLogger(__name__)

LANES = {"writer": 1, "query": 1, "thumbnails": 2, "background": 2}
PROGRESS_INTERVAL = 0.1


class Task(QObject):
    """One call in flight. Signals are emitted on the worker thread and delivered on the
    UI thread (the task object lives there)."""

    progressed = Signal(object)      # Progress
    completed = Signal(object, object)  # (result, None) or (None, exception): one emission,
                                        # so nothing of the task is touched after it
    _arm = Signal(int)               # worker -> UI thread: deliver the held report in N ms

    def __init__(self, fn: Callable[[Task], Any], min_interval: float = PROGRESS_INTERVAL,
                 ) -> None:
        super().__init__()
        self.fn = fn
        self.cancel = threading.Event()
        self.min_interval = min_interval
        self.done = False
        self._last_emit = 0.0
        self._held: Progress | None = None
        self._armed = False              # a timer will deliver the held report
        self._lock = threading.Lock()
        # The timer lives on the UI thread with the task; the worker arms it through a
        # queued signal, once per held report, so a flood of reports queues nothing.
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self._flush)
        self._arm.connect(self._timer.start)

    def report(self, progress: Progress) -> None:
        """A core ``ProgressFn``: callable from the worker as often as it likes."""
        now = time.monotonic()
        arm_ms = 0
        with self._lock:
            wait = self.min_interval - (now - self._last_emit)
            hold = wait > 0 or self._armed   # once armed, only the timer delivers
            if hold:
                self._held = progress
                if not self._armed:
                    self._armed, arm_ms = True, max(1, round(wait * 1000))
            else:
                self._last_emit = now
        if not hold:
            self.progressed.emit(progress)
        elif arm_ms:
            self._arm.emit(arm_ms)

    def _flush(self) -> None:
        """Deliver the held report: from the timer (UI thread), or before the result."""
        with self._lock:
            held, self._held = self._held, None
            self._armed = False
            if held is not None:
                self._last_emit = time.monotonic()
        if held is not None:
            self.progressed.emit(held)

    def run_here(self) -> None:
        """Run the callable in the calling (worker) thread."""
        try:
            result, error = self.fn(self), None
        except BaseException as e:  # delivered to the UI thread, logged there
            result, error = None, e
        self._flush()
        self.completed.emit(result, error)


class _Runnable(QRunnable):
    def __init__(self, task: Task, lane: str) -> None:
        super().__init__()
        self.task = task
        self.lane = lane
        self.setAutoDelete(True)

    def run(self) -> None:
        threading.current_thread().name = f"{self.lane}-lane"   # a pool serves one lane
        self.task.run_here()


class TaskRunner(QObject):
    """Owns the lanes; ``run`` from the UI thread only."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pools: dict[str, QThreadPool] = {}
        for lane, threads in LANES.items():
            pool = QThreadPool(self)
            pool.setMaxThreadCount(threads)
            self._pools[lane] = pool
        self._live: set[Task] = set()
        self._closed = False

    def run(self, fn: Callable[[Task], Any], *, lane: str = "background",
            on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None,
            on_progress: Callable[[Progress], None] | None = None,
            on_finished: Callable[[], None] | None = None,
            owner: QObject | None = None) -> Task:
        """Run ``fn(task)`` on ``lane``; the callbacks run on the UI thread. Without
        ``on_error`` an error is logged with its traceback. With an ``owner``, the callbacks
        are dropped once the owner is deleted (a window closed while its work was running:
        the runner outlives it)."""
        task = Task(fn)
        if self._closed:
            # Shut down (its window closing): a task queued now would still be waiting
            # when the pools are destroyed, and their destructor waits for it while
            # holding the GIL the task needs to start: a deadlock. Dropped instead.
            task.cancel.set()
            task.done = True
            return task
        if on_progress is not None:
            task.progressed.connect(on_progress)

        def complete(result: Any, error: BaseException | None) -> None:
            task.done = True
            self._live.discard(task)
            if owner is not None and not shiboken6.isValid(owner):
                return
            try:
                if error is None:
                    if on_done is not None:
                        on_done(result)
                else:
                    (on_error or _log_error)(error)
            finally:
                if on_finished is not None:
                    on_finished()

        task.completed.connect(complete)
        self._live.add(task)  # keeps the QObject alive until its signals are delivered
        self._pools[lane].start(_Runnable(task, lane))
        return task

    @property
    def busy(self) -> bool:
        return bool(self._live)

    def shutdown(self, timeout_ms: int = 30000) -> bool:
        """Cancel everything, drop what has not started, wait for the rest; later ``run``
        calls are dropped."""
        self._closed = True
        for task in list(self._live):
            task.cancel.set()
        ok = True
        for pool in self._pools.values():
            pool.clear()
            ok = pool.waitForDone(timeout_ms) and ok
        return ok


def _log_error(error: BaseException) -> None:
    log.error("background task failed", exc_info=error)
