"""Issue 12's fixes in the window: pause that stays paused, counts at launch, the model
banner, menus and preferences, the first-run note."""

from __future__ import annotations

import threading

from conftest import FIXTURE_MODEL
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from photosearch.core.library import Library

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


def test_pause_stays_paused_and_resume_keeps_the_count(qtbot, open_window, encoder,
                                                       make_photos, tmp_path):
    gated = Gated(encoder)
    window = open_window(encoder_factory=lambda progress: gated)
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


def test_stored_counts_show_before_the_model_loads(qtbot, open_window, encoder, make_photos,
                                                   tmp_path):
    folder = tmp_path / "p"
    files = make_photos(per_class=1, seed=2, folder=folder)
    window = open_window()
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

    again = open_window(encoder_factory=slow_model, watch=True)  # the watcher's sync queues too
    try:
        qtbot.waitUntil(lambda: f"{len(files)} photos" in again.folders.item_text(str(folder)),
                        timeout=WAIT)
        assert again.indexer.encoder is None       # shown before the model came
        assert "indexed" not in again.folders.item_text(str(folder))   # none pending
    finally:
        release.set()


def test_the_banner_says_what_is_needed_at_launch(qtbot, open_window, monkeypatch):
    from PySide6.QtGui import QDesktopServices, QGuiApplication

    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    window = open_window(encoder_factory=None)   # the settings' model: "default", not here
    banner = window.banner
    qtbot.waitUntil(banner.isVisible, timeout=WAIT)   # no folder added: at launch
    needed = banner.needed.text()
    assert needed.startswith("https://huggingface.co/") and banner.needed.isVisible()
    # the default (SigLIP 2) preset names its tokenizer files too, not only the weights
    assert [line.rsplit("/", 1)[1] for line in needed.splitlines()][1:] == [
        "tokenizer.json", "tokenizer_config.json"]
    assert banner.needed.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    assert "--model" not in banner.message.text() and "--weights" not in banner.message.text()
    qtbot.mouseClick(banner.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == needed
    qtbot.mouseClick(banner.page_button, Qt.MouseButton.LeftButton)
    assert opened and needed.startswith(opened[0].removesuffix("/tree/main"))
    # one state: not "loading" beside "not available"
    assert window.status.model_label.text() == "Model: not available"
    assert not window.progress_bar.isVisible()
    assert "Loading" not in window.status.label.text()


def test_weights_that_do_not_fit_say_why_at_once(qtbot, open_window, tmp_path):
    import numpy as np
    from safetensors.numpy import save_file

    weights = tmp_path / "other.safetensors"
    save_file({"visual.proj": np.zeros((4, 4), np.float32)}, str(weights))
    library = Library.open()
    library.update_settings(model="ViT-B-32", weights=str(weights))
    library.close()
    window = open_window(encoder_factory=None)
    window.indexer.ensure_model()
    qtbot.waitUntil(window.banner.isVisible, timeout=WAIT)
    text = window.banner.message.text()
    assert "does not fit the ViT-B-32 architecture" in text
    assert "visual.proj: the file has 4×4, the model needs 768×512" in text


def test_choosing_a_model_folder_loads_it(qtbot, open_window):
    from photosearch.gui.model_menu import use_folder

    window = open_window(encoder_factory=None)
    qtbot.waitUntil(window.banner.isVisible, timeout=WAIT)
    use_folder(window, str(FIXTURE_MODEL))
    qtbot.waitUntil(lambda: window.indexer.state == "ready", timeout=WAIT)
    assert not window.banner.isVisible()
    assert window.status.model_label.text() == "Model: tiny_clip"
    assert window.library.settings.model == f"local-dir:{FIXTURE_MODEL}"


def test_misfit_names_missing_reshaped_and_extra_tensors():
    from photosearch.core.checkpoint import file_shapes, misfit

    expected = {"a": (2, 3), "b": (4,), "positional_embedding": (50, 8)}
    assert misfit(expected, {"module.a": (2, 3), "b": (4,),
                             "positional_embedding": (197, 8)}) is None
    reason = misfit(expected, {"a": (3, 2), "c": (1,), "text.position_ids": (1,)})
    assert "2 of its 3 tensors are missing (e.g. b)" in reason
    assert "a: the file has 3×2, the model needs 2×3" in reason
    assert "1 tensors the model does not (e.g. c)" in reason
    shapes = file_shapes(FIXTURE_MODEL / "open_clip_model.safetensors")
    assert len(shapes) > 10 and all(isinstance(v, tuple) for v in shapes.values())
    assert misfit(shapes, shapes) is None


def _menu_actions(window) -> dict[str, object]:
    return {a.text().replace("&", ""): a for menu in window.menuBar().findChildren(QMenu)
            for a in menu.actions() if a.text()}


def test_menus_have_their_items_and_shortcuts(qtbot, open_window, encoder):
    window = open_window()
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles[:2] == ["File", "View"] and titles[-1] == "Help" and "Model" in titles
    actions = _menu_actions(window)
    assert actions["Quit"].shortcut().toString() == "Ctrl+Q"
    assert actions["Add folder…"].shortcut().toString() == "Ctrl+O"
    assert actions["Preferences…"].shortcut().toString() == "Ctrl+,"
    assert "Choose model folder…" in actions

    # View ▸ Hide duplicates flips the toolbar's switch, which saves the setting
    from PySide6.QtWidgets import QCheckBox

    toggle = window.findChild(QCheckBox, "hideDuplicates")
    assert toggle.isChecked() and window.library.settings.hide_duplicates
    actions["Hide duplicates"].trigger()
    assert not toggle.isChecked() and not window.library.settings.hide_duplicates
    # near-duplicates hide only when asked, through their own checkable item
    near = actions["Hide near-duplicates too"]
    assert near.isCheckable() and not near.isChecked()
    near.trigger()
    assert window.library.settings.hide_near_duplicates

    from photosearch.gui.menus import about_text

    text = about_text(window)
    assert str(window.library.root) in text and "0.1.0" in text and "Apache-2.0" in text

    actions["Quit"].trigger()                       # closes the window
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT)


