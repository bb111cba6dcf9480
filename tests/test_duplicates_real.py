"""Duplicates on real photos (``../shared/datasets/imagenet-sample``; skipped elsewhere).

The fixture model only knows coloured shapes, so its vectors say nothing about real
photos: the 'same picture' tier is checked with the pHash rule alone (the embedding rule
switched off by an unreachable cosine), which is what it must carry for real weights too.
"""

from __future__ import annotations

import shutil

from conftest import shared_dataset
from test_duplicates import write_copies

from photosearch.core import duplicates as dup
from photosearch.core.duplicates import Thresholds
from photosearch.core.features import standard_hooks
from photosearch.core.pipeline import index_library

PHOTOS = 8


def test_real_photo_copies_are_one_group_and_different_photos_are_not(library, encoder,
                                                                       tmp_path):
    sample = sorted(shared_dataset("imagenet-sample").glob("*.JPEG"))[::97][:PHOTOS]
    folder = tmp_path / "photos"
    folder.mkdir()
    expected = set()
    for src in sample:
        own = shutil.copy(src, folder / src.name)
        copies = write_copies(folder / src.name, folder / "copies")
        expected.add(frozenset([str(own), *map(str, copies)]))
    library.add_folder(folder)
    index_library(library, encoder, hooks=standard_hooks())
    th = Thresholds(same_cosine=2.0)   # pHash only: the fixture model can't judge photos
    groups = dup.find_groups(library, encoder.key, th, tier="same")
    assert {frozenset(p.path for p in g.photos) for g in groups} == expected
    exact = dup.find_groups(library, encoder.key, th, tier="exact")
    assert len(exact) == PHOTOS and all(len(g.photos) == 2 for g in exact)
    assert all(g.keep.width == max(p.width for p in g.photos) for g in groups)
