"""The tag vocabulary: shipped words with Russian labels, plus the user's own words.

The shipped list is ``resources/vocab/tags.tsv`` (header ``tag<TAB>ru<TAB>category``),
derived from the Recognize Anything tag list (Apache-2.0, see ``resources/vocab/NOTICE``).
A tag is stored by its English name; the label a user sees depends on the UI language,
and both the English name and the Russian label find it (``tag:beach``, ``tag:пляж``).

Custom words (``Settings.custom_tags``) join the vocabulary as they are written: a word
may be English or Russian, and it is its own label in both languages.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from photosearch.core import paths


@dataclass(frozen=True)
class Term:
    tag: str            # canonical English name (case-folded): what the catalog stores
    ru: str             # Russian label ("" when there is none)
    category: str = ""
    custom: bool = False
    en: str = ""        # English label as written in the list ("Christmas", "QR code")


def normalise(word: str) -> str:
    """The canonical spelling of a tag: lower case, single spaces (``hot_air`` → ``hot air``)."""
    return " ".join(word.replace("_", " ").split()).casefold()


def _fold(word: str) -> str:
    """Lookup key: normalised, and ``ё`` typed as ``е`` (as most people type it)."""
    return normalise(word).replace("ё", "е")


def shipped_path() -> Path:
    return paths.resources_dir() / "vocab" / "tags.tsv"


class Vocabulary:
    """An ordered list of terms; the order is the column order of tag embeddings."""

    def __init__(self, terms: Iterable[Term]) -> None:
        self.terms: tuple[Term, ...] = tuple(terms)
        self.tags: list[str] = [t.tag for t in self.terms]
        self._by_tag = {t.tag: t for t in self.terms}
        self._lookup: dict[str, str] = {}
        for t in self.terms:          # Russian labels first: an English name wins a clash
            if t.ru:
                self._lookup.setdefault(_fold(t.ru), t.tag)
        for t in self.terms:
            self._lookup[_fold(t.tag)] = t.tag

    def __len__(self) -> int:
        return len(self.terms)

    def __contains__(self, tag: str) -> bool:
        return normalise(tag) in self._by_tag

    @property
    def hash(self) -> str:
        """Identity of the word list: auto tags made from another list are out of date."""
        h = hashlib.sha256("\n".join(self.tags).encode("utf-8"))
        return h.hexdigest()[:16]

    def term(self, tag: str) -> Term | None:
        return self._by_tag.get(normalise(tag))

    def resolve(self, word: str) -> str:
        """The stored tag a user's word means: English name or Russian label, any case.

        A word the vocabulary does not know is returned normalised: it may be a manual tag."""
        return self._lookup.get(_fold(word), normalise(word))

    def label(self, tag: str, lang: str | None = "en") -> str:
        """What the UI shows for ``tag`` in language ``lang`` (``ru…`` gives Russian)."""
        term = self._by_tag.get(tag)
        if term is None:
            return tag
        if term.ru and lang and lang.lower().startswith("ru"):
            return term.ru
        return term.en or tag


def read_tsv(path: Path) -> list[Term]:
    """Terms of a ``tag<TAB>ru<TAB>category`` file; blank lines and ``#`` comments skipped."""
    terms: list[Term] = []
    with open(path, encoding="utf-8", newline="") as f:
        rows = csv.reader((line for line in f if line.strip() and not line.startswith("#")),
                          delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(rows, None)
        if header is None:
            return terms
        cols = {name.strip().lower(): i for i, name in enumerate(header)}
        if "tag" not in cols:
            raise ValueError(f"{path}: the first line must name the columns (tag, ru, category)")
        for row in rows:
            def col(name: str, row: list[str] = row) -> str:
                i = cols.get(name)
                return row[i].strip() if i is not None and i < len(row) else ""
            tag = normalise(col("tag"))
            if tag:
                terms.append(Term(tag, col("ru"), col("category"), en=" ".join(col("tag").split())))
    return terms


@functools.lru_cache(maxsize=4)
def _read_once(path: str, _mtime_ns: int, _size: int) -> tuple[Term, ...]:
    """The file's terms, read once per version of it: the GUI asks for the vocabulary on
    every hover explanation and Themes refresh, on the UI thread."""
    return tuple(read_tsv(Path(path)))


def load_vocabulary(custom: Sequence[str] = (), path: Path | None = None) -> Vocabulary:
    """The shipped vocabulary (if present) followed by ``custom`` words, without repeats."""
    path = path or shipped_path()
    if os.path.isfile(path):
        st = os.stat(path)
        terms = list(_read_once(str(path), st.st_mtime_ns, st.st_size))
    else:
        terms = []
    seen = {t.tag for t in terms}
    lookup = Vocabulary(terms)
    for word in custom:
        tag = normalise(word)
        if tag and tag not in seen and lookup.resolve(tag) not in seen:
            seen.add(tag)
            terms.append(Term(tag, "", "custom", custom=True))
    out, unique = [], set()
    for t in terms:
        if t.tag not in unique:
            unique.add(t.tag)
            out.append(t)
    return Vocabulary(out)


def label_language(preferred: str | None = None) -> str:
    """The language tag labels are shown in: ``Settings.ui_language`` when set, else the
    system locale's (``ru_RU.UTF-8`` → ``ru``), else English."""
    if preferred:
        return preferred.split("_")[0].split("-")[0].lower()
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return value.split("_")[0].split(".")[0].split(":")[0].lower() or "en"
    return "en"
