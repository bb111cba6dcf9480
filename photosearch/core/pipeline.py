"""Indexing: scan folders, decode photos, embed them, store vectors. Roles in one place.

Concurrency by role, and who may write what:
- **The writer** is the one thread that writes the catalog (``Catalog.write``) and
  changes the vector indexes (add, remove, sync, save). In the CLI it is the main thread;
  in the GUI it is the task runner's ``writer`` lane (``gui.writer``): indexing runs and
  rescans, the watcher's jobs (``core.watching`` hands them over; ``follow_up`` syncs
  the indexes), adding and removing folders, regrouping duplicates, keep choices and
  trashing, tags added or removed by hand, re-tagging. A run commits one transaction and
  one index add per batch, so a crash or kill loses at most the batch in flight, and runs
  the small writes queued meanwhile (``writes``) between batches, so they never wait for
  a long run to end. Scans and runs also hold the library's writer lock (one process).
- **Decoders** are a thread pool of their own: reading, hashing, EXIF, JPEG draft
  decoding, resizing and thumbnails (thumbnail files are theirs to write). Pillow
  releases the GIL while it decodes, so they run beside the model; a bounded queue of
  submitted files keeps them ahead of the model without holding many decoded photos in
  memory.
- **The model** runs in the writer thread, on a batch while decoders prepare the next.
- **Queries** (``search``) read through their own catalog connection and take the index
  lock only for a lookup; the writer holds it for one small add at a time, so a query
  never waits behind a whole batch. Readers never write the catalog (the first load of
  an index may rebuild it from the catalog's vectors: a cache, not a write of record).
- **Settings** are written by ``Library.update_settings`` on the UI thread (a small file,
  replaced atomically).
"""
from __future__ import annotations

import inspect
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from photosearch.core.catalog import Photo
from photosearch.core.catalog.embeddings import as_stored
from photosearch.core.decoding import Decoded, decode
from photosearch.core.errors import DiskFull, FileUnavailable, PhotosearchError, UnreadableImage
from photosearch.core.library import Library
from photosearch.core.model import Encoder
from photosearch.core.phash import phash
from photosearch.core.progress import Cancelled, Progress, ProgressFn, RateMeter, check, noop
from photosearch.core.scanning import ScanReport, scan_folder

log = logging.getLogger(__name__)

SAVE_EVERY_SECONDS = 20.0

# Called by the writer after each committed batch with the ids and vectors it stored, so
# features that derive from vectors stay up to date incrementally (``core.features``
# lists them; this module imports no feature). A hook may also have
# ``finish(library, encoder, progress, cancel)``, called once after the last batch (and
# when there was none): for slow one-off work, such as embedding a tag vocabulary for a
# new model, that should neither hold up the first search results nor go unreported. A
# ``finish`` with a ``writes`` parameter gets the run's ``writes`` (a long pass, such as
# looking for faces, runs the writes queued meanwhile between its chunks).
BatchHook = Callable[[Library, Encoder, np.ndarray, np.ndarray], None]


@dataclass
class Prepared:
    """What a decoder hands the writer for one photo."""

    photo: Photo
    decoded: Decoded | None = None
    tensor: object | None = None
    phash: int | None = None
    error: str | None = None
    retry: bool = False     # the error is not the file's fault: it stays pending


@dataclass
class IndexReport:
    scan: ScanReport = field(default_factory=ScanReport)
    embedded: int = 0
    reused: int = 0                 # exact copies that took an existing vector
    failed: list[tuple[str, str]] = field(default_factory=list)     # the file's own fault
    deferred: list[tuple[str, str]] = field(default_factory=list)   # not: tried next run
    cancelled: bool = False
    seconds: float = 0.0            # the whole call
    warnings: list[str] = field(default_factory=list)   # did not stop the run (a backup)
    embed_seconds: float = 0.0      # decoding and embedding alone (no scan, no finish step)

    @property
    def rate(self) -> float:
        """Photos embedded per second of the embedding stage."""
        return self.embedded / self.embed_seconds if self.embed_seconds > 0 else 0.0


