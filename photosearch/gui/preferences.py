"""The Preferences dialog: language, model and precision, the near-duplicate threshold,
how tags are chosen (threshold, tags per photo), custom tag words, folder watching and
People (faces).

Every change is saved through ``Library.update_settings`` (the one way settings change)
and then handed to what follows it, at once: the language is installed and the window
translated again (``MainWindow.retranslate``); a new model or precision loads again and
embeds what it lacks; new tag words or tag selection re-tag the library on the writer
lane, with progress (``TagsPanel.retag``); a new near-duplicate threshold regroups.
Only watching waits for the next start (the dialog says so).
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
    QSpinBox,
    QWidget,
)

from photosearch.core.presets import PRESETS
from photosearch.core.tagging.select import SelectionParams
from photosearch.gui import i18n
from photosearch.gui.host import WindowHost
from photosearch.gui.status_text import preset_label

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
            self.model.addItem(preset_label(preset), preset.name)
        if self.model.findData(s.model) < 0 or s.weights:
            self.model.addItem(self.tr("Chosen file or folder: {name}").format(
                name=s.weights or s.model), s.model)
        self.model.setCurrentIndex(max(0, self.model.findData(s.next_model or s.model)))
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
        chosen = SelectionParams.from_dict(s.tag_selection)
        self.tag_threshold = QDoubleSpinBox()
        self.tag_threshold.setRange(1.0, 8.0)
        self.tag_threshold.setDecimals(2)
        self.tag_threshold.setSingleStep(0.25)
        self.tag_threshold.setValue(chosen.z_min)
        self.tag_threshold.setToolTip(self.tr(
            "How clearly a word must stand out for a photo to become its tag: higher "
            "gives fewer, surer tags"))
        self.tags_per_photo = QSpinBox()
        self.tags_per_photo.setRange(1, 30)
        self.tags_per_photo.setValue(chosen.max_tags)
        self.tags_per_photo.setToolTip(self.tr("The most automatic tags a photo gets"))
        self.tags = QPlainTextEdit("\n".join(s.custom_tags))
        self.tags.setPlaceholderText(self.tr("One word or phrase a line"))
        self.tags.setFixedHeight(90)
        self.watch = QCheckBox(self.tr("Follow changes in the folders while the app runs"))
        self.watch.setChecked(s.watch_folders)
        self.people = QCheckBox(self.tr("Find faces and group them into people"))
        self.people.setToolTip(self.tr("Turning this off deletes the faces found and the "
                                       "names given to people."))
        self.people.setChecked(s.people)
        note = QLabel(self.tr("Watching on or off applies at the next start; the other "
                              "changes apply at once."))
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
        form.addRow(self.tr("Tag threshold:"), self.tag_threshold)
        form.addRow(self.tr("Tags per photo, at most:"), self.tags_per_photo)
        form.addRow(self.tr("Custom tag words:"), self.tags)
        form.addRow(self.watch)
        form.addRow(self.people)
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
            "people": self.people.isChecked(),
        }
        if self.model.currentData() != (s.next_model or s.model):
            wanted.update(model=self.model.currentData(), weights=None)
        if abs(self.near.value() - _near_cosine(s.duplicate_thresholds)) > 1e-9:
            wanted["duplicate_thresholds"] = {**s.duplicate_thresholds,
                                              "near_cosine": round(self.near.value(), 3)}
        chosen = SelectionParams.from_dict(s.tag_selection)
        selection = {"z_min": round(self.tag_threshold.value(), 2),
                     "max_tags": self.tags_per_photo.value()}
        if selection != {"z_min": round(chosen.z_min, 2), "max_tags": chosen.max_tags}:
            wanted["tag_selection"] = {**s.tag_selection, **selection}
        return {k: v for k, v in wanted.items()
                if k in ("model", "weights") or getattr(s, k) != v}

    def apply(self) -> dict[str, Any]:
        """Save what changed and make it take effect now. A new model is switched to
        gradually (the model in use answers until it has embedded the library)."""
        window = self.window_host
        changed = self.changes()
        rest = {k: v for k, v in changed.items() if k not in ("model", "weights")}
        if rest:
            window.library.update_settings(**rest)
        if "ui_language" in changed:
            i18n.install(changed["ui_language"])
            window.retranslate()
        if "model" in changed:
            window.indexer.switch_model(changed["model"], None)
        elif "precision" in changed:
            window.indexer.retry_model()
            window.indexer.request(rescan=False)
        if {"custom_tags", "tag_selection"} & set(changed):
            _retag(window)
        if "duplicate_thresholds" in changed:
            _regroup(window)
        if changed.get("people") is False:     # off: the faces and names go
            from photosearch.core.faces.store import forget_all

            catalog = window.library.catalog
            window.writer.submit(lambda: forget_all(catalog))
        elif changed.get("people"):            # on: an index run looks for faces
            window.indexer.request(rescan=False)
        return changed


def _retag(window: WindowHost) -> None:
    """Re-tag with the new words or selection, through the Tags tab (progress there and
    in the status bar; after the model loads, if it has not yet)."""
    from photosearch.gui.tags_panel import TagsPanel

    panel = window.findChild(TagsPanel)  # type: ignore[attr-defined]
    if panel is not None:
        panel.settings_changed()


def _regroup(window: WindowHost) -> None:
    """Regroup duplicates at the new threshold, as the Duplicates tab's slider does."""
    from photosearch.gui.duplicates_view import DuplicatesView

    view = window.findChild(DuplicatesView)  # type: ignore[attr-defined]
    if view is not None:
        view.threshold_changed()


def _near_cosine(stored: dict[str, float]) -> float:
    from photosearch.core.duplicates import Thresholds

    return float(Thresholds.from_dict(stored).near_cosine)


def show_preferences(window: WindowHost) -> dict[str, Any]:
    dialog = PreferencesDialog(window, window)  # type: ignore[arg-type]
    try:
        return dialog.apply() if dialog.exec() == QDialog.DialogCode.Accepted else {}
    finally:
        dialog.deleteLater()
