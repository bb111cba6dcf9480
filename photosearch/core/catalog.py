"""The catalog: one SQLite database that remembers folders, photos and their vectors.

Roles (see ``pipeline`` for the whole picture): every thread reads through its own
connection (WAL lets readers run beside the writer); writes go through ``write()``, which
serialises them in this process and takes SQLite's write lock (``BEGIN IMMEDIATE``) so
that another process waits instead of failing.

Photo status: ``pending`` (new or changed, not decoded yet), ``ok`` (decoded), ``failed``
(``error`` says why), ``missing`` (vanished; kept for a while so that a move that shows up
as delete + create keeps its embedding). A photo is indexed for a model when it has a row
in ``embeddings`` for that model: vectors never mix across models.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# Ordered schema migrations: MIGRATIONS[n] takes a database from version n to n+1.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE folders(
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        added_at REAL NOT NULL,
        last_scan REAL,
        online INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE photos(
        id INTEGER PRIMARY KEY,
        folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
        path TEXT NOT NULL UNIQUE,
        size INTEGER NOT NULL,
        mtime REAL NOT NULL,
        content_hash TEXT,
        width INTEGER,
        height INTEGER,
        taken_at TEXT,
        phash INTEGER,
        status TEXT NOT NULL DEFAULT 'pending',
        error TEXT,
        seen INTEGER NOT NULL DEFAULT 1,
        missing_since REAL,
        added_at REAL NOT NULL
    );
    CREATE INDEX photos_folder ON photos(folder_id);
    CREATE INDEX photos_hash ON photos(content_hash);
    CREATE INDEX photos_size ON photos(size);
    CREATE INDEX photos_status ON photos(status);
    CREATE TABLE embeddings(
        model TEXT NOT NULL,
        photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        vector BLOB NOT NULL,
        PRIMARY KEY(model, photo_id)
    ) WITHOUT ROWID;
    CREATE INDEX embeddings_photo ON embeddings(photo_id);
    CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
    """,
    # Keyword tags (core/tagging/store.py): automatic rows are replaced by re-tagging;
    # manual ones (added by the user) and removed ones (a "no" from the user) stay.
    """
    CREATE TABLE photo_tags(
        photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        tag TEXT NOT NULL,
        score REAL,
        manual INTEGER NOT NULL DEFAULT 0,
        removed INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY(photo_id, tag)
    ) WITHOUT ROWID;
    CREATE INDEX photo_tags_tag ON photo_tags(tag, removed);
    """,
    # Duplicate groups (core/duplicates.py): each photo in at most one group; the user's
    # keep choice survives regrouping; trash_log says what was moved to the trash, when.
    """
    CREATE TABLE duplicate_groups(
        id INTEGER PRIMARY KEY,
        tier TEXT NOT NULL,
        keep_id INTEGER REFERENCES photos(id) ON DELETE SET NULL,
        keep_chosen INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE duplicate_members(
        group_id INTEGER NOT NULL REFERENCES duplicate_groups(id) ON DELETE CASCADE,
        photo_id INTEGER NOT NULL UNIQUE REFERENCES photos(id) ON DELETE CASCADE,
        PRIMARY KEY(group_id, photo_id)
    );
    CREATE TABLE trash_log(
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL,
        content_hash TEXT,
        size INTEGER,
        trashed_at REAL NOT NULL,
        location TEXT
    );
    """,
]

PHOTO_COLUMNS = (
    "id, folder_id, path, size, mtime, content_hash, width, height, taken_at, phash, status, error"
)


@dataclass(frozen=True)
class Folder:
    id: int
    path: str
    added_at: float
    last_scan: float | None
    online: bool


@dataclass(frozen=True)
class Photo:
    id: int
    folder_id: int
    path: str
    size: int
    mtime: float
    content_hash: str | None
    width: int | None
    height: int | None
    taken_at: str | None
    phash: int | None
    status: str
    error: str | None


@dataclass(frozen=True)
class Counts:
    total: int
    indexed: int
    pending: int
    failed: int
    missing: int


def schema_version() -> int:
    return len(MIGRATIONS)


