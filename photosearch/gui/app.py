"""Starting the desktop app: ``photosearch`` with no arguments, or ``photosearch-gui``.

The window has to be on screen fast, so nothing here imports torch or open_clip: the
library opens (SQLite, milliseconds), the window shows the folders from last time, and
the model loads in the background when it is first needed. Errors reach the user as one
readable line; tracebacks go to the log file (``core.logfile``), never into a dialog. A
library that will not open (damaged, too new) gets a dialog of choices
(``library_dialog``); a read-only one opens with a note.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QLabel

from photosearch.core import paths
from photosearch.core.library import Library
from photosearch.core.logfile import setup_logging
from photosearch.gui.library_dialog import open_library

log = logging.getLogger("photosearch.gui")


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="photosearch", description="The photosearch app.")
    parser.add_argument("--library", help="library directory (default: the user's)")
    args, _qt_args = parser.parse_known_args(list(argv))
    return args


def create_app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("photosearch")
    app.setApplicationDisplayName("photosearch")
    app.setOrganizationName("photosearch")
    app.setDesktopFileName("photosearch")
    app.setWindowIcon(QIcon(str(paths.resources_dir() / "icons" / "photosearch.svg")))
    return app  # type: ignore[return-value]


def install_error_hooks(show: callable) -> None:  # type: ignore[valid-type]
    """Unhandled errors: logged with their traceback, shown as one line, never fatal."""

    def hook(kind, error, tb) -> None:
        log.error("unhandled error", exc_info=(kind, error, tb))
        show(f"Something went wrong: {error}. Details are in the log file.")

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        log.error("unhandled error in %s", args.thread, exc_info=(
            args.exc_type, args.exc_value, args.exc_traceback))

    sys.excepthook = hook
    threading.excepthook = thread_hook


def build_window(library: Library, **window_args):
    """The main window with every feature view installed: what the app shows
    (``window_args`` go to ``MainWindow``: tests give the fixture model)."""
    from photosearch.gui.duplicates_view import install as install_duplicates
    from photosearch.gui.main_window import MainWindow
    from photosearch.gui.model_menu import install as install_model_menu
    from photosearch.gui.tags_view import install as install_tags

    window = MainWindow(library, **window_args)
    install_model_menu(window)
    install_duplicates(window)
    install_tags(window)
    return window


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    app = create_app()
    root = paths.library_dir(args.library)
    try:
        setup_logging(paths.log_dir(root, args.library))
    except OSError:  # a read-only library cannot hold its log
        setup_logging(Path(tempfile.gettempdir()) / "photosearch-logs")
    log.info("starting; library %s", root)
    library = open_library(args.library)   # asks the user when it will not open as it is
    if library is None:
        return 1
    window = build_window(library)
    install_error_hooks(lambda m: window.statusBar().showMessage(m, 10000))
    if library.read_only:
        show_read_only(window)
    window.show()
    QTimer.singleShot(0, lambda: log.info("window shown"))
    try:
        return app.exec()
    finally:
        window.shutdown()
        library.close()
        log.info("closed")


def show_read_only(window) -> None:
    """A lasting note in the status bar: the library can be searched, not changed."""
    note = QLabel("Read-only library")
    note.setToolTip(f"{window.library.root} cannot be written here: searching works; "
                    "indexing and changes do not.")
    window.statusBar().addPermanentWidget(note)
