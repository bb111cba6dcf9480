"""The results grid: search hits as a virtualised thumbnail grid.

``ResultsModel`` holds the hits (best first) and answers the view only for the rows it
paints, so 100k results cost nothing until scrolled to. Thumbnails come from the core's
disk cache (keyed by content, so a moved photo keeps its thumbnail) through
``ThumbnailLoader``: made off the UI thread, a grey placeholder meanwhile, the latest
requests first (what is on screen now beats what was scrolled past), and the decoded
pixmaps kept in a small LRU.

Extension points (duplicates and tags views):
- ``ResultsModel.set_badge_provider(fn)``: ``fn(hit) -> str | None`` gives a short badge
  (``"×3"``, ``"★"``) painted on a thumbnail's corner; call ``refresh_badges()`` when the
  answers change. A click on a badge emits ``ResultsGrid.badge_clicked(hit)``.
- ``ResultsModel.set_expander(fn)``: ``fn(hit) -> list[Hit]`` gives the photos a collapsed
  hit stands for (a duplicate group's other copies). ``set_expanded(photo_id, True)``
  shows them right after it, and they stay there while the query refreshes; a new set of
  hits without that photo forgets the expansion.
- ``ResultsGrid.menu_hooks``: callables ``hook(menu, hit)`` that add actions to a photo's
  context menu after the standard ones.
"""

from __future__ import annotations

import logging
import os
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QDesktopServices,
    QFontMetrics,
    QGuiApplication,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from photosearch.core.files import display_path
from photosearch.core.library import Library
from photosearch.core.search import Hit
from photosearch.gui.task_runner import TaskRunner

log = logging.getLogger(__name__)

PathRole = Qt.ItemDataRole.UserRole + 1
PhotoIdRole = Qt.ItemDataRole.UserRole + 2
ScoreRole = Qt.ItemDataRole.UserRole + 3
BadgeRole = Qt.ItemDataRole.UserRole + 4
HitRole = Qt.ItemDataRole.UserRole + 5

THUMB = 160          # on-screen thumbnail side, px
CELL = QSize(THUMB + 24, THUMB + 40)
CACHE_PIXMAPS = 800
IN_FLIGHT = 4

BadgeProvider = Callable[[Hit], "str | None"]
Expander = Callable[[Hit], Sequence[Hit]]


class ThumbnailLoader(QObject):
    """Pixmaps for photo paths, made off the UI thread; ``ready(path)`` when one arrives."""

    ready = Signal(str)

    def __init__(self, library: Library, runner: TaskRunner, parent: QObject | None = None,
                 ) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self._pixmaps: OrderedDict[str, QPixmap] = OrderedDict()
        self._wanted: deque[tuple[str, str | None]] = deque()
        self._queued: set[str] = set()
        self._in_flight = 0
        self.placeholder = _placeholder(QColor(226, 228, 232))
        self.broken = _placeholder(QColor(240, 214, 214))

    def get(self, path: str, content_hash: str | None) -> QPixmap | None:
        """The cached pixmap, or None after asking for it (``ready`` follows)."""
        pixmap = self._pixmaps.get(path)
        if pixmap is not None:
            self._pixmaps.move_to_end(path)
            return pixmap
        if path not in self._queued:
            self._queued.add(path)
            self._wanted.append((path, content_hash))
            self._pump()
        return None

    def forget_requests(self) -> None:
        """New results: what the old ones asked for is not wanted any more."""
        self._wanted.clear()
        self._queued.clear()

    def _pump(self) -> None:
        while self._wanted and self._in_flight < IN_FLIGHT:
            path, chash = self._wanted.pop()   # newest first: what is on screen now
            self._in_flight += 1
            self.runner.run(lambda task, p=path, h=chash: self._load(p, h), lane="thumbnails",
                            on_done=lambda image, p=path: self._arrived(p, image),
                            on_error=lambda e, p=path: self._arrived(p, None, e))

    def _load(self, path: str, chash: str | None) -> QImage:
        thumb = self.library.thumbnails.ensure(path, chash)
        image = QImage(str(thumb))
        if image.isNull():
            raise OSError(f"unreadable thumbnail {thumb}")
        return image

    def _arrived(self, path: str, image: QImage | None, error: BaseException | None = None,
                 ) -> None:
        self._in_flight -= 1
        self._queued.discard(path)
        if image is None:
            log.info("no thumbnail for %s: %s", path, error)
            pixmap = self.broken
        else:
            pixmap = QPixmap.fromImage(image)
        self._pixmaps[path] = pixmap
        while len(self._pixmaps) > CACHE_PIXMAPS:
            self._pixmaps.popitem(last=False)
        self.ready.emit(path)
        self._pump()


