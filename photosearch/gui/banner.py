"""The model banner: a non-modal strip that says the model is missing and what to do.

The window works without a model (folders can be added and scanned); the banner offers the
two ways out: choose a weights file on disk, or download (shown only when the network is
allowed). The full advice from ``ModelUnavailable`` is in the tooltip and the log.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class ModelBanner(QFrame):
    choose_weights = Signal()
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
        self.choose_button = QPushButton("Choose weights file…")
        self.choose_button.clicked.connect(self.choose_weights)
        self.download_button = QPushButton("Download")
        self.download_button.clicked.connect(self.download)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.choose_button)
        layout.addWidget(self.download_button)
        self.hide()

    def show_missing(self, details: str, *, can_download: bool) -> None:
        self.message.setText(
            "<b>The search model is not available.</b> Folders can still be added and "
            "scanned; searching starts once a model is loaded.")
        self.setToolTip(details)
        self.download_button.setVisible(can_download)
        self.show()
