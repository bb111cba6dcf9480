"""Switching models: the old model answers until the new one has embedded the library."""

from __future__ import annotations

import numpy as np
from conftest import FIXTURE_MODEL, SIGLIP_MODEL

from photosearch.core import model_switch
from photosearch.core.library import Library
from photosearch.core.model import resolve_source

OLD = f"local-dir:{FIXTURE_MODEL}"
NEW = f"local-dir:{SIGLIP_MODEL}"


def _photos(library: Library, n: int) -> list[int]:
    folder = library.catalog.add_folder("/photos")
    return [library.catalog.add_photo(folder.id, f"/photos/{i}.jpg", 1, float(i))
            for i in range(n)]


def test_a_library_without_vectors_switches_at_once(library):
    library.update_settings(model=OLD)
    assert not model_switch.begin(library, NEW)
    assert library.settings.model == NEW and model_switch.target(library) is None


def test_the_old_model_answers_until_the_new_one_has_every_photo(library):
    library.update_settings(model=OLD)
    ids = _photos(library, 3)
    old_key, new_key = resolve_source(OLD).key, resolve_source(NEW).key
    for pid in ids:
        library.catalog.store_vector(old_key, pid, np.ones(4, np.float32))
    assert model_switch.begin(library, NEW)
    reopened = Library.open(library.root)     # the choice is kept across restarts
    assert model_switch.target(reopened) == (NEW, None)
    reopened.close()
    assert library.settings.model == OLD and library.model_choice() == (OLD, None)
    assert model_switch.progress(library, new_key) == model_switch.SwitchProgress(0, 3)
    library.catalog.store_vector(new_key, ids[0], np.ones(4, np.float32))
    library.catalog.mark_failed(ids[1], "not an image")
    assert model_switch.progress(library, new_key).fraction == 0.5
    assert not model_switch.ready(library, new_key)
    library.catalog.store_vector(new_key, ids[2], np.ones(4, np.float32))
    assert model_switch.ready(library, new_key)
    assert model_switch.finish(library) == (NEW, None)
    assert library.settings.model == NEW and model_switch.target(library) is None


def test_choosing_the_current_model_again_cancels_the_switch(library):
    library.update_settings(model=OLD)
    (pid,) = _photos(library, 1)
    library.catalog.store_vector(resolve_source(OLD).key, pid, np.ones(4, np.float32))
    assert model_switch.begin(library, NEW)
    assert not model_switch.begin(library, OLD)
    assert library.settings.model == OLD and model_switch.target(library) is None
    assert not model_switch.begin(library, NEW, keep_answering=False)   # no working model
    assert library.settings.model == NEW
