"""How related pairs become groups: greedy linkage against each group's representatives.

The promise: **a group only holds photos that are all alike**, in this form. A group's
*representatives* are its ``REPRESENTATIVES`` longest-standing members (the lowest photo
ids; rows are in id order). Every member relates, at the group's tier or stronger, to
every representative; so a group of up to ``REPRESENTATIVES`` photos is exact complete
linkage (every member relates to every other), and in a larger one any two members are
alike through each representative. A chain A~B~C whose ends are far apart therefore
stays {A, B} plus C elsewhere (or alone). A group's tier is the weakest relation checked.

Why not every pair: a group of n photos would cost n comparisons for each photo that
joins it, n² for the group, and a library of many similar small images (icons, a long
burst) would stall indexing. Against the representatives it costs at most
``REPRESENTATIVES`` a photo, whatever the group's size, in a full regroup (``link``) and
while indexing (the hook) alike.

Pairs are merged strongest first. When groups L and R merge, the merged group's
representatives are the lowest ids of L's and R's representatives, so only the cross
pairs are new: each member of L against the new representatives from R, and each member
of R against those from L. A group never grows past ``MAX_GROUP``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np

from photosearch.core.duplicates.pairs import Facts, Thresholds, ranks
from photosearch.core.progress import check

MAX_GROUP = 500            # a "group" larger than this is a model that sees everything alike
REPRESENTATIVES = 32       # members every photo of a group is checked against


@dataclass
class RowGroup:
    rows: list[int]
    tier: int
    reps: list[int] = field(default_factory=list)   # the lowest rows, sorted

    def __post_init__(self) -> None:
        if not self.reps:
            self.reps = sorted(self.rows)[:REPRESENTATIVES]


def representatives(left: list[int], right: list[int]) -> list[int]:
    """The representatives of two groups' union, from the representatives of each."""
    return sorted(left + right)[:REPRESENTATIVES]


def cross_pairs(left: RowGroup, right: RowGroup, reps: list[int],
                ) -> tuple[np.ndarray, np.ndarray]:
    """The pairs to check before ``left`` and ``right`` become one group with ``reps``."""
    new = set(reps)
    from_right = [r for r in right.reps if r in new]
    from_left = [r for r in left.reps if r in new]
    a = np.concatenate([np.repeat(np.array(left.rows, np.int64), len(from_right)),
                        np.repeat(np.array(right.rows, np.int64), len(from_left))])
    b = np.concatenate([np.tile(np.array(from_right, np.int64), len(left.rows)),
                        np.tile(np.array(from_left, np.int64), len(right.rows))])
    return a, b


def link(f: Facts, a: np.ndarray, b: np.ndarray, th: Thresholds, max_tier: int = 2,
         cancel: threading.Event | None = None) -> list[RowGroup]:
    """Greedy linkage over candidate pairs (see the module docstring)."""
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
        left = gi or RowGroup([i], 0)
        right = gj or RowGroup([j], 0)
        if len(left.rows) + len(right.rows) > MAX_GROUP:
            continue
        reps = representatives(left.reps, right.reps)
        worst = int(rank[e])
        if len(left.rows) > 1 or len(right.rows) > 1:
            worst = int(ranks(f, *cross_pairs(left, right, reps), th)[0].max())
            if worst > max_tier:
                continue
        group = RowGroup(left.rows + right.rows, max(worst, left.tier, right.tier), reps)
        for r in group.rows:
            cluster[r] = group
    seen: set[int] = set()
    groups = []
    for group in cluster.values():
        if id(group) not in seen:
            seen.add(id(group))
            groups.append(group)
    return groups
