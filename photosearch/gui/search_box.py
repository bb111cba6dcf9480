"""The search box: Esc clears it; an image file dropped on it asks for similar photos."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from photosearch.core.files import is_supported
from photosearch.core.query import QUERY_HELP


def local_paths(event: QDropEvent | QDragEnterEvent) -> list[str]:
    """The local files and folders a drag carries (the window and the box both accept)."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]


class SearchBox(QLineEdit):
    """The query field: Esc clears it; an image file dropped on it asks for similar photos."""

    cleared = Signal()
    image_dropped = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchBox")
        self.setPlaceholderText(self.tr("Describe a photo — “dog on a beach”  (Ctrl+F)"))
        self.setClearButtonEnabled(True)
        self.setToolTip(QUERY_HELP)
        self.setAcceptDrops(True)
        self.setMinimumHeight(34)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.clear()
            self.cleared.emit()
            return
        super().keyPressEvent(event)

    def _image(self, event: QDropEvent | QDragEnterEvent) -> str | None:
        files = [p for p in local_paths(event) if os.path.isfile(p) and is_supported(p)]
        return files[0] if files else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._image(event):
            event.acceptProposedAction()
        else:
            event.ignore()  # folders go on to the window

    def dragMoveEvent(self, event) -> None:
        if self._image(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._image(event)
        if path:
            event.acceptProposedAction()
            self.image_dropped.emit(path)
        else:
            event.ignore()
