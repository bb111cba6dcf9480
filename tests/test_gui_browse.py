"""The app with no query: the library by month, a folder's photos on a click."""

from __future__ import annotations

import os
import time

import pytest

from photosearch.gui.results_model import MonthRole

WAIT = 120000   # a ceiling for a loaded machine; the waits end as soon as things hold
DAY = 24 * 3600


@pytest.fixture
def window(open_window):
    return open_window(features=False)


def shown(window) -> list[str]:
    model = window.results
    return [h.path for r in range(model.rowCount()) if (h := model.hit(r)) is not None]


def months(window) -> list[tuple[int, int]]:
    model = window.results
    return [m for r in range(model.rowCount())
            if r % model.columns == 0 and (m := model.index(r).data(MonthRole))]


def test_no_query_browses_by_month_and_a_folder_click_narrows(qtbot, window, make_photos,
                                                               tmp_path):
    make_photos(per_class=1, seed=3, folder=tmp_path / "old")
    make_photos(per_class=1, seed=4, folder=tmp_path / "new")
    old, new = (sorted((tmp_path / name).iterdir()) for name in ("old", "new"))
    now = time.time()
    for i, path in enumerate(old):           # two months, a year ago
        os.utime(path, (now - 365 * DAY - (i % 2) * 40 * DAY,) * 2)
    for path in new:
        os.utime(path, (now - 3600,) * 2)
    window.add_folders([str(tmp_path / "old"), str(tmp_path / "new")])
    total = len(old) + len(new)
    qtbot.waitUntil(lambda: len(shown(window)) == total, timeout=WAIT)
    paths = shown(window)
    mtimes = [os.stat(p).st_mtime for p in paths]
    assert mtimes == sorted(mtimes, reverse=True)        # newest first
    assert len(months(window)) >= 3
    assert "photos" in window.header.text()

    folders = window.folders.list
    row = next(r for r in range(folders.count())
               if folders.item(r).data(0x0100) == str(tmp_path / "old"))
    folders.setCurrentRow(row)
    qtbot.waitUntil(lambda: shown(window) and all(
        p.startswith(str(tmp_path / "old")) for p in shown(window)), timeout=WAIT)
    assert "old" in window.header.text()

    window.search_box.setText("red")              # a query replaces browsing...
    window.run_query()
    qtbot.waitUntil(lambda: window.results.timeline is None, timeout=WAIT)
    window.search_box.clear()
    window.clear_query()                          # ...and clearing it browses again
    assert window.results.timeline is not None and shown(window)


def test_browsing_reads_pages_as_the_grid_scrolls(qtbot, window):
    lib = window.library
    folder = lib.catalog.add_folder("/nowhere")
    now = time.time()
    for i in range(3000):
        lib.catalog.add_photo(folder.id, f"/nowhere/{i:05d}.jpg", 1, now - i * 600)
    window.clear_query()
    model = window.results
    first = len(model.timeline.photos)
    assert 0 < first < 3000
    while model.canFetchMore():
        model.fetchMore()
    assert len(model.timeline.photos) == 3000
    assert len({h for r in range(model.rowCount()) if (h := model.hit(r))}) == 3000


def test_a_refresh_sees_the_last_photo_go(qtbot, window):
    lib = window.library
    folder = lib.catalog.add_folder("/nowhere")
    ids = [lib.catalog.add_photo(folder.id, f"/nowhere/{i}.jpg", 1, 1.7e9 + i) for i in range(5)]
    window.clear_query()
    model = window.results
    assert not model.refresh_browse(None)              # nothing changed
    lib.catalog.mark_missing([ids[0]])                 # the oldest photo: the last cell
    assert model.refresh_browse(None)
    assert len(model.timeline.photos) == 4
