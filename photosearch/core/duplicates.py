"""Duplicates: find, group, remember and collapse copies of the same photo.

How photos relate and how pairs become groups (tiers, thresholds, candidate pairs, chain
safety by complete linkage) is in ``duplicate_pairs``; this module ties that to the
library: it reads the catalog and the index, stores groups and the user's keep choices in
the catalog, keeps groups up to date while indexing (``DuplicateHook``) and collapses
search results.

Groups belong to one model (their near tier comes from its vectors) and one set of
thresholds; the meta key ``duplicates`` records which. ``current_groups`` returns the
stored groups when they match and regroups (and stores) when they do not. Each photo is
in at most one group; a group's tier is the weakest relation between two members.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime

import numpy as np

from photosearch.core.catalog import Photo, PhotoStatus
from photosearch.core.catalog.records import status_sql
from photosearch.core.duplicate_pairs import (
    NEIGHBOURS,
    TIERS,
    Facts,
    PHashBands,
    Thresholds,
    candidate_pairs,
    link,
    make_facts,
)
from photosearch.core.index import VectorIndex
from photosearch.core.library import Library
from photosearch.core.progress import Progress, ProgressFn, noop
from photosearch.core.search import Hit
from photosearch.core.trash import TrashReport, move_to_trash

__all__ = ["TIERS", "Group", "Thresholds", "DuplicateHook", "current_groups", "find_groups",
           "refresh_groups", "stored_groups", "group_counts", "set_keep", "collapse",
           "suggest_keep", "thresholds_for", "cleanup_plan", "trash_others"]

_STATE_KEY = "duplicates"
# Grouped photos are decoded ones: a changed file waiting to be indexed again is out.
_LIVE = f"status={status_sql(PhotoStatus.OK)}"


@dataclass
class Group:
    """A group of copies; ``photos`` lists the suggested (or chosen) keep first."""

    tier: str
    photos: list[Photo]
    keep_id: int
    keep_chosen: bool = False
    id: int | None = None

    @property
    def keep(self) -> Photo:
        return next(p for p in self.photos if p.id == self.keep_id)

    @property
    def others(self) -> list[Photo]:
        return [p for p in self.photos if p.id != self.keep_id]


@dataclass
class _State:
    model: str | None
    thresholds: dict[str, float] = field(default_factory=dict)


def thresholds_for(library: Library) -> Thresholds:
    return Thresholds.from_dict(library.settings.duplicate_thresholds)


# -- keep suggestion ---------------------------------------------------------------------
def _timestamp(taken_at: str | None) -> float | None:
    if not taken_at:
        return None
    try:
        return datetime.fromisoformat(taken_at).timestamp()
    except (ValueError, OverflowError, OSError):
        return None


def _keep_order(p: Photo) -> tuple:
    when = _timestamp(p.taken_at)
    return (-(p.width or 0) * (p.height or 0), -p.size, when if when is not None else p.mtime,
            p.path)


def suggest_keep(photos: Sequence[Photo]) -> Photo:
    """Highest resolution, then largest file, then oldest (capture time, else mtime)."""
    return min(photos, key=_keep_order)


def _make_group(tier: str, photos: list[Photo], chosen: set[int], gid: int | None = None,
                ) -> Group:
    picked = [p for p in photos if p.id in chosen]
    keep = picked[0] if picked else suggest_keep(photos)
    ordered = [keep] + sorted((p for p in photos if p.id != keep.id), key=_keep_order)
    return Group(tier, ordered, keep.id, bool(picked), gid)


# -- reading the library -----------------------------------------------------------------
def model_index(library: Library, model_key: str | None) -> VectorIndex | None:
    """The model's index without loading the model (its dimension is in the catalog)."""
    if not model_key:
        return None
    dim = library.catalog.vector_dim(model_key)
    return library.index_for(model_key, dim) if dim else None


