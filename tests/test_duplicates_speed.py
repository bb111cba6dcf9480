"""The fast paths of duplicate grouping give what the plain ones gave: pHash bands against
every pair, the k-NN arrays against brute force, and the slider's counts from the last
regroup's remembered pairs against counts found afresh."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from photosearch.core import duplicates as dup
from photosearch.core.duplicates import candidates, groups
from photosearch.core.duplicates.candidates import PHashBands, neighbour_pairs
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


def test_neighbour_pairs_are_the_brute_force_nearest(tmp_path):
    vecs, hashes = _clustered(400)
    ids = np.arange(10, 10 + len(vecs))
    index = VectorIndex(tmp_path, "m", DIM)
    index.add(ids, vecs)
    facts = make_facts(ids, [None] * len(ids), hashes.astype(np.int64).tolist(),
                       [None] * len(ids), vecs)
    a, b = neighbour_pairs(index, facts, 0.76, k=4)
    got = set(zip(a.tolist(), b.tolist(), strict=True))
    sims = vecs @ vecs.T
    np.fill_diagonal(sims, -np.inf)
    want = set()
    for r in range(len(vecs)):
        for c in np.argsort(-sims[r], kind="stable")[:4].tolist():
            if sims[r, c] >= 0.76:
                want.add((r, c))
    assert got == want and len(want) > 100
    # and the arrays say what the tuples of ``search_many`` say
    found, cos = index.neighbours(vecs[:50], 5, ef=48)
    listed = index.search_many(vecs[:50], 5, ef=48)
    assert [list(zip(f.tolist(), c.tolist(), strict=True)) for f, c in zip(found, cos,
            strict=True)] == [[(i, pytest.approx(s, abs=1e-6)) for i, s in row]
                              for row in listed]


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
