"""The main window: folders, search box, results grid, indexing status.

Everything slow goes through the one ``TaskRunner``: every catalog and index write on the
``writer`` lane (``Writer``: indexing runs and scans from the ``Indexer``, the watcher's
jobs, folders added and removed), searches on ``query`` (``SearchController``),
thumbnails on ``thumbnails``, the model and catalog counts on ``background``. The window
arranges widgets, owns those parts and routes what they report.

Features (duplicates, tags, the model menu) join through ``install(window)`` and touch
only what ``gui.host.WindowHost`` lists: tabs (``add_view``), a toolbar widget, the chips
row, result filters, the results model and grid's extension points, and ``changed``.

One change notification: writes report a ``core.changes.Changes`` (``notify``); what
arrives in one turn of the event loop is merged and handled once (``_apply_changes``):
features first (``changed``), then counts, folders and one re-search.

Launch in two steps, so that the window is on screen before anything large is imported
or read (``gui.app.launch``): ``MainWindow()`` is the frame alone (Qt only; this module
imports nothing heavy at the top), and ``attach(library)`` after the frame's first paint
builds the contents and opens their parts; after the contents' first paint, ``_start``
begins the background work. ``MainWindow(library)`` does both at once (tests).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from photosearch.core import paths
from photosearch.core.changes import EMBEDDING, Changes

if TYPE_CHECKING:  # pragma: no cover
    from photosearch.core.library import Library
    from photosearch.core.pipeline import BatchHook
    from photosearch.core.search import Hit
    from photosearch.gui.indexing import EncoderFactory
    from photosearch.gui.search_controller import AllowFn

log = logging.getLogger(__name__)

TYPING_PAUSE_MS = 300
REFRESH_WHILE_INDEXING_MS = 2000
START_DELAY_MS = 150


class MainWindow(QMainWindow):
    results_shown = Signal(list)      # the hits now in the grid
    folders_refreshed = Signal()
    changed = Signal(object)          # core.changes.Changes, merged per event-loop turn
    language_changed = Signal()       # after ``retranslate``: features remake their texts
    started = Signal()                # the contents are painted; background work starts

    def __init__(self, library: Library | None = None,
                 encoder_factory: EncoderFactory | None = None, *, watch: bool = True,
                 watch_debounce: float = 1.0,
                 hooks: Callable[[], Sequence[BatchHook]] | None = None) -> None:
        """The window for ``library``; without one, only its frame (``attach`` fills it
        in: the app shows the frame first, see ``gui.app.launch``)."""
        super().__init__()
        self.library: Library = None  # type: ignore[assignment]  # until ``attach``
        self.setWindowTitle("photosearch")
        self.setWindowIcon(QIcon(str(paths.resources_dir() / "icons" / "photosearch.svg")))
        self.resize(1180, 760)
        self._closed = False
        # Background work starts once the window's contents have been painted (the
        # model's import holds the GIL for a while, and the timeline's first page sorts
        # the catalog: seconds at 1M photos; neither may delay that frame). On a loaded
        # machine a timer can fire before that paint, so the paint starts it
        # (``eventFilter``); the timer only starts a window that is not shown (tests) or
        # never painted. ``_when_framed``: steps for the frame's first paint (``attach``).
        self._started = self._painted = False
        self._when_framed: list[Callable[[], None]] = []
        self._first_steps: list[Callable[[], None]] = []
        if library is not None:
            self.attach(library, encoder_factory, watch=watch,
                        watch_debounce=watch_debounce, hooks=hooks)
        else:
            self._restore_geometry()
            QTimer.singleShot(START_DELAY_MS * 20, self._framed)   # never painted

    def attach(self, library: Library, encoder_factory: EncoderFactory | None = None, *,
               watch: bool = True, watch_debounce: float = 1.0,
               hooks: Callable[[], Sequence[BatchHook]] | None = None) -> None:
        """Fill the frame in for ``library``: the widgets, the background parts, the
        folders from last time. Everything that imports the core's heavy modules (numpy,
        Pillow, watchdog, hnswlib) or reads the catalog starts here, not before."""
        from photosearch.gui.folder_actions import FolderActions
        from photosearch.gui.indexing import Indexer
        from photosearch.gui.search_controller import SearchController
        from photosearch.gui.task_runner import TaskRunner
        from photosearch.gui.writer import Writer

        self.library = library
        self.setAcceptDrops(True)
        self.runner = TaskRunner(self)
        self.writer = Writer(self.runner, self)
        self.indexer = Indexer(library, self.runner, encoder_factory, self, hooks=hooks,
                               writer=self.writer)
        self._changes = Changes()
        self.preview = None
        self._build()
        self.search = SearchController(library, self.runner, self.indexer, self.results,
                                       self.folders.selected_path, self)
        self.folder_actions = FolderActions(
            library, self.runner, self.writer, self.indexer, self.folders, self.notify,
            watch=watch, watch_debounce=watch_debounce, parent=self)
        self.watcher = self.folder_actions.watcher
        self._connect()
        self.folder_actions.show_now()
        self.show_empty_text()
        self._restore_geometry()
        self.centralWidget().installEventFilter(self)    # its first paint: ``_start``
        QTimer.singleShot(START_DELAY_MS * 20, self._start)

    @property
    def attached(self) -> bool:
        """Whether the window shows a library (not only its frame)."""
        return self.library is not None

    # -- layout -----------------------------------------------------------------------------
    def _build(self) -> None:
        from photosearch.gui.banner import ModelBanner
        from photosearch.gui.date_filter import DateFilter
        from photosearch.gui.folders_panel import FoldersPanel
        from photosearch.gui.indexing_status import IndexingStatus
        from photosearch.gui.results_grid import ResultsGrid
        from photosearch.gui.results_model import ResultsModel
        from photosearch.gui.search_box import SearchBox
        from photosearch.gui.thumbnails import ThumbnailLoader

        self.search_box = SearchBox()
        self.toolbar_row = QHBoxLayout()
        self.toolbar_row.setSpacing(8)
        self.toolbar_row.addWidget(self.search_box, 1)
        self.date_filter = DateFilter()
        self.toolbar_row.addWidget(self.date_filter)
        self.banner = ModelBanner()
        self.chips_row = QVBoxLayout()
        self.chips_row.setContentsMargins(0, 0, 0, 0)
        self.header = QLabel()
        self.header.setObjectName("resultsHeader")
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.header.setWordWrap(True)
        self.weaker_button = QPushButton()
        self.weaker_button.setObjectName("weakerMatches")
        self.weaker_button.setFlat(True)
        # Its space is kept while hidden, so showing it never moves the grid down.
        policy = self.weaker_button.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.weaker_button.setSizePolicy(policy)
        self.weaker_button.hide()
        header_row = QHBoxLayout()
        header_row.addWidget(self.header, 1)
        header_row.addWidget(self.weaker_button)

        self.loader = ThumbnailLoader(self.library, self.runner, self)
        self.results = ResultsModel(self.library, self.loader, self)
        self.grid = ResultsGrid(self.results)
        self.views = QTabWidget()
        self.views.setDocumentMode(True)
        self.views.setTabBarAutoHide(True)
        self.views.addTab(self.grid, self.tr("Photos"))

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
        right.addLayout(header_row)
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addLayout(right)
        outer.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.status = IndexingStatus(self.indexer, self.statusBar(), self.banner, self)
        self.status_label = self.status.label
        self.progress_bar = self.status.progress_bar
        self.pause_button = self.status.pause_button
        self.model_label = self.status.model_label

    def _connect(self) -> None:
        from photosearch.gui.model_menu import allow_download, choose_folder, choose_weights
        from photosearch.gui.status_text import display_name

        self._typing = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self._typing.timeout.connect(self.run_query)
        self._refresh = QTimer(self, singleShot=True, interval=REFRESH_WHILE_INDEXING_MS)
        self._refresh.timeout.connect(lambda: self.notify(EMBEDDING))
        self._notify = QTimer(self, singleShot=True, interval=0)
        self._notify.timeout.connect(self._apply_changes)
        self.search_box.textEdited.connect(lambda _: self._typing.start())
        self.search_box.returnPressed.connect(self.run_query)
        self.search_box.cleared.connect(self.clear_query)
        self.search_box.image_dropped.connect(self._photo_dropped)
        self.search_box.textChanged.connect(self._show_date_terms)
        self.date_filter.periods_chosen.connect(self._date_chosen)
        self.weaker_button.clicked.connect(
            lambda: self.search.set_show_weaker(not self.search.show_weaker))
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self._focus_search)
        self.grid.find_similar.connect(lambda hit: self.find_similar(hit.photo_id,
                                                                     display_name(hit.path)))
        self.grid.preview_requested.connect(self.show_preview)
        self.grid.selectionModel().currentChanged.connect(self._explain_current)
        self.grid.status_message.connect(lambda m: self.statusBar().showMessage(m, 4000))
        self.folders.add_requested.connect(self.add_folders)
        self.folders.remove_requested.connect(self.remove_folder)
        fa = self.folder_actions
        fa.message.connect(lambda text, ms: self.statusBar().showMessage(text, ms))
        fa.error.connect(self._error)
        fa.counts_shown.connect(self.folders_refreshed)
        fa.counts_shown.connect(self.show_empty_text)
        self.folders.folder_selected.connect(lambda _: self.refresh_results())
        s = self.search
        s.header_changed.connect(self.header.setText)
        s.scroll_to_top.connect(self.grid.scrollToTop)
        s.results_shown.connect(self.results_shown)
        s.weaker_changed.connect(self._weaker_changed)
        ix = self.indexer
        ix.model_state.connect(self._model_state)
        ix.catalog_changed.connect(lambda: self._refresh.isActive() or self._refresh.start())
        ix.changed.connect(self.notify)
        ix.error.connect(self._error)
        self.banner.choose_weights.connect(lambda: choose_weights(self))
        self.banner.choose_folder.connect(lambda: choose_folder(self))
        self.banner.download.connect(lambda: allow_download(self))

    def _focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def show_empty_text(self) -> None:
        """What an empty grid says: on first launch (no folders) the three steps and where
        the library's data lives; afterwards, how to search."""
        if self.library.catalog.folders():
            text = self.tr("Type what you are looking for, or drop a photo on the search "
                           "box to find ones like it.")
        else:
            text = self.tr(
                "Welcome to photosearch.\n\n"
                "1. Add folders of photos: File ▸ Add folder… (Ctrl+O), or drop them here.\n"
                "2. photosearch indexes them in the background; the status bar shows how "
                "far it is.\n"
                "3. Type what you remember (“red car at the beach”), or drop a photo on "
                "the search box to find ones like it.\n\n"
                "Your photos stay where they are. The library (catalog, search index, "
                "thumbnails) lives in {root}.").format(root=self.library.root)
        self.grid.set_empty_text(text)

    def retranslate(self) -> None:
        """After ``i18n.install`` (Preferences ▸ Language): every window's fixed texts in
        the new language (``gui.retranslate``), then the texts made from templates: the
        empty grid's note, the folder counts, the results header, the model's label, and
        the features' own (``language_changed``)."""
        from PySide6.QtWidgets import QApplication

        from photosearch.gui.retranslate import retranslate_widgets

        retranslate_widgets(QApplication.topLevelWidgets())
        self.show_empty_text()
        self.status.retranslate()
        self.refresh_counts()
        self.refresh_results()
        self.grid.viewport().update()        # month names follow the new locale
        self.language_changed.emit()

    # -- extension points (gui.host.WindowHost) -----------------------------------------------
    def add_view(self, widget: QWidget, title: str) -> int:
        return self.views.addTab(widget, title)

    def add_toolbar_widget(self, widget: QWidget) -> None:
        self.toolbar_row.addWidget(widget)

    def set_chips_widget(self, widget: QWidget) -> None:
        self.chips_row.addWidget(widget)

    def add_result_filter(self, allow: AllowFn) -> None:
        """``allow(photo_id) -> bool`` for every search; it runs on the query thread, so
        it reads a set or a frozen snapshot. Call ``refresh_results()`` when it changes."""
        self.search.add_filter(allow)

    def hold_refresh(self) -> Callable[[], None]:
        return self.search.hold_refresh()

    # -- searching (the SearchController holds the query) --------------------------------------
    def run_query(self) -> None:
        """Search for the text in the box now (typing pauses and Enter call this)."""
        self._typing.stop()
        self.search.search_text(self.search_box.text())

    def set_result_order(self, order: str) -> None:
        """relevance | newest | oldest, for search results and browsing (View ▸ Sort by)."""
        self.search.set_order(order)

    def _date_chosen(self, periods: tuple[tuple[str, str], ...]) -> None:
        """The Date control writes its choice into the query, as typed terms would be."""
        from photosearch.core.query import with_periods

        self.search_box.setText(with_periods(self.search_box.text(), periods))
        self.run_query()

    def _show_date_terms(self, text: str) -> None:
        from photosearch.core.query import parse_query

        self.date_filter.show_periods(parse_query(text).periods)

    def _explain_current(self, index, _previous=None) -> None:
        """The selected result's tags that match the query, in the status bar."""
        hit = self.results.hit(index.row()) if index.isValid() else None
        why = self.results.why_text(hit) if hit is not None else ""
        if why:
            self.statusBar().showMessage(why, 8000)

    def _weaker_changed(self, count: int, shown: bool) -> None:
        self.weaker_button.setVisible(count > 0)
        self.weaker_button.setText(self.tr("Hide weaker matches") if shown
                                   else self.tr("Show %Ln weaker match(es)", "", count))

    def find_similar(self, target: str | int, label: str | None = None) -> None:
        """Photos like a library photo (id) or any image file (path)."""
        self.search_box.clear()
        self.search.find_similar(target, label)

    def _photo_dropped(self, path: str) -> None:
        """An image dropped on the search box: photos like it; words in the box, typed
        before or after, are added to it ("this photo, but at night")."""
        self._typing.stop()
        self.search.drop_photo(path, self.search_box.text())

    def clear_query(self) -> None:
        self._typing.stop()
        self.search.clear()

    def refresh_results(self) -> None:
        """Run the current query again (new photos, a filter changed, a folder chosen)."""
        self.search.refresh()

    # -- change notification ----------------------------------------------------------------
    def notify(self, changes: Changes) -> None:
        """A write changed ``changes``: merged with what else arrives this turn of the
        event loop, then handled once."""
        if changes and not self._closed:
            self._changes = self._changes | changes
            self._notify.start()

    def _apply_changes(self) -> None:
        changes, self._changes = self._changes, Changes()
        if not changes or self._closed:
            return
        self._refresh.stop()           # a mid-run refresh still to come is covered
        self.changed.emit(changes)     # features first: they may hold the refresh
        if changes.pending:
            self.indexer.request(rescan=False)
        if changes.folders:
            self.folder_actions.show_now()
        if changes.photos or changes.folders or changes.vectors:
            self.refresh_counts()
        if changes.results:
            self.refresh_results()

    @property
    def refresh_pending(self) -> bool:
        """Whether a change is still to be shown (tests wait for this to end)."""
        return (self._notify.isActive() or self._refresh.isActive()
                or self.search.refresh_pending)

    # -- start and stop -----------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._painted:
            self._painted = True
            QTimer.singleShot(0, self._framed)     # once this first frame is out
        return super().event(event)

    def eventFilter(self, watched, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and watched is self.centralWidget():
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._start)       # once the contents' first frame is out
        return False

    def when_framed(self, step: Callable[[], None]) -> None:
        """Run ``step`` once the frame's first paint is out (the app attaches the library
        so); at once if that time has passed."""
        if self._painted and not self._when_framed:
            step()
        else:
            self._when_framed.append(step)

    def _framed(self) -> None:
        steps, self._when_framed = self._when_framed, []
        for step in steps:
            if not self._closed:
                step()

    def after_first_paint(self, step: Callable[[], None]) -> None:
        """Run ``step`` once the contents' first frame is out, before the background work
        starts (the app installs its feature views so); at once if that time has passed."""
        if self._started:
            step()
        else:
            self._first_steps.append(step)

    def _start(self) -> None:
        """After the contents are up: load the model where that is quick (in the
        background; runs wait for it, so that a query typed at launch comes first:
        ``Indexer.probe_model``), the steps left for then (``after_first_paint``), browse
        the library by month (its first page sorts the catalog: ~0.2 s at 100k photos,
        kept off the first frame), watch folders, catch up with changes made while
        closed. Runs once."""
        if self._started or not self.attached:
            return
        self._started = True
        if not self._closed:
            # First: the model loads in the background beside the steps below, and runs
            # wait for it (a query typed at launch comes first).
            self.indexer.probe_model()
        for step in self._first_steps:
            step()
        self._first_steps.clear()
        if not self._closed:
            if self.search.query is None:
                self.search.clear()
            self.folder_actions.start()
        self.started.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop watching, cancel indexing between batches (the pipeline saves the index) and
        wait for background work; the library can be closed afterwards."""
        if self._closed:
            return
        self._closed = True
        if not self.attached:
            return
        self.search.closed = self.status.closed = True
        self._save_geometry()
        for timer in (self._typing, self._refresh, self._notify):
            timer.stop()
        self.indexer.shutdown()
        self.folder_actions.stop()
        self.writer.close()
        if not self.runner.shutdown():
            log.warning("background work did not finish in time")
        if self.preview is not None:
            self.preview.close()

    def _restore_geometry(self) -> None:
        """The window's place and size (once: the frame's), and the splitter's."""
        s = QSettings("photosearch", "photosearch")
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not self._painted:
            self.restoreGeometry(geometry)
        splitter = s.value("window/splitter")
        if isinstance(splitter, QByteArray) and self.attached:
            self.splitter.restoreState(splitter)

    def _save_geometry(self) -> None:
        s = QSettings("photosearch", "photosearch")
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/splitter", self.splitter.saveState())
        s.sync()

    # -- folders ------------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        from photosearch.gui.search_box import local_paths

        if any(os.path.isdir(p) for p in local_paths(event)):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        from photosearch.gui.search_box import local_paths

        folders = [p for p in local_paths(event) if os.path.isdir(p)]
        if folders:
            event.acceptProposedAction()
            self.add_folders(folders)
        else:
            event.ignore()

    def add_folders(self, folder_paths: list[str]) -> None:
        """Add folders to the library, watch them and index them in the background."""
        self.folder_actions.add(folder_paths)

    def remove_folder(self, path: str) -> None:
        self.folder_actions.remove(path)

    def refresh_counts(self) -> None:
        self.folder_actions.refresh_counts()

    # -- preview, model, errors ---------------------------------------------------------------
    def show_preview(self, hit: Hit) -> None:
        from photosearch.gui.preview import Preview

        if self.preview is None:
            self.preview = Preview(self.runner, self._step, self)
        self.preview.show_hit(hit, self.loader.get(hit.path, None))

    def _step(self, hit: Hit, delta: int) -> Hit | None:
        row = self.results.row_of(hit.photo_id)
        if row is None:
            return None
        row += delta
        while self.results.hit(row) is None and 0 <= row < self.results.rowCount():
            row += 1 if delta > 0 else -1     # over the blanks that end a month's row
        nxt = self.results.hit(row)
        if nxt is not None:
            self.grid.setCurrentIndex(self.results.index(row))
        return nxt

    def _model_state(self, state: str, _message: str) -> None:
        if state == "ready":
            self.refresh_counts()
            self.search.model_ready()
        elif state == "missing":
            self.search.model_missing()

    def _error(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)
        log.warning("shown to the user: %s", message)
