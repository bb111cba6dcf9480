"""The Duplicates view: groups wrapped to the width, a keep choice per group, and clean-up.

A standalone widget over a ``Library`` (and the window's ``TaskRunner`` and ``Writer``
when there are; without them the work runs inline, as in tests). Reads run on the
``background`` lane; regrouping, keep choices and trashing are writes and go through the
writer. All logic is ``core.duplicates``: this module lays out groups, asks before
trashing, and shows what happened.

The slider moves the near-duplicate threshold; group counts for every slider position
are computed once in the background (``group_counts``), so moving it shows the count at
once, and once it settles (mouse, keyboard or a click on the track alike: a short
debounce on ``valueChanged``) the list regroups with the new setting (saved in the
library settings), so the label and the list always agree. Near groups show their exact
and same-picture subsets (``dup.nest``) inside them.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from photosearch.core import duplicates as dup
from photosearch.core.changes import Changes
from photosearch.core.library import Library
from photosearch.core.progress import noop
from photosearch.gui.duplicate_cards import GroupCard
from photosearch.gui.host import WindowHost
from photosearch.gui.writer import Writer

translate = QCoreApplication.translate   # lupdate finds translate("Context", …)

SLIDER_VALUES = list(dup.NEAR_SLIDER)   # near cosine 0.80–0.99 (the regroup keeps pairs for them)
APPLY_DELAY_MS = 250       # the slider settles this long before the list regroups


def ask_to_trash(parent: QWidget, paths: list[str]) -> bool:
    """The confirmation that lists every file that will move."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(translate("DuplicatesView", "Move to trash"))
    box.setText(translate("DuplicatesView", "Move %Ln files to the trash? Each group keeps "
                          "the photo marked "
                "Keep; the files can be restored from the trash.", None, len(paths)))
    box.setDetailedText("\n".join(paths))
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


Shown = tuple[list[dup.Group], dict[int, list[dup.Group]]]   # groups, their subsets


