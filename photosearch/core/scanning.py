"""Finding photos on disk and keeping the catalog in step with them.

Rescans are mark-and-sweep: every photo of the folder is marked unseen, the walk marks
what it finds, and what stayed unseen is handled last. Before a vanished photo is given
up, new files of the same size are hashed: a match is a move or rename, and the photo
keeps its row (so its vector, thumbnail, tags and duplicate state) under the new path.
Vanished photos become ``missing`` rather than deleted, so a move seen as delete now and
create later (a sync tool, another folder of the library) is still recognised.

The walk skips hidden and system folders and the temp files of editors and sync tools,
and survives symlink loops (each directory is entered once, by device and inode).
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
    """Every photo file under ``root``, depth first, each directory entered once."""
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        check(cancel)
        folder = stack.pop()
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
                        stack.append(entry.path)
                elif entry.is_file() and is_photo_path(entry.name):
                    yield entry
            except OSError:
                continue


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
    batch: list[tuple[str, int, float]] = []
    for entry in walk_photos(folder.path, cancel):
        try:
            st = entry.stat()
        except OSError:
            continue
        batch.append((entry.path, st.st_size, st.st_mtime))
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


def _record(catalog: Catalog, folder_id: int, batch: list[tuple[str, int, float]],
            known: ScanState, report: ScanReport) -> None:
    now = time.time()
    with catalog.write():
        for path, size, mtime in batch:
            row = known.get(path)
            if row is None:
                report.added.append(catalog.add_photo(folder_id, path, size, mtime, now))
                continue
            photo_id, old_size, old_mtime, status = row
            if old_size != size or abs(old_mtime - mtime) > 1e-6:
                catalog.mark_changed(photo_id, size, mtime)
                report.changed.append(photo_id)
            elif status == PhotoStatus.MISSING:
                catalog.revive(photo_id)
                report.revived.append(photo_id)
            else:
                catalog.mark_seen(photo_id)
                report.unchanged += 1


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
    present: dict[int, list[tuple[str, int, float]]] = {}
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
            present.setdefault(folder.id, []).append((path, st.st_size, st.st_mtime))
        else:
            photo = catalog.photo_by_path(path)
            if photo is not None and photo.status != PhotoStatus.MISSING:
                absent.append(photo.id)
    for folder_id, batch in present.items():
        known = catalog.scan_state_of(path for path, _, _ in batch)
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