def _placeholder(colour: QColor) -> QPixmap:
    pixmap = QPixmap(THUMB, THUMB)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(colour)
    p.drawRoundedRect(QRect(8, 8, THUMB - 16, THUMB - 16), 8, 8)
    p.end()
    return pixmap


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
        loader.ready.connect(self._thumbnail_ready)

    # -- contents -------------------------------------------------------------------------
    def set_hits(self, hits: Sequence[Hit]) -> bool:
        """Show ``hits``; False (and nothing redrawn) if they are what is shown already."""
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
        if [(h.photo_id, h.path) for h in hits] == [(h.photo_id, h.path) for h in self.hits]:
            self.hits = hits   # scores may have moved a little; the order has not
            return False
        photos = self.library.catalog.photos_by_ids([h.photo_id for h in hits])
        self.beginResetModel()
        self.loader.forget_requests()
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
        return self.hits[row] if 0 <= row < len(self.hits) else None

    def set_badge_provider(self, provider: BadgeProvider | None) -> None:
        self._badge = provider
        self.refresh_badges()

    def refresh_badges(self) -> None:
        if self.hits:
            self.dataChanged.emit(self.index(0), self.index(len(self.hits) - 1), [BadgeRole])

    # -- Qt model -------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.hits)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        hit = self.hit(index.row())
        if hit is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return display_path(os.path.basename(hit.path))
        if role == Qt.ItemDataRole.DecorationRole:
            pixmap = self.loader.get(hit.path, self._hashes.get(hit.photo_id))
            return pixmap if pixmap is not None else self.loader.placeholder
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{display_path(hit.path)}\nscore {hit.score:.3f}"
        if role == PathRole:
            return hit.path
        if role == PhotoIdRole:
            return hit.photo_id
        if role == ScoreRole:
            return hit.score
        if role == HitRole:
            return hit
        if role == BadgeRole:
            return self._badge(hit) if self._badge is not None else None
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
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
        row = self._rows.get(path)
        if row is not None:
            index = self.index(row)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])


