"""Faces and persons in the catalog (tables ``faces``, ``persons``, ``face_scans``).

A person is a group of faces with an optional name; the user's word is final: a name,
a merge, a face moved (``manual=1``, never moved by grouping again) or a person hidden
stays through re-indexing, which only adds new faces. Counts are of live photos, so a
photo gone from the library leaves its persons' counts at once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from photosearch.core.catalog import Catalog, Photo
from photosearch.core.catalog.records import (
    PHOTO_COLUMNS,
    chunks,
    date_sql,
    fs_path,
    live_sql,
    marks,
)
from photosearch.core.errors import UsageError

_LIVE = live_sql("p")
_COLUMNS = ", ".join(f"p.{c.strip()}" for c in PHOTO_COLUMNS.split(","))
Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class Person:
    id: int
    name: str | None
    hidden: bool
    count: int          # live photos with this person


@dataclass(frozen=True)
class FaceRow:
    id: int
    photo_id: int
    path: str
    box: Box
    person_id: int | None
    photo_size: tuple[int, int] | None = None     # the upright photo's width and height

    def as_dict(self) -> dict[str, object]:
        return {"path": self.path, "box": list(self.box)}


def pending_photos(catalog: Catalog, limit: int | None = None) -> list[Photo]:
    """Decoded, live photos not yet looked at for faces, or changed since."""
    sql = (f"SELECT {_COLUMNS} FROM photos p LEFT JOIN face_scans s ON s.photo_id=p.id "
           "WHERE p.status='ok' AND p.content_hash IS NOT NULL AND "
           "(s.photo_id IS NULL OR s.content_hash IS NOT p.content_hash) "
           "AND p.folder_id IN (SELECT id FROM folders WHERE online=1) ORDER BY p.id")
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [Photo.from_row(r) for r in catalog.conn.execute(sql)]


def pending_count(catalog: Catalog) -> int:
    return int(catalog.conn.execute(
        "SELECT count(*) FROM photos p LEFT JOIN face_scans s ON s.photo_id=p.id "
        "WHERE p.status='ok' AND p.content_hash IS NOT NULL AND "
        "(s.photo_id IS NULL OR s.content_hash IS NOT p.content_hash)").fetchone()[0])


def replace_faces(conn: sqlite3.Connection, photo_id: int, content_hash: str | None,
                  faces: Sequence[tuple[Box, np.ndarray]]) -> tuple[list[int], bool]:
    """Inside a write: the photo's faces become ``faces`` (its content changed, or it is
    new); returns the new faces' ids and whether older ones went (then ``prune`` after
    grouping). The photo is marked as looked at."""
    replaced = conn.execute("DELETE FROM faces WHERE photo_id=?", (photo_id,)).rowcount > 0
    ids = []
    for box, vector in faces:
        cur = conn.execute(
            "INSERT INTO faces(photo_id, box_l, box_t, box_r, box_b, vector) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (photo_id, *map(int, box), np.asarray(vector, np.float32).tobytes()))
        ids.append(int(cur.lastrowid))
    conn.execute("INSERT INTO face_scans(photo_id, content_hash) VALUES (?, ?) "
                 "ON CONFLICT(photo_id) DO UPDATE SET content_hash=excluded.content_hash",
                 (photo_id, content_hash))
    return ids, replaced


def grouping_state(catalog: Catalog) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every grouped face: (face ids, person ids, photo ids, vectors (N, 128))."""
    rows = catalog.conn.execute(
        "SELECT id, person_id, photo_id, vector FROM faces WHERE person_id IS NOT NULL "
        "ORDER BY id").fetchall()
    if not rows:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty, np.zeros((0, 128), np.float32)
    vectors = np.frombuffer(b"".join(r[3] for r in rows), np.float32).reshape(len(rows), -1)
    return (np.array([r[0] for r in rows], np.int64), np.array([r[1] for r in rows], np.int64),
            np.array([r[2] for r in rows], np.int64), vectors)


def new_person(conn: sqlite3.Connection, name: str | None = None) -> int:
    return int(conn.execute("INSERT INTO persons(name) VALUES (?)", (name,)).lastrowid)


def assign(conn: sqlite3.Connection, pairs: Iterable[tuple[int, int]]) -> None:
    """Inside a write: (face id, person id) pairs placed by grouping."""
    conn.executemany("UPDATE faces SET person_id=? WHERE id=? AND manual=0",
                     [(int(p), int(f)) for f, p in pairs])


