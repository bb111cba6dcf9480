"""The fast paths of duplicate grouping give what the plain ones gave: pHash bands against
every pair, the k-NN passes (exact blocks in fp32 and bf16, the HNSW index) against
brute force, and the slider's counts from the last regroup's remembered pairs against
counts found afresh."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from photosearch.core import duplicates as dup
from photosearch.core.duplicates import candidates, groups, knn
from photosearch.core.duplicates.candidates import PHashBands
from photosearch.core.duplicates.knn import exact_pairs, index_pairs
from photosearch.core.duplicates.pairs import make_facts
from photosearch.core.index import VectorIndex

DIM = 32


def _clustered(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors in clusters of 1-5 whose members sit at cosines ~0.75-0.99 of their
    centre, and pHashes: a cluster's first two members 0-6 bits apart, others random."""
    rng = np.random.default_rng(seed)
    vecs = np.zeros((n, DIM), np.float32)
    hashes = rng.integers(0, 2**63, n, dtype=np.int64).astype(np.uint64)
    i = 0
    while i < n:
        size = min(int(rng.integers(1, 6)), n - i)
        centre = rng.normal(size=DIM)
        noise = rng.uniform(0.1, 0.6)
        vecs[i:i + size] = centre + rng.normal(size=(size, DIM)) * noise * np.linalg.norm(
            centre) / np.sqrt(DIM)
        if size > 1:
            flips = rng.choice(64, int(rng.integers(0, 7)), replace=False)
            hashes[i + 1] = hashes[i] ^ np.uint64(sum(1 << int(b) for b in flips))
        i += size
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    return vecs, hashes


def test_phash_bands_in_small_chunks_find_every_pair(monkeypatch):
    """Many hashes sharing band values (a library of similar pictures): checked a few
    matches at a time, every pair within the threshold is still found, none beyond."""
    monkeypatch.setattr(candidates, "MATCHES_AT_ONCE", 50)
    rng = np.random.default_rng(3)
    base = rng.integers(0, 2**63, 8, dtype=np.int64).astype(np.uint64)
    hashes = base[rng.integers(0, 8, 600)]
    for i in range(len(hashes)):    # 0-14 bits off one of 8 pictures
        for b in rng.choice(64, int(rng.integers(0, 15)), replace=False):
            hashes[i] ^= np.uint64(1 << int(b))
    rows = np.arange(len(hashes))
    bands = PHashBands(rows, hashes)
    dist = np.bitwise_count(hashes[:, None] ^ hashes[None, :])
    for t in (4, 10, 15):
        qa, qb = bands.pairs(rows, hashes, t)
        got = {(min(x, y), max(x, y)) for x, y in zip(qa.tolist(), qb.tolist(), strict=True)}
        i, j = np.nonzero(np.triu(dist <= t, 1))
        assert got == set(zip(i.tolist(), j.tolist(), strict=True))


def _brute_force(vecs: np.ndarray, floor: float, k: int) -> set[tuple[int, int]]:
    sims = vecs @ vecs.T
    np.fill_diagonal(sims, -np.inf)
    want = set()
    for r in range(len(vecs)):
        for c in np.argsort(-sims[r], kind="stable")[:k].tolist():
            if sims[r, c] >= floor and vecs[r].any() and vecs[c].any():
                want.add((r, c))
    return want


def test_index_pairs_are_the_brute_force_nearest(tmp_path):
    vecs, hashes = _clustered(400)
    ids = np.arange(10, 10 + len(vecs))
    index = VectorIndex(tmp_path, "m", DIM)
    index.add(ids, vecs)
    facts = make_facts(ids, [None] * len(ids), hashes.astype(np.int64).tolist(),
                       [None] * len(ids), vecs)
    a, b = index_pairs(index, facts, 0.76, k=4)
    got = set(zip(a.tolist(), b.tolist(), strict=True))
    want = _brute_force(vecs, 0.76, 4)
    assert got == want and len(want) > 100
    # and the arrays say what the tuples of ``search_many`` say
    found, cos = index.neighbours(vecs[:50], 5, ef=48)
    listed = index.search_many(vecs[:50], 5, ef=48)
    assert [list(zip(f.tolist(), c.tolist(), strict=True)) for f, c in zip(found, cos,
            strict=True)] == [[(i, pytest.approx(s, abs=1e-6)) for i, s in row]
                              for row in listed]


