"""Switching models in the app: the old model answers until the new one has embedded
every photo, then the new one takes over at once."""

from __future__ import annotations

import pytest
from conftest import FIXTURE_MODEL, SIGLIP_MODEL

from photosearch.core.library import Library

WAIT = 180000   # a ceiling for a loaded machine; the waits end as soon as things hold
OLD = f"local-dir:{FIXTURE_MODEL}"
NEW = f"local-dir:{SIGLIP_MODEL}"


@pytest.fixture
def window(open_window):
    win = open_window(features=False)      # the CLIP fixture answers
    win.library.update_settings(model=OLD)
    return win


def _indexed(window, key: str) -> bool:
    counts = window.library.catalog.counts(key)
    return window.indexer.idle and counts.total > 0 and counts.pending == 0


def _search(qtbot, window, text: str) -> list:
    with qtbot.waitSignal(window.results_shown, timeout=WAIT) as shown:
        window.search_box.setText(text)
        window.run_query()
    return shown.args[0]


def test_the_old_model_answers_until_the_new_one_has_embedded_everything(
        qtbot, window, encoder, siglip_encoder, make_photos, tmp_path):
    make_photos(per_class=1, seed=5, folder=tmp_path / "photos")
    window.add_folders([str(tmp_path / "photos")])
    qtbot.waitUntil(lambda: _indexed(window, encoder.key), timeout=WAIT)
    ix = window.indexer

    ix.pause()                       # the new model loads, but embeds nothing yet
    ix.switch_model(NEW, None, factory=lambda progress: siglip_encoder)
    qtbot.waitUntil(lambda: ix.next_encoder is siglip_encoder, timeout=WAIT)
    s = window.library.settings
    assert (s.model, s.next_model) == (OLD, NEW)
    assert window.library.catalog.counts(siglip_encoder.key).indexed == 0
    assert "→ tiny_siglip" in window.status.model_label.text()
    hits = _search(qtbot, window, "a red circle")
    assert hits and ix.encoder is encoder        # answered by the old model's index

    ix.resume()
    qtbot.waitUntil(lambda: ix.encoder is siglip_encoder, timeout=WAIT)
    assert ix.next_encoder is None and _indexed(window, siglip_encoder.key)
    assert (window.library.settings.model, window.library.settings.next_model) == (NEW, None)
    assert "→" not in window.status.model_label.text()
    assert _search(qtbot, window, "a blue square")        # the new model answers


def test_choosing_the_model_in_use_again_cancels_the_switch(qtbot, window, encoder,
                                                            siglip_encoder, make_photos,
                                                            tmp_path):
    make_photos(per_class=1, seed=6, folder=tmp_path / "photos")
    window.add_folders([str(tmp_path / "photos")])
    qtbot.waitUntil(lambda: _indexed(window, encoder.key), timeout=WAIT)
    ix = window.indexer
    ix.pause()
    ix.switch_model(NEW, None, factory=lambda progress: siglip_encoder)
    qtbot.waitUntil(lambda: ix.next_encoder is not None, timeout=WAIT)
    ix.switch_model(OLD, None)
    assert ix.next_encoder is None and ix.encoder is encoder and ix.state == "ready"
    assert window.library.settings.next_model is None
    assert "→" not in window.status.model_label.text()


def test_a_switch_cut_short_by_a_restart_goes_on(qtbot, open_window, encoder, make_photos,
                                                  tmp_path):
    """The next model is in the settings: the app loads it (through the settings, as real
    weights load) after the current one and finishes the switch."""
    from photosearch.core import model_switch
    from photosearch.core.pipeline import index_library

    make_photos(per_class=1, seed=8, folder=tmp_path / "photos")
    with Library.open() as library:
        library.update_settings(model=OLD)
        library.add_folder(tmp_path / "photos")
        index_library(library, encoder)
        assert model_switch.begin(library, NEW)
    win = open_window(features=False)
    win.indexer.ensure_model()
    qtbot.waitUntil(lambda: win.indexer.encoder is not None
                    and win.indexer.encoder.key != encoder.key, timeout=WAIT)
    assert win.library.settings.model == NEW and model_switch.target(win.library) is None
    assert model_switch.ready(win.library, win.indexer.encoder.key)
