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

Results know when to stop (``core.relevance``, as the CLI): a text search shows the hits
that reach the model's cut-off, or says there is no good match and shows the closest few;
``show_weaker`` adds the rest, dimmed, after them (``weaker_changed`` tells the window's
button). ``set_order`` sorts by relevance or capture date (View ▸ Sort by): the cut-off
decides the set, the order sorts within it. Hovering a hit says why it matched: its tags
that share the query's words (``core.tagging.explain``).

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
    kind: str              # "text" | "similar" | "photos"
    target: str | int | tuple[int, ...]   # the text; a photo id or path; photo ids
    label: str             # how the header names it
    photo: str | int | None = None   # text searches: a photo dropped on the box, mixed in
    photo_label: str = ""


@dataclass(frozen=True)
class Found:
    """A search's answer: the good hits and the weaker rest, each in the chosen order."""

    good: list[Hit]
    weaker: list[Hit]
    no_good_match: bool = False     # none reached the cut-off: ``good`` are the closest
    cut: bool = False               # a cut-off applied (a description for the model)


class SearchController(QObject):
    results_shown = Signal(list)       # the hits now in the results model
    header_changed = Signal(str)       # the line above the grid
    weaker_changed = Signal(int, bool)  # weaker hits there are, and whether they show
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
        self.show_weaker = False
        self._found: Found | None = None
        self._hint = False                 # the English-only model note, for a re-show
        self._vocab: tuple[tuple[str, ...], object] | None = None   # (custom words, vocab)
        results.set_explainer(self.why)
        self.liked: list[int] = []         # relevance feedback on the current query
        self.unliked: list[int] = []
        self.anchor: tuple[str | int, str] | None = None   # a dropped photo text adds to

    # -- asking -----------------------------------------------------------------------------
    def search_text(self, text: str) -> None:
        """Search for ``text`` now; an empty text clears the query."""
        text = text.strip()
        if not text:
            if self.anchor is not None:   # words erased: back to the dropped photo alone
                self.drop_photo(self.anchor[0])
            else:
                self.clear()
            return
        if self.query is None or self.query.target != text:
            self.show_weaker = False      # a new question starts with its good answers
            self._forget_marks()
        photo, photo_label = self.anchor if self.anchor is not None else (None, "")
        self.query = Query("text", text, text, photo, photo_label)
        self._search()

    def drop_photo(self, target: str | int, text: str = "") -> None:
        """A photo dropped on the search box: photos like it, and with words typed before
        or after it, like it *and* the words ("this photo, but at night"). Esc drops it."""
        name = (display_name(target) if isinstance(target, str)
                else self.tr("photo {id}").format(id=target))
        if not text.strip():
            self.find_similar(target, name)     # (which forgets any earlier photo)
        self.anchor = (target, name)
        if text.strip():
            self.search_text(text)

    def find_similar(self, target: str | int, label: str | None = None) -> None:
        """Photos like a library photo (id) or any image file (path)."""
        name = label or (display_name(target) if isinstance(target, str)
                         else self.tr("photo {id}").format(id=target))
        self._forget_marks()
        self.anchor = None
        self.query = Query("similar", target, name)
        self.show_weaker = False
        self._search()

    def show_photos(self, ids: list[int], label: str) -> None:
        """These photos, in this order (a theme's), as the current query."""
        self._forget_marks()
        self.query = Query("photos", tuple(ids), label)
        self._search()

    def mark(self, photo_id: int, good: bool) -> None:
        """Mark a result good or bad and run the query again with that feedback."""
        if self.query is None or self.query.kind == "photos":
            return
        keep, other = (self.liked, self.unliked) if good else (self.unliked, self.liked)
        if photo_id in other:
            other.remove(photo_id)
        if photo_id not in keep:
            keep.append(photo_id)
        self._search()

    def _forget_marks(self) -> None:
        self.liked, self.unliked = [], []

    def clear(self) -> None:
        """No query: browse the library (or the chosen folder) by month."""
        self._forget_marks()
        self.anchor = None
        self.query = None
        self._found = None
        self._gen += 1
        folder = self.folder() or None
        self.results.browse(folder, oldest=self.order == "oldest")
        self.scroll_to_top.emit()
        self._browse_header(folder)
        self.weaker_changed.emit(0, False)
        self.results_shown.emit([])

    def _browse_header(self, folder: str | None) -> None:
        count = self.library.catalog.live_count(folder)
        oldest = self.order == "oldest"
        if not count:
            self.header_changed.emit("")
        elif folder:
            text = (self.tr("%Ln photos in {folder}, oldest first", "", count) if oldest
                    else self.tr("%Ln photos in {folder}, newest first", "", count))
            self.header_changed.emit(text.format(folder=display_name(folder)))
        else:
            self.header_changed.emit(
                self.tr("All photos: %Ln photos, oldest first", "", count) if oldest
                else self.tr("All photos: %Ln photos, newest first", "", count))

    # -- order and weaker matches ------------------------------------------------------------
    @property
    def order(self) -> str:
        """relevance | newest | oldest (``core.dates.ORDERS``); browsing reads relevance
        as newest first."""
        return self.library.settings.result_order

    def set_order(self, order: str) -> None:
        """Sort results (and browsing) by relevance or capture date; kept in the settings."""
        from photosearch.core.dates import ORDERS

        if order not in ORDERS or order == self.order:
            return
        self.library.update_settings(result_order=order)
        if self.query is not None:
            self._search(quiet=True)
        else:
            self.clear()

    def set_show_weaker(self, on: bool) -> None:
        """Show the hits below the cut-off after the good ones, dimmed (or hide them)."""
        if on == self.show_weaker:
            return
        self.show_weaker = on
        found = self._found
        if found is not None and self.query is not None:
            self._show_found(self.query, found, self._hint, quiet=False)

    # -- why a hit matched ---------------------------------------------------------------------
    def why(self, hit: Hit) -> list[str]:
        """The hit's tags that share the words of the query (labels, surest first)."""
        if self.query is None or self.query.kind != "text":
            return []
        from photosearch.core.query import parse_query
        from photosearch.core.tagging.explain import matching_tags
        from photosearch.core.tagging.vocab import label_language

        query = parse_query(str(self.query.target))
        words = [*query.words, *query.tags]
        if not words:
            return []
        try:
            return matching_tags(self.library.catalog, self._vocabulary(), hit.photo_id,
                                 words, label_language(self.library.settings.ui_language))
        except Exception:   # a tooltip never fails the window (a damaged vocabulary file)
            log.exception("explaining a hit failed")
            return []

    def _vocabulary(self):
        from photosearch.core.tagging.vocab import load_vocabulary

        custom = tuple(self.library.settings.custom_tags)
        if self._vocab is None or self._vocab[0] != custom:
            self._vocab = (custom, load_vocabulary(custom))
        return self._vocab[1]

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
                reset = self.results.refresh_browse(folder, oldest=self.order == "oldest")
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
        if self.query is None or self.query.kind == "photos":
            return False
        if self.query.kind != "text" or self.liked or self.unliked:
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
        from photosearch.core.search import needs_multilingual

        query, library, order = self.query, self.library, self.order
        self.searches_started += 1
        folder = self.folder() or None
        allow = self.allow()
        marks = (list(self.liked), list(self.unliked))
        self._gen += 1
        gen = self._gen

        def work(task) -> Found:
            return find(library, encoder, query, order, folder, allow, marks)

        self._started = time.perf_counter()
        if not quiet:
            self.header_changed.emit(
                self.tr("Searching for “{query}”…").format(query=query.label)
                if query.kind == "text"
                else self.tr("Looking for photos like {photo}…").format(photo=query.label))
        hint = (query.kind == "text" and encoder is not None
                and needs_multilingual(str(query.target), encoder))
        self.runner.run(work, lane="query",
                        on_done=lambda found: self._arrived(gen, query, found, hint, quiet),
                        on_error=lambda e: self._failed(gen, e))

    def _arrived(self, gen: int, query: Query, found: Found, hint: bool,
                 quiet: bool) -> None:
        if gen != self._gen or self.closed:
            return  # a newer query has been asked for
        self.last_query_seconds = time.perf_counter() - self._started
        self._found, self._hint = found, hint
        self._show_found(query, found, hint, quiet)

    def _show_found(self, query: Query, found: Found, hint: bool,
                    quiet: bool) -> None:
        weaker = found.weaker if self.show_weaker else []
        hits = found.good + weaker
        self.results.refreshing = quiet
        try:
            reset = self.results.set_hits(hits, weaker=weaker)
        finally:
            self.results.refreshing = False
        if reset and hits:
            self.scroll_to_top.emit()
        self.results.refresh_badges()   # a refresh may change badges, not rows
        text = self._header(query, found)
        if hint:
            from photosearch.core.presets import PRESETS

            text += "  ·  " + self.tr(
                "This model understands English only: for Russian queries choose "
                "Model ▸ {default} (or {quality}).").format(
                default=PRESETS["default"].title, quality=PRESETS["quality"].title)
        self.header_changed.emit(text)
        self.weaker_changed.emit(len(found.weaker), self.show_weaker)
        self.results_shown.emit(hits)

    def _header(self, query: Query, found: Found) -> str:
        folder = display_name(self.folder()) if self.folder() != ALL else ""
        if not found.good:
            return self.tr("No photos yet: add a folder, or wait for indexing to finish.")
        if query.kind == "photos":
            return self.tr("{theme}: %Ln photos", "", len(found.good)).format(
                theme=query.label)
        if query.kind != "text":
            text = (self.tr("Photos like {photo} in {folder}") if folder
                    else self.tr("Photos like {photo}"))
            text = text.format(photo=query.label, folder=folder)
        elif found.no_good_match:
            text = (self.tr("No good matches for “{query}” in {folder}; showing the closest")
                    if folder else self.tr("No good matches for “{query}”; showing the closest"))
            text = text.format(query=query.label, folder=folder)
        elif found.cut:
            n = len(found.good)
            text = (self.tr("%Ln good matches for “{query}” in {folder}", "", n) if folder
                    else self.tr("%Ln good matches for “{query}”", "", n))
            text = text.format(query=query.label, folder=folder)
        else:
            text = (self.tr("Best matches for “{query}” in {folder}") if folder
                    else self.tr("Best matches for “{query}”"))
            text = text.format(query=query.label, folder=folder)
        if query.kind == "text" and query.photo is not None:
            text += " · " + self.tr("with the photo {photo} (Esc drops it)").format(
                photo=query.photo_label)
        if self.order != "relevance":
            text += " · " + (self.tr("newest first") if self.order == "newest"
                             else self.tr("oldest first"))
        if self.show_weaker and found.weaker:
            text += " · " + self.tr("weaker matches dimmed")
        if self.liked or self.unliked:
            text += "  ·  " + self.tr("{good} marked good, {bad} marked bad").format(
                good=len(self.liked), bad=len(self.unliked))
        return text

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
        self._found = None
        self.weaker_changed.emit(0, False)
        self.results_shown.emit([])


