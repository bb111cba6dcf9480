"""The library's folders in the window: adding, removing, counting, and following them.

``FolderActions`` joins the ``FoldersPanel`` (a plain widget) to the library. Adding and
removing are writes, so they go through the ``Writer``; counts are read on the
``background`` lane. The ``FolderWatcher`` hands its jobs to the writer as well; right
after a job, still on the writer, the core's ``watching.follow_up`` brings the indexes in
step, and the ``Changes`` it returns cross to the UI thread through a queued signal, to
the window's one change notification (``notify``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from photosearch.core.changes import FOLDERS, Changes
from photosearch.core.errors import PhotosearchError
from photosearch.core.library import Library
from photosearch.core.scanning import ScanReport
from photosearch.core.watching import FolderWatcher, follow_up
from photosearch.gui.folders_panel import FoldersPanel
from photosearch.gui.indexing import Indexer
from photosearch.gui.status_text import display_name, error_text
from photosearch.gui.task_runner import TaskRunner
from photosearch.gui.writer import Writer

log = logging.getLogger(__name__)


class FolderActions(QObject):
    message = Signal(str, int)         # a status-bar line and how long to show it (ms)
    error = Signal(str)
    counts_shown = Signal()
    _watched = Signal(object)          # writer -> UI thread: (report, changes)

    def __init__(self, library: Library, runner: TaskRunner, writer: Writer,
                 indexer: Indexer, panel: FoldersPanel, notify: Callable[[Changes], None],
                 *, watch: bool = True, watch_debounce: float = 1.0,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.writer = writer
        self.indexer = indexer
        self.panel = panel
        self.notify = notify
        self.closed = False
        self._counts: dict = {}
        self._watched.connect(self._watched_change)
        self.watcher = (FolderWatcher(library.catalog, self._watch_applied,
                                      debounce=watch_debounce, submit=writer.submit)
                        if watch else None)

    def start(self) -> None:
        """Watch the folders and catch up with changes made while the app was closed.
        The stored counts go first, ahead of the model's load and the watcher's sync on
        the background lane: a relaunch shows what is indexed at once."""
        self.refresh_counts()
        if self.watcher is not None:
            self.watcher.start()
            self.runner.run(lambda task: self.watcher.sync(), lane="background")
        if self.library.catalog.folders():
            self.indexer.request(rescan=True)

    def stop(self) -> None:
        self.closed = True
        if self.watcher is not None:
            self.watcher.stop()

    # -- adding and removing --------------------------------------------------------------
    def add(self, folder_paths: list[str]) -> None:
        """Add folders to the library (on the writer), watch them and index them."""

        def add() -> tuple[list[str], list[str]]:
            added, errors = [], []
            for path in folder_paths:
                try:
                    added.append(self.library.add_folder(path).path)
                except PhotosearchError as e:
                    errors.append(error_text(e))
            return added, errors

        self.writer.submit(add, on_done=self._added)

    def _added(self, result: tuple[list[str], list[str]]) -> None:
        added, errors = result
        for message in errors:
            self.error.emit(message)
        if not added or self.closed:
            return
        self.show_now()
        if self.watcher is not None:
            self.runner.run(lambda task: [self.watcher.watch(p) for p in added],
                            lane="background")
        self.indexer.request(added, rescan=True)
        self.message.emit(self.tr("Added {folders}").format(
            folders=", ".join(map(display_name, added))), 4000)

    def remove(self, path: str) -> None:
        if self.watcher is not None:
            self.watcher.unwatch(path)
        self.writer.submit(lambda: self.library.remove_folder(path),
                           on_done=lambda n: self._removed(path, n),
                           on_error=lambda e: self.error.emit(error_text(e)))

    def _removed(self, path: str, count: int) -> None:
        self.message.emit(self.tr("Removed {folder} from the library (%Ln photos; files "
                                  "untouched)", "", count).format(folder=display_name(path)),
                          6000)
        self.notify(FOLDERS)

    # -- showing ------------------------------------------------------------------------
    def show_now(self) -> None:
        """Folder names at once (the catalog answers in microseconds); counts follow."""
        self.panel.set_folders(self.library.catalog.folders(), self._counts)

    def refresh_counts(self) -> None:
        catalog, model_key = self.library.catalog, self.indexer.model_key

        def count(task):   # the key may look for weights on disk: not on the UI thread
            return catalog.folders(), catalog.folder_counts(model_key() or "")

        def show(result) -> None:
            folders, self._counts = result
            self.panel.set_folders(folders, self._counts)
            self.counts_shown.emit()

        if not self.closed:
            self.runner.run(count, lane="background", on_done=show)

    # -- the watcher ----------------------------------------------------------------------
    def _watch_applied(self, report: ScanReport) -> None:
        """On the writer, right after the watcher's job: the core's follow-up, then the
        screen (through the queued signal)."""
        self._watched.emit((report, follow_up(self.library, report)))

    def _watched_change(self, applied: tuple[ScanReport, Changes]) -> None:
        report, changes = applied
        log.info("folders changed: %d added, %d vanished, %d moved, %d offline",
                 len(report.added), len(report.vanished), len(report.moved),
                 len(report.offline))
        self.notify(changes)
