"""The Preferences dialog: language, model and precision, the near-duplicate threshold,
custom tag words, and folder watching.

Every change is saved through ``Library.update_settings`` (the one way settings change)
and then handed to what follows it: a new model or precision loads again and embeds what
it lacks; the rest is read where it is used. The interface language is stored here as
``Settings.ui_language`` (None: the system's), which ``i18n.install`` reads at the next
start.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QWidget,
)

from photosearch.core.presets import PRESETS
from photosearch.gui import i18n
from photosearch.gui.host import WindowHost

PRECISIONS = (None, "fp32", "fp16", "bf16")


class PreferencesDialog(QDialog):
    def __init__(self, window: WindowHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.window_host = window
        s = window.library.settings
        self.setWindowTitle(self.tr("Preferences"))
        self.language = QComboBox()
        self.language.addItem(self.tr("As the system"), None)
        for code in i18n.LANGUAGES:        # the languages i18n.install() can show
            self.language.addItem(i18n.NAMES[code], code)
        self.language.setCurrentIndex(max(0, self.language.findData(s.ui_language)))
        self.model = QComboBox()
        for preset in PRESETS.values():
            self.model.addItem(preset.label, preset.name)
        if self.model.findData(s.model) < 0 or s.weights:
            self.model.addItem(self.tr("Chosen file or folder: {name}").format(
                name=s.weights or s.model), s.model)
        self.model.setCurrentIndex(max(0, self.model.findData(s.model)))
        self.precision = QComboBox()
        for code, name in zip(PRECISIONS, (self.tr("Automatic"), "fp32", "fp16", "bf16"),
                              strict=True):
            self.precision.addItem(name, code)
        self.precision.setCurrentIndex(max(0, self.precision.findData(s.precision)))
        self.near = QDoubleSpinBox()
        self.near.setRange(0.50, 0.999)
        self.near.setDecimals(3)
        self.near.setSingleStep(0.005)
        self.near.setValue(_near_cosine(s.duplicate_thresholds))
        self.near.setToolTip(self.tr("How alike two photos must be to count as "
                                     "near-duplicates (cosine similarity)"))
        self.tags = QPlainTextEdit("\n".join(s.custom_tags))
        self.tags.setPlaceholderText(self.tr("One word or phrase a line"))
        self.tags.setFixedHeight(90)
        self.watch = QCheckBox(self.tr("Follow changes in the folders while the app runs"))
        self.watch.setChecked(s.watch_folders)
        note = QLabel(self.tr("The language and watching change at the next start."))
        note.setWordWrap(True)
        note.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Language:"), self.language)
        form.addRow(self.tr("Model:"), self.model)
        form.addRow(self.tr("Precision:"), self.precision)
        form.addRow(self.tr("Near-duplicate threshold:"), self.near)
        form.addRow(self.tr("Custom tag words:"), self.tags)
        form.addRow(self.watch)
        form.addRow(note)
        form.addRow(buttons)

    def changes(self) -> dict[str, Any]:
        """The settings fields the dialog's values would change."""
        s = self.window_host.library.settings
        wanted: dict[str, Any] = {
            "ui_language": self.language.currentData(),
            "precision": self.precision.currentData(),
            "custom_tags": [w.strip() for w in self.tags.toPlainText().splitlines()
                            if w.strip()],
            "watch_folders": self.watch.isChecked(),
        }
        if self.model.currentData() != s.model:
            wanted.update(model=self.model.currentData(), weights=None)
        if abs(self.near.value() - _near_cosine(s.duplicate_thresholds)) > 1e-9:
            wanted["duplicate_thresholds"] = {**s.duplicate_thresholds,
                                              "near_cosine": round(self.near.value(), 3)}
        return {k: v for k, v in wanted.items() if getattr(s, k) != v}

    def apply(self) -> dict[str, Any]:
        """Save what changed; reload the model when it or its precision did."""
        changed = self.changes()
        if changed:
            self.window_host.library.update_settings(**changed)
        if {"model", "precision"} & set(changed):
            self.window_host.indexer.retry_model()
            self.window_host.indexer.request(rescan=False)
        return changed


def _near_cosine(stored: dict[str, float]) -> float:
    from photosearch.core.duplicates import Thresholds

    return float(Thresholds.from_dict(stored).near_cosine)


def show_preferences(window: WindowHost) -> dict[str, Any]:
    dialog = PreferencesDialog(window, window)  # type: ignore[arg-type]
    return dialog.apply() if dialog.exec() == QDialog.DialogCode.Accepted else {}
