"""The catalog file itself: is it sound, how it is created, and what SQLite's errors mean.

Opening must stay fast on a catalog of any size, so the check at open reads the file's
100-byte header and (in ``Catalog``) the schema: that catches an empty file, a file that
is not SQLite, a cut-short file and a broken first page in well under a millisecond. A
full ``PRAGMA integrity_check`` reads every page (seconds on a 100k-photo catalog); it
runs on each backup instead (``core.backups``), and damage found later by a query reaches
the user through ``translate``. A new catalog is built under a temporary name and linked
into place, so a crash while creating one can never leave the empty file that would
otherwise pass for an empty library.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from photosearch.core.atomic import fsync_dir, fsync_file
from photosearch.core.catalog.schema import add_functions, statements, tables_at
from photosearch.core.errors import (
    CatalogDamaged,
    CatalogTooNew,
    DiskFull,
    LibraryReadOnly,
    PhotosearchError,
)

MAGIC = b"SQLite format 3\x00"
_HEADER = 100

# SQLite's primary result codes that mean something the user can act on.
_CORRUPT, _READONLY, _CANTOPEN, _FULL, _NOTADB = 11, 8, 14, 13, 26
_MESSAGES = {  # for Pythons before 3.11, whose errors carry no code
    "database disk image is malformed": _CORRUPT, "file is not a database": _NOTADB,
    "attempt to write a readonly database": _READONLY, "database or disk is full": _FULL,
}


def check_file(path: Path) -> None:
    """Raise ``CatalogDamaged`` unless ``path`` looks like a whole SQLite database (header,
    page size, length); ``FileNotFoundError`` if there is no file."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            head = f.read(_HEADER)
    except FileNotFoundError:
        raise
    except OSError as e:
        raise PhotosearchError(f"The library's catalog {path} cannot be read: "
                               f"{e.strerror or e}.") from e
    if size == 0:
        raise CatalogDamaged(path, "the file is empty (0 bytes)")
    if len(head) < _HEADER or not head.startswith(MAGIC):
        raise CatalogDamaged(path, "it is not an SQLite database")
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise CatalogDamaged(path, "its header is malformed")
    pages = int.from_bytes(head[28:32], "big")
    pages_valid = head[24:28] == head[92:96]   # SQLite's rule for trusting the page count
    # With a write-ahead log the main file may lag behind until the next checkpoint.
    if pages_valid and not _has_content(wal_path(path)) and size < pages * page_size:
        raise CatalogDamaged(path, f"the file is cut short ({size} of {pages * page_size} "
                                   "bytes)")


def check_schema(conn: sqlite3.Connection, path: Path, migrations: Sequence[str]) -> int:
    """The catalog's schema version, once it is known to be one this photosearch reads and
    its tables are there (reading the schema reads the first pages: a broken one raises)."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > len(migrations):
        raise CatalogTooNew(path, version, len(migrations))
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    lacking = tables_at(migrations, version) - tables
    if lacking:
        raise CatalogDamaged(path, f"tables {', '.join(sorted(lacking))} are missing")
    if version == 0 and tables:
        raise CatalogDamaged(path, "it is not a photosearch catalog")
    return version


def upgrade(conn: sqlite3.Connection, migrations: Sequence[str], version: int) -> None:
    """Run the migrations after ``version`` (inside the caller's transaction)."""
    add_functions(conn)
    for step in range(version, len(migrations)):
        for statement in statements(migrations[step]):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version={step + 1}")


def wal_path(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def shm_path(path: Path) -> Path:
    return path.with_name(path.name + "-shm")


def _has_content(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


def translate(error: sqlite3.Error, path: Path) -> Exception:
    """The typed error an SQLite error means for the catalog at ``path`` (damaged,
    read-only, disk full), or ``error`` itself when it means none of these."""
    code = getattr(error, "sqlite_errorcode", None)
    code = code & 0xFF if code is not None else _MESSAGES.get(str(error))
    if code in (_CORRUPT, _NOTADB):
        return CatalogDamaged(path, str(error))
    if code == _READONLY:
        return LibraryReadOnly(path.parent)
    if code == _FULL:
        return DiskFull(path.parent)
    return error


@contextlib.contextmanager
def typed_errors(path: Path) -> Iterator[None]:
    """Raise what an SQLite error inside the block means for the catalog (``translate``)."""
    try:
        yield
    except sqlite3.Error as e:
        error = translate(e, path)
        if error is e:
            raise
        raise error from e


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write. A WAL database needs its ``-shm`` file, which a
    read-only folder cannot hold: then the file is opened as immutable (no locking; what
    another process writes meanwhile is not seen)."""
    uri = path.absolute().as_uri()
    try:
        return _probe(sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=30,
                                      isolation_level=None))
    except sqlite3.OperationalError as e:
        if getattr(e, "sqlite_errorcode", _CANTOPEN) & 0xFF != _CANTOPEN:
            raise
    return _probe(sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True,
                                  isolation_level=None))


def _probe(conn: sqlite3.Connection) -> sqlite3.Connection:
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


def create_catalog(path: Path, build: Callable[[sqlite3.Connection], None]) -> None:
    """Create a catalog at ``path`` with ``build`` (the migrations), all or nothing: built
    under a temporary name, then linked into place (a racing creator's file wins)."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".new")
    os.close(fd)
    tmp = Path(name)
    try:
        with typed_errors(path):
            conn = sqlite3.connect(tmp, isolation_level=None)
            try:
                build(conn)
                conn.execute("PRAGMA journal_mode=WAL")
            finally:
                conn.close()
        fsync_file(tmp)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            if not path.exists():
                os.replace(tmp, path)
        fsync_dir(path.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        for extra in (wal_path(tmp), shm_path(tmp)):
            with contextlib.suppress(FileNotFoundError):
                extra.unlink()