def load_facts(library: Library, model_key: str | None,
               ids: Sequence[int] | None = None) -> tuple[Facts, dict[int, Photo]]:
    """Facts of live photos (all, or ``ids``) and their catalog rows."""
    catalog = library.catalog
    if ids is None:
        photos = {p.id: p for p in catalog.photos(status=PhotoStatus.OK)}
    else:
        photos = {i: p for i, p in catalog.photos_by_ids(ids).items()
                  if p.status == PhotoStatus.OK}
    order = sorted(photos)
    vectors = None
    if model_key:
        vid, vecs = catalog.vectors(model_key, order if ids is not None else None)
        if len(vid):
            vectors = np.zeros((len(order), vecs.shape[1]), np.float32)
            pos = {pid: n for n, pid in enumerate(order)}
            for pid, v in zip(vid.tolist(), vecs, strict=True):
                if pid in pos:
                    vectors[pos[pid]] = v
    rows = [photos[i] for i in order]
    facts = make_facts(order, [p.content_hash for p in rows], [p.phash for p in rows],
                       [_timestamp(p.taken_at) for p in rows], vectors)
    return facts, photos


def neighbour_pairs(index: VectorIndex | None, facts: Facts, floor: float,
                    k: int = NEIGHBOURS) -> tuple[np.ndarray, np.ndarray] | None:
    """(row, neighbour row) for every photo's k nearest neighbours with cosine ≥ floor."""
    if index is None or not facts.vectors.shape[1] or not len(facts):
        return None
    has = np.nonzero(np.abs(facts.vectors).sum(axis=1) > 0)[0]
    results = index.search_many(facts.vectors[has], k + 1)
    pos = {int(pid): n for n, pid in enumerate(facts.ids)}
    a: list[int] = []
    b: list[int] = []
    for row, hits in zip(has.tolist(), results, strict=True):
        for pid, sim in hits:
            other = pos.get(pid)
            if sim >= floor and other is not None and other != row:
                a.append(row)
                b.append(other)
    return np.array(a, np.int64), np.array(b, np.int64)


def _floor(th: Thresholds) -> float:
    return min(th.same_cosine, th.near_cosine - th.burst_bonus)


# -- whole-library grouping --------------------------------------------------------------
def find_groups(library: Library, model_key: str | None, thresholds: Thresholds | None = None,
                *, tier: str = "near", progress: ProgressFn = noop,
                cancel: threading.Event | None = None) -> list[Group]:
    """Group every live photo (not stored). ``tier`` is the loosest relation allowed."""
    th = thresholds or thresholds_for(library)
    facts, photos = load_facts(library, model_key)
    progress(Progress("finding duplicates", 0, 3))
    index = model_index(library, model_key) if tier != "exact" else None
    near = neighbour_pairs(index, facts, _floor(th))
    progress(Progress("finding duplicates", 1, 3))
    a, b = candidate_pairs(facts, near, th, cancel)
    progress(Progress("finding duplicates", 2, 3))
    found = link(facts, a, b, th, TIERS.index(tier), cancel)
    chosen = _chosen_keeps(library)
    groups = [_make_group(TIERS[g.tier], [photos[int(facts.ids[r])] for r in g.rows], chosen)
              for g in found]
    progress(Progress("finding duplicates", 3, 3))
    return sorted(groups, key=lambda g: (TIERS.index(g.tier), g.keep.path))


def group_counts(library: Library, model_key: str | None, tier: str,
                 values: Sequence[float], thresholds: Thresholds | None = None,
                 cancel: threading.Event | None = None) -> dict[float, tuple[int, int]]:
    """{slider value: (groups, photos in groups)} for the threshold ``tier``'s slider
    moves (pHash bits for same, cosine for near). Candidates are gathered once at the
    loosest value, so each further value only relinks: fast enough to fill a slider."""
    base = thresholds or thresholds_for(library)
    facts, _ = load_facts(library, model_key)
    settings = {v: base.with_tier_threshold(tier, v) for v in values}
    loosest = Thresholds(
        same_phash=max(t.same_phash for t in settings.values()),
        same_phash_loose=base.same_phash_loose, same_cosine=base.same_cosine,
        near_cosine=min(t.near_cosine for t in settings.values()),
        burst_seconds=base.burst_seconds, burst_bonus=base.burst_bonus)
    index = model_index(library, model_key)
    a, b = candidate_pairs(facts, neighbour_pairs(index, facts, _floor(loosest)), loosest,
                           cancel)
    max_tier = TIERS.index(tier)
    out = {}
    for value, th in settings.items():
        found = link(facts, a, b, th, max_tier, cancel)
        out[value] = (len(found), sum(len(g.rows) for g in found))
    return out


