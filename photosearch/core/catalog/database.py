"""One SQLite database: per-thread connections, serialised write transactions, migration
on open, and the small ``meta`` key-value table.

Roles (see ``pipeline`` for the whole picture): every thread reads through its own
connection (WAL lets readers run beside the writer); writes go through ``write()``, which
serialises them in this process and takes SQLite's write lock (``BEGIN IMMEDIATE``) so
that another process waits instead of failing. A ``write()`` inside another joins it, so
the table methods that write can be grouped into one transaction by their caller.

Opening checks the file (``health``): a damaged one raises ``CatalogDamaged`` and never
passes for a new catalog (only a missing file is one, created whole). With ``read_only``,
connections are SQLite's read-only ones and ``write()`` raises ``LibraryReadOnly``.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import ClassVar

from photosearch.core.catalog.health import (
    check_file,
    check_schema,
    connect_read_only,
    create_catalog,
    typed_errors,
    upgrade,
)
from photosearch.core.catalog.schema import MIGRATIONS
from photosearch.core.errors import LibraryReadOnly


class Database:
    """Thread-safe access to one catalog database; the table mixins build on it."""

    # A debug hook, None in normal use: called in the writing thread as each outermost
    # write begins. The GUI's one-writer test records thread names with it.
    on_write: ClassVar[Callable[[], None] | None] = None

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._write_lock = threading.RLock()
        if not path.exists() and not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
            create_catalog(path, lambda conn: upgrade(conn, MIGRATIONS, 0))
        check_file(path)
        try:
            with typed_errors(path):
                self._migrate()
        except BaseException:
            self.close()
            raise

    # -- connections ------------------------------------------------------------------
    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection (SQLite connections must not be shared across threads)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            with typed_errors(self.path):
                conn = self._connect()
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def _connect(self) -> sqlite3.Connection:
        if self.read_only:
            conn = connect_read_only(self.path)
        else:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=30000")
        return conn

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed on success, rolled back on any error. SQLite
        errors that mean a full disk, a read-only library or damage arrive typed."""
        if self.read_only:
            raise LibraryReadOnly(self.path.parent)
        with self._write_lock:
            conn = self.conn
            if conn.in_transaction:  # nested use joins the outer transaction
                yield conn
                return
            hook = type(self).on_write
            if hook is not None:
                hook()
            with typed_errors(self.path):
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:  # SQLite may have rolled back already
                        with suppress(sqlite3.Error):
                            conn.execute("ROLLBACK")
                    raise

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
        version = check_schema(self.conn, self.path, MIGRATIONS)
        if version == len(MIGRATIONS):
            return
        if self.read_only:
            raise LibraryReadOnly(self.path.parent, (
                f"The library at {self.path.parent} was written by an older photosearch and "
                "is read-only here: open it once where it can be written, to upgrade it."))
        with self.write() as conn:
            upgrade(conn, MIGRATIONS, conn.execute("PRAGMA user_version").fetchone()[0])
        # A step that rewrote a table (float32 vectors to float16) leaves the old pages
        # free: give them back once, rather than carry a file twice its size. Optional:
        # a disk too full for VACUUM's copy keeps the larger file.
        free, pages = (self.conn.execute(f"PRAGMA {p}").fetchone()[0]
                       for p in ("freelist_count", "page_count"))
        if free * 2 > pages:
            with suppress(sqlite3.Error):
                self.conn.execute("VACUUM")

    # -- meta ---------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.write() as conn:
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))
