"""Tags in the app: a photo's tags, the query's tag chips, the library's tag list, and the
user's own vocabulary words.

Standalone widgets over a ``Library`` (each testable alone); ``install(window)`` joins
them to the main window through its extension points. Clicking a tag anywhere puts
``tag:…`` into the search box, so "photos with this tag" is an ordinary query and the
chips above the results are just the ``tag:`` terms of that query.

Reads of tags are SQLite calls of a millisecond or two and run on the UI thread; writes
(a tag added or removed by hand, re-tagging the library) go through the window's
``Writer``, the one thread that writes the catalog (inline when a widget stands alone).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from photosearch.core.library import Library
from photosearch.core.query import parse_query
from photosearch.core.tagging import store
from photosearch.core.tagging.vocab import Vocabulary, label_language, load_vocabulary
from photosearch.gui.host import WindowHost
from photosearch.gui.status_text import describe
from photosearch.gui.writer import Writer

translate = QCoreApplication.translate   # lupdate finds translate("Context", …)

TAG_ROLE = Qt.ItemDataRole.UserRole


def query_term(word: str) -> str:
    """``tag:word`` as the search box understands it (quoted when it has spaces)."""
    return f'tag:"{word}"' if " " in word else f"tag:{word}"


class Chip(QFrame):
    """A tag with an optional × button."""

    clicked = Signal(str)
    removed = Signal(str)

    def __init__(self, tag: str, label: str, *, removable: bool = True, manual: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tag = tag
        self.setObjectName("tagChip")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 0, 2, 0)
        row.setSpacing(2)
        self.button = QToolButton(text=label + (" ✎" if manual else ""))
        self.button.setAutoRaise(True)
        self.button.setToolTip(
            translate("TagsView", "Show all photos tagged “{tag}”").format(tag=label))
        self.button.clicked.connect(lambda: self.clicked.emit(self.tag))
        row.addWidget(self.button)
        self.remove_button: QToolButton | None = None
        if removable:
            self.remove_button = QToolButton(text="×")
            self.remove_button.setAutoRaise(True)
            self.remove_button.setToolTip(translate("TagsView", "Remove “{tag}”").format(tag=label))
            self.remove_button.clicked.connect(lambda: self.removed.emit(self.tag))
            row.addWidget(self.remove_button)


def _clear(layout: QHBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget() is not None:
            item.widget().deleteLater()


class PhotoTagsWidget(QWidget):
    """The tags of one photo: click one to see all photos with it, × to remove a wrong one,
    type to add one by hand (re-tagging never takes a manual tag away)."""

    tag_clicked = Signal(str)
    tags_changed = Signal(int)          # photo id

    def __init__(self, library: Library, *, vocab: Vocabulary | None = None,
                 lang: str | None = None, parent: QWidget | None = None,
                 writer: Writer | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.writer = writer or Writer(None, self)
        self.vocab = vocab or load_vocabulary(library.settings.custom_tags)
        self.lang = label_language(lang or library.settings.ui_language)
        self.photo_id: int | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.caption = QLabel(self.tr("Tags:"))
        row.addWidget(self.caption)
        # The chips may be clipped but never squeeze the "add a tag…" box, and the row
        # keeps its height while no photo is selected, so the grid does not jump.
        chips = QWidget()
        chips.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.chips_row = QHBoxLayout(chips)
        self.chips_row.setContentsMargins(0, 0, 0, 0)
        self.chips_row.setSpacing(4)
        row.addWidget(chips, 1)
        self.add_edit = QLineEdit(placeholderText=self.tr("add a tag…"))
        self.add_edit.setMinimumWidth(
            self.add_edit.fontMetrics().horizontalAdvance(self.add_edit.placeholderText()) + 40)
        self.add_edit.setMaximumWidth(220)
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        words = sorted({self.vocab.label(t, lang) for t in self.vocab.tags
                        for lang in ("en", "ru")})
        completer = QCompleter(words, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.add_edit.setCompleter(completer)
        self.add_edit.returnPressed.connect(lambda: self.add_tag(self.add_edit.text()))
        row.addWidget(self.add_edit)
        self.set_photo(None)

    def chips(self) -> list[Chip]:
        return [self.chips_row.itemAt(i).widget() for i in range(self.chips_row.count())
                if isinstance(self.chips_row.itemAt(i).widget(), Chip)]

    def set_photo(self, photo_id: int | None) -> None:
        self.photo_id = photo_id
        self.refresh()

    def refresh(self) -> None:
        _clear(self.chips_row)
        self.add_edit.setEnabled(self.photo_id is not None)
        self.setVisible(self.photo_id is not None)
        if self.photo_id is None:
            return
        for t in store.tags_of(self.library.catalog, self.photo_id):
            chip = Chip(t.tag, self.vocab.label(t.tag, self.lang), manual=t.manual)
            chip.clicked.connect(self.tag_clicked)
            chip.removed.connect(self.remove_tag)
            self.chips_row.addWidget(chip)
        self.chips_row.addStretch(1)

    def remove_tag(self, tag: str) -> None:
        if self.photo_id is not None:
            photo = self.photo_id
            self.writer.submit(lambda: store.remove(self.library.catalog, photo, tag),
                               on_done=lambda _: self._changed(photo))

    def add_tag(self, text: str) -> None:
        if self.photo_id is None or not text.strip():
            return
        photo, tag = self.photo_id, self.vocab.resolve(text)
        self.add_edit.clear()
        self.writer.submit(lambda: store.add_manual(self.library.catalog, photo, tag),
                           on_done=lambda _: self._changed(photo))

    def _changed(self, photo_id: int) -> None:
        if photo_id == self.photo_id:
            self.refresh()
        self.tags_changed.emit(photo_id)


class TagFilterBar(QWidget):
    """The ``tag:`` terms of the current query as chips; × takes one out of the query."""

    query_edited = Signal(str)

    def __init__(self, vocab: Vocabulary, lang: str = "en",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vocab = vocab
        self.lang = lang
        self.text = ""
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.setVisible(False)

    def chips(self) -> list[Chip]:
        return [self.row.itemAt(i).widget() for i in range(self.row.count())
                if isinstance(self.row.itemAt(i).widget(), Chip)]

    def set_query(self, text: str) -> None:
        self.text = text
        _clear(self.row)
        query = parse_query(text)
        for word in query.tags:
            tag = self.vocab.resolve(word)
            chip = Chip(word, self.vocab.label(tag, self.lang))
            chip.removed.connect(self._drop)
            self.row.addWidget(chip)
        self.row.addStretch(1)
        self.setVisible(bool(query.tags))

    def _drop(self, word: str) -> None:
        query = parse_query(self.text)
        self.query_edited.emit(
            replace(query, tags=tuple(w for w in query.tags if w != word)).to_text())


class TagCloudWidget(QWidget):
    """Every tag of the library with its number of photos; activating one shows them."""

    tag_clicked = Signal(str)

    def __init__(self, library: Library, *, vocab: Vocabulary | None = None,
                 lang: str | None = None, parent: QWidget | None = None,
                 writer: Writer | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.writer = writer or Writer(None, self)
        self.vocab = vocab or load_vocabulary(library.settings.custom_tags)
        self.lang = label_language(lang or library.settings.ui_language)
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
                 parent: QWidget | None = None, *, writer: Writer | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.writer = writer or Writer(runner, self)
        self.encoder_fn = encoder_fn
        layout = QVBoxLayout(self)
        self.cloud = TagCloudWidget(library)
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


def install(window: WindowHost) -> TagsPanel:
    """Join the tag widgets to a ``MainWindow`` through its extension points."""
    lib = window.library
    vocab = load_vocabulary(lib.settings.custom_tags)
    lang = label_language(lib.settings.ui_language)
    labels = {"lang": lang}            # the tag labels' language, as the interface's
    panel = TagsPanel(lib, window.runner, lambda: window.indexer.encoder,
                      writer=window.writer)
    window.add_view(panel, translate("TagsView", "Tags"))
    chips = QWidget()
    box = QVBoxLayout(chips)
    box.setContentsMargins(0, 0, 0, 0)
    filters = TagFilterBar(vocab, lang)
    photo_tags = PhotoTagsWidget(lib, vocab=vocab, lang=lang, writer=window.writer)
    box.addWidget(filters)
    box.addWidget(photo_tags)
    window.set_chips_widget(chips)

    def show_tag(tag: str) -> None:
        window.search_box.setText(query_term(vocab.label(tag, labels["lang"])))
        window.views.setCurrentIndex(0)
        window.run_query()

    def edited(text: str) -> None:
        window.search_box.setText(text)
        window.run_query()

    def current(index, _previous=None) -> None:
        hit = window.results.hit(index.row()) if index.isValid() else None
        photo_tags.set_photo(hit.photo_id if hit is not None else None)

    def after_reset() -> None:
        """A new query drops the row; a refresh keeps its photo, selected, while there."""
        shown = photo_tags.photo_id
        row = window.results.row_of(shown) if window.results.refreshing and shown else None
        if row is None:
            current(window.grid.currentIndex())
        else:
            window.grid.setCurrentIndex(window.results.index(row, 0))

    panel.cloud.tag_clicked.connect(show_tag)
    photo_tags.tag_clicked.connect(show_tag)
    photo_tags.tags_changed.connect(lambda _: panel.cloud.refresh())
    filters.query_edited.connect(edited)
    window.search_box.textChanged.connect(filters.set_query)
    window.grid.selectionModel().currentChanged.connect(current)
    window.results.modelReset.connect(after_reset)
    window.changed.connect(lambda c: panel.cloud.refresh() if c.tags else None)
    window.indexer.model_state.connect(
        lambda state, _msg: panel.model_ready() if state == "ready" else None)

    def language_changed() -> None:
        """Tag labels follow the interface's language (``label_language``)."""
        labels["lang"] = label_language(lib.settings.ui_language)
        for widget in (filters, photo_tags, panel.cloud):
            widget.lang = labels["lang"]
        filters.set_query(filters.text)
        photo_tags.refresh()
        panel.cloud.refresh()

    window.language_changed.connect(language_changed)
    panel.progress.connect(
        lambda p: window.statusBar().showMessage(describe(p), 5000))
    return panel
