"""The Duplicates view, driven through its real widgets (offscreen)."""

from __future__ import annotations

import os

from PIL import Image
from test_duplicates import scene  # noqa: F401  (fixture)
from test_duplicates_nesting import near_scene  # noqa: F401  (fixture)

from photosearch.core import duplicates as dup
from photosearch.gui.duplicates_view import SLIDER_VALUES, DuplicatesView

WAIT = 120000   # a ceiling for a loaded machine; the waits end as soon as things hold


def test_view_shows_groups_changes_keep_and_trashes_after_confirming(qtbot, scene,  # noqa: F811
                                                                     encoder):
    library, _, copies = scene
    view = DuplicatesView(library, encoder.key)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.groups_shown, timeout=WAIT):
        view.refresh()
    assert len(view.cards) == 3
    card = view.cards[0]
    assert card.title.text().startswith("Same picture")
    assert len(card.radios) == 7
    # the count for every slider position is ready, and moving the slider shows it
    qtbot.waitUntil(lambda: len(view.counts) == len(SLIDER_VALUES), timeout=WAIT)
    start = view.slider.value()
    view.slider.setValue(0)
    assert "groups" in view.count_label.text()
    view.slider.setValue(start)     # back before it settles: no regroup under this test
    # change the keep choice by clicking a radio button: stored in the catalog
    other = card.group.others[0]
    card.radios[other.id].click()
    stored = {g.id: g for g in dup.stored_groups(library)}[card.group.id]
    assert stored.keep_id == other.id and stored.keep_chosen
    # declining the confirmation moves nothing
    asked: list[list[str]] = []
    view.confirm = lambda parent, paths: asked.append(paths) or False
    view.trash_button.click()
    assert all(os.path.exists(p.path) for g in view.groups for p in g.photos)
    # confirming moves exactly the listed files, and the chosen keep stays; a group whose
    # kept file was edited after grouping is left alone, and the note says why
    plan = sorted(p.path for g in view.groups for p in g.others)
    edited = view.groups[-1]
    Image.new("RGB", (40, 30), (0, 0, 255)).save(edited.keep.path, "PNG")
    view.confirm = lambda parent, paths: asked.append(paths) or True
    with qtbot.waitSignal(view.trashed, timeout=WAIT) as moved:
        view.trash_button.click()
    assert sorted(asked[0]) == plan == sorted(asked[1])
    assert sorted(moved.args[0].moved) == sorted(set(plan) - {p.path for p in edited.others})
    assert [s.keep for s in moved.args[0].skipped] == [edited.keep.path]
    assert all(os.path.exists(p.path) for p in edited.photos)
    assert os.path.exists(other.path)
    assert "restore" in view.trash_note.text()
    # "1 group left alone" once the English plural forms are installed (test_i18n)
    assert "left alone" in view.trash_note.text() and "changed" in (
        view.trash_note.text())
    qtbot.waitUntil(lambda: len(view.cards) == 1, timeout=WAIT)


def test_main_window_hides_duplicates_with_a_badge(qtbot, scene, encoder):  # noqa: F811
    from photosearch.core.search import Hit
    from photosearch.gui.duplicates_view import install
    from photosearch.gui.main_window import MainWindow

    library, _, _ = scene
    dup.refresh_groups(library, encoder.key)
    window = MainWindow(library, watch=False)
    qtbot.addWidget(window)
    view = install(window)
    assert window.views.count() == 2 and view.toggle.isChecked()
    group = dup.stored_groups(library)[0]
    allow = window.search.allow()
    qtbot.waitUntil(lambda: not allow(group.others[0].id), timeout=WAIT)
    assert allow(group.keep_id)
    badge = window.results._badge(Hit(group.keep_id, group.keep.path, 1.0))
    assert badge == f"×{len(group.photos)}"
    # the window's filter and badges are the core's collapse, the one the CLI uses
    collapsed = dup.Collapsed.load(library)
    for photo in library.catalog.photos():
        hit = Hit(photo.id, photo.path, 1.0)
        assert allow(photo.id) == collapsed.allow(photo.id)
        assert window.results._badge(hit) == collapsed.badge(photo.id, expanded=False)
    view.toggle.click()                       # off: every copy shows again, no badge
    assert allow(group.others[0].id) and not library.settings.hide_duplicates
    window.shutdown()


