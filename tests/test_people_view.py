"""The People view with pytest-qt (offscreen): cards, naming, merging, hiding, and a
photo's faces in its context menu."""

from __future__ import annotations

import pytest
from face_helpers import faces_dataset, faces_library, person_of

from photosearch.core.faces import store
from photosearch.gui.people_view import PeopleView, person_term

pytest.importorskip("dlib")
WAIT = 120000   # a ceiling for a loaded machine; the waits end as soon as things hold


@pytest.fixture
def lib(tmp_path_factory, tmp_path, encoder):
    library = faces_library(tmp_path_factory, tmp_path, encoder)
    yield library
    library.close()


def test_cards_name_merge_hide(qtbot, lib):
    view = PeopleView(lib)
    qtbot.addWidget(view)
    persons = view.persons()
    assert [p.count for p in persons] == sorted((p.count for p in persons), reverse=True)
    assert persons[0].id == person_of(lib, "obama") and len(persons) == 7
    assert view.list.item(0).text().splitlines()[1] == "10 photos"
    obama = persons[0]
    view.rename(obama, "Обама")
    assert view.persons()[0].name == "Обама"
    biden = next(p for p in view.persons() if p.id == person_of(lib, "biden"))
    asked: list[str] = []
    view.rename(biden, "обама", ask=lambda name: asked.append(name) or False)
    assert asked == ["обама"] and store.person(lib.catalog, biden.id).name is None
    kit = next(p for p in view.persons() if p.id == person_of(lib, "kit_harington"))
    rose = next(p for p in view.persons() if p.id == person_of(lib, "rose_leslie"))
    view.merge([kit, rose])
    assert rose.id not in [p.id for p in view.persons()]
    view.set_hidden([kit], True)
    assert kit.id not in [p.id for p in view.persons()]
    view.show_hidden.setChecked(True)
    assert kit.id in [p.id for p in view.persons()]
    with qtbot.waitSignal(view.show_person, timeout=WAIT) as sig:
        view.show_photos(view.persons()[0])
    assert sig.args == ["person:Обама"]


def test_installed_photo_menu_shows_and_corrects(qtbot, lib, encoder):
    from gui_helpers import grid_paths, shown_window

    from photosearch.gui.people_view import install

    window, view = shown_window(qtbot, lib, encoder, install, WAIT)
    try:
        assert window.views.tabText(window.views.indexOf(view)) == "People"
        qtbot.waitUntil(lambda: len(view._crops) == 7, timeout=WAIT)   # face crops load
        biden = person_of(lib, "biden")
        with qtbot.waitSignal(window.results_shown, timeout=WAIT):
            window.search_box.setText(f"person:{biden}")
            window.run_query()
        qtbot.waitUntil(lambda: len(grid_paths(window)) == 4, timeout=WAIT)
        row = next(i for i, p in enumerate(grid_paths(window)) if p.endswith("two_people.jpg"))
        menu = window.grid.context_menu(row)
        subs = [a.menu() for a in menu.actions() if a.menu() is not None]
        assert len(subs) == 2
        target = next(s for s in subs if s.title() == f"Unnamed person {biden}")
        show, move = target.actions()
        assert show.text() == "Photos of this person"
        with qtbot.waitSignal(window.results_shown, timeout=WAIT):
            show.trigger()
        assert window.search_box.text() == person_term(store.person(lib.catalog, biden))
        move.trigger()       # through the writer: the face leaves Biden
        two = str(faces_dataset() / "groups" / "two_people.jpg")
        qtbot.waitUntil(lambda: two not in [f.path for f in store.faces_of(lib.catalog, biden)],
                        timeout=WAIT)
    finally:
        window.shutdown()


def test_preferences_switch_turns_people_off(qtbot, lib, encoder):
    from photosearch.gui.main_window import MainWindow
    from photosearch.gui.preferences import PreferencesDialog

    window = MainWindow(lib, encoder_factory=lambda progress: encoder, watch=False)
    qtbot.addWidget(window)
    try:
        dialog = PreferencesDialog(window, window)
        assert dialog.people.isChecked()
        dialog.people.setChecked(False)
        assert dialog.apply() == {"people": False}
        qtbot.waitUntil(lambda: store.face_count(lib.catalog) == 0, timeout=WAIT)
        assert not lib.settings.people
    finally:
        window.shutdown()
