"""Duplicates: find, group, remember and collapse copies of the same photo.

``pairs`` (how two photos relate: tiers, thresholds) → ``candidates`` (which pairs are
worth comparing; ``knn`` the embedding neighbours among them) → ``linkage`` (pairs
into groups) → ``groups`` (``Group``, the keep suggestion, whole-library grouping, the
stored groups kept current) ↔ ``store`` (the catalog's duplicate tables) ← ``hook``
(new photos join groups while indexing); ``nesting`` finds the exact/same-picture
subsets inside near groups; ``collapse`` hides copies in search results; ``cleanup``
moves the extra copies to the trash after checking the files on disk.

The names below are the package's API for clients; the modules are for the package.
"""

from photosearch.core.duplicates.cleanup import (
    CleanupPlan,
    CleanupReport,
    Skipped,
    SkipReason,
    cleanup_plan,
    trash_others,
)
from photosearch.core.duplicates.collapse import Collapsed, hidden_tiers
from photosearch.core.duplicates.groups import (
    NEAR_SLIDER,
    Group,
    current_groups,
    find_groups,
    group_counts,
    refresh_groups,
    stored_groups,
    suggest_keep,
    thresholds_for,
)
from photosearch.core.duplicates.hook import DuplicateHook
from photosearch.core.duplicates.nesting import nest
from photosearch.core.duplicates.pairs import TIERS, Thresholds
from photosearch.core.duplicates.store import is_current, set_keep

__all__ = ["NEAR_SLIDER", "TIERS", "CleanupPlan", "CleanupReport", "Collapsed",
           "DuplicateHook", "Group",
           "SkipReason", "Skipped", "Thresholds", "cleanup_plan", "current_groups",
           "find_groups", "group_counts", "hidden_tiers", "is_current", "nest",
           "refresh_groups", "set_keep",
           "stored_groups", "suggest_keep", "thresholds_for", "trash_others"]
