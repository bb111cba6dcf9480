"""The faces pass: look for faces in photos not yet looked at, and group them.

It runs after an indexing run's last batch (``FaceHook.finish``), not inside each batch:
dlib's detector and encoder take ~0.3-0.8 s a photo on a CPU, 10-30 times the image
embedding, and search must not wait for them. It has its own progress phase
(``"faces"``), stops between photos when cancelled (what was found is kept), runs the
writes queued by other threads between chunks, and does nothing while People is off in
the settings or dlib is missing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from photosearch.core.catalog import Photo
from photosearch.core.decoding import decode
from photosearch.core.errors import FileUnavailable, ModelUnavailable, UnreadableImage
from photosearch.core.faces import store
from photosearch.core.faces.detect import DETECT_SIDE, Face, FaceModels
from photosearch.core.faces.grouping import Grouper
from photosearch.core.library import Library
from photosearch.core.progress import Progress, ProgressFn, RateMeter, check, noop

log = logging.getLogger(__name__)

CHUNK = 8          # photos per write transaction (and between queued writes)
PHASE = "faces"


@dataclass
class FacesReport:
    photos: int = 0         # photos looked at
    faces: int = 0          # faces found
    failed: int = 0         # photos that could not be decoded (none of their faces)
    seconds: float = 0.0


def _faces_of(photo: Photo, models: FaceModels) -> tuple[Photo, list[Face] | None]:
    """A decoder's job: None when the file cannot be read now (tried again next pass);
    [] for a file that is not a readable image (as the indexer judged it too)."""
    try:
        decoded = decode(photo.path, min_side=DETECT_SIDE // 2)
        return photo, models.find(decoded.image, decoded.width, decoded.height)
    except UnreadableImage as e:
        return photo, (None if isinstance(e, FileUnavailable) else [])
    except Exception as e:  # a decoder or dlib bug must cost one photo's faces, not the run
        log.warning("faces of %s not found: %s: %s", photo.path, type(e).__name__, e)
        return photo, []


def find_faces(library: Library, *, models: FaceModels | None = None,
               progress: ProgressFn = noop, cancel: threading.Event | None = None,
               writes: Callable[[], None] | None = None,
               grouper: Grouper | None = None) -> FacesReport:
    """Look for faces in every photo not yet looked at (new or changed), store them and
    group them into persons. Raises ``ModelUnavailable`` without dlib or its models."""
    started = time.monotonic()
    report = FacesReport()
    todo = store.pending_photos(library.catalog)
    if not todo:
        return report
    models = models or FaceModels.shared()
    grouper = grouper or Grouper.load(library.catalog)
    meter = RateMeter()
    progress(Progress(PHASE, 0, len(todo)))
    with ThreadPoolExecutor(1, thread_name_prefix="faces") as pool:
        # one photo is decoded and searched ahead while the previous one is written
        ahead: list[Future] = [pool.submit(_faces_of, p, models) for p in todo[:2]]
        nxt = 2
        chunk: list[tuple[Photo, list[Face]]] = []
        try:
            while ahead:
                check(cancel)
                photo, faces = ahead.pop(0).result()
                if nxt < len(todo):
                    ahead.append(pool.submit(_faces_of, todo[nxt], models))
                    nxt += 1
                report.photos += 1
                if faces is None:
                    report.failed += 1
                else:
                    chunk.append((photo, faces))
                if len(chunk) >= CHUNK or not ahead:
                    report.faces += _write(library, grouper, chunk)
                    chunk = []
                    if writes is not None:
                        writes()
                rate = meter.update(report.photos)
                progress(Progress(PHASE, report.photos, len(todo), rate,
                                  meter.eta(rate, len(todo) - report.photos)))
        finally:
            for f in ahead:
                f.cancel()
            if chunk:
                report.faces += _write(library, grouper, chunk)
    report.seconds = time.monotonic() - started
    return report


def _write(library: Library, grouper: Grouper, chunk: list[tuple[Photo, list[Face]]]) -> int:
    """Store a chunk's faces and group them, in one transaction."""
    face_ids: list[int] = []
    photo_ids: list[int] = []
    vectors: list[np.ndarray] = []
    replaced = False
    with library.catalog.write() as conn:
        for photo, faces in chunk:
            ids, gone = store.replace_faces(conn, photo.id, photo.content_hash,
                                            [(f.box, f.vector) for f in faces])
            replaced |= gone
            face_ids += ids
            photo_ids += [photo.id] * len(ids)
            vectors += [f.vector for f in faces]
        if face_ids:
            grouper.place(conn, face_ids, photo_ids, np.stack(vectors))
        if replaced:    # a changed photo's old faces went: persons left empty go too
            store.prune(conn)
    if replaced:
        grouper.reload(library.catalog)
    return len(face_ids)


def set_people(library: Library, enabled: bool) -> None:
    """Turn People on or off; off removes every stored face, person and name."""
    library.update_settings(people=enabled)
    if not enabled:
        store.forget_all(library.catalog)


class FaceHook:
    """The ``BatchHook`` of People: nothing per batch (search first), the faces pass in
    ``finish``."""

    def __init__(self, models: FaceModels | None = None) -> None:
        self.models = models
        self.report: FacesReport | None = None

    def __call__(self, library: Library, encoder, ids: np.ndarray,
                 vectors: np.ndarray) -> None:
        return None

    def finish(self, library: Library, encoder, progress: ProgressFn = noop,
               cancel: threading.Event | None = None,
               writes: Callable[[], None] | None = None) -> None:
        if not library.settings.people or library.read_only:
            return
        try:
            self.report = find_faces(library, models=self.models, progress=progress,
                                     cancel=cancel, writes=writes)
        except ModelUnavailable as e:
            log.warning("faces not looked for: %s", e)
