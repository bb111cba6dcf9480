"""How two photos relate: the three tiers and the thresholds that define them.

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

Which pairs are looked at is ``candidates``; how related pairs become groups, ``linkage``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace

import numpy as np

TIERS: tuple[str, ...] = ("exact", "same", "near")
NONE = len(TIERS)          # rank of "not related"


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
