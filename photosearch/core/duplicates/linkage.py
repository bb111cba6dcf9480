"""How related pairs become groups: greedy complete linkage.

Groups are transitive-safe by **complete linkage**: pairs are merged strongest first, and
two groups join only if *every* member of one relates to *every* member of the other at
the allowed tier. A chain A~B~C whose ends are far apart therefore stays {A, B} plus C
elsewhere (or alone); a group's tier is the weakest relation between any two members.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from photosearch.core.duplicates.pairs import Facts, Thresholds, ranks
from photosearch.core.progress import check

MAX_GROUP = 500            # a "group" larger than this is a model that sees everything alike


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
