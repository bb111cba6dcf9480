"""The main window: folders, search box, results grid, indexing status.

Everything slow goes through the one ``TaskRunner``: every catalog and index write on the
``writer`` lane (``Writer``: indexing runs and scans from the ``Indexer``, the watcher's
jobs, folders added and removed), searches on ``query``, thumbnails on ``thumbnails``,
the model and catalog counts on ``background``. The window only arranges widgets and
reacts.

Extension points for the duplicates and tags features (their modules own the logic):
- ``add_view(widget, title)``: another tab next to "Photos" (the tab bar appears once
  there are two).
- ``add_toolbar_widget(widget)``: a checkbox or button beside the search box, e.g. "Hide
  near-duplicates".
- ``set_chips_widget(widget)``: a row under the search box, e.g. tag chips.
- ``add_result_filter(allow)``: ``allow(photo_id) -> bool`` applied to every search (it
  runs on the query thread, so it must be thread-safe: read a set or a frozen snapshot);
  call ``refresh_results()`` when its answers change.
- ``results.set_badge_provider(fn)`` and ``grid.menu_hooks`` (see ``results_grid``).
- ``indexer.run_finished`` / ``indexer.catalog_changed``: refresh derived views.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QIcon,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QProgressBar,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from photosearch.core import paths
from photosearch.core.errors import PhotosearchError
from photosearch.core.library import Library
from photosearch.core.progress import Progress
from photosearch.core.scanning import ScanReport
from photosearch.core.search import Hit
from photosearch.core.watching import FolderWatcher, follow_up
from photosearch.gui.banner import ModelBanner
from photosearch.gui.folders_panel import ALL, FoldersPanel
from photosearch.gui.indexing import EncoderFactory, Indexer
from photosearch.gui.preview import Preview
from photosearch.gui.results_grid import ResultsGrid, ResultsModel, ThumbnailLoader
from photosearch.gui.search_box import SearchBox, local_paths
from photosearch.gui.status_text import describe, display_name
from photosearch.gui.task_runner import TaskRunner
from photosearch.gui.writer import Writer

if TYPE_CHECKING:  # pragma: no cover
    from photosearch.core.pipeline import BatchHook

log = logging.getLogger(__name__)

RESULTS = 300
TYPING_PAUSE_MS = 300
REFRESH_WHILE_INDEXING_MS = 2000
START_DELAY_MS = 150

AllowFn = Callable[[int], bool]


class _WatchBridge(QWidget):
    """Carries the watcher's reports from its thread to the UI thread (a queued signal)."""

    changed = Signal(object)


