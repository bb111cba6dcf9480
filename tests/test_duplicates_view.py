"""The Duplicates view, driven through its real widgets (offscreen)."""

from __future__ import annotations

import os

from test_duplicates import scene  # noqa: F401  (fixture)

from photosearch.core import duplicates as dup
from photosearch.gui.duplicates_view import SLIDER_VALUES, DuplicatesView


def test_view_shows_groups_changes_keep_and_trashes_after_confirming(qtbot, scene,  # noqa: F811
                                                                     encoder):
    library, _, copies = scene
    view = DuplicatesView(library, encoder.key)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.groups_shown):
        view.refresh()
    assert len(view.cards) == 3
    card = view.cards[0]
    assert card.title.text().startswith("Same picture")
    assert len(card.radios) == 7
    # the count for every slider position is ready, and moving the slider shows it
    qtbot.waitUntil(lambda: len(view.counts) == len(SLIDER_VALUES))
    view.slider.setValue(0)
    assert "groups" in view.count_label.text()
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
    # confirming moves exactly the listed files, and the chosen keep stays
    plan = sorted(p.path for g in view.groups for p in g.others)
    view.confirm = lambda parent, paths: asked.append(paths) or True
    with qtbot.waitSignal(view.trashed) as moved:
        view.trash_button.click()
    assert sorted(asked[0]) == plan == sorted(asked[1])
    assert sorted(moved.args[0].moved) == plan
    assert os.path.exists(other.path)
    assert "restore" in view.trash_note.text()
    qtbot.waitUntil(lambda: not view.cards)


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
    allow = window._allow()
    qtbot.waitUntil(lambda: not allow(group.others[0].id))
    assert allow(group.keep_id)
    badge = window.results._badge(Hit(group.keep_id, group.keep.path, 1.0))
    assert badge == f"×{len(group.photos)}"
    view.toggle.click()                       # off: every copy shows again, no badge
    assert allow(group.others[0].id) and not library.settings.hide_duplicates
    window.shutdown()
