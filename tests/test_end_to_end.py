"""End to end on the fixture model: index generated photos, search them, keep them right."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from conftest import FIXTURE_MODEL, ROOT
from fixture_images import COLOURS, SHAPES

from photosearch.core.index import INDEX_FILE
from photosearch.core.library import Library
from photosearch.core.pipeline import index_library
from photosearch.core.search import search_similar, search_text


def _label(path: str) -> tuple[str, str]:
    colour, shape, _ = Path(path).name.split("_")
    return colour, shape


def _index_new(root: Path, folder: Path, encoder, per_class: int) -> Library:
    from fixture_images import write_dataset

    write_dataset(folder, per_class, seed=101)
    library = Library.open(root)
    library.add_folder(folder)
    report = index_library(library, encoder)
    assert report.embedded == 36 * per_class and not report.failed
    return library


@pytest.fixture(scope="module")
def searchable(encoder, tmp_path_factory):
    """One library of 216 photos for the tests that only read it."""
    base = tmp_path_factory.mktemp("searchable")
    library = _index_new(base / "lib", base / "photos", encoder, per_class=6)
    yield library, base / "photos"
    library.close()


@pytest.fixture
def indexed(encoder, tmp_path):
    """A library of its own, for tests that change photos."""
    library = _index_new(tmp_path / "lib", tmp_path / "photos", encoder, per_class=3)
    yield library, tmp_path / "photos"
    library.close()


def test_text_query_finds_colour_and_shape(searchable, encoder):
    library, _ = searchable
    precision = []
    for colour in COLOURS:
        for shape in SHAPES:
            hits = search_text(library, encoder, f"a {colour} {shape}", k=5)
            assert len(hits) == 5
            assert hits == sorted(hits, key=lambda h: -h.score)
            precision.append(np.mean([_label(h.path) == (colour, shape) for h in hits]))
    assert np.mean(precision) >= 0.95


def test_similar_returns_same_class_and_never_itself(searchable, encoder):
    library, folder = searchable
    precision = []
    for path in sorted(folder.iterdir())[::3]:
        hits = search_similar(library, encoder, str(path), k=5)
        assert str(path) not in {h.path for h in hits}
        precision.append(np.mean([_label(h.path) == _label(str(path)) for h in hits]))
    assert np.mean(precision) >= 0.9


def test_similar_to_an_outside_file(searchable, encoder, make_photos, tmp_path):
    library, _ = searchable
    outside = make_photos(per_class=1, seed=77, folder=tmp_path / "outside")
    path, colour, shape = outside[0]
    hits = search_similar(library, encoder, str(path), k=5)
    assert sum(_label(h.path) == (colour, shape) for h in hits) >= 4


def test_similar_takes_the_result_filter(searchable, encoder):
    """The GUI's filters (hidden duplicates) apply to "find similar" through the core's
    ``search_similar``, as they do to text searches."""
    library, folder = searchable
    path = sorted(folder.iterdir())[0]
    first = search_similar(library, encoder, str(path), k=5)
    banned = {h.photo_id for h in first[:2]}
    hits = search_similar(library, encoder, str(path), k=5, allow=lambda i: i not in banned)
    assert len(hits) == 5 and not banned & {h.photo_id for h in hits}
    assert [h.photo_id for h in hits[:3]] == [h.photo_id for h in first[2:]]


def test_folder_filter(indexed, encoder, make_photos, tmp_path):
    library, folder = indexed
    other = tmp_path / "other"
    make_photos(per_class=1, seed=5, folder=other)
    library.add_folder(other)
    index_library(library, encoder)
    hits = search_text(library, encoder, "a red star", k=10, folder=str(other))
    assert hits and all(h.path.startswith(str(other)) for h in hits)
    assert _label(hits[0].path) == ("red", "star")


def test_moved_file_keeps_vector_and_deleted_file_leaves_results(indexed, encoder):
    library, folder = indexed
    index = library.index_for(encoder.key, encoder.dim)
    path = folder / "blue_ring_000.jpg"
    photo = library.catalog.photo_by_path(str(path))
    before = index.vectors([photo.id])[0]
    (folder / "moved").mkdir()
    new_path = folder / "moved" / "renamed.jpg"
    shutil.move(path, new_path)
    report = index_library(library, encoder)
    assert report.embedded == 0 and report.scan.moved == [photo.id]
    after = index.vectors([photo.id])[0]
    np.testing.assert_allclose(before, after)
    hits = search_similar(library, encoder, str(new_path), k=3)
    assert all(_label(h.path) == ("blue", "ring") for h in hits[:2])

    victim = folder / "blue_ring_001.jpg"
    victim_id = library.catalog.photo_by_path(str(victim)).id
    victim.unlink()
    index_library(library, encoder)
    hits = search_text(library, encoder, "a blue ring", k=50)
    assert victim_id not in {h.photo_id for h in hits}
    assert victim_id not in index


def test_vanished_between_scans_is_not_returned(indexed, encoder):
    library, folder = indexed
    gone = folder / "green_cross_002.jpg"
    gone.unlink()  # no rescan: the search itself must not return it
    hits = search_text(library, encoder, "a green cross", k=10)
    assert str(gone) not in {h.path for h in hits} and len(hits) == 10
    assert sum("green_cross" in h.path for h in hits) == 2


def test_exact_copy_reuses_the_vector(indexed, encoder):
    library, folder = indexed
    shutil.copy(folder / "red_star_000.jpg", folder / "copy.jpg")
    report = index_library(library, encoder)
    assert report.reused == 1 and report.embedded == 0


def test_survives_reopen_and_rebuilds_corrupt_index(indexed, encoder):
    library, folder = indexed
    root = library.root
    expected = [h.path for h in search_text(library, encoder, "a yellow triangle", k=5)]
    library.close()
    with Library.open(root) as again:
        assert [h.path for h in search_text(again, encoder, "a yellow triangle", k=5)] == expected
        index_file = again.layout.index_dir(encoder.key) / INDEX_FILE
    index_file.write_bytes(b"garbage" * 100)
    with Library.open(root) as again:
        hits = search_text(again, encoder, "a yellow triangle", k=5)
        assert again.rebuilt == [encoder.key]
        assert [h.path for h in hits] == expected
    index_file.unlink()
    with Library.open(root) as again:
        assert len(again.index_for(encoder.key, encoder.dim)) == 36 * 3


def test_bad_files_are_recorded_and_skipped(library, encoder, make_photos, tmp_path):
    folder = tmp_path / "mixed"
    make_photos(per_class=1, seed=3, folder=folder)
    (folder / "empty.jpg").write_bytes(b"")
    (folder / "letter.png").write_text("Dear diary")
    good = folder / "red_circle_000.jpg"
    (folder / "cut.jpg").write_bytes(good.read_bytes()[:200])
    library.add_folder(folder)
    report = index_library(library, encoder)
    reasons = dict(report.failed)
    assert set(reasons) == {str(folder / n) for n in ("empty.jpg", "letter.png", "cut.jpg")}
    assert "empty" in reasons[str(folder / "empty.jpg")]
    counts = library.catalog.counts(encoder.key)
    assert (counts.indexed, counts.failed, counts.pending) == (36, 3, 0)
    # a failed file that gets fixed is retried
    shutil.copy(good, folder / "cut.jpg")
    assert index_library(library, encoder).reused == 1


def test_cancel_stops_between_batches(library, encoder, make_photos, tmp_path):
    import threading

    folder = tmp_path / "many"
    make_photos(per_class=3, seed=9, folder=folder)
    library.add_folder(folder)
    cancel = threading.Event()
    seen = []

    def progress(p):
        if p.phase == "indexing" and p.done:
            seen.append(p.done)
            cancel.set()

    report = index_library(library, encoder, progress=progress, cancel=cancel)
    assert report.cancelled and report.embedded == encoder.batch_size == seen[0]
    assert index_library(library, encoder).embedded == 36 * 3 - encoder.batch_size


_KILL_SCRIPT = """
import sys, time
from photosearch.core.library import Library
from photosearch.core.model import load_encoder, resolve_source
from photosearch.core.pipeline import index_library
enc = load_encoder(resolve_source(sys.argv[2]), device="cpu", precision="fp32", batch_size=8)
def progress(p):
    if p.phase == "indexing" and p.done:
        print("BATCH", p.done, flush=True)
        time.sleep(0.5)