def _frame(cell: QRect) -> tuple[QRect, QRect]:
    """A cell's highlight frame and thumbnail box (the grid shares spare width out, so the
    frame is centred in a cell that may be wider than ``CELL``)."""
    rect = cell.adjusted(4, 4, -4, -4)
    extra = rect.width() - (CELL.width() - 8)
    rect = rect.adjusted(extra // 2, 0, -(extra - extra // 2), 0)
    box = QRect(rect.left() + (rect.width() - THUMB) // 2, rect.top() + 4, THUMB, THUMB)
    return rect, box


def badge_rect(cell: QRect, metrics: QFontMetrics, text: str) -> QRect:
    """Where a badge is painted in a cell, for painting and for clicks alike."""
    _, box = _frame(cell)
    width = metrics.horizontalAdvance(text) + 12
    height = metrics.height() + 4
    return QRect(box.right() - width - 2, box.top() + 2, width, height)


class ThumbnailDelegate(QStyledItemDelegate):
    """A thumbnail centred in its cell, the file name below, an optional corner badge."""

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        return CELL

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect, box = _frame(option.rect)
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected or option.state & QStyle.StateFlag.State_MouseOver:
            colour = QColor(palette.highlight().color())
            colour.setAlpha(70 if selected else 28)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRoundedRect(rect, 8, 8)
        pixmap: QPixmap = index.data(Qt.ItemDataRole.DecorationRole)
        if pixmap is not None and not pixmap.isNull():
            scaled = pixmap.size().scaled(box.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(QPoint(0, 0), scaled)
            target.moveCenter(box.center())
            painter.drawPixmap(target, pixmap)
        name_rect = QRect(rect.left() + 6, box.bottom() + 6, rect.width() - 12,
                          option.fontMetrics.height())
        name = option.fontMetrics.elidedText(index.data(Qt.ItemDataRole.DisplayRole) or "",
                                             Qt.TextElideMode.ElideMiddle, name_rect.width())
        painter.setPen(palette.text().color())
        painter.drawText(name_rect, Qt.AlignmentFlag.AlignHCenter, name)
        badge = index.data(BadgeRole)
        if badge:
            self._badge(painter, badge_rect(option.rect, option.fontMetrics, str(badge)),
                        str(badge))
        painter.restore()

    def _badge(self, painter: QPainter, badge: QRect, text: str) -> None:
        height = badge.height()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(30, 30, 30, 190))
        painter.drawRoundedRect(badge, height / 2, height / 2)
        painter.setPen(QColor("white"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)


class ResultsGrid(QListView):
    """The grid view with the photo actions: context menu, preview, open."""

    find_similar = Signal(object)        # Hit
    preview_requested = Signal(object)   # Hit
    badge_clicked = Signal(object)       # Hit
    status_message = Signal(str)

    def __init__(self, model: ResultsModel, parent=None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setObjectName("resultsGrid")
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(True)
        self.setGridSize(CELL)
        self.setSpacing(0)
        self.setItemDelegate(ThumbnailDelegate(self))
        self.setMouseTracking(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalScrollBar().setSingleStep(24)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._show_menu)
        self.doubleClicked.connect(lambda index: self._preview(index.row()))
        self.menu_hooks: list[Callable[[QMenu, Hit], None]] = []
        self.empty_text = ""
        self._badge_pressed = False     # a left press on a badge, waiting for its release
        self._badge_double = False      # ... that was a double click's second press

    def results(self) -> ResultsModel:
        return self.model()  # type: ignore[return-value]

    # -- the context menu -------------------------------------------------------------------
    def context_menu(self, row: int) -> QMenu | None:
        """The menu for the photo in ``row`` (built fresh, so hooks see the current hit)."""
        hit = self.results().hit(row)
        if hit is None:
            return None
        menu = QMenu(self)
        self._action(menu, "Find similar", lambda: self.find_similar.emit(hit))
        menu.addSeparator()
        self._action(menu, "Open", lambda: self.open_photo(hit))
        self._action(menu, "Show in folder", lambda: self.show_in_folder(hit))
        self._action(menu, "Copy path", lambda: self.copy_path(hit))
        self._action(menu, "Preview", lambda: self.preview_requested.emit(hit), "Space")
        for hook in self.menu_hooks:
            hook(menu, hit)
        return menu

    @staticmethod
    def _action(menu: QMenu, text: str, slot: Callable[[], None], shortcut: str = "",
                ) -> QAction:
        action = menu.addAction(text)
        action.triggered.connect(slot)
        if shortcut:
            action.setShortcut(shortcut)
        return action

    def _show_menu(self, pos: QPoint) -> None:
        index = self.indexAt(pos)
        if not index.isValid():
            return
        self.setCurrentIndex(index)
        menu = self.context_menu(index.row())
        if menu is not None:
            menu.exec(self.viewport().mapToGlobal(pos))
            menu.deleteLater()

    def open_photo(self, hit: Hit) -> None:
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(hit.path)):
            self.status_message.emit(f"No application opens {os.path.basename(hit.path)}")

    def show_in_folder(self, hit: Hit) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(os.path.dirname(hit.path)))

    def copy_path(self, hit: Hit) -> None:
        QGuiApplication.clipboard().setText(hit.path)
        self.status_message.emit(f"Copied {hit.path}")

    # -- badges -----------------------------------------------------------------------------
    def badge_rect(self, row: int) -> QRect | None:
        """The badge of ``row`` in viewport coordinates (None: it has no badge)."""
        index = self.results().index(row)
        text = index.data(BadgeRole)
        if not text:
            return None
        return badge_rect(self.visualRect(index), self.fontMetrics(), str(text))

    def _badge_at(self, pos: QPoint) -> QModelIndex | None:
        index = self.indexAt(pos)
        if not index.isValid():
            return None
        rect = self.badge_rect(index.row())
        return index if rect is not None and rect.contains(pos) else None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """A click on a badge is the badge's (it expands a duplicate group), not a
        selection or the start of a drag; it acts on release, as buttons do."""
        index = (self._badge_at(event.position().toPoint())
                 if event.button() == Qt.MouseButton.LeftButton else None)
        if index is None:
            super().mousePressEvent(event)
            return
        event.accept()
        self._badge_pressed = True
        self.setCurrentIndex(index)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        """A double click on a badge counts once (its first click did the badge's work)
        and opens no preview: the release that ends it is swallowed."""
        if self._badge_at(event.position().toPoint()) is None:
            super().mouseDoubleClickEvent(event)
            return
        event.accept()
        self._badge_pressed = self._badge_double = True

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if not self._badge_pressed:
            super().mouseReleaseEvent(event)
            return
        event.accept()
        double, self._badge_pressed, self._badge_double = self._badge_double, False, False
        index = self._badge_at(event.position().toPoint())
        hit = self.results().hit(index.row()) if index is not None and not double else None
        if hit is not None:
            self.badge_clicked.emit(hit)

    # -- keys and painting ------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and self.currentIndex().isValid():
            self._preview(self.currentIndex().row())
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._preview(self.currentIndex().row())
            return
        super().keyPressEvent(event)

    def _preview(self, row: int) -> None:
        hit = self.results().hit(row)
        if hit is not None:
            self.preview_requested.emit(hit)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if self.results().rowCount() == 0 and self.empty_text:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(self.viewport().rect().adjusted(24, 24, -24, -24),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             self.empty_text)
            painter.end()

    def viewportEvent(self, event) -> bool:
        """Share the spare width between the columns, so the grid fills the view (the
        viewport also resizes when the scroll bar comes and goes)."""
        if event.type() == QEvent.Type.Resize:
            width = self.viewport().width() - 4
            columns = max(1, width // CELL.width())
            cell = QSize(max(CELL.width(), width // columns), CELL.height())
            if cell != self.gridSize():
                self.setGridSize(cell)
        return super().viewportEvent(event)

    def set_empty_text(self, text: str) -> None:
        self.empty_text = text
        self.viewport().update()
