"""A library: one directory holding the catalog, the settings and one index per model.

``Library.open()`` is the entry point of every client. It never loads the model (that is
slow and may be impossible offline): the catalog opens at once, indexes open when a model
asks for theirs.

A library the user cannot write (a backup disk, a shared folder, files without write
permission) opens read-only: searching works; the catalog refuses writes
(``LibraryReadOnly``), indexes rebuilt or synced in memory are not saved, and new
thumbnails go to a temporary folder. A damaged catalog raises ``CatalogDamaged`` naming
the newest backup; ``restore_catalog`` puts a backup (or a new, empty catalog) in its
place and keeps the damaged file aside.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from photosearch.core import paths
from photosearch.core.backups import (
    Backup,
    is_due,
    list_backups,
    make_backup,
    replace_catalog,
    usable,
)
from photosearch.core.catalog import Catalog, Folder
from photosearch.core.errors import (
    CatalogDamaged,
    DiskFull,
    FolderOverlap,
    IndexCorrupt,
    LibraryLocked,
    LibraryReadOnly,
    NotInLibrary,
    PhotosearchError,
    disk_full_as_error,
)
from photosearch.core.files import is_within
from photosearch.core.folder_identity import covering_folder, holds_through_other_path
from photosearch.core.index import VectorIndex, build_from
from photosearch.core.model import resolve_source
from photosearch.core.presets import PREVIOUS_DEFAULT
from photosearch.core.settings import Settings, load_settings, save_settings
from photosearch.core.thumbnails import ThumbnailCache

log = logging.getLogger(__name__)
_NOT_WRITABLE = {errno.EROFS, errno.EACCES, errno.EPERM}


class Library:
    def __init__(self, root: Path, *, read_only: bool | None = None) -> None:
        """``read_only``: None decides from the file system (``is_writable``)."""
        self.root = root
        self.layout = paths.LibraryLayout(root)
        _make_dir(root)
        self.read_only = (not is_writable(root, self.layout.catalog) if read_only is None
                          else read_only)
        if self.read_only and not self.layout.catalog.exists():
            raise LibraryReadOnly(root, f"There is no library at {root}, and none can be "
                                        "made there: it is read-only.")
        self.settings: Settings = load_settings(self.layout.settings)
        self.catalog = self._open_catalog()
        self._spill = (Path(tempfile.mkdtemp(prefix="photosearch-thumbnails-"))
                       if self.read_only else None)
        self.thumbnails = ThumbnailCache(self.layout.thumbnails, spill=self._spill)
        self._indexes: dict[str, VectorIndex] = {}
        self._index_lock = threading.Lock()
        self.rebuilt: list[str] = []    # model keys whose index had to be rebuilt this session
        self._keep_previous_default()

    def _open_catalog(self) -> Catalog:
        """The catalog; damage (and a catalog gone from a library that has backups of it,
        which is not a new library) raises ``CatalogDamaged`` naming the newest backup."""
        path = self.layout.catalog
        newest = list_backups(self.layout.backups)
        try:
            if newest and not path.exists():
                raise CatalogDamaged(path, "it is missing, though the library has backups")
            return Catalog(path, read_only=self.read_only)
        except CatalogDamaged as e:
            e.backup = newest[0].path if newest else None
            raise

    @classmethod
    def open(cls, override: str | os.PathLike[str] | None = None, *,
             read_only: bool | None = None) -> Library:
        return cls(paths.library_dir(override), read_only=read_only)

    def close(self) -> None:
        for index in list(self._indexes.values()):
            self.save_index(index)
        self.catalog.close()
        if self._spill is not None:
            shutil.rmtree(self._spill, ignore_errors=True)

    def save_index(self, index: VectorIndex) -> None:
        """Save an index, unless the library is read-only (it then lives in memory): first
        caught up with the catalog's vector log, so that it records the log as far as it
        goes; then the log entries it includes are pruned (each model up to its own
        index's position)."""
        if self.read_only:
            return
        self.sync_index(index)
        index.save()
        if index.log_seq is not None:
            self.catalog.prune_vector_log(index.model_key, index.log_seq)

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def save_settings(self) -> None:
        """Keep the settings; a read-only library keeps them for this session only."""
        if self.read_only:
            log.info("read-only library: settings are not saved")
            return
        with disk_full_as_error(self.root):
            save_settings(self.settings, self.layout.settings)

    def update_settings(self, **changes: Any) -> Settings:
        """Change settings fields and save them at once: the one way clients change
        settings. Unknown names raise ``TypeError`` before anything changes."""
        unknown = set(changes) - {f.name for f in fields(Settings)}
        if unknown:
            raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
        for name, value in changes.items():
            setattr(self.settings, name, value)   # in place: holders of .settings see it
        self.save_settings()
        return self.settings

    # -- the model ----------------------------------------------------------------------
    def model_choice(self, model: str | None = None,
                     weights: str | None = None) -> tuple[str, str | None]:
        """(model, weights) a client uses: what it was given, else the library's own. The
        library's model is every client's default, so the CLI finds the vectors the app
        (or an earlier ``--model``) made. A ``--weights`` alone keeps the model."""
        if model or weights:
            return model or self.settings.model, weights
        return self.settings.model, self.settings.weights

    def remember_model(self, model: str | None, weights: str | None = None) -> None:
        """Make a model given on a command line the library's model (read-only: not kept)."""
        if model and model.startswith("local-dir:"):   # kept from any working directory
            model = "local-dir:" + os.path.abspath(os.path.expanduser(model[10:]))
        elif model and os.path.isdir(model):
            model = os.path.abspath(model)
        weights = os.path.abspath(os.path.expanduser(weights)) if weights else None
        chosen = self.model_choice(model, weights)
        if (model or weights) and chosen != (self.settings.model, self.settings.weights):
            self.update_settings(model=chosen[0], weights=chosen[1])

    # -- backups ------------------------------------------------------------------------
    def backup(self, *, due_only: bool = False, now: datetime | None = None,
               ) -> Backup | None:
        """Back the catalog up (``core.backups``). ``due_only`` (after each successful
        indexing run): only when the newest backup is a day old, never when read-only."""
        if self.read_only:
            if due_only:
                return None
            raise LibraryReadOnly(self.root)
        if due_only and not is_due(self.layout.backups, now):
            return None
        return make_backup(self.catalog, self.layout.backups, now=now)

    def _keep_previous_default(self) -> None:
        """A library indexed when "default" meant the English CLIP model keeps that model
        (its vectors are stored under that model's key) until the user switches: "default"
        now names the multilingual SigLIP 2 model, which would have to embed every photo
        again before the first search."""
        s = self.settings
        if s.model != "default" or s.weights is not None:
            return
        old, new = resolve_source(PREVIOUS_DEFAULT).key, resolve_source("default").key
        if self.catalog.has_vectors(old) and not self.catalog.has_vectors(new):
            # Read-only or a full disk: it holds for this session and is decided again.
            with contextlib.suppress(DiskFull, OSError):
                self.update_settings(model=PREVIOUS_DEFAULT)

    # -- folders ------------------------------------------------------------------------
    def add_folder(self, path: str | os.PathLike[str]) -> Folder:
        """Add a folder by its real path (symlinks resolved), so that no file is catalogued
        twice. A folder that is, or lies inside, a library folder (by any path: a symlink,
        a bind mount) changes nothing and returns that folder; library folders inside the
        new one join it. Raises ``FolderOverlap`` for a folder that holds a library folder
        only through another mount of it."""
        requested = os.path.abspath(os.path.expanduser(os.fspath(path)))
        if not os.path.isdir(requested):
            raise NotInLibrary(f"Not a folder: {requested}")
        real = os.path.realpath(requested)
        folders = self.catalog.folders()
        outer = covering_folder(real, folders)
        if outer is not None:
            return outer
        inner = [f for f in folders if is_within(f.path, real)
                 or is_within(os.path.realpath(f.path), real)]
        for f in folders:
            if f not in inner and holds_through_other_path(real, f):
                raise FolderOverlap(
                    f"{requested} holds the library folder {f.path} through another path "
                    f"(a bind mount or a link): add {os.path.dirname(f.path)} or one of its "
                    "parents by the path the library uses, or remove that folder first.")
        folder = self.catalog.add_folder(real)
        if inner:
            self.catalog.absorb(folder, inner)
        return folder

    def remove_folder(self, path: str | os.PathLike[str]) -> int:
        """Forget a folder and its photos; the files on disk are not touched."""
        given = os.path.abspath(os.path.expanduser(os.fspath(path)))
        folder = (self.catalog.folder_by_path(given)
                  or self.catalog.folder_by_path(os.path.realpath(given)))
        if folder is None:
            raise NotInLibrary(f"Not a library folder: {path}")
        ids = self.catalog.remove_folder(folder.id)
        self.drop_from_indexes(ids)
        return len(ids)

    def drop_from_indexes(self, ids: list[int]) -> None:
        """Take photos out of every open index (indexes opened later sync from the
        catalog, so they drop them too)."""
        for index in list(self._indexes.values()):
            index.remove(ids)
            self.save_index(index)

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
                    seq = self.catalog.vector_log_end()   # what the build will include
                    index = build_from(folder, model_key, dim,
                                       self.catalog.vector_batches(model_key),
                                       self.catalog.counts(model_key).indexed)
                    index.caught_up(seq)
                    if len(index):
                        self.rebuilt.append(model_key)
                    if not self.read_only:   # not save_index: its pruning is a catalog
                        index.save()         # write, and this may run on the query lane
                self._indexes[model_key] = index
                self.sync_index(index)
            return index

    def sync_index(self, index: VectorIndex) -> None:
        """Bring the index in step with the catalog's vectors: by the catalog's vector log
        when it reaches back to the index's position (the cost of what changed), else by
        comparing every id (``_compare_index``)."""
        model = index.model_key
        changes = (None if index.log_seq is None
                   else self.catalog.vector_changes(model, index.log_seq))
        if changes is not None:
            inside = np.fromiter((i in index for i in changes.ids.tolist()), bool,
                                 len(changes.ids))
            gone = changes.ids[inside & ~changes.present]
            if len(gone):
                index.remove(gone.tolist())
            wanted = changes.ids[changes.present & (~inside | changes.replaced)]
            if len(wanted):
                ids, vecs = self.catalog.vectors(model, wanted.tolist())
                index.add(ids, vecs, threads=-1)
            if len(index) == self.catalog.counts(model).indexed:  # else: compare in full
                index.caught_up(changes.seq)
                return
            log.info("index of %s disagrees with the catalog after its log: comparing", model)
        self._compare_index(index)

    def _compare_index(self, index: VectorIndex) -> None:
        """Add stored vectors the index lacks and drop what the catalog no longer has, by
        comparing every id (1M: a fraction of a second, but O(library))."""
        seq = self.catalog.vector_log_end()    # the comparison includes every entry so far
        live = self.catalog.vector_id_array(index.model_key)
        have = index.id_array()
        if not np.array_equal(live, have):
            extra = np.setdiff1d(have, live, assume_unique=True)
            if len(extra):
                index.remove(extra.tolist())
            missing = np.setdiff1d(live, have, assume_unique=True)
            if len(missing):
                ids, vecs = self.catalog.vectors(index.model_key, missing.tolist())
                index.add(ids, vecs, threads=-1)
        index.caught_up(seq)

    def sync_indexes(self) -> None:
        """``sync_index`` every open index (one opened later syncs when it loads)."""
        with self._index_lock:
            indexes = list(self._indexes.values())
        for index in indexes:
            self.sync_index(index)

    # -- the one indexing process ---------------------------------------------------------
    @contextlib.contextmanager
    def writer_lock(self) -> Iterator[None]:
        """Only one process indexes a library at a time (hnswlib files have one writer)."""
        if self.read_only:
            raise LibraryReadOnly(self.root)
        with _writer_lock(self.layout):
            yield


def is_writable(root: Path, catalog: Path) -> bool:
    """Whether this process may change the library (``access`` also reports a read-only
    mount, even to root)."""
    return os.access(root, os.W_OK) and (not catalog.exists() or os.access(catalog, os.W_OK))


def _make_dir(root: Path) -> None:
    if root.is_dir():
        return
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        if e.errno in _NOT_WRITABLE:
            raise LibraryReadOnly(root, f"There is no library at {root}, and none can be "
                                        f"made there: {e.strerror}.") from e
        with disk_full_as_error(root.parent):
            raise


@dataclass(frozen=True)
class Restored:
    backup: Backup | None       # None: a new, empty catalog took the old one's place
    aside: Path | None          # where the replaced catalog is kept (None: there was none)


def restore_catalog(root: Path, backup: Path | None = None, *, fresh: bool = False,
                    ) -> Restored:
    """Put the newest sound backup (or ``backup``, or with ``fresh`` a new, empty catalog)
    in place of the library's catalog, which is kept aside, never deleted. The vector
    indexes go: they are caches of the replaced catalog, whose photo ids an older one may
    give to other photos, and are rebuilt from the restored one."""
    layout = paths.LibraryLayout(root)
    with _writer_lock(layout):
        if fresh:
            new = root / ".catalog-fresh.sqlite3"
            new.unlink(missing_ok=True)
            try:
                Catalog(new).close()
                aside = replace_catalog(layout.catalog, new)
            finally:
                new.unlink(missing_ok=True)
            shutil.rmtree(layout.indexes, ignore_errors=True)
            return Restored(None, aside)
        if backup is not None:
            taken = datetime.fromtimestamp(Path(backup).stat().st_mtime, timezone.utc)
            candidates = [Backup(Path(backup), taken)]
        else:
            candidates = list_backups(layout.backups)
        for candidate in candidates:
            if usable(candidate.path):
                aside = replace_catalog(layout.catalog, candidate.path)
                shutil.rmtree(layout.indexes, ignore_errors=True)
                return Restored(candidate, aside)
    raise PhotosearchError(f"No sound backup of the catalog was found in {layout.backups}"
                           if backup is None else f"{backup} is not a sound catalog backup")


@contextlib.contextmanager
def _writer_lock(layout: paths.LibraryLayout) -> Iterator[None]:
    handle = open(layout.writer_lock, "a+")  # noqa: SIM115 - held for the block
    try:
        if not _try_lock(handle):
            raise LibraryLocked(
                f"Another photosearch process is indexing {layout.root}; try again when it "
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
