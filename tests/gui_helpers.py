"""Helpers of the GUI tests: a window on the test's library, real drops, grid contents."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget

from photosearch.gui.results_grid import PathRole


def drop_files(widget: QWidget, paths: list[Path]) -> bool:
    """Drag ``paths`` over ``widget`` and drop them, as a file manager does."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    centre = widget.rect().center()
    enter = QDragEnterEvent(QPointF(centre), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(QPointF(centre), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)
    return drop.isAccepted()


def shown_window(qtbot, library, encoder, install, timeout: int):
    """A main window on ``library`` with one feature view installed, shown and exposed:
    ``(window, view)``. The caller shuts the window down."""
    from photosearch.gui.main_window import MainWindow

    window = MainWindow(library, encoder_factory=lambda progress: encoder, watch=False)
    qtbot.addWidget(window)
    view = install(window)
    window.show()
    qtbot.waitExposed(window, timeout=timeout)
    return window, view


def grid_paths(window) -> list[str]:
    model = window.results
    return [model.data(model.index(row), PathRole) for row in range(model.rowCount())]


def grid_names(window, n: int | None = None) -> list[str]:
    return [Path(p).name for p in grid_paths(window)[:n]]
