"""Starting the desktop app: ``photosearch`` with no arguments, or ``photosearch-gui``.

The window has to be on screen fast, so nothing here imports torch or open_clip: the
library opens (SQLite, milliseconds), the window shows the folders from last time, and
the model loads in the background when it is first needed. Errors reach the user as one
readable line; tracebacks go to the log file (``core.logfile``), never into a dialog.
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from collections.abc import Sequence

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from photosearch.core import paths
from photosearch.core.library import Library
from photosearch.core.logfile import setup_logging

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


def build_window(library: Library):
    """The main window with every feature view installed: what the app shows."""
    from photosearch.gui.duplicates_view import install as install_duplicates
    from photosearch.gui.main_window import MainWindow
    from photosearch.gui.model_menu import install as install_model_menu
    from photosearch.gui.tags_view import install as install_tags

    window = MainWindow(library)
    install_model_menu(window)
    install_duplicates(window)
    install_tags(window)
    return window


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    app = create_app()
    root = paths.library_dir(args.library)
    log_file = setup_logging(paths.log_dir(root, args.library))
    log.info("starting; library %s", root)
    try:
        library = Library.open(args.library)
    except Exception as e:  # an unreadable or too new catalog: say so, don't crash
        log.exception("cannot open the library")
        QMessageBox.critical(None, "photosearch",
                             f"The library at {root} cannot be opened:\n{e}\n\n"
                             f"Details are in {log_file}.")
        return 1
    window = build_window(library)
    install_error_hooks(lambda m: window.statusBar().showMessage(m, 10000))
    window.show()
    QTimer.singleShot(0, lambda: log.info("window shown"))
    try:
        return app.exec()
    finally:
        window.shutdown()
        library.close()
        log.info("closed")
