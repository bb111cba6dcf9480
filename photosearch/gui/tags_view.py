"""Tags in the app: a photo's tags and the query's tag chips; the Tags tab (the
library's tag list, the user's own words, re-tagging) is ``tags_panel``'s.

Standalone widgets over a ``Library`` (each testable alone); ``install(window)`` joins
them to the main window through its extension points. Clicking a tag anywhere puts
``tag:…`` into the search box, so "photos with this tag" is an ordinary query and the
chips above the results are just the ``tag:`` terms of that query.

Reads of tags are SQLite calls of a millisecond or two and run on the UI thread; writes
(a tag added or removed by hand, re-tagging the library) go through the window's
``Writer``, the one thread that writes the catalog (inline when a widget stands alone).
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
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
from photosearch.gui.tags_panel import TagsPanel
from photosearch.gui.writer import Writer

translate = QCoreApplication.translate   # lupdate finds translate("Context", …)


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


def install(window: WindowHost) -> TagsPanel:
    """Join the tag widgets to a ``MainWindow`` through its extension points."""
    lib = window.library
    vocab = load_vocabulary(lib.settings.custom_tags)
    lang = label_language(lib.settings.ui_language)
    labels = {"lang": lang}            # the tag labels' language, as the interface's
    panel = TagsPanel(lib, window.runner, lambda: window.indexer.encoder,
                      writer=window.writer, vocab=vocab, lazy=True)
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