def prune(conn: sqlite3.Connection) -> None:
    """Drop persons left without faces, unless the user named or hid them."""
    conn.execute("DELETE FROM persons WHERE name IS NULL AND hidden=0 AND id NOT IN "
                 "(SELECT person_id FROM faces WHERE person_id IS NOT NULL)")


def persons(catalog: Catalog, *, hidden: bool = False) -> list[Person]:
    """Persons with faces in live photos, most photos first (hidden ones only when
    asked)."""
    rows = catalog.conn.execute(
        "SELECT r.id, r.name, r.hidden, count(DISTINCT f.photo_id) FROM persons r "
        "JOIN faces f ON f.person_id=r.id JOIN photos p ON p.id=f.photo_id "
        f"WHERE {_LIVE} {'' if hidden else 'AND r.hidden=0'} GROUP BY r.id "
        "ORDER BY 4 DESC, r.name IS NULL, r.name, r.id")
    return [Person(int(i), n, bool(h), int(c)) for i, n, h, c in rows]


def person(catalog: Catalog, person_id: int) -> Person | None:
    row = catalog.conn.execute("SELECT id, name, hidden FROM persons WHERE id=?",
                               (person_id,)).fetchone()
    if row is None:
        return None
    count = catalog.conn.execute(
        "SELECT count(DISTINCT f.photo_id) FROM faces f JOIN photos p ON p.id=f.photo_id "
        f"WHERE f.person_id=? AND {_LIVE}", (person_id,)).fetchone()[0]
    return Person(int(row[0]), row[1], bool(row[2]), int(count))


_FACE_SQL = ("SELECT f.id, f.photo_id, p.path, f.box_l, f.box_t, f.box_r, f.box_b, "
             "f.person_id, p.width, p.height FROM faces f JOIN photos p ON p.id=f.photo_id ")


def _face(row: tuple) -> FaceRow:
    size = (int(row[8]), int(row[9])) if row[8] and row[9] else None
    return FaceRow(int(row[0]), int(row[1]), fs_path(row[2]), tuple(int(v) for v in row[3:7]),
                   None if row[7] is None else int(row[7]), size)


def faces_of(catalog: Catalog, person_id: int, limit: int | None = None) -> list[FaceRow]:
    """A person's faces in live photos, the largest first (the best crop for a card)."""
    sql = (_FACE_SQL + f"WHERE f.person_id=? AND {_LIVE} "
           "ORDER BY (f.box_r - f.box_l) * (f.box_b - f.box_t) DESC, f.id")
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [_face(r) for r in catalog.conn.execute(sql, (person_id,))]


def faces_in_photo(catalog: Catalog, photo_id: int) -> list[FaceRow]:
    return [_face(r) for r in catalog.conn.execute(
        _FACE_SQL + "WHERE f.photo_id=? ORDER BY f.box_l", (photo_id,))]


def face_count(catalog: Catalog) -> int:
    return int(catalog.conn.execute("SELECT count(*) FROM faces").fetchone()[0])


def find_persons(catalog: Catalog, word: str) -> list[int]:
    """Persons a query word names: by name, whatever the case ("маша" finds "Маша"),
    or by id (``person:12``, how the app asks for an unnamed person)."""
    want = " ".join(word.split()).casefold()
    rows = catalog.conn.execute("SELECT id, name FROM persons").fetchall()
    named = [int(i) for i, n in rows if n is not None and n.casefold() == want]
    if named or not want.isdigit():
        return named
    return [int(i) for i, _ in rows if int(i) == int(want)]


def photos_with_persons(catalog: Catalog, words: Sequence[str]) -> list[int]:
    """Live photos holding every person named (newest first); [] when a word names no
    one."""
    wanted = [find_persons(catalog, w) for w in words]
    if not wanted or not all(wanted):
        return []
    sets = []
    for ids in wanted:
        sets.append({int(r[0]) for r in catalog.conn.execute(
            f"SELECT DISTINCT photo_id FROM faces WHERE person_id IN ({marks(len(ids))})",
            ids)})
    both = set.intersection(*sets)
    if not both:
        return []
    rows = catalog.conn.execute(
        f"SELECT p.id FROM photos p WHERE {_LIVE} AND p.id IN "
        f"({','.join(str(i) for i in sorted(both))}) ORDER BY {date_sql('p')} DESC, p.id")
    return [int(r[0]) for r in rows]