def test_preferences_save_through_update_settings(qtbot, open_window, encoder):
    from photosearch.gui.preferences import PreferencesDialog

    window = open_window()
    dialog = PreferencesDialog(window, window)
    assert dialog.changes() == {}                   # nothing changed, nothing saved
    dialog.language.setCurrentIndex(dialog.language.findData("ru"))
    dialog.near.setValue(0.9)
    dialog.tags.setPlainText("wisteria\n\n  tram  \n")
    dialog.watch.setChecked(False)
    dialog.precision.setCurrentIndex(dialog.precision.findData("fp32"))
    try:
        changed = dialog.apply()
    finally:
        from photosearch.gui import i18n

        i18n.install("en")                          # the language applied at once
    assert set(changed) == {"ui_language", "duplicate_thresholds", "custom_tags",
                            "watch_folders", "precision"}
    again = Library.open()                          # saved on disk
    try:
        s = again.settings
        assert (s.ui_language, s.custom_tags, s.watch_folders, s.precision) == (
            "ru", ["wisteria", "tram"], False, "fp32")
        assert s.duplicate_thresholds["near_cosine"] == 0.9
    finally:
        again.close()


def test_first_launch_explains_the_steps_then_how_to_search(qtbot, open_window, encoder,
                                                            make_photos, tmp_path):
    window = open_window()
    text = window.grid.empty_text
    assert "1. Add folders" in text and "3. Type what you remember" in text
    assert str(window.library.root) in text
    make_photos(per_class=1, seed=1, folder=tmp_path / "p")
    window.add_folders([str(tmp_path / "p")])
    qtbot.waitUntil(lambda: window.grid.empty_text.startswith("Type what"), timeout=WAIT)


def test_the_photo_tags_row_keeps_its_place_and_clears_with_the_search(
        qtbot, open_window, encoder, make_photos, tmp_path):
    from photosearch.gui.tags_view import PhotoTagsWidget

    window = open_window()
    make_photos(per_class=1, seed=1, folder=tmp_path / "p")
    window.add_folders([str(tmp_path / "p")])
    qtbot.waitUntil(lambda: window.indexer.idle and window.indexer.encoder is not None
                    and window.library.catalog.counts(encoder.key).pending == 0,
                    timeout=WAIT)
    row = window.findChild(PhotoTagsWidget)
    grid_top = window.grid.mapTo(window, window.grid.rect().topLeft()).y()
    window.search_box.setText("red")
    window.run_query()
    qtbot.waitUntil(lambda: window.results.rowCount() > 0, timeout=WAIT)
    window.grid.setCurrentIndex(window.results.index(0))
    qtbot.waitUntil(row.isVisible, timeout=WAIT)
    assert row.photo_id is not None
    assert window.grid.mapTo(window, window.grid.rect().topLeft()).y() == grid_top
    edit = row.add_edit
    assert edit.width() >= edit.fontMetrics().horizontalAdvance(edit.placeholderText())
    window.search_box.clear()
    window.clear_query()
    qtbot.waitUntil(lambda: row.photo_id is None and not row.isVisible(), timeout=WAIT)
