"""How two photos relate, which pairs are worth looking at, and how pairs become groups.

Three tiers, strongest first (a tier's rank is its position in ``TIERS``):

- **exact**: the same bytes (equal content hash).
- **same** picture: a resized, re-encoded, format-changed, brightened or slightly cropped
  copy. pHash Hamming distance ≤ ``same_phash`` (default 10 of 64 bits), confirmed by an
  embedding cosine ≥ ``same_confirm_cosine`` where both photos have vectors (unrelated
  photos do reach 10 bits now and then: 1 pair in ~500k among 1,000 ImageNet photos,
  which at 100k photos would be thousands of false pairs; a copy keeps its embedding), or
  cosine ≥ ``same_cosine`` while the pHash distance is still ≤ ``same_phash_loose`` (the
  second rule catches crops of 5–10 % whose pHash drifts, without letting a model that
  thinks two unrelated photos look alike call them the same picture).
- **near**: a different shot of the same scene: cosine ≥ ``near_cosine``, lowered by
  ``burst_bonus`` when both photos were taken within ``burst_seconds`` of each other.

Measured on 300+ ImageNet photos (``benchmarks/bench_duplicates.py``): resize, JPEG q60,
PNG and ±15 % brightness move the pHash by ≤ 4 bits; a centred 5 % crop by ≤ 12 (95 % ≤ 10);
unrelated photos differ by ≥ 16. Flips and 90° rotations scramble the pHash (~34 bits), so
only the embedding can relate them (as near, or same when it is very sure).

Candidates never come from all pairs:
- exact: equal content hashes (a dictionary);
- pHash: multi-index hashing. The 64 bits are cut into 4 bands of 16; if two hashes differ
  in ≤ T bits, one band differs in ≤ T // 4 bits (pigeonhole), so probing every band's
  value and its neighbours within radius T // 4 in a sorted array finds *every* pair within
  T, exactly. Radius 2 (T ≤ 11) is 137 probes a band; random pairs collide with
  probability ~0.8 %, so the candidates stay a small multiple of N;
- embeddings: k nearest neighbours of every photo on the HNSW index.

Groups are transitive-safe by **complete linkage**: pairs are merged strongest first, and
two groups join only if *every* member of one relates to *every* member of the other at
the allowed tier. A chain A~B~C whose ends are far apart therefore stays {A, B} plus C
elsewhere (or alone); a group's tier is the weakest relation between any two members.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace

import numpy as np

from photosearch.core.progress import check

TIERS: tuple[str, ...] = ("exact", "same", "near")
NONE = len(TIERS)          # rank of "not related"
BANDS = 4
BAND_BITS = 64 // BANDS
MAX_PHASH = 15             # radius 3 per band: the loosest pHash threshold we probe for
NEIGHBOURS = 12            # k of the k-NN pass
MAX_GROUP = 500            # a "group" larger than this is a model that sees everything alike


@dataclass(frozen=True)
class Thresholds:
    """What counts as related; defaults are sensible for CLIP ViT-B-32, adjustable."""

    same_phash: int = 10
    same_confirm_cosine: float = 0.80
    same_phash_loose: int = 18
    same_cosine: float = 0.95
    near_cosine: float = 0.92
    burst_seconds: float = 120.0
    burst_bonus: float = 0.04

    @classmethod
    def from_dict(cls, data: dict[str, float]) -> Thresholds:
        """From the typed settings' ``duplicate_thresholds`` (unknown keys ignored)."""
        known = {f.name: f.type for f in fields(cls)}
        values = {k: (int(v) if known[k] == "int" else float(v))
                  for k, v in data.items() if k in known}
        return replace(cls(), **values)

    def with_tier_threshold(self, tier: str, value: float) -> Thresholds:
        """The one threshold a slider moves for ``tier`` (pHash bits for same, cosine for
        near)."""
        if tier == "same":
            return replace(self, same_phash=int(value))
        if tier == "near":
            return replace(self, near_cosine=float(value))
        return self


@dataclass
class Facts:
    """What grouping needs of each photo, in aligned arrays (row i is one photo).

    ``vectors`` rows are unit vectors, or zeros where a photo has none."""

    ids: np.ndarray          # int64 photo ids
    chash: np.ndarray        # int64 codes: equal code = equal content (unique if unknown)
    phash: np.ndarray        # uint64
    has_phash: np.ndarray    # bool
    taken: np.ndarray        # float64 seconds, NaN when unknown
    vectors: np.ndarray      # float32 (N, D), D may be 0

    def __len__(self) -> int:
        return len(self.ids)

    def rows_of(self, ids: Sequence[int] | np.ndarray) -> np.ndarray:
        order = np.argsort(self.ids)
        pos = np.searchsorted(self.ids, ids, sorter=order)
        return order[pos]