with Library.open(sys.argv[1]) as lib:
    index_library(lib, enc, progress=progress)
"""


def test_killed_mid_indexing_opens_and_finishes(encoder, make_photos, tmp_path):
    folder = tmp_path / "photos"
    make_photos(per_class=3, seed=11, folder=folder)
    root = tmp_path / "killed-lib"
    with Library.open(root) as lib:
        lib.add_folder(folder)
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILL_SCRIPT, str(root), f"local-dir:{FIXTURE_MODEL}"],
        stdout=subprocess.PIPE, text=True, cwd=ROOT, env={**os.environ})
    batches = 0
    deadline = time.monotonic() + 120
    while batches < 3 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        batches += line.startswith("BATCH")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    assert batches == 3, "the child never got going"
    with Library.open(root) as lib:
        done = lib.catalog.counts(encoder.key).indexed
        assert 16 <= done < 36 * 3, done   # what was committed stays, nothing is half-written
        report = index_library(lib, encoder)
        assert report.embedded == 36 * 3 - done
        assert len(lib.index_for(encoder.key, encoder.dim)) == 36 * 3


def test_queries_by_class_are_consistent_per_colour(searchable, encoder):
    """Colour-only queries rank that colour first (the model is not just shape-aware)."""
    library, _ = searchable
    for colour in COLOURS:
        hits = search_text(library, encoder, f"something {colour}", k=6)
        counts = defaultdict(int)
        for h in hits:
            counts[_label(h.path)[0]] += 1
        assert counts[colour] >= 5, (colour, dict(counts))
