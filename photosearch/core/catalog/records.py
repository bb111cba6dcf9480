"""What the catalog hands out: folder and photo records, photo statuses, and the one
definition of a "live" photo.

Photo status (``PhotoStatus``):
- ``pending``: new or changed, not decoded yet; also a photo whose last attempt failed
  for a reason outside the file (vanished mid-run, permission denied, I/O error): its
  ``error`` then says why, and it is tried again on the next run;
- ``ok``: decoded (content hash, size, pHash known);
- ``failed``: the file's own fault (not an image, truncated, too large); ``error`` says
  why; tried again only when the file changes;
- ``missing``: vanished; kept for a while so that a move that shows up as delete +
  create keeps its embedding.

A photo is *live* (searchable, tagged, grouped) while it is ``pending`` or ``ok``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum

from photosearch.core.files import folder_prefix


class PhotoStatus(str, Enum):
    PENDING = "pending"
    OK = "ok"
    FAILED = "failed"
    MISSING = "missing"

    def __str__(self) -> str:
        return self.value


LIVE_STATUSES = (PhotoStatus.PENDING, PhotoStatus.OK)


def live_sql(alias: str = "") -> str:
    """The SQL condition "this photo is live", for a ``photos`` table named ``alias``."""
    column = f"{alias}.status" if alias else "status"
    return f"{column} IN ({', '.join(repr(s.value) for s in LIVE_STATUSES)})"


def date_sql(alias: str = "") -> str:
    """A photo's capture date as SQL (ISO 8601 text): EXIF's, else the file's modification
    time in local time, since a camera's clock writes local time too. Dates compare as
    text; an EXIF offset (``+03:00``) follows the seconds and does not change the order."""
    p = f"{alias}." if alias else ""
    return (f"COALESCE({p}taken_at, "
            f"strftime('%Y-%m-%dT%H:%M:%S', {p}mtime, 'unixepoch', 'localtime'))")


def status_sql(status: PhotoStatus) -> str:
    """A status as an SQL literal, for conditions written into a statement."""
    return repr(PhotoStatus(status).value)


PHOTO_COLUMNS = (
    "id, folder_id, path, size, mtime, content_hash, width, height, taken_at, phash, status, error"
)


# -- paths in the database ----------------------------------------------------------------
# A path column holds TEXT (UTF-8) for every name that is valid Unicode, which is nearly
# all, so the database stays readable and older libraries need no migration; a name that
# is not (``files`` explains where those come from) is stored as a BLOB of its exact
# bytes. SQLite keeps a BLOB in a TEXT column as it is, one path always maps to the same
# type, so equality and UNIQUE still work; BLOBs sort after all TEXT in ``ORDER BY``.
# Prefix tests compare bytes (``under_sql``), which is right for both.
def db_path(path: str) -> str | bytes:
    """A path as it is stored in a ``path`` column (see above)."""
    if path.isascii():
        return path
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: bytes that are not UTF-8
        return os.fsencode(path)
    return path


def fs_path(value: str | bytes) -> str:
    """A stored path as the core uses it (``db_path`` undone)."""
    return value if isinstance(value, str) else os.fsdecode(value)


def under_sql(column: str = "path") -> str:
    """SQL condition "``column`` lies inside a folder"; its arguments come from
    ``under_args``. Compared as bytes (no LIKE, so no wildcard to escape)."""
    return f"substr(CAST({column} AS BLOB), 1, ?) = ?"


def under_args(folder: str) -> tuple[int, bytes]:
    prefix = os.fsencode(folder_prefix(folder))
    return len(prefix), prefix


# -- records ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Folder:
    id: int
    path: str
    added_at: float
    last_scan: float | None
    online: bool

    @classmethod
    def from_row(cls, r: Sequence) -> Folder:
        return cls(r[0], fs_path(r[1]), r[2], r[3], bool(r[4]))


FOLDER_COLUMNS = "id, path, added_at, last_scan, online"


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
    status: PhotoStatus
    error: str | None

    @classmethod
    def from_row(cls, r: Sequence) -> Photo:
        """A photo from a row of ``SELECT {PHOTO_COLUMNS}``."""
        return cls(r[0], r[1], fs_path(r[2]), r[3], r[4], r[5], r[6], r[7], r[8], r[9],
                   PhotoStatus(r[10]), r[11])

    @property
    def live(self) -> bool:
        return self.status in LIVE_STATUSES


@dataclass(frozen=True)
class Counts:
    total: int
    indexed: int
    pending: int
    failed: int
    missing: int
    retry: int = 0      # of ``pending``: the last try failed for a reason outside the file


def sum_counts(counts: Iterable[Counts]) -> Counts:
    """The counts of several folders together (the library's, from its folders')."""
    total = [0] * 6
    for c in counts:
        total = [a + b for a, b in zip(total, (c.total, c.indexed, c.pending, c.failed,
                                                c.missing, c.retry), strict=True)]
    return Counts(*total)


def chunks(items: Sequence, size: int = 900) -> Iterator[list]:
    """Pieces small enough for one ``IN (?, ...)`` (SQLite caps bound parameters)."""
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i : i + size]


def marks(n: int) -> str:
    return ",".join("?" * n)
