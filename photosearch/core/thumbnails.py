"""Thumbnails on disk, keyed by content hash so that a moved or renamed photo keeps its own.

The indexing pipeline stores one from the image it has already decoded; any other client
(the GUI grid) asks ``ensure`` off its UI thread, which decodes only when none is cached.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from photosearch.core.atomic import atomic_write_bytes
from photosearch.core.decoding import open_upright, read_bytes
from photosearch.core.errors import disk_full_as_error
from photosearch.core.files import content_hash

THUMB_SIZE = 256


class ThumbnailCache:
    """``spill``: where new thumbnails go when ``folder`` must not be written (a read-only
    library gets a temporary folder for the session); ``folder``'s own are still used."""

    def __init__(self, folder: Path, size: int = THUMB_SIZE, *, spill: Path | None = None,
                 ) -> None:
        self.folder = folder
        self.size = size
        self.spill = spill

    def path_for(self, chash: str) -> Path:
        own = self.folder / chash[:2] / f"{chash}.jpg"
        if self.spill is None or own.is_file():
            return own
        return self.spill / chash[:2] / f"{chash}.jpg"

    def has(self, chash: str) -> bool:
        return self.path_for(chash).is_file()

    def store(self, chash: str, image: Image.Image) -> Path:
        """Save a thumbnail made from an already decoded (upright RGB) image.

        Raises ``DiskFull`` when the library's disk is (the photo is not to blame) and
        ``OSError`` when the folder cannot be written for another reason."""
        target = self.path_for(chash)
        if target.is_file():
            return target
        thumb = image.copy()
        thumb.thumbnail((self.size, self.size), Image.Resampling.BICUBIC)
        buf = io.BytesIO()
        thumb.convert("RGB").save(buf, "JPEG", quality=85)
        with disk_full_as_error(target.parent.parent):
            atomic_write_bytes(target, buf.getvalue())
        return target

    def ensure(self, path: str, chash: str | None = None) -> Path:
        """The thumbnail of ``path``, made now if needed; raises ``UnreadableImage``."""
        if chash is None:
            chash = content_hash(read_bytes(path))
        target = self.path_for(chash)
        if target.is_file():
            return target
        return self.store(chash, open_upright(path, self.size))