def decode_workers() -> int:
    return max(1, min(8, os.cpu_count() or 1))


def prepare(photo: Photo, encoder: Encoder, library: Library | None = None) -> Prepared:
    """Decoder's job for one photo; never raises for a bad file. Raises ``DiskFull``
    when the library's disk is: every photo after it would fail the same way."""
    try:
        decoded = decode(photo.path, min_side=encoder.image_size)
        tensor = encoder.preprocess(decoded.image)
        ph = phash(decoded.image)
        if library is not None:
            _store_thumbnail(library, photo, decoded)
        decoded.image = None  # type: ignore[assignment]  # free the pixels early
        return Prepared(photo, decoded, tensor, ph)
    except FileUnavailable as e:
        return Prepared(photo, error=e.reason, retry=True)
    except UnreadableImage as e:
        return Prepared(photo, error=e.reason)
    except DiskFull:
        raise
    except Exception as e:  # a decoder bug must cost one photo, not the run
        return Prepared(photo, error=f"cannot decode ({type(e).__name__}: {e})")


def _store_thumbnail(library: Library, photo: Photo, decoded: Decoded) -> None:
    """The thumbnail is a cache the grid can remake: a folder that cannot take it now
    costs the thumbnail, not the photo (a full disk stops the run: ``DiskFull``)."""
    try:
        library.thumbnails.store(decoded.content_hash, decoded.image)
    except OSError as e:
        log.warning("thumbnail of %s not stored: %s", photo.path, e)


def scan(library: Library, folders: Iterable[str] | None = None, *,
         progress: ProgressFn = noop, cancel: threading.Event | None = None) -> ScanReport:
    """Rescan library folders (all, or those given) and drop vanished photos from indexes."""
    report = ScanReport()
    wanted = set(folders) if folders is not None else None
    for folder in library.catalog.folders():
        if wanted is None or folder.path in wanted:
            report.merge(scan_folder(library.catalog, folder, progress=progress, cancel=cancel))
    return report


def index_library(library: Library, encoder: Encoder, *, folders: Iterable[str] | None = None,
                  rescan: bool = True, progress: ProgressFn = noop,
                  cancel: threading.Event | None = None, workers: int | None = None,
                  hooks: Sequence[BatchHook] = (), writes: Callable[[], None] | None = None,
                  ) -> IndexReport:
    """Scan (optionally) and embed every photo that has no vector for ``encoder`` yet.

    ``writes`` runs the small writes other threads queued for the writer (the GUI's
    watcher jobs, clicks); it is called between batches. Cancelling stops between
    batches: what was embedded so far is saved."""
    started = time.monotonic()
    report = IndexReport()
    folder_list = list(folders) if folders is not None else None
    with library.writer_lock():
        if rescan:
            try:
                report.scan = scan(library, folder_list, progress=progress, cancel=cancel)
            except Cancelled:
                report.cancelled = True
                return report
        index = library.index_for(encoder.key, encoder.dim)
        library.sync_index(index)
        folder_ids = None
        if folder_list is not None:
            known = {f.path: f.id for f in library.catalog.folders()}
            folder_ids = [known[p] for p in folder_list if p in known]
        todo = library.catalog.pending(encoder.key, folder_ids=folder_ids)
        try:
            embed_started = time.monotonic()
            try:
                _embed(library, encoder, index, todo, report, progress, cancel, workers,
                       hooks, writes)
            finally:
                report.embed_seconds = time.monotonic() - embed_started
            library.save_index(index)
            for hook in hooks:
                finish = getattr(hook, "finish", None)
                if finish is None:
                    continue
                if "writes" in inspect.signature(finish).parameters:
                    finish(library, encoder, progress, cancel, writes=writes)
                else:
                    finish(library, encoder, progress, cancel)
        except Cancelled:
            report.cancelled = True
        finally:
            library.save_index(index)
        if not report.cancelled:
            try:  # the run's work is committed: a failed backup is told, not fatal
                library.backup(due_only=True)
            except PhotosearchError as e:
                report.warnings.append(f"The catalog backup failed: {e}")
    report.seconds = time.monotonic() - started
    return report


