"""Writing the ``photos`` table: what scans, the watcher, indexing and the trash record.

Each method writes in its own transaction, or joins the caller's ``write()`` block, so a
scan batch or an indexing batch is still one transaction. Callers do not write SQL for
this table; new kinds of change get a method here.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from photosearch.core.catalog.database import Database
from photosearch.core.catalog.records import (
    PhotoStatus,
    db_path,
    marks,
    status_sql,
)

FileId = tuple[int, int]    # (st_dev, st_ino)
_PENDING, _OK = status_sql(PhotoStatus.PENDING), status_sql(PhotoStatus.OK)
_FAILED, _MISSING = status_sql(PhotoStatus.FAILED), status_sql(PhotoStatus.MISSING)


class PhotoChanges(Database):
    # -- scanning -------------------------------------------------------------------------
    def add_photo(self, folder_id: int, path: str, size: int, mtime: float,
                  added_at: float | None = None, file_id: FileId | None = None) -> int:
        """``file_id``: (st_dev, st_ino) of the file, what tells an alias (``same_file``)."""
        dev, ino = file_id or (None, None)
        with self.write() as conn:
            cur = conn.execute(
                "INSERT INTO photos(folder_id, path, size, mtime, added_at, dev, ino) "
                "VALUES (?,?,?,?,?,?,?)",
                (folder_id, db_path(path), size, mtime,
                 time.time() if added_at is None else added_at, dev, ino))
        return int(cur.lastrowid)

    def mark_changed(self, photo_id: int, size: int, mtime: float) -> None:
        """New content under a known path: decode and embed again, keep the row (manual tags)."""
        with self.write() as conn:
            conn.execute(
                "UPDATE photos SET size=?, mtime=?, content_hash=NULL, phash=NULL, width=NULL, "
                f"height=NULL, taken_at=NULL, status={_PENDING}, error=NULL, seen=1, "
                "missing_since=NULL WHERE id=?", (size, mtime, photo_id))
            conn.execute("DELETE FROM embeddings WHERE photo_id=?", (photo_id,))

    def revive(self, photo_id: int) -> None:
        """A missing photo is back unchanged: decoded before means it is ok again."""
        with self.write() as conn:
            conn.execute(f"UPDATE photos SET status=CASE WHEN content_hash IS NULL "
                         f"THEN {_PENDING} ELSE {_OK} END, missing_since=NULL, seen=1 "
                         "WHERE id=?", (photo_id,))

    def mark_seen(self, photo_id: int, file_id: FileId | None = None) -> None:
        """Found by the scan; ``file_id`` refreshes (st_dev, st_ino), which can change
        between mounts."""
        with self.write() as conn:
            if file_id is None:
                conn.execute("UPDATE photos SET seen=1 WHERE id=?", (photo_id,))
            else:
                conn.execute("UPDATE photos SET seen=1, dev=?, ino=? WHERE id=?",
                             (*file_id, photo_id))

    def mark_unseen(self, folder_id: int) -> None:
        """Start of a mark-and-sweep rescan of one folder."""
        with self.write() as conn:
            conn.execute("UPDATE photos SET seen=0 WHERE folder_id=?", (folder_id,))

    def unseen(self, folder_id: int) -> list[int]:
        """Photos of the folder the rescan did not find (and not already missing)."""
        return [r[0] for r in self.conn.execute(
            f"SELECT id FROM photos WHERE folder_id=? AND seen=0 AND status!={_MISSING}",
            (folder_id,))]

    def mark_missing(self, photo_ids: Sequence[int], when: float | None = None) -> None:
        if not photo_ids:
            return
        with self.write() as conn:
            conn.execute(f"UPDATE photos SET status={_MISSING}, missing_since=? "
                         f"WHERE id IN ({marks(len(photo_ids))})",
                         (time.time() if when is None else when, *photo_ids))

    def forget_missing(self, before: float) -> None:
        """Forget photos missing since before ``before`` (their rows, vectors and tags)."""
        with self.write() as conn:
            conn.execute(f"DELETE FROM photos WHERE status={_MISSING} AND missing_since < ?",
                         (before,))

    def missing_by_size(self) -> dict[int, list[tuple[int, str]]]:
        """Missing photos with a known content hash: size -> [(id, hash)], for move matching."""
        out: dict[int, list[tuple[int, str]]] = {}
        for pid, size, chash in self.conn.execute(
                f"SELECT id, size, content_hash FROM photos WHERE status={_MISSING} "
                "AND content_hash IS NOT NULL"):
            out.setdefault(size, []).append((pid, chash))
        return out

    def take_over(self, old_id: int, new_id: int, folder_id: int, path: str,
                  mtime: float) -> None:
        """A missing photo turned up as a new row: the old row (with its vector, tags and
        duplicate state) takes the new path and the new row goes."""
        with self.write() as conn:
            dev, ino = conn.execute("SELECT dev, ino FROM photos WHERE id=?",
                                    (new_id,)).fetchone() or (None, None)
            conn.execute("DELETE FROM photos WHERE id=?", (new_id,))
            conn.execute(
                f"UPDATE photos SET folder_id=?, path=?, mtime=?, status={_OK}, seen=1, "
                "missing_since=NULL, dev=?, ino=? WHERE id=?",
                (folder_id, db_path(path), mtime, dev, ino, old_id))

    def move_photo(self, photo_id: int, folder_id: int, path: str, mtime: float) -> None:
        """A rename seen directly: the photo keeps its row; a row already at ``path`` goes."""
        with self.write() as conn:
            conn.execute("DELETE FROM photos WHERE path=? AND id!=?", (db_path(path), photo_id))
            conn.execute("UPDATE photos SET folder_id=?, path=?, mtime=?, seen=1 WHERE id=?",
                         (folder_id, db_path(path), mtime, photo_id))

    # -- indexing -------------------------------------------------------------------------
    def store_decoded(self, photo_id: int, path: str, content_hash: str, width: int,
                      height: int, taken_at: str | None, phash: int | None) -> bool:
        """Record a decoded photo as ok; False when it was forgotten or moved meanwhile
        (the row no longer has ``path``), so its vector must not be stored."""
        with self.write() as conn:
            cur = conn.execute(
                "UPDATE photos SET content_hash=?, width=?, height=?, taken_at=?, phash=?, "
                f"status={_OK}, error=NULL WHERE id=? AND path=?",
                (content_hash, width, height, taken_at, phash, photo_id, db_path(path)))
        return bool(cur.rowcount)

    def defer(self, photo_id: int, reason: str) -> None:
        """Not the file's fault (vanished, permission, I/O): the status stays (pending, so
        the next run tries again) and ``error`` says why it waits."""
        with self.write() as conn:
            conn.execute("UPDATE photos SET error=? WHERE id=?", (reason, photo_id))

    def mark_failed(self, photo_id: int, reason: str) -> None:
        """The file's own fault: not tried again until it changes."""
        with self.write() as conn:
            conn.execute(f"UPDATE photos SET status={_FAILED}, error=? WHERE id=?",
                         (reason, photo_id))