# -- stored groups -----------------------------------------------------------------------
def _state(library: Library) -> _State | None:
    raw = library.catalog.get_meta(_STATE_KEY)
    if not raw:
        return None
    data = json.loads(raw)
    return _State(data.get("model"), data.get("thresholds", {}))


def _set_state(library: Library, model_key: str | None, th: Thresholds) -> None:
    library.catalog.set_meta(_STATE_KEY, json.dumps({"model": model_key,
                                                     "thresholds": asdict(th)}))


def _chosen_keeps(library: Library) -> set[int]:
    return {r[0] for r in library.catalog.conn.execute(
        "SELECT keep_id FROM duplicate_groups WHERE keep_chosen=1 AND keep_id IS NOT NULL")}


def _store(library: Library, groups: list[Group]) -> None:
    with library.catalog.write() as conn:
        conn.execute("DELETE FROM duplicate_groups")
        for g in groups:
            g.id = _insert(conn, g)


def _insert(conn, g: Group) -> int:
    cur = conn.execute("INSERT INTO duplicate_groups(tier, keep_id, keep_chosen) VALUES (?,?,?)",
                       (g.tier, g.keep_id, int(g.keep_chosen)))
    conn.executemany("INSERT OR REPLACE INTO duplicate_members(group_id, photo_id) VALUES (?,?)",
                     [(cur.lastrowid, p.id) for p in g.photos])
    return int(cur.lastrowid)


def refresh_groups(library: Library, model_key: str | None,
                   thresholds: Thresholds | None = None, *, progress: ProgressFn = noop,
                   cancel: threading.Event | None = None) -> list[Group]:
    """Regroup the whole library and store the result (user keep choices survive)."""
    th = thresholds or thresholds_for(library)
    groups = find_groups(library, model_key, th, progress=progress, cancel=cancel)
    _store(library, groups)
    _set_state(library, model_key, th)
    return groups


def stored_groups(library: Library, tier: str | None = None) -> list[Group]:
    """Stored groups, live members only (a group left with one photo is not shown)."""
    conn = library.catalog.conn
    members: dict[int, list[int]] = {}
    for gid, pid in conn.execute(
            "SELECT m.group_id, m.photo_id FROM duplicate_members m "
            f"JOIN photos p ON p.id=m.photo_id WHERE p.{_LIVE}"):
        members.setdefault(gid, []).append(pid)
    photos = library.catalog.photos_by_ids([p for ids in members.values() for p in ids])
    groups = []
    for gid, gtier, keep_id, chosen in conn.execute(
            "SELECT id, tier, keep_id, keep_chosen FROM duplicate_groups"):
        ids = members.get(gid, [])
        if len(ids) < 2 or (tier is not None and TIERS.index(gtier) > TIERS.index(tier)):
            continue
        keep = {keep_id} if chosen and keep_id in ids else set()
        groups.append(_make_group(gtier, [photos[i] for i in ids], keep, gid))
    return sorted(groups, key=lambda g: (TIERS.index(g.tier), g.keep.path))


def is_current(library: Library, model_key: str | None, th: Thresholds) -> bool:
    state = _state(library)
    return state is not None and state.model == model_key and state.thresholds == asdict(th)


def current_groups(library: Library, model_key: str | None,
                   thresholds: Thresholds | None = None, *, tier: str = "near",
                   progress: ProgressFn = noop,
                   cancel: threading.Event | None = None) -> list[Group]:
    """The groups a client shows. At the loosest tier (near, the default) these are the
    stored groups, regrouped and stored first when they do not match the model and
    thresholds; a stricter ``tier`` groups afresh with only relations that strong."""
    th = thresholds or thresholds_for(library)
    if tier != "near":
        return find_groups(library, model_key, th, tier=tier, progress=progress, cancel=cancel)
    if not is_current(library, model_key, th):
        refresh_groups(library, model_key, th, progress=progress, cancel=cancel)
    return stored_groups(library)


