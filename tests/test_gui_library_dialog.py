"""The app's launch path: a library that will not open gets a dialog of choices, never a
traceback; a read-only one opens with a note."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox

from photosearch.core.catalog import MIGRATIONS
from photosearch.core.errors import CatalogDamaged
from photosearch.core.library import Library
from photosearch.gui import library_dialog
from photosearch.gui.app import show_read_only
from photosearch.gui.library_dialog import FRESH, OTHER, QUIT, RESTORE, open_library


def damaged_library(tmp_path: Path, *, backup: bool) -> tuple[Path, Path]:
    root, folder = tmp_path / "lib", tmp_path / "photos"
    folder.mkdir()
    with Library.open(root) as lib:
        lib.add_folder(folder)
        if backup:
            lib.backup()
    (root / "catalog.sqlite3").write_bytes(b"\x00" * 4096)
    return root, folder


def answer(monkeypatch, name: str, *choices: str) -> list[str]:
    """Auto-answer a dialog of ``library_dialog`` with ``choices`` in turn; returns the
    messages it was shown."""
    shown: list[str] = []
    replies = iter(choices)

    def ask(error, parent=None) -> str:
        shown.append(str(error))
        return next(replies)

    monkeypatch.setattr(library_dialog, name, ask)
    return shown


def test_damaged_catalog_restored_from_the_dialog(qtbot, tmp_path, monkeypatch):
    root, folder = damaged_library(tmp_path, backup=True)
    shown = answer(monkeypatch, "ask_damaged", RESTORE)
    library = open_library(root)
    assert library is not None and "damaged" in shown[0]
    try:
        assert [f.path for f in library.catalog.folders()] == [str(folder)]
    finally:
        library.close()
    assert len(list(root.glob("catalog-replaced-*.sqlite3"))) == 1


def test_damaged_without_backup_quit_or_start_empty(qtbot, tmp_path, monkeypatch):
    root, _ = damaged_library(tmp_path, backup=False)
    answer(monkeypatch, "ask_damaged", QUIT)
    assert open_library(root) is None
    assert (root / "catalog.sqlite3").read_bytes() == b"\x00" * 4096   # untouched

    answer(monkeypatch, "ask_damaged", FRESH)
    library = open_library(root)
    assert library is not None and library.catalog.folders() == []
    library.close()


def test_too_new_offers_another_library(qtbot, tmp_path, monkeypatch):
    root = tmp_path / "lib"
    Library.open(root).close()
    conn = sqlite3.connect(root / "catalog.sqlite3")
    conn.execute(f"PRAGMA user_version={len(MIGRATIONS) + 1}")
    conn.close()
    shown = answer(monkeypatch, "ask_cannot_open", OTHER)
    monkeypatch.setattr(library_dialog, "choose_library_dir", lambda parent=None:
                        tmp_path / "other")
    library = open_library(root)
    assert library is not None and library.root == tmp_path / "other"
    assert "newer photosearch" in shown[0]
    library.close()


def test_the_real_dialog_offers_restore_other_and_quit(qtbot, tmp_path):
    root, _ = damaged_library(tmp_path, backup=True)
    with pytest.raises(CatalogDamaged) as caught:
        Library.open(root)
    error = caught.value
    box, choices = library_dialog.damaged_box(error)
    assert sorted(choices.values()) == sorted([RESTORE, OTHER, QUIT])
    assert error.backup is not None and error.backup.name in box.informativeText()
    box.deleteLater()

    missing: list[str] = []

    def click_quit() -> None:  # answers the real, modal dialog when it is up
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click_quit)
            return
        quit_ = [b for b in box.buttons() if b.text() == "Quit"]
        if quit_:
            quit_[0].click()
        else:
            missing.append("Quit")
            box.reject()

    QTimer.singleShot(0, click_quit)
    assert library_dialog.ask_damaged(error) == QUIT and not missing


def test_app_main_quits_with_1_instead_of_a_traceback(qtbot, tmp_path, monkeypatch):
    from photosearch.core.logfile import close_logging
    from photosearch.gui import app

    root, _ = damaged_library(tmp_path, backup=True)
    shown = answer(monkeypatch, "ask_damaged", QUIT)
    try:
        assert app.main(["--library", str(root)]) == 1
    finally:
        close_logging()
    assert "damaged" in shown[0]


def test_read_only_note(qtbot, tmp_path):
    root = tmp_path / "lib"
    Library.open(root).close()
    window = QMainWindow()
    qtbot.addWidget(window)
    window.library = Library.open(root, read_only=True)
    try:
        show_read_only(window)
        labels = window.statusBar().findChildren(QLabel)
        assert any(label.text() == "Read-only library" for label in labels)
    finally:
        window.library.close()