class DuplicatesView(QWidget):
    """Groups of copies with their keep choice, a threshold slider and clean-up."""

    groups_shown = Signal(int)
    counts_ready = Signal()
    trashed = Signal(object)            # core.duplicates.CleanupReport

    def __init__(self, library: Library, model_key: Callable[[], str | None] | str | None,
                 runner=None, parent: QWidget | None = None, *,
                 writer: Writer | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self._model_key = model_key if callable(model_key) else (lambda: model_key)
        self.runner = runner
        self.writer = writer or Writer(runner, self)
        self.groups: list[dup.Group] = []
        self.cards: list[GroupCard] = []
        self.counts: dict[float, tuple[int, int]] = {}
        self.confirm: Callable[[QWidget, list[str]], bool] = ask_to_trash
        self._build()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Near-duplicate similarity")))
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, len(SLIDER_VALUES) - 1)
        self.slider.setValue(self._position())
        self.apply_timer = QTimer(self)
        self.apply_timer.setSingleShot(True)
        self.apply_timer.setInterval(APPLY_DELAY_MS)
        self.apply_timer.timeout.connect(self._settled)
        self.slider.valueChanged.connect(self._show_count)
        self.slider.valueChanged.connect(lambda _: self.apply_timer.start())
        self.slider.sliderReleased.connect(self.apply_timer.start)
        top.addWidget(self.slider, 1)
        self.count_label = QLabel("")
        top.addWidget(self.count_label)
        self.trash_button = QPushButton(self.tr("Move others to trash…"))
        self.trash_button.clicked.connect(self.trash_others)
        top.addWidget(self.trash_button)
        layout.addLayout(top)
        self.status = QLabel("")
        layout.addWidget(self.status)
        self.trash_note = QLabel("")          # what moved and where to restore it from
        self.trash_note.setWordWrap(True)
        self.trash_note.hide()                # until there is something to say: no gap
        layout.addWidget(self.trash_note)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        layout.addWidget(self.scroll, 1)

    # -- work, off the UI thread when there is a runner --------------------------------------
    def _run(self, fn, on_done, *, write: bool = False) -> None:
        """``fn(task)`` off the UI thread: on the writer lane when it writes."""
        if self.runner is None:
            on_done(fn(None))
            return
        failed = lambda e: self.status.setText(self.tr("Failed: {error}").format(error=e))  # noqa: E731
        if write:
            self.writer.run(fn, on_done=on_done, on_error=failed)
        else:
            self.runner.run(fn, lane="background", on_done=on_done, on_error=failed)

    def refresh(self) -> None:
        """Load the groups (regrouping if the model or thresholds changed) and the
        slider's counts."""
        key = self._model_key()
        self.status.setText(self.tr("Looking for duplicates…"))

        def load(task) -> Shown:
            groups = dup.current_groups(self.library, key,
                                        progress=task.report if task else noop,
                                        cancel=task.cancel if task else None)
            return groups, dup.nest(self.library, groups, key)

        self._run(load, self._show, write=True)
        self._run(lambda task: dup.group_counts(self.library, key, "near", SLIDER_VALUES),
                  self._counts)

    def _counts(self, counts: dict[float, tuple[int, int]]) -> None:
        self.counts = counts
        self._show_count(self.slider.value())
        self.counts_ready.emit()

    def _show_count(self, position: int) -> None:
        value = SLIDER_VALUES[position]
        groups, photos = self.counts.get(value, (None, None))
        self.count_label.setText(f"{value:.2f}: " + (
            self.tr("%Ln groups", "", groups) + ", " + self.tr("%Ln photos", "", photos)
            if groups is not None else "…"))

    def _settled(self) -> None:
        """The slider came to rest: regroup unless it is still held or nothing changed."""
        if self.slider.isSliderDown():
            return                      # the release restarts the timer
        if SLIDER_VALUES[self.slider.value()] != dup.thresholds_for(self.library).near_cosine:
            self.apply_threshold()

    def _position(self) -> int:
        """The slider's position nearest the settings' near-duplicate threshold."""
        current = dup.thresholds_for(self.library).near_cosine
        return min(range(len(SLIDER_VALUES)), key=lambda i: abs(SLIDER_VALUES[i] - current))

    def apply_threshold(self) -> None:
        """Regroup at the slider's value and remember it in the library settings."""
        value = SLIDER_VALUES[self.slider.value()]
        self.library.update_settings(duplicate_thresholds={
            **self.library.settings.duplicate_thresholds, "near_cosine": value})
        self._regroup()

    def threshold_changed(self) -> None:
        """The threshold changed elsewhere (Preferences, already saved): the slider moves
        to it without applying its own, rounder value, and the groups are made again."""
        self.slider.blockSignals(True)
        self.slider.setValue(self._position())
        self.slider.blockSignals(False)
        self._show_count(self.slider.value())
        self._regroup()

    def _regroup(self) -> None:
        key = self._model_key()

        def regroup(task) -> Shown:
            dup.refresh_groups(self.library, key)
            groups = dup.stored_groups(self.library)
            return groups, dup.nest(self.library, groups, key)

        self._run(regroup, self._show, write=True)

    def _show(self, shown: Shown) -> None:
        groups, nested = shown
        self.groups = list(groups or [])
        holder = QWidget()
        column = QVBoxLayout(holder)
        self.cards = []
        for g in self.groups:
            card = GroupCard(self.library, g, nested.get(g.keep_id, ()))
            card.keep_changed.connect(self.set_keep)
            column.addWidget(card)
            self.cards.append(card)
        column.addStretch(1)
        self.scroll.setWidget(holder)
        extra = sum(len(g.others) for g in self.groups)
        self.status.setText(
            self.tr("%Ln groups", "", len(self.groups)) + ", "
            + self.tr("%Ln extra copies", "", extra)
            if self.groups else self.tr("No duplicates found."))
        self.trash_button.setEnabled(extra > 0)
        self.groups_shown.emit(len(self.groups))

    def set_keep(self, group_id: int, photo_id: int) -> None:
        self.writer.submit(lambda: dup.set_keep(self.library, group_id, photo_id))
        for g in self.groups:
            if g.id == group_id:
                g.keep_id, g.keep_chosen = photo_id, True

    def trash_others(self) -> None:
        plan = dup.cleanup_plan(self.groups)
        if plan.photos and not self.confirm(self, [p.path for p in plan.photos]):
            return
        if not plan.photos and not plan.skipped:
            return
        # on the writer lane; the core checks each group on disk again right before moving
        self.writer.submit(lambda: dup.trash_others(self.library, plan),
                           on_done=self._trashed,
                           on_error=lambda e: self.status.setText(
                               self.tr("Failed: {error}").format(error=e)))

    def _trashed(self, report: dup.CleanupReport) -> None:
        text = (self.tr("Moved %Ln files to {place}; restore them from there.", "",
                        len(report.moved)).format(place=report.location)
                if report.moved else self.tr("Nothing moved."))
        if report.failed:
            text += " " + self.tr("%Ln could not be moved:", "", len(report.failed))
            text += " " + "; ".join(f"{os.path.basename(p)} ({r})" for p, r in report.failed)
        if report.skipped:
            text += " " + self.tr("%Ln groups left alone:", "", len(report.skipped))
            text += " " + "; ".join(s.message for s in report.skipped)
        self.trash_note.setText(text)
        self.trash_note.show()
        self.trashed.emit(report)
        self.refresh()


