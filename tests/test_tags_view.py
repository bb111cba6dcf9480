"""The tag widgets with pytest-qt (offscreen), driving real buttons and key presses."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from tag_helpers import tagged_copy

from photosearch.core.library import Library
from photosearch.core.tagging import store
from photosearch.gui.tags_panel import TagCloudWidget, TagsPanel
from photosearch.gui.tags_view import PhotoTagsWidget, TagFilterBar

WAIT = 120000   # a ceiling for a loaded machine; the waits end as soon as things hold


@pytest.fixture
def lib(tmp_path_factory, tmp_path, encoder, monkeypatch):
    lib_dir, photos = tagged_copy(tmp_path_factory, tmp_path, encoder, monkeypatch)
    lib = Library.open(lib_dir)
    yield lib, photos
    lib.close()


def test_photo_tags_remove_add_and_click(qtbot, lib):
    lib, photos = lib
    path, colour, shape = photos[0]
    pid = lib.catalog.photo_by_path(str(path)).id
    widget = PhotoTagsWidget(lib, lang="ru")
    qtbot.addWidget(widget)
    widget.set_photo(pid)
    chips = {c.tag: c for c in widget.chips()}
    assert {colour, shape} <= set(chips)
    assert chips[colour].button.text() == "красный"
    qtbot.mouseClick(chips[colour].remove_button, Qt.MouseButton.LeftButton)
    assert colour not in [t.tag for t in store.tags_of(lib.catalog, pid)]
    assert colour not in [c.tag for c in widget.chips()]
    widget.add_edit.insert("пляж")      # QTest types ASCII only; Cyrillic arrives as an IME would
    qtbot.keyClick(widget.add_edit, Qt.Key.Key_Return)
    first = widget.chips()[0]
    assert first.tag == "beach" and store.tags_of(lib.catalog, pid)[0].manual
    with qtbot.waitSignal(widget.tag_clicked, timeout=WAIT) as clicked:
        qtbot.mouseClick(first.button, Qt.MouseButton.LeftButton)
    assert clicked.args == ["beach"]


def test_tag_cloud_counts_filter_and_click(qtbot, lib):
    lib, _ = lib
    cloud = TagCloudWidget(lib, lang="en")
    qtbot.addWidget(cloud)
    counts = dict(store.tag_counts(lib.catalog))
    assert cloud.list.count() == len(counts)
    red = next(cloud.list.item(i) for i in range(cloud.list.count())
               if cloud.list.item(i).data(Qt.ItemDataRole.UserRole) == "red")
    assert red.text() == f"red  ({counts['red']})"
    qtbot.keyClicks(cloud.filter_edit, "re")
    visible = [cloud.list.item(i).text() for i in range(cloud.list.count())
               if not cloud.list.item(i).isHidden()]
    assert visible and all("re" in t for t in visible)
    rect = cloud.list.visualItemRect(red)
    with qtbot.waitSignal(cloud.tag_clicked, timeout=WAIT) as clicked:
        qtbot.mouseClick(cloud.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert clicked.args == ["red"]


def test_lazy_tag_cloud_counts_when_shown(qtbot, lib):
    """The app's cloud reads no counts until its tab is shown (nothing large before the
    first paint), and a change while it is hidden is counted when it is shown again."""
    lib, photos = lib
    cloud = TagCloudWidget(lib, lang="en", lazy=True)
    qtbot.addWidget(cloud)
    assert cloud.list.count() == 0
    cloud.show()
    qtbot.waitUntil(lambda: cloud.list.count() > 0, timeout=WAIT)
    assert cloud.list.count() == len(store.tag_counts(lib.catalog))

    def tags_listed() -> set[str]:
        return {cloud.list.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(cloud.list.count())}

    word = next(t for t in cloud.vocab.tags if t not in tags_listed())
    cloud.hide()
    store.add_manual(lib.catalog, lib.catalog.photo_by_path(str(photos[0][0])).id, word)
    cloud.refresh()
    assert word not in tags_listed()          # hidden: counted when next shown
    cloud.show()
    qtbot.waitUntil(lambda: word in tags_listed(), timeout=WAIT)


def test_filter_chips_follow_the_query(qtbot):
    from photosearch.core.tagging.vocab import load_vocabulary

    bar = TagFilterBar(load_vocabulary(), "en")
    qtbot.addWidget(bar)
    bar.set_query('tag:red tag:"hot air" sunset')
    assert [c.tag for c in bar.chips()] == ["red", "hot air"]
    with qtbot.waitSignal(bar.query_edited, timeout=WAIT) as edited:
        qtbot.mouseClick(bar.chips()[0].remove_button, Qt.MouseButton.LeftButton)
    assert edited.args == ['tag:"hot air" sunset']


def test_custom_words_retag_the_library(qtbot, lib, encoder):
    from photosearch.gui.task_runner import TaskRunner

    lib, photos = lib
    runner = TaskRunner()
    loaded = []                      # the model is not loaded yet when Apply is pressed
    panel = TagsPanel(lib, runner, lambda: loaded[0] if loaded else None)
    qtbot.addWidget(panel)
    qtbot.keyClicks(panel.words.word_edit, "red circle")
    qtbot.keyClick(panel.words.word_edit, Qt.Key.Key_Return)
    qtbot.mouseClick(panel.words.apply_button, Qt.MouseButton.LeftButton)
    assert panel.words.status.text().startswith("Saved")
    loaded.append(encoder)
    panel.model_ready()
    qtbot.waitUntil(lambda: panel.words.status.text().startswith("Re-tagged"), timeout=WAIT)
    assert Library.open(lib.root).settings.custom_tags == ["red circle"]
    assert "red circle" in panel.cloud.counts()
    runner.shutdown()


def test_installed_in_the_main_window(qtbot, lib, encoder):
    from gui_helpers import grid_paths, shown_window

    from photosearch.gui.tags_view import install

    lib, photos = lib
    window, panel = shown_window(qtbot, lib, encoder, install, WAIT)
    try:
        assert window.views.tabText(window.views.indexOf(panel)) == "Tags"
        assert panel.cloud.list.count() == 0      # counted when the tab is first shown
        window.views.setCurrentWidget(panel)
        qtbot.waitUntil(lambda: panel.cloud.list.count() > 0, timeout=WAIT)
        red = next(panel.cloud.list.item(i) for i in range(panel.cloud.list.count())
                   if panel.cloud.list.item(i).data(Qt.ItemDataRole.UserRole) == "red")
        with qtbot.waitSignal(window.results_shown, timeout=WAIT):
            qtbot.mouseClick(panel.cloud.list.viewport(), Qt.MouseButton.LeftButton,
                             pos=panel.cloud.list.visualItemRect(red).center())
        assert window.search_box.text() == "tag:red"
        reds = sorted(str(p) for p, c, _ in photos if c == "red")
        qtbot.waitUntil(lambda: sorted(grid_paths(window)) == reds, timeout=WAIT)
    finally:
        window.shutdown()


def test_tag_queries_run_without_the_model(qtbot, lib):
    """``tag:red`` reads the catalog's tags: it runs while the model loads and when it
    turns out to be missing; a text query still says it needs the model."""
    import threading

    from gui_helpers import grid_paths

    from photosearch.core.errors import ModelUnavailable
    from photosearch.gui.main_window import MainWindow

    lib, photos = lib
    release = threading.Event()

    def no_model(progress):
        release.wait(WAIT / 1000)
        raise ModelUnavailable("No model here (test)")

    window = MainWindow(lib, encoder_factory=no_model, watch=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window, timeout=WAIT)
    reds = sorted(str(p) for p, c, _ in photos if c == "red")
    try:
        window.indexer.ensure_model()
        assert window.indexer.state == "loading"
        window.search_box.setFocus()
        with qtbot.waitSignal(window.results_shown, timeout=WAIT,
                              check_params_cb=lambda hits: bool(hits)):
            qtbot.keyClicks(window.search_box, "tag:red")
        assert sorted(grid_paths(window)) == reds
        assert window.indexer.state == "loading"
        # the model turns out to be missing: the banner shows, the tag results stay
        release.set()
        qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=WAIT)
        assert sorted(grid_paths(window)) == reds and "tag:red" in window.header.text()
        qtbot.keyClick(window.search_box, Qt.Key.Key_Escape)
        with qtbot.waitSignal(window.results_shown, timeout=WAIT,
                              check_params_cb=lambda hits: bool(hits)):
            qtbot.keyClicks(window.search_box, "tag:red")
            qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
        assert sorted(grid_paths(window)) == reds
        # free text needs the model, and says so
        window.search_box.setText("tag:red circle")
        window.run_query()
        assert "model" in window.header.text()
    finally:
        release.set()
        window.shutdown()
