"""What a user types in the search box: free text plus ``tag:`` filters.

``tag:beach sunset`` means photos tagged "beach", ranked by the text "sunset";
``tag:beach`` alone lists the photos with that tag, surest first; ``-tag:people`` leaves
photos with that tag out; ``tag:"hot air balloon"`` or ``tag:hot_air_balloon`` names a
tag of several words; ``тег:`` is ``tag:`` in Russian, and a tag may be written as its
Russian label (``tag:пляж``). Several ``tag:`` terms must all hold.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass

from photosearch.core.errors import UsageError
from photosearch.core.library import Library
from photosearch.core.model import Encoder
from photosearch.core.search import Hit, folder_filter, search_text
from photosearch.core.tagging.store import photos_with_tags
from photosearch.core.tagging.vocab import Vocabulary, load_vocabulary

_TERM = re.compile(r'(?<!\S)(-?)(?:tag|тег):(?:"([^"]*)"|(\S+))', re.IGNORECASE)


@dataclass(frozen=True)
class Query:
    text: str                       # what is left for the model ("" for a tag-only query)
    tags: tuple[str, ...] = ()      # required tags, as written
    without: tuple[str, ...] = ()   # excluded tags, as written

    @property
    def needs_model(self) -> bool:
        return bool(self.text)


def parse_query(text: str) -> Query:
    tags: list[str] = []
    without: list[str] = []
    for m in _TERM.finditer(text):
        word = (m.group(2) if m.group(2) is not None else m.group(3)).strip()
        if word:
            (without if m.group(1) else tags).append(word)
    rest = " ".join(_TERM.sub(" ", text).split())
    return Query(rest, tuple(tags), tuple(without))


def search_query(library: Library, encoder: Encoder | None, text: str | Query, k: int = 20, *,
                 folder: str | None = None, allow: Callable[[int], bool] | None = None,
                 vocab: Vocabulary | None = None) -> list[Hit]:
    """Run a search-box query. ``encoder`` may be None when the query has no free text;
    ``allow`` is a further filter of photo ids (the GUI's result filters)."""
    query = parse_query(text) if isinstance(text, str) else text
    if not (query.text or query.tags or query.without):
        raise UsageError("Nothing to search for: give a few words, or tag:NAME.")
    if not query.tags and not query.without:
        if encoder is None:
            raise ValueError("a text query needs the model")
        return search_text(library, encoder, query.text, k, folder=folder, allow=allow)
    vocab = vocab if vocab is not None else load_vocabulary(library.settings.custom_tags)
    wanted = [vocab.resolve(t) for t in query.tags]
    excluded = {pid for t in query.without
                for pid, _ in photos_with_tags(library.catalog, [vocab.resolve(t)])}
    if query.text:
        if encoder is None:
            raise ValueError("a text query needs the model")
        if wanted:
            allowed = {pid for pid, _ in photos_with_tags(library.catalog, wanted)} - excluded
            if allow is not None:
                allowed = {pid for pid in allowed if allow(pid)}
            if not allowed:
                return []
            both = allowed.__contains__
        else:
            both = lambda pid: pid not in excluded and (allow is None or allow(pid))  # noqa: E731
        return search_text(library, encoder, query.text, k, folder=folder, allow=both)
    if not wanted:
        return []
    ranked = photos_with_tags(library.catalog, wanted)
    if allow is not None:
        ranked = [(pid, s) for pid, s in ranked if allow(pid)]
    return _tagged(library, ranked, excluded, k, folder)


def _tagged(library: Library, ranked: list[tuple[int, float]], excluded: set[int], k: int,
            folder: str | None) -> list[Hit]:
    in_folder = folder_filter(library, folder)
    ranked = [(pid, s) for pid, s in ranked
              if pid not in excluded and (in_folder is None or in_folder(pid))]
    hits: list[Hit] = []
    for start in range(0, len(ranked), 256):
        part = ranked[start:start + 256]
        photos = library.catalog.photos_by_ids([pid for pid, _ in part])
        for pid, score in part:
            photo = photos.get(pid)
            if photo is not None and os.path.exists(photo.path):
                hits.append(Hit(pid, photo.path, score))
                if len(hits) >= k:
                    return hits
    return hits
