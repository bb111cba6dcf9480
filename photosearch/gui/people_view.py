"""The People view: one card per person (a face and the number of photos), largest first.

Select a card to rename, hide or show a person's photos; select two or more to merge
them into the first. A face grouped wrongly is moved out from the photo's context menu in
the Photos tab ("Not NAME"), which also offers "Photos of this person" for each face in
the photo. Reads (the list, a few ms) run on the UI thread; face crops decode on the
``thumbnails`` lane; every write goes through the window's ``Writer``. The logic is
``core.faces``: this module shows it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from photosearch.core.faces import store
from photosearch.core.library import Library
from photosearch.gui.host import WindowHost
from photosearch.gui.writer import Writer

translate = QCoreApplication.translate   # lupdate finds translate("Context", …)

PERSON_ROLE = Qt.ItemDataRole.UserRole
CARD = 112          # face crop size, px


def person_term(person: store.Person) -> str:
    """The query term for a person: ``person:Name`` (quoted with spaces) or
    ``person:12`` for an unnamed one."""
    if not person.name:
        return f"person:{person.id}"
    return f'person:"{person.name}"' if " " in person.name else f"person:{person.name}"


def _pixmap(image) -> QPixmap:
    rgb = image.convert("RGB")
    data = rgb.tobytes()
    qimage = QImage(data, rgb.width, rgb.height, 3 * rgb.width, QImage.Format.Format_RGB888)
    return QPixmap.fromImage(qimage.copy())


class PeopleView(QWidget):
    """The "People" tab."""

    show_person = Signal(str)        # a query term (``person_term``)

    def __init__(self, library: Library, runner=None, parent: QWidget | None = None, *,
                 writer: Writer | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.writer = writer or Writer(runner, self)
        self._crops: dict[int, QPixmap] = {}
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.rename_button = QPushButton(translate("PeopleView", "Name…"))
        self.merge_button = QPushButton(translate("PeopleView", "Merge"))
        self.merge_button.setToolTip(translate(
            "PeopleView", "Merge the selected persons into the first one selected"))
        self.hide_button = QPushButton(translate("PeopleView", "Hide"))
        self.photos_button = QPushButton(translate("PeopleView", "Show photos"))
        self.show_hidden = QCheckBox(translate("PeopleView", "Show hidden"))
        for w in (self.rename_button, self.merge_button, self.hide_button, self.photos_button):
            row.addWidget(w)
        row.addStretch(1)
        row.addWidget(self.show_hidden)
        layout.addLayout(row)
        self.status = QLabel()
        layout.addWidget(self.status)
        self.list = QListWidget()
        self.list.setObjectName("peopleCards")
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(CARD, CARD))
        self.list.setGridSize(QSize(CARD + 36, CARD + 48))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setMovement(QListWidget.Movement.Static)
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._menu)
        self.list.itemActivated.connect(lambda it: self.show_photos(it.data(PERSON_ROLE)))
        self.list.itemSelectionChanged.connect(self._enable)
        layout.addWidget(self.list, 1)
        self.rename_button.clicked.connect(self._ask_name)
        self.merge_button.clicked.connect(lambda: self.merge(self.selected()))
        self.hide_button.clicked.connect(self._toggle_hidden)
        self.photos_button.clicked.connect(
            lambda: self.selected() and self.show_photos(self.selected()[0]))
        self.show_hidden.toggled.connect(lambda _: self.refresh())
        self.refresh()

    # -- reading ------------------------------------------------------------------------------
    def persons(self) -> list[store.Person]:
        return [self.list.item(i).data(PERSON_ROLE) for i in range(self.list.count())]

    def selected(self) -> list[store.Person]:
        """Selected persons, in the order they were selected (the first is kept)."""
        return [it.data(PERSON_ROLE) for it in self.list.selectedItems()]

    def refresh(self) -> None:
        chosen = {p.id for p in self.selected()}
        self.list.clear()
        if not self.library.settings.people:
            self.status.setText(translate("PeopleView",
                                          "People is off (Preferences turns it on)."))
            self._enable()
            return
        persons = store.persons(self.library.catalog, hidden=self.show_hidden.isChecked())
        for person in persons:
            item = QListWidgetItem(self._label(person))
            item.setData(PERSON_ROLE, person)
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            if person.id in self._crops:
                item.setIcon(QIcon(self._crops[person.id]))
            self.list.addItem(item)
            item.setSelected(person.id in chosen)
        waiting = store.pending_count(self.library.catalog)
        if not persons:
            text = translate("PeopleView", "No faces found yet.")
        else:
            text = translate("PeopleView", "%Ln persons", None, len(persons))
        if waiting:
            text += " " + translate("PeopleView", "%Ln photos not yet looked at for faces.",
                                    None, waiting)
        self.status.setText(text)
        self._enable()
        self._load_crops([p for p in persons if p.id not in self._crops])

    @staticmethod
    def _label(person: store.Person) -> str:
        name = person.name or translate("PeopleView", "Unnamed")
        count = translate("PeopleView", "%Ln photos", None, person.count)
        hidden = " " + translate("PeopleView", "(hidden)") if person.hidden else ""
        return f"{name}{hidden}\n{count}"

    def _load_crops(self, persons: list[store.Person]) -> None:
        if not persons or self.runner is None:
            return
        from photosearch.core.errors import UnreadableImage
        from photosearch.core.faces.crops import face_crop

        library = self.library

        def load(task) -> dict[int, object]:
            crops = {}
            for person in persons:
                face = next(iter(store.faces_of(library.catalog, person.id, 1)), None)
                if face is None or task.cancel.is_set():
                    continue
                try:
                    crops[person.id] = face_crop(face.path, face.box, face.photo_size, CARD)
                except (UnreadableImage, OSError, ValueError):
                    continue
            return crops

        self.runner.run(load, lane="thumbnails", on_done=self._crops_arrived, owner=self)

    def _crops_arrived(self, crops: dict[int, object]) -> None:
        for pid, image in crops.items():
            self._crops[pid] = _pixmap(image)
        for i in range(self.list.count()):
            item = self.list.item(i)
            pixmap = self._crops.get(item.data(PERSON_ROLE).id)
            if pixmap is not None:
                item.setIcon(QIcon(pixmap))

    def _enable(self) -> None:
        n = len(self.selected())
        self.rename_button.setEnabled(n == 1)
        self.merge_button.setEnabled(n >= 2)
        self.hide_button.setEnabled(n >= 1)
        self.photos_button.setEnabled(n == 1)
        if n >= 1 and all(p.hidden for p in self.selected()):
            self.hide_button.setText(translate("PeopleView", "Show"))
        else:
            self.hide_button.setText(translate("PeopleView", "Hide"))

    # -- the user's corrections ---------------------------------------------------------------
    def _menu(self, pos) -> None:
        item = self.list.itemAt(pos)
        if item is None:
            return
        if not item.isSelected():
            self.list.clearSelection()
            item.setSelected(True)
        menu = QMenu(self)
        menu.addAction(translate("PeopleView", "Photos of this person"),
                       lambda: self.show_photos(item.data(PERSON_ROLE)))
        menu.addAction(translate("PeopleView", "Name…"), self._ask_name)
        if len(self.selected()) >= 2:
            menu.addAction(translate("PeopleView", "Merge"), lambda: self.merge(self.selected()))
        menu.addAction(self.hide_button.text(), self._toggle_hidden)
        menu.exec(self.list.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def show_photos(self, person: store.Person) -> None:
        self.show_person.emit(person_term(person))

    def _ask_name(self) -> None:
        chosen = self.selected()
        if len(chosen) != 1:
            return
        name, ok = QInputDialog.getText(self, translate("PeopleView", "Name"),
                                        translate("PeopleView", "Who is this?"),
                                        text=chosen[0].name or "")
        if ok:
            self.rename(chosen[0], name, ask=self._ask_merge)

    def _ask_merge(self, name: str) -> bool:
        answer = QMessageBox.question(self, translate("PeopleView", "Name"), translate(
            "PeopleView", "Someone is already called {name}. Merge the two?").format(name=name))
        return answer == QMessageBox.StandardButton.Yes

    def rename(self, person: store.Person, name: str,
               ask: Callable[[str], bool] = lambda _: False) -> None:
        """Name ``person``; when another person has that name, merge the two if ``ask``
        says so (the user's explicit word), else change nothing."""
        catalog = self.library.catalog
        others = [pid for pid in store.find_persons(catalog, name) if pid != person.id] \
            if name.strip() else []
        if others:
            if ask(name.strip()):
                self._write(lambda: store.merge(catalog, others[0], person.id))
            return
        self._write(lambda: store.name_person(catalog, person.id, name))

    def merge(self, persons: list[store.Person]) -> None:
        if len(persons) < 2:
            return
        catalog, into = self.library.catalog, persons[0].id
        others = [p.id for p in persons[1:]]

        def work() -> None:
            for other in others:
                store.merge(catalog, into, other)
        self._write(work)

    def set_hidden(self, persons: list[store.Person], hidden: bool) -> None:
        catalog, ids = self.library.catalog, [p.id for p in persons]

        def work() -> None:
            for pid in ids:
                store.hide(catalog, pid, hidden)
        self._write(work)

    def _toggle_hidden(self) -> None:
        chosen = self.selected()
        if chosen:
            self.set_hidden(chosen, not all(p.hidden for p in chosen))

    def move_face_out(self, face_id: int) -> None:
        catalog = self.library.catalog
        self._write(lambda: store.move_face(catalog, face_id))

    def _write(self, fn: Callable[[], object]) -> None:
        self.writer.submit(fn, on_done=lambda _: self.refresh(),
                           on_error=lambda e: self.status.setText(str(e)))


def photo_menu(view: PeopleView, show: Callable[[str], None]):
    """A photo's context-menu hook: per face in the photo, "Photos of NAME" and "Not NAME"
    (the face leaves that person, grouping never puts it back)."""
    def hook(menu: QMenu, hit) -> None:
        library = view.library
        if not library.settings.people:
            return
        faces = [f for f in store.faces_in_photo(library.catalog, hit.photo_id)
                 if f.person_id is not None]
        if not faces:
            return
        menu.addSeparator()
        for face in faces:
            person = store.person(library.catalog, face.person_id)
            if person is None:
                continue
            name = person.name or translate("PeopleView", "Unnamed person {n}").format(
                n=person.id)
            sub = menu.addMenu(name)
            sub.addAction(translate("PeopleView", "Photos of this person"),
                          lambda p=person: show(person_term(p)))
            sub.addAction(translate("PeopleView", "Not this person (move the face out)"),
                          lambda f=face.id: view.move_face_out(f))
    return hook


def install(window: WindowHost) -> PeopleView:
    """A "People" tab, and the faces of a photo in its context menu."""
    view = PeopleView(window.library, window.runner, writer=window.writer)
    index = window.add_view(view, translate("PeopleView", "People"))

    def show(term: str) -> None:
        window.search_box.setText(term)
        window.views.setCurrentIndex(0)
        window.run_query()

    view.show_person.connect(show)
    window.grid.menu_hooks.append(photo_menu(view, show))
    window.views.currentChanged.connect(lambda i: view.refresh() if i == index else None)
    window.changed.connect(lambda c: view.refresh() if c.photos else None)
    window.language_changed.connect(view.refresh)   # card texts are made from templates
    return view
