"""What a user types in the search box: free text, exclusions, and tag and date filters.

The syntax (``QUERY_HELP`` says it to users, in the search box's tooltip and the README):

- words are a description for the model; ``"…"`` keeps a phrase as one text, so ``-`` or
  ``tag:`` inside quotes are plain words;
- ``-word`` or ``-"a phrase"`` subtracts that concept from the description (``a circle
  -red``: circles, not red ones), as rclip does: the query vector minus
  ``EXCLUDE_WEIGHT`` times the word's vector, normalised;
- ``tag:beach`` keeps photos tagged "beach"; alone, it lists them, surest first;
  ``-tag:people`` leaves those tagged "people" out; ``tag:"hot air balloon"`` or
  ``tag:hot_air_balloon`` name a tag of several words; a tag may be written as its
  Russian label (``tag:пляж``). Several ``tag:`` terms must all hold;
- ``person:Маша`` keeps photos with that person (named in the People view; ``person:12``
  names an unnamed one by its number); several ``person:`` terms must all be in the
  photo, ``-person:`` leaves one out; alone, they list the photos, newest first;
- ``date:2023``, ``date:2023-07``, ``date:2023-07-14`` keep photos taken then;
  ``after:2023-06`` from that period's first day on, ``before:2024`` before it
  (``core/dates``); alone, they list those photos, newest first;
- ``тег:``, ``человек:``, ``дата:``, ``после:``, ``до:`` are the Russian keywords.

``search_query(..., like=[PATH…], unlike=[PATH…])`` is relevance feedback (Rocchio):
the description moves towards the mean of the photos marked good ("like this photo, but
at night": the photo's vector plus the text's) and away from the photos marked bad. The
marked photos themselves are not among the results.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import reduce

import numpy as np

from photosearch.core.dates import DateRange, after, before, during
from photosearch.core.errors import UsageError
from photosearch.core.faces.store import photos_with_persons
from photosearch.core.library import Library
from photosearch.core.model import Encoder
from photosearch.core.search import (
    Hit,
    folder_filter,
    image_vector,
    search_description,
    text_vector,
)
from photosearch.core.tagging.store import photos_with_tags
from photosearch.core.tagging.vocab import Vocabulary, load_vocabulary

QUERY_HELP = (
    "Describe a photo: dog on a beach\n"
    "-word leaves a concept out: a circle -red\n"
    "\"…\" keeps a phrase together: \"hot air balloon\"\n"
    "tag:beach, -tag:people: photos with / without a tag (тег:пляж)\n"
    "person:Маша: photos of a person named in People (человек:)\n"
    "date:2023, date:2023-07, date:2023-07-14: taken then (дата:)\n"
    "after:2023-06, before:2024: taken from / before then (после:, до:)\n"
    "Drop a photo here to find similar ones."
)

# How much of an excluded word's vector leaves the query. On the CLIP fixture
# (benchmarks/bench_query_exclusion.py, "a SHAPE -COLOUR", top k = the right answer's
# size) the excluded colour's share of the results fell from 0.167 (no exclusion) to
# 0.008 at 0.25 and 0 at 0.5, while the right shape's share went 1.0 → 1.0 → 0.994;
# at 1.0 it fell to 0.913 (the query loses its own meaning). 0.5 removes the concept
# and keeps the rest.
EXCLUDE_WEIGHT = 0.5
# Rocchio's weights: the text counts once, the mean of the photos marked good once (one
# photo plus a text is an even mix), the mean of those marked bad a quarter, as Rocchio's
# own γ/β of 0.15/0.75 keeps "less like that" well below "more like these": a bad photo
# shares most of what the query asks. On the CLIP fixture (benchmarks/bench_teach.py,
# "circle", a blue circle good, a red one bad, top 12) the red share went 0.17 → 0 and
# blue 0.25 → 0.75 with circles kept at 1.0 at 0.25; at 0.5 circles fell to 0.92, at 1.0
# to 0.83 (the query loses what it asked).
LIKE_WEIGHT = 1.0
UNLIKE_WEIGHT = 0.25

_KEYS = {"tag": "tag", "тег": "tag", "person": "person", "человек": "person",
         "date": "date", "дата": "date",
         "after": "after", "после": "after", "before": "before", "до": "before"}
_TOKEN = re.compile(r'(?<!\S)(-?)(?:(' + "|".join(_KEYS) + r'):)?(?:"([^"]*)"?|(\S+))',
                    re.IGNORECASE)
_PERIODS = {"date": during, "after": after, "before": before}


@dataclass(frozen=True)
class Query:
    words: tuple[str, ...] = ()     # the description for the model: words and phrases
    tags: tuple[str, ...] = ()      # required tags, as written
    without: tuple[str, ...] = ()   # excluded tags, as written
    minus: tuple[str, ...] = ()     # excluded words or phrases (``-word``)
    periods: tuple[tuple[str, str], ...] = ()   # ("date" | "after" | "before", as written)
    persons: tuple[str, ...] = ()   # required persons (names or numbers), as written
    no_persons: tuple[str, ...] = ()   # excluded persons

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def needs_model(self) -> bool:
        return bool(self.text or self.minus)

    @property
    def dates(self) -> DateRange:
        """The date range all date terms allow; raises ``BadQuery`` for a bad date."""
        return reduce(DateRange.__and__, (_PERIODS[k](v) for k, v in self.periods),
                      DateRange())

    def to_text(self) -> str:
        """The query written back (a client that edits one term keeps the others)."""
        def quoted(word: str) -> str:
            return f'"{word}"' if " " in word else word
        terms = [f"tag:{quoted(t)}" for t in self.tags]
        terms += [f"-tag:{quoted(t)}" for t in self.without]
        terms += [f"person:{quoted(p)}" for p in self.persons]
        terms += [f"-person:{quoted(p)}" for p in self.no_persons]
        terms += [f"{k}:{v}" for k, v in self.periods]
        terms += [quoted(w) for w in self.words]
        terms += [f"-{quoted(w)}" for w in self.minus]
        return " ".join(terms)


def parse_query(text: str) -> Query:
    words: list[str] = []
    tags: list[str] = []
    without: list[str] = []
    minus: list[str] = []
    periods: list[tuple[str, str]] = []
    persons: list[str] = []
    no_persons: list[str] = []
    for m in _TOKEN.finditer(text):
        negated, key = bool(m[1]), _KEYS.get((m[2] or "").casefold())
        word = " ".join((m[3] if m[3] is not None else m[4]).split())
        if not word:
            continue
        if key == "tag":
            (without if negated else tags).append(word)
        elif key == "person":
            (no_persons if negated else persons).append(word)
        elif key is not None:
            periods.append((key, word))
        else:
            (minus if negated else words).append(word)
    return Query(tuple(words), tuple(tags), tuple(without), tuple(minus), tuple(periods),
                 tuple(persons), tuple(no_persons))


def with_periods(text: str, periods: tuple[tuple[str, str], ...]) -> str:
    """``text`` with its date terms (``date:``, ``after:``, ``before:``, in any language)
    replaced by ``periods``, the rest kept as typed: the app's date control writes what
    it chose into the search box, so the box and the control always say the same."""
    kept, last = [], 0
    for m in _TOKEN.finditer(text):
        key = _KEYS.get((m[2] or "").casefold())
        if key in _PERIODS:
            kept.append(text[last:m.start()])
            last = m.end()
    kept.append(text[last:])
    rest = " ".join("".join(kept).split())
    terms = [f"{k}:{v}" for k, v in periods]
    return " ".join([rest, *terms] if rest else terms)


def query_vector(encoder: Encoder, query: Query, like: Sequence[np.ndarray] = (),
                 unlike: Sequence[np.ndarray] = ()) -> np.ndarray:
    """The description's unit vector: text, moved towards the photos marked good and
    away from those marked bad (Rocchio), minus excluded words."""
    vec = np.zeros(encoder.dim, np.float32)
    if query.text:
        vec += text_vector(encoder, query.text)
    if len(like):
        vec += LIKE_WEIGHT * np.mean(like, axis=0)
    if len(unlike):
        vec -= UNLIKE_WEIGHT * np.mean(unlike, axis=0)
    for word in query.minus:
        vec -= EXCLUDE_WEIGHT * text_vector(encoder, word)
    return vec / max(float(np.linalg.norm(vec)), 1e-12)


def search_query(library: Library, encoder: Encoder | None, text: str | Query, k: int = 20, *,
                 folder: str | None = None, allow: Callable[[int], bool] | None = None,
                 vocab: Vocabulary | None = None, like: Sequence[str | int] = (),
                 unlike: Sequence[str | int] = ()) -> list[Hit]:
    """Run a search-box query, best first (``dates.dated`` reorders by date). ``encoder``
    may be None when the query has no free text; ``allow`` is a further filter of photo
    ids (the GUI's result filters); ``like`` and ``unlike`` (paths or photo ids) are
    photos marked good and bad (relevance feedback). Raises ``BadQuery`` for a bad date
    term."""
    query = parse_query(text) if isinstance(text, str) else text
    feedback = bool(like or unlike)
    if not (query.needs_model or query.tags or query.without or query.periods
            or query.persons or query.no_persons or like):
        raise UsageError("Nothing to search for: give a few words, tag:NAME, person:NAME "
                         "or date:YEAR.")
    ranked_tags = None
    if query.tags:
        vocab = vocab if vocab is not None else load_vocabulary(library.settings.custom_tags)
        ranked_tags = photos_with_tags(library.catalog, [vocab.resolve(t) for t in query.tags])
    if query.persons:   # a list of its own where it is the only one (newest first)
        with_persons = photos_with_persons(library.catalog, query.persons)
        ranked_tags = ([(pid, 0.0) for pid in with_persons] if ranked_tags is None
                       else _both(ranked_tags, with_persons))
    span = query.dates
    dated_ids = library.catalog.ids_dated(span.since, span.until) if span else None
    checks = _filters(library, query, vocab, ranked_tags, dated_ids)
    if checks is None:
        return []                          # a filter that nothing passes
    if allow is not None:
        checks.append(allow)
    both = _all_of(checks)
    if query.needs_model or feedback:
        if encoder is None:
            raise ValueError("a text query needs the model")
        good = [image_vector(library, encoder, t) for t in like]
        bad = [image_vector(library, encoder, t) for t in unlike]
        marked = {own for _, own in good + bad if own is not None}
        vector = query_vector(encoder, query, [v for v, _ in good], [v for v, _ in bad])
        return search_description(library, encoder, vector, k, folder=folder, allow=both,
                                  exclude=marked or None)
    if ranked_tags is None and dated_ids is not None:   # date terms alone: that time's photos
        ranked_tags = [(pid, 0.0) for pid in dated_ids]
    if ranked_tags is None:
        return []
    return _listed(library, ranked_tags, both, k, folder)


def _filters(library: Library, query: Query, vocab: Vocabulary | None,
             ranked_tags: list[tuple[int, float]] | None, dated_ids: list[int] | None,
             ) -> list[Callable[[int], bool]] | None:
    """A check per filter the query holds; None when one of them lets nothing through."""
    checks: list[Callable[[int], bool]] = []
    if ranked_tags is not None:
        if not ranked_tags:
            return None
        checks.append({pid for pid, _ in ranked_tags}.__contains__)
    if query.without:
        vocab = vocab if vocab is not None else load_vocabulary(library.settings.custom_tags)
        excluded = {pid for t in query.without
                    for pid, _ in photos_with_tags(library.catalog, [vocab.resolve(t)])}
        checks.append(lambda pid: pid not in excluded)
    if dated_ids is not None:
        if not dated_ids:
            return None
        checks.append(set(dated_ids).__contains__)
    if query.no_persons:
        gone = {pid for p in query.no_persons
                for pid in photos_with_persons(library.catalog, [p])}
        checks.append(lambda pid: pid not in gone)
    return checks


def _both(ranked: list[tuple[int, float]], ids: list[int]) -> list[tuple[int, float]]:
    """``ranked`` (its order) kept to the photos in ``ids``."""
    keep = set(ids)
    return [(pid, s) for pid, s in ranked if pid in keep]


def _all_of(checks: list[Callable[[int], bool]]) -> Callable[[int], bool] | None:
    """One predicate for the index's filter (it calls it per candidate: keep it lean)."""
    if len(checks) <= 1:
        return checks[0] if checks else None
    return lambda pid: all(c(pid) for c in checks)


def listed_photos(library: Library, ids: list[int], k: int, *, folder: str | None = None,
                  allow: Callable[[int], bool] | None = None) -> list[Hit]:
    """The first ``k`` of these photos, in this order, that pass the filters and exist
    on disk (a theme's photos, a learned tag's review)."""
    return _listed(library, [(pid, 0.0) for pid in ids], allow, k, folder)


def _listed(library: Library, ranked: list[tuple[int, float]],
            allow: Callable[[int], bool] | None, k: int, folder: str | None) -> list[Hit]:
    """The first ``k`` of an already ranked list that pass the filters and exist on disk."""
    in_folder = folder_filter(library, folder)
    ranked = [(pid, s) for pid, s in ranked
              if (allow is None or allow(pid)) and (in_folder is None or in_folder(pid))]
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