def set_keep(library: Library, group_id: int, photo_id: int) -> None:
    """The user's keep choice for a stored group; it survives regrouping."""
    with library.catalog.write() as conn:
        cur = conn.execute(
            "UPDATE duplicate_groups SET keep_id=?, keep_chosen=1 WHERE id=? AND EXISTS "
            "(SELECT 1 FROM duplicate_members WHERE group_id=? AND photo_id=?)",
            (photo_id, group_id, group_id, photo_id))
        if not cur.rowcount:
            raise ValueError(f"photo {photo_id} is not in duplicate group {group_id}")


# -- clean-up ----------------------------------------------------------------------------
def cleanup_plan(groups: Sequence[Group]) -> list[Photo]:
    """The photos "move others to trash" would move: every non-kept member, but only in
    groups whose kept file is still on disk (never trash the last copy)."""
    return [p for g in groups if os.path.isfile(g.keep.path) for p in g.others]


def trash_others(library: Library, groups: Sequence[Group]) -> TrashReport:
    """Move exactly ``cleanup_plan(groups)`` to the system trash (ask the user first)."""
    return move_to_trash(library, [p.path for p in cleanup_plan(groups)])


# -- search results ----------------------------------------------------------------------
def collapse(hits: Sequence[Hit], library: Library) -> list[tuple[Hit, int]]:
    """Hits with each stored group collapsed to one entry: (hit, group size). The entry
    stands where the group's best-ranked hit stood and shows the group's keep photo when
    that photo is among the hits; photos in no group have size 1."""
    ids = [h.photo_id for h in hits]
    group_of: dict[int, int] = {}
    conn = library.catalog.conn
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        marks = ",".join("?" * len(chunk))
        group_of.update(conn.execute(
            f"SELECT photo_id, group_id FROM duplicate_members WHERE photo_id IN ({marks})",
            chunk).fetchall())
    size: dict[int, int] = {}
    keep: dict[int, int] = {}
    for gid in set(group_of.values()):
        size[gid] = conn.execute(
            "SELECT count(*) FROM duplicate_members m JOIN photos p ON p.id=m.photo_id "
            f"WHERE m.group_id=? AND p.{_LIVE}", (gid,)).fetchone()[0]
        keep[gid] = conn.execute("SELECT keep_id FROM duplicate_groups WHERE id=?",
                                 (gid,)).fetchone()[0]
    out: list[tuple[Hit, int]] = []
    slot: dict[int, int] = {}
    for hit in hits:
        gid = group_of.get(hit.photo_id)
        if gid is None or size[gid] < 2:
            out.append((hit, 1))
        elif gid not in slot:
            slot[gid] = len(out)
            out.append((hit, size[gid]))
        elif hit.photo_id == keep[gid]:
            out[slot[gid]] = (hit, size[gid])
    return out


def group_of(library: Library, photo_id: int) -> Group | None:
    """The stored group holding ``photo_id`` (to expand a collapsed search result)."""
    row = library.catalog.conn.execute(
        "SELECT group_id FROM duplicate_members WHERE photo_id=?", (photo_id,)).fetchone()
    if row is None:
        return None
    return next((g for g in stored_groups(library) if g.id == row[0]), None)


