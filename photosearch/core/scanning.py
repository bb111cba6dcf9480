"""Finding photos on disk and keeping the catalog in step with them.

Rescans are mark-and-sweep: every photo of the folder is marked unseen, the walk marks
what it finds, and what stayed unseen is handled last. Before a vanished photo is given
up, new files of the same size are hashed: a match is a move or rename, and the photo
keeps its row (so its vector, thumbnail, tags and duplicate state) under the new path.
Vanished photos become ``missing`` rather than deleted, so a move seen as delete now and
create later (a sync tool, another folder of the library) is still recognised.

The walk skips hidden and system folders and the temp files of editors and sync tools,
and survives symlink loops (each directory is entered once, by device and inode).

A photo is the file, not the path: symlinks are followed (to files and folders, inside
the library folders or outside them), but a path that leads to a file the catalog
already holds under another path (same device and inode, checked on disk) is an alias
and is not recorded again, so one file never becomes an "exact copy" of itself. The path
without symlinks wins: the walk visits real entries before linked ones, and a row
recorded under a linked path moves to the real path when that is found.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from photosearch.core.catalog import Catalog, Folder, PhotoStatus
from photosearch.core.catalog.photos import ScanState
from photosearch.core.files import hash_file, is_ignored_name, is_photo_path
from photosearch.core.progress import Progress, ProgressFn, check, noop

SKIP_DIRS = frozenset({
    "@eaDir", "#recycle", "$RECYCLE.BIN", "System Volume Information", "lost+found",
    "__MACOSX", "node_modules", "Thumbs", ".thumbnails", "$Recycle.Bin",
})
MISSING_KEEP_SECONDS = 30 * 24 * 3600   # forget vanished photos after a month
_BATCH = 500


@dataclass
class ScanReport:
    added: list[int] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)
    moved: list[int] = field(default_factory=list)      # kept their row under a new path
    vanished: list[int] = field(default_factory=list)
    revived: list[int] = field(default_factory=list)    # missing ones that came back
    unchanged: int = 0
    offline: list[str] = field(default_factory=list)    # folders not reachable now

    def merge(self, other: ScanReport) -> None:
        for name in ("added", "changed", "moved", "vanished", "revived", "offline"):
            getattr(self, name).extend(getattr(other, name))
        self.unchanged += other.unchanged

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed or self.moved or self.vanished or self.revived)


def walk_photos(root: str, cancel: threading.Event | None = None) -> Iterator[os.DirEntry]:
    """Every photo file under ``root``, depth first, each directory entered once; entries
    reached through a symlink come after all the others (so real paths are seen first)."""
    seen: set[tuple[int, int]] = set()
    stack, linked = [root], []
    linked_files: list[os.DirEntry] = []
    while stack or linked:
        check(cancel)
        folder = stack.pop() if stack else linked.pop()
        try:
            st = os.stat(folder)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) in seen:
            continue
        seen.add((st.st_dev, st.st_ino))
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue  # unreadable folder: skip it, keep walking
        for entry in sorted(entries, key=lambda e: e.name):
            try:
                if entry.is_dir():
                    if not is_ignored_name(entry.name) and entry.name not in SKIP_DIRS:
                        (linked if entry.is_symlink() else stack).append(entry.path)
                elif entry.is_file() and is_photo_path(entry.name):
                    if entry.is_symlink():
                        linked_files.append(entry)
                    else:
                        yield entry
            except OSError:
                continue
    yield from linked_files


def scan_folder(catalog: Catalog, folder: Folder, *, progress: ProgressFn = noop,
                cancel: threading.Event | None = None) -> ScanReport:
    """Bring the catalog in step with one folder on disk."""
    report = ScanReport()
    if not os.path.isdir(folder.path):
        # An unplugged drive or unmounted share: keep everything, show it offline.
        catalog.set_folder_state(folder.id, online=False)
        report.offline.append(folder.path)
        return report
    known = catalog.scan_state(folder.id)
    catalog.mark_unseen(folder.id)
    found = 0
    batch: list[Found] = []
    for entry in walk_photos(folder.path, cancel):
        try:
            st = entry.stat()
        except OSError:
            continue
        batch.append(Found(entry.path, st))
        found += 1
        if len(batch) >= _BATCH:
            _record(catalog, folder.id, batch, known, report)
            batch = []
            progress(Progress("scanning", found, None, message=folder.path))
    _record(catalog, folder.id, batch, known, report)
    progress(Progress("scanning", found, None, message=folder.path))
    with catalog.write():
        _sweep(catalog, catalog.unseen(folder.id), report)
    catalog.set_folder_state(folder.id, online=True, scanned=True)
    return report


@dataclass(frozen=True)
class Found:
    """A photo file the walk found, with what ``os.stat`` (following symlinks) said."""

    path: str
    st: os.stat_result

    @property
    def file_id(self) -> tuple[int, int]:
        return self.st.st_dev, self.st.st_ino


def _record(catalog: Catalog, folder_id: int, batch: list[Found],
            known: ScanState, report: ScanReport) -> None:
    now = time.time()
    with catalog.write():
        for found in batch:
            path, size, mtime = found.path, found.st.st_size, found.st.st_mtime
            row = known.get(path)
            if _is_alias(catalog, folder_id, found, row, report):
                continue
            if row is None:
                report.added.append(
                    catalog.add_photo(folder_id, path, size, mtime, now, found.file_id))
                continue
            photo_id, old_size, old_mtime, status = row
            catalog.mark_seen(photo_id, found.file_id)
            if old_size != size or abs(old_mtime - mtime) > 1e-6:
                catalog.mark_changed(photo_id, size, mtime)
                report.changed.append(photo_id)
            elif status == PhotoStatus.MISSING:
                catalog.revive(photo_id)
                report.revived.append(photo_id)
            else:
                report.unchanged += 1


def _is_alias(catalog: Catalog, folder_id: int, found: Found,
              row: tuple[int, int, float, str] | None, report: ScanReport) -> bool:
    """Whether ``found`` is another path to a file the catalog holds already.

    When it is, its own row (left by an older version) is marked missing. When the
    recorded path goes through a symlink and this one does not, the photo's row moves to
    this path instead (it keeps vector, tags and thumbnail) and this is not an alias."""
    for other_id, other_path in catalog.same_file(found.file_id, found.path):
        try:
            other = os.stat(other_path)
        except OSError:
            continue
        if (other.st_dev, other.st_ino) != found.file_id:
            continue  # stale identity (a remount renumbered devices, an inode reused)
        if row is not None and row[0] == other_id:
            return True  # this row moved to the real path earlier in this scan
        if _is_real(found.path) and not _is_real(other_path):
            if row is not None:   # both paths have rows: the linked one gives way
                _mark_alias(catalog, other_id, report)
                return False
            catalog.move_photo(other_id, folder_id, found.path, found.st.st_mtime)
            report.moved.append(other_id)
            return True
        if row is not None and row[3] != PhotoStatus.MISSING:
            _mark_alias(catalog, row[0], report)
        return True
    return False


def _mark_alias(catalog: Catalog, photo_id: int, report: ScanReport) -> None:
    catalog.mark_missing([photo_id])
    report.vanished.append(photo_id)


def _is_real(path: str) -> bool:
    """A path that goes through no symlink."""
    return os.path.realpath(path) == path


def _sweep(catalog: Catalog, gone: list[int], report: ScanReport) -> None:
    """Match vanished photos with newly found files by size, then content hash."""
    now = time.time()
    catalog.mark_missing(gone, now)
    new_ids = report.added
    if new_ids:
        moved = _match_moves(catalog, new_ids)
        for old_id, new_id in moved:
            report.moved.append(old_id)
            if old_id in gone:
                gone.remove(old_id)
            report.added.remove(new_id)
    report.vanished.extend(gone)
    catalog.forget_missing(now - MISSING_KEEP_SECONDS)


def _match_moves(catalog: Catalog, new_ids: list[int]) -> list[tuple[int, int]]:
    """Pairs (missing photo, new row) with equal content; the missing row takes the path."""
    missing = catalog.missing_by_size()
    if not missing:
        return []
    pairs = []
    new_photos = catalog.photos_by_ids(new_ids)
    for new_id in new_ids:
        photo = new_photos.get(new_id)
        candidates = missing.get(photo.size) if photo else None
        if not candidates:
            continue
        try:
            h = hash_file(photo.path)
        except OSError:
            continue
        for i, (old_id, old_hash) in enumerate(candidates):
            if old_hash == h:
                del candidates[i]
                catalog.take_over(old_id, new_id, photo.folder_id, photo.path, photo.mtime)
                pairs.append((old_id, new_id))
                break
    return pairs


def refresh_paths(catalog: Catalog, paths: Iterable[str]) -> ScanReport:
    """Bring a few paths in step without walking whole folders (file-watcher events).

    Existing files are added or updated, vanished ones marked missing, and moves are
    recognised by content as in a full scan."""
    report = ScanReport()
    present: dict[int, list[Found]] = {}
    absent: list[int] = []
    for path in dict.fromkeys(os.path.abspath(p) for p in paths):
        folder = catalog.folder_for_path(path)
        if folder is None:
            continue
        try:
            st = os.stat(path)
            exists = os.path.isfile(path) and is_photo_path(path)
        except OSError:
            exists = False
        if exists:
            present.setdefault(folder.id, []).append(Found(path, st))
        else:
            photo = catalog.photo_by_path(path)
            if photo is not None and photo.status != PhotoStatus.MISSING:
                absent.append(photo.id)
    for folder_id, batch in present.items():
        known = catalog.scan_state_of(found.path for found in batch)
        _record(catalog, folder_id, batch, known, report)
    with catalog.write():
        _sweep(catalog, absent, report)
    return report


def move_path(catalog: Catalog, src: str, dst: str) -> ScanReport:
    """A rename the watcher saw directly: the photo keeps its row under the new path."""
    src, dst = os.path.abspath(src), os.path.abspath(dst)
    photo = catalog.photo_by_path(src)
    folder = catalog.folder_for_path(dst)
    if photo is None or folder is None or not is_photo_path(dst):
        return refresh_paths(catalog, [src, dst])
    report = ScanReport()
    try:
        st = os.stat(dst)
    except OSError:
        return refresh_paths(catalog, [src, dst])
    catalog.move_photo(photo.id, folder.id, dst, st.st_mtime)
    report.moved.append(photo.id)
    return report
