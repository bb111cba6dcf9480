"""Groups of copies as clients see them: finding them, the keep suggestion, and the
stored groups kept current.

Groups belong to one model (their near tier comes from its vectors) and one set of
thresholds; the meta row ``duplicates`` (``store``) records which. ``current_groups``
returns the stored groups when they match and regroups (and stores) when they do not.
Each photo is in at most one group; a group's tier is the weakest relation between two
members that linkage checked.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np

from photosearch.core.catalog import Photo, PhotoStatus
from photosearch.core.duplicates import store
from photosearch.core.duplicates.candidates import candidate_pairs, floor
from photosearch.core.duplicates.knn import neighbour_pairs
from photosearch.core.duplicates.linkage import link
from photosearch.core.duplicates.pairs import TIERS, Facts, Thresholds, make_facts, ranks
from photosearch.core.index import VectorIndex
from photosearch.core.library import Library
from photosearch.core.progress import Progress, ProgressFn, noop


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

    def row(self) -> store.Row:
        return store.Row(self.tier, self.keep_id, self.keep_chosen, [p.id for p in self.photos])


def thresholds_for(library: Library) -> Thresholds:
    return Thresholds.from_dict(library.settings.duplicate_thresholds)


# -- keep suggestion ---------------------------------------------------------------------
def timestamp(taken_at: str | None) -> float | None:
    if not taken_at:
        return None
    try:
        return datetime.fromisoformat(taken_at).timestamp()
    except (ValueError, OverflowError, OSError):
        return None


def keep_order(p: Photo) -> tuple:
    """Sort key: the photo to keep first."""
    when = timestamp(p.taken_at)
    return (-(p.width or 0) * (p.height or 0), -p.size, when if when is not None else p.mtime,
            p.path)


def suggest_keep(photos: Sequence[Photo]) -> Photo:
    """Highest resolution, then largest file, then oldest (capture time, else mtime)."""
    return min(photos, key=keep_order)


def make_group(tier: str, photos: list[Photo], chosen: set[int], gid: int | None = None,
               ) -> Group:
    picked = [p for p in photos if p.id in chosen]
    keep = picked[0] if picked else suggest_keep(photos)
    ordered = [keep] + sorted((p for p in photos if p.id != keep.id), key=keep_order)
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
    """Facts of live photos (all, or ``ids``) and their catalog rows; rows in id order."""
    catalog = library.catalog
    if ids is None:
        photos = {p.id: p for p in catalog.photos(status=PhotoStatus.OK)}
    else:
        photos = {i: p for i, p in catalog.photos_by_ids(ids).items()
                  if p.status == PhotoStatus.OK}
    order = sorted(photos)
    rows = [photos[i] for i in order]
    facts = make_facts(order, [p.content_hash for p in rows], [p.phash for p in rows],
                       [timestamp(p.taken_at) for p in rows],
                       _vectors(library, model_key, order, ids is None))
    return facts, photos


def library_facts(library: Library, model_key: str | None) -> Facts:
    """``load_facts`` of every live photo without their catalog rows: a regroup needs
    those of the grouped photos only (building 100k rows took 2 s of a 100k regroup)."""
    rows = store.live_photo_facts(library)
    order = [r[0] for r in rows]
    return make_facts(order, [r[1] for r in rows], [r[2] for r in rows],
                      [timestamp(r[3]) for r in rows], _vectors(library, model_key, order, True))


def _vectors(library: Library, model_key: str | None, order: list[int],
             every: bool) -> np.ndarray | None:
    """The stored vectors of the photos ``order`` (all live ones when ``every``), zeros
    where a photo has none; None without a model or any vector."""
    if not model_key:
        return None
    vid, vecs = library.catalog.vectors(model_key, None if every else order)
    if not len(vid):
        return None
    out = np.zeros((len(order), vecs.shape[1]), np.float32)
    ids = np.asarray(order, np.int64)
    at = np.searchsorted(ids, vid).clip(0, max(len(ids) - 1, 0))
    known = ids[at] == vid if len(ids) else np.zeros(len(vid), bool)
    out[at[known]] = vecs[known]
    return out


# -- whole-library grouping --------------------------------------------------------------
# The near cosines a threshold slider offers (the duplicates view's): a full regroup keeps
# the candidate pairs down to the loosest of them, so the slider's counts need no k-NN pass.
NEAR_SLIDER: tuple[float, ...] = tuple(round(0.80 + 0.01 * i, 2) for i in range(20))


def gather(library: Library, model_key: str | None, facts: Facts, th: Thresholds,
           *, near: bool = True, cancel: threading.Event | None = None,
           ) -> tuple[np.ndarray, np.ndarray]:
    """Candidate row pairs for thresholds up to as loose as ``th``; the k-NN pass only
    when ``near`` relations are wanted."""
    neighbours = neighbour_pairs(facts, floor(th), lambda: model_index(library, model_key),
                                 cancel=cancel) if near else None
    return candidate_pairs(facts, neighbours, th, cancel)


def find_groups(library: Library, model_key: str | None, thresholds: Thresholds | None = None,
                *, tier: str = "near", progress: ProgressFn = noop,
                cancel: threading.Event | None = None) -> list[Group]:
    """Group every live photo (not stored). ``tier`` is the loosest relation allowed."""
    return _find(library, model_key, thresholds or thresholds_for(library), tier, progress,
                 cancel)[0]


def _find(library: Library, model_key: str | None, th: Thresholds, tier: str,
          progress: ProgressFn, cancel: threading.Event | None,
          gathered: Thresholds | None = None,
          ) -> tuple[list[Group], Facts, np.ndarray, np.ndarray]:
    """``find_groups``, and the facts and candidate pairs it linked. Pairs gathered for
    looser thresholds (``gathered``) link to the same groups: the extra pairs are all
    below every tier at ``th``."""
    facts = library_facts(library, model_key)
    progress(Progress("finding duplicates", 0, 3))
    a, b = gather(library, model_key, facts, gathered or th, near=tier != "exact",
                  cancel=cancel)
    progress(Progress("finding duplicates", 2, 3))
    found = link(facts, a, b, th, TIERS.index(tier), cancel)
    chosen = store.chosen_keeps(library)
    photos = library.catalog.photos_by_ids([int(facts.ids[r]) for g in found for r in g.rows])
    groups = [make_group(TIERS[g.tier], [photos[int(facts.ids[r])] for r in g.rows], chosen)
              for g in found]
    progress(Progress("finding duplicates", 3, 3))
    return sorted(groups, key=lambda g: (TIERS.index(g.tier), g.keep.path)), facts, a, b


def slider_loosest(th: Thresholds, tier: str = "near",
                   values: Sequence[float] = NEAR_SLIDER) -> Thresholds:
    """``th`` loosened to the loosest of a slider's ``values`` for ``tier``."""
    if tier == "same":
        return replace(th, same_phash=max([th.same_phash, *(int(v) for v in values)]))
    if tier == "near":
        return replace(th, near_cosine=min([th.near_cosine, *values]))
    return th


