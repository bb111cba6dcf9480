"""Clean-up: move every copy but the kept one of each group to the system trash."""

from __future__ import annotations

import os
from collections.abc import Sequence

from photosearch.core.catalog import Photo
from photosearch.core.duplicates.groups import Group
from photosearch.core.library import Library
from photosearch.core.trash import TrashReport, move_to_trash


def cleanup_plan(groups: Sequence[Group]) -> list[Photo]:
    """The photos "move others to trash" would move: every non-kept member, but only in
    groups whose kept file is still on disk (never trash the last copy)."""
    return [p for g in groups if os.path.isfile(g.keep.path) for p in g.others]


def trash_others(library: Library, groups: Sequence[Group]) -> TrashReport:
    """Move exactly ``cleanup_plan(groups)`` to the system trash (ask the user first)."""
    return move_to_trash(library, [p.path for p in cleanup_plan(groups)])
