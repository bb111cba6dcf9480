"""The catalog's duplicate tables: stored groups, the user's keep choices, which model
and thresholds the groups were made with, and the candidate pairs they were linked from.

SQL on ``duplicate_groups``/``duplicate_members``/``duplicate_edges`` and the
``duplicates`` meta row lives here and nowhere else; callers pass and get plain values
(ids, tiers), so this module knows nothing of how groups are found.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

from photosearch.core.catalog import PhotoStatus
from photosearch.core.catalog.records import status_sql
from photosearch.core.duplicates.pairs import Thresholds
from photosearch.core.library import Library

STATE_KEY = "duplicates"
# Grouped photos are decoded ones: a changed file waiting to be indexed again is out.
LIVE = f"status={status_sql(PhotoStatus.OK)}"


@dataclass
class State:
    """Which model and thresholds the stored groups belong to."""

    model: str | None
    thresholds: dict[str, float] = field(default_factory=dict)


def get_state(library: Library) -> State | None:
    raw = library.catalog.get_meta(STATE_KEY)
    if not raw:
        return None
    data = json.loads(raw)
    return State(data.get("model"), data.get("thresholds", {}))


def set_state(library: Library, model_key: str | None, th: Thresholds) -> None:
    library.catalog.set_meta(STATE_KEY, json.dumps({"model": model_key,
                                                    "thresholds": asdict(th)}))


def is_current(library: Library, model_key: str | None, th: Thresholds) -> bool:
    state = get_state(library)
    return state is not None and state.model == model_key and state.thresholds == asdict(th)


def chosen_keeps(library: Library) -> set[int]:
    """Photos the user chose to keep; they stay the keep through any regrouping."""
    return {r[0] for r in library.catalog.conn.execute(
        "SELECT keep_id FROM duplicate_groups WHERE keep_chosen=1 AND keep_id IS NOT NULL")}


def live_photo_facts(library: Library) -> list[tuple[int, str | None, int | None, str | None]]:
    """(id, content hash, pHash, taken at) of every live photo, by id: what grouping
    compares, without the rest of each row."""
    return library.catalog.conn.execute(
        f"SELECT id, content_hash, phash, taken_at FROM photos WHERE {LIVE} ORDER BY id",
    ).fetchall()


@dataclass
class Row:
    """A group as stored: its tier, keep and member photo ids."""

    tier: str
    keep_id: int
    keep_chosen: bool
    members: Sequence[int]


def insert(conn: sqlite3.Connection, row: Row) -> int:
    cur = conn.execute("INSERT INTO duplicate_groups(tier, keep_id, keep_chosen) VALUES (?,?,?)",
                       (row.tier, row.keep_id, int(row.keep_chosen)))
    conn.executemany("INSERT OR REPLACE INTO duplicate_members(group_id, photo_id) VALUES (?,?)",
                     [(cur.lastrowid, pid) for pid in row.members])
    return int(cur.lastrowid)


def replace_all(library: Library, rows: Iterable[Row]) -> list[int]:
    """Store ``rows`` in place of every stored group; their new ids, in order."""
    with library.catalog.write() as conn:
        conn.execute("DELETE FROM duplicate_groups")
        return [insert(conn, r) for r in rows]


def live_members(library: Library) -> dict[int, list[int]]:
    """Group id -> its live member photo ids."""
    members: dict[int, list[int]] = {}
    for gid, pid in library.catalog.conn.execute(
            "SELECT m.group_id, m.photo_id FROM duplicate_members m "
            f"JOIN photos p ON p.id=m.photo_id WHERE p.{LIVE}"):
        members.setdefault(gid, []).append(pid)
    return members


def group_rows(library: Library) -> list[tuple[int, str, int | None, bool]]:
    """(id, tier, keep id, keep chosen) of every stored group."""
    return [(gid, tier, keep, bool(chosen)) for gid, tier, keep, chosen in
            library.catalog.conn.execute(
                "SELECT id, tier, keep_id, keep_chosen FROM duplicate_groups")]


def set_keep(library: Library, group_id: int, photo_id: int) -> None:
    """The user's keep choice for a stored group; it survives regrouping."""
    with library.catalog.write() as conn:
        cur = conn.execute(
            "UPDATE duplicate_groups SET keep_id=?, keep_chosen=1 WHERE id=? AND EXISTS "
            "(SELECT 1 FROM duplicate_members WHERE group_id=? AND photo_id=?)",
            (photo_id, group_id, group_id, photo_id))
        if not cur.rowcount:
            raise ValueError(f"photo {photo_id} is not in duplicate group {group_id}")


# -- incremental changes (the indexing hook) ---------------------------------------------
def forget_members(library: Library, photo_ids: Sequence[int]) -> None:
    """Take photos out of their groups (a changed photo is grouped afresh)."""
    ids = [int(i) for i in photo_ids]
    with library.catalog.write() as w:
        for start in range(0, len(ids), 900):
            chunk = ids[start:start + 900]
            w.execute(f"DELETE FROM duplicate_members WHERE photo_id IN "
                      f"({','.join('?' * len(chunk))})", chunk)


