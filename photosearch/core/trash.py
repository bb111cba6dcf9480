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
    location: str = ""                                            # where to restore from


def trash_location() -> str:
    """Where the user finds trashed photos, in words a person can follow."""
    if sys.platform == "darwin":
        return "the Trash (Finder)"
    if os.name == "nt":
        return "the Recycle Bin"
    from send2trash import plat_other  # the freedesktop trash it fixed when imported

    return f"the trash ({os.path.join(plat_other.HOMETRASH, 'files')})"


def move_to_trash(library: Library, paths: Iterable[str]) -> TrashReport:
    """Send each file to the trash, then record it and take it out of the library's
    indexes. A file that cannot be trashed is reported, never deleted instead."""
    report = TrashReport(location=trash_location())
    catalog = library.catalog
    for path in paths:
        path = os.path.abspath(path)
        photo = catalog.photo_by_path(path)
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
            conn.execute("INSERT INTO trash_log(path, content_hash, size, trashed_at, location)"
                         " VALUES (?,?,?,?,?)",
                         (db_path(path), photo.content_hash if photo else None,
                          photo.size if photo else None, now, report.location))
            if photo is not None:
                catalog.mark_missing([photo.id], now)
        if photo is not None:
            library.drop_from_indexes([photo.id])
        report.moved.append(path)
    return report
