"""Rotating backups of the catalog, and putting one back in its place.

The catalog is the one file of a library that cannot be rebuilt (the vector indexes and
thumbnails are caches of it). A backup is a consistent snapshot taken with SQLite's
backup API (another connection may write meanwhile), checked with a full
``integrity_check`` and only then renamed into place: a damaged catalog never pushes a
good backup out of the rotation. ``Library.backup_if_due`` takes one after a successful
indexing run, at most once a day, and ``KEEP`` generations stay.

Replacing the catalog keeps the one it replaces (and its write-ahead log) aside under a
dated name: a restore never deletes anything.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from photosearch.core.atomic import atomic_write_path, fsync_dir, fsync_file
from photosearch.core.catalog import Catalog
from photosearch.core.catalog.health import (
    check_file,
    shm_path,
    typed_errors,
    wal_path,
)
from photosearch.core.errors import CatalogDamaged, PhotosearchError, disk_full_as_error

KEEP = 3
INTERVAL = timedelta(days=1)
_STAMP = "%Y%m%d-%H%M%S"
_PREFIX, _SUFFIX = "catalog-", ".sqlite3"


@dataclass(frozen=True)
class Backup:
    path: Path
    taken: datetime     # UTC, from the file name (survives copying the library)


def list_backups(folder: Path) -> list[Backup]:
    """The backups in ``folder``, newest first."""
    found = []
    for path in folder.glob(f"{_PREFIX}*{_SUFFIX}") if folder.is_dir() else ():
        try:
            taken = datetime.strptime(path.name[len(_PREFIX):-len(_SUFFIX)], _STAMP)
        except ValueError:
            continue
        found.append(Backup(path, taken.replace(tzinfo=timezone.utc)))
    return sorted(found, key=lambda b: b.taken, reverse=True)


def is_due(folder: Path, now: datetime | None = None) -> bool:
    backups = list_backups(folder)
    return not backups or _now(now) - backups[0].taken >= INTERVAL


def make_backup(catalog: Catalog, folder: Path, *, keep: int = KEEP,
                now: datetime | None = None) -> Backup:
    """Back ``catalog`` up into ``folder`` and drop the generations beyond ``keep``.

    Raises ``CatalogDamaged`` (keeping every older backup) when the copy fails its
    integrity check, ``DiskFull`` when the disk is full; nothing half-written stays."""
    taken = _now(now).replace(microsecond=0)
    target = folder / f"{_PREFIX}{taken.strftime(_STAMP)}{_SUFFIX}"

    def produce(tmp: Path) -> None:
        copy = sqlite3.connect(tmp, isolation_level=None)
        try:
            with typed_errors(catalog.path):
                catalog.conn.backup(copy)
                copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
                problem = integrity_problem(copy, quick=False)
        finally:
            copy.close()
        if problem:
            older = list_backups(folder)
            raise CatalogDamaged(catalog.path, problem, older[0].path if older else None)

    with disk_full_as_error(folder):
        atomic_write_path(target, produce)
    for old in list_backups(folder)[keep:]:
        old.path.unlink(missing_ok=True)
    return Backup(target, taken)


def integrity_problem(conn: sqlite3.Connection, *, quick: bool = True) -> str | None:
    """SQLite's first complaint about the database, or None when it is sound. ``quick``
    skips the index-content checks (a third of the time of the full check)."""
    pragma = "quick_check" if quick else "integrity_check"
    try:
        first = conn.execute(f"PRAGMA {pragma}(1)").fetchone()[0]
    except sqlite3.DatabaseError as e:
        return str(e)
    return None if first == "ok" else str(first)


def usable(path: Path) -> bool:
    """Whether ``path`` is a sound database that can replace the catalog."""
    try:
        check_file(path)
    except (PhotosearchError, OSError):
        return False
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return integrity_problem(conn) is None
    finally:
        conn.close()


def replace_catalog(catalog: Path, source: Path, now: datetime | None = None) -> Path | None:
    """Put a copy of ``source`` where ``catalog`` is; returns where the replaced catalog
    was kept (None if there was none). The caller holds the library's writer lock."""
    tmp = catalog.with_name(f".{catalog.name}-restore.tmp")
    try:
        with disk_full_as_error(catalog.parent):
            shutil.copyfile(source, tmp)
            fsync_file(tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    aside = None
    if catalog.exists():
        aside = catalog.with_name(f"catalog-replaced-{_now(now).strftime(_STAMP)}{_SUFFIX}")
        try:
            os.link(catalog, aside)
        except OSError:  # a file system without hard links
            with disk_full_as_error(catalog.parent):
                shutil.copy2(catalog, aside)
    # The old write-ahead log belongs to the old file: left here, SQLite would replay it
    # onto the restored one.
    for extra, kept in ((wal_path(catalog), aside and wal_path(aside)),
                        (shm_path(catalog), aside and shm_path(aside))):
        if extra.exists():
            if kept is not None:
                os.replace(extra, kept)
            else:
                extra.unlink()
    os.replace(tmp, catalog)
    fsync_dir(catalog.parent)
    return aside


def _now(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now(timezone.utc)
