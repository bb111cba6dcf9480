"""The desktop app end to end, on the fixture model: real drops, real typing, the real
context menu, live folder watching, pause, close and reopen."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from gui_helpers import drop_files, grid_names, grid_paths
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from photosearch.gui.main_window import MainWindow

WAIT = 120000   # a ceiling for a loaded machine; the waits end as soon as things hold


# the bare window (no features), watching folders as the app does
APP = {"features": False, "watch": True, "watch_debounce": 0.3}


def close(window: MainWindow) -> None:
    window.close()
    window.library.close()


def indexed(window: MainWindow, n: int) -> bool:
    encoder = window.indexer.encoder
    if encoder is None or window.indexer.running:
        return False
    return window.library.catalog.counts(encoder.key).indexed == n


def class_of(name: str) -> str:
    return "_".join(name.split("_")[:2])


def test_drop_search_similar_and_watch(qtbot, open_window, make_photos, tmp_path):
    window = open_window(**APP)
    folder = tmp_path / "holiday"
    files = make_photos(per_class=3, seed=11, folder=folder)

    # 2. a folder dropped on the window joins the library and is indexed in the background
    assert drop_files(window, [folder])
    qtbot.waitUntil(lambda: indexed(window, len(files)), timeout=WAIT)
    qtbot.waitUntil(lambda: "108 photos" in window.folders.item_text(str(folder)),
                    timeout=WAIT)

    # 3. Ctrl+F, typing settles, the grid shows red circles first
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search_box.hasFocus()
    with qtbot.waitSignal(window.results_shown, timeout=WAIT,
                          check_params_cb=lambda hits: bool(hits)):
        qtbot.keyClicks(window.search_box, "a red circle")
    assert [class_of(n) for n in grid_names(window, 2)] == ["red_circle"] * 2
    assert "a red circle" in window.header.text()

    # 4. "Find similar" from the photo's context menu: photos of the same class first
    menu = window.grid.context_menu(0)
    actions = {a.text(): a for a in menu.actions()}
    assert {"Find similar", "Open", "Show in folder", "Copy path"} <= set(actions)
    with qtbot.waitSignal(window.results_shown, timeout=WAIT):
        actions["Find similar"].trigger()
    top = grid_names(window, 2)   # the other two red circles (itself is left out)
    assert [class_of(n) for n in top] == ["red_circle"] * 2, top
    assert "Photos like" in window.header.text()
    assert window.results.hit(0).path not in {window.header.text()}

    # Space previews the current photo
    window.grid.setCurrentIndex(window.results.index(0))
    window.grid.setFocus()
    qtbot.keyClick(window.grid, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.preview is not None and window.preview.isVisible(),
                    timeout=WAIT)
    qtbot.keyClick(window.preview, Qt.Key.Key_Escape)
    assert not window.preview.isVisible()

    # 5. a photo copied into the watched folder is found, indexed and shown ...
    extra = make_photos(per_class=1, seed=99, folder=tmp_path / "camera")
    new = folder / "new_red_circle.jpg"
    shutil.copy(next(p for p, c, s in extra if (c, s) == ("red", "circle")), new)
    qtbot.waitUntil(lambda: str(new) in grid_paths(window), timeout=WAIT)
    # the grid refreshes while the run is still finishing (hooks, saving the index)
    qtbot.waitUntil(lambda: indexed(window, len(files) + 1), timeout=WAIT)

    # ... and a deleted one leaves the library and the grid
    victim = Path(grid_paths(window)[0])
    victim.unlink()
    qtbot.waitUntil(lambda: str(victim) not in grid_paths(window), timeout=WAIT)
    # a refresh leaves out a file gone from disk before the watcher has marked it
    qtbot.waitUntil(lambda: window.library.catalog.photo_by_path(str(victim)).status
                    == "missing", timeout=WAIT)

    # Esc clears the query: the grid browses the library again
    window.search_box.setFocus()
    qtbot.keyClick(window.search_box, Qt.Key.Key_Escape)
    assert window.results.timeline is not None and window.search_box.text() == ""


def test_image_dropped_on_the_search_box_finds_similar(qtbot, open_window, make_photos,
                                                      tmp_path):
    window = open_window(**APP)
    files = make_photos(per_class=1, seed=5, folder=tmp_path / "lib-photos")
    window.add_folders([str(tmp_path / "lib-photos")])
    qtbot.waitUntil(lambda: indexed(window, len(files)), timeout=WAIT)
    outside = make_photos(per_class=1, seed=77, folder=tmp_path / "outside")
    probe = next(p for p, c, s in outside if (c, s) == ("blue", "square"))
    with qtbot.waitSignal(window.results_shown, timeout=WAIT):
        assert drop_files(window.search_box, [probe])
    assert class_of(grid_names(window, 1)[0]) == "blue_square"
    # a result marked good re-runs "photos like this" with it (no cut-off there)
    from photosearch.gui.search_controller import find

    liked = window.results.hit(1).photo_id
    found = find(window.library, window.indexer.encoder, window.search.query, "relevance",
                 None, None, ([liked], []))
    assert found.good and not found.cut and liked not in [h.photo_id for h in found.good]

    # words typed after the drop are added to the photo ("this photo, but red")
    window.search_box.setText("red")
    with qtbot.waitSignal(window.results_shown, timeout=WAIT):
        window.run_query()
    query = window.search.query
    assert query.kind == "text" and query.photo == str(probe)
    assert os.path.basename(probe) in window.header.text()
    mixed = [class_of(n) for n in grid_names(window, 3)]
    assert mixed[0] == "red_square"            # red, and the dropped photo's shape
    # Esc drops the photo: the same words alone
    window.search_box.setFocus()
    qtbot.keyClick(window.search_box, Qt.Key.Key_Escape)
    assert window.search.anchor is None
    window.search_box.setText("red")
    with qtbot.waitSignal(window.results_shown, timeout=WAIT):
        window.run_query()
    assert window.search.query.photo is None
    alone = [class_of(n) for n in grid_names(window, 3)]
    assert alone != mixed and all(c.startswith("red_") for c in alone)


def test_pause_close_and_reopen_carries_on(qtbot, open_window, make_photos, tmp_path):
    window = open_window(**APP)
    window.indexer.pause()
    folder = tmp_path / "big"
    files = make_photos(per_class=1, seed=8, folder=folder)
    assert drop_files(window, [folder])
    # paused: the folder is scanned (its photos are listed), nothing is embedded
    qtbot.waitUntil(lambda: window.library.catalog.counts("x").total == len(files),
                    timeout=WAIT)
    qtbot.waitUntil(lambda: not window.indexer.running, timeout=WAIT)
    assert window.pause_button.isVisible() and window.pause_button.text() == "Resume"
    key = window.indexer.encoder.key
    assert window.library.catalog.counts(key).indexed == 0
    close(window)

    # 6. reopened: indexing carries on by itself
    again = open_window(**APP)
    qtbot.waitUntil(lambda: indexed(again, len(files)), timeout=WAIT)
    assert str(folder) in again.folders.paths()


def test_pause_and_resume(qtbot, open_window, make_photos, tmp_path):
    window = open_window(**APP)
    assert window.indexer.encoder is None   # an empty library needs no model yet
    window.indexer.ensure_model()
    qtbot.waitUntil(lambda: window.indexer.encoder is not None, timeout=WAIT)
    window.pause_button.show()
    qtbot.mouseClick(window.pause_button, Qt.MouseButton.LeftButton)
    assert window.indexer.paused
    files = make_photos(per_class=1, seed=4, folder=tmp_path / "p")
    window.add_folders([str(tmp_path / "p")])
    qtbot.waitUntil(lambda: window.library.catalog.counts("x").total == len(files),
                    timeout=WAIT)
    qtbot.mouseClick(window.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: indexed(window, len(files)), timeout=WAIT)
    assert window.pause_button.text() == "Pause"


def answer_dialog(choice: QMessageBox.StandardButton) -> list[str]:
    """Answer the next message box with ``choice`` once it is up (the real dialog, in its
    own event loop); the returned list receives the box's text."""
    seen: list[str] = []
    timer = QTimer(QApplication.instance(), interval=20)   # owned by the app until done

    def poll() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            timer.stop()
            timer.deleteLater()
            seen.append(f"{box.text()}\n{box.informativeText()}")
            box.button(choice).click()

    timer.timeout.connect(poll)
    timer.start()
    return seen


