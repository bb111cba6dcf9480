"""The HNSW index: persistence, atomic saves, rebuilds, deletions, odd k."""

from __future__ import annotations

import json

import numpy as np
import pytest

from photosearch.core.errors import IndexCorrupt
from photosearch.core.index import INDEX_FILE, SIDECAR_FILE, VectorIndex
from photosearch.core.settings import Settings, load_settings, save_settings


def _unit(n: int, dim: int = 16, seed: int = 0) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_search_finds_itself_and_k_beyond_count(tmp_path):
    index = VectorIndex(tmp_path, "m", 16)
    vecs = _unit(50)
    index.add(np.arange(100, 150), vecs)
    hits = index.search(vecs[7], 3)
    assert hits[0][0] == 107 and hits[0][1] == pytest.approx(1.0, abs=1e-5)
    assert len(index.search(vecs[0], 500)) == 50
    assert VectorIndex(tmp_path / "empty", "m", 16).search(vecs[0], 5) == []


def test_capacity_grows_and_removal_hides(tmp_path):
    index = VectorIndex(tmp_path, "m", 16)
    vecs = _unit(3000)
    for start in range(0, 3000, 500):
        index.add(np.arange(start, start + 500), vecs[start:start + 500])
    assert len(index) == 3000
    index.remove([5])
    assert 5 not in {i for i, _ in index.search(vecs[5], 10)}
    index.add([5], vecs[5:6])  # a removed photo can come back (revived or moved back)
    assert index.search(vecs[5], 1)[0][0] == 5


def test_filter_with_few_matches_falls_back_to_exact(tmp_path):
    index = VectorIndex(tmp_path, "m", 16)
    vecs = _unit(400)
    index.add(np.arange(400), vecs)
    allowed = {3, 250}
    hits = index.search(vecs[0], 10, allowed.__contains__)
    assert {i for i, _ in hits} == allowed


def test_save_load_roundtrip_and_corruption_detected(tmp_path):
    index = VectorIndex(tmp_path, "m", 16)
    vecs = _unit(20)
    index.add(np.arange(20), vecs)
    index.remove([3])
    index.save()
    again = VectorIndex.load(tmp_path, "m", 16)
    assert again.ids == set(range(20)) - {3}
    assert again.search(vecs[4], 1)[0][0] == 4
    with pytest.raises(IndexCorrupt):
        VectorIndex.load(tmp_path, "other-model", 16)
    data = bytearray((tmp_path / INDEX_FILE).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (tmp_path / INDEX_FILE).write_bytes(bytes(data))
    with pytest.raises(IndexCorrupt):
        VectorIndex.load(tmp_path, "m", 16)
    (tmp_path / SIDECAR_FILE).write_text("{not json")
    with pytest.raises(IndexCorrupt):
        VectorIndex.load(tmp_path, "m", 16)
    (tmp_path / INDEX_FILE).unlink()
    (tmp_path / SIDECAR_FILE).unlink()
    with pytest.raises(FileNotFoundError):
        VectorIndex.load(tmp_path, "m", 16)


def test_save_leaves_no_temp_files(tmp_path):
    index = VectorIndex(tmp_path, "m", 16)
    index.add([1], _unit(1))
    index.save()
    assert sorted(p.name for p in tmp_path.iterdir()) == [INDEX_FILE, SIDECAR_FILE]
    meta = json.loads((tmp_path / SIDECAR_FILE).read_text())
    assert meta["model"] == "m" and meta["dim"] == 16 and meta["count"] == 1


def test_settings_roundtrip_and_upgrade(tmp_path):
    path = tmp_path / "settings.json"
    assert load_settings(path) == Settings()
    s = Settings(model="multilingual", custom_tags=["wisteria"])
    save_settings(s, path)
    assert load_settings(path) == s
    path.write_text(json.dumps({"schema_version": 1, "model_name": "multilingual",
                                "unknown_future_key": 1}))
    upgraded = load_settings(path)
    assert upgraded.model == "multilingual" and upgraded.schema_version == 2
    path.write_text("garbage")
    assert load_settings(path) == Settings()


def test_update_settings_changes_and_saves_in_one_place(library):
    """Clients change settings only through ``Library.update_settings``: the change is
    saved at once, seen by every holder of ``library.settings``, and a misspelt name
    changes nothing."""
    held = library.settings
    library.update_settings(hide_duplicates=False, custom_tags=["wisteria"])
    assert held.hide_duplicates is False and held.custom_tags == ["wisteria"]
    saved = load_settings(library.layout.settings)
    assert saved.hide_duplicates is False and saved.custom_tags == ["wisteria"]
    with pytest.raises(TypeError):
        library.update_settings(hide_duplicates=True, hide_duplicate=True)
    assert held.hide_duplicates is False
