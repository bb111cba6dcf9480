"""Issue 12's View menu and Preferences: thumbnail sizes, the tag threshold that re-tags
with progress, the language that switches at once, and the core's errors and preset names
in the interface's language."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QCheckBox, QMenu

from photosearch.core import errors
from photosearch.core.presets import PRESETS
from photosearch.core.tagging import store
from photosearch.gui import i18n
from photosearch.gui.preferences import PreferencesDialog
from photosearch.gui.status_text import error_text, preset_label

WAIT = 120000   # a ceiling for a loaded machine; the waits end as soon as things hold


def _actions(window) -> dict[str, object]:
    return {a.text().replace("&", ""): a for menu in window.menuBar().findChildren(QMenu)
            for a in menu.actions() if a.text()}


@pytest.fixture
def english(qapp):
    """The test may switch the language; the next test finds English again."""
    i18n.install("en")
    yield
    i18n.install("en")


def test_thumbnail_size_from_the_view_menu_is_remembered(qtbot, open_window):
    from photosearch.gui.results_grid import THUMB_SIZES

    window = open_window()
    actions = _actions(window)
    larger, smaller = actions["Larger thumbnails"], actions["Smaller thumbnails"]
    # the shortcuts are shown in the menu (Ctrl++ works too, for keyboards with a + key)
    assert larger.shortcut().toString() == "Ctrl+="
    assert smaller.shortcut().toString() == "Ctrl+-"
    assert {"Small", "Medium", "Large"} <= set(actions)
    grid = window.grid
    assert grid.thumb == THUMB_SIZES["medium"]
    window.resize(1300, 800)
    qtbot.waitUntil(lambda: grid.viewport().width() > 1000, timeout=WAIT)
    columns = window.results.columns
    larger.trigger()
    assert grid.thumb == THUMB_SIZES["large"]
    assert grid.gridSize().width() >= THUMB_SIZES["large"] + 24
    assert window.results.columns < columns            # fewer, bigger cells
    larger.trigger()                                    # already the largest
    assert grid.thumb == THUMB_SIZES["large"]
    assert window.grid.thumb == open_window().grid.thumb == THUMB_SIZES["large"]
    actions["Small"].trigger()
    assert grid.thumb == THUMB_SIZES["small"]
    smaller.trigger()
    assert grid.thumb == THUMB_SIZES["small"]
    again = open_window()
    assert again.grid.thumb == THUMB_SIZES["small"]
    view = next(m for m in again.menuBar().findChildren(QMenu) if m.title() == "&View")
    view.aboutToShow.emit()
    assert _actions(again)["Small"].isChecked()


def _index(qtbot, window, encoder, make_photos, tmp_path) -> list:
    files = make_photos(per_class=1, seed=5, folder=tmp_path / "p")
    window.add_folders([str(tmp_path / "p")])
    qtbot.waitUntil(lambda: window.indexer.idle and window.indexer.encoder is not None
                    and window.library.catalog.counts(encoder.key).indexed == len(files)
                    and not window.runner.busy, timeout=WAIT)
    return files


def _most_auto_tags(window) -> int:
    catalog = window.library.catalog
    ids = [pid for (pid,) in catalog.conn.execute("SELECT id FROM photos")]
    return max(sum(not t.manual for t in store.tags_of(catalog, pid)) for pid in ids)


def test_a_new_tag_threshold_re_tags_with_progress(qtbot, open_window, encoder,
                                                   make_photos, tmp_path):
    from photosearch.gui.tags_panel import TagsPanel

    window = open_window()
    files = _index(qtbot, window, encoder, make_photos, tmp_path)
    assert _most_auto_tags(window) > 1
    panel = window.findChild(TagsPanel)
    reports: list = []
    panel.progress.connect(reports.append)
    dialog = PreferencesDialog(window, window)
    dialog.tags_per_photo.setValue(1)
    dialog.tag_threshold.setValue(2.5)
    with qtbot.waitSignal(panel.retagged, timeout=WAIT):
        changed = dialog.apply()
    assert changed == {"tag_selection": {"z_min": 2.5, "max_tags": 1}}
    assert window.library.settings.tag_selection == {"z_min": 2.5, "max_tags": 1}
    assert _most_auto_tags(window) == 1
    assert any(p.phase == "tagging" and p.total == len(files) for p in reports)
    assert panel.words.status.text() == f"Re-tagged {len(files)} photos."
    # reopened, the dialog shows what was chosen; unchanged, it changes nothing
    again = PreferencesDialog(window, window)
    assert (again.tag_threshold.value(), again.tags_per_photo.value()) == (2.5, 1)
    assert again.changes() == {}


def test_custom_words_from_preferences_re_tag_and_show_in_the_tags_tab(
        qtbot, open_window, encoder):
    from photosearch.gui.tags_panel import TagsPanel

    window = open_window()
    qtbot.waitUntil(lambda: window.indexer.state == "ready", timeout=WAIT)
    panel = window.findChild(TagsPanel)
    dialog = PreferencesDialog(window, window)
    dialog.tags.setPlainText("wisteria")
    with qtbot.waitSignal(panel.retagged, timeout=WAIT):
        dialog.apply()
    assert panel.words.words() == ["wisteria"]


def test_a_new_near_threshold_regroups_and_moves_the_slider(qtbot, open_window):
    from photosearch.gui.duplicates_view import SLIDER_VALUES, DuplicatesView

    window = open_window()
    view = window.findChild(DuplicatesView)
    dialog = PreferencesDialog(window, window)
    dialog.near.setValue(0.855)
    with qtbot.waitSignal(view.groups_shown, timeout=WAIT):
        dialog.apply()
    # the slider shows its nearest step, and did not overwrite the chosen value with it
    assert SLIDER_VALUES[view.slider.value()] == min(SLIDER_VALUES,
                                                    key=lambda v: abs(v - 0.855))
    qtbot.wait(view.apply_timer.interval() * 3)         # a stray settle would apply it
    assert window.library.settings.duplicate_thresholds["near_cosine"] == 0.855


def test_the_language_switches_at_once(qtbot, english, open_window, encoder, make_photos,
                                       tmp_path):
    from photosearch.gui.folders_panel import ALL

    window = open_window()
    assert "Welcome" in window.grid.empty_text
    files = _index(qtbot, window, encoder, make_photos, tmp_path)
    qtbot.waitUntil(lambda: f"{len(files)} photos" in window.header.text(), timeout=WAIT)
    hide = window.findChild(QCheckBox, "hideDuplicates")
    assert hide.text() == "Hide duplicates"
    dialog = PreferencesDialog(window, window)
    dialog.language.setCurrentIndex(dialog.language.findData("ru"))
    assert dialog.apply() == {"ui_language": "ru"}

    titles = [a.text() for a in window.menuBar().actions()]
    assert titles[:2] == ["&Файл", "&Вид"]
    assert window.views.tabText(0) == "Фотографии"
    assert window.folders.add_button.text() == "Добавить папку…"
    assert window.search_box.placeholderText().startswith("Опишите")
    assert hide.text() == "Скрывать дубликаты"
    assert window.grid.empty_text.startswith("Напишите, что вы ищете")
    qtbot.waitUntil(lambda: window.folders.item_text(ALL).startswith("Все папки"),
                    timeout=WAIT)
    qtbot.waitUntil(lambda: "фотографи" in window.header.text(), timeout=WAIT)
    assert window.status.model_label.text().startswith("Модель:")
    model_menu = next(m for m in window.menuBar().findChildren(QMenu)
                      if m.title() == "&Модель")
    model_menu.aboutToShow.emit()                       # labels made from a template
    assert any("русский" in a.text() for a in model_menu.actions())
    # and back, with nothing left in Russian
    dialog = PreferencesDialog(window, window)
    assert dialog.windowTitle() == "Настройки"
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.apply()
    assert [a.text() for a in window.menuBar().actions()][:2] == ["&File", "&View"]
    assert hide.text() == "Hide duplicates" and window.views.tabText(0) == "Photos"
    qtbot.waitUntil(lambda: f"{len(files)} photos" in window.header.text(), timeout=WAIT)


def test_core_errors_and_presets_in_the_interface_language(qtbot, english):
    full = errors.DiskFull(Path("/media/photos"))
    too_new = errors.CatalogTooNew(Path("/lib/catalog.sqlite"), 9, 7)
    unknown = errors.PhotosearchError("Something only the core says")
    # in English the GUI says what the core says
    assert error_text(full) == str(full)
    assert error_text(unknown) == str(unknown)
    assert preset_label(PRESETS["default"]) == PRESETS["default"].label
    assert preset_label(PRESETS["english-classic"]) == PRESETS["english-classic"].label
    i18n.install("ru")
    assert error_text(full) == ("На диске библиотеки (/media/photos) нет места; "
                                "освободите место и запустите снова.")
    assert "/lib" in error_text(too_new) and "более новой" in error_text(too_new)
    locked = errors.LibraryLocked("Another photosearch process is indexing /lib")
    assert error_text(locked).startswith("Эту библиотеку сейчас индексирует")
    image = errors.UnreadableImage("/p/cat.jpg", "truncated")
    assert error_text(image) == "cat.jpg — не читаемое изображение: truncated"
    assert error_text(unknown) == str(unknown)        # not in the table: the core's words
    label = preset_label(PRESETS["default"])
    assert label.startswith("SigLIP 2 ViT-B/32, быстрая — русский, английский")
    assert "1,5 ГБ" in label and "работы на фотографию" in label
