"""The results model: search hits (best first) for the grid, with badges and expansions;
with no query, the library's photos by month (``browse``: a ``timeline.Timeline``).

``ResultsModel`` answers the view only for the rows it paints, so 100k results cost
nothing until scrolled to; thumbnails come from the ``ThumbnailLoader``. Browsing reads
the catalog a page at a time as the grid scrolls (``canFetchMore``/``fetchMore``). One
model for both, so the grid's selection and every feature's hooks stay connected.

Extension points (duplicates and tags views):
- ``set_badge_provider(fn)``: ``fn(hit) -> str | None`` gives a short badge (``"×3"``,
  ``"★"``) painted on a thumbnail's corner; call ``refresh_badges()`` when the answers
  change.
- ``set_expander(fn)``: ``fn(hit) -> list[Hit]`` gives the photos a collapsed hit stands
  for (a duplicate group's other copies). ``set_expanded(photo_id, True)`` shows them
  right after it, and they stay there while the query refreshes; a new set of hits
  without that photo forgets the expansion.
- ``set_explainer(fn)``: ``fn(hit) -> list[str]`` says why a hit matched (its tags that
  share the query's words); the tooltip shows it.

Hits below the relevance cut-off that the user asked to see (``set_hits(..., weaker=)``)
are marked (``WeakerRole``, ``is_weaker``): the grid dims them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QAbstractListModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QUrl,
)

from photosearch.core.files import display_path
from photosearch.core.library import Library
from photosearch.core.relevance import percent
from photosearch.core.search import Hit
from photosearch.gui.thumbnails import ThumbnailLoader
from photosearch.gui.timeline import REFRESH, Timeline

PathRole = Qt.ItemDataRole.UserRole + 1
PhotoIdRole = Qt.ItemDataRole.UserRole + 2
ScoreRole = Qt.ItemDataRole.UserRole + 3
BadgeRole = Qt.ItemDataRole.UserRole + 4
HitRole = Qt.ItemDataRole.UserRole + 5
MonthRole = Qt.ItemDataRole.UserRole + 6   # (year, month) above this cell's grid row
WeakerRole = Qt.ItemDataRole.UserRole + 7  # below the relevance cut-off (shown dimmed)

BadgeProvider = Callable[[Hit], "str | None"]
Expander = Callable[[Hit], Sequence[Hit]]
Explainer = Callable[[Hit], Sequence[str]]


class ResultsModel(QAbstractListModel):
    def __init__(self, library: Library, loader: ThumbnailLoader,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.loader = loader
        self.hits: list[Hit] = []            # what the grid shows, expansions included
        self._base: list[Hit] = []           # the search's hits
        self._hashes: dict[int, str | None] = {}
        self._rows: dict[str, int] = {}
        self._badge: BadgeProvider | None = None
        self._expander: Expander | None = None
        self._expanded: dict[int, list[Hit]] = {}   # photo id -> the rows shown after it
        self._weaker: set[int] = set()              # photo ids below the cut-off
        self._explainer: Explainer | None = None
        self.timeline: Timeline | None = None       # browsing (no query)
        # True while a reset only refreshes the same view (photos came or went), so the
        # selection can follow its photo instead of being dropped as for a new query.
        self.refreshing = False
        self.columns = 1                            # the grid's, for the timeline's rows
        loader.ready.connect(self._thumbnail_ready)

    # -- contents -------------------------------------------------------------------------
    def set_hits(self, hits: Sequence[Hit], weaker: Sequence[Hit] = ()) -> bool:
        """Show ``hits`` (those also in ``weaker`` are below the relevance cut-off, shown
        dimmed); False (and no reset) if they are what is shown already."""
        was, self._weaker = self._weaker, {h.photo_id for h in weaker}
        if was != self._weaker and self.rowCount():
            self.dataChanged.emit(self.index(0), self.index(self.rowCount() - 1), [WeakerRole])
        self._base = list(hits)
        present = {h.photo_id for h in self._base}
        for pid in [p for p in self._expanded if p not in present]:
            del self._expanded[pid]
        return self._show(self._with_expansions())

    def clear(self) -> None:
        self.set_hits([])

    def _with_expansions(self) -> list[Hit]:
        """The base hits with each expanded hit followed by what it stands for (a photo
        that is a hit of its own is not repeated)."""
        shown = {h.photo_id for h in self._base}
        out: list[Hit] = []
        for hit in self._base:
            out.append(hit)
            if hit.photo_id in self._expanded:
                extra = [h for h in self._members(hit) if h.photo_id not in shown]
                shown.update(h.photo_id for h in extra)
                self._expanded[hit.photo_id] = extra
                out.extend(extra)
        return out

    def _members(self, hit: Hit) -> list[Hit]:
        return list(self._expander(hit)) if self._expander is not None else []

    def _show(self, hits: list[Hit]) -> bool:
        if self.timeline is None and (
                [(h.photo_id, h.path) for h in hits] == [(h.photo_id, h.path) for h in self.hits]):
            self.hits = hits   # scores may have moved a little; the order has not
            return False
        photos = self.library.catalog.photos_by_ids([h.photo_id for h in hits])
        self.beginResetModel()
        self.loader.forget_requests()
        self.timeline = None
        self.hits = hits
        self._hashes = {i: p.content_hash for i, p in photos.items()}
        self._rows = {h.path: row for row, h in enumerate(hits)}
        self.endResetModel()
        return True

    # -- expanding a hit into what it stands for ----------------------------------------
    def set_expander(self, expander: Expander | None) -> None:
        self._expander = expander
        self.refresh_expansions()

    def is_expanded(self, photo_id: int) -> bool:
        return photo_id in self._expanded

    def set_expanded(self, photo_id: int, expanded: bool) -> None:
        """Show (or hide again) the photos the hit ``photo_id`` stands for, right after it.
        Rows are inserted and removed, not reset, so the selection and scroll stay."""
        row = next((r for r, h in enumerate(self.hits) if h.photo_id == photo_id), None)
        if row is None or expanded == self.is_expanded(photo_id):
            return
        if expanded:
            shown = {h.photo_id for h in self.hits}
            extra = [h for h in self._members(self.hits[row]) if h.photo_id not in shown]
            self._expanded[photo_id] = extra
            if extra:
                self._add_hashes(extra)
                self.beginInsertRows(QModelIndex(), row + 1, row + len(extra))
                self.hits[row + 1:row + 1] = extra
                self._rows = {h.path: r for r, h in enumerate(self.hits)}
                self.endInsertRows()
        else:
            extra = self._expanded.pop(photo_id)
            if extra:
                self.beginRemoveRows(QModelIndex(), row + 1, row + len(extra))
                del self.hits[row + 1:row + 1 + len(extra)]
                self._rows = {h.path: r for r, h in enumerate(self.hits)}
                self.endRemoveRows()
        self.refresh_badges()

    def collapse_all(self) -> None:
        if self._expanded:
            self._expanded.clear()
            self._show(self._with_expansions())

    def refresh_expansions(self) -> None:
        """The expander's answers changed (groups were regrouped): show them afresh."""
        if self._expanded:
            self._show(self._with_expansions())
            self.refresh_badges()

    def _add_hashes(self, hits: list[Hit]) -> None:
        photos = self.library.catalog.photos_by_ids([h.photo_id for h in hits])
        self._hashes.update({i: p.content_hash for i, p in photos.items()})

    def hit(self, row: int) -> Hit | None:
        if self.timeline is not None:
            return self.timeline.hit(row)
        return self.hits[row] if 0 <= row < len(self.hits) else None

    def row_of(self, photo_id: int) -> int | None:
        if self.timeline is not None:
            return self.timeline.cell_of(photo_id)
        return next((r for r, h in enumerate(self.hits) if h.photo_id == photo_id), None)

    # -- browsing: no query, the library by month -----------------------------------------
    def browse(self, folder: str | None, *, oldest: bool = False) -> None:
        """Show the library's photos (inside ``folder``) newest (or oldest) first, by month."""
        timeline = Timeline(self.library.catalog, folder, self.columns, oldest=oldest)
        timeline.fetch()
        self._set_timeline(timeline)

    def refresh_browse(self, folder: str | None, *, oldest: bool = False) -> bool:
        """Read the timeline again (photos came or went); False when nothing changed.
        Compares the first ``REFRESH`` photos (a refresh while indexing must stay cheap);
        the grid is reset, and the photos read again, only when those changed."""
        old = self.timeline
        if old is None or old.folder != folder or old.oldest != oldest:
            self.browse(folder, oldest=oldest)
            return True
        new = Timeline(self.library.catalog, folder, self.columns, oldest=oldest)
        new.fetch(min(max(len(old.photos), 1), REFRESH))
        same = new.photos == old.photos[:len(new.photos)]
        if same and (not new.done or len(new.photos) == len(old.photos)):
            return False   # (a photo gone from the end makes the new read shorter)
        self._set_timeline(new)
        return True

    def _set_timeline(self, timeline: Timeline) -> None:
        self.beginResetModel()
        self.loader.forget_requests()
        self._base, self.hits, self._rows = [], [], {}
        self._expanded.clear()
        self._weaker = set()
        self.timeline = timeline
        self.endResetModel()

    def set_columns(self, columns: int) -> None:
        """The grid's column count: a month starts a grid row, so its layout depends on it."""
        if columns == self.columns:
            return
        self.columns = columns
        if self.timeline is not None:
            self.beginResetModel()
            self.timeline.relayout(columns)
            self.endResetModel()

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex(),  # noqa: B008
                     ) -> bool:
        return not parent.isValid() and self.timeline is not None and not self.timeline.done

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex(),  # noqa: B008
                  ) -> None:
        timeline = self.timeline
        if parent.isValid() or timeline is None or timeline.done:
            return
        page = timeline.read_next()
        cells = len(timeline.cells_after(page))
        if cells:
            first = len(timeline.slots)
            self.beginInsertRows(QModelIndex(), first, first + cells - 1)
            timeline.add(page)
            self.endInsertRows()

    def set_badge_provider(self, provider: BadgeProvider | None) -> None:
        self._badge = provider
        self.refresh_badges()

    def badge(self, hit: Hit) -> str | None:
        """The provider's badge; none while browsing, which shows every photo (a "×3"
        says copies are folded into this one, true only of search results)."""
        if self.timeline is not None or self._badge is None:
            return None
        return self._badge(hit)

    def set_explainer(self, explainer: Explainer | None) -> None:
        self._explainer = explainer

    def is_weaker(self, hit: Hit) -> bool:
        """Below the relevance cut-off (shown because the user asked for weaker matches)."""
        return self.timeline is None and hit.photo_id in self._weaker

    def why(self, hit: Hit) -> list[str]:
        """Why ``hit`` matched, in the explainer's words (none while browsing)."""
        if self.timeline is not None or self._explainer is None:
            return []
        return list(self._explainer(hit))

    def tooltip(self, row: int) -> str | None:
        """The photo's path and date; for a search hit also its match strength, whether
        it is a weaker match, and its tags that share the query's words."""
        hit = self.hit(row)
        if hit is None:
            return None
        if self.timeline is not None:
            photo = self.timeline.photo(row)
            return f"{display_path(hit.path)}\n{photo.date if photo else ''}"
        lines = [display_path(hit.path)]
        if hit.date:
            lines.append(self.tr("Taken {date}").format(date=hit.date[:16].replace("T", " ")))
        if hit.strength is not None:    # calibrated (core/relevance.py): people read it
            strength = self.tr("Match strength {percent}").format(percent=percent(hit.strength))
            if self.is_weaker(hit):
                strength += " · " + self.tr("a weaker match")
            lines.append(strength)
        elif hit.score:
            lines.append(self.tr("Score {score}").format(score=f"{hit.score:.3f}"))
        why = self.why_text(hit)
        if why:
            lines.append(why)
        return "\n".join(lines)

    def why_text(self, hit: Hit) -> str:
        """"Matching tags: beach, dog" (tooltip and status bar); "" when none match."""
        why = self.why(hit)
        return self.tr("Matching tags: {tags}").format(tags=", ".join(why)) if why else ""

    def month_at(self, row: int) -> tuple[int, int] | None:
        """(year, month) when ``row``'s grid row starts a month while browsing."""
        return self.timeline.month_starting(row) if self.timeline is not None else None

    def refresh_badges(self) -> None:
        rows = self.rowCount()
        if rows:
            self.dataChanged.emit(self.index(0), self.index(rows - 1), [BadgeRole])

    # -- Qt model -------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return len(self.timeline.slots) if self.timeline is not None else len(self.hits)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        if role == MonthRole:
            return self.month_at(index.row())
        hit = self.hit(index.row())
        if hit is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return display_path(os.path.basename(hit.path))
        if role == Qt.ItemDataRole.DecorationRole:
            pixmap = self.loader.get(hit.path, self._hash(index.row(), hit))
            return pixmap if pixmap is not None else self.loader.placeholder
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(index.row())
        if role == WeakerRole:
            return self.is_weaker(hit)
        if role == PathRole:
            return hit.path
        if role == PhotoIdRole:
            return hit.photo_id
        if role == ScoreRole:
            return hit.score
        if role == HitRole:
            return hit
        if role == BadgeRole:
            return self.badge(hit)
        return None

    def _hash(self, row: int, hit: Hit) -> str | None:
        if self.timeline is not None:
            photo = self.timeline.photo(row)
            return photo.content_hash if photo is not None else None
        return self._hashes.get(hit.photo_id)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if index.isValid() and self.hit(index.row()) is None:
            return Qt.ItemFlag.NoItemFlags      # a blank cell that ends a month's row
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else base

    def mimeTypes(self) -> list[str]:
        return ["text/uri-list"]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        """Dragging photos out gives file URLs (to a file manager, an editor, a chat)."""
        data = QMimeData()
        data.setUrls([QUrl.fromLocalFile(i.data(PathRole)) for i in indexes if i.isValid()])
        return data

    def _thumbnail_ready(self, path: str) -> None:
        rows = self.timeline.rows if self.timeline is not None else self._rows
        row = rows.get(path)
        if row is not None:
            index = self.index(row)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])