class MainWindow(QMainWindow):
    results_shown = Signal(list)      # the hits now in the grid
    folders_refreshed = Signal()

    def __init__(self, library: Library, encoder_factory: EncoderFactory | None = None, *,
                 watch: bool = True, watch_debounce: float = 1.0,
                 hooks: Callable[[], Sequence[BatchHook]] | None = None) -> None:
        super().__init__()
        self.library = library
        self.setWindowTitle("photosearch")
        self.setWindowIcon(QIcon(str(paths.resources_dir() / "icons" / "photosearch.svg")))
        self.setAcceptDrops(True)
        self.runner = TaskRunner(self)
        self.writer = Writer(self.runner, self)
        self.indexer = Indexer(library, self.runner, encoder_factory, self, hooks=hooks,
                               writer=self.writer)
        self._filters: list[AllowFn] = []
        self._query: tuple[str, object, str] | None = None   # (kind, target, label)
        self._query_gen = 0
        self._query_started = 0.0
        self.last_query_seconds: float | None = None
        self._closed = False
        self._build()
        self._connect()
        self._bridge = _WatchBridge()
        self._bridge.changed.connect(self._watched_change)
        self.watcher = (FolderWatcher(library.catalog, self._watch_applied,
                                      debounce=watch_debounce, submit=self.writer.submit)
                        if watch else None)
        self._show_folders_now()
        self._restore_geometry()
        # Background work starts once the window has been painted: the model's import
        # holds the GIL for a while and must not delay the first frame.
        QTimer.singleShot(START_DELAY_MS, self._start)

    # -- layout -----------------------------------------------------------------------------
    def _build(self) -> None:
        self.search_box = SearchBox()
        self.toolbar_row = QHBoxLayout()
        self.toolbar_row.setSpacing(8)
        self.toolbar_row.addWidget(self.search_box, 1)
        self.banner = ModelBanner()
        self.chips_row = QVBoxLayout()
        self.chips_row.setContentsMargins(0, 0, 0, 0)
        self.header = QLabel()
        self.header.setObjectName("resultsHeader")
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.header.setWordWrap(True)

        self.loader = ThumbnailLoader(self.library, self.runner, self)
        self.results = ResultsModel(self.library, self.loader, self)
        self.grid = ResultsGrid(self.results)
        self.grid.set_empty_text("Type what you are looking for, or drop a photo on the "
                                 "search box to find ones like it.")
        self.views = QTabWidget()
        self.views.setDocumentMode(True)
        self.views.setTabBarAutoHide(True)
        self.views.addTab(self.grid, "Photos")

        self.folders = FoldersPanel()
        self.splitter = QSplitter()
        self.splitter.addWidget(self.folders)
        self.splitter.addWidget(self.views)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([240, 900])
        self.splitter.setChildrenCollapsible(False)

        right = QVBoxLayout()
        right.setContentsMargins(12, 10, 12, 4)
        right.setSpacing(8)
        right.addLayout(self.toolbar_row)
        right.addWidget(self.banner)
        right.addLayout(self.chips_row)
        right.addWidget(self.header)
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addLayout(right)
        outer.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.status_label = QLabel("Ready")
        self.progress_bar = QProgressBar()
        self.progress_bar.setFixedWidth(180)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.hide()
        self.pause_button = QToolButton()
        self.pause_button.setText("Pause")
        self.pause_button.hide()
        self.model_label = QLabel()
        bar = self.statusBar()
        bar.addWidget(self.status_label, 1)
        bar.addPermanentWidget(self.progress_bar)
        bar.addPermanentWidget(self.pause_button)
        bar.addPermanentWidget(self.model_label)
        self.resize(1180, 760)
        self.preview: Preview | None = None

    def _connect(self) -> None:
        self._typing = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self._typing.timeout.connect(self.run_query)
        self._refresh = QTimer(self, singleShot=True, interval=REFRESH_WHILE_INDEXING_MS)
        self._refresh.timeout.connect(self._refresh_now)
        self.search_box.textEdited.connect(lambda _: self._typing.start())
        self.search_box.returnPressed.connect(self.run_query)
        self.search_box.cleared.connect(self.clear_query)
        self.search_box.image_dropped.connect(lambda p: self.find_similar(p))
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self._focus_search)
        self.grid.find_similar.connect(lambda hit: self.find_similar(hit.photo_id,
                                                                     display_name(hit.path)))
        self.grid.preview_requested.connect(self.show_preview)
        self.grid.status_message.connect(lambda m: self.statusBar().showMessage(m, 4000))
        self.folders.add_requested.connect(self.add_folders)
        self.folders.remove_requested.connect(self.remove_folder)
        self.folders.folder_selected.connect(lambda _: self.refresh_results())
        self.pause_button.clicked.connect(self._toggle_pause)
        ix = self.indexer
        ix.model_state.connect(self._model_state)
        ix.progress.connect(self._progress)
        ix.run_finished.connect(self._run_finished)
        ix.catalog_changed.connect(lambda: self._refresh.isActive() or self._refresh.start())
        ix.paused_changed.connect(self._paused_changed)
        ix.error.connect(self._error)
        self.banner.choose_weights.connect(self._choose_weights)
        self.banner.download.connect(self._download)

    def _focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    # -- extension points -------------------------------------------------------------------
    def add_view(self, widget: QWidget, title: str) -> int:
        return self.views.addTab(widget, title)

    def add_toolbar_widget(self, widget: QWidget) -> None:
        self.toolbar_row.addWidget(widget)

    def set_chips_widget(self, widget: QWidget) -> None:
        self.chips_row.addWidget(widget)

    def add_result_filter(self, allow: AllowFn) -> None:
        self._filters.append(allow)

    def _allow(self) -> AllowFn | None:
        filters = list(self._filters)
        if not filters:
            return None
        return lambda photo_id: all(f(photo_id) for f in filters)

    # -- start and stop -----------------------------------------------------------------------
    def _start(self) -> None:
        """After the window is up: watch folders, catch up with changes made while closed."""
        if self._closed:
            return
        folders = [f.path for f in self.library.catalog.folders()]
        if self.watcher is not None:
            self.watcher.start()
            self.runner.run(lambda task: self.watcher.sync(), lane="background")
        if folders:
            self.indexer.request(rescan=True)
        self.refresh_counts()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop watching, cancel indexing between batches (the pipeline saves the index) and
        wait for background work; the library can be closed afterwards."""
        if self._closed:
            return
        self._closed = True
        self._save_geometry()
        self._typing.stop()
        self._refresh.stop()
        self.indexer.shutdown()
        if self.watcher is not None:
            self.watcher.stop()
        self.writer.close()
        if not self.runner.shutdown():
            log.warning("background work did not finish in time")
        if self.preview is not None:
            self.preview.close()

    def _settings(self) -> QSettings:
        return QSettings("photosearch", "photosearch")

    def _restore_geometry(self) -> None:
        s = self._settings()
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        splitter = s.value("window/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)

    def _save_geometry(self) -> None:
        s = self._settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/splitter", self.splitter.saveState())
        s.sync()

    # -- folders ------------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(os.path.isdir(p) for p in local_paths(event)):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        folders = [p for p in local_paths(event) if os.path.isdir(p)]
        if folders:
            event.acceptProposedAction()
            self.add_folders(folders)
        else:
            event.ignore()

    def add_folders(self, folder_paths: list[str]) -> None:
        """Add folders to the library (on the writer), watch them and index them."""

        def add() -> tuple[list[str], list[str]]:
            added, errors = [], []
            for path in folder_paths:
                try:
                    added.append(self.library.add_folder(path).path)
                except PhotosearchError as e:
                    errors.append(str(e))
            return added, errors

        self.writer.submit(add, on_done=self._folders_added)

    def _folders_added(self, result: tuple[list[str], list[str]]) -> None:
        added, errors = result
        for message in errors:
            self._error(message)
        if not added or self._closed:
            return
        self._show_folders_now()
        if self.watcher is not None:
            self.runner.run(lambda task: [self.watcher.watch(p) for p in added],
                            lane="background")
        self.indexer.request(added, rescan=True)
        self.statusBar().showMessage(f"Added {', '.join(map(display_name, added))}", 4000)

    def remove_folder(self, path: str) -> None:
        if self.watcher is not None:
            self.watcher.unwatch(path)
        self.writer.submit(lambda: self.library.remove_folder(path),
                           on_done=lambda n: self._folder_removed(path, n),
                           on_error=lambda e: self._error(str(e)))

    def _folder_removed(self, path: str, count: int) -> None:
        self.statusBar().showMessage(
            f"Removed {display_name(path)} from the library ({count:,} photos; "
            "files untouched)", 6000)
        self._show_folders_now()
        self.refresh_counts()
        self.refresh_results()

    def _show_folders_now(self) -> None:
        """Folder names at once (the catalog answers in microseconds); counts follow."""
        self._counts = getattr(self, "_counts", {})
        self.folders.set_folders(self.library.catalog.folders(), self._counts)

    def refresh_counts(self) -> None:
        key = self.indexer.encoder.key if self.indexer.encoder is not None else ""

        def count(task):
            return (self.library.catalog.folders(), self.library.catalog.folder_counts(key))

        def show(result) -> None:
            folders, self._counts = result
            self.folders.set_folders(folders, self._counts)
            self.folders_refreshed.emit()

        if not self._closed:
            self.runner.run(count, lane="background", on_done=show)

    def _watch_applied(self, report: ScanReport) -> None:
        """On the writer, right after the watcher's job: the core's follow-up, then the
        screen (through the queued bridge)."""
        self._bridge.changed.emit((report, follow_up(self.library, report)))

    def _watched_change(self, applied: tuple[ScanReport, bool]) -> None:
        """The watcher changed the catalog (and the indexes are in step): embed what is
        new, show the rest."""
        report, pending = applied
        if self._closed:
            return
        log.info("folders changed: %d added, %d vanished, %d moved, %d offline",
                 len(report.added), len(report.vanished), len(report.moved),
                 len(report.offline))
        if pending:
            self.indexer.request(rescan=False)
        self._show_folders_now()
        self.refresh_counts()
        self.refresh_results()

    # -- searching ----------------------------------------------------------------------------
    def run_query(self) -> None:
        """Search for the text in the box now (typing pauses and Enter call this)."""
        self._typing.stop()
        text = self.search_box.text().strip()
        if not text:
            self.clear_query()
            return
        self._query = ("text", text, text)
        self._search()

    def find_similar(self, target: str | int, label: str | None = None) -> None:
        """Photos like a library photo (id) or any image file (path)."""
        name = label or (display_name(target) if isinstance(target, str) else f"photo {target}")
        self.search_box.clear()
        self._query = ("similar", target, name)
        self._search()

    def clear_query(self) -> None:
        self._typing.stop()
        self._query = None
        self._query_gen += 1
        self.results.clear()
        self.header.clear()
        self.results_shown.emit([])

    def refresh_results(self) -> None:
        """Run the current query again (new photos, a filter changed, a folder chosen)."""
        if self._query is not None:
            self._search(quiet=True)

    def _refresh_now(self) -> None:
        self.refresh_results()
        self.refresh_counts()

    def _needs_model(self) -> bool:
        """Whether the current query needs the encoder: a tag-only query (``tag:red``)
        reads the catalog's tags, so it runs while the model loads or when it is missing."""
        if self._query is None:
            return False
        kind, target, _ = self._query
        if kind != "text":
            return True
        from photosearch.core.query import parse_query

        return parse_query(str(target)).needs_model

    def _search(self, quiet: bool = False) -> None:
        if self._query is None or self._closed:
            return
        encoder = self.indexer.encoder
        if encoder is None and self._needs_model():
            self.indexer.ensure_model()
            self.header.setText("Searching needs the model; it is not available yet."
                                if self.indexer.state == "missing"
                                else "Loading the model… the search runs as soon as it is ready.")
            return
        from photosearch.core.query import search_query
        from photosearch.core.search import image_vector, needs_multilingual, search_vector

        kind, target, label = self._query
        folder = self.folders.selected_path() or None
        allow = self._allow()
        self._query_gen += 1
        gen = self._query_gen

        def work(task) -> list[Hit]:
            if kind == "text":   # the search box understands tag:beach (core.query)
                return search_query(self.library, encoder, str(target), RESULTS,
                                    folder=folder, allow=allow)
            vector, own = image_vector(self.library, encoder, target)
            return search_vector(self.library, encoder, vector, RESULTS, folder=folder,
                                 exclude={own} if own is not None else set(), allow=allow)

        self._query_started = time.perf_counter()
        if not quiet:
            self.header.setText(f"Searching for “{label}”…" if kind == "text"
                                else f"Looking for photos like {label}…")
        hint = (kind == "text" and encoder is not None
                and needs_multilingual(str(target), encoder))
        self.runner.run(work, lane="query",
                        on_done=lambda hits: self._show_hits(gen, hits, kind, label, hint),
                        on_error=lambda e: self._search_failed(gen, e))

    def _show_hits(self, gen: int, hits: list[Hit], kind: str, label: str, hint: bool,
                   ) -> None:
        if gen != self._query_gen or self._closed:
            return  # a newer query has been asked for
        self.last_query_seconds = time.perf_counter() - self._query_started
        changed = self.results.set_hits(hits)
        if changed and hits:
            self.grid.scrollToTop()
        where = ""
        if self.folders.selected_path() != ALL:
            where = f" in {display_name(self.folders.selected_path())}"
        if not hits:
            text = "No photos yet: add a folder, or wait for indexing to finish."
        elif kind == "text":
            text = f"Best matches for “{label}”{where}"
        else:
            text = f"Photos like {label}{where}"
        if hint:
            text += ("  ·  This model understands English only: for Russian queries "
                     "choose Model ▸ Multilingual.")
        self.header.setText(text)
        self.results_shown.emit(hits)

    def _search_failed(self, gen: int, error: BaseException) -> None:
        if gen != self._query_gen:
            return
        if isinstance(error, PhotosearchError):
            self.header.setText(str(error))
        else:
            log.error("search failed", exc_info=error)
            self.header.setText(f"The search failed: {error}. Details are in the log file.")
        self.results_shown.emit([])

    # -- preview ------------------------------------------------------------------------------
    def show_preview(self, hit: Hit) -> None:
        if self.preview is None:
            self.preview = Preview(self.runner, self._step, self)
        pixmap = self.loader.get(hit.path, None)
        self.preview.show_hit(hit, pixmap)

    def _step(self, hit: Hit, delta: int) -> Hit | None:
        rows = [i for i, h in enumerate(self.results.hits) if h.photo_id == hit.photo_id]
        if not rows:
            return None
        nxt = self.results.hit(rows[0] + delta)
        if nxt is not None:
            self.grid.setCurrentIndex(self.results.index(rows[0] + delta))
        return nxt

    # -- indexing status ----------------------------------------------------------------------
    def _progress(self, p: Progress) -> None:
        if self._closed:
            return
        bar = self.progress_bar
        bar.show()
        if p.total:
            bar.setRange(0, p.total)
            bar.setValue(p.done)
        else:
            bar.setRange(0, 0)
        self.status_label.setText(describe(p))
        running = self.indexer.running and self.indexer.state == "ready"
        self.pause_button.setVisible(running or self.indexer.paused)

    def _run_finished(self, report) -> None:
        if self.indexer.paused:
            return
        if self.indexer.encoder is None:
            self.status_label.setText("Scanned; indexing starts when the model is available")
        else:
            scanned = getattr(report, "scan", None)
            note = ""
            if scanned is not None and scanned.offline:
                note = f" · offline: {', '.join(map(display_name, scanned.offline))}"
            failed = len(getattr(report, "failed", []))
            if failed:
                note += f" · {failed:,} unreadable (see the folder's details)"
            deferred = len(getattr(report, "deferred", []))
            if deferred:
                note += f" · {deferred:,} could not be read now, tried again next time"
            self.status_label.setText("Up to date" + note)
        if not self.indexer.running:
            self.progress_bar.hide()
            self.pause_button.hide()
        self.refresh_counts()
        self.refresh_results()

    def _toggle_pause(self) -> None:
        if self.indexer.paused:
            self.indexer.resume()
        else:
            self.indexer.pause()

    def _paused_changed(self, paused: bool) -> None:
        self.pause_button.setText("Resume" if paused else "Pause")
        self.pause_button.setVisible(True)
        if paused:
            self.status_label.setText("Indexing paused")

    def _model_state(self, state: str, message: str) -> None:
        if state == "ready":
            self.banner.hide()
            self.model_label.setText(f"Model: {message}")
            self.refresh_counts()
            if self._query is not None:
                self._search()
        elif state == "loading":
            self.model_label.setText("Loading the model…")
        else:
            from photosearch.core.model import network_allowed

            self.model_label.setText("Model: not available")
            self.banner.show_missing(message, can_download=network_allowed())
            if self._needs_model():
                self.header.setText("Searching needs the model; it is not available yet.")

    def _choose_weights(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose the model's weights file", "",
            "Model weights (*.safetensors *.bin *.pt *.pth);;All files (*)")
        if path:
            self.use_weights(path)

    def use_weights(self, path: str) -> None:
        """Use a local checkpoint for the configured architecture, from now on."""
        settings = self.library.settings
        if settings.model.startswith("local-dir:"):
            settings.model = "default"
        settings.weights = path
        self.library.save_settings()
        self.indexer.retry_model()

    def _download(self) -> None:
        self.library.settings.allow_download = True
        self.library.save_settings()
        self.indexer.retry_model()

    def _error(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)
        log.warning("shown to the user: %s", message)