def group_counts(library: Library, model_key: str | None, tier: str,
                 values: Sequence[float], thresholds: Thresholds | None = None,
                 cancel: threading.Event | None = None) -> dict[float, tuple[int, int]]:
    """{slider value: (groups, photos in groups)} for the threshold ``tier``'s slider
    moves (pHash bits for same, cosine for near). Candidates are gathered once at the
    loosest value, so each further value only relinks: fast enough to fill a slider.
    When the library is as the last full regroup left it, its remembered pairs serve
    (``store.save_edges``), and only the photos in them are read."""
    base = thresholds or thresholds_for(library)
    settings = {v: base.with_tier_threshold(tier, v) for v in values}
    loosest = replace(base, same_phash=max(t.same_phash for t in settings.values()),
                      near_cosine=min(t.near_cosine for t in settings.values()))
    remembered = _remembered_pairs(library, model_key, loosest)
    facts = None
    if remembered is not None:
        ids = np.unique(np.concatenate(remembered))
        facts, _ = load_facts(library, model_key, ids.tolist())
        if len(facts) == len(ids):     # else a photo went in between: find them afresh
            a, b = facts.rows_of(remembered[0]), facts.rows_of(remembered[1])
        else:
            facts = None
    if facts is None:
        facts = library_facts(library, model_key)
        a, b = gather(library, model_key, facts, loosest, cancel=cancel)
    max_tier = TIERS.index(tier)
    # Linkage never joins photos that no pair connects, and a lone pair is one group
    # exactly when it relates: those are counted at once, linkage runs on the rest.
    lone = lone_pairs(a, b)
    out = {}
    for value, th in settings.items():
        related = int((ranks(facts, a[lone], b[lone], th)[0] <= max_tier).sum())
        found = link(facts, a[~lone], b[~lone], th, max_tier, cancel)
        out[value] = (len(found) + related, sum(len(g.rows) for g in found) + 2 * related)
    return out


