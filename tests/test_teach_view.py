"""Relevance feedback, "Teach a tag…" with its review, and the Themes tab, in the window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from tag_helpers import tagged_copy

from photosearch.core.library import Library
from photosearch.core.teaching import store

WAIT = 120000   # a ceiling for a loaded machine; the waits end as soon as things hold


@pytest.fixture
def window(qtbot, tmp_path_factory, tmp_path, encoder, monkeypatch):
    from photosearch.gui.app import build_window

    lib_dir, photos = tagged_copy(tmp_path_factory, tmp_path, encoder, monkeypatch)
    lib = Library.open(lib_dir)
    win = build_window(lib, encoder_factory=lambda progress: encoder, watch=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win, timeout=WAIT)
    qtbot.waitUntil(lambda: win.indexer.encoder is not None, timeout=WAIT)
    yield win, photos
    win.shutdown()
    lib.close()


def _search(qtbot, win, text: str) -> None:
    with qtbot.waitSignal(win.results_shown, timeout=WAIT):
        win.search_box.setText(text)
        win.run_query()


def _menu_action(win, row: int, text: str):
    menu = win.grid.context_menu(row)
    return next(a for a in menu.actions() if a.text() == text)


def test_more_and_less_like_this_rerun_the_query(qtbot, window):
    from gui_helpers import grid_paths

    win, photos = window
    _search(qtbot, win, "circle")
    first = grid_paths(win)
    bad_row = 0
    with qtbot.waitSignal(win.results_shown, timeout=WAIT):
        _menu_action(win, bad_row, "Less like this").trigger()
    assert win.search.unliked and first[bad_row] not in grid_paths(win)
    assert "0 marked good, 1 marked bad" in win.header.text()
    # the - key on the grid marks the current photo bad too
    win.grid.setFocus()
    win.grid.setCurrentIndex(win.results.index(0, 0))
    with qtbot.waitSignal(win.results_shown, timeout=WAIT):
        qtbot.keyClick(win.grid, Qt.Key.Key_Minus)
    assert len(win.search.unliked) == 2
    _search(qtbot, win, "square")                  # a new query forgets the marks
    assert not win.search.liked and not win.search.unliked


def test_teach_a_tag_and_review_it(qtbot, window):
    from gui_helpers import grid_paths

    from photosearch.gui.teach_view import start_teaching

    win, photos = window
    _search(qtbot, win, "tag:green")
    grid = win.grid
    for row in range(4):
        grid.selectionModel().select(win.results.index(row, 0),
                                     QItemSelectionModel.SelectionFlag.Select)
    menu = grid.context_menu(0)
    assert "Teach a tag…" in [a.text() for a in menu.actions()]
    menu.deleteLater()
    hits = [win.results.hit(r) for r in range(4)]
    dialog = start_teaching(win, hits, ask_name=lambda: "garden")
    qtbot.addWidget(dialog)
    lib = win.library
    qtbot.waitUntil(lambda: dialog.current is not None, timeout=WAIT)
    assert store.carriers(lib.catalog, "garden") >= 4
    assert "photos carry “garden”" in dialog.status.text()
    asked = dialog.current
    green = {lib.catalog.photo_by_path(str(p)).id for p, c, _ in photos if c == "green"}
    with qtbot.waitSignal(dialog.answered, timeout=WAIT):
        qtbot.keyClick(dialog, Qt.Key.Key_Y if asked in green else Qt.Key.Key_N)
    ex = store.examples(lib.catalog, "garden")
    assert asked in (ex.positive if asked in green else ex.negative)
    qtbot.waitUntil(lambda: dialog.current not in (None, asked), timeout=WAIT)
    dialog.accept()
    _search(qtbot, win, "tag:garden")
    assert grid_paths(win)
    # Learned tags ▸ garden ▸ Delete… forgets it (after the confirmation)
    from photosearch.gui.teach_view import learned_tags_menu

    menu = learned_tags_menu(win, confirm=lambda tag: tag == "garden")
    sub = next(a for a in menu.actions() if a.text() == "garden").menu()
    next(a for a in sub.actions() if a.text() == "Delete…").trigger()
    qtbot.waitUntil(lambda: store.learned_tag(lib.catalog, "garden") is None, timeout=WAIT)
    assert store.carriers(lib.catalog, "garden") == 0
    menu.deleteLater()


def test_themes_tab_lists_and_shows_a_theme(qtbot, window):
    from gui_helpers import grid_paths

    from photosearch.core.query import listed_photos
    from photosearch.gui.themes_view import ThemesPanel

    win, photos = window
    panel = next(win.views.widget(i) for i in range(win.views.count())
                 if isinstance(win.views.widget(i), ThemesPanel))
    assert win.views.tabText(win.views.indexOf(panel)) == "Themes"
    win.views.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.list.count() >= 2, timeout=WAIT)
    assert sum(t.count for t in panel.themes) == len(photos)
    item = panel.list.item(0)
    with qtbot.waitSignal(win.results_shown, timeout=WAIT):
        qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton,
                         pos=panel.list.visualItemRect(item).center())
    theme = panel.themes[0]
    lib = win.library
    paths = {lib.catalog.photo(p).path for p in theme.photos}
    shown = {h.path for h in listed_photos(lib, theme.photos, 300,     # less hidden copies
                                           allow=win.search.allow())}
    assert shown and shown <= paths and set(grid_paths(win)) == shown
    assert win.search.query.kind == "photos"
    panel.list.setCurrentRow(0)
    panel.make_tag("theme tag")
    qtbot.waitUntil(lambda: store.carriers(lib.catalog, "theme tag") > 0, timeout=WAIT)
