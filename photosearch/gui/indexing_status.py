"""The status bar's indexing part: what the indexer is doing, a progress bar, Pause, and
which model is in use (with the no-model banner above the results).

It only listens to the ``Indexer`` and says what it hears; what a finished run changed
reaches the views separately, as one ``Changes`` (see ``main_window``).
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QToolButton

from photosearch.core.progress import Progress
from photosearch.gui.banner import ModelBanner
from photosearch.gui.indexing import Indexer
from photosearch.gui.status_text import describe, display_name


class IndexingStatus(QObject):
    """Owns the status bar's indexing widgets and keeps them in step with the indexer."""

    def __init__(self, indexer: Indexer, bar: QStatusBar, banner: ModelBanner,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.indexer = indexer
        self.banner = banner
        self.closed = False
        self._done_before = 0      # indexed before a pause, in the run Resume carries on
        self._last_done = 0
        self._last_total = 0       # the indexing count the paused label keeps showing
        self.label = QLabel(self.tr("Ready"))
        self.progress_bar = QProgressBar()
        self.progress_bar.setFixedWidth(180)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.hide()
        self.pause_button = QToolButton()
        self.pause_button.setText(self.tr("Pause"))
        self.pause_button.hide()
        self.model_label = QLabel()
        bar.addWidget(self.label, 1)
        bar.addPermanentWidget(self.progress_bar)
        bar.addPermanentWidget(self.pause_button)
        bar.addPermanentWidget(self.model_label)
        self.pause_button.clicked.connect(self._toggle_pause)
        indexer.progress.connect(self._progress)
        indexer.run_finished.connect(self._run_finished)
        indexer.paused_changed.connect(self._paused_changed)
        indexer.model_state.connect(self._model_state)
        indexer.switching.connect(self._switching)
        indexer.stage_done.connect(self._stage_done)
        self._finished_text = ""   # what the label said when the run ended
        self._model_name = ""

    def _progress(self, p: Progress) -> None:
        if self.closed:
            return
        if p.phase == "indexing":
            # A resumed run counts only what was left: shown on top of what was done
            # before the pause, so the counter carries on rather than starting again.
            p = replace(p, done=p.done + self._done_before,
                        total=(p.total + self._done_before) if p.total else p.total)
            if p.total:
                self._last_done, self._last_total = p.done, p.total
        elif self.indexer.paused:
            # A paused run's closing steps (saving, tagging) report without a total: the
            # bar and the label keep the indexing count rather than turning busy.
            self.label.setText(self._paused_text())
            return
        bar = self.progress_bar
        bar.show()
        if p.total:
            bar.setRange(0, p.total)
            bar.setValue(p.done)
        else:
            bar.setRange(0, 0)
        # Paused: the label says so until Resume (a report held back by the throttle,
        # or a scan of a new folder, must not make it look as if indexing went on).
        if self.indexer.paused:
            self.label.setText(self._paused_text())
        elif self.indexer.next_label and p.phase == "indexing" and p.total:
            # A gradual model switch: say whose vectors these are, and that searching
            # goes on meanwhile (with the model in use).
            self.label.setText(self.tr(
                "Preparing {model}: {done} / {total} photos · searches use {current} until "
                "then").format(model=self.indexer.next_label, done=f"{p.done:,}",
                               total=f"{p.total:,}", current=self._model_name))
        else:
            self.label.setText(describe(p))
        running = self.indexer.running and self.indexer.state == "ready"
        self.pause_button.setVisible(running or self.indexer.paused)

    def _run_finished(self, report) -> None:
        if self.indexer.paused:
            return
        if not getattr(report, "cancelled", False):
            self._done_before = self._last_done = self._last_total = 0
        if self.indexer.encoder is None:
            self.label.setText(self.tr("Scanned; indexing starts when the model is available"))
        else:
            scanned = getattr(report, "scan", None)
            note = ""
            if scanned is not None and scanned.offline:
                note = " · " + self.tr("offline: {folders}").format(
                    folders=", ".join(map(display_name, scanned.offline)))
            failed = len(getattr(report, "failed", []))
            if failed:
                note += " · " + self.tr("%Ln unreadable (see the folder's details)", "", failed)
            deferred = len(getattr(report, "deferred", []))
            if deferred:
                note += " · " + self.tr("%Ln could not be read now, tried again next time", "",
                                       deferred)
            self.label.setText(self.tr("Up to date") + note)
        self._finished_text = self.label.text()
        if not self.indexer.running:
            self.progress_bar.hide()
            self.pause_button.hide()

    def _stage_done(self) -> None:
        """A one-off stage after the run ended: the label says again how the run ended."""
        if self.closed or self.indexer.running or self.indexer.paused:
            return
        if self._finished_text:
            self.label.setText(self._finished_text)
        self.progress_bar.hide()

    def _toggle_pause(self) -> None:
        if self.indexer.paused:
            self.indexer.resume()
        else:
            self.indexer.pause()

    def _paused_changed(self, paused: bool) -> None:
        self.pause_button.setText(self.tr("Resume") if paused else self.tr("Pause"))
        self.pause_button.setVisible(True)
        if paused:
            self.label.setText(self._paused_text())
        else:   # the paused run's last reports are in: Resume counts on from them
            self._done_before = self._last_done

    def _switching(self, next_label: str) -> None:
        """The model label names the model in use, and the one being prepared."""
        if self.closed or not self._model_name:
            return
        text = self.tr("Model: {name}").format(name=self._model_name)
        if next_label:
            text += " → " + next_label
            self.model_label.setToolTip(self.tr(
                "{name} answers searches until {next} has embedded every photo; then "
                "{next} takes over.").format(name=self._model_name, next=next_label))
        else:
            self.model_label.setToolTip("")
        self.model_label.setText(text)

    def _paused_text(self) -> str:
        if self._last_total > 0:
            return self.tr("Paused · {done} / {total} indexed").format(
                done=f"{self._last_done:,}", total=f"{self._last_total:,}")
        return self.tr("Paused")

    def retranslate(self) -> None:
        """The model's label, the banner and a paused count in the new language (the
        status line's fixed texts follow the window's; a running count, its next
        report)."""
        if self.indexer.state in ("loading", "ready", "missing"):
            self._model_state(self.indexer.state, self.indexer.model_message)
        if self.indexer.paused:
            self.label.setText(self._paused_text())

    def _model_state(self, state: str, message: str) -> None:
        """One state on screen: the label, the bar and the banner agree with the model
        (a failed load leaves no "Loading…" or busy bar behind)."""
        if self.closed:
            return
        if state == "loading":
            self.model_label.setText(self.tr("Loading the model…"))
            return
        if not self.indexer.running:
            self.progress_bar.hide()
        if state == "ready":
            self.banner.hide()
            self._model_name = message
            self._switching(self.indexer.next_label)
            if not self.indexer.running:
                self.label.setText(self.tr("Ready"))
        else:
            from photosearch.core.model import network_allowed

            self.model_label.setText(self.tr("Model: not available"))
            if not self.indexer.running:
                self.label.setText(self.tr("No search model: see the note above"))
            self.banner.show_missing(self.indexer.model_error or message,
                                     can_download=network_allowed())
