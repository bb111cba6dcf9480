"""Keeping stored groups current while indexing: the ``DuplicateHook``.

Only the new photos are looked at: their equal-content photos (SQL), pHash neighbours
(bands kept in memory for the run) and k nearest neighbours (the index). A new photo
joins the best-related group whose *every* member it relates to (complete linkage, as in
a full regroup), or forms a pair with its best ungrouped match. Groups stored for another
model or other thresholds are left alone: clients regroup when they ask.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from photosearch.core.catalog import PhotoStatus
from photosearch.core.duplicates import store
from photosearch.core.duplicates.candidates import NEIGHBOURS, PHashBands, floor
from photosearch.core.duplicates.groups import load_facts, make_group, thresholds_for
from photosearch.core.duplicates.linkage import link
from photosearch.core.duplicates.pairs import TIERS, Thresholds
from photosearch.core.index import VectorIndex
from photosearch.core.library import Library


class DuplicateHook:
    """A ``BatchHook``: after each indexed batch, attach the new photos to stored groups."""

    def __init__(self) -> None:
        self._bands: PHashBands | None = None

    def __call__(self, library: Library, encoder, ids: np.ndarray, vectors: np.ndarray) -> None:
        th = thresholds_for(library)
        state = store.get_state(library)
        if state is None:
            n = library.catalog.conn.execute(
                "SELECT count(*) FROM embeddings WHERE model=?", (encoder.key,)).fetchone()[0]
            if n > len(ids):
                return  # older photos were never grouped: the first full regroup will
            store.set_state(library, encoder.key, th)
        elif not store.is_current(library, encoder.key, th):
            return
        update_groups(library, library.index_for(encoder.key, encoder.dim), ids, th, self)

    def bands(self, library: Library, new: dict[int, int]) -> PHashBands:
        if self._bands is None:
            rows = library.catalog.conn.execute(
                f"SELECT id, phash FROM photos WHERE {store.LIVE} AND phash IS NOT NULL"
            ).fetchall()
            ids = np.array([r[0] for r in rows], np.int64)
            hashes = np.array([r[1] & 0xFFFFFFFFFFFFFFFF for r in rows], np.uint64)
            self._bands = PHashBands(ids, hashes)
        else:
            self._bands.add(list(new), [h & 0xFFFFFFFFFFFFFFFF for h in new.values()])
        return self._bands


def update_groups(library: Library, index: VectorIndex, new_ids: Sequence[int] | np.ndarray,
                  th: Thresholds, hook: DuplicateHook | None = None) -> None:
    new_ids = [int(i) for i in new_ids]
    store.forget_members(library, new_ids)   # a changed photo is regrouped from scratch
    photos = {i: p for i, p in library.catalog.photos_by_ids(new_ids).items()
              if p.status == PhotoStatus.OK}
    hashed = {i: p.phash for i, p in photos.items() if p.phash is not None}
    bands = (hook or DuplicateHook()).bands(library, hashed)
    chosen = store.chosen_keeps(library)
    low = floor(th)
    for pid, photo in photos.items():
        if store.groups_of(library, [pid]):
            continue  # joined a group as the match of an earlier photo of this batch
        cands = set(store.same_content(library, photo.content_hash, pid))
        if photo.phash is not None:
            _, near = bands.pairs(np.array([pid]), np.array([photo.phash & 0xFFFFFFFFFFFFFFFF],
                                                            np.uint64), th.same_phash)
            cands.update(int(i) for i in near)
        if pid in index:
            cands.update(i for i, s in index.search(index.vectors([pid])[0], NEIGHBOURS + 1)
                         if s >= low and i != pid)
        if cands:
            _attach(library, index.model_key, pid, sorted(cands), th, chosen)


def _attach(library: Library, model_key: str, pid: int, cands: list[int], th: Thresholds,
            chosen: set[int]) -> None:
    """Regroup the new photo's neighbourhood: it, its matches, and the groups they are in,
    with the same complete linkage as a full regroup (so a new photo that links two groups
    merges them only if every member relates to every other)."""
    old = set(store.groups_of(library, cands).values())
    members = {pid, *cands}
    for gid in old:
        members.update(store.members_of(library, gid))
    facts, photos = load_facts(library, model_key, sorted(members))
    if pid not in photos:
        return
    a, b = np.triu_indices(len(facts), 1)
    found = link(facts, a.astype(np.int64), b.astype(np.int64), th)
    with library.catalog.write() as w:
        store.delete_groups(w, old)
        for g in found:
            store.insert(w, make_group(TIERS[g.tier], [photos[int(facts.ids[r])]
                                                       for r in g.rows], chosen).row())
