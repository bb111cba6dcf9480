"""One writer: every catalog write the app makes runs on the writer lane's thread.

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
from photosearch.core.library import Library
from photosearch.gui.app import build_window
from photosearch.gui.duplicates_view import DuplicatesView
from photosearch.gui.tags_view import PhotoTagsWidget

WAIT = 120000   # a ceiling for a loaded machine; the waits end as soon as things hold


def test_every_catalog_write_from_the_gui_is_on_the_writer_thread(
        qtbot, encoder, make_photos, tmp_path, monkeypatch):
    library = Library.open()
    window = build_window(library, encoder_factory=lambda progress: encoder,
                          watch_debounce=0.3)
    qtbot.addWidget(window)
    names: list[str] = []
    monkeypatch.setattr(Catalog, "on_write",
                        staticmethod(lambda: names.append(threading.current_thread().name)))
    try:
        window.show()
        qtbot.waitExposed(window, timeout=WAIT)
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
    finally:
        window.shutdown()
        library.close()
    assert names, "the hook saw no writes"
    assert set(names) == {"writer-lane"}, sorted(set(names))
