"""The "Themes" tab: the library grouped into themes, each with a photo, a name, a count.

The themes come from ``core.teaching.themes`` (k-means over the stored vectors, kept
current by the indexing hook); this view lists them, and clustering afresh (the first
time, or when asked) runs on the writer lane. Activating a theme shows its photos in the
results grid (``SearchController.show_photos``); "Make a tag…" teaches a tag from it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from photosearch.core.library import Library
from photosearch.core.tagging.vocab import label_language, load_vocabulary
from photosearch.core.teaching.themes import Theme, build, due, list_themes, theme_to_tag
from photosearch.gui.host import WindowHost
from photosearch.gui.writer import Writer

translate = QCoreApplication.translate
THEME_ROLE = Qt.ItemDataRole.UserRole
ICON = 128


class ThemesPanel(QWidget):
    """The themes of the library's current model, biggest first."""

    def __init__(self, library: Library, writer: Writer, model_key, *,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.writer = writer
        self.model_key = model_key          # () -> the model's key, or None while loading
        self.lang = label_language(library.settings.ui_language)
        self.themes: list[Theme] = []
        layout = QVBoxLayout(self)
        self.list = QListWidget()
        self.list.setObjectName("themes")
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(ICON, ICON))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setWordWrap(True)
        self.list.setGridSize(QSize(ICON + 40, ICON + 56))
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.status = QLabel()
        self.rebuild_button = QPushButton(translate("ThemesView", "Group again"))
        self.rebuild_button.clicked.connect(lambda: self.rebuild(force=True))
        self.tag_button = QPushButton(translate("ThemesView", "Make a tag…"))
        self.tag_button.clicked.connect(lambda: self.make_tag())
        row.addWidget(self.status, 1)
        row.addWidget(self.tag_button)
        row.addWidget(self.rebuild_button)
        layout.addLayout(row)

    def theme_of(self, item: QListWidgetItem | None) -> Theme | None:
        if item is None:
            return None
        return next((t for t in self.themes if t.id == item.data(THEME_ROLE)), None)

    def current_theme(self) -> Theme | None:
        return self.theme_of(self.list.currentItem())

    def refresh(self) -> None:
        """Read the themes (clustering first, on the writer lane, when they are due)."""
        key = self.model_key()
        if key is None:
            self.status.setText(translate("ThemesView", "Themes appear once the model has "
                                                        "loaded."))
            return
        if due(self.library.catalog, key):
            self.rebuild()
            return
        vocab = load_vocabulary(self.library.settings.custom_tags)
        self.themes = list_themes(self.library, key, vocab, self.lang)
        self.list.clear()
        photos = self.library.catalog.photos_by_ids(
            [t.representative for t in self.themes if t.representative is not None])
        for theme in self.themes:
            item = QListWidgetItem(translate("ThemesView", "{label} (%Ln)", "", theme.count)
                                   .format(label=theme.label))
            item.setData(THEME_ROLE, theme.id)
            photo = photos.get(theme.representative or -1)
            if photo is not None and photo.content_hash:
                thumb = self.library.thumbnails.path_for(photo.content_hash)
                if thumb.is_file():
                    item.setIcon(QIcon(QPixmap(str(thumb))))
            self.list.addItem(item)
        self.status.setText(translate("ThemesView", "%Ln themes", "", len(self.themes)))

    def rebuild(self, force: bool = False) -> None:
        key = self.model_key()
        if key is None:
            return
        self.status.setText(translate("ThemesView", "Grouping the library…"))
        library = self.library

        def work(task) -> int:
            if force or due(library.catalog, key):
                return build(library, key, progress=task.report, cancel=task.cancel)
            return 0

        self.writer.run(work, on_done=lambda _: self._built())

    def _built(self) -> None:
        key = self.model_key()
        if key is not None and not due(self.library.catalog, key):
            self.refresh()

    def make_tag(self, name: str | None = None) -> None:
        """Teach a tag from the chosen theme's photos nearest its centre."""
        theme, key = self.current_theme(), self.model_key()
        if theme is None or key is None:
            return
        if name is None:
            name, ok = QInputDialog.getText(self, translate("ThemesView", "Make a tag"),
                                            translate("ThemesView", "Tag name:"),
                                            text=theme.label.split(",")[0])
            if not ok:
                return
        if not name.strip():
            return
        library = self.library

        def done(report) -> None:
            self.status.setText(translate("TeachView", "%Ln photos carry “{tag}”.", "",
                                          report.photos).format(tag=report.tag))

        self.writer.submit(lambda: theme_to_tag(library, key, theme, name), on_done=done,
                           on_error=lambda e: self.status.setText(str(e)))


def install(window: WindowHost) -> ThemesPanel:
    """The Themes tab; a theme activated shows its photos in the results grid."""
    def model_key():
        encoder = window.indexer.encoder
        return encoder.key if encoder is not None else None

    panel = ThemesPanel(window.library, window.writer, model_key)
    index = window.add_view(panel, translate("ThemesView", "Themes"))

    def show(item: QListWidgetItem) -> None:
        theme = panel.theme_of(item)
        if theme is not None:
            window.search_box.clear()
            window.views.setCurrentIndex(0)
            window.search.show_photos(theme.photos, theme.label)

    panel.list.itemActivated.connect(show)
    panel.list.itemClicked.connect(show)
    window.views.currentChanged.connect(lambda i: panel.refresh() if i == index else None)
    window.changed.connect(lambda c: panel.refresh()
                           if c.tags and window.views.currentIndex() == index else None)
    window.indexer.model_state.connect(
        lambda state, _msg: panel.refresh() if state == "ready" else None)

    def language_changed() -> None:
        """Theme names are tag labels: they follow the interface's language."""
        panel.lang = label_language(window.library.settings.ui_language)
        panel.refresh()

    window.language_changed.connect(language_changed)
    return panel


