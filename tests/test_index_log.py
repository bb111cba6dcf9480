"""The vector log: an index opens by applying what changed in the catalog since it was
saved (catalog/embeddings.py ``vector_changes``, ``Library.sync_index``), and falls back
to comparing every id when the log cannot tell."""

from __future__ import annotations

import base64
import json
import sqlite3

import numpy as np
import pytest

from photosearch.core.catalog import MIGRATIONS, Catalog
from photosearch.core.catalog.embeddings import encode_vector
from photosearch.core.catalog.health import upgrade
from photosearch.core.index import SIDECAR_FILE
from photosearch.core.library import Library

DIM = 8
# the step that added the log (found by content: others may append steps)
LOG_STEP = next(i for i, m in enumerate(MIGRATIONS) if "CREATE TABLE vector_log(" in m)


def _unit(n: int, seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=(n, DIM)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _add_photos(lib: Library, ids: range | list[int], model: str = "m", seed: int = 0,
                ) -> None:
    """Photos with a stored vector each, written through the catalog as another process
    would (no index is told)."""
    folder = lib.catalog.folders()[0]
    with lib.catalog.write() as conn:
        for i in ids:
            conn.execute("INSERT OR IGNORE INTO photos(id, folder_id, path, size, mtime, "
                         "status, added_at) VALUES (?, ?, ?, 0, 0, 'ok', 0)",
                         (i, folder.id, f"{folder.path}/{i}.jpg"))
            lib.catalog.store_vector(model, i, _unit(1, seed * 10_000 + i)[0])


def _new_library(tmp_path, ids=range(1, 11), models=("m",)) -> None:
    """A library whose saved indexes (one per model) hold photos ``ids``."""
    (tmp_path / "photos").mkdir(exist_ok=True)
    with Library.open(tmp_path / "lib") as lib:
        lib.add_folder(tmp_path / "photos")
        for model in models:
            _add_photos(lib, ids, model)
            lib.index_for(model, DIM)


@pytest.fixture
def compares(monkeypatch) -> list[str]:
    """The models whose index was compared with the catalog id by id (the slow path)."""
    calls: list[str] = []
    real = Catalog.vector_id_array
    monkeypatch.setattr(Catalog, "vector_id_array",
                        lambda self, model: (calls.append(model), real(self, model))[1])
    return calls


def _best(index, vector: np.ndarray) -> tuple[int, float]:
    return index.search(vector, 1)[0]


def _log_rows(lib: Library, model: str) -> int:
    return lib.catalog.conn.execute("SELECT count(*) FROM vector_log WHERE model=?",
                                    (model,)).fetchone()[0]


def test_changes_through_the_catalog_reach_an_index_opened_later_by_its_log(tmp_path,
                                                                           compares):
    _new_library(tmp_path)
    new5 = _unit(1, 555)[0]
    with Library.open(tmp_path / "lib") as lib:     # another process, no index open
        _add_photos(lib, [11])
        lib.catalog.store_vector("m", 5, new5)                      # replaced in place
        with lib.catalog.write() as conn:
            conn.execute("DELETE FROM photos WHERE id=3")
            conn.execute("UPDATE photos SET status='missing' WHERE id=6")
            conn.execute("UPDATE photos SET status='failed' WHERE id=7")
            conn.execute("DELETE FROM embeddings WHERE photo_id=8")
            conn.execute("DELETE FROM photos WHERE id=10")
        _add_photos(lib, [10], seed=1)                  # the id used again, another vector
    with Library.open(tmp_path / "lib") as lib:
        index = lib.index_for("m", DIM)
        assert index.ids == {1, 2, 4, 5, 9, 10, 11}
        assert compares == [] and lib.rebuilt == []
        assert _best(index, new5) == (5, pytest.approx(1.0, abs=2e-3))
        assert _best(index, _unit(1, 10_000 + 10)[0])[0] == 10
        with lib.catalog.write() as conn:
            conn.execute("UPDATE photos SET status='ok' WHERE id=6")   # back again
        lib.sync_indexes()
        assert 6 in index and compares == []
    with Library.open(tmp_path / "lib") as lib:
        assert lib.index_for("m", DIM).ids == {1, 2, 4, 5, 6, 9, 10, 11}
        assert compares == [] and _log_rows(lib, "m") == 0     # the save pruned the log


def test_a_crash_between_catalog_commit_and_index_save_is_caught_up(tmp_path, compares):
    _new_library(tmp_path)
    lib = Library.open(tmp_path / "lib")
    index = lib.index_for("m", DIM)
    saved_at = index.log_seq
    # as the indexing pipeline does: commit vectors, add them to the index; then the
    # process dies before its next save (no close)
    _add_photos(lib, range(11, 16))
    ids, vecs = lib.catalog.vectors("m", list(range(11, 16)))
    index.add(ids, vecs)
    with lib.catalog.write() as conn:
        conn.execute("DELETE FROM photos WHERE id=2")
    assert lib.catalog.vector_log_end() > saved_at
    lib.catalog.close()                     # gone without saving its index
    with Library.open(tmp_path / "lib") as again:
        index = again.index_for("m", DIM)
        assert index.ids == set(range(1, 16)) - {2}
        assert compares == [] and again.rebuilt == []
        assert index.log_seq == again.catalog.vector_log_end()


def test_a_pruned_log_falls_back_to_comparing_every_id(tmp_path, compares):
    _new_library(tmp_path)
    with Library.open(tmp_path / "lib") as first:
        index = first.index_for("m", DIM)       # held in memory at the saved position
        with Library.open(tmp_path / "lib") as second:   # another process catches up,
            _add_photos(second, [11])                    # saves and prunes the log
            with second.catalog.write() as conn:         # (the count stays the same)
                conn.execute("DELETE FROM photos WHERE id=1")
            assert second.index_for("m", DIM).ids == set(range(2, 12))
        assert _log_rows(first, "m") == 0 and compares == []
        first.sync_indexes()
        assert compares == ["m"] and index.ids == set(range(2, 12))


def test_an_index_that_disagrees_with_the_catalog_is_compared_in_full(tmp_path, compares):
    _new_library(tmp_path)
    with Library.open(tmp_path / "lib") as lib:
        _add_photos(lib, [11])
        end = lib.catalog.vector_log_end()
    sidecar = tmp_path / "lib" / "indexes"
    path = next(sidecar.rglob(SIDECAR_FILE))
    meta = json.loads(path.read_text())
    meta["log_seq"] = end           # claims photo 11, which it lacks
    path.write_text(json.dumps(meta))
    with Library.open(tmp_path / "lib") as lib:
        assert 11 in lib.index_for("m", DIM) and compares == ["m"]


def test_two_models_keep_their_own_positions(tmp_path, compares):
    _new_library(tmp_path, models=("a", "b"))
    with Library.open(tmp_path / "lib") as lib:
        _add_photos(lib, [11], "a")
        _add_photos(lib, [11, 12], "b", seed=2)
        lib.index_for("a", DIM)       # saved and pruned at close: a's entries only
    with Library.open(tmp_path / "lib") as lib:
        assert (_log_rows(lib, "a"), _log_rows(lib, "b")) == (0, 2)
        assert lib.index_for("b", DIM).ids == set(range(1, 13))
        assert lib.index_for("a", DIM).ids == set(range(1, 12))
        assert compares == []
    with Library.open(tmp_path / "lib") as lib:
        assert (_log_rows(lib, "a"), _log_rows(lib, "b")) == (0, 0)


def test_an_old_sidecar_loads_then_is_saved_packed(tmp_path, compares):
    _new_library(tmp_path)
    path = next((tmp_path / "lib" / "indexes").rglob(SIDECAR_FILE))
    meta = json.loads(path.read_text())
    ids = np.frombuffer(base64.b64decode(meta.pop("ids")), "<i8")
    meta.pop("log_seq")
    meta["live"] = ids.tolist()                         # as sidecars were written before
    path.write_text(json.dumps(meta))
    with Library.open(tmp_path / "lib") as lib:
        assert lib.index_for("m", DIM).ids == set(range(1, 11))
        assert compares == ["m"] and lib.rebuilt == []  # no position: compared once
    meta = json.loads(path.read_text())
    assert "live" not in meta and isinstance(meta["log_seq"], int)
    with Library.open(tmp_path / "lib") as lib:
        assert lib.index_for("m", DIM).ids == set(range(1, 11))
        assert compares == ["m"]


def test_a_catalog_from_before_the_log_migrates_and_its_index_is_right(tmp_path,
                                                                      compares):
    (tmp_path / "lib").mkdir()
    conn = sqlite3.connect(tmp_path / "lib" / "catalog.sqlite3", isolation_level=None)
    upgrade(conn, MIGRATIONS[:LOG_STEP], 0)
    conn.execute("INSERT INTO folders(id, path, added_at) VALUES (1, ?, 0)",
                 (str(tmp_path),))
    vecs = _unit(6, 7)
    for i in range(1, 7):
        conn.execute("INSERT INTO photos(id, folder_id, path, size, mtime, status, added_at) "
                     "VALUES (?, 1, ?, 0, 0, ?, 0)",
                     (i, str(tmp_path / f"{i}.jpg"), "failed" if i == 4 else "ok"))
        conn.execute("INSERT INTO embeddings(model, photo_id, vector, half) "
                     "VALUES ('m', ?, ?, 1)", (i, encode_vector(vecs[i - 1])))
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    with Library.open(tmp_path / "lib") as lib:
        assert lib.catalog.vector_log_end() == 0 and _log_rows(lib, "m") == 0
        index = lib.index_for("m", DIM)
        assert index.ids == {1, 2, 3, 5, 6} and index.log_seq == 0
        assert _best(index, vecs[2])[0] == 3
    with Library.open(tmp_path / "lib") as lib:
        with lib.catalog.write() as conn:
            conn.execute("UPDATE photos SET status='ok' WHERE id=4")
        assert lib.index_for("m", DIM).ids == {1, 2, 3, 4, 5, 6}
        assert compares == []