class Catalog:
    """Thread-safe access to one catalog database; open with ``Catalog(path)``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._write_lock = threading.RLock()
        self._migrate()

    # -- connections ------------------------------------------------------------------
    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection (SQLite connections must not be shared across threads)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed on success, rolled back on any error."""
        with self._write_lock:
            conn = self.conn
            if conn.in_transaction:  # nested use joins the outer transaction
                yield conn
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                try:
                    conn.close()
                except sqlite3.ProgrammingError:
                    pass  # created in another thread that has ended; the GC closes it
            self._all.clear()
        self._local = threading.local()

    def _migrate(self) -> None:
        with self.write() as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > len(MIGRATIONS):
                raise RuntimeError(
                    f"This library was written by a newer photosearch (schema {version}); "
                    "update photosearch to open it."
                )
            for step in range(version, len(MIGRATIONS)):
                for statement in _statements(MIGRATIONS[step]):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version={step + 1}")

    # -- meta ---------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.write() as conn:
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    # -- folders ------------------------------------------------------------------------
    def add_folder(self, path: str) -> Folder:
        with self.write() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO folders(path, added_at) VALUES (?, ?)", (path, time.time())
            )
        folder = self.folder_by_path(path)
        assert folder is not None
        return folder

    def remove_folder(self, folder_id: int) -> list[int]:
        """Forget a folder and its photos (the files stay); returns the forgotten photo ids."""
        with self.write() as conn:
            rows = conn.execute("SELECT id FROM photos WHERE folder_id=?", (folder_id,))
            ids = [r[0] for r in rows]
            conn.execute("DELETE FROM folders WHERE id=?", (folder_id,))
        return ids

    def folders(self) -> list[Folder]:
        rows = self.conn.execute(
            "SELECT id, path, added_at, last_scan, online FROM folders ORDER BY path"
        )
        return [Folder(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows]

    def folder_by_path(self, path: str) -> Folder | None:
        r = self.conn.execute(
            "SELECT id, path, added_at, last_scan, online FROM folders WHERE path=?", (path,)
        ).fetchone()
        return Folder(r[0], r[1], r[2], r[3], bool(r[4])) if r else None

    def folder_for_path(self, path: str) -> Folder | None:
        """The library folder that contains ``path`` (the deepest one, if folders nest)."""
        best = None
        for folder in self.folders():
            if path == folder.path or path.startswith(folder.path.rstrip("/\\") + _sep(path)):
                if best is None or len(folder.path) > len(best.path):
                    best = folder
        return best

    def set_folder_state(self, folder_id: int, *, online: bool, scanned: bool = False) -> None:
        with self.write() as conn:
            if scanned:
                conn.execute(
                    "UPDATE folders SET online=?, last_scan=? WHERE id=?",
                    (int(online), time.time(), folder_id),
                )
            else:
                conn.execute("UPDATE folders SET online=? WHERE id=?", (int(online), folder_id))

    def folder_counts(self, model: str) -> dict[int, Counts]:
        return {f.id: self.counts(model, folder_id=f.id) for f in self.folders()}

    # -- photos -------------------------------------------------------------------------
    def photo(self, photo_id: int) -> Photo | None:
        sql = f"SELECT {PHOTO_COLUMNS} FROM photos WHERE id=?"
        r = self.conn.execute(sql, (photo_id,)).fetchone()
        return Photo(*r) if r else None

    def photo_by_path(self, path: str) -> Photo | None:
        sql = f"SELECT {PHOTO_COLUMNS} FROM photos WHERE path=?"
        r = self.conn.execute(sql, (path,)).fetchone()
        return Photo(*r) if r else None

    def photos_by_ids(self, ids: Sequence[int]) -> dict[int, Photo]:
        out: dict[int, Photo] = {}
        for chunk in _chunks(list(ids), 900):
            marks = ",".join("?" * len(chunk))
            for r in self.conn.execute(
                f"SELECT {PHOTO_COLUMNS} FROM photos WHERE id IN ({marks})", chunk
            ):
                out[r[0]] = Photo(*r)
        return out

    def photos(self, *, folder_id: int | None = None, status: str | None = None) -> list[Photo]:
        sql = f"SELECT {PHOTO_COLUMNS} FROM photos WHERE 1=1"
        args: list[object] = []
        if folder_id is not None:
            sql += " AND folder_id=?"
            args.append(folder_id)
        if status is not None:
            sql += " AND status=?"
            args.append(status)
        return [Photo(*r) for r in self.conn.execute(sql + " ORDER BY path", args)]

    def pending(self, model: str, *, folder_ids: Iterable[int] | None = None) -> list[Photo]:
        """Photos that still need decoding for ``model`` (new, changed, or no vector yet)."""
        sql = (
            f"SELECT {PHOTO_COLUMNS} FROM photos p WHERE status IN ('pending', 'ok') "
            "AND NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.model=? AND e.photo_id=p.id)"
        )
        args: list[object] = [model]
        if folder_ids is not None:
            ids = list(folder_ids)
            sql += f" AND folder_id IN ({','.join('?' * len(ids))})"
            args.extend(ids)
        return [Photo(*r) for r in self.conn.execute(sql + " ORDER BY id", args)]

    def failures(self) -> list[Photo]:
        return self.photos(status="failed")

    def counts(self, model: str, *, folder_id: int | None = None) -> Counts:
        where, args = ("WHERE folder_id=?", [folder_id]) if folder_id is not None else ("", [])
        r = self.conn.execute(
            "SELECT count(*),"
            " sum(status='failed'), sum(status='missing'),"
            " sum(status IN ('pending','ok') AND EXISTS"
            "   (SELECT 1 FROM embeddings e WHERE e.model=? AND e.photo_id=photos.id))"
            f" FROM photos {where}",
            [model, *args],
        ).fetchone()
        total, failed, missing, indexed = (int(x or 0) for x in r)
        pending = total - failed - missing - indexed
        return Counts(total, indexed, pending, failed, missing)

    # -- embeddings ---------------------------------------------------------------------
    def vectors(self, model: str, ids: Sequence[int] | None = None,
                ) -> tuple[np.ndarray, np.ndarray]:
        """Stored vectors of live photos (ids int64, vectors float32): what an index is
        rebuilt from."""
        sql = (
            "SELECT e.photo_id, e.vector FROM embeddings e JOIN photos p ON p.id=e.photo_id "
            "WHERE e.model=? AND p.status IN ('pending','ok')"
        )
        rows: list[tuple[int, bytes]] = []
        if ids is None:
            rows = self.conn.execute(sql, (model,)).fetchall()
        else:
            for chunk in _chunks(list(ids), 900):
                marks = ",".join("?" * len(chunk))
                rows += self.conn.execute(f"{sql} AND e.photo_id IN ({marks})", (model, *chunk))
        if not rows:
            return np.zeros(0, np.int64), np.zeros((0, 0), np.float32)
        id_arr = np.fromiter((r[0] for r in rows), np.int64, len(rows))
        vecs = np.stack([np.frombuffer(r[1], np.float32) for r in rows])
        return id_arr, vecs


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _sep(path: str) -> str:
    return "\\" if "\\" in path and "/" not in path else "/"
