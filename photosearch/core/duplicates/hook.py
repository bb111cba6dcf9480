"""Keeping stored groups current while indexing: the ``DuplicateHook``.

Only the new photos are looked at, and each against a bounded few: at most
``CANDIDATES`` equal-content photos (SQL) and pHash neighbours (bands kept in memory for
the run), and ``NEIGHBOURS`` nearest neighbours (the index). The groups of the related
ones are tried strongest first: the new photo joins one if it relates to the group's
representatives (``linkage``: at most ``REPRESENTATIVES`` comparisons, whatever the
group's size); if none takes it, it pairs with its strongest ungrouped match. So a photo
costs the same in a library of distinct photos as in one of 20,000 near-identical icons.

The hook never merges two stored groups (a full regroup may); groups stored for another
model or other thresholds are left alone: clients regroup when they ask.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from photosearch.core.catalog import Photo, PhotoStatus
from photosearch.core.duplicates import store
from photosearch.core.duplicates.candidates import PHashBands, floor
from photosearch.core.duplicates.groups import keep_order, load_facts, thresholds_for, timestamp
from photosearch.core.duplicates.knn import NEIGHBOURS
from photosearch.core.duplicates.linkage import MAX_GROUP, REPRESENTATIVES
from photosearch.core.duplicates.pairs import NONE, TIERS, Facts, Thresholds, make_facts, ranks
from photosearch.core.index import VectorIndex
from photosearch.core.library import Library

CANDIDATES = 16            # equal-content and pHash matches looked at, each, per photo
REMEMBERED_GROUPS = 256    # groups whose representatives' facts the hook keeps


class DuplicateHook:
    """A ``BatchHook``: after each indexed batch, attach the new photos to stored groups.

    ``compared`` counts the photo pairs related so far: the work, bounded per photo."""

    def __init__(self) -> None:
        self._bands: PHashBands | None = None
        self.compared = 0
        # group id -> facts of its representatives, reused while they stay the same
        self.reps: OrderedDict[int, tuple[Facts, dict[int, Photo]]] = OrderedDict()

    def remember(self, gid: int, facts: tuple[Facts, dict[int, Photo]]) -> None:
        self.reps[gid] = facts
        self.reps.move_to_end(gid)
        while len(self.reps) > REMEMBERED_GROUPS:
            self.reps.popitem(last=False)

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
    """Group the photos ``new_ids`` (new or changed) among the stored groups."""
    hook = hook or DuplicateHook()
    new_ids = [int(i) for i in new_ids]
    store.forget_members(library, new_ids)   # a changed photo is grouped afresh
    photos = {i: p for i, p in sorted(library.catalog.photos_by_ids(new_ids).items())
              if p.status == PhotoStatus.OK}
    bands = hook.bands(library, {i: p.phash for i, p in photos.items() if p.phash is not None})
    chosen = store.chosen_keeps(library)
    low = floor(th)
    for pid, photo in photos.items():
        if store.groups_of(library, [pid]):
            continue  # joined a group as the match of an earlier photo of this batch
        cands = store.same_content(library, photo.content_hash, pid, CANDIDATES)
        if photo.phash is not None:
            cands += bands.nearest(pid, photo.phash, th.same_phash, CANDIDATES)
        if pid in index:
            cands += [i for i, s in index.search(index.vectors([pid])[0], NEIGHBOURS + 1)
                      if s >= low and i != pid]
        if cands:
            _attach(library, index.model_key, photo, sorted(set(cands)), th, chosen, hook)


def _attach(library: Library, model_key: str, photo: Photo, cands: list[int],
            th: Thresholds, chosen: set[int], hook: DuplicateHook) -> None:
    """Put ``photo`` in the group of its strongest related candidate that takes it, or
    else pair it with its strongest ungrouped one (joining first: a third copy indexed in
    the same batch as a second joins their group rather than starting another); then its
    other ungrouped matches join that group where they fit."""
    facts, photos = load_facts(library, model_key, [photo.id, *cands])
    if photo.id not in photos or len(facts) < 2:
        return
    me = int(facts.rows_of([photo.id])[0])
    others = np.array([r for r in range(len(facts)) if r != me], np.int64)
    rank, dist, cos = ranks(facts, np.full(len(others), me), others, th)
    hook.compared += len(others)
    strength = np.where(rank <= 1, dist.astype(np.float64), 64.0 * (1.0 - cos))
    rank_of = {int(facts.ids[others[e]]): int(rank[e]) for e in np.lexsort((strength, rank))
               if rank[e] < NONE}
    related = list(rank_of)                  # strongest first
    group_of = store.groups_of(library, related)
    vector = {int(pid): facts.vectors[r:r + 1] for r, pid in enumerate(facts.ids.tolist())}
    gid = next((g for g in dict.fromkeys(group_of[c] for c in related if c in group_of)
                if _join(library, model_key, photo, vector[photo.id], g, th, chosen, hook)),
               None)
    single = [c for c in related if c not in group_of]
    if gid is None and single:
        pair = [photo, photos[single[0]]]
        keep = next((p for p in pair if p.id in chosen), None) or min(pair, key=keep_order)
        gid = store.add_group(library, store.Row(TIERS[rank_of[single[0]]], keep.id,
                                                 keep.id in chosen, [photo.id, single[0]]))
        single = single[1:]
    for c in single if gid is not None else ():
        # older photos that had no match until now join too (as a full regroup would)
        _join(library, model_key, photos[c], vector[c], gid, th, chosen, hook)


def _join(library: Library, model_key: str, photo: Photo, vector: np.ndarray, gid: int,
          th: Thresholds, chosen: set[int], hook: DuplicateHook) -> bool:
    """Add ``photo`` to group ``gid`` if it relates to every representative the group
    would have with it (``linkage``'s promise); False if it does not, or the group is
    full."""
    size = store.member_count(library, gid, MAX_GROUP)
    if size >= MAX_GROUP:
        return False
    reps = store.first_members(library, gid, REPRESENTATIVES)
    if size >= REPRESENTATIVES and photo.id < reps[-1]:
        # it would become a representative (a changed photo keeps its old id): then
        # every member must relate to it. Rare, and bounded by MAX_GROUP.
        reps = store.first_members(library, gid, MAX_GROUP)
    known = hook.reps.get(gid)
    if known is None or list(known[0].ids) != reps:
        known = load_facts(library, model_key, reps)
        hook.remember(gid, known)
    rep_facts, rep_photos = known
    if len(rep_photos) < len(reps):
        return False
    both = _with(photo, vector, rep_facts, [rep_photos[i] for i in reps])
    others = np.arange(1, len(both), dtype=np.int64)
    rank = ranks(both, np.zeros(len(others), np.int64), others, th)[0]
    hook.compared += len(others)
    worst = int(rank.max()) if len(rank) else NONE
    if worst >= NONE:
        return False
    tier, keep_id, keep_chosen = store.group_row(library, gid)
    tier = TIERS[max(worst, TIERS.index(tier))]
    if photo.id in chosen and not keep_chosen:
        keep_id, keep_chosen = photo.id, True
    elif not keep_chosen:
        keep = library.catalog.photo(keep_id) if keep_id is not None else None
        if keep is None or keep.status != PhotoStatus.OK or keep_order(photo) < keep_order(keep):
            keep_id = photo.id
    store.add_member(library, gid, photo.id, tier, keep_id, keep_chosen)
    return True


def _with(photo: Photo, vector: np.ndarray, reps: Facts, rep_rows: list[Photo]) -> Facts:
    """Facts of ``photo`` (row 0, ``vector`` of shape (1, D), D may be 0) and the
    representatives (content codes made afresh: each ``Facts`` numbers its own)."""
    width = max(vector.shape[1], reps.vectors.shape[1])
    vectors = np.zeros((1 + len(reps), width), np.float32)
    vectors[:1, :vector.shape[1]] = vector
    vectors[1:, :reps.vectors.shape[1]] = reps.vectors
    rows = [photo, *rep_rows]
    return make_facts([p.id for p in rows], [p.content_hash for p in rows],
                      [p.phash for p in rows], [timestamp(p.taken_at) for p in rows], vectors)
