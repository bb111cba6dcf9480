"""A library: one directory holding the catalog, the settings and one index per model.

``Library.open()`` is the entry point of every client. It never loads the model (that is
slow and may be impossible offline): the catalog opens at once, indexes open when a model
asks for theirs.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from photosearch.core import paths
from photosearch.core.catalog import Catalog, Folder
from photosearch.core.errors import IndexCorrupt, LibraryLocked, NotInLibrary
from photosearch.core.index import VectorIndex, build
from photosearch.core.settings import Settings, load_settings, save_settings
from photosearch.core.thumbnails import ThumbnailCache


class Library:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.layout = paths.LibraryLayout(root)
        root.mkdir(parents=True, exist_ok=True)
        self.settings: Settings = load_settings(self.layout.settings)
        self.catalog = Catalog(self.layout.catalog)
        self.thumbnails = ThumbnailCache(self.layout.thumbnails)
        self._indexes: dict[str, VectorIndex] = {}
        self._index_lock = threading.Lock()
        self.rebuilt: list[str] = []    # model keys whose index had to be rebuilt this session

    @classmethod
    def open(cls, override: str | os.PathLike[str] | None = None) -> Library:
        return cls(paths.library_dir(override))

    def close(self) -> None:
        for index in list(self._indexes.values()):
            index.save()
        self.catalog.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def save_settings(self) -> None:
        save_settings(self.settings, self.layout.settings)

    # -- folders ------------------------------------------------------------------------
    def add_folder(self, path: str | os.PathLike[str]) -> Folder:
        """Add a folder (a folder inside one already in the library changes nothing)."""
        folder_path = os.path.abspath(os.path.expanduser(os.fspath(path)))
        if not os.path.isdir(folder_path):
            raise NotInLibrary(f"Not a folder: {folder_path}")
        outer = self.catalog.folder_for_path(folder_path)
        if outer is not None:
            return outer
        folder = self.catalog.add_folder(folder_path)
        # Folders already in the library that lie inside the new one join it.
        inner = self.catalog.folders_inside(folder_path)
        if inner:
            self.catalog.absorb(folder, inner)
        return folder

    def remove_folder(self, path: str | os.PathLike[str]) -> int:
        """Forget a folder and its photos; the files on disk are not touched."""
        folder = self.catalog.folder_by_path(os.path.abspath(os.fspath(path)))
        if folder is None:
            raise NotInLibrary(f"Not a library folder: {path}")
        ids = self.catalog.remove_folder(folder.id)
        for index in self._indexes.values():
            index.remove(ids)
            index.save()
        return len(ids)

    def drop_from_indexes(self, ids: list[int]) -> None:
        """Take photos out of every open index (indexes opened later sync from the
        catalog, so they drop them too)."""
        for index in list(self._indexes.values()):
            index.remove(ids)
            index.save()

    # -- indexes ------------------------------------------------------------------------
    def index_for(self, model_key: str, dim: int) -> VectorIndex:
        """The model's index, loaded once; rebuilt from the catalog if it can't be trusted,
        and on first load brought in step with the catalog (a crash may have cut the last
        save short). Later calls are cheap: call ``sync_index`` after changing photos."""
        with self._index_lock:
            index = self._indexes.get(model_key)
            if index is None:
                folder = self.layout.index_dir(model_key)
                try:
                    index = VectorIndex.load(folder, model_key, dim)
                except (FileNotFoundError, IndexCorrupt):
                    ids, vecs = self.catalog.vectors(model_key)
                    index = build(folder, model_key, dim, ids, vecs if len(ids) else
                                  np.zeros((0, dim), np.float32))
                    if len(ids):
                        self.rebuilt.append(model_key)
                    index.save()
                self._indexes[model_key] = index
                self.sync_index(index)
            return index

    def sync_index(self, index: VectorIndex) -> None:
        """Add stored vectors the index lacks and drop what the catalog no longer has."""
        live = set(self.catalog.vector_ids(index.model_key))
        have = index.ids
        extra = have - live
        if extra:
            index.remove(sorted(extra))
        missing = sorted(live - have)
        if missing:
            ids, vecs = self.catalog.vectors(index.model_key, missing)
            index.add(ids, vecs, threads=-1)

    # -- the one indexing process ---------------------------------------------------------
    @contextlib.contextmanager
    def writer_lock(self) -> Iterator[None]:
        """Only one process indexes a library at a time (hnswlib files have one writer)."""
        self.root.mkdir(parents=True, exist_ok=True)
        handle = open(self.layout.writer_lock, "a+")  # noqa: SIM115 - held for the block
        try:
            if not _try_lock(handle):
                raise LibraryLocked(
                    f"Another photosearch process is indexing {self.root}; try again when it "
                    "has finished.")
            try:
                yield
            finally:
                _unlock(handle)
        finally:
            handle.close()


def _try_lock(handle) -> bool:
    try:
        if os.name == "nt":  # pragma: no cover - Windows
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def _unlock(handle) -> None:
    if os.name == "nt":  # pragma: no cover - Windows
        import msvcrt

        with contextlib.suppress(OSError):
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
