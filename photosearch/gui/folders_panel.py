"""The folders panel: the library's folders with their counts, add and remove.

Counts come from the catalog off the UI thread (``MainWindow`` refreshes them through the
task runner and hands them to ``set_folders``). A folder whose drive is gone is shown
offline, greyed, with its photos still counted: they are kept until it comes back.
Selecting a folder narrows searches to it; "All folders" searches everything. Removing a
folder asks first (``confirm``, replaceable in tests): it forgets the folder's photos.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from photosearch.core.catalog import Counts, Folder

translate = QCoreApplication.translate   # lupdate finds translate("Context", …)

ALL = ""


def ask_to_remove(parent: QWidget, path: str, photos: int | None) -> bool:
    """The confirmation before a folder leaves the library; No is the default."""
    name = os.path.basename(path.rstrip(os.sep)) or path
    what = (translate("FoldersPanel", "its %Ln photos", None, photos) if photos is not None
            else translate("FoldersPanel", "its photos"))
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(translate("FoldersPanel", "Remove folder"))
    box.setText(translate("FoldersPanel", "Remove “{name}” from the library?").format(name=name))
    box.setInformativeText(translate("FoldersPanel",
        "The library forgets {what}: search results, tags and duplicate groups. The files "
        "on disk are not touched; add the folder again to bring them back.").format(what=what))
    box.setDetailedText(path)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.button(QMessageBox.StandardButton.Yes).setText(translate("FoldersPanel", "Remove"))
    box.button(QMessageBox.StandardButton.No).setText(translate("FoldersPanel", "Keep"))
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


class FoldersPanel(QWidget):
    add_requested = Signal(list)       # folder paths
    remove_requested = Signal(str)
    folder_selected = Signal(str)      # "" for all folders

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("foldersPanel")
        title = QLabel(self.tr("Folders"))
        title.setObjectName("panelTitle")
        self.list = QListWidget()
        self.list.setObjectName("folderList")
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.list.setIconSize(QSize(20, 20))
        self.list.setStyleSheet("QListWidget::item { padding: 5px 2px; }")
        self.list.currentItemChanged.connect(self._selected)
        self.add_button = QPushButton(self.tr("Add folder…"))
        self.add_button.clicked.connect(self._choose)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setToolTip(self.tr("Forget this folder (the files stay on disk)"))
        self.remove_button.clicked.connect(self._remove)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 8)
        layout.addWidget(title)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.hint = QLabel(self.tr("Drop folders here, or add them with the button."))
        self.hint.setWordWrap(True)
        self.hint.setObjectName("panelHint")
        layout.addWidget(self.hint)
        self.confirm: Callable[[QWidget, str, int | None], bool] = ask_to_remove
        self._photos: dict[str, int] = {}
        self._update_buttons()

    def set_folders(self, folders: list[Folder], counts: dict[int, Counts]) -> None:
        current = self.selected_path()
        self.list.blockSignals(True)
        self.list.clear()
        total = sum(c.total - c.missing for c in counts.values())
        style = self.style()
        every = QListWidgetItem(style.standardIcon(QStyle.StandardPixmap.SP_DirHomeIcon),
                                self.tr("All folders") + "\n" + _photos(total))
        every.setData(Qt.ItemDataRole.UserRole, ALL)
        self.list.addItem(every)
        self._photos = {f.path: counts[f.id].total - counts[f.id].missing
                        for f in folders if f.id in counts}
        for folder in folders:
            c = counts.get(folder.id)
            item = _item(folder, c)
            item.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_DirIcon if folder.online
                                            else QStyle.StandardPixmap.SP_DriveNetIcon))
            self.list.addItem(item)
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == current:
                self.list.setCurrentRow(row)
        self.list.blockSignals(False)
        self.hint.setVisible(not folders)
        self._update_buttons()

    def paths(self) -> list[str]:
        return [self.list.item(r).data(Qt.ItemDataRole.UserRole)
                for r in range(1, self.list.count())]

    def item_text(self, path: str) -> str:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == path:
                return self.list.item(row).text()
        return ""

    def selected_path(self) -> str:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else ALL

    def _selected(self, *_: object) -> None:
        self._update_buttons()
        self.folder_selected.emit(self.selected_path())

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(self.selected_path() != ALL)

    def _choose(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Add a folder of photos")
        if path:
            self.add_requested.emit([path])

    def _remove(self) -> None:
        path = self.selected_path()
        if path != ALL and self.confirm(self, path, self._photos.get(path)):
            self.remove_requested.emit(path)


def _item(folder: Folder, c: Counts | None) -> QListWidgetItem:
    name = os.path.basename(folder.path.rstrip(os.sep)) or folder.path
    if c is None:
        detail = translate("FoldersPanel", "scanning…")
    else:
        live = c.total - c.missing
        detail = _photos(live)
        if c.pending:
            detail += " · " + translate("FoldersPanel", "%Ln indexed", None, c.indexed)
        if c.failed:
            detail += " · " + translate("FoldersPanel", "%Ln unreadable", None, c.failed)
    tip = folder.path
    if not folder.online:
        detail += " · " + translate("FoldersPanel", "offline")
        tip += "\n" + translate("FoldersPanel", "Offline: the folder cannot be reached; its "
                                "photos are kept.")
    item = QListWidgetItem(f"{name}\n{detail}")
    item.setData(Qt.ItemDataRole.UserRole, folder.path)
    item.setToolTip(tip)
    if not folder.online:
        item.setForeground(Qt.GlobalColor.gray)
    return item


def _photos(n: int) -> str:
    return translate("FoldersPanel", "%Ln photos", None, n)
