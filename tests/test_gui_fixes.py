"""Issue 12's fixes in the window: pause that stays paused, counts at launch, the model
banner, menus and preferences, the first-run note."""

from __future__ import annotations

import threading

import pytest
from conftest import FIXTURE_MODEL
from PySide6.QtCore import Qt

from photosearch.core.library import Library
from photosearch.gui.app import build_window

WAIT = 120000


class Gated:
    """The fixture encoder, four photos a batch, each batch waiting for a permit: a test
    decides how far a run gets."""

    def __init__(self, encoder) -> None:
        self._encoder = encoder
        self.batch_size = 4
        self.permits = threading.Semaphore(0)

    def __getattr__(self, name):
        return getattr(self._encoder, name)

    def encode_images(self, batch):
        self.permits.acquire()
        return self._encoder.encode_images(batch)


@pytest.fixture
def window_on(qtbot):
    opened = []

    def open_(factory, watch=False):
        library = Library.open()
        window = build_window(library, encoder_factory=factory, watch=watch)
        qtbot.addWidget(window)
        window.show()
        opened.append((window, library))
        return window

    yield open_
    for window, library in opened:
        window.shutdown()
        library.close()


def test_pause_stays_paused_and_resume_keeps_the_count(qtbot, window_on, encoder,
                                                       make_photos, tmp_path):
    gated = Gated(encoder)
    window = window_on(lambda progress: gated)
    files = make_photos(per_class=1, seed=4, folder=tmp_path / "p")   # 36 photos
    window.add_folders([str(tmp_path / "p")])
    for _ in range(2):
        gated.permits.release()
    label = window.status.label
    qtbot.waitUntil(lambda: "Indexing 8 / 36" in label.text(), timeout=WAIT)
    qtbot.mouseClick(window.pause_button, Qt.MouseButton.LeftButton)
    gated.permits.release()                       # the batch in flight ends; the run stops
    qtbot.waitUntil(lambda: not window.indexer.running, timeout=WAIT)
    assert label.text().startswith("Paused") and "/ 36" in label.text()
    done_at_pause = window.progress_bar.value()
    assert 8 <= done_at_pause < len(files)

    seen: list[str] = []
    window.indexer.progress.connect(lambda _: seen.append(label.text()))
    qtbot.mouseClick(window.pause_button, Qt.MouseButton.LeftButton)
    for _ in range(len(files)):
        gated.permits.release()
    qtbot.waitUntil(lambda: window.indexer.idle and label.text().startswith("Up to date"),
                    timeout=WAIT)
    indexing = [t for t in seen if t.startswith("Indexing")]
    assert indexing and all("/ 36" in t for t in indexing), indexing
    assert indexing[0].startswith(f"Indexing {done_at_pause} /")


def test_stored_counts_show_before_the_model_loads(qtbot, window_on, encoder, make_photos,
                                                   tmp_path):
    folder = tmp_path / "p"
    files = make_photos(per_class=1, seed=2, folder=folder)
    window = window_on(lambda progress: encoder)
    window.library.update_settings(model=f"local-dir:{FIXTURE_MODEL}")
    window.add_folders([str(folder)])
    qtbot.waitUntil(lambda: window.indexer.idle and window.indexer.encoder is not None
                    and window.library.catalog.counts(encoder.key).indexed == len(files),
                    timeout=WAIT)
    window.shutdown()
    window.library.close()

    release = threading.Event()

    def slow_model(progress):
        release.wait(WAIT / 1000)
        return encoder

    again = window_on(slow_model, watch=True)     # the watcher's sync queues too
    try:
        qtbot.waitUntil(lambda: f"{len(files)} photos" in again.folders.item_text(str(folder)),
                        timeout=WAIT)
        assert again.indexer.encoder is None       # shown before the model came
        assert "indexed" not in again.folders.item_text(str(folder))   # none pending
    finally:
        release.set()
