"""Learned tags in the catalog: the tag, its examples, its model, and its photos.

- ``learned_tags``: one row per taught tag: the model key its classifier was learned
  with (another model's vectors are another space: it is relearned from its examples),
  the method, the classifier's arrays and its threshold;
- ``learned_examples``: the photos the user said are (``positive=1``) or are not the tag;
- ``photo_tags`` rows with ``learned=1``: the photos that carry it, which tag search,
  chips, counts and XMP export read as they read any tag. A user's hand edits there
  count as examples too: a learned tag removed from a photo (``removed=1``) is a
  rejected example, one added by hand (``manual=1``) a positive one.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from photosearch.core.catalog import Catalog
from photosearch.core.teaching.learners import Learned


@dataclass(frozen=True)
class LearnedTag:
    tag: str
    model: str
    learned: Learned

    @property
    def method(self) -> str:
        return self.learned.method


@dataclass(frozen=True)
class Examples:
    positive: list[int]
    negative: list[int]


def learned_tag(catalog: Catalog, tag: str) -> LearnedTag | None:
    row = catalog.conn.execute(
        "SELECT tag, model, method, state, threshold FROM learned_tags WHERE tag=?",
        (tag,)).fetchone()
    return _row(row) if row else None


def learned_tags(catalog: Catalog) -> list[LearnedTag]:
    rows = catalog.conn.execute(
        "SELECT tag, model, method, state, threshold FROM learned_tags ORDER BY tag")
    return [_row(r) for r in rows]


def _row(row: tuple) -> LearnedTag:
    tag, model, method, state, threshold = row
    return LearnedTag(tag, model, Learned.from_bytes(method, state, threshold))


def examples(catalog: Catalog, tag: str) -> Examples:
    """The tag's examples: those given when teaching and reviewing, and the hand edits
    of its photos (added: positive; removed: rejected). A later word wins: the hand
    edit, since teaching records its examples as rows in ``photo_tags`` too."""
    pos: dict[int, bool] = {}
    for pid, positive in catalog.conn.execute(
            "SELECT photo_id, positive FROM learned_examples WHERE tag=?", (tag,)):
        pos[int(pid)] = bool(positive)
    for pid, manual, removed in catalog.conn.execute(
            "SELECT photo_id, manual, removed FROM photo_tags WHERE tag=? "
            "AND (manual=1 OR removed=1)", (tag,)):
        pos[int(pid)] = bool(manual) and not removed
    return Examples(sorted(p for p, ok in pos.items() if ok),
                    sorted(p for p, ok in pos.items() if not ok))


def save(conn: sqlite3.Connection, tag: str, model: str, learned: Learned,
         positive: Iterable[int] = (), negative: Iterable[int] = ()) -> None:
    """Inside a write transaction: the tag's classifier, and examples to add (a photo
    given again takes its latest answer)."""
    conn.execute(
        "INSERT INTO learned_tags(tag, model, method, state, threshold, updated) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(tag) DO UPDATE SET model=excluded.model, "
        "method=excluded.method, state=excluded.state, threshold=excluded.threshold, "
        "updated=excluded.updated",
        (tag, model, learned.method, learned.to_bytes(), learned.threshold, time.time()))
    rows = [(tag, int(p), 1) for p in positive] + [(tag, int(p), 0) for p in negative]
    conn.executemany("INSERT INTO learned_examples(tag, photo_id, positive) VALUES (?, ?, ?) "
                     "ON CONFLICT(tag, photo_id) DO UPDATE SET positive=excluded.positive",
                     rows)
    # a fresh answer overrides an older hand edit of the same photo
    conn.executemany("DELETE FROM photo_tags WHERE tag=? AND photo_id=? AND "
                     "(manual=1 OR removed=1)", [(t, p) for t, p, _ in rows])


def replace_photos(conn: sqlite3.Connection, tag: str, ids: Sequence[int],
                   scores: Sequence[float], *, only: Sequence[int] | None = None) -> None:
    """Inside a write transaction: the tag's learned rows become ``ids`` (with
    ``scores``); with ``only``, just the rows of those photos are replaced (an indexing
    batch). Hand edits (manual, removed rows) stay as they are."""
    if only is None:
        conn.execute("DELETE FROM photo_tags WHERE tag=? AND learned=1 AND manual=0 "
                     "AND removed=0", (tag,))
    else:
        conn.executemany("DELETE FROM photo_tags WHERE tag=? AND photo_id=? AND learned=1 "
                         "AND manual=0 AND removed=0", [(tag, int(p)) for p in only])
    conn.executemany(
        "INSERT INTO photo_tags(photo_id, tag, score, learned) VALUES (?, ?, ?, 1) "
        "ON CONFLICT(photo_id, tag) DO UPDATE SET score=excluded.score, learned=1 "
        "WHERE manual=0 AND removed=0",
        [(int(p), tag, round(float(s), 4)) for p, s in zip(ids, scores, strict=True)])


def delete(conn: sqlite3.Connection, tag: str) -> None:
    """Inside a write transaction: forget the tag, its examples and its photos."""
    conn.execute("DELETE FROM photo_tags WHERE tag=? AND (learned=1 OR manual=1 "
                 "OR removed=1)", (tag,))
    conn.execute("DELETE FROM learned_examples WHERE tag=?", (tag,))
    conn.execute("DELETE FROM learned_tags WHERE tag=?", (tag,))


def carriers(catalog: Catalog, tag: str) -> int:
    """Live photos that now show the tag."""
    from photosearch.core.catalog.records import live_sql

    return int(catalog.conn.execute(
        "SELECT count(*) FROM photo_tags t JOIN photos p ON p.id=t.photo_id "
        f"WHERE t.tag=? AND t.removed=0 AND {live_sql('p')}", (tag,)).fetchone()[0])
