"""Teaching the app: "more like this / less like this" on results, and "Teach a tag…".

- Relevance feedback: a result's context menu (and the keys ``+`` and ``-`` on the grid)
  marks it good or bad; the query runs again moved towards the good ones and away from
  the bad ones (``SearchController.mark``).
- "Teach a tag…" (the context menu of 3–20 selected photos): name the tag; it is learned
  from them (``core.teaching.teach``), and ``ReviewDialog`` shows the library's photos
  nearest the tag's threshold one at a time: ``Y`` accepts, ``N`` rejects, each answer
  teaches the tag again at once.
- Learned tags ▸ NAME: review it again, retrain it, delete it.

Every write (teaching, each answer) goes through the window's ``Writer``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from photosearch.core.changes import Changes
from photosearch.core.library import Library
from photosearch.core.search import Hit
from photosearch.core.teaching.store import learned_tags
from photosearch.core.teaching.teach import (
    TeachReport,
    forget,
    relearn,
    review_candidates,
    teach,
)
from photosearch.gui.host import WindowHost
from photosearch.gui.writer import Writer

translate = QCoreApplication.translate

MIN_EXAMPLES = 3
MAX_EXAMPLES = 20
PREVIEW = 320


class ReviewDialog(QDialog):
    """One photo at a time: is it the tag? Each answer is taught before the next photo."""

    answered = Signal(int, bool)            # photo id, accepted

    def __init__(self, library: Library, writer: Writer, model_key: str, tag: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.writer = writer
        self.model_key = model_key
        self.tag = tag
        self.current: int | None = None
        self.answers: dict[int, bool] = {}
        self.setWindowTitle(self.tr("Teach “{tag}”").format(tag=tag))
        layout = QVBoxLayout(self)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.image = QLabel()
        self.image.setMinimumSize(PREVIEW, PREVIEW)
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.question = QLabel(self.tr("Is this “{tag}”?").format(tag=tag))
        row = QHBoxLayout()
        self.yes = QPushButton(self.tr("Yes (Y)"))
        self.no = QPushButton(self.tr("No (N)"))
        self.finish_button = QPushButton(self.tr("Done"))
        self.yes.clicked.connect(lambda: self.answer(True))
        self.no.clicked.connect(lambda: self.answer(False))
        self.finish_button.clicked.connect(self.accept)
        for button in (self.yes, self.no, self.finish_button):
            row.addWidget(button)
        for widget in (self.status, self.image, self.question):
            layout.addWidget(widget)
        layout.addLayout(row)
        QShortcut(QKeySequence("Y"), self, activated=lambda: self.answer(True))
        QShortcut(QKeySequence("N"), self, activated=lambda: self.answer(False))

    def show_report(self, report: TeachReport) -> None:
        self.status.setText(translate("TeachView", "%Ln photos carry “{tag}”.", "",
                                      report.photos).format(tag=self.tag))

    def next_photo(self, ids: list[int] | None = None) -> None:
        """Ask about the unjudged photo nearest the tag's threshold (or say it is done);
        ``ids``: the candidates, when the writer has just found them."""
        if ids is None:
            ids = review_candidates(self.library, self.model_key, self.tag, 1)
        self.current = ids[0] if ids else None
        self.yes.setEnabled(self.current is not None)
        self.no.setEnabled(self.current is not None)
        if self.current is None:
            self.image.clear()
            self.question.setText(self.tr("Nothing left to review."))
            return
        photo = self.library.catalog.photo(self.current)
        pixmap = QPixmap(str(self.library.thumbnails.ensure(photo.path, photo.content_hash)))
        self.image.setPixmap(pixmap.scaled(PREVIEW, PREVIEW, Qt.AspectRatioMode.KeepAspectRatio,
                                           Qt.TransformationMode.SmoothTransformation))

    def answer(self, accepted: bool) -> None:
        """Teach the answer about the photo shown, then show the next one."""
        photo = self.current
        if photo is None:
            return
        self.current = None
        self.answers[photo] = accepted
        library, key, tag = self.library, self.model_key, self.tag
        pos, neg = ([photo], []) if accepted else ([], [photo])

        def work() -> tuple[TeachReport, list[int]]:
            """Learn the answer and find the next photo, both off the UI thread: each
            reads every stored vector of the model."""
            report = teach(library, key, tag, pos, neg)
            return report, review_candidates(library, key, tag, 1)

        def done(result: tuple[TeachReport, list[int]]) -> None:
            report, ids = result
            self.show_report(report)
            self.answered.emit(photo, accepted)
            self.next_photo(ids)

        self.writer.submit(work, on_done=done)


def start_teaching(window: WindowHost, hits: list[Hit],
                   ask_name: Callable[[], str | None] | None = None) -> ReviewDialog | None:
    """Name a tag for the selected photos, teach it, and open its review."""
    encoder = window.indexer.encoder
    if encoder is None:
        window.statusBar().showMessage(translate(
            "TeachView", "Teaching needs the model; it is not available yet."), 5000)
        return None
    if ask_name is None:
        def ask_name() -> str | None:
            text, ok = QInputDialog.getText(
                window, translate("TeachView", "Teach a tag"),
                translate("TeachView", "What are these %Ln photos?", "", len(hits)))
            return text if ok else None
    name = (ask_name() or "").strip()
    if not name:
        return None
    dialog = ReviewDialog(window.library, window.writer, encoder.key, name, window)
    ids = [h.photo_id for h in hits]

    def taught(report: TeachReport) -> None:
        dialog.tag = report.tag
        dialog.show_report(report)
        dialog.next_photo()
        window.notify(Changes(tags=True))

    dialog.answered.connect(lambda *_: window.notify(Changes(tags=True)))
    window.writer.submit(lambda: teach(window.library, encoder.key, name, ids),
                         on_done=taught,
                         on_error=lambda e: window.statusBar().showMessage(str(e), 8000))
    dialog.show()
    return dialog


def open_review(window: WindowHost, tag: str) -> ReviewDialog | None:
    """The review of a learned tag, on its own (Learned tags ▸ NAME ▸ Review…)."""
    encoder = window.indexer.encoder
    if encoder is None:
        return None
    dialog = ReviewDialog(window.library, window.writer, encoder.key, tag, window)
    dialog.answered.connect(lambda *_: window.notify(Changes(tags=True)))
    dialog.next_photo()
    dialog.show()
    return dialog


def learned_tags_menu(window: WindowHost,
                      confirm: Callable[[str], bool] | None = None) -> QMenu:
    """Learned tags ▸ NAME ▸ Review… / Retrain / Delete (the list is read when opened)."""
    menu = QMenu(translate("TeachView", "Learned tags"), window)

    def ask(tag: str) -> bool:
        answer = QMessageBox.question(window, translate("TeachView", "Delete a learned tag"),
                                      translate("TeachView", "Forget “{tag}”, its examples "
                                                "and its photos' tags?").format(tag=tag))
        return answer == QMessageBox.StandardButton.Yes

    confirm = confirm or ask

    def retrain(tag: str) -> None:
        encoder = window.indexer.encoder
        if encoder is not None:
            window.writer.submit(lambda: relearn(window.library, encoder.key, tag),
                                 on_done=lambda _: window.notify(Changes(tags=True)),
                                 on_error=lambda e: window.statusBar().showMessage(str(e),
                                                                                   8000))

    def delete(tag: str) -> None:
        if confirm(tag):
            window.writer.submit(lambda: forget(window.library, tag),
                                 on_done=lambda _: window.notify(Changes(tags=True)))

    def fill() -> None:
        menu.clear()
        tags = learned_tags(window.library.catalog)
        if not tags:
            menu.addAction(translate("TeachView", "None yet: select photos ▸ Teach a tag…")
                           ).setEnabled(False)
        for t in tags:
            sub = menu.addMenu(t.tag)
            sub.addAction(translate("TeachView", "Review…"),
                          lambda tag=t.tag: open_review(window, tag))
            sub.addAction(translate("TeachView", "Retrain"), lambda tag=t.tag: retrain(tag))
            sub.addAction(translate("TeachView", "Delete…"), lambda tag=t.tag: delete(tag))

    menu.aboutToShow.connect(fill)
    fill()
    return menu


def install(window: WindowHost) -> QMenu:
    """The feedback and teaching actions of the results grid, and the learned tags'
    menu."""
    grid = window.grid

    def selected_hits() -> list[Hit]:
        rows = sorted({i.row() for i in grid.selectionModel().selectedIndexes()})
        return [h for h in (window.results.hit(r) for r in rows) if h is not None]

    def mark(good: bool, hit: Hit | None = None) -> None:
        hits = [hit] if hit is not None else selected_hits()
        for h in hits:
            window.search.mark(h.photo_id, good)

    def menu_hook(menu: QMenu, hit: Hit) -> None:
        if window.search.query is not None and window.search.query.kind != "photos":
            menu.addSeparator()
            good = menu.addAction(translate("TeachView", "More like this"))
            good.setShortcut(QKeySequence("+"))
            good.triggered.connect(lambda: mark(True, hit))
            bad = menu.addAction(translate("TeachView", "Less like this"))
            bad.setShortcut(QKeySequence("-"))
            bad.triggered.connect(lambda: mark(False, hit))
        hits = selected_hits()
        if MIN_EXAMPLES <= len(hits) <= MAX_EXAMPLES:
            menu.addSeparator()
            teach_action = menu.addAction(translate("TeachView", "Teach a tag…"))
            teach_action.triggered.connect(lambda: start_teaching(window, hits))

    grid.menu_hooks.append(menu_hook)
    for key, good in (("+", True), ("=", True), ("-", False)):
        QShortcut(QKeySequence(key), grid, context=Qt.ShortcutContext.WidgetShortcut,
                  activated=lambda good=good: mark(good))
    menu = learned_tags_menu(window)
    bar = window.menuBar()
    last = bar.actions()[-1] if bar.actions() else None   # Help stays the last menu
    if last is not None:
        bar.insertMenu(last, menu)
    else:
        bar.addMenu(menu)
    return menu