def _embed(library, encoder, index, todo: list[Photo], report: IndexReport,
           progress: ProgressFn, cancel, workers: int | None,
           hooks: Sequence[BatchHook], writes: Callable[[], None] | None = None) -> None:
    total = len(todo)
    meter = RateMeter()
    progress(Progress("indexing", 0, total))
    if not total:
        return
    batch_size = encoder.batch_size
    last_save = time.monotonic()
    done = 0
    with ThreadPoolExecutor(workers or decode_workers(), thread_name_prefix="decode") as pool:
        pending: deque[Future[Prepared]] = deque()
        source = iter(todo)
        ahead = batch_size * 2

        def refill() -> None:
            while len(pending) < ahead:
                photo = next(source, None)
                if photo is None:
                    return
                pending.append(pool.submit(prepare, photo, encoder, library))

        try:
            refill()
            while pending:
                check(cancel)
                batch: list[Prepared] = []
                while pending and len(batch) < batch_size:
                    batch.append(pending.popleft().result())
                    refill()
                ids, vectors = _write_batch(library, encoder, index, batch, report)
                for hook in hooks:
                    if len(ids):
                        hook(library, encoder, ids, vectors)
                if writes is not None:
                    writes()
                done += len(batch)
                rate = meter.update(done)
                progress(Progress("indexing", done, total, rate, meter.eta(rate, total - done)))
                if time.monotonic() - last_save > SAVE_EVERY_SECONDS:
                    library.save_index(index)
                    last_save = time.monotonic()
        finally:
            for f in pending:
                f.cancel()


def _write_batch(library: Library, encoder: Encoder, index, batch: list[Prepared],
                 report: IndexReport) -> tuple[np.ndarray, np.ndarray]:
    """Embed one batch and commit it: metadata, vectors and failures in one transaction."""
    import torch

    catalog = library.catalog
    good = [p for p in batch if p.error is None]
    reuse: dict[int, np.ndarray] = {}
    for p in good:  # an exact copy of an embedded photo takes its vector
        vector = catalog.vector_of_copy(encoder.key, p.decoded.content_hash, p.photo.id)
        if vector is not None:
            reuse[p.photo.id] = vector
    fresh = [p for p in good if p.photo.id not in reuse]
    vectors = (encoder.encode_images(torch.stack([p.tensor for p in fresh]))
               if fresh else np.zeros((0, encoder.dim), np.float32))
    # the index gets the vectors as the catalog keeps them (float16-rounded)
    stored = {p.photo.id: v for p, v in zip(fresh, as_stored(vectors), strict=True)}
    stored.update(reuse)
    written: list[int] = []
    with catalog.write():
        for p in good:
            d = p.decoded
            # skip photos forgotten or moved while we decoded them
            if catalog.store_decoded(p.photo.id, p.photo.path, d.content_hash, d.width,
                                     d.height, d.taken_at, p.phash):
                catalog.store_vector(encoder.key, p.photo.id, stored[p.photo.id])
                written.append(p.photo.id)
        for p in batch:
            if p.error is None:
                continue
            if p.retry:
                catalog.defer(p.photo.id, p.error)
                report.deferred.append((p.photo.path, p.error))
            else:
                catalog.mark_failed(p.photo.id, p.error)
                report.failed.append((p.photo.path, p.error))
    ids = np.array(written, np.int64)
    vecs = (np.stack([stored[i] for i in written]) if written
            else np.zeros((0, encoder.dim), np.float32))
    index.add(ids, vecs)
    report.embedded += len(fresh)
    report.reused += len(reuse)
    return ids, vecs
