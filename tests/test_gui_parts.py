"""GUI parts on their own: the throttled task runner, the no-model banner, the folders
panel's offline state, the status line."""

from __future__ import annotations

import threading
import time

import pytest
from conftest import FIXTURE_MODEL
from gui_helpers import drop_files

from photosearch.core.catalog import Counts, Folder
from photosearch.core.library import Library
from photosearch.core.progress import Progress
from photosearch.gui.folders_panel import FoldersPanel
from photosearch.gui.main_window import MainWindow
from photosearch.gui.status_text import describe
from photosearch.gui.task_runner import TaskRunner

WAIT = 120000   # a ceiling for a loaded machine; the waits end as soon as things hold


def test_runner_delivers_on_the_ui_thread_and_throttles_progress(qtbot):
    runner = TaskRunner()
    seen: list[tuple[str, int]] = []
    result: list[object] = []

    def work(task) -> str:
        started = time.monotonic()
        i = 0
        while time.monotonic() - started < 0.6:   # ~a million reports a second
            i += 1
            task.report(Progress("indexing", i, None))
        task.report(Progress("indexing", -1, None))  # the last one always arrives
        return threading.current_thread().name

    started = time.monotonic()
    with qtbot.waitSignal(runner.run(work, lane="writer", on_done=result.append,
                                     on_progress=lambda p: seen.append(
                                         (threading.current_thread().name, p.done)))
                          .completed, timeout=WAIT):
        pass
    qtbot.waitUntil(lambda: bool(result), timeout=WAIT)
    elapsed = time.monotonic() - started
    assert result[0] != threading.current_thread().name     # it ran elsewhere
    assert {name for name, _ in seen} == {threading.current_thread().name}
    assert 2 <= len(seen) <= elapsed / 0.1 + 2
    assert seen[-1][1] == -1


def test_runner_delivers_a_held_report_without_waiting_for_the_next(qtbot):
    """A report held back by the throttle arrives on its own once its interval is up,
    while the task is still busy (not when the next report or the result comes)."""
    runner = TaskRunner()
    seen: list[int] = []
    release = threading.Event()

    def work(task) -> None:
        task.report(Progress("indexing", 1, 2))
        task.report(Progress("indexing", 2, 2))    # too soon: held
        release.wait(WAIT / 1000)                  # a long batch: no more reports

    task = runner.run(work, lane="query", on_progress=lambda p: seen.append(p.done))
    try:
        qtbot.waitUntil(lambda: seen == [1, 2], timeout=WAIT)
        assert not task.done
    finally:
        release.set()
    qtbot.waitUntil(lambda: task.done, timeout=WAIT)
    assert seen == [1, 2]


def test_runner_reports_errors_and_cancels(qtbot):
    runner = TaskRunner()
    errors: list[BaseException] = []
    started = threading.Event()

    def slow(task) -> None:
        started.set()
        while not task.cancel.wait(0.01):
            pass
        raise RuntimeError("cancelled")

    runner.run(slow, lane="writer", on_error=errors.append)
    assert started.wait(WAIT / 1000)
    assert runner.shutdown(WAIT)
    qtbot.waitUntil(lambda: bool(errors), timeout=WAIT)
    assert str(errors[0]) == "cancelled"


def test_runner_drops_callbacks_of_a_deleted_owner(qtbot):
    """A thumbnail still loading when its window closes: the runner outlives the window,
    so the result must not reach the deleted loader ("Signal source has been deleted")."""
    from PySide6.QtCore import QObject

    runner = TaskRunner()
    owner, kept = QObject(), QObject()
    release = threading.Event()
    done: list[str] = []
    finished: list[str] = []

    def work(task) -> None:
        release.wait(WAIT / 1000)

    gone = runner.run(work, lane="query", owner=owner, on_done=lambda _: done.append("gone"),
                      on_finished=lambda: finished.append("gone"))
    alive = runner.run(work, lane="query", owner=kept, on_done=lambda _: done.append("kept"))
    with qtbot.waitSignal(owner.destroyed, timeout=WAIT):
        owner.deleteLater()
    release.set()
    qtbot.waitUntil(lambda: gone.done and alive.done, timeout=WAIT)
    assert done == ["kept"] and finished == []


def test_a_shut_down_runner_starts_nothing_and_is_deleted_without_waiting(qtbot):
    """Work asked for between a window's shutdown and its deletion (a thumbnail for a last
    paint) once hung the test run: the pools' destructor waited, holding the GIL, for a
    task that needed the GIL to start."""
    import shiboken6

    runner = TaskRunner()
    assert runner.shutdown(1000)
    started: list[int] = []
    task = runner.run(lambda task: started.append(1), lane="thumbnails",
                      on_done=lambda _: started.append(2))
    assert task.done and task.cancel.is_set() and not runner.busy
    with qtbot.waitSignal(runner.destroyed, timeout=WAIT):
        runner.deleteLater()
    assert not shiboken6.isValid(runner)
    qtbot.wait(100)
    assert started == []


