"""Tags in the catalog (table ``photo_tags``): automatic, manual and removed rows.

- automatic rows (``manual=0, removed=0``) belong to the tagger: re-tagging a photo
  deletes them and writes new ones;
- manual rows (``manual=1``) were added by the user and are never touched by re-tagging;
- removed rows (``removed=1``) record the user's "this tag is wrong": the tag is hidden
  and re-tagging does not bring it back (``INSERT OR IGNORE`` meets the existing row);
- learned rows (``learned=1``) belong to a tag taught from examples (``core.teaching``):
  re-tagging leaves them alone, relearning that tag replaces them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from photosearch.core.catalog import Catalog
from photosearch.core.catalog.records import live_sql, under_args, under_sql
from photosearch.core.tagging.vocab import normalise

_LIVE = live_sql("p")


@dataclass(frozen=True)
class PhotoTag:
    tag: str
    score: float | None     # calibrated score (see ``select``); None for manual tags
    manual: bool


def rounded(scores: np.ndarray) -> list[float]:
    """Scores as stored: 3 decimals, as ``round(float(score), 3)`` gives them (for float32
    scores, exactly: times 1000 is exact in float64, then both round half to even)."""
    return np.round(np.asarray(scores, np.float32).astype(np.float64), 3).tolist()


def replace_auto(conn: sqlite3.Connection, photo_ids: Sequence[int],
                 tags: Sequence[Sequence[tuple[str, float]]]) -> None:
    """Inside a write transaction: the automatic tags of ``photo_ids`` become ``tags``."""
    rows = [(int(pid), tag, score) for pid, row in zip(photo_ids, tags, strict=True)
            for tag, score in row]
    replace_auto_rows(conn, [int(i) for i in photo_ids], [r[0] for r in rows],
                      [r[1] for r in rows], [round(float(r[2]), 3) for r in rows])


def replace_auto_rows(conn: sqlite3.Connection, photo_ids: Sequence[int],
                      pids: Sequence[int], tags: Sequence[str], scores: Sequence[float],
                      ) -> None:
    """``replace_auto`` from aligned rows (photo id, tag, stored score) of the photos
    ``photo_ids``.

    Written as a difference against what is stored (delete what went, insert what came,
    update scores that moved): a re-tag mostly keeps a photo's tags, and touching only the
    changed rows spares both B-trees of the table most of the work. Photos with no
    automatic tags yet (a new library's first re-tag) are inserted straight away."""
    have: dict[tuple[int, str], float | None] = {}
    for start in range(0, len(photo_ids), 900):
        chunk = [int(i) for i in photo_ids[start:start + 900]]
        marks = ",".join("?" * len(chunk))
        for pid, tag, score in conn.execute(
                f"SELECT photo_id, tag, score FROM photo_tags WHERE photo_id IN ({marks}) "
                "AND manual=0 AND removed=0 AND learned=0", chunk):
            have[(pid, tag)] = score
    insert = "INSERT OR IGNORE INTO photo_tags(photo_id, tag, score) VALUES (?, ?, ?)"
    if not have:    # the rows as they are: no dictionary of 770k keys at 100k photos
        conn.executemany(insert, zip(pids, tags, scores, strict=True))
        return
    want = dict(zip(zip(pids, tags, strict=True), scores, strict=True))
    conn.executemany("DELETE FROM photo_tags WHERE photo_id=? AND tag=?",
                     [key for key in have if key not in want])
    conn.executemany(insert, [(*key, score) for key, score in want.items() if key not in have])
    conn.executemany("UPDATE photo_tags SET score=? WHERE photo_id=? AND tag=?",
                     [(score, *key) for key, score in want.items()
                      if key in have and have[key] != score])


_TAG_INDEX = "photo_tags_tag ON photo_tags(tag, removed)"   # as the schema creates it
BULK_PHOTOS = 10_000    # a re-tag this large writes without the by-tag index, then sorts it


@contextmanager
def bulk_writes(catalog: Catalog, photos: int) -> Iterator[None]:
    """Around a re-tag of ``photos`` photos: a large one drops the by-tag index and builds
    it again at the end (inserting ~800k rows into two B-trees costs 3-4x inserting them
    into one and sorting the other once). The index comes back however the block ends; a
    crash in between leaves it missing until the next re-tag, which builds it first."""
    with catalog.write() as conn:
        conn.execute(f"CREATE INDEX IF NOT EXISTS {_TAG_INDEX}")
        if photos >= BULK_PHOTOS:
            conn.execute("DROP INDEX photo_tags_tag")
    try:
        yield
    finally:
        with catalog.write() as conn:
            conn.execute(f"CREATE INDEX IF NOT EXISTS {_TAG_INDEX}")


def tags_of(catalog: Catalog, photo_id: int) -> list[PhotoTag]:
    """The photo's visible tags: manual ones first, then automatic ones best first."""
    rows = catalog.conn.execute(
        "SELECT tag, score, manual FROM photo_tags WHERE photo_id=? AND removed=0 "
        "ORDER BY manual DESC, score DESC, tag", (photo_id,))
    return [PhotoTag(t, None if m else s, bool(m)) for t, s, m in rows]


def add_manual(catalog: Catalog, photo_id: int, tag: str) -> str:
    """Tag a photo by hand (this also undoes an earlier removal); returns the stored tag."""
    tag = normalise(tag)
    if not tag:
        raise ValueError("empty tag")
    return _set_user_choice(catalog, photo_id, tag, manual=True)


def remove(catalog: Catalog, photo_id: int, tag: str) -> str:
    """Hide a tag from a photo for good (re-tagging will not add it back)."""
    return _set_user_choice(catalog, photo_id, normalise(tag), manual=False)


def _set_user_choice(catalog: Catalog, photo_id: int, tag: str, *, manual: bool) -> str:
    """Record the user's word on a tag: added by hand, or removed; one excludes the other."""
    flags = (int(manual), int(not manual))
    with catalog.write() as conn:
        conn.execute(
            "INSERT INTO photo_tags(photo_id, tag, score, manual, removed) "
            "VALUES (?, ?, NULL, ?, ?) "
            "ON CONFLICT(photo_id, tag) DO UPDATE SET manual=excluded.manual, "
            "removed=excluded.removed", (photo_id, tag, *flags))
    return tag


def removed_tags(catalog: Catalog, photo_id: int) -> list[str]:
    rows = catalog.conn.execute(
        "SELECT tag FROM photo_tags WHERE photo_id=? AND removed=1 ORDER BY tag", (photo_id,))
    return [r[0] for r in rows]


def tag_counts(catalog: Catalog) -> list[tuple[str, int]]:
    """Every visible tag of live photos with its number of photos, most used first."""
    rows = catalog.conn.execute(
        "SELECT t.tag, count(*) FROM photo_tags t JOIN photos p ON p.id=t.photo_id "
        f"WHERE t.removed=0 AND {_LIVE} GROUP BY t.tag ORDER BY count(*) DESC, t.tag")
    return [(t, int(n)) for t, n in rows]


def photos_with_tags(catalog: Catalog, tags: Iterable[str]) -> list[tuple[int, float]]:
    """Live photos carrying every one of ``tags``: (photo id, summed score), best first.

    Manual tags count as sure (score 100), so hand-tagged photos come first."""
    wanted = sorted({normalise(t) for t in tags})
    if not wanted:
        return []
    marks = ",".join("?" * len(wanted))
    rows = catalog.conn.execute(
        "SELECT t.photo_id, sum(CASE WHEN t.manual THEN 100.0 ELSE coalesce(t.score, 0) END) "
        f"FROM photo_tags t JOIN photos p ON p.id=t.photo_id WHERE {_LIVE} AND t.removed=0 "
        f"AND t.tag IN ({marks}) GROUP BY t.photo_id HAVING count(*)=? "
        "ORDER BY 2 DESC, t.photo_id", (*wanted, len(wanted)))
    return [(int(pid), float(score)) for pid, score in rows]


def tagged_photo_ids(catalog: Catalog, folder: str | None = None) -> list[int]:
    """Live photos (inside ``folder``, if given) with at least one visible or removed tag
    (what an XMP export visits)."""
    sql = (f"SELECT DISTINCT t.photo_id FROM photo_tags t JOIN photos p ON p.id=t.photo_id "
           f"WHERE {_LIVE}")
    args: list[object] = []
    if folder is not None:
        sql += f" AND {under_sql('p.path')}"
        args += under_args(folder)
    return [int(r[0]) for r in catalog.conn.execute(sql + " ORDER BY t.photo_id", args)]