def find(library: Library, encoder, query: Query, order: str, folder: str | None,
         allow: AllowFn | None, marks: tuple[list[int], list[int]] = ([], [])) -> Found:
    """Run ``query`` (on the query lane): the hits, cut where the match strength drops
    below the model's level, each part sorted in ``order``."""
    from photosearch.core.dates import dated
    from photosearch.core.query import listed_photos, parse_query, search_query
    from photosearch.core.relevance import cutoff_for, select
    from photosearch.core.search import search_similar

    liked, unliked = marks
    if query.kind == "photos":
        hits = listed_photos(library, list(query.target), RESULTS, folder=folder,
                             allow=allow)
        return Found(hits, [])
    if query.kind == "text":   # the search box understands tag:beach (core.query)
        dropped = [] if query.photo is None else [query.photo]
        hits = search_query(library, encoder, str(query.target), RESULTS, folder=folder,
                            allow=allow, like=[*dropped, *liked], unlike=unliked)
        cut = encoder is not None and parse_query(str(query.target)).needs_model
    elif liked or unliked:     # "photos like this one", and these, not those
        hits = search_query(library, encoder, "", RESULTS, folder=folder, allow=allow,
                            like=[query.target, *liked], unlike=unliked)
        cut = False
    else:
        hits = search_similar(library, encoder, query.target, RESULTS, folder=folder,
                              allow=allow)
        cut = False
    chosen = select(hits, cutoff_for(encoder)) if cut else None
    good = chosen.hits if chosen is not None else hits
    return Found(dated(library, good, order), dated(library, hits[len(good):], order),
                 chosen is not None and chosen.no_good_match, cut)

