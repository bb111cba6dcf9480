"""Moving photos to the system trash: never a permanent delete.

send2trash does the platform work (the freedesktop trash on Linux, the Finder's trash on
macOS, the Recycle Bin on Windows); we record what moved in ``trash_log`` so a client can
say where to restore from, and mark the photos ``missing`` rather than forgetting them:
a photo restored from the trash is found again by the next scan and keeps its vector,
thumbnail and tags.

``move_to_trash`` moves exactly the paths it is given; the caller has asked the user.
"""

from __future__ import annotations

import os
import stat
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from send2trash import send2trash
from send2trash.exceptions import TrashPermissionError

from photosearch.core.catalog.records import db_path
from photosearch.core.library import Library


@dataclass
class TrashReport:
    moved: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)   # (path, reason)
    location: str = ""      # where to restore from (each trash used, joined by "and")


def trash_location(path: str | None = None) -> str:
    """Where the user finds a trashed photo, in words a person can follow. Call it before
    the move: on Linux a file on another volume than the home folder goes to that
    volume's own trash (``.Trash/UID`` or ``.Trash-UID`` at its top), as the freedesktop
    spec, send2trash and GIO have it; macOS and Windows show every volume's trash in one
    place."""
    if sys.platform == "darwin":
        return "the Trash (Finder)"
    if os.name == "nt":
        return "the Recycle Bin"
    return f"the trash ({os.path.join(_freedesktop_trash(path), 'files')})"


def _freedesktop_trash(path: str | None) -> str:
    """The trash folder send2trash moves ``path`` to (the same rules, its own helpers)."""
    from send2trash import plat_other as fd  # the freedesktop trash it fixed when imported

    if path is None:
        return fd.HOMETRASH
    try:
        dev = fd.get_dev(os.fsencode(path))
        if dev == fd.get_dev(os.path.realpath(os.path.expanduser(b"~"))):
            return fd.HOMETRASH
        top = fd.find_mount_point(os.fsencode(path))
    except OSError:
        return fd.HOMETRASH
    shared = os.path.join(top, fd.TOPDIR_TRASH)
    if (os.path.isdir(shared) and not os.path.islink(shared)
            and os.lstat(shared).st_mode & stat.S_ISVTX):
        return os.fsdecode(os.path.join(shared, str(os.getuid()).encode()))
    return os.fsdecode(os.path.join(top, fd.TOPDIR_FALLBACK))


def move_to_trash(library: Library, paths: Iterable[str]) -> TrashReport:
    """Send each file to the trash, then record it (with the trash it went to) and take it
    out of the library's indexes (once for all: each index is saved once per call, not once
    per file). A file that cannot be trashed is reported, never deleted instead."""
    report = TrashReport()
    places: list[str] = []
    catalog = library.catalog
    dropped: list[int] = []
    try:
        for path in paths:
            path = os.path.abspath(path)
            photo = catalog.photo_by_path(path)
            location = trash_location(path)
            try:
                send2trash(path)
            except TrashPermissionError as e:
                report.failed.append((path, f"the trash cannot take it ({e.strerror or e})"))
                continue
            except OSError as e:
                report.failed.append((path, e.strerror or str(e)))
                continue
            now = time.time()
            with catalog.write() as conn:
                conn.execute("INSERT INTO trash_log(path, content_hash, size, trashed_at, "
                             "location) VALUES (?,?,?,?,?)",
                             (db_path(path), photo.content_hash if photo else None,
                              photo.size if photo else None, now, location))
                if photo is not None:
                    catalog.mark_missing([photo.id], now)
            if photo is not None:
                dropped.append(photo.id)
            report.moved.append(path)
            places.append(location)
    finally:
        if dropped:
            library.drop_from_indexes(dropped)
    report.location = " and ".join(dict.fromkeys(places)) or trash_location()
    return report
