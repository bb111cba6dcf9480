"""Which pairs of photos are worth comparing: never all pairs.

- exact: equal content hashes (a dictionary);
- pHash: multi-index hashing. The 64 bits are cut into 4 bands of 16; if two hashes differ
  in ≤ T bits, one band differs in ≤ T // 4 bits (pigeonhole), so probing every band's
  value and its neighbours within radius T // 4 in a sorted array finds *every* pair within
  T, exactly. Radius 2 (T ≤ 11) is 137 probes a band; random pairs collide with
  probability ~0.8 %, so the candidates stay a small multiple of N;
- embeddings: each photo's k nearest neighbours (``knn``).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from photosearch.core.duplicates.pairs import Facts, Thresholds
from photosearch.core.progress import check

BANDS = 4
BAND_BITS = 64 // BANDS
MAX_PHASH = 15             # radius 3 per band: the loosest pHash threshold we probe for
BAND_VALUES = 1 << BAND_BITS
PROBES_AT_ONCE = 1 << 19   # band probes at once (bounds temporary memory) ...
MATCHES_AT_ONCE = 1 << 22  # ... and band matches checked at once
THREADED_QUERIES = 20_000  # queries from which the bands are probed by threads ...
BAND_THREADS = 2           # ... this many (the pass measured faster on two cores)


def floor(th: Thresholds) -> float:
    """The lowest cosine any tier accepts: k-NN neighbours below it are no candidates."""
    return min(th.same_cosine, th.near_cosine - th.burst_bonus)


class PHashBands:
    """Multi-index hashing over 4 × 16-bit bands (see the module docstring).

    Each band is a counting sort of the stored hashes by that band's value: a table of
    where each of the 65,536 values starts, so a probe is two table reads (not a binary
    search), and the hashes themselves in that order, so the probed ranges are read
    contiguously. Random hashes share a band value within radius 2 with ~0.8 % of all
    others (84M pairs at 100k photos, nearly all of them unrelated): those are checked
    and dropped a chunk at a time, never gathered whole.

    ``add`` puts new hashes in a small unsorted tail that is scanned directly and merged
    into the sorted bands when it grows, so incremental use stays cheap."""

    TAIL = 4096

    def __init__(self, rows: np.ndarray, hashes: np.ndarray) -> None:
        self._rows = np.zeros(0, np.int64)
        self._hashes = np.zeros(0, np.uint64)
        # per band: (start of each value in the sorted order, rows of that order, hashes)
        self._sorted: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
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
            starts = np.zeros(BAND_VALUES + 1, np.int64)
            np.cumsum(np.bincount(keys, minlength=BAND_VALUES), out=starts[1:])
            self._sorted.append((starts, self._rows[order], self._hashes[order]))

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
        qr, sr, _ = self._matches(query_rows, query_hashes, max_dist, cancel)
        return qr, sr

    def _matches(self, query_rows: np.ndarray, query_hashes: np.ndarray, max_dist: int,
                 cancel: threading.Event | None = None,
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if max_dist > MAX_PHASH:
            raise ValueError(f"pHash threshold {max_dist} > {MAX_PHASH}")
        query_rows = np.asarray(query_rows, np.int64)
        query_hashes = np.asarray(query_hashes, np.uint64)
        masks = np.array(_flip_masks(max_dist // BANDS), np.int64)
        # queries a chunk: about MATCHES_AT_ONCE band matches (random hashes share a
        # probed value with len(stored) / 65,536 others) or PROBES_AT_ONCE probes
        per_query = len(masks) * max(1.0, len(self._rows) / BAND_VALUES)
        chunk = max(1, int(min(PROBES_AT_ONCE / len(masks), MATCHES_AT_ONCE / per_query)))
        def probe(task: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            band, start = task
            check(cancel)
            starts, rows, hashes = self._sorted[band]
            # every probe of a chunk of queries at once: one query (the hook's case)
            # costs a few array operations a band, not some for each of 137 masks
            probe = (_band(query_hashes[start:start + chunk], band)[:, None]
                     ^ masks[None, :]).ravel()
            lo = starts[probe]
            count = starts[probe + 1] - lo
            total = int(count.sum())
            owner = np.repeat(np.arange(start, start + len(probe) // len(masks)), len(masks))
            qi = np.repeat(owner, count)
            at = np.arange(total) + np.repeat(lo - (np.cumsum(count) - count), count)
            dist = np.bitwise_count(query_hashes[qi] ^ hashes[at])
            keep = np.nonzero(dist <= max_dist)[0]
            return query_rows[qi[keep]], rows[at[keep]], dist[keep]

        tasks = [(band, start) for band in range(len(self._sorted))
                 for start in range(0, len(query_hashes), chunk)]
        if len(query_hashes) >= THREADED_QUERIES and len(tasks) > 1:
            # numpy releases the GIL in these array operations: bands on every core
            with ThreadPoolExecutor(BAND_THREADS, thread_name_prefix="phash") as pool:
                found = list(pool.map(probe, tasks))
        else:
            found = [probe(t) for t in tasks]
        out_q = [q for q, _, _ in found]
        out_s = [r for _, r, _ in found]
        out_d = [d for _, _, d in found]
        if self._tail_rows:
            tail_rows = np.array(self._tail_rows, np.int64)
            tail_hashes = np.array(self._tail_hashes, np.uint64)
            d = np.bitwise_count(query_hashes[:, None] ^ tail_hashes[None, :])
            qi, ti = np.nonzero(d <= max_dist)
            out_q.append(query_rows[qi])
            out_s.append(tail_rows[ti])
            out_d.append(d[qi, ti])
        if not out_q:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.uint8)
        qr, sr, dr = np.concatenate(out_q), np.concatenate(out_s), np.concatenate(out_d)
        differ = qr != sr
        return qr[differ], sr[differ], dr[differ]

    def nearest(self, row: int, phash: int, max_dist: int, k: int) -> list[int]:
        """Up to ``k`` stored rows (≠ ``row``) within ``max_dist`` bits of ``phash``,
        closest first, newest first among equals: however many look alike, a new photo
        looks at a bounded few (the newest are likeliest in a group that still grows)."""
        query = np.array([phash & 0xFFFFFFFFFFFFFFFF], np.uint64)
        _, found, dist = self._matches(np.array([row], np.int64), query, max_dist)
        order = np.lexsort((-found, dist))
        out: list[int] = []
        for r in found[order].tolist():
            if r not in out:
                out.append(r)
                if len(out) == k:
                    break
        return out

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
    k-NN neighbours (``neighbours`` = (rows, neighbour rows), ``knn``)."""
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

