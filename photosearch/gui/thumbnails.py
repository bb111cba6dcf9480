"""Thumbnails for the results grid: made off the UI thread, kept in a small LRU.

Thumbnails come from the core's disk cache (keyed by content, so a moved photo keeps its
thumbnail) through ``ThumbnailLoader``: made on the runner's ``thumbnails`` lane, a grey
placeholder meanwhile, the latest requests first (what is on screen now beats what was
scrolled past), at most ``IN_FLIGHT`` at a time, and the decoded pixmaps kept in an LRU
of ``CACHE_PIXMAPS``.
"""

from __future__ import annotations

import logging
from collections import OrderedDict, deque

from PySide6.QtCore import QObject, QRect, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap

from photosearch.core.library import Library
from photosearch.gui.task_runner import TaskRunner

log = logging.getLogger(__name__)

THUMB = 160          # on-screen thumbnail side, px
CACHE_PIXMAPS = 800
IN_FLIGHT = 4


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
                            on_error=lambda e, p=path: self._arrived(p, None, e), owner=self)

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
