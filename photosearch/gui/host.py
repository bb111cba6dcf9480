"""What a feature's ``install(window)`` may touch: the window as a typed host.

Features (duplicates, tags, the model menu) are joined to the main window by an
``install(host)`` function. They use only what ``WindowHost`` lists (the library and the
runner lanes, the indexer's model, the extension points for tabs, toolbar, chips and
result filters, the results model and grid, the change notification), never the window's
private members, and they do not set attributes on it: what they build, ``install``
returns. ``MainWindow`` satisfies this protocol; a test may pass any object that does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # pragma: no cover
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QMenuBar, QStatusBar, QTabWidget, QWidget

    from photosearch.core.changes import Changes
    from photosearch.core.library import Library
    from photosearch.gui.indexing import Indexer
    from photosearch.gui.results_grid import ResultsGrid
    from photosearch.gui.results_model import ResultsModel
    from photosearch.gui.search_box import SearchBox
    from photosearch.gui.search_controller import SearchController
    from photosearch.gui.task_runner import TaskRunner
    from photosearch.gui.writer import Writer


class WindowHost(Protocol):
    library: Library
    runner: TaskRunner              # reads: the background and query lanes
    writer: Writer                  # every catalog or index write
    indexer: Indexer                # the model (encoder, model_key, state), index runs
    results: ResultsModel           # badges and expansions
    grid: ResultsGrid               # badge clicks, menu hooks, the current photo
    search_box: SearchBox
    search: SearchController        # the current query: feedback marks, a list of photos
    views: QTabWidget               # which tab is showing
    changed: SignalInstance         # core.changes.Changes, once per settled burst
    language_changed: SignalInstance  # the interface language switched: remake texts

    def add_view(self, widget: QWidget, title: str) -> int: ...
    def add_folders(self, folder_paths: list[str]) -> None: ...
    def add_toolbar_widget(self, widget: QWidget) -> None: ...
    def set_chips_widget(self, widget: QWidget) -> None: ...
    def add_result_filter(self, allow: Callable[[int], bool]) -> None: ...
    def refresh_results(self) -> None: ...
    def hold_refresh(self) -> Callable[[], None]: ...
    def notify(self, changes: Changes) -> None: ...
    def run_query(self) -> None: ...
    def retranslate(self) -> None: ...
    def set_result_order(self, order: str) -> None: ...
    def menuBar(self) -> QMenuBar: ...  # noqa: N802 - Qt's name
    def statusBar(self) -> QStatusBar: ...  # noqa: N802 - Qt's name
