"""The stronger relations inside a near-duplicate group.

A near group (different shots of one scene) often holds exact or same-picture copies of
one of its shots; stored, the group only says "near", so the stronger relation would be
lost. ``nest`` finds those subsets again (every pair inside a near group is compared,
linked as ``linkage`` links, so a subset keeps its promise that all members are alike),
for the duplicates view to show them and for ``Collapsed`` to hide only same-picture
copies when near-duplicates stay visible.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from photosearch.core.duplicates import store
from photosearch.core.duplicates.groups import Group, load_facts, thresholds_for
from photosearch.core.duplicates.linkage import link
from photosearch.core.duplicates.pairs import TIERS, Thresholds
from photosearch.core.library import Library


def nest(library: Library, groups: Sequence[Group], model_key: str | None = None,
         thresholds: Thresholds | None = None, *, tier: str = "same",
         ) -> dict[int, list[Group]]:
    """{keep id of a group looser than ``tier``: its subsets of ``tier`` or stronger}.

    A subset lists its photos in the group's order, so its first photo (the one kept of
    the subset) is the group's kept photo when that is in it. ``model_key`` defaults to
    the model the stored groups were made with (the same-picture rule confirms pHash
    matches with its vectors)."""
    max_tier = TIERS.index(tier)
    loose = [g for g in groups if TIERS.index(g.tier) > max_tier]
    if not loose:
        return {}
    if model_key is None:
        state = store.get_state(library)
        model_key = state.model if state else None
    th = thresholds or thresholds_for(library)
    facts, _ = load_facts(library, model_key, [p.id for g in loose for p in g.photos])
    live = set(facts.ids.tolist())
    out: dict[int, list[Group]] = {}
    for g in loose:
        members = [p for p in g.photos if p.id in live]
        if len(members) < 2:
            continue
        rows = facts.rows_of([p.id for p in members])
        i, j = np.triu_indices(len(rows), k=1)
        found = link(facts, rows[i], rows[j], th, max_tier)
        position = {p.id: n for n, p in enumerate(members)}
        subsets = []
        for sub in found:
            ids = {int(facts.ids[r]) for r in sub.rows}
            photos = sorted((p for p in members if p.id in ids), key=lambda p: position[p.id])
            subsets.append(Group(TIERS[sub.tier], photos, photos[0].id))
        if subsets:
            out[g.keep_id] = sorted(subsets, key=lambda s: position[s.keep_id])
    return out
