"""What a large library relies on: float16 vectors (and the migration to them), counts
kept by triggers, and an index that opens by appending only what it lacks."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from photosearch.core.catalog import MIGRATIONS, Catalog, PhotoStatus
from photosearch.core.catalog.health import upgrade
from photosearch.core.catalog.records import live_sql
from photosearch.core.decoding import decode
from photosearch.core.index import VectorIndex
from photosearch.core.library import Library
from photosearch.core.pipeline import index_library
from photosearch.core.search import search_text

# the step that moved vectors to float16 (found by content: others may append steps)
HALF_STEP = next(i for i, m in enumerate(MIGRATIONS) if "photosearch_half" in m)


def _unit(n: int, dim: int = 8, seed: int = 0) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _scanned_counts(catalog: Catalog, model: str, folder_id: int) -> tuple[int, ...]:
    """The counts the slow way (a scan of every photo), to compare the tallies with."""
    vec = f"EXISTS (SELECT 1 FROM embeddings e WHERE e.model='{model}' AND e.photo_id=p.id)"
    r = catalog.conn.execute(
        f"SELECT count(*), sum(status='failed'), sum(status='missing'), "
        f"sum({live_sql()} AND {vec}), sum({live_sql()} AND error IS NOT NULL AND NOT {vec}) "
        "FROM photos p WHERE folder_id=?", (folder_id,)).fetchone()
    total, failed, missing, indexed, retry = (int(x or 0) for x in r)
    return total, indexed, total - failed - missing - indexed, failed, missing, retry


def _as_tuple(c) -> tuple[int, ...]:
    return c.total, c.indexed, c.pending, c.failed, c.missing, c.retry


def _check_counts(catalog: Catalog, model: str) -> None:
    counts = catalog.folder_counts(model)
    assert set(counts) == {f.id for f in catalog.folders()}
    for fid, c in counts.items():
        assert _as_tuple(c) == _scanned_counts(catalog, model, fid)
        assert _as_tuple(catalog.counts(model, folder_id=fid)) == _as_tuple(c)
    assert catalog.counts(model).total == sum(c.total for c in counts.values())


def test_counts_follow_every_change(tmp_path):
    catalog = Catalog(tmp_path / "c.sqlite3")
    outer = catalog.add_folder(str(tmp_path / "a"))
    inner = catalog.add_folder(str(tmp_path / "a" / "b"))
    other = catalog.add_folder(str(tmp_path / "c"))
    with catalog.write() as conn:
        for i in range(1, 31):
            fid = (outer.id, inner.id, other.id)[i % 3]
            conn.execute("INSERT INTO photos(id, folder_id, path, size, mtime, added_at) "
                         "VALUES (?, ?, ?, 0, 0, 0)", (i, fid, str(tmp_path / f"{i}.jpg")))
    vecs = _unit(30)
    for i in range(1, 21):
        catalog.store_vector("m", i, vecs[i - 1])
    catalog.store_vector("other", 1, vecs[0])
    catalog.store_vector("m", 2, vecs[5])            # a vector replaced counts once
    _check_counts(catalog, "m")
    catalog.mark_failed(3, "broken")
    catalog.defer(4, "disk asleep")
    catalog.defer(25, "disk asleep")
    with catalog.write() as conn:
        conn.execute("UPDATE photos SET status='missing' WHERE id IN (5, 26)")
        conn.execute("DELETE FROM photos WHERE id IN (6, 27)")
        conn.execute("DELETE FROM embeddings WHERE photo_id=7")
    _check_counts(catalog, "m")
    _check_counts(catalog, "other")
    catalog.absorb(outer, [inner])                    # photos change folder
    _check_counts(catalog, "m")
    catalog.remove_folder(other.id)                   # photos go with their folder
    _check_counts(catalog, "m")
    assert catalog.counts("m").total == 18
    catalog.close()


def test_vectors_are_stored_as_float16_and_float32_rows_still_read(tmp_path):
    catalog = Catalog(tmp_path / "c.sqlite3")
    folder = catalog.add_folder(str(tmp_path))
    with catalog.write() as conn:
        for i in (1, 2):
            conn.execute("INSERT INTO photos(id, folder_id, path, size, mtime, status, "
                         "added_at) VALUES (?, ?, ?, 0, 0, 'ok', 0)",
                         (i, folder.id, str(tmp_path / f"{i}.jpg")))
    vecs = _unit(2, dim=512)
    catalog.store_vector("m", 1, vecs[0])
    with catalog.write() as conn:  # a row as written before float16 storage
        conn.execute("INSERT INTO embeddings(model, photo_id, vector) VALUES ('m', 2, ?)",
                     (vecs[1].tobytes(),))
    assert catalog.vector_dim("m") == 512
    ids, got = catalog.vectors("m")
    assert ids.tolist() == [1, 2]
    assert np.abs(got[0] - vecs[0]).max() < 1e-3 and got[0].dtype == np.float32
    assert np.array_equal(got[1], vecs[1])
    size = catalog.conn.execute("SELECT length(vector) FROM embeddings WHERE photo_id=1")
    assert size.fetchone()[0] == 512 * 2
    catalog.close()


def _old_catalog(path, model: str, photos: list, vectors: np.ndarray) -> None:
    """A catalog as the version before float16 storage wrote it (float32 vectors)."""
    conn = sqlite3.connect(path, isolation_level=None)
    upgrade(conn, MIGRATIONS[:HALF_STEP], 0)
    conn.execute("INSERT INTO folders(id, path, added_at) VALUES (1, ?, 0)",
                 (str(photos[0].parent),))
    for i, (path_, vec) in enumerate(zip(photos, vectors, strict=True), 1):
        conn.execute("INSERT INTO photos(id, folder_id, path, size, mtime, status, added_at) "
                     "VALUES (?, 1, ?, 0, 0, 'ok', 0)", (i, str(path_)))
        conn.execute("INSERT INTO embeddings(model, photo_id, vector) VALUES (?, ?, ?)",
                     (model, i, vec.astype(np.float32).tobytes()))
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()


def test_an_old_catalog_migrates_to_float16_and_answers_as_before(tmp_path, encoder,
                                                                  make_photos):
    photos = sorted(p for p, _, _ in make_photos(per_class=1))
    vectors = encoder.encode_pil([decode(str(p), min_side=encoder.image_size).image
                                  for p in photos])
    (tmp_path / "lib").mkdir()
    _old_catalog(tmp_path / "lib" / "catalog.sqlite3", encoder.key, photos, vectors)
    with Library.open(tmp_path / "lib") as lib:
        halves = lib.catalog.conn.execute("SELECT DISTINCT half FROM embeddings").fetchall()
        assert halves == [(1,)]
        ids, stored = lib.catalog.vectors(encoder.key)
        assert np.abs(stored - vectors[ids - 1]).max() < 2e-3
        assert lib.catalog.counts(encoder.key).indexed == len(photos)
        for query in ("a red circle", "a blue square", "a green triangle"):
            exact = vectors @ encoder.encode_texts([query])[0]
            best = np.sort(exact)[::-1][:5]
            hits = search_text(lib, encoder, query, k=5)
            got = np.array([exact[h.photo_id - 1] for h in hits])
            # the same photos, in the same order, up to ties closer than float16 rounding
            assert np.abs(got - best).max() < 2e-3
            assert hits[0].photo_id - 1 in np.flatnonzero(exact >= best[0] - 2e-3)


def test_opening_appends_only_what_the_saved_index_lacks(tmp_path, encoder, make_photos,
                                                        monkeypatch):
    make_photos(per_class=1, folder=tmp_path / "photos")
    with Library.open(tmp_path / "lib") as lib:
        lib.add_folder(tmp_path / "photos")
        index_library(lib, encoder)
        n = len(lib.index_for(encoder.key, encoder.dim))
    added: list[int] = []
    real_add = VectorIndex.add
    monkeypatch.setattr(VectorIndex, "add", lambda self, ids, vecs, threads=1: (
        added.append(len(ids)), real_add(self, ids, vecs, threads))[1])
    with Library.open(tmp_path / "lib") as lib:
        assert len(lib.index_for(encoder.key, encoder.dim)) == n
        assert sum(added) == 0 and lib.rebuilt == []
        # vectors stored by another process since the index was saved: two new photos
        folder = lib.catalog.folders()[0]
        with lib.catalog.write() as conn:
            for i in (1001, 1002):
                conn.execute("INSERT INTO photos(id, folder_id, path, size, mtime, status, "
                             "added_at) VALUES (?, ?, ?, 0, 0, 'ok', 0)",
                             (i, folder.id, str(tmp_path / f"{i}.jpg")))
        for i in (1001, 1002):
            lib.catalog.store_vector(encoder.key, i, _unit(1, encoder.dim, i)[0])
    with Library.open(tmp_path / "lib") as lib:
        index = lib.index_for(encoder.key, encoder.dim)
        assert sum(added) == 2 and lib.rebuilt == []
        assert 1001 in index and len(index) == n + 2


@pytest.mark.parametrize("status", [PhotoStatus.FAILED, PhotoStatus.MISSING])
def test_a_photo_leaving_the_live_set_leaves_the_indexed_count(tmp_path, status):
    catalog = Catalog(tmp_path / "c.sqlite3")
    folder = catalog.add_folder(str(tmp_path))
    with catalog.write() as conn:
        conn.execute("INSERT INTO photos(id, folder_id, path, size, mtime, status, added_at) "
                     "VALUES (1, ?, ?, 0, 0, 'ok', 0)", (folder.id, str(tmp_path / "1.jpg")))
    catalog.store_vector("m", 1, _unit(1)[0])
    assert catalog.counts("m").indexed == 1
    with catalog.write() as conn:
        conn.execute("UPDATE photos SET status=? WHERE id=1", (status.value,))
    counts = catalog.counts("m")
    assert (counts.indexed, counts.failed + counts.missing) == (0, 1)
    catalog.close()


def test_vector_batches_read_the_live_vectors_a_batch_at_a_time(tmp_path):
    catalog = Catalog(tmp_path / "c.sqlite3")
    folder = catalog.add_folder(str(tmp_path))
    vecs = _unit(10)
    with catalog.write() as conn:
        for i in range(1, 11):
            conn.execute("INSERT INTO photos(id, folder_id, path, size, mtime, status, "
                         "added_at) VALUES (?, ?, ?, 0, 0, ?, 0)",
                         (i, folder.id, str(tmp_path / f"{i}.jpg"),
                          "failed" if i == 4 else "ok"))
    for i in range(1, 11):
        catalog.store_vector("m", i, vecs[i - 1])
    batches = list(catalog.vector_batches("m", size=3))
    assert [len(ids) for ids, _ in batches] == [3, 3, 3]          # photo 4 is not live
    ids = np.concatenate([b[0] for b in batches])
    every_id, every_vec = catalog.vectors("m")
    assert ids.tolist() == every_id.tolist() == catalog.vector_ids("m")
    np.testing.assert_array_equal(np.concatenate([b[1] for b in batches]), every_vec)
    assert catalog.vector_id_array("other").tolist() == []
    catalog.close()


def test_a_rebuilt_index_holds_the_live_vectors_and_opening_drops_what_left(tmp_path,
                                                                         encoder,
                                                                         make_photos):
    make_photos(per_class=1, folder=tmp_path / "photos")
    with Library.open(tmp_path / "lib") as lib:
        lib.add_folder(tmp_path / "photos")
        index_library(lib, encoder)
        live = lib.catalog.vector_ids(encoder.key)
    for f in (tmp_path / "lib" / "indexes").rglob("index.*"):
        f.unlink()                                  # gone: rebuilt from the catalog
    with Library.open(tmp_path / "lib") as lib:
        index = lib.index_for(encoder.key, encoder.dim)
        assert lib.rebuilt == [encoder.key] and sorted(index.ids) == live
        gone = live[0]
        # another process forgets a photo while this index is saved without it
        with Library.open(tmp_path / "lib") as other, other.catalog.write() as conn:
            conn.execute("DELETE FROM photos WHERE id=?", (gone,))
    with Library.open(tmp_path / "lib") as lib:
        index = lib.index_for(encoder.key, encoder.dim)
        assert gone not in index and sorted(index.ids) == live[1:]
        assert lib.rebuilt == []
