"""Clean-up: move every copy but the kept one of each group to the system trash.

The groups were made from the catalog, which can be behind the disk: a kept file may have
been deleted or edited since, or two catalogued paths may lead to one file (a folder
reached through a link, a hard link). Trashing the "other" path of such a pair would
trash the only copy. So right before anything moves, each group is checked on disk, and a
group that fails any check is skipped whole, with the reason (``Skipped``):

- the kept file exists and is a regular file (not a link, not a folder);
- no file to be trashed is the kept file itself (same device and inode: an alias);
- the kept file and every file to be trashed still have the content hash the group was
  built on (an edited kept file no longer holds the picture its copies copy).

This is the last line of defence, whatever the scanner did: it holds even if two catalog
rows point at one file.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum

from photosearch.core.catalog import Photo
from photosearch.core.duplicates.groups import Group
from photosearch.core.files import hash_file
from photosearch.core.library import Library
from photosearch.core.trash import TrashReport, move_to_trash


class SkipReason(Enum):
    KEEP_MISSING = "the kept photo is no longer there"
    KEEP_NOT_A_FILE = "the kept photo is not a regular file"
    SAME_FILE = "a copy is the kept file itself under another path"
    KEEP_CHANGED = "the kept photo changed since the group was made"
    COPY_CHANGED = "a copy changed or vanished since the group was made"


@dataclass(frozen=True)
class Skipped:
    """A group left alone: nothing of it was moved."""

    keep: str               # the kept photo's path
    reason: SkipReason
    path: str               # the file the reason is about

    @property
    def message(self) -> str:
        return self.describe()

    def describe(self, show: Callable[[str], str] = str) -> str:
        """The reason in words; ``show`` writes a path (the CLI escapes odd names)."""
        about = "" if self.path == self.keep else f" ({show(self.path)})"
        return (f"kept {show(self.keep)}: {self.reason.value}{about}; nothing of this group "
                "moved")


@dataclass
class CleanupReport(TrashReport):
    skipped: list[Skipped] = field(default_factory=list)


def check_group(group: Group, *, contents: bool = True) -> Skipped | None:
    """Why ``group``'s other copies must not be trashed now, or None when they may.
    ``contents=False`` skips reading the files (the hash checks): for listing a plan."""
    keep = group.keep

    def skip(reason: SkipReason, path: str = keep.path) -> Skipped:
        return Skipped(keep.path, reason, path)

    try:
        kept = os.lstat(keep.path)
    except OSError:
        return skip(SkipReason.KEEP_MISSING)
    if not stat.S_ISREG(kept.st_mode):
        return skip(SkipReason.KEEP_NOT_A_FILE)
    for other in group.others:
        try:
            if os.path.samestat(kept, os.stat(other.path)):
                return skip(SkipReason.SAME_FILE, other.path)
        except OSError:
            return skip(SkipReason.COPY_CHANGED, other.path)
    if contents:
        if not _has_hash(keep):
            return skip(SkipReason.KEEP_CHANGED)
        for other in group.others:
            if not _has_hash(other):
                return skip(SkipReason.COPY_CHANGED, other.path)
    return None


def _has_hash(photo: Photo) -> bool:
    try:
        return photo.content_hash is not None and hash_file(photo.path) == photo.content_hash
    except OSError:
        return False


@dataclass
class CleanupPlan:
    """What "move others to trash" would do, to show before asking."""

    groups: list[Group] = field(default_factory=list)      # their other copies would move
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def photos(self) -> list[Photo]:
        return [p for g in self.groups for p in g.others]


def cleanup_plan(groups: Sequence[Group]) -> CleanupPlan:
    """The groups that pass the checks on disk, without reading the files (that is left
    to ``trash_others``, right before moving), and those that do not, with the reason."""
    plan = CleanupPlan()
    for g in groups:
        why = check_group(g, contents=False)
        if why is None:
            plan.groups.append(g)
        else:
            plan.skipped.append(why)
    return plan


def trash_others(library: Library, plan: CleanupPlan | Sequence[Group]) -> CleanupReport:
    """Move the other copies of the plan's groups to the system trash in one go, after
    checking each group again, contents included (ask the user first, showing the plan:
    a group that was not in it never moves). Skipped groups are in the report."""
    if not isinstance(plan, CleanupPlan):
        plan = cleanup_plan(plan)
    skipped = list(plan.skipped)
    paths: list[str] = []
    for g in plan.groups:
        why = check_group(g)
        if why is None:
            paths += [p.path for p in g.others]
        else:
            skipped.append(why)
    moved = move_to_trash(library, paths)
    return CleanupReport(moved.moved, moved.failed, moved.location, skipped)