@pytest.mark.parametrize("bf16", [False, True])
def test_exact_pairs_are_the_brute_force_nearest_in_small_blocks(monkeypatch, bf16):
    """Blocks smaller than the photos (rows and columns cut unevenly, the diagonal blocks
    and the triangle above them), planted copies, photos without a vector, and rows with
    more hits than they keep: the pass finds exactly brute force's pairs, in fp32 and in
    bf16 screening alike (bf16 rounds cosines by up to ~0.004: the fp32 check decides)."""
    if bf16:
        pytest.importorskip("torch")
    monkeypatch.setattr(knn, "ROWS_AT_ONCE", 37)
    monkeypatch.setattr(knn, "COLUMNS_AT_ONCE", 53)
    monkeypatch.setattr(knn, "COMPACT_AT", 200)
    vecs, hashes = _clustered(300, seed=2)
    rng = np.random.default_rng(4)
    copies = rng.choice(300, 20, replace=False)
    vecs[copies[10:]] = vecs[copies[:10]]                  # identical vectors (cosine 1)
    icon = rng.normal(size=DIM)                            # 30 near-identical pictures
    vecs[200:230] = icon + rng.normal(size=(30, DIM)) * 0.05
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    vecs[[5, 77]] = 0.0                                    # no vector
    ids = np.arange(100, 400)
    facts = make_facts(ids, [None] * 300, hashes.astype(np.int64).tolist(), [None] * 300,
                       vecs)
    for floor, k in ((0.76, 4), (0.9, 12), (0.5, 3)):
        a, b = exact_pairs(facts, floor, k, bf16=bf16)
        got = list(zip(a.tolist(), b.tolist(), strict=True))
        assert len(got) == len(set(got))
        assert set(got) == _brute_force(vecs, floor, k)
    assert len(_brute_force(vecs, 0.76, 4)) > 300


def test_above_the_exact_limit_the_index_groups_the_same(synthetic, monkeypatch):
    """Clear cases (well-separated clusters) group the same through either pass."""
    library, key, _ = synthetic
    exact = dup.find_groups(library, key)
    used = []
    monkeypatch.setattr(knn, "EXACT_UP_TO", 10)
    monkeypatch.setattr(knn, "index_pairs", lambda *a, **kw: used.append(1) or index_pairs(
        *a, **kw))
    approximate = dup.find_groups(library, key)
    assert used
    assert len(exact) > 20
    assert ({tuple(p.id for p in g.photos) for g in exact}
            == {tuple(p.id for p in g.photos) for g in approximate})


@pytest.fixture
def synthetic(library):
    """A library of 300 clustered photos with vectors and pHashes (no files), and a way to
    add one more."""
    vecs, hashes = _clustered(301, seed=5)
    encoder = SimpleNamespace(key="synthetic", dim=DIM)
    folder = library.catalog.add_folder("/nowhere")
    index = library.index_for(encoder.key, encoder.dim)

    def add(rows: range) -> None:
        with library.catalog.write() as conn:
            ids = [conn.execute(
                "INSERT INTO photos(folder_id, path, size, mtime, content_hash, width, height, "
                "phash, status, added_at) VALUES (?,?,?,?,?,?,?,?,'ok',0)",
                (folder.id, f"/nowhere/{i}.png", 100 + i, 0.0,
                 f"h{i - 1 if i % 50 == 49 else i}", 64, 64, int(hashes[i].astype(np.int64))),
            ).lastrowid for i in rows]
            for pid, i in zip(ids, rows, strict=True):
                conn.execute("INSERT INTO embeddings(model, photo_id, vector) VALUES (?,?,?)",
                             (encoder.key, pid, vecs[i].tobytes()))
        index.add(ids, vecs[list(rows)])

    add(range(300))
    return library, encoder.key, lambda: add(range(300, 301))


def test_slider_counts_from_remembered_pairs_equal_counts_found_afresh(synthetic,
                                                                      monkeypatch):
    library, key, add_one = synthetic
    regrouped = dup.refresh_groups(library, key)
    assert {tuple(p.id for p in g.photos) for g in regrouped} == {
        tuple(p.id for p in g.photos) for g in dup.find_groups(library, key)}
    real_gather = groups.gather

    def refuse(*args, **kwargs):
        raise AssertionError("the remembered pairs should have served")

    monkeypatch.setattr(groups, "gather", refuse)
    remembered = dup.group_counts(library, key, "near", groups.NEAR_SLIDER)
    monkeypatch.setattr(groups, "gather", real_gather)
    with library.catalog.write() as conn:
        conn.execute("DELETE FROM duplicate_edges")
    afresh = dup.group_counts(library, key, "near", groups.NEAR_SLIDER)
    assert remembered == afresh
    assert len(set(afresh.values())) > 3          # the slider does change the counts
    base = dup.thresholds_for(library)
    for value in (0.80, 0.86, 0.92, 0.97):        # what a regroup at that value finds
        found = dup.find_groups(library, key, base.with_tier_threshold("near", value))
        assert afresh[value] == (len(found), sum(len(g.photos) for g in found))
    # a photo added since the regroup: the pairs are stale and not used
    dup.refresh_groups(library, key)
    add_one()
    called = []
    monkeypatch.setattr(groups, "gather", lambda *a, **k: called.append(1) or real_gather(
        *a, **k))
    after = dup.group_counts(library, key, "near", groups.NEAR_SLIDER)
    assert called
    with library.catalog.write() as conn:
        conn.execute("DELETE FROM duplicate_edges")
    assert after == dup.group_counts(library, key, "near", groups.NEAR_SLIDER)
