"""The Tags tab: every tag of the library with its number of photos, the user's own
vocabulary words, and re-tagging the whole library (after new words, or a new tag
threshold in Preferences) on the writer lane, with progress.

Standalone widgets over a ``Library``; ``tags_view.install`` puts the panel in the main
window. Re-tagging goes through the window's ``Writer``, the one thread that writes the
catalog.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from photosearch.core.library import Library
from photosearch.core.tagging import store
from photosearch.core.tagging.vocab import Vocabulary, label_language, load_vocabulary
from photosearch.gui.status_text import describe
from photosearch.gui.writer import Writer

translate = QCoreApplication.translate   # lupdate finds translate("Context", …)

TAG_ROLE = Qt.ItemDataRole.UserRole


class TagCloudWidget(QWidget):
    """Every tag of the library with its number of photos; activating one shows them."""

    tag_clicked = Signal(str)

    def __init__(self, library: Library, *, vocab: Vocabulary | None = None,
                 lang: str | None = None, parent: QWidget | None = None,
                 writer: Writer | None = None, lazy: bool = False) -> None:
        """``lazy``: count the tags only when the cloud is on screen (the app's Tags tab
        is not at launch, and counting tags over a 1M-photo library is not free)."""
        super().__init__(parent)
        self.library = library
        self.writer = writer or Writer(None, self)
        self.vocab = vocab or load_vocabulary(library.settings.custom_tags)
        self.lang = label_language(lang or library.settings.ui_language)
        self._lazy, self._stale = lazy, True
        layout = QVBoxLayout(self)
        self.filter_edit = QLineEdit(placeholderText=translate("TagsView", "filter tags…"))
        self.filter_edit.textChanged.connect(self._filter)
        self.list = QListWidget()
        self.list.setObjectName("tagCloud")
        self.list.itemActivated.connect(lambda it: self.tag_clicked.emit(it.data(TAG_ROLE)))
        self.list.itemClicked.connect(lambda it: self.tag_clicked.emit(it.data(TAG_ROLE)))
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.list, 1)
        self.refresh()

    def refresh(self) -> None:
        """Count again now, or (``lazy``, off screen) when the cloud is next shown."""
        self._stale = True
        if not self._lazy or self.isVisible():
            self._fill()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self._stale:
            self._fill()
        super().showEvent(event)

    def _fill(self) -> None:
        self._stale = False
        self.list.clear()
        for tag, count in store.tag_counts(self.library.catalog):
            item = QListWidgetItem(f"{self.vocab.label(tag, self.lang)}  ({count})")
            item.setData(TAG_ROLE, tag)
            self.list.addItem(item)
        self._filter(self.filter_edit.text())

    def counts(self) -> dict[str, int]:
        return dict(store.tag_counts(self.library.catalog))

    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(bool(needle) and needle not in item.text().casefold())


class CustomWordsWidget(QWidget):
    """The user's own vocabulary words (``Settings.custom_tags``). "Apply" saves them and
    asks for the whole library to be re-tagged (``apply_requested``)."""

    apply_requested = Signal(list)

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(translate(
            "TagsView", "Your own tag words (any photo that fits gets them):")))
        self.list = QListWidget()
        self.list.addItems(library.settings.custom_tags)
        # a few lines: the library's tags above get the height (Xvfb screenshot showed an
        # empty words list taking half the tab)
        self.list.setMaximumHeight(6 * self.list.fontMetrics().height() + 12)
        layout.addWidget(self.list)
        row = QHBoxLayout()
        self.word_edit = QLineEdit(placeholderText=translate("TagsView", "e.g. wisteria"))
        self.word_edit.returnPressed.connect(self.add_word)
        self.remove_button = QPushButton(translate("TagsView", "Remove"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.apply_button = QPushButton(translate("TagsView", "Apply to library"))
        self.apply_button.clicked.connect(self.apply)
        row.addWidget(self.word_edit, 1)
        row.addWidget(self.remove_button)
        row.addWidget(self.apply_button)
        layout.addLayout(row)
        self.status = QLabel()
        layout.addWidget(self.status)

    def words(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def add_word(self) -> None:
        word = " ".join(self.word_edit.text().split())
        if word and word.casefold() not in {w.casefold() for w in self.words()}:
            self.list.addItem(word)
        self.word_edit.clear()

    def remove_selected(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))

    def apply(self) -> None:
        self.library.update_settings(custom_tags=self.words())
        self.status.setText(translate("TagsView", "Re-tagging the library…"))
        self.apply_requested.emit(self.words())


def retag_in_background(library: Library, writer: Writer, encoder, *,
                        on_done: Callable[[object], None] | None = None,
                        on_progress: Callable[[object], None] | None = None) -> None:
    """Re-tag the whole library on the writer lane (with the settings' words and
    selection), reporting ``core.progress.Progress`` to ``on_progress``."""
    from photosearch.core.tagging.tagger import retag_library

    writer.run(lambda task: retag_library(library, encoder, progress=task.report,
                                          cancel=task.cancel),
               on_done=on_done, on_progress=on_progress)


class TagsPanel(QWidget):
    """The "Tags" tab: the library's tags with counts, and the custom words editor.

    ``retag`` re-tags the whole library (after the words or the tag threshold changed,
    here or in Preferences), with its progress in the panel and on ``progress``."""

    progress = Signal(object)           # core.progress.Progress of a re-tag
    retagged = Signal()

    def __init__(self, library: Library, runner, encoder_fn: Callable[[], object],
                 parent: QWidget | None = None, *, writer: Writer | None = None,
                 vocab: Vocabulary | None = None, lazy: bool = False) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.writer = writer or Writer(runner, self)
        self.encoder_fn = encoder_fn
        layout = QVBoxLayout(self)
        self.cloud = TagCloudWidget(library, vocab=vocab, lazy=lazy)
        self.words = CustomWordsWidget(library)
        layout.addWidget(self.cloud, 1)
        layout.addWidget(self.words)
        self.words.apply_requested.connect(lambda _: self.retag())
        self._pending = False

    def model_ready(self) -> None:
        """The model has loaded: re-tag now if the words changed while it was missing."""
        if self._pending:
            self.retag()

    def retag(self) -> None:
        encoder = self.encoder_fn()
        if encoder is None:
            self._pending = True
            self.words.status.setText(translate("TagsView",
                "Saved; the library is re-tagged as soon as the model has loaded."))
            return
        self._pending = False

        def done(report) -> None:
            self.words.status.setText(
                translate("TagsView", "Re-tagged %Ln photos.", None, report.photos))
            self.cloud.vocab = load_vocabulary(self.library.settings.custom_tags)
            self.cloud.refresh()
            self.retagged.emit()

        def report(p) -> None:
            self.words.status.setText(describe(p))
            self.progress.emit(p)

        retag_in_background(self.library, self.writer, encoder, on_done=done,
                            on_progress=report)

    def settings_changed(self) -> None:
        """Preferences changed the words or the tag threshold (already saved): show the
        words and re-tag with them."""
        self.words.list.clear()
        self.words.list.addItems(self.library.settings.custom_tags)
        self.retag()
