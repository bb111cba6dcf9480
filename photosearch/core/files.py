"""Photo files on disk: which names are photos, what identifies their content, how a
path is written for people.

File names are what the operating system gives: on Linux and macOS any bytes but ``/``
and NUL, not necessarily UTF-8 (an old camera or a zip from another system writes
Latin-1). Python hands such names over as ``str`` with each undecodable byte as a lone
surrogate (U+DC80..U+DCFF, PEP 383 ``surrogateescape``); ``os.fsencode`` gives the bytes
back exactly. The core keeps paths in that form everywhere; the catalog stores them
losslessly (see ``catalog.records``) and ``display_path`` makes them printable.

The one path-prefix rule and the one chunked file hash live here too, so the scanner,
the watcher, search and the catalog agree on them.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from typing import Any

SUPPORTED_EXTENSIONS = frozenset(
    {".jpg", ".jpeg", ".jpe", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff", ".heic", ".heif"}
)
TEMP_SUFFIXES = (".tmp", ".temp", ".part", ".partial", ".crdownload", ".download", ".swp",
                 ".!sync", ".syncthing", "~")
_CHUNK = 1 << 20


def is_supported(path: str | os.PathLike[str]) -> bool:
    """Whether the extension is one the decoder reads (the content is checked later)."""
    return os.path.splitext(os.fspath(path))[1].lower() in SUPPORTED_EXTENSIONS


def is_ignored_name(name: str) -> bool:
    """Hidden files and the temp files of editors, browsers and sync tools."""
    lower = name.lower()
    return (name.startswith((".", "~$", "._")) or lower.endswith(TEMP_SUFFIXES)
            or lower.startswith(".syncthing.") or lower == "thumbs.db")


def is_photo_path(path: str) -> bool:
    """The one rule for "this path could be a library photo" (scanner and watcher)."""
    return bool(path) and is_supported(path) and not is_ignored_name(os.path.basename(path))


# -- content identity ---------------------------------------------------------------------
def _identity_hash() -> Any:
    return hashlib.blake2b(digest_size=16)


def content_hash(data: bytes) -> str:
    """Identity of a file's content: moved or renamed files keep it."""
    h = _identity_hash()
    h.update(data)
    return h.hexdigest()


def file_digest(path: str | os.PathLike[str],
                new_hash: Callable[[], Any] = _identity_hash) -> str:
    """Hash a file in chunks (never the whole file in memory); the default is the
    photo identity that ``content_hash`` gives for the same bytes."""
    h = new_hash()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def hash_file(path: str | os.PathLike[str]) -> str:
    """``content_hash`` of a file on disk, read in chunks."""
    return file_digest(path)


# -- folders and prefixes -------------------------------------------------------------------
def folder_prefix(folder: str) -> str:
    """``folder`` with exactly one trailing separator: what every path inside starts with."""
    return folder.rstrip(os.sep) + os.sep


def is_within(path: str, folder: str) -> bool:
    """``path`` is ``folder`` itself or lies inside it (by name; links are not followed)."""
    return path == folder or path.startswith(folder_prefix(folder))


# -- showing paths --------------------------------------------------------------------------
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f\\\udc80-\udcff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}


def _escape(m: re.Match[str]) -> str:
    ch = m.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code - 0xDC00 if code >= 0xDC00 else code:02x}"


def display_path(path: str) -> str:
    """``path`` as one printable line: control characters and bytes that are not UTF-8
    are written as backslash escapes (``caf\\xe9.jpg``, ``a\\nb.jpg``), like ``ls -b``.

    Only for showing: open files by the path itself. A backslash is doubled only when the
    name needs escaping at all, so ordinary Windows paths print as they are."""
    if not _UNPRINTABLE.search(path.replace("\\", "")):
        return path
    return _UNPRINTABLE.sub(_escape, path)
