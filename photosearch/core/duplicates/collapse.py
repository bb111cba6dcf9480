"""Search results with duplicates hidden: each stored group shows as its kept photo.

One rule for every client (the app's "Hide duplicates", ``photosearch search
--hide-duplicates``, the tests): a group's other copies are filtered out of the search
itself (so k results are still k different pictures), the kept photo stands for the group
with a "×N" badge, and expanding it lists the copies after it ("2/3", "3/3").

``Collapsed`` is a snapshot of the stored groups, read once (off the UI thread in the app)
and then only read: it is swapped whole when groups change, never changed in place, so a
query running meanwhile sees one consistent state.

Which copies hide is a choice of tiers: exact and same-picture copies by default, near
duplicates (other shots of a scene, which a user may well want to see) only when asked
(``settings.hide_near_duplicates``). With near left out, a near group's exact or
same-picture subsets (``nesting``) still collapse, each behind its own kept photo.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from photosearch.core.duplicates.groups import Group, stored_groups
from photosearch.core.duplicates.nesting import nest
from photosearch.core.duplicates.pairs import TIERS
from photosearch.core.library import Library
from photosearch.core.search import Hit
from photosearch.core.settings import Settings

DEFAULT_TIERS: tuple[str, ...] = ("exact", "same")


def hidden_tiers(settings: Settings) -> tuple[str, ...]:
    """The tiers "Hide duplicates" hides under these settings (the app and CLI alike)."""
    return (*DEFAULT_TIERS, "near") if settings.hide_near_duplicates else DEFAULT_TIERS


class Collapsed:
    """Stored groups as search results show them."""

    def __init__(self, groups: Sequence[Group] = ()) -> None:
        # kept photo id -> the group's photos as (id, path), the kept one first
        self.groups: Mapping[int, tuple[tuple[int, str], ...]] = {
            g.keep_id: tuple((p.id, p.path) for p in [g.keep, *g.others]) for g in groups}
        # photo id -> (kept photo id, position in its group)
        self.place: Mapping[int, tuple[int, int]] = {
            pid: (keep, i) for keep, members in self.groups.items()
            for i, (pid, _) in enumerate(members)}
        self.hidden: frozenset[int] = frozenset(
            pid for pid, (_, i) in self.place.items() if i > 0)

    @classmethod
    def load(cls, library: Library, tiers: Sequence[str] = DEFAULT_TIERS) -> Collapsed:
        """The stored groups of ``tiers``, and the ``tiers`` subsets of looser groups."""
        groups = stored_groups(library)
        if not tiers:
            return cls()
        loosest = TIERS[max(TIERS.index(t) for t in tiers)]
        units = [g for g in groups if g.tier in tiers]
        units += [s for subs in nest(library, groups, tier=loosest).values() for s in subs]
        return cls(units)

    def allow(self, photo_id: int) -> bool:
        """The search filter: False for a copy that its group's kept photo stands for."""
        return photo_id not in self.hidden

    def keep_of(self, photo_id: int) -> int | None:
        """The kept photo of the group ``photo_id`` is in, if it is in one."""
        place = self.place.get(photo_id)
        return place[0] if place else None

    def size(self, photo_id: int) -> int:
        """How many photos the group of ``photo_id`` has (1: in no group)."""
        keep = self.keep_of(photo_id)
        return len(self.groups[keep]) if keep is not None else 1

    def badge(self, photo_id: int, expanded: bool) -> str | None:
        """"×N" on a kept photo; "i/N" on every member while its group is expanded."""
        place = self.place.get(photo_id)
        if place is None:
            return None
        keep, position = place
        size = len(self.groups[keep])
        if expanded:
            return f"{position + 1}/{size}"
        return f"×{size}" if position == 0 else None

    def copies(self, hit: Hit) -> list[Hit]:
        """A kept photo's hidden copies, as hits to show after it (with its score)."""
        members = self.groups.get(hit.photo_id, ())[1:]
        return [Hit(pid, path, hit.score) for pid, path in members]

    def collapse(self, hits: Sequence[Hit]) -> list[tuple[Hit, int]]:
        """(hit, group size) for the hits a collapsed result shows, in their order."""
        return [(h, self.size(h.photo_id)) for h in hits if self.allow(h.photo_id)]