def test_removing_a_folder_asks_first_and_keeps_the_files(qtbot, open_window, make_photos,
                                                         tmp_path):
    window = open_window(**APP)
    folder = tmp_path / "trip"
    files = make_photos(per_class=1, seed=3, folder=folder)
    window.add_folders([str(folder)])
    qtbot.waitUntil(lambda: indexed(window, len(files)), timeout=WAIT)
    qtbot.waitUntil(lambda: f"{len(files)} photos" in window.folders.item_text(str(folder)),
                    timeout=WAIT)
    panel = window.folders
    panel.list.setCurrentRow(panel.paths().index(str(folder)) + 1)   # row 0: all folders
    assert panel.remove_button.isEnabled()

    # "Keep": the folder stays
    asked = answer_dialog(QMessageBox.StandardButton.No)
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1
    assert "“trip”" in asked[0] and f"{len(files)} photos" in asked[0]
    assert "files on disk are not touched" in asked[0]
    assert str(folder) in panel.paths()
    assert window.library.catalog.folder_by_path(str(folder)) is not None

    # "Remove": the library forgets the folder and its photos; the files stay
    asked = answer_dialog(QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1
    qtbot.waitUntil(lambda: str(folder) not in panel.paths(), timeout=WAIT)
    assert window.library.catalog.folder_by_path(str(folder)) is None
    assert all(path.exists() for path, _, _ in files)


def test_geometry_is_remembered(qtbot, open_window):
    window = open_window(**APP)
    window.resize(700, 520)
    close(window)
    again = open_window(**APP)
    assert (again.width(), again.height()) == (700, 520)