def lone_pairs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Which pairs (a[i], b[i]) share a photo with no other pair (pairs are distinct)."""
    used = np.bincount(np.concatenate([a, b]).astype(np.int64)) if len(a) else np.zeros(0)
    return (used[a] == 1) & (used[b] == 1) if len(a) else np.zeros(0, bool)


def _remembered_pairs(library: Library, model_key: str | None, wanted: Thresholds,
                      ) -> tuple[np.ndarray, np.ndarray] | None:
    """The last regroup's candidate pairs (photo ids) when they serve ``wanted``: the
    same photos and model, the same pHash threshold, and a k-NN floor as low or lower
    (the extra neighbours then relate at no tier, as in ``_find``)."""
    stored = store.stored_edges(library)
    if stored is None:
        return None
    state, a, b = stored
    have = Thresholds.from_dict(state.get("gathered", {}))
    if (state.get("model") != model_key or have.same_phash != wanted.same_phash
            or floor(have) > floor(wanted)
            or state.get("photos") != store.fingerprint(library, model_key)):
        return None
    return a, b


# -- stored groups -----------------------------------------------------------------------
def refresh_groups(library: Library, model_key: str | None,
                   thresholds: Thresholds | None = None, *, progress: ProgressFn = noop,
                   cancel: threading.Event | None = None) -> list[Group]:
    """Regroup the whole library and store the result (user keep choices survive), with
    the candidate pairs down to the slider's loosest value (``group_counts``)."""
    th = thresholds or thresholds_for(library)
    gathered = slider_loosest(th)
    state = store.edges_state(library, model_key, gathered)   # before reading: a photo
    # that changes meanwhile makes the pairs stale, never wrongly current
    groups, facts, a, b = _find(library, model_key, th, "near", progress, cancel, gathered)
    for g, gid in zip(groups, store.replace_all(library, [g.row() for g in groups]),
                      strict=True):
        g.id = gid
    store.set_state(library, model_key, th)
    store.save_edges(library, state, facts.ids[a], facts.ids[b])
    return groups


def stored_groups(library: Library, tier: str | None = None) -> list[Group]:
    """Stored groups, live members only (a group left with one photo is not shown)."""
    members = store.live_members(library)
    photos = library.catalog.photos_by_ids([p for ids in members.values() for p in ids])
    groups = []
    for gid, gtier, keep_id, chosen in store.group_rows(library):
        ids = members.get(gid, [])
        if len(ids) < 2 or (tier is not None and TIERS.index(gtier) > TIERS.index(tier)):
            continue
        keep = {keep_id} if chosen and keep_id in ids else set()
        groups.append(make_group(gtier, [photos[i] for i in ids], keep, gid))
    return sorted(groups, key=lambda g: (TIERS.index(g.tier), g.keep.path))


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
    if not store.is_current(library, model_key, th):
        refresh_groups(library, model_key, th, progress=progress, cancel=cancel)
    return stored_groups(library)