def install(window: WindowHost) -> DuplicatesView:
    """Wire duplicates into the main window through its extension points: a "Duplicates"
    tab, a "Hide duplicates" toggle (on by default, ``settings.hide_duplicates``) that
    keeps only each group's kept photo in search results, and a "×N" badge on that photo.

    Clicking the badge (or "Show N copies" in the photo's menu) expands the group in place:
    its other copies follow the kept photo in the grid, badged "2/3", "3/3"; clicking any
    of those badges (or "Hide copies") folds the group again. In place, because the user
    stays in the results they were reading, and the expansion survives the refreshes that
    indexing brings.
    """
    from PySide6.QtWidgets import QCheckBox

    from photosearch.core.search import Hit

    library = window.library
    view = DuplicatesView(library, window.indexer.model_key, window.runner,
                          writer=window.writer)
    window.add_view(view, translate("DuplicatesView", "Duplicates"))
    window.views.currentChanged.connect(
        lambda i: view.refresh() if window.views.widget(i) is view else None)
    toggle = QCheckBox(translate("DuplicatesView", "Hide duplicates"))
    toggle.setObjectName("hideDuplicates")    # the View menu's item flips this one
    toggle.setChecked(library.settings.hide_duplicates)
    window.add_toolbar_widget(toggle)
    results = window.results
    # The core's collapse (``dup.Collapsed``), swapped whole, never changed in place: the
    # query lane reads it meanwhile.
    state: dict[str, dup.Collapsed] = {"collapsed": dup.Collapsed()}

    def load(task) -> dup.Collapsed:
        return dup.Collapsed.load(library, dup.hidden_tiers(library.settings))

    def loaded(collapsed: dup.Collapsed) -> None:
        state["collapsed"] = collapsed
        results.refresh_expansions()
        results.refresh_badges()

    def reload(*_: object) -> None:
        """Reload the snapshot; the window's next re-search waits for it (one re-search
        per change, with the new groups)."""
        release = window.hold_refresh()
        window.runner.run(load, lane="background", on_done=loaded, on_finished=release)

    def hiding() -> bool:
        return library.settings.hide_duplicates

    def toggled(on: bool) -> None:
        library.update_settings(hide_duplicates=on)
        results.collapse_all()
        results.refresh_badges()
        window.refresh_results()

    def badge(hit: Hit) -> str | None:
        collapsed = state["collapsed"]
        keep = collapsed.keep_of(hit.photo_id)
        if not hiding() or keep is None:
            return None
        return collapsed.badge(hit.photo_id, results.is_expanded(keep))

    def copies(hit: Hit) -> list[Hit]:
        """A kept photo's hidden copies, as rows to show after it."""
        return state["collapsed"].copies(hit) if hiding() else []

    def group_keep(hit: Hit) -> int | None:
        """The kept photo whose group ``hit`` stands in the grid for, if it does."""
        keep = state["collapsed"].keep_of(hit.photo_id)
        if not hiding() or keep is None:
            return None
        return keep if hit.photo_id == keep or results.is_expanded(keep) else None

    def badge_clicked(hit: Hit) -> None:
        keep = group_keep(hit)
        if keep is not None:
            results.set_expanded(keep, not results.is_expanded(keep))

    def menu_hook(menu, hit: Hit) -> None:
        keep = group_keep(hit)
        if keep is None:
            return
        menu.addSeparator()
        if results.is_expanded(keep):
            action = menu.addAction(translate("DuplicatesView", "Hide copies"))
            action.triggered.connect(lambda: results.set_expanded(keep, False))
        else:
            n = state["collapsed"].size(keep) - 1
            action = menu.addAction(translate("DuplicatesView", "Show %Ln copies", None, n))
            action.triggered.connect(lambda: results.set_expanded(keep, True))

    toggle.toggled.connect(toggled)
    window.add_result_filter(lambda pid: not hiding() or state["collapsed"].allow(pid))
    results.set_badge_provider(badge)
    results.set_expander(copies)
    window.grid.badge_clicked.connect(badge_clicked)
    window.grid.menu_hooks.append(menu_hook)
    window.changed.connect(lambda c: reload() if c.duplicates or c.photos else None)
    view.groups_shown.connect(lambda _: window.notify(Changes(duplicates=True)))
    # the counts and the status are made from templates: a language switch remakes them
    window.language_changed.connect(lambda: view.refresh() if view.isVisible() else None)
    reload()
    view.toggle = toggle
    return view
