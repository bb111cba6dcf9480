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
  answers change.
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
    QGuiApplication,
    QImage,
    QKeyEvent,
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
        self.hits: list[Hit] = []
        self._hashes: dict[int, str | None] = {}
        self._rows: dict[str, int] = {}
        self._badge: BadgeProvider | None = None
        loader.ready.connect(self._thumbnail_ready)

    # -- contents -------------------------------------------------------------------------
    def set_hits(self, hits: Sequence[Hit]) -> bool:
        """Show ``hits``; False (and nothing redrawn) if they are what is shown already."""
        hits = list(hits)
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

    def clear(self) -> None:
        self.set_hits([])

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
            return os.path.basename(hit.path)
        if role == Qt.ItemDataRole.DecorationRole:
            pixmap = self.loader.get(hit.path, self._hashes.get(hit.photo_id))
            return pixmap if pixmap is not None else self.loader.placeholder
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{hit.path}\nscore {hit.score:.3f}"
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


class ThumbnailDelegate(QStyledItemDelegate):
    """A thumbnail centred in its cell, the file name below, an optional corner badge."""

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        return CELL

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect.adjusted(4, 4, -4, -4)
        extra = rect.width() - (CELL.width() - 8)   # the grid shares spare width out
        rect = rect.adjusted(extra // 2, 0, -(extra - extra // 2), 0)
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected or option.state & QStyle.StateFlag.State_MouseOver:
            colour = QColor(palette.highlight().color())
            colour.setAlpha(70 if selected else 28)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRoundedRect(rect, 8, 8)
        pixmap: QPixmap = index.data(Qt.ItemDataRole.DecorationRole)
        box = QRect(rect.left() + (rect.width() - THUMB) // 2, rect.top() + 4, THUMB, THUMB)
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
            self._badge(painter, option, box, str(badge))
        painter.restore()

    def _badge(self, painter: QPainter, option: QStyleOptionViewItem, box: QRect,
               text: str) -> None:
        width = option.fontMetrics.horizontalAdvance(text) + 12
        height = option.fontMetrics.height() + 4
        badge = QRect(box.right() - width - 2, box.top() + 2, width, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(30, 30, 30, 190))
        painter.drawRoundedRect(badge, height / 2, height / 2)
        painter.setPen(QColor("white"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)


class ResultsGrid(QListView):
    """The grid view with the photo actions: context menu, preview, open."""

    find_similar = Signal(object)        # Hit
    preview_requested = Signal(object)   # Hit
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