# -- the user's corrections ------------------------------------------------------------------
def name_person(catalog: Catalog, person_id: int, name: str | None) -> str | None:
    """Name a person (any language; blank takes the name away). A name another person
    has is refused (``UsageError``): the two are merged only when the user says so."""
    name = " ".join((name or "").split()) or None
    with catalog.write() as conn:
        if conn.execute("SELECT 1 FROM persons WHERE id=?", (person_id,)).fetchone() is None:
            raise UsageError(f"No person {person_id}")
        if name is not None:
            for other in find_persons(catalog, name):
                if other != person_id and conn.execute(
                        "SELECT name FROM persons WHERE id=?", (other,)).fetchone()[0]:
                    raise UsageError(f"Person {other} is already called {name}: "
                                     f"merge them (people --merge {other} {person_id}).")
        conn.execute("UPDATE persons SET name=? WHERE id=?", (name, person_id))
    return name


def merge(catalog: Catalog, into: int, other: int) -> int:
    """Move every face of ``other`` into ``into`` (they stay together: the faces count as
    placed by the user); ``into`` keeps its name, or takes the other's if it had none."""
    if into == other:
        return into
    with catalog.write() as conn:
        rows = {int(i): n for i, n in conn.execute(
            "SELECT id, name FROM persons WHERE id IN (?, ?)", (into, other))}
        for pid in (into, other):
            if pid not in rows:
                raise UsageError(f"No person {pid}")
        conn.execute("UPDATE faces SET person_id=?, manual=1 WHERE person_id=?", (into, other))
        if rows[into] is None and rows[other] is not None:
            conn.execute("UPDATE persons SET name=? WHERE id=?", (rows[other], into))
        conn.execute("DELETE FROM persons WHERE id=?", (other,))
    return into


def move_face(catalog: Catalog, face_id: int, to: int | None = None) -> int:
    """Take a wrongly grouped face out of its person, into person ``to`` or a new one of
    its own; grouping never moves it again. Returns the face's person."""
    with catalog.write() as conn:
        if conn.execute("SELECT 1 FROM faces WHERE id=?", (face_id,)).fetchone() is None:
            raise UsageError(f"No face {face_id}")
        if to is None:
            to = new_person(conn)
        elif conn.execute("SELECT 1 FROM persons WHERE id=?", (to,)).fetchone() is None:
            raise UsageError(f"No person {to}")
        conn.execute("UPDATE faces SET person_id=?, manual=1 WHERE id=?", (to, face_id))
        prune(conn)
    return to


def hide(catalog: Catalog, person_id: int, hidden: bool = True) -> None:
    """Hide a person from the People list (its faces keep joining it, so they stay out)."""
    with catalog.write() as conn:
        conn.execute("UPDATE persons SET hidden=? WHERE id=?", (int(hidden), person_id))


def forget_all(catalog: Catalog) -> None:
    """People turned off: every face, person and name goes."""
    with catalog.write() as conn:
        conn.execute("DELETE FROM faces")
        conn.execute("DELETE FROM persons")
        conn.execute("DELETE FROM face_scans")


def named_in_photos(catalog: Catalog, photo_ids: Sequence[int]
                    ) -> dict[int, list[tuple[str, Box]]]:
    """Per photo, its named (not hidden) persons' names and face boxes (XMP export)."""
    out: dict[int, list[tuple[str, Box]]] = {}
    for chunk in chunks([int(i) for i in photo_ids]):
        for pid, name, *box in catalog.conn.execute(
                "SELECT f.photo_id, r.name, f.box_l, f.box_t, f.box_r, f.box_b FROM faces f "
                "JOIN persons r ON r.id=f.person_id WHERE r.name IS NOT NULL AND r.hidden=0 "
                f"AND f.photo_id IN ({marks(len(chunk))}) ORDER BY f.photo_id, f.box_l", chunk):
            out.setdefault(int(pid), []).append((name, tuple(int(v) for v in box)))
    return out


def photos_with_named(catalog: Catalog) -> list[int]:
    return [int(r[0]) for r in catalog.conn.execute(
        "SELECT DISTINCT f.photo_id FROM faces f JOIN persons r ON r.id=f.person_id "
        "WHERE r.name IS NOT NULL AND r.hidden=0 ORDER BY 1")]