def make_facts(ids, chashes: Sequence[str | None], phashes: Sequence[int | None],
               taken: Sequence[float | None], vectors: np.ndarray | None) -> Facts:
    ids = np.asarray(ids, np.int64)
    n = len(ids)
    codes: dict[str, int] = {}
    chash = np.empty(n, np.int64)
    for i, h in enumerate(chashes):
        chash[i] = codes.setdefault(h, len(codes)) if h else -1 - i
    has = np.array([p is not None for p in phashes], bool)
    ph = np.array([(p or 0) & 0xFFFFFFFFFFFFFFFF for p in phashes], np.uint64).reshape(n)
    tk = np.array([np.nan if t is None else t for t in taken], np.float64).reshape(n)
    vecs = np.zeros((n, 0), np.float32) if vectors is None else np.asarray(vectors, np.float32)
    return Facts(ids, chash, ph, has, tk, vecs)


def ranks(f: Facts, a: np.ndarray, b: np.ndarray, th: Thresholds,
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Element-wise relation of rows ``a[i]`` and ``b[i]``: (rank, pHash distance, cosine)."""
    dist = np.bitwise_count(f.phash[a] ^ f.phash[b]).astype(np.int16)
    both = f.has_phash[a] & f.has_phash[b]
    dist[~both] = 64
    if f.vectors.shape[1]:
        cos = np.einsum("ij,ij->i", f.vectors[a], f.vectors[b])
        known = f.vectors[a].any(axis=1) & f.vectors[b].any(axis=1)
    else:
        cos = np.zeros(len(a), np.float32)
        known = np.zeros(len(a), bool)
    confirmed = ~known | (cos >= th.same_confirm_cosine)
    with np.errstate(invalid="ignore"):
        burst = np.abs(f.taken[a] - f.taken[b]) <= th.burst_seconds
    rank = np.full(len(a), NONE, np.int8)
    rank[cos >= th.near_cosine - np.where(burst, th.burst_bonus, 0.0)] = 2
    rank[((dist <= th.same_phash) & confirmed)
         | ((dist <= th.same_phash_loose) & (cos >= th.same_cosine))] = 1
    rank[f.chash[a] == f.chash[b]] = 0
    return rank, dist, cos


# -- candidate pairs ---------------------------------------------------------------------
class PHashBands:
    """Multi-index hashing over 4 × 16-bit bands (see the module docstring).

    ``add`` puts new hashes in a small unsorted tail that is scanned directly and merged
    into the sorted bands when it grows, so incremental use stays cheap."""

    TAIL = 4096

    def __init__(self, rows: np.ndarray, hashes: np.ndarray) -> None:
        self._rows = np.zeros(0, np.int64)
        self._hashes = np.zeros(0, np.uint64)
        self._sorted: list[tuple[np.ndarray, np.ndarray]] = []
        self._tail_rows: list[int] = []
        self._tail_hashes: list[int] = []
        self._merge(np.asarray(rows, np.int64), np.asarray(hashes, np.uint64))

    def _merge(self, rows: np.ndarray, hashes: np.ndarray) -> None:
        self._rows = np.concatenate([self._rows, rows])
        self._hashes = np.concatenate([self._hashes, hashes])
        self._sorted = []
        for band in range(BANDS):
            keys = _band(self._hashes, band)
            order = np.argsort(keys, kind="stable")
            self._sorted.append((keys[order], order))

    def add(self, rows: Sequence[int], hashes: Sequence[int]) -> None:
        self._tail_rows.extend(int(r) for r in rows)
        self._tail_hashes.extend(int(h) for h in hashes)
        if len(self._tail_rows) > self.TAIL:
            self._merge(np.array(self._tail_rows, np.int64),
                        np.array(self._tail_hashes, np.uint64))
            self._tail_rows, self._tail_hashes = [], []

    def pairs(self, query_rows: np.ndarray, query_hashes: np.ndarray, max_dist: int,
              cancel: threading.Event | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Every (query row, stored row) pair within ``max_dist`` bits, query ≠ stored.
        Each pair may come out more than once (callers deduplicate)."""
        if max_dist > MAX_PHASH:
            raise ValueError(f"pHash threshold {max_dist} > {MAX_PHASH}")
        query_rows = np.asarray(query_rows, np.int64)
        query_hashes = np.asarray(query_hashes, np.uint64)
        masks = _flip_masks(max_dist // BANDS)
        out_q: list[np.ndarray] = []
        out_s: list[np.ndarray] = []
        for band, (keys, order) in enumerate(self._sorted):
            qkeys = _band(query_hashes, band)
            for mask in masks:
                check(cancel)
                probe = qkeys ^ mask
                lo = np.searchsorted(keys, probe, "left")
                hi = np.searchsorted(keys, probe, "right")
                count = hi - lo
                if not count.any():
                    continue
                qi = np.repeat(np.arange(len(probe)), count)
                starts = np.repeat(lo - np.cumsum(count) + count, count)
                si = order[np.arange(len(qi)) + starts]
                out_q.append(qi)
                out_s.append(si)
        q = np.concatenate(out_q) if out_q else np.zeros(0, np.int64)
        s = np.concatenate(out_s) if out_s else np.zeros(0, np.int64)
        dist = np.bitwise_count(query_hashes[q] ^ self._hashes[s])
        keep = dist <= max_dist
        qr, sr = query_rows[q[keep]], self._rows[s[keep]]
        if self._tail_rows:
            tail_rows = np.array(self._tail_rows, np.int64)
            tail_hashes = np.array(self._tail_hashes, np.uint64)
            d = np.bitwise_count(query_hashes[:, None] ^ tail_hashes[None, :])
            qi, ti = np.nonzero(d <= max_dist)
            qr = np.concatenate([qr, query_rows[qi]])
            sr = np.concatenate([sr, tail_rows[ti]])
        differ = qr != sr
        return qr[differ], sr[differ]


def _band(hashes: np.ndarray, band: int) -> np.ndarray:
    return ((hashes >> np.uint64(band * BAND_BITS)) & np.uint64(0xFFFF)).astype(np.int64)


def _flip_masks(radius: int) -> list[int]:
    """Every 16-bit mask with at most ``radius`` bits set."""
    masks = [0]
    frontier = [0]
    for _ in range(radius):
        frontier = sorted({m | (1 << b) for m in frontier for b in range(BAND_BITS)
                           if not m & (1 << b)})
        masks += frontier
    return masks


def candidate_pairs(f: Facts, neighbours: tuple[np.ndarray, np.ndarray] | None,
                    th: Thresholds, cancel: threading.Event | None = None,
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Row pairs (a < b) worth testing: equal content, pHash within ``th.same_phash``, and
    k-NN neighbours (``neighbours`` = (rows, neighbour rows) from the index)."""
    parts_a: list[np.ndarray] = []
    parts_b: list[np.ndarray] = []
    # exact: each photo with the first photo of its content
    order = np.argsort(f.chash, kind="stable")
    sorted_codes = f.chash[order]
    first = order[np.searchsorted(sorted_codes, f.chash)]
    dup = first != np.arange(len(f))
    parts_a.append(first[dup])
    parts_b.append(np.nonzero(dup)[0])
    # pHash
    rows = np.nonzero(f.has_phash)[0]
    if len(rows):
        bands = PHashBands(rows, f.phash[rows])
        qa, qb = bands.pairs(rows, f.phash[rows], min(th.same_phash, MAX_PHASH), cancel)
        parts_a.append(qa)
        parts_b.append(qb)
    if neighbours is not None:
        parts_a.append(neighbours[0])
        parts_b.append(neighbours[1])
    a = np.concatenate(parts_a).astype(np.int64)
    b = np.concatenate(parts_b).astype(np.int64)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    packed = np.unique(lo[keep] * np.int64(len(f) + 1) + hi[keep])
    return packed // (len(f) + 1), packed % (len(f) + 1)


# -- linkage -----------------------------------------------------------------------------
@dataclass
class RowGroup:
    rows: list[int]
    tier: int


def link(f: Facts, a: np.ndarray, b: np.ndarray, th: Thresholds, max_tier: int = 2,
         cancel: threading.Event | None = None) -> list[RowGroup]:
    """Greedy complete linkage over candidate pairs (see the module docstring)."""
    rank, dist, cos = ranks(f, a, b, th)
    ok = rank <= max_tier
    a, b, rank, dist, cos = a[ok], b[ok], rank[ok], dist[ok], cos[ok]
    # strongest first: tier, then pHash distance (exact/same) or cosine (near)
    strength = np.where(rank <= 1, dist.astype(np.float64), 64.0 * (1.0 - cos))
    order = np.lexsort((strength, rank))
    cluster: dict[int, RowGroup] = {}
    for n, e in enumerate(order.tolist()):
        if n % 4096 == 0:
            check(cancel)
        i, j = int(a[e]), int(b[e])
        gi, gj = cluster.get(i), cluster.get(j)
        if gi is not None and gi is gj:
            continue
        left = gi.rows if gi else [i]
        right = gj.rows if gj else [j]
        if len(left) + len(right) > MAX_GROUP:
            continue
        worst = int(rank[e])
        if len(left) > 1 or len(right) > 1:
            la = np.repeat(np.array(left), len(right))
            rb = np.tile(np.array(right), len(left))
            worst = int(ranks(f, la, rb, th)[0].max())
            if worst > max_tier:
                continue
        group = RowGroup(left + right, max(worst, gi.tier if gi else 0, gj.tier if gj else 0))
        for r in group.rows:
            cluster[r] = group
    seen: set[int] = set()
    groups = []
    for group in cluster.values():
        if id(group) not in seen:
            seen.add(id(group))
            groups.append(group)
    return groups
