"""Why a photo is a result: its tags that match the query's words.

A search result comes from the model's vectors, which explain nothing a person can read;
the photo's tags can. A tag matches when one of its words (English name, label, or
Russian label) and a query word share a stem: equal, or one starts the other with at most
``SUFFIX`` letters left over (``пляже`` finds ``пляж``, ``dogs`` finds ``dog``), so
inflected Russian and English plurals match without a stemmer. The clients show the
photo's best few (``TOP``), surest first, as labels in the interface's language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from photosearch.core.catalog import Catalog
from photosearch.core.tagging.store import tags_of
from photosearch.core.tagging.vocab import Vocabulary, normalise

TOP = 3
SUFFIX = 2      # letters an inflection may add (пляж → пляже, dog → dogs)
MIN_STEM = 3    # shorter words must match exactly ("a", "on" match nothing else)
_WORD = re.compile(r"\w+")


def words_of(text: str) -> set[str]:
    """The words of a text, folded for matching (``ё`` as ``е``)."""
    return {w for w in _WORD.findall(normalise(text).replace("ё", "е")) if not w.isdigit()}


def _same_stem(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return (len(short) >= MIN_STEM and long.startswith(short)
            and len(long) - len(short) <= SUFFIX)


def tag_matches(vocab: Vocabulary, tag: str, query_words: Iterable[str]) -> bool:
    """Whether ``tag`` shares a word stem with any of ``query_words`` (``words_of``)."""
    term = vocab.term(tag)
    names = " ".join(filter(None, (tag, term.ru if term else "", term.en if term else "")))
    mine = words_of(names)
    return any(_same_stem(q, w) for q in query_words for w in mine)


def matching_tags(catalog: Catalog, vocab: Vocabulary, photo_id: int,
                  query_words: Sequence[str], lang: str | None = "en", top: int = TOP,
                  ) -> list[str]:
    """The labels of ``photo_id``'s tags (manual first, then surest) that match the
    query's words or phrases, at most ``top``."""
    wanted = set().union(*(words_of(w) for w in query_words)) if query_words else set()
    if not wanted:
        return []
    out: list[str] = []
    for t in tags_of(catalog, photo_id):
        if tag_matches(vocab, t.tag, wanted):
            out.append(vocab.label(t.tag, lang))
            if len(out) >= top:
                break
    return out