def test_badge_and_menu_expand_a_group_in_the_grid(qtbot, scene, encoder):  # noqa: F811
    from gui_helpers import grid_paths, shown_window
    from PySide6.QtCore import Qt

    from photosearch.gui.duplicates_view import install
    from photosearch.gui.results_grid import BadgeRole

    library, originals, _ = scene
    dup.refresh_groups(library, encoder.key)
    window, view = shown_window(qtbot, library, encoder, install, WAIT)
    try:
        group = next(g for g in dup.stored_groups(library)
                     if str(originals[0]) in {p.path for p in g.photos})
        others = [p.path for p in group.others]
        qtbot.waitUntil(lambda: not window.search.allow()(group.others[0].id), timeout=WAIT)
        window.search_box.setText("a red circle")
        with qtbot.waitSignal(window.results_shown, timeout=WAIT,
                              check_params_cb=lambda hits: bool(hits)):
            window.run_query()
        grid = window.grid

        def row() -> int:
            return grid_paths(window).index(group.keep.path)

        def badge(r: int) -> str | None:
            return window.results.index(r).data(BadgeRole)

        def expanded() -> bool:
            paths = grid_paths(window)
            return paths[row() + 1:row() + len(group.photos)] == others

        assert not set(others) & set(grid_paths(window))
        assert badge(row()) == f"×{len(group.photos)}"

        def click_badge(r: int, double: bool = False) -> None:
            grid.scrollTo(window.results.index(r))
            rect = grid.badge_rect(r)
            assert rect is not None
            left, at = Qt.MouseButton.LeftButton, rect.center()
            qtbot.mouseClick(grid.viewport(), left, pos=at)
            if double:   # what Qt delivers for a real double click (mouseDClick alone
                qtbot.mousePress(grid.viewport(), left, pos=at)   # sends only the middle)
                qtbot.mouseDClick(grid.viewport(), left, pos=at)
                qtbot.mouseRelease(grid.viewport(), left, pos=at)

        # a click on the badge shows the copies right after the kept photo, numbered
        click_badge(row())
        assert expanded()
        assert [badge(row() + i) for i in range(len(group.photos))] == [
            f"{i + 1}/{len(group.photos)}" for i in range(len(group.photos))]
        # the expansion survives the refreshes that indexing brings
        with qtbot.waitSignal(window.results_shown, timeout=WAIT):
            window.refresh_results()
        assert expanded()
        # a click on a copy's badge folds the group again
        click_badge(row() + 2)
        assert not set(others) & set(grid_paths(window))
        assert badge(row()) == f"×{len(group.photos)}"

        # the same from the photo's context menu
        def menu_action(r: int, text: str):
            actions = {a.text(): a for a in grid.context_menu(r).actions()}
            return actions[text]

        menu_action(row(), f"Show {len(others)} copies").trigger()
        assert expanded()
        menu_action(row() + 1, "Hide copies").trigger()
        assert not set(others) & set(grid_paths(window))

        # a double click on the badge expands once, without opening the preview
        click_badge(row(), double=True)
        assert expanded() and window.preview is None

        # turning "Hide duplicates" off shows every copy once, where it ranks, unbadged
        # (weaker matches shown too: seven near-equal red circles lift the query's CLIP
        # calibration, so some copies fall below the cut-off; this checks the collapse)
        window.search.set_show_weaker(True)
        with qtbot.waitSignal(window.results_shown, timeout=WAIT):
            view.toggle.click()
        paths = grid_paths(window)
        assert all(paths.count(p.path) == 1 for p in group.photos)
        assert not any(badge(r) for r in range(len(paths)))
    finally:
        window.shutdown()


def test_keyboard_moves_of_the_slider_regroup_and_cards_wrap_with_names(
        qtbot, scene, encoder):  # noqa: F811
    """Label and list agree whatever moved the slider; cards wrap and show file names."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from photosearch.core.files import display_path

    library, _, _ = scene
    view = DuplicatesView(library, encoder.key)
    qtbot.addWidget(view)
    view.resize(560, 700)
    view.show()
    with qtbot.waitSignal(view.groups_shown, timeout=WAIT):
        view.refresh()
    qtbot.waitUntil(lambda: len(view.counts) == len(SLIDER_VALUES), timeout=WAIT)
    before = dup.thresholds_for(library).near_cosine
    view.slider.setFocus()
    QTest.keyClick(view.slider, Qt.Key.Key_Home)
    value = SLIDER_VALUES[0]
    assert value != before and view.count_label.text().startswith(f"{value:.2f}")
    qtbot.waitUntil(lambda: dup.thresholds_for(library).near_cosine == value, timeout=WAIT)
    groups, photos = view.counts[value]
    qtbot.waitUntil(lambda: len(view.groups) == groups and sum(
        len(g.photos) for g in view.groups) == photos, timeout=WAIT)
    assert f"{groups} groups" in view.count_label.text()

    card = max(view.cards, key=lambda c: len(c.group.photos))
    for photo in card.group.photos:
        name = card.names[photo.id]
        assert name.toolTip() == display_path(photo.path)
        assert name.text() == os.path.basename(photo.path) or "…" in name.text()
    # seven 160-pixel cells do not fit in 560 pixels: they wrap, nothing scrolls sideways
    qtbot.waitUntil(lambda: len({r.parentWidget().y() for r in card.radios.values()}) > 1,
                    timeout=WAIT)
    assert view.scroll.horizontalScrollBar().maximum() == 0


def test_near_groups_show_their_exact_subsets(qtbot, near_scene, encoder):  # noqa: F811
    library, group = near_scene
    view = DuplicatesView(library, encoder.key)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.groups_shown, timeout=WAIT):
        view.refresh()
    [card] = view.cards
    assert card.title.text().startswith("Near-duplicates")
    assert [h.text() for h in card.sub_headers] == ["Exact copies: 2"]
    assert len(card.radios) == 4
