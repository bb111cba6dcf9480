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

from photosearch.core.catalog import Catalog, Folder
from photosearch.core.decoding import hash_file, is_supported
from photosearch.core.progress import Progress, ProgressFn, check, noop

SKIP_DIRS = frozenset({
    "@eaDir", "#recycle", "$RECYCLE.BIN", "System Volume Information", "lost+found",
    "__MACOSX", "node_modules", "Thumbs", ".thumbnails", "$Recycle.Bin",
})
TEMP_SUFFIXES = (".tmp", ".temp", ".part", ".partial", ".crdownload", ".download", ".swp",
                 ".!sync", ".syncthing", "~")
MISSING_KEEP_SECONDS = 30 * 24 * 3600   # forget vanished photos after a month
_BATCH = 500


def is_ignored_name(name: str) -> bool:
    """Hidden files and the temp files of editors, browsers and sync tools."""
    lower = name.lower()
    return (name.startswith((".", "~$", "._")) or lower.endswith(TEMP_SUFFIXES)
            or lower.startswith(".syncthing.") or lower == "thumbs.db")


def is_photo_path(path: str) -> bool:
    return is_supported(path) and not is_ignored_name(os.path.basename(path))


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
    known = {
        r[1]: (r[0], r[2], r[3], r[4])
        for r in catalog.conn.execute(
            "SELECT id, path, size, mtime, status FROM photos WHERE folder_id=?", (folder.id,)
        )
    }
    with catalog.write() as conn:
        conn.execute("UPDATE photos SET seen=0 WHERE folder_id=?", (folder.id,))
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
    with catalog.write() as conn:
        gone = [r[0] for r in conn.execute(
            "SELECT id FROM photos WHERE folder_id=? AND seen=0 AND status!='missing'",
            (folder.id,))]
        _sweep(conn, gone, report)
    catalog.set_folder_state(folder.id, online=True, scanned=True)
    return report


def _record(catalog: Catalog, folder_id: int, batch: list[tuple[str, int, float]],
            known: dict[str, tuple[int, int, float, str]], report: ScanReport) -> None:
    now = time.time()
    with catalog.write() as conn:
        for path, size, mtime in batch:
            row = known.get(path)
            if row is None:
                cur = conn.execute(
                    "INSERT INTO photos(folder_id, path, size, mtime, added_at) "
                    "VALUES (?, ?, ?, ?, ?)", (folder_id, path, size, mtime, now))
                report.added.append(int(cur.lastrowid))
                continue
            photo_id, old_size, old_mtime, status = row
            if old_size != size or abs(old_mtime - mtime) > 1e-6:
                _mark_changed(conn, photo_id, size, mtime)
                report.changed.append(photo_id)
            elif status == "missing":
                conn.execute("UPDATE photos SET status=CASE WHEN content_hash IS NULL "
                             "THEN 'pending' ELSE 'ok' END, missing_since=NULL, seen=1 "
                             "WHERE id=?", (photo_id,))
                report.revived.append(photo_id)
            else:
                conn.execute("UPDATE photos SET seen=1 WHERE id=?", (photo_id,))
                report.unchanged += 1


def _mark_changed(conn, photo_id: int, size: int, mtime: float) -> None:
    """New content under a known path: decode and embed again, keep the row (manual tags)."""
    conn.execute(
        "UPDATE photos SET size=?, mtime=?, content_hash=NULL, phash=NULL, width=NULL, "
        "height=NULL, taken_at=NULL, status='pending', error=NULL, seen=1, "
        "missing_since=NULL WHERE id=?", (size, mtime, photo_id))
    conn.execute("DELETE FROM embeddings WHERE photo_id=?", (photo_id,))


def _sweep(conn, gone: list[int], report: ScanReport) -> None:
    """Match vanished photos with newly found files by size, then content hash."""
    now = time.time()
    if gone:
        marks = ",".join("?" * len(gone))
        conn.execute(f"UPDATE photos SET status='missing', missing_since=? WHERE id IN ({marks})",
                     (now, *gone))
    new_ids = report.added
    if new_ids:
        moved = _match_moves(conn, new_ids)
        for old_id, new_id in moved:
            report.moved.append(old_id)
            if old_id in gone:
                gone.remove(old_id)
            report.added.remove(new_id)
    report.vanished.extend(gone)
    conn.execute("DELETE FROM photos WHERE status='missing' AND missing_since < ?",
                 (now - MISSING_KEEP_SECONDS,))


def _match_moves(conn, new_ids: list[int]) -> list[tuple[int, int]]:
    """Pairs (missing photo, new row) with equal content; the missing row takes the path."""
    missing: dict[int, list[tuple[int, str]]] = {}
    for pid, size, chash in conn.execute(
            "SELECT id, size, content_hash FROM photos WHERE status='missing' "
            "AND content_hash IS NOT NULL"):
        missing.setdefault(size, []).append((pid, chash))
    if not missing:
        return []
    pairs = []
    for chunk in [new_ids[i:i + 900] for i in range(0, len(new_ids), 900)]:
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            f"SELECT id, folder_id, path, size, mtime FROM photos WHERE id IN ({marks})", chunk
        ).fetchall()
        for new_id, folder_id, path, size, mtime in rows:
            candidates = missing.get(size)
            if not candidates:
                continue
            try:
                h = hash_file(path)
            except OSError:
                continue
            for i, (old_id, old_hash) in enumerate(candidates):
                if old_hash == h:
                    del candidates[i]
                    conn.execute("DELETE FROM photos WHERE id=?", (new_id,))
                    conn.execute(
                        "UPDATE photos SET folder_id=?, path=?, mtime=?, status='ok', seen=1, "
                        "missing_since=NULL WHERE id=?", (folder_id, path, mtime, old_id))
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
            if photo is not None and photo.status != "missing":
                absent.append(photo.id)
    for folder_id, batch in present.items():
        known = {
            r[1]: (r[0], r[2], r[3], r[4]) for path, _, _ in batch
            for r in catalog.conn.execute(
                "SELECT id, path, size, mtime, status FROM photos WHERE path=?", (path,))
        }
        _record(catalog, folder_id, batch, known, report)
    with catalog.write() as conn:
        _sweep(conn, absent, report)
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
    with catalog.write() as conn:
        conn.execute("DELETE FROM photos WHERE path=? AND id!=?", (dst, photo.id))
        conn.execute("UPDATE photos SET folder_id=?, path=?, mtime=?, seen=1 WHERE id=?",
                     (folder.id, dst, st.st_mtime, photo.id))
    report.moved.append(photo.id)
    return report
