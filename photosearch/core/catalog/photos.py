"""Reading the ``photos`` table: single photos, lists, what still needs work, counts.

Every photo the core sees is built here by ``Photo.from_row``, so statuses are
``PhotoStatus`` values and paths are decoded the one way (``records.fs_path``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from photosearch.core.catalog.database import Database
from photosearch.core.catalog.records import (
    LIVE_STATUSES,
    PHOTO_COLUMNS,
    Counts,
    Photo,
    PhotoStatus,
    chunks,
    date_sql,
    db_path,
    fs_path,
    live_sql,
    marks,
    status_sql,
    sum_counts,
    under_args,
    under_sql,
)

# (id, size, mtime, status) by path: what a scan compares the disk with.
ScanState = dict[str, tuple[int, int, float, str]]
FAILED, MISSING = PhotoStatus.FAILED.value, PhotoStatus.MISSING.value


class TimelineRow(NamedTuple):
    """One photo of the browse timeline; ``date`` is ``records.date_sql``'s."""
    id: int
    path: str
    date: str
    content_hash: str | None


class PhotoTable(Database):
    def photo(self, photo_id: int) -> Photo | None:
        sql = f"SELECT {PHOTO_COLUMNS} FROM photos WHERE id=?"
        r = self.conn.execute(sql, (photo_id,)).fetchone()
        return Photo.from_row(r) if r else None

    def photo_by_path(self, path: str) -> Photo | None:
        sql = f"SELECT {PHOTO_COLUMNS} FROM photos WHERE path=?"
        r = self.conn.execute(sql, (db_path(path),)).fetchone()
        return Photo.from_row(r) if r else None

    def photo_at(self, path: str) -> Photo | None:
        """The photo at a path a user gave (relative, or through a symlink): photos are
        catalogued by their real path, so a path as typed may differ from the stored one."""
        absolute = os.path.abspath(path)
        return self.photo_by_path(absolute) or self.photo_by_path(os.path.realpath(absolute))

    def same_file(self, file_id: tuple[int, int], path: str) -> list[tuple[int, str]]:
        """Photos not missing (id, path) recorded with this (st_dev, st_ino) under another
        path; the caller checks them on disk, since device numbers change between mounts."""
        dev, ino = file_id
        return [(r[0], fs_path(r[1])) for r in self.conn.execute(
            "SELECT id, path FROM photos WHERE ino=? AND dev=? AND path!=? "
            f"AND status!={status_sql(PhotoStatus.MISSING)} ORDER BY id",
            (ino, dev, db_path(path)))]

    def photos_by_ids(self, ids: Sequence[int]) -> dict[int, Photo]:
        out: dict[int, Photo] = {}
        for chunk in chunks(ids):
            for r in self.conn.execute(
                f"SELECT {PHOTO_COLUMNS} FROM photos WHERE id IN ({marks(len(chunk))})", chunk
            ):
                out[r[0]] = Photo.from_row(r)
        return out

    def photos(self, *, folder_id: int | None = None,
               status: PhotoStatus | None = None) -> list[Photo]:
        sql = f"SELECT {PHOTO_COLUMNS} FROM photos WHERE 1=1"
        args: list[object] = []
        if folder_id is not None:
            sql += " AND folder_id=?"
            args.append(folder_id)
        if status is not None:
            sql += f" AND status={status_sql(status)}"
        return [Photo.from_row(r) for r in self.conn.execute(sql + " ORDER BY path", args)]

    def pending(self, model: str, *, folder_ids: Iterable[int] | None = None) -> list[Photo]:
        """Photos that still need decoding for ``model`` (new, changed, or no vector yet),
        in folders that are online (an unplugged drive's photos wait for it)."""
        sql = (
            f"SELECT {PHOTO_COLUMNS} FROM photos p WHERE {live_sql('p')} "
            "AND NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.model=? AND e.photo_id=p.id)"
            " AND folder_id IN (SELECT id FROM folders WHERE online=1)"
        )
        args: list[object] = [model]
        if folder_ids is not None:
            ids = list(folder_ids)
            sql += f" AND folder_id IN ({marks(len(ids))})"
            args.extend(ids)
        return [Photo.from_row(r) for r in self.conn.execute(sql + " ORDER BY id", args)]

    def failures(self) -> list[Photo]:
        """Photos that failed for their own fault (tried again when the file changes)."""
        return self.photos(status=PhotoStatus.FAILED)

    def retrying(self) -> list[Photo]:
        """Live photos whose last try failed for a reason outside the file (tried again
        on the next run); ``error`` says why."""
        # the partial index holds only photos with an error: a few rows, not all live ones
        sql = (f"SELECT {PHOTO_COLUMNS} FROM photos INDEXED BY photos_error "
               f"WHERE error IS NOT NULL AND {live_sql()} ORDER BY path")
        return [Photo.from_row(r) for r in self.conn.execute(sql)]

    def counts(self, model: str, *, folder_id: int | None = None) -> Counts:
        """The library's counts (or one folder's), from the trigger-kept ``tallies``."""
        if folder_id is not None:
            return self.folder_counts(model).get(folder_id, Counts(0, 0, 0, 0, 0))
        return sum_counts(self.folder_counts(model).values())

    def folder_counts(self, model: str) -> dict[int, Counts]:
        """Counts of every folder, in two small queries whatever the library's size."""
        tally: dict[int, dict[str, int]] = {}
        live = {s.value for s in LIVE_STATUSES}
        for fid, status, m, n in self.conn.execute(
                "SELECT folder_id, status, model, n FROM tallies WHERE model IN ('', ?)",
                (model,)):
            t = tally.setdefault(fid, dict.fromkeys(("total", "indexed", FAILED, MISSING), 0))
            if m == "":
                t["total"] += n
                if status in t:
                    t[status] += n
            elif status in live:
                t["indexed"] += n
        retry = dict(self.conn.execute(
            "SELECT folder_id, count(*) FROM photos p INDEXED BY photos_error "
            "WHERE error IS NOT NULL "
            f"AND {live_sql('p')} AND NOT EXISTS (SELECT 1 FROM embeddings e "
            "WHERE e.model=? AND e.photo_id=p.id) GROUP BY folder_id", (model,)))
        out = {}
        for (fid,) in self.conn.execute("SELECT id FROM folders"):
            t = tally.get(fid, dict.fromkeys(("total", "indexed", FAILED, MISSING), 0))
            pending = t["total"] - t[FAILED] - t[MISSING] - t["indexed"]
            out[fid] = Counts(t["total"], t["indexed"], pending, t[FAILED], t[MISSING],
                              retry.get(fid, 0))
        return out

    # -- newest first, a page at a time (the app's browse timeline) -----------------------
    def timeline(self, limit: int, *, after: tuple[str, int] | None = None,
                 folder: str | None = None, oldest: bool = False) -> list[TimelineRow]:
        """Live photos newest first (``oldest``: oldest first), ``limit`` at a time.
        ``after`` is the (date, id) of the previous page's last row: a keyset, not an
        OFFSET, so a page deep in 100k photos skips nothing it has to read twice.
        ``folder`` keeps the photos inside it."""
        inner = (f"SELECT id, path, {date_sql()} AS d, content_hash FROM photos "
                 f"WHERE {live_sql()}")
        args: list[object] = []
        if folder:
            inner += f" AND {under_sql()}"
            args.extend(under_args(folder))
        sql = f"SELECT id, path, d, content_hash FROM ({inner})"
        op, order = (">", "ASC") if oldest else ("<", "DESC")
        if after is not None:
            sql += f" WHERE d {op} ? OR (d = ? AND id {op} ?)"
            args.extend([after[0], after[0], after[1]])
        rows = self.conn.execute(f"{sql} ORDER BY d {order}, id {order} LIMIT ?",
                                 [*args, limit])
        return [TimelineRow(r[0], fs_path(r[1]), r[2] or "", r[3]) for r in rows]

    def live_count(self, folder: str | None = None) -> int:
        """How many live photos (inside ``folder``): the browse timeline's length. The
        whole library's is read from the trigger-kept ``tallies`` (no scan at 1M)."""
        if not folder:
            return int(self.conn.execute(
                f"SELECT coalesce(sum(n), 0) FROM tallies WHERE model='' AND {live_sql()}"
            ).fetchone()[0])
        sql, args = f"SELECT count(*) FROM photos WHERE {live_sql()}", []
        if folder:
            sql += f" AND {under_sql()}"
            args.extend(under_args(folder))
        return int(self.conn.execute(sql, args).fetchone()[0])

    # -- by capture date ------------------------------------------------------------------
    def dates(self, ids: Sequence[int]) -> dict[int, str]:
        """Capture dates (``records.date_sql``) of these photos."""
        out: dict[int, str] = {}
        for part in chunks(ids):
            out.update(self.conn.execute(
                f"SELECT id, {date_sql()} FROM photos WHERE id IN ({marks(len(part))})", part))
        return out

    def ids_dated(self, since: str | None, until: str | None) -> list[int]:
        """Live photos taken on or after ``since`` and before ``until`` (ISO dates; None
        leaves that side open), newest first."""
        sql = f"SELECT id FROM photos WHERE {live_sql()}"
        args: list[str] = []
        for bound, op in ((since, ">="), (until, "<")):
            if bound is not None:
                sql += f" AND {date_sql()} {op} ?"
                args.append(bound)
        return [r[0] for r in self.conn.execute(f"{sql} ORDER BY {date_sql()} DESC, id", args)]

    # -- by place on disk -----------------------------------------------------------------
    def ids_under(self, folder: str) -> set[int]:
        """Every photo (any status) inside ``folder``."""
        rows = self.conn.execute(f"SELECT id FROM photos WHERE {under_sql()}",
                                 under_args(folder))
        return {r[0] for r in rows}

    def paths_under(self, folder: str) -> list[str]:
        """Paths of the photos inside ``folder`` that are not missing."""
        rows = self.conn.execute(
            f"SELECT path FROM photos WHERE {under_sql()} "
            f"AND status!={status_sql(PhotoStatus.MISSING)}", under_args(folder))
        return [fs_path(r[0]) for r in rows]

    def scan_state(self, folder_id: int) -> ScanState:
        rows = self.conn.execute(
            "SELECT id, path, size, mtime, status FROM photos WHERE folder_id=?", (folder_id,))
        return {fs_path(r[1]): (r[0], r[2], r[3], r[4]) for r in rows}

    def scan_state_of(self, paths: Iterable[str]) -> ScanState:
        state: ScanState = {}
        for path in paths:
            r = self.conn.execute("SELECT id, size, mtime, status FROM photos WHERE path=?",
                                  (db_path(path),)).fetchone()
            if r:
                state[path] = (r[0], r[1], r[2], r[3])
        return state
