"""The results grid: search hits, or the library by month, as a virtualised thumbnail grid.

Browsing (no query), every grid row has a strip on top (``HEADER``) where the row that
starts a month shows its name; each cell paints its own slice of that name, so a
repaint of one cell never cuts it. The cell layout stays uniform, which keeps laying
out 100k cells cheap.

The view and its delegate; the hits live in ``results_model.ResultsModel`` and the
thumbnails come from ``thumbnails.ThumbnailLoader``.

Extension points (duplicates and tags views):
- a click on a badge (``ResultsModel.set_badge_provider``) emits ``badge_clicked(hit)``;
- ``ResultsGrid.menu_hooks``: callables ``hook(menu, hit)`` that add actions to a photo's
  context menu after the standard ones.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLocale,
    QModelIndex,
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

from photosearch.core.search import Hit
from photosearch.gui.results_model import (  # noqa: F401 - the roles, for the grid's users
    BadgeRole,
    HitRole,
    MonthRole,
    PathRole,
    PhotoIdRole,
    ResultsModel,
    ScoreRole,
    WeakerRole,
)
from photosearch.gui.thumbnails import THUMB

HEADER = 34          # the month strip above each grid row when browsing, px
# View ▸ Thumbnail size; the disk thumbnails are 256 px, so "large" stays sharp
THUMB_SIZES = {"small": 112, "medium": THUMB, "large": 240}


def cell_size(thumb: int) -> QSize:
    """The grid cell around a ``thumb``-pixel thumbnail: margins and the file name."""
    return QSize(thumb + 24, thumb + 40)
WEAKER_OPACITY = 0.45   # "show weaker matches": those below the cut-off, dimmed


def month_label(month: tuple[int, int]) -> str:
    """"July 2023" in the interface's language (``QLocale``'s month names)."""
    year, number = month
    if not year:
        return QCoreApplication.translate("ResultsGrid", "Date unknown")
    name = QLocale().standaloneMonthName(number, QLocale.FormatType.LongFormat)
    return f"{name[:1].upper()}{name[1:]} {year}"


def _frame(cell: QRect, thumb: int) -> tuple[QRect, QRect]:
    """A cell's highlight frame and thumbnail box (the grid shares spare width out, so the
    frame is centred in a cell that may be wider than ``cell_size(thumb)``)."""
    rect = cell.adjusted(4, 4, -4, -4)
    extra = rect.width() - (cell_size(thumb).width() - 8)
    rect = rect.adjusted(extra // 2, 0, -(extra - extra // 2), 0)
    box = QRect(rect.left() + (rect.width() - thumb) // 2, rect.top() + 4, thumb, thumb)
    return rect, box


def badge_rect(cell: QRect, metrics: QFontMetrics, text: str, thumb: int = THUMB) -> QRect:
    """Where a badge is painted in a cell, for painting and for clicks alike."""
    _, box = _frame(cell, thumb)
    width = metrics.horizontalAdvance(text) + 12
    height = metrics.height() + 4
    return QRect(box.right() - width - 2, box.top() + 2, width, height)


class ThumbnailDelegate(QStyledItemDelegate):
    """A thumbnail centred in its cell, the file name below, an optional corner badge."""

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        """The whole grid cell, so ``option.rect`` is the cell (the month strip included)
        rather than a bare cell centred in it."""
        view = self.parent()
        return view.gridSize() if isinstance(view, ResultsGrid) and view.gridSize().isValid() \
            else cell_size(THUMB)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        # The model is asked directly, not through index.data(): a role answered with
        # None thousands of times a scroll trips a reference-count bug in PySide6 6.12
        # on Python 3.11 ("deallocating None").
        model: ResultsModel = index.model()  # type: ignore[assignment]
        view = self.parent()
        strip, thumb = ((view.header_height, view.thumb) if isinstance(view, ResultsGrid)
                        else (0, THUMB))
        cell = option.rect.adjusted(0, strip, 0, 0)
        month = model.month_at(index.row()) if strip else None
        if month is not None:
            self._month(painter, option, QRect(option.rect.topLeft(), QSize(
                option.rect.width(), strip)), month_label(month))
        hit = model.hit(index.row())
        if hit is None:                     # a blank cell: the end of a month's row
            painter.restore()
            return
        rect, box = _frame(cell, thumb)
        palette = option.palette
        if model.is_weaker(hit):     # below the cut-off, shown on request: dimmed
            painter.setOpacity(WEAKER_OPACITY)
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
        badge = model.badge(hit)
        if badge:
            self._badge(painter, badge_rect(option.rect, option.fontMetrics, str(badge),
                                            thumb), str(badge))
        painter.restore()

    def _month(self, painter: QPainter, option: QStyleOptionViewItem, strip: QRect,
               label: str) -> None:
        """This cell's slice of the month's name, which starts at the row's left edge."""
        painter.save()
        painter.setClipRect(strip)
        font = option.font
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(option.palette.text().color())
        painter.drawText(QRect(12, strip.top(), 10_000, strip.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, label)
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
        self.thumb = THUMB              # the thumbnail side, px (View ▸ Thumbnail size)
        self.setGridSize(cell_size(self.thumb))
        self.setSpacing(0)
        self.setItemDelegate(ThumbnailDelegate(self))
        self.setMouseTracking(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalScrollBar().setSingleStep(24)
        # Always there, so its coming and going cannot change the column count (and with
        # it where the months start) back and forth.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._show_menu)
        self.doubleClicked.connect(lambda index: self._preview(index.row()))
        self.menu_hooks: list[Callable[[QMenu, Hit], None]] = []
        self.empty_text = ""
        self.header_height = 0          # the month strip's, while browsing
        model.modelReset.connect(self._fit)
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
        self._action(menu, self.tr("Find similar"), lambda: self.find_similar.emit(hit))
        menu.addSeparator()
        self._action(menu, self.tr("Open"), lambda: self.open_photo(hit))
        self._action(menu, self.tr("Show in folder"), lambda: self.show_in_folder(hit))
        self._action(menu, self.tr("Copy path"), lambda: self.copy_path(hit))
        self._action(menu, self.tr("Preview"), lambda: self.preview_requested.emit(hit), "Space")
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
            self.status_message.emit(self.tr("No application opens {name}").format(
                name=os.path.basename(hit.path)))

    def show_in_folder(self, hit: Hit) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(os.path.dirname(hit.path)))

    def copy_path(self, hit: Hit) -> None:
        QGuiApplication.clipboard().setText(hit.path)
        self.status_message.emit(self.tr("Copied {path}").format(path=hit.path))

    # -- badges -----------------------------------------------------------------------------
    def badge_rect(self, row: int) -> QRect | None:
        """The badge of ``row`` in viewport coordinates (None: it has no badge)."""
        index = self.results().index(row)
        hit = self.results().hit(row)
        text = self.results().badge(hit) if hit is not None else None
        if not text:
            return None
        cell = self.visualRect(index).adjusted(0, self.header_height, 0, 0)
        return badge_rect(cell, self.fontMetrics(), str(text), self.thumb)

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
        if event.type() == QEvent.Type.Resize:
            self._fit()
        return super().viewportEvent(event)

    def _fit(self) -> None:
        """Share the spare width between the columns, so the grid fills the view (the
        viewport also resizes when the scroll bar comes and goes); tell the model the
        column count (a month starts a row) and add the month strip when browsing."""
        width = self.viewport().width() - 4
        least = cell_size(self.thumb)
        columns = max(1, width // least.width())
        self.header_height = HEADER if self.results().timeline is not None else 0
        cell = QSize(max(least.width(), width // columns), least.height() + self.header_height)
        if cell != self.gridSize():
            self.setGridSize(cell)
        self.results().set_columns(columns)

    def set_thumb_size(self, pixels: int) -> None:
        """Show thumbnails ``pixels`` wide: the cells, and with them the columns, follow."""
        if pixels != self.thumb:
            self.thumb = pixels
            self._fit()
            self.viewport().update()

    def set_empty_text(self, text: str) -> None:
        self.empty_text = text
        self.viewport().update()
