"""Which library folder a folder already is, by any path: a folder is the directory
(device and inode), not the string, so a symlink or a bind mount to an added folder, or
to a folder inside one, is recognised (``Library.add_folder`` uses these)."""

from __future__ import annotations

import os

from photosearch.core.catalog import Folder
from photosearch.core.files import is_within


def _dir_id(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _ancestor_ids(path: str) -> set[tuple[int, int]]:
    """Device and inode of ``path`` and of each folder above it: what a bind mount of any
    of them shares with it."""
    out = set()
    while True:
        ident = _dir_id(path)
        if ident is not None:
            out.add(ident)
        parent = os.path.dirname(path)
        if parent == path:
            return out
        path = parent


def covering_folder(real: str, folders: list[Folder]) -> Folder | None:
    """The library folder that is ``real`` or holds it, by path or by a bind mount of it."""
    best = None
    for f in folders:
        if is_within(real, f.path) or is_within(real, os.path.realpath(f.path)):
            if best is None or len(f.path) > len(best.path):
                best = f
    if best is not None:
        return best
    above = _ancestor_ids(real)
    return next((f for f in folders if _dir_id(f.path) in above), None)


def holds_through_other_path(real: str, folder: Folder) -> bool:
    """``real`` holds ``folder`` only through another mount of it (its string path does not
    contain the folder's, but the directory is one of the folder's ancestors)."""
    return _dir_id(real) in _ancestor_ids(folder.path)