def test_without_a_model_the_banner_shows_and_folders_still_scan(qtbot, make_photos,
                                                               tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HOME", str(tmp_path / "empty-hf"))   # nothing cached
    library = Library.open()
    library.settings.model = "default"
    window = MainWindow(library)                     # the real settings path, offline
    qtbot.addWidget(window)
    window.show()
    folder = tmp_path / "photos"
    files = make_photos(per_class=1, seed=2, folder=folder)
    assert drop_files(window, [folder])
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=WAIT)
    assert window.indexer.state == "missing"
    assert "not available" in window.banner.message.text()
    assert window.banner.choose_button.isVisible()
    assert not window.banner.download_button.isVisible()   # HF_HUB_OFFLINE=1
    assert "ViT-B-32" in window.banner.needed.text()        # what is needed, and where
    qtbot.waitUntil(lambda: f"{len(files)} photos" in window.folders.item_text(str(folder)),
                    timeout=WAIT)
    # a query explains itself instead of failing
    window.search_box.setText("a red circle")
    window.run_query()
    assert "model" in window.header.text()

    # the model arrives (here: the fixture model's folder); embedding resumes by itself
    library.settings.model = f"local-dir:{FIXTURE_MODEL}"
    library.save_settings()
    window.indexer.retry_model()
    qtbot.waitUntil(lambda: window.indexer.encoder is not None, timeout=WAIT)
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=WAIT)
    key = window.indexer.encoder.key
    qtbot.waitUntil(lambda: library.catalog.counts(key).indexed == len(files), timeout=WAIT)
    # and the query that was waiting for it runs
    qtbot.waitUntil(lambda: window.results.rowCount() > 0, timeout=WAIT)
    window.shutdown()
    library.close()


def test_folders_panel_shows_counts_and_offline(qtbot):
    panel = FoldersPanel()
    qtbot.addWidget(panel)
    folders = [Folder(1, "/photos/home", 0, None, True), Folder(2, "/mnt/usb/trip", 0, None,
                                                                False)]
    counts = {1: Counts(10, 4, 6, 0, 0), 2: Counts(3, 3, 0, 0, 0)}
    panel.set_folders(folders, counts)
    assert panel.item_text("/photos/home") == "home\n10 photos · 4 indexed"
    assert panel.item_text("/mnt/usb/trip") == "trip\n3 photos · offline"
    assert panel.paths() == ["/photos/home", "/mnt/usb/trip"]
    assert not panel.remove_button.isEnabled()
    removed: list[str] = []
    asked: list[tuple[str, int | None]] = []
    panel.remove_requested.connect(removed.append)
    panel.confirm = lambda parent, path, photos: asked.append((path, photos)) or False
    panel.list.setCurrentRow(2)
    panel.remove_button.click()                  # asked first; declined, nothing happens
    assert asked == [("/mnt/usb/trip", 3)] and removed == []
    panel.confirm = lambda parent, path, photos: True
    panel.remove_button.click()
    assert removed == ["/mnt/usb/trip"]


@pytest.mark.parametrize(("progress", "text"), [
    (Progress("indexing", 120, 1000, 18.24, 48.2),
     "Indexing 120 / 1,000 · 18.2 photos/s · 48 s left"),
    (Progress("indexing", 5, 9000, None, None), "Indexing 5 / 9,000"),
    (Progress("scanning", 1234, None, message="/a/Trip"), "Scanning Trip… 1,234 photos found"),
    (Progress("indexing", 1, 10**5, 20.0, 4990),
     "Indexing 1 / 100,000 · 20.0 photos/s · 1 h 23 min left"),
    (Progress("embedding tag words", 64, 2980, 3.14, 900),
     "Preparing tag words 64 / 2,980 · 3.1 words/s · 15 min 00 s left"),
    (Progress("preparing quick text search", 2, 4), "Preparing quick text search 2 / 4"),
    (Progress("loading model", 1, 1, message="SigLIP 2"), "Loading model SigLIP 2"),
])
def test_status_line(progress, text, qapp):
    from photosearch.gui import i18n

    i18n.install("en")          # %Ln groups digits as the interface's language does
    assert describe(progress) == text


def test_model_menu_switches_the_library_to_a_preset(qtbot, make_photos, tmp_path,
                                                     monkeypatch):
    """Choosing a preset is a menu action, it is remembered, and offline it ends in the
    banner (naming the file it needs) rather than an error. Legacy presets are not
    offered."""
    from photosearch.gui.app import build_window

    monkeypatch.setenv("HF_HOME", str(tmp_path / "empty-hf"))   # nothing cached
    library = Library.open()
    library.settings.model = f"local-dir:{FIXTURE_MODEL}"
    window = build_window(library)
    qtbot.addWidget(window)
    window.show()
    window.indexer.ensure_model()
    qtbot.waitUntil(lambda: window.indexer.state == "ready", timeout=WAIT)
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Model")
    menu.aboutToShow.emit()
    presets = {a.data(): a for a in menu.actions() if a.data()}
    assert set(presets) == {"default", "quality", "english-classic"}
    assert "Russian" in presets["default"].text() and "GB" in presets["default"].text()
    assert not any(a.isChecked() for a in presets.values())    # a model folder is in use
    presets["quality"].trigger()
    qtbot.waitUntil(lambda: window.indexer.state == "missing", timeout=WAIT)
    # The banner names the first missing file (the weights) of the chosen preset.
    assert window.banner.isVisible() and "ViT-B-16-SigLIP2" in window.banner.needed.text()
    from photosearch.core.settings import load_settings

    assert load_settings(library.layout.settings).model == "quality"
    menu.aboutToShow.emit()
    assert presets["quality"].isChecked()
    window.shutdown()
    library.close()
