"""Atomic file replacement: write a temp file, fsync it, rename it over the target.

A crash or kill at any moment leaves either the old file or the new one, never a mix.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO


def atomic_write_path(path: Path, produce: Callable[[Path], None],
                      mode: int | None = None) -> None:
    """Call ``produce`` with a temporary path beside ``path`` (for writers that want a file
    name, such as hnswlib); the file it writes then replaces ``path`` atomically. The new
    file has permission bits ``mode`` if given, else 0600 (``mkstemp``'s)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        produce(tmp)
        if mode is not None:
            os.chmod(tmp, mode)
        fsync_file(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def atomic_write(path: Path, write: Callable[[IO[bytes]], None],
                 mode: int | None = None) -> None:
    """Call ``write`` with a binary file object; the result replaces ``path`` atomically."""

    def produce(tmp: Path) -> None:
        with open(tmp, "wb") as f:
            write(f)

    atomic_write_path(path, produce, mode)


def atomic_write_bytes(path: Path, data: bytes, mode: int | None = None) -> None:
    atomic_write(path, lambda f: f.write(data), mode)


def fsync_file(path: Path) -> None:
    """Make a written file's contents durable before it is renamed into place."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; not possible (nor needed) on Windows.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
