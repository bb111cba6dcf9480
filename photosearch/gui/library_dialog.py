"""Opening the library at launch, and asking the user what to do when it will not open.

A damaged catalog is never replaced behind the user's back: a dialog offers the newest
backup (or, with none, an empty catalog), another library, or quitting; whatever is
replaced is kept aside by the core (``restore_catalog``). A catalog written by a newer
photosearch, or a library that cannot be made, offers another library or quitting.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from photosearch.core import paths
from photosearch.core.errors import CatalogDamaged, PhotosearchError
from photosearch.core.library import Library, restore_catalog
from photosearch.gui.status_text import error_text

translate = QCoreApplication.translate   # lupdate finds translate("Context", …)

log = logging.getLogger(__name__)

RESTORE, FRESH, OTHER, QUIT = "restore", "fresh", "other", "quit"


def open_library(override: str | os.PathLike[str] | None = None,
                 parent: QWidget | None = None) -> Library | None:
    """The library to show, or None when the user chose to quit."""
    while True:
        root = paths.library_dir(override)
        try:
            return Library.open(root)
        except CatalogDamaged as e:
            log.warning("damaged catalog: %s", e)
            choice = ask_damaged(e, parent)
            if choice in (RESTORE, FRESH):
                try:
                    done = restore_catalog(root, fresh=choice == FRESH)
                    log.info("catalog replaced; the old one is kept as %s", done.aside)
                except PhotosearchError as failed:
                    log.warning("restore failed: %s", failed)
                    QMessageBox.warning(parent, "photosearch", error_text(failed))
                continue
        except PhotosearchError as e:
            log.warning("cannot open the library: %s", e)
            choice = ask_cannot_open(e, parent)
        if choice != OTHER:
            return None
        chosen = choose_library_dir(parent)
        if chosen:
            override = chosen


def damaged_box(error: CatalogDamaged, parent: QWidget | None = None,
                ) -> tuple[QMessageBox, dict[object, str]]:
    """The dialog for a damaged catalog and what each of its buttons means."""
    box = QMessageBox(QMessageBox.Icon.Warning,
                      translate("LibraryDialog", "photosearch: the library is damaged"),
                      error_text(error), parent=parent)
    choices: dict[object, str] = {}
    if error.backup is not None:
        box.setInformativeText(translate("LibraryDialog", "A backup can replace it: {backup}. "
                                         "The damaged "
                               "file is kept aside.").format(backup=error.backup.name))
        choices[box.addButton(translate("LibraryDialog", "Restore the backup"),
                              QMessageBox.ButtonRole.AcceptRole)] = RESTORE
    else:
        box.setInformativeText(translate("LibraryDialog", "There is no backup of it. An empty "
                                         "catalog can replace "
                               "it (the damaged file is kept aside); the folders must then "
                               "be indexed again."))
        choices[box.addButton(translate("LibraryDialog", "Start an empty catalog"),
                              QMessageBox.ButtonRole.AcceptRole)] = FRESH
    choices[box.addButton(translate("LibraryDialog", "Open a different library…"),
                          QMessageBox.ButtonRole.ActionRole)] = OTHER
    choices[box.addButton(translate("LibraryDialog", "Quit"),
                          QMessageBox.ButtonRole.RejectRole)] = QUIT
    return box, choices


def ask_damaged(error: CatalogDamaged, parent: QWidget | None = None) -> str:
    box, choices = damaged_box(error, parent)
    box.exec()
    return choices.get(box.clickedButton(), QUIT)


def ask_cannot_open(error: PhotosearchError, parent: QWidget | None = None) -> str:
    box = QMessageBox(QMessageBox.Icon.Critical, "photosearch",
                      translate("LibraryDialog", "The library cannot be opened:")
                      + "\n" + error_text(error), parent=parent)
    other = box.addButton(translate("LibraryDialog", "Open a different library…"),
                          QMessageBox.ButtonRole.ActionRole)
    box.addButton(translate("LibraryDialog", "Quit"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return OTHER if box.clickedButton() is other else QUIT


def choose_library_dir(parent: QWidget | None = None) -> Path | None:
    chosen = QFileDialog.getExistingDirectory(
        parent, translate("LibraryDialog", "Choose a photosearch library folder"))
    return Path(chosen) if chosen else None
