"""Starting the desktop app: ``photosearch`` with no arguments, or ``photosearch-gui``.

The window has to be on screen fast, whatever the library's size: ``launch`` decides what
happens before and after the first paint. Before it, only Qt and the window's frame
(nothing of the core's heavy modules: numpy, Pillow, watchdog, hnswlib, torch; the
library is not even opened). Just after it, the library opens and the window fills in
with the folders from last time; after that frame, the feature views, browsing, watching
and the model (in the background; the exported text side at once). Errors reach the
user as one readable line; tracebacks go to the log file (``core.logfile``), never into
a dialog. A library that will not open (damaged, too new) gets a dialog of choices
(``library_dialog``, over the frame); a read-only one opens with a note.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QLabel

from photosearch.core import paths
from photosearch.core.logfile import setup_logging
from photosearch.gui import i18n
from photosearch.gui.main_window import MainWindow

if TYPE_CHECKING:  # pragma: no cover
    from photosearch.core.library import Library

translate = QCoreApplication.translate   # lupdate finds translate("Context", …)

log = logging.getLogger("photosearch.gui")


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The app's command line: the CLI's global options, and folders to add. Whatever
    else is there (Qt's own ``-platform`` and the like) is left to Qt."""
    parser = argparse.ArgumentParser(prog="photosearch", description="The photosearch app.")
    parser.add_argument("--library", help="library directory (default: the user's)")
    parser.add_argument("--model", help="model to use from now on (preset, architecture "
                                        "with --weights, or a model folder)")
    parser.add_argument("--weights", help="local checkpoint for --model")
    parser.add_argument("folders", nargs="*", metavar="FOLDER", help="folders to add")
    args, _qt_args = parser.parse_known_args(list(argv))
    return args


def create_app(language: str | None = None) -> QApplication:
    """The application, speaking ``language`` (None: the system locale's)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("photosearch")
    app.setApplicationDisplayName("photosearch")
    app.setOrganizationName("photosearch")
    app.setDesktopFileName("photosearch")
    app.setWindowIcon(QIcon(str(paths.resources_dir() / "icons" / "photosearch.svg")))
    i18n.install(language)
    return app  # type: ignore[return-value]


def install_error_hooks(show: callable) -> None:  # type: ignore[valid-type]
    """Unhandled errors: logged with their traceback, shown as one line, never fatal."""

    def hook(kind, error, tb) -> None:
        log.error("unhandled error", exc_info=(kind, error, tb))
        show(translate("app", "Something went wrong: {error}. Details are in the log "
                       "file.").format(error=error))

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        log.error("unhandled error in %s", args.thread, exc_info=(
            args.exc_type, args.exc_value, args.exc_traceback))

    sys.excepthook = hook
    threading.excepthook = thread_hook


def build_window(library: Library, *, defer_features: bool = False,
                 frame: MainWindow | None = None, **window_args) -> MainWindow:
    """The main window with every feature view installed: what the app shows
    (``window_args`` go to ``MainWindow``: tests give the fixture model); ``frame``: a
    window shown before the library opened, to fill in. ``defer_features`` (the app):
    the Duplicates, Tags and People views, with their imports and the vocabulary, are
    installed just after the contents' first frame rather than before it."""
    from photosearch.gui.menus import install_file_view, install_help, install_sort
    from photosearch.gui.model_menu import install as install_model_menu

    window_args.setdefault("watch", library.settings.watch_folders)
    if frame is None:
        window = MainWindow(library, **window_args)
    else:
        window = frame
        window.attach(library, **window_args)
    install_file_view(window)
    install_sort(window)
    install_model_menu(window)
    install_help(window)

    def install_features() -> None:
        from photosearch.gui.duplicates_view import install as install_duplicates
        from photosearch.gui.people_view import install as install_people
        from photosearch.gui.tags_view import install as install_tags
        from photosearch.gui.teach_view import install as install_teaching
        from photosearch.gui.themes_view import install as install_themes

        install_duplicates(window)
        install_tags(window)
        install_people(window)
        install_themes(window)
        install_teaching(window)

    if defer_features:
        window.after_first_paint(install_features)
    else:
        install_features()
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
    window = launch(args)
    try:
        return app.exec()
    finally:
        window.shutdown()
        if window.attached:
            window.library.close()
        log.info("closed")


def launch(args: argparse.Namespace) -> MainWindow:
    """Show the window, then fill it in: the one place that decides what runs before the
    first paint (the frame: Qt and nothing else) and what after it (``fill``: the library
    opens, asking the user when it will not open as it is; the contents, the folders
    from last time; then, after the contents' first frame, the rest: ``MainWindow._start``).
    Nothing read or imported before the first paint depends on the library's size."""
    window = MainWindow()
    install_error_hooks(lambda m: window.statusBar().showMessage(m, 10000))

    def fill() -> None:
        from photosearch.gui.library_dialog import open_library

        library = open_library(args.library, window)
        if library is None:           # the user chose to quit
            QApplication.exit(1)
            return
        if args.model or args.weights:
            library.remember_model(args.model, args.weights)   # from now on
        if library.settings.ui_language:      # the dialogs before this followed the system
            i18n.install(library.settings.ui_language)
        build_window(library, defer_features=True, frame=window)
        if library.read_only:
            show_read_only(window)
        log.info("window filled in")
        if args.folders:
            window.add_folders([os.path.abspath(f) for f in args.folders])
        exit_when_indexed(window)

    window.when_framed(fill)
    window.show()
    QTimer.singleShot(0, lambda: log.info("window shown"))
    return window


def show_read_only(window) -> None:
    """A lasting note in the status bar: the library can be searched, not changed."""
    note = QLabel(translate("app", "Read-only library"))
    note.setToolTip(translate(
        "app", "{library} cannot be written here: searching works; indexing and changes do "
        "not.").format(library=window.library.root))
    window.statusBar().addPermanentWidget(note)


EXIT_WHEN_INDEXED = "PHOTOSEARCH_TEST_EXIT_WHEN_INDEXED"


def exit_when_indexed(window) -> None:
    """Test-only hook (``$PHOTOSEARCH_TEST_EXIT_WHEN_INDEXED=1``): quit once the model is
    loaded, nothing is running and no photo is pending, so an end-to-end test can start
    the real app process and then check the library with the CLI."""
    if os.environ.get(EXIT_WHEN_INDEXED) != "1":
        return
    from PySide6.QtWidgets import QApplication

    def check() -> None:
        ix = window.indexer
        if ix.state == "missing":
            log.error("test exit: the model is missing: %s", ix.model_message)
            QApplication.exit(3)
        elif ix.state == "ready" and ix.idle:
            counts = window.library.catalog.counts(ix.encoder.key)
            if counts.total and not counts.pending:
                QApplication.exit(0)

    timer = QTimer(window, interval=200)
    timer.timeout.connect(check)
    timer.start()