# -- incremental updates while indexing --------------------------------------------------
class DuplicateHook:
    """A ``BatchHook``: after each indexed batch, attach the new photos to stored groups.

    Only the new photos are looked at: their equal-content photos (SQL), pHash neighbours
    (bands kept in memory for the run) and k nearest neighbours (the index). A new photo
    joins the best-related group whose *every* member it relates to (complete linkage, as
    in a full regroup), or forms a pair with its best ungrouped match. Groups stored for
    another model or other thresholds are left alone: clients regroup when they ask."""

    def __init__(self) -> None:
        self._bands: PHashBands | None = None

    def __call__(self, library: Library, encoder, ids: np.ndarray, vectors: np.ndarray) -> None:
        th = thresholds_for(library)
        state = _state(library)
        if state is None:
            n = library.catalog.conn.execute(
                "SELECT count(*) FROM embeddings WHERE model=?", (encoder.key,)).fetchone()[0]
            if n > len(ids):
                return  # older photos were never grouped: the first full regroup will
            _set_state(library, encoder.key, th)
        elif not is_current(library, encoder.key, th):
            return
        update_groups(library, library.index_for(encoder.key, encoder.dim), ids, th, self)

    def bands(self, library: Library, new: dict[int, int]) -> PHashBands:
        if self._bands is None:
            rows = library.catalog.conn.execute(
                f"SELECT id, phash FROM photos WHERE {_LIVE} AND phash IS NOT NULL").fetchall()
            ids = np.array([r[0] for r in rows], np.int64)
            hashes = np.array([r[1] & 0xFFFFFFFFFFFFFFFF for r in rows], np.uint64)
            self._bands = PHashBands(ids, hashes)
        else:
            self._bands.add(list(new), [h & 0xFFFFFFFFFFFFFFFF for h in new.values()])
        return self._bands


def update_groups(library: Library, index: VectorIndex, new_ids: Sequence[int] | np.ndarray,
                  th: Thresholds, hook: DuplicateHook | None = None) -> None:
    new_ids = [int(i) for i in new_ids]
    conn = library.catalog.conn
    with library.catalog.write() as w:  # a changed photo is regrouped from scratch
        for start in range(0, len(new_ids), 900):
            chunk = new_ids[start:start + 900]
            w.execute(f"DELETE FROM duplicate_members WHERE photo_id IN "
                      f"({','.join('?' * len(chunk))})", chunk)
    photos = {i: p for i, p in library.catalog.photos_by_ids(new_ids).items()
              if p.status == PhotoStatus.OK}
    hashed = {i: p.phash for i, p in photos.items() if p.phash is not None}
    bands = (hook or DuplicateHook()).bands(library, hashed)
    chosen = _chosen_keeps(library)
    floor = _floor(th)
    for pid, photo in photos.items():
        if conn.execute("SELECT 1 FROM duplicate_members WHERE photo_id=?", (pid,)).fetchone():
            continue  # joined a group as the match of an earlier photo of this batch
        cands = {r[0] for r in conn.execute(
            f"SELECT id FROM photos WHERE content_hash=? AND id!=? AND {_LIVE}",
            (photo.content_hash, pid))}
        if photo.phash is not None:
            _, near = bands.pairs(np.array([pid]), np.array([photo.phash & 0xFFFFFFFFFFFFFFFF],
                                                            np.uint64), th.same_phash)
            cands.update(int(i) for i in near)
        if pid in index:
            cands.update(i for i, s in index.search(index.vectors([pid])[0], NEIGHBOURS + 1)
                         if s >= floor and i != pid)
        if cands:
            _attach(library, index.model_key, pid, sorted(cands), th, chosen)


def _attach(library: Library, model_key: str, pid: int, cands: list[int], th: Thresholds,
            chosen: set[int]) -> None:
    """Regroup the new photo's neighbourhood: it, its matches, and the groups they are in,
    with the same complete linkage as a full regroup (so a new photo that links two groups
    merges them only if every member relates to every other)."""
    conn = library.catalog.conn
    old = {r[0] for r in conn.execute(
        f"SELECT group_id FROM duplicate_members WHERE photo_id IN "
        f"({','.join('?' * len(cands))})", cands)}
    members = {pid, *cands}
    for gid in old:
        members.update(r[0] for r in conn.execute(
            "SELECT photo_id FROM duplicate_members WHERE group_id=?", (gid,)))
    facts, photos = load_facts(library, model_key, sorted(members))
    if pid not in photos:
        return
    a, b = np.triu_indices(len(facts), 1)
    found = link(facts, a.astype(np.int64), b.astype(np.int64), th)
    with library.catalog.write() as w:
        for gid in old:
            w.execute("DELETE FROM duplicate_groups WHERE id=?", (gid,))
        for g in found:
            _insert(w, _make_group(TIERS[g.tier], [photos[int(facts.ids[r])] for r in g.rows],
                                   chosen))
