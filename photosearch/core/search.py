"""Search: a text or a picture in, ranked library photos out.

Results never include photos whose file has vanished (they are checked on disk, since a
file can go between two scans), and "find similar" never returns the photo asked about.
"""

from __future__ import annotations

import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from photosearch.core.catalog import PhotoStatus
from photosearch.core.decoding import decode
from photosearch.core.errors import NotInLibrary
from photosearch.core.library import Library
from photosearch.core.model import Encoder
from photosearch.core.relevance import SAMPLE, calibrate, is_sigmoid_model, with_strength

_CYRILLIC = re.compile(r"[\u0400-\u04FF]")


@dataclass(frozen=True)
class Hit:
    photo_id: int
    path: str
    score: float                    # cosine similarity (tags: the tag's confidence)
    strength: float | None = None   # calibrated match strength in [0, 1] (core/relevance)
    date: str | None = None         # capture date, ISO 8601 (core/dates.dated)

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"path": self.path, "score": round(self.score, 4)}
        if self.strength is not None:
            data["strength"] = round(self.strength, 4)
        if self.date is not None:
            data["date"] = self.date
        return data


class _TextCache:
    """Recent query vectors: typing pauses and re-runs the same text often."""

    def __init__(self, size: int = 256) -> None:
        self._items: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, encoder: Encoder, text: str) -> np.ndarray:
        key = (encoder.key, text)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        vec = encoder.encode_texts([text])[0]
        with self._lock:
            self._items[key] = vec
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return vec


_text_cache = _TextCache()


def text_vector(encoder: Encoder, text: str) -> np.ndarray:
    return _text_cache.get(encoder, text.strip())


def needs_multilingual(query: str, encoder: Encoder) -> bool:
    """A Russian query given to an English-only model: the clients suggest switching."""
    preset = encoder.source.preset
    english_only = preset is not None and "ru" not in preset.languages
    return english_only and bool(_CYRILLIC.search(query))


def folder_filter(library: Library, folder: str | None) -> Callable[[int], bool] | None:
    if folder is None:
        return None
    return library.catalog.ids_under(os.path.abspath(folder)).__contains__


def search_vector(library: Library, encoder: Encoder, vector: np.ndarray, k: int = 20, *,
                  folder: str | None = None, exclude: set[int] | None = None,
                  allow: Callable[[int], bool] | None = None) -> list[Hit]:
    """Top ``k`` live photos nearest to ``vector``."""
    index = library.index_for(encoder.key, encoder.dim)
    in_folder = folder_filter(library, folder)
    if in_folder and allow:
        both: Callable[[int], bool] | None = lambda i: in_folder(i) and allow(i)  # noqa: E731
    else:
        both = in_folder or allow
    exclude = exclude or set()
    want = k + len(exclude)
    while True:
        raw = index.search(vector, want + 8, both)
        photos = library.catalog.photos_by_ids([i for i, _ in raw])
        hits = []
        for pid, score in raw:
            photo = photos.get(pid)
            if (pid in exclude or photo is None or photo.status == PhotoStatus.MISSING
                    or not os.path.exists(photo.path)):
                continue
            hits.append(Hit(pid, photo.path, score))
        if len(hits) >= k or len(raw) < want + 8:
            return hits[:k]
        want *= 2


def search_text(library: Library, encoder: Encoder, query: str, k: int = 20, *,
                folder: str | None = None, allow: Callable[[int], bool] | None = None,
                ) -> list[Hit]:
    return search_description(library, encoder, text_vector(encoder, query), k,
                              folder=folder, allow=allow)


def search_description(library: Library, encoder: Encoder, vector: np.ndarray, k: int = 20,
                       *, folder: str | None = None,
                       allow: Callable[[int], bool] | None = None,
                       exclude: set[int] | None = None) -> list[Hit]:
    """Top ``k`` for a description's vector (text, or text and a photo, minus excluded
    words: ``query.query_vector``), each with its match strength (the caller cuts with
    ``relevance.select``); every text search comes through here, so -word, photo plus
    text and filtered queries are scored alike."""
    hits = search_vector(library, encoder, vector, k, folder=folder, allow=allow,
                         exclude=exclude)
    if not hits:
        return hits
    sample = (np.zeros((0, encoder.dim), np.float32) if is_sigmoid_model(encoder)
              else library.index_for(encoder.key, encoder.dim).sample(SAMPLE))
    return with_strength(hits, calibrate(encoder, vector, sample))


def image_vector(library: Library, encoder: Encoder, target: str | int) -> tuple[np.ndarray,
                                                                                  int | None]:
    """The vector of a library photo (by id or path), or of any image file, embedded now."""
    index = library.index_for(encoder.key, encoder.dim)
    photo = (library.catalog.photo(target) if isinstance(target, int)
             else library.catalog.photo_at(target))
    if photo is not None and photo.id in index:
        return index.vectors([photo.id])[0], photo.id
    if isinstance(target, int):
        raise NotInLibrary(f"Photo {target} has no vector yet")
    decoded = decode(target, min_side=encoder.image_size)   # raises UnreadableImage
    return encoder.encode_pil([decoded.image])[0], photo.id if photo else None


def search_similar(library: Library, encoder: Encoder, target: str | int, k: int = 20, *,
                   folder: str | None = None, allow: Callable[[int], bool] | None = None,
                   ) -> list[Hit]:
    """Photos that look like ``target`` (a library photo's id or any image file's path),
    excluding ``target`` itself; ``allow`` filters as in ``search_vector``."""
    vector, own_id = image_vector(library, encoder, target)
    exclude = {own_id} if own_id is not None else set()
    return search_vector(library, encoder, vector, k, folder=folder, exclude=exclude,
                         allow=allow)

