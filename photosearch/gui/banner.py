"""The model banner: a non-modal strip that says the model is missing, why, and what to do.

The window works without a model (folders can be added and scanned). The banner says the
real reason (files not on this computer, weights that do not fit the architecture) and
shows every file or address that is needed as selectable text, with Copy and "Open download
page" beside it, and the ways out: choose a weights file, a model folder, or download.
No command-line advice: app users choose files here.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from photosearch.core.errors import ModelUnavailable
from photosearch.gui.status_text import error_text


def download_page(needed: str) -> str | None:
    """The web page to fetch ``needed`` from: a Hugging Face file's repository page, any
    other address as it is; None for a file on disk."""
    if not needed.startswith(("https://", "http://")):
        return None
    if "/resolve/" in needed:
        return needed.split("/resolve/")[0] + "/tree/main"
    return needed


class ModelBanner(QFrame):
    choose_weights = Signal()
    choose_folder = Signal()
    download = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#modelBanner { background: #fff4d6; border: 1px solid #e8c66a; border-radius: 6px; }"
            "#modelBanner QLabel { color: #4a3b00; }")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.needed = QLabel()
        self.needed.setObjectName("modelNeeded")
        self.needed.setTextFormat(Qt.TextFormat.PlainText)
        self.needed.setWordWrap(True)
        self.needed.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                            | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.copy_button = QPushButton(self.tr("Copy"))
        self.copy_button.clicked.connect(self.copy_needed)
        self.page_button = QPushButton(self.tr("Open download page"))
        self.page_button.clicked.connect(self.open_page)
        self.choose_button = QPushButton(self.tr("Choose weights file…"))
        self.choose_button.clicked.connect(self.choose_weights)
        self.folder_button = QPushButton(self.tr("Choose model folder…"))
        self.folder_button.clicked.connect(self.choose_folder)
        self.download_button = QPushButton(self.tr("Download"))
        self.download_button.clicked.connect(self.download)
        needed_row = QHBoxLayout()
        needed_row.addWidget(self.needed, 1)
        needed_row.addWidget(self.copy_button)
        needed_row.addWidget(self.page_button)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.choose_button, self.folder_button, self.download_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.message)
        layout.addLayout(needed_row)
        layout.addLayout(buttons)
        self._page: str | None = None
        self.hide()

    def show_missing(self, error: ModelUnavailable | str, *, can_download: bool) -> None:
        """Say why there is no model: a preset's file not here, or the real reason a
        chosen file or folder did not load."""
        needed = getattr(error, "needed", "") or ""
        missing = tuple(getattr(error, "missing", ()) or ((needed,) if needed else ()))
        self._page = download_page(needed)
        title = self.tr("The search model is not available.")
        if self._page is not None and len(missing) > 1:
            # A SigLIP 2 preset needs its tokenizer files as well as the weights: every
            # missing file is named, not only the first.
            reason = self.tr(
                "%Ln of its files are not on this computer (listed below). Download them "
                "from the page below into the Hugging Face cache, or choose a model folder "
                "that holds them. Folders can still be added and scanned; searching starts "
                "once a model is loaded.", "", len(missing))
        elif self._page is not None:
            reason = self.tr(
                "Its weights file is not on this computer. Download it from the page "
                "below, then choose it with “Choose weights file…”. Folders can still be "
                "added and scanned; searching starts once a model is loaded.")
        else:
            reason = error_text(error) if isinstance(error, BaseException) else error
        self.message.setText(f"<b>{title}</b> {escape(reason)}")
        self.needed.setText("\n".join(missing))
        for widget in (self.needed, self.copy_button):
            widget.setVisible(bool(needed))
        self.page_button.setVisible(self._page is not None)
        self.download_button.setVisible(can_download and self._page is not None)
        self.show()

    def copy_needed(self) -> None:
        QGuiApplication.clipboard().setText(self.needed.text())

    def open_page(self) -> None:
        if self._page:
            QDesktopServices.openUrl(QUrl(self._page))

