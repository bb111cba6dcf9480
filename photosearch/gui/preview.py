"""The preview: a larger view of one photo (double-click or Space in the grid).

A 12-MP photo takes a while to decode, so it is read off the UI thread, at about the
window's size (``QImageReader.setScaledSize``, EXIF orientation applied); the thumbnail
is shown meanwhile. Space, Esc or Enter close it; the arrow keys step through the results.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QImageReader, QKeyEvent, QPixmap
from PySide6.QtWidgets import QDialog, QLabel, QSizePolicy, QVBoxLayout, QWidget

from photosearch.core.files import display_path
from photosearch.core.search import Hit
from photosearch.gui.task_runner import TaskRunner


def read_scaled(path: str, box: QSize) -> QImage:
    reader = QImageReader(path)
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid():
        reader.setScaledSize(size.scaled(box, Qt.AspectRatioMode.KeepAspectRatio)
                             if size.width() > box.width() or size.height() > box.height()
                             else size)
    image = reader.read()
    if image.isNull():
        raise OSError(reader.errorString())
    return image


class Preview(QDialog):
    def __init__(self, runner: TaskRunner, step: Callable[[Hit, int], Hit | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preview")
        self.runner = runner
        self.step = step
        self.hit: Hit | None = None
        self.image = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.image.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.image.setMinimumSize(320, 240)
        self.caption = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.image, 1)
        layout.addWidget(self.caption)
        self.resize(900, 700)
        self._pixmap = QPixmap()

    def show_hit(self, hit: Hit, placeholder: QPixmap | None = None) -> None:
        self.hit = hit
        self.setWindowTitle(display_path(os.path.basename(hit.path)))
        self.caption.setText(display_path(hit.path))
        if placeholder is not None:
            self._set(QPixmap(placeholder))
        box = QSize(max(self.width(), 900), max(self.height(), 700))
        self.runner.run(lambda task: read_scaled(hit.path, box), lane="query",
                        on_done=lambda image: self._arrived(hit, image),
                        on_error=lambda e: self.caption.setText(
                            hit.path + "\n"
                            + self.tr("Cannot show this photo: {error}").format(error=e)))
        self.show()
        self.raise_()

    def _arrived(self, hit: Hit, image: QImage) -> None:
        if hit == self.hit:
            self._set(QPixmap.fromImage(image))

    def _set(self, pixmap: QPixmap) -> None:
        self._pixmap = pixmap
        self._fit()

    def _fit(self) -> None:
        if not self._pixmap.isNull():
            self.image.setPixmap(self._pixmap.scaled(
                self.image.size(), Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Space, Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.close()
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_Left, Qt.Key.Key_Down, Qt.Key.Key_Up) \
                and self.hit is not None:
            forward = key in (Qt.Key.Key_Right, Qt.Key.Key_Down)
            nxt = self.step(self.hit, 1 if forward else -1)
            if nxt is not None:
                self.show_hit(nxt)
        else:
            super().keyPressEvent(event)
