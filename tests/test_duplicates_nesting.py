"""Near groups keep their stronger subsets: nesting, and hiding by tier."""

from __future__ import annotations

import shutil

import pytest

from photosearch.core import duplicates as dup
from photosearch.core.features import standard_hooks
from photosearch.core.pipeline import index_library
from photosearch.core.search import Hit


@pytest.fixture
def near_scene(library, encoder, make_photos, tmp_path):
    """Three different pictures and an exact copy of the first, with a near threshold so
    loose that all four are one near group; the exact pair is inside it."""
    made = [p for p, _, _ in make_photos(per_class=1, seed=3, folder=tmp_path / "made")]
    folder = tmp_path / "photos"
    folder.mkdir()
    picked = [shutil.copy(p, folder / f"shot{n}.jpg") for n, p in enumerate(made[:3])]
    shutil.copy(picked[0], folder / "shot0-copy.jpg")
    library.update_settings(duplicate_thresholds={"near_cosine": -1.0})
    library.add_folder(folder)
    assert not index_library(library, encoder, hooks=standard_hooks()).failed
    groups = dup.current_groups(library, encoder.key)
    assert [(g.tier, len(g.photos)) for g in groups] == [("near", 4)]
    return library, groups[0]


def _names(photos) -> set[str]:
    return {p.path.rsplit("/", 1)[-1] for p in photos}


def test_a_near_group_lists_its_exact_subset(near_scene, encoder):
    library, group = near_scene
    nested = dup.nest(library, [group], encoder.key)
    subsets = nested[group.keep_id]
    assert [(s.tier, _names(s.photos)) for s in subsets] == [
        ("exact", {"shot0.jpg", "shot0-copy.jpg"})]
    assert subsets[0].keep_id in {p.id for p in group.photos}


def test_hiding_takes_exact_copies_by_default_and_near_ones_when_asked(near_scene):
    library, group = near_scene
    assert not library.settings.hide_near_duplicates
    ids = {_names([p]).pop(): p.id for p in group.photos}
    hits = [Hit(pid, name, 1.0) for name, pid in ids.items()]

    pair = {"shot0.jpg", "shot0-copy.jpg"}
    default = dup.Collapsed.load(library, dup.hidden_tiers(library.settings))
    shown = {h.path for h, _ in default.collapse(hits)}
    assert len(shown) == 3 and len(shown & pair) == 1     # only the exact copy hides
    kept = (shown & pair).pop()
    assert default.size(ids[kept]) == 2

    library.update_settings(hide_near_duplicates=True)
    everything = dup.Collapsed.load(library, dup.hidden_tiers(library.settings))
    assert [h.photo_id for h, n in everything.collapse(hits)] == [group.keep_id]
    assert everything.size(group.keep_id) == 4