def groups_of(library: Library, photo_ids: Sequence[int]) -> dict[int, int]:
    """Photo id -> group id, for those of ``photo_ids`` that are in a group."""
    out: dict[int, int] = {}
    ids = [int(i) for i in photo_ids]
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        out.update(library.catalog.conn.execute(
            f"SELECT photo_id, group_id FROM duplicate_members WHERE photo_id IN "
            f"({','.join('?' * len(chunk))})", chunk).fetchall())
    return out


def first_members(library: Library, group_id: int, n: int) -> list[int]:
    """The group's ``n`` lowest live member ids: its representatives (``linkage``). The
    primary key (group_id, photo_id) serves this in order, however large the group."""
    return [r[0] for r in library.catalog.conn.execute(
        "SELECT m.photo_id FROM duplicate_members m JOIN photos p ON p.id=m.photo_id "
        f"WHERE m.group_id=? AND p.{LIVE} ORDER BY m.photo_id LIMIT ?", (group_id, n))]


def member_count(library: Library, group_id: int, at_most: int) -> int:
    """Live members of the group, counted up to ``at_most``."""
    return library.catalog.conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM duplicate_members m JOIN photos p "
        f"ON p.id=m.photo_id WHERE m.group_id=? AND p.{LIVE} LIMIT ?)",
        (group_id, at_most)).fetchone()[0]


def group_row(library: Library, group_id: int) -> tuple[str, int | None, bool]:
    """(tier, keep id, keep chosen) of one stored group."""
    tier, keep, chosen = library.catalog.conn.execute(
        "SELECT tier, keep_id, keep_chosen FROM duplicate_groups WHERE id=?",
        (group_id,)).fetchone()
    return tier, keep, bool(chosen)


def add_member(library: Library, group_id: int, photo_id: int, tier: str, keep_id: int,
               keep_chosen: bool) -> None:
    """Put a photo in a group, with the group's tier and keep after it joined."""
    with library.catalog.write() as conn:
        conn.execute("INSERT OR REPLACE INTO duplicate_members(group_id, photo_id) VALUES (?,?)",
                     (group_id, photo_id))
        conn.execute("UPDATE duplicate_groups SET tier=?, keep_id=?, keep_chosen=? WHERE id=?",
                     (tier, keep_id, int(keep_chosen), group_id))


def add_group(library: Library, row: Row) -> int:
    with library.catalog.write() as conn:
        return insert(conn, row)


def same_content(library: Library, content_hash: str | None, photo_id: int,
                 limit: int) -> list[int]:
    """Other live photos with exactly this content, newest first, at most ``limit``."""
    return [r[0] for r in library.catalog.conn.execute(
        f"SELECT id FROM photos WHERE content_hash=? AND id!=? AND {LIVE} "
        "ORDER BY id DESC LIMIT ?", (content_hash, photo_id, limit))]


# -- candidate pairs of the last regroup (the slider's counts) ---------------------------
def fingerprint(library: Library, model_key: str | None) -> list[float]:
    """A few sums over what candidate pairs are found in (live photos: ids, pHashes,
    content, sizes, times; the model's vectors: count, last row): any photo added, gone,
    changed or re-embedded changes them. One scan of the photos table (~50 ms at 100k),
    where reading the photos and vectors themselves takes seconds."""
    conn = library.catalog.conn
    out = list(conn.execute(
        "SELECT count(*), total(id), total(phash % 1000003), total(phash / 1000003 % 1000003), "
        "total(length(content_hash)), total(unicode(substr(content_hash, 1, 1))), "
        f"total(size), total(mtime), count(taken_at) FROM photos WHERE {LIVE}").fetchone())
    if model_key:
        out += conn.execute("SELECT count(*), coalesce(max(rowid), 0) FROM embeddings "
                            "WHERE model=?", (model_key,)).fetchone()
    return [float(v) for v in out]


def edges_state(library: Library, model_key: str | None, gathered: Thresholds) -> str:
    return json.dumps({"model": model_key, "gathered": asdict(gathered),
                       "photos": fingerprint(library, model_key)})


def save_edges(library: Library, state: str, a: np.ndarray, b: np.ndarray) -> None:
    """Remember candidate pairs (photo ids) found in ``state`` (``edges_state``)."""
    pairs = np.stack([np.asarray(a, "<i8"), np.asarray(b, "<i8")], axis=1)
    with library.catalog.write() as conn:
        conn.execute("INSERT OR REPLACE INTO duplicate_edges(id, state, pairs) VALUES (1, ?, ?)",
                     (state, pairs.tobytes()))


def stored_edges(library: Library) -> tuple[dict, np.ndarray, np.ndarray] | None:
    """(state as a dict, photo ids a, photo ids b) of the remembered pairs, if any."""
    row = library.catalog.conn.execute(
        "SELECT state, pairs FROM duplicate_edges WHERE id=1").fetchone()
    if row is None:
        return None
    pairs = np.frombuffer(row[1], "<i8").reshape(-1, 2).astype(np.int64)
    return json.loads(row[0]), pairs[:, 0], pairs[:, 1]
