"""The current query: what was asked, running it on the query lane, showing its hits.

The window owns one ``SearchController`` and only lays out what it reports. It keeps the
query (text, or photos like a library photo or any image file), the result filters that
features add, and the refresh rules:

- a newer query wins over an older one still in flight (a generation counter);
- a refresh (new photos, a filter or folder changed) re-runs the query quietly, without
  a "Searching…" header;
- ``hold_refresh`` lets a feature that reloads what its filter reads (the duplicates'
  hidden copies) delay the next refresh until it has, so one change is one re-search.

With no query the grid browses: the library's photos (or the chosen folder's) by month,
newest first (``ResultsModel.browse``); a refresh re-reads what is shown.

Searching needs the model except for tag-only queries (``tag:red``), which read the
catalog's tags and so run while the model loads or when it is missing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from photosearch.core.errors import PhotosearchError
from photosearch.core.library import Library
from photosearch.core.search import Hit
from photosearch.gui.folders_panel import ALL
from photosearch.gui.indexing import Indexer
from photosearch.gui.results_model import ResultsModel
from photosearch.gui.status_text import display_name, error_text
from photosearch.gui.task_runner import TaskRunner

log = logging.getLogger(__name__)

RESULTS = 300
AllowFn = Callable[[int], bool]


@dataclass(frozen=True)
class Query:
    kind: str              # "text" | "similar"
    target: str | int      # the text; or a photo id or an image file's path
    label: str             # how the header names it


class SearchController(QObject):
    results_shown = Signal(list)       # the hits now in the results model
    header_changed = Signal(str)       # the line above the grid
    scroll_to_top = Signal()           # a new set of hits arrived

    def __init__(self, library: Library, runner: TaskRunner, indexer: Indexer,
                 results: ResultsModel, folder: Callable[[], str],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.indexer = indexer
        self.results = results
        self.folder = folder               # the folder chosen in the panel (ALL: every one)
        self.query: Query | None = None
        self.last_query_seconds: float | None = None
        self.searches_started = 0
        self.closed = False
        self._filters: list[AllowFn] = []
        self._gen = 0
        self._started = 0.0
        self._holds = 0
        self._refresh_wanted = False

    # -- asking -----------------------------------------------------------------------------
    def search_text(self, text: str) -> None:
        """Search for ``text`` now; an empty text clears the query."""
        text = text.strip()
        if not text:
            self.clear()
            return
        self.query = Query("text", text, text)
        self._search()

    def find_similar(self, target: str | int, label: str | None = None) -> None:
        """Photos like a library photo (id) or any image file (path)."""
        name = label or (display_name(target) if isinstance(target, str)
                         else self.tr("photo {id}").format(id=target))
        self.query = Query("similar", target, name)
        self._search()

    def clear(self) -> None:
        """No query: browse the library (or the chosen folder) by month."""
        self.query = None
        self._gen += 1
        folder = self.folder() or None
        self.results.browse(folder)
        self.scroll_to_top.emit()
        self._browse_header(folder)
        self.results_shown.emit([])

    def _browse_header(self, folder: str | None) -> None:
        count = self.library.catalog.live_count(folder)
        if not count:
            self.header_changed.emit("")
        elif folder:
            self.header_changed.emit(self.tr("%Ln photos in {folder}, newest first", "",
                                             count).format(folder=display_name(folder)))
        else:
            self.header_changed.emit(self.tr("All photos: %Ln photos, newest first", "",
                                             count))

    def refresh(self) -> None:
        """Run the current query again, quietly (or once the holds are released)."""
        if self._holds:
            self._refresh_wanted = True
            return
        self._refresh_wanted = False
        if self.query is not None:
            self._search(quiet=True)
        elif not self.closed:
            folder = self.folder() or None
            switched = self.results.timeline is None or self.results.timeline.folder != folder
            self.results.refreshing = not switched
            try:
                reset = self.results.refresh_browse(folder)
            finally:
                self.results.refreshing = False
            if reset and switched:
                self.scroll_to_top.emit()
            self._browse_header(folder)

    def hold_refresh(self) -> Callable[[], None]:
        """Hold refreshing until the returned function is called (more calls are no-ops)."""
        self._holds += 1
        released = False

        def release() -> None:
            nonlocal released
            if released:
                return
            released = True
            self._holds -= 1
            if not self._holds and self._refresh_wanted:
                self.refresh()

        return release

    @property
    def refresh_pending(self) -> bool:
        return self._holds > 0 or self._refresh_wanted

    # -- filters ----------------------------------------------------------------------------
    def add_filter(self, allow: AllowFn) -> None:
        """``allow(photo_id) -> bool`` for every search; it runs on the query thread."""
        self._filters.append(allow)

    def allow(self) -> AllowFn | None:
        """All filters as one (None when there are none)."""
        filters = list(self._filters)
        if not filters:
            return None
        return lambda pid: all(f(pid) for f in filters)

    # -- the model --------------------------------------------------------------------------
    def needs_model(self) -> bool:
        """Whether the current query needs the encoder."""
        if self.query is None:
            return False
        if self.query.kind != "text":
            return True
        from photosearch.core.query import parse_query

        return parse_query(str(self.query.target)).needs_model

    def model_ready(self) -> None:
        if self.query is not None:
            self._search()

    def model_missing(self) -> None:
        if self.needs_model():
            self.header_changed.emit(self._no_model())

    def _no_model(self) -> str:
        return self.tr("Searching needs the model; it is not available yet.")

    # -- running ----------------------------------------------------------------------------
    def _search(self, quiet: bool = False) -> None:
        if self.query is None or self.closed:
            return
        encoder = self.indexer.encoder
        if encoder is None and self.needs_model():
            self.indexer.ensure_model()
            self.header_changed.emit(
                self._no_model() if self.indexer.state == "missing"
                else self.tr("Loading the model… the search runs as soon as it is ready."))
            return
        from photosearch.core.query import search_query
        from photosearch.core.search import needs_multilingual, search_similar

        query, library = self.query, self.library
        self.searches_started += 1
        folder = self.folder() or None
        allow = self.allow()
        self._gen += 1
        gen = self._gen

        def work(task) -> list[Hit]:
            if query.kind == "text":   # the search box understands tag:beach (core.query)
                return search_query(library, encoder, str(query.target), RESULTS,
                                    folder=folder, allow=allow)
            return search_similar(library, encoder, query.target, RESULTS, folder=folder,
                                  allow=allow)

        self._started = time.perf_counter()
        if not quiet:
            self.header_changed.emit(
                self.tr("Searching for “{query}”…").format(query=query.label)
                if query.kind == "text"
                else self.tr("Looking for photos like {photo}…").format(photo=query.label))
        hint = (query.kind == "text" and encoder is not None
                and needs_multilingual(str(query.target), encoder))
        self.runner.run(work, lane="query",
                        on_done=lambda hits: self._show(gen, query, hits, hint, quiet),
                        on_error=lambda e: self._failed(gen, e))

    def _show(self, gen: int, query: Query, hits: list[Hit], hint: bool,
              quiet: bool = False) -> None:
        if gen != self._gen or self.closed:
            return  # a newer query has been asked for
        self.last_query_seconds = time.perf_counter() - self._started
        self.results.refreshing = quiet
        try:
            reset = self.results.set_hits(hits)
        finally:
            self.results.refreshing = False
        if reset and hits:
            self.scroll_to_top.emit()
        self.results.refresh_badges()   # a refresh may change badges, not rows
        folder = display_name(self.folder()) if self.folder() != ALL else ""
        if not hits:
            text = self.tr("No photos yet: add a folder, or wait for indexing to finish.")
        elif query.kind == "text":
            text = (self.tr("Best matches for “{query}” in {folder}") if folder
                    else self.tr("Best matches for “{query}”"))
            text = text.format(query=query.label, folder=folder)
        else:
            text = (self.tr("Photos like {photo} in {folder}") if folder
                    else self.tr("Photos like {photo}"))
            text = text.format(photo=query.label, folder=folder)
        if hint:
            text += "  ·  " + self.tr("This model understands English only: for Russian "
                                      "queries choose Model ▸ Multilingual.")
        self.header_changed.emit(text)
        self.results_shown.emit(hits)

    def _failed(self, gen: int, error: BaseException) -> None:
        if gen != self._gen:
            return
        if isinstance(error, PhotosearchError):
            self.header_changed.emit(error_text(error))
        else:
            log.error("search failed", exc_info=error)
            self.header_changed.emit(
                self.tr("The search failed: {error}. Details are in the log file.")
                .format(error=error))
        self.results_shown.emit([])
