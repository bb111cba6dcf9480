"""Typed errors the clients turn into one readable line (CLI) or a banner (GUI).

The core never prints or exits: it raises these, or records per-file failures in the
catalog, and lets the client decide how to tell the user.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class PhotosearchError(Exception):
    """Base of every error the core raises on purpose; ``str()`` is user-readable."""


class ModelUnavailable(PhotosearchError):
    """The model's files cannot be found locally and cannot be downloaded. ``needed`` is
    the first missing file (path or URL), ``missing`` every one of them."""

    def __init__(self, message: str, *, needed: str = "", hint: str = "",
                 missing: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.needed = needed
        self.hint = hint
        self.missing = missing or ((needed,) if needed else ())


class UnreadableImage(PhotosearchError):
    """A file that cannot be decoded as an image; ``reason`` is short and user-readable.

    Raised as such, the fault is the file's own (not an image, truncated, too large): the
    photo is not tried again until the file changes."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class FileUnavailable(UnreadableImage):
    """The file could not be read now for a reason outside it (vanished, permission
    denied, an I/O error, its drive gone): the photo stays pending and is tried again."""



class LibraryLocked(PhotosearchError):
    """Another process is indexing this library right now."""


class IndexCorrupt(PhotosearchError):
    """A vector index file does not match its sidecar; the caller rebuilds it."""


class NotInLibrary(PhotosearchError):
    """A path that the library does not know."""


class UsageError(PhotosearchError):
    """A request the user has to change (an empty query): the CLI exits 2 for it."""


class BadQuery(UsageError, ValueError):
    """A search query the user wrote that cannot mean anything (``date:yesterday``)."""


class CatalogDamaged(PhotosearchError):
    """The catalog file is not a sound SQLite database (empty, not SQLite, cut short,
    malformed). Never treated as a new library: the clients offer ``backup``, the newest
    good backup, to restore (the damaged file is kept aside)."""

    def __init__(self, path: Path, reason: str, backup: Path | None = None) -> None:
        super().__init__(f"The library's catalog {path} is damaged: {reason}.")
        self.path = path
        self.reason = reason
        self.backup = backup


class CatalogTooNew(PhotosearchError):
    """The catalog was written by a newer photosearch, whose schema this one cannot read."""

    def __init__(self, path: Path, version: int, known: int) -> None:
        super().__init__(f"The library at {path.parent} was written by a newer photosearch "
                         f"(catalog schema {version}, this one knows up to {known}); "
                         "update photosearch to open it.")
        self.path = path
        self.version = version


class LibraryReadOnly(PhotosearchError):
    """A change was asked of a library that is open read-only (a read-only disk or folder,
    or files without write permission): searching works, changing does not."""

    def __init__(self, root: Path, detail: str = "") -> None:
        super().__init__(detail or f"The library at {root} is read-only: photosearch can "
                                   "search it but cannot index or change it.")
        self.root = root


class DiskFull(PhotosearchError):
    """A write ran out of space. Nothing was half-written (transactions roll back, files
    are replaced atomically), so the next run continues where this one stopped."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"No space left on the library's disk ({path}); free some space "
                         "and run again.")
        self.path = path


_NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


@contextmanager
def disk_full_as_error(path: Path) -> Iterator[None]:
    """Turn "no space left" from a write under ``path`` into ``DiskFull``: the one error
    the user can act on, named with the place to free."""
    try:
        yield
    except OSError as e:
        if e.errno in _NO_SPACE:
            raise DiskFull(path) from e
        raise


class FolderOverlap(PhotosearchError):
    """A folder that holds a library folder under another path (a bind mount, say): adding
    it would catalogue the same files twice."""
