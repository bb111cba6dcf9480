"""The app's writes: one writer thread, and one refresh per change.

The catalog's debug hook records the thread of each write while the whole app (every
feature installed) adds a folder, indexes it, follows a photo copied in and one deleted,
takes a tag by hand, regroups duplicates, changes a keep choice, trashes a copy and
removes the folder."""

from __future__ import annotations

import shutil
import threading

from gui_helpers import drop_files

from photosearch.core import duplicates as dup
from photosearch.core.catalog import Catalog
from photosearch.gui.duplicates_view import DuplicatesView
from photosearch.gui.tags_view import PhotoTagsWidget

WAIT = 120000   # a ceiling for a loaded machine; the waits end as soon as things hold


def test_every_catalog_write_from_the_gui_is_on_the_writer_thread(
        qtbot, open_window, encoder, make_photos, tmp_path, monkeypatch):
    window = open_window(watch=True, watch_debounce=0.3)
    library = window.library
    names: list[str] = []
    monkeypatch.setattr(Catalog, "on_write",
                        staticmethod(lambda: names.append(threading.current_thread().name)))
    folder = tmp_path / "trip"
    files = make_photos(per_class=1, seed=31, folder=folder)
    shutil.copy(files[0][0], folder / "exact_copy.jpg")      # a duplicate group
    key = encoder.key

    def indexed(n: int) -> bool:
        return (not window.indexer.running
                and library.catalog.counts(key).indexed == n)

    assert drop_files(window, [folder])
    qtbot.waitUntil(lambda: indexed(len(files) + 1), timeout=WAIT)
    qtbot.waitUntil(lambda: str(folder) in window.watcher.watched, timeout=WAIT)

    # the watcher: a photo copied in, then one deleted
    shutil.copy(files[1][0], folder / "copied_in.jpg")
    qtbot.waitUntil(lambda: indexed(len(files) + 2), timeout=WAIT)
    (folder / "copied_in.jpg").unlink()
    qtbot.waitUntil(lambda: indexed(len(files) + 1), timeout=WAIT)

    # a tag by hand
    photo = library.catalog.photo_by_path(str(files[2][0]))
    tags = window.findChild(PhotoTagsWidget)
    tags.set_photo(photo.id)
    tags.add_tag("wisteria")
    qtbot.waitUntil(lambda: any(c.tag == "wisteria" for c in tags.chips()), timeout=WAIT)

    # duplicates: the tab regroups, a keep choice, the other copy to the trash
    view = window.findChild(DuplicatesView)
    with qtbot.waitSignal(view.groups_shown, timeout=WAIT):
        window.views.setCurrentWidget(view)
    with qtbot.waitSignal(view.groups_shown, timeout=WAIT):
        view.apply_threshold()
    card = next(c for c in view.cards if c.group.tier == "exact")
    card.radios[card.group.others[0].id].click()
    qtbot.waitUntil(lambda: any(g.keep_chosen for g in dup.stored_groups(library)),
                    timeout=WAIT)
    view.confirm = lambda parent, paths: True
    with qtbot.waitSignal(view.trashed, timeout=WAIT):
        view.trash_others()

    # removing the folder
    window.remove_folder(str(folder))
    qtbot.waitUntil(lambda: library.catalog.folder_by_path(str(folder)) is None,
                    timeout=WAIT)
    assert names, "the hook saw no writes"
    assert set(names) == {"writer-lane"}, sorted(set(names))


def test_one_run_re_searches_once(qtbot, open_window, encoder, make_photos, tmp_path):
    """A finished run reaches the window as one ``Changes``: the duplicates feature's
    reload holds the refresh, and the window searches again once (it was three times:
    the window, the duplicates reload, and a 2 s timer)."""
    window = open_window()
    library = window.library
    key = encoder.key

    def settled(n: int) -> bool:
        return (not window.indexer.running and library.catalog.counts(key).indexed == n
                and not window.runner.busy and not window.refresh_pending)

    first = make_photos(per_class=1, seed=41, folder=tmp_path / "one")
    window.add_folders([str(tmp_path / "one")])
    qtbot.waitUntil(lambda: settled(len(first)), timeout=WAIT)
    window.search_box.setText("a red circle")
    with qtbot.waitSignal(window.results_shown, timeout=WAIT):
        window.run_query()
    searches: list[int] = []
    window.indexer.run_finished.connect(
        lambda _: searches.append(window.search.searches_started))
    second = make_photos(per_class=1, seed=42, folder=tmp_path / "two")
    window.add_folders([str(tmp_path / "two")])
    qtbot.waitUntil(lambda: len(searches) == 1 and settled(len(first) + len(second)),
                    timeout=WAIT)
    assert window.search.searches_started - searches[0] == 1
    assert any(str(tmp_path / "two") in h.path for h in window.results.hits)
