"""The ``embeddings`` table: one vector per (model, photo); vectors never mix across models.

An index is rebuilt and kept in step from here, so what counts is the vectors of *live*
photos (``records.live_sql``).

Vectors are stored as float16 (``half=1``): half the catalog on disk and half the memory
to rebuild an index, for a change in cosine of about 1e-3 that leaves recall@10 as it was
(``benchmarks/bench_scale.py``). Rows written as float32 (``half=0``, catalogs before the
migration that converts them) are still read.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from photosearch.core.catalog.database import Database
from photosearch.core.catalog.records import chunks, live_sql, marks


def encode_vector(vector: np.ndarray) -> bytes:
    """The stored form of a vector (float16 bytes, ``half=1``)."""
    return np.asarray(vector, dtype=np.float16).tobytes()


def decode_vector(blob: bytes, half: int) -> np.ndarray:
    """A stored vector as float32, whichever width it was stored at."""
    return np.frombuffer(blob, np.float16 if half else np.float32).astype(np.float32)


def as_stored(vectors: np.ndarray) -> np.ndarray:
    """``vectors`` as they will read back from the catalog (float16-rounded, float32): what
    an index holds, so that an index built now equals one rebuilt later."""
    return np.asarray(vectors, np.float16).astype(np.float32)


@dataclass(frozen=True)
class VectorChanges:
    """What the vector log says changed for one model after some seq, one row per photo
    (the catalog's state now decides, so the order and repeats of entries cannot
    mislead): ``present``, the photo is live with a vector; ``replaced``, its vector may
    differ from one an index took earlier (removed, updated or a new photo under a reused
    id); ``seq``, the last entry read."""

    ids: np.ndarray        # int64
    present: np.ndarray    # bool
    replaced: np.ndarray   # bool
    seq: int


class EmbeddingTable(Database):
    def vectors(self, model: str, ids: Sequence[int] | None = None,
                ) -> tuple[np.ndarray, np.ndarray]:
        """Stored vectors of live photos (ids int64, vectors float32): what an index is
        rebuilt from."""
        sql = (
            "SELECT e.photo_id, e.vector, e.half FROM embeddings e "
            f"JOIN photos p ON p.id=e.photo_id WHERE e.model=? AND {live_sql('p')}"
        )
        rows: list[tuple[int, bytes, int]] = []
        if ids is None:
            rows = self.conn.execute(sql, (model,)).fetchall()
        else:
            for chunk in chunks(ids):
                rows += self.conn.execute(f"{sql} AND e.photo_id IN ({marks(len(chunk))})",
                                          (model, *chunk))
        return _unpack(rows)

    def vector_batches(self, model: str, size: int = 50_000,
                       ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """``vectors`` of all live photos, ``size`` at a time in id order: an index is
        built from these without holding every vector twice (1M photos: 2 GB of float32
        and the rows they came from, on top of the index itself)."""
        sql = (
            "SELECT e.photo_id, e.vector, e.half FROM embeddings e "
            f"JOIN photos p ON p.id=e.photo_id WHERE e.model=? AND {live_sql('p')} "
            "AND e.photo_id>? ORDER BY e.photo_id LIMIT ?"
        )
        last = -1
        while True:
            rows = self.conn.execute(sql, (model, last, size)).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield _unpack(rows)

    def vector_ids(self, model: str) -> list[int]:
        """Live photos that have a vector for ``model``, by id."""
        return self.vector_id_array(model).tolist()

    def vector_id_array(self, model: str) -> np.ndarray:
        """``vector_ids`` as sorted int64, read as one text from SQLite rather than a
        Python row per photo: what opening an index checks, 1M ids in a fraction of a
        second."""
        text = self.conn.execute(
            "SELECT group_concat(photo_id) FROM (SELECT e.photo_id FROM embeddings e "
            f"JOIN photos p ON p.id=e.photo_id WHERE e.model=? AND {live_sql('p')} "
            "ORDER BY e.photo_id)", (model,)).fetchone()[0]
        if not text:
            return np.zeros(0, np.int64)
        return np.array(text.split(","), dtype=np.int64)

    # -- the vector log (schema: ``vector_log``, kept by triggers) ------------------------
    def vector_log_end(self) -> int:
        """The last seq the vector log has given (0: none yet); an index built or compared
        in full after reading it includes every change up to it."""
        row = self.conn.execute(
            "SELECT seq FROM sqlite_sequence WHERE name='vector_log'").fetchone()
        return int(row[0]) if row else 0

    def vector_changes(self, model: str, after: int) -> VectorChanges | None:
        """The photos whose ``model`` vector changed after log entry ``after``; None when
        the log cannot tell (pruned past ``after``, or ``after`` is ahead of this log,
        which another catalog wrote), and the caller compares in full."""
        pruned = self.conn.execute("SELECT seq FROM vector_log_pruned WHERE model=?",
                                   (model,)).fetchone()
        if after < (pruned[0] if pruned else 0) or after > self.vector_log_end():
            return None
        # one statement: the entries and the state they are checked against are one snapshot
        rows = self.conn.execute(
            "SELECT l.photo_id, max(l.seq), max(l.op!='add'), EXISTS (SELECT 1 FROM "
            "embeddings e JOIN photos p ON p.id=e.photo_id WHERE e.model=?1 AND "
            f"e.photo_id=l.photo_id AND {live_sql('p')}) FROM vector_log l "
            "WHERE l.seq>?2 AND l.model=?1 GROUP BY l.photo_id", (model, after)).fetchall()
        if not rows:
            return VectorChanges(np.zeros(0, np.int64), np.zeros(0, bool),
                                 np.zeros(0, bool), after)
        table = np.array(rows, np.int64)
        return VectorChanges(table[:, 0], table[:, 3].astype(bool),
                             table[:, 2].astype(bool), int(table[:, 1].max()))

    def prune_vector_log(self, model: str, seq: int) -> None:
        """Forget ``model``'s log entries up to ``seq``, which its saved index includes
        (nothing is written when there are none: a reader may call this)."""
        if self.conn.execute("SELECT 1 FROM vector_log WHERE seq<=? AND model=? LIMIT 1",
                             (seq, model)).fetchone() is None:
            return
        with self.write() as conn:
            conn.execute("DELETE FROM vector_log WHERE seq<=? AND model=?", (seq, model))
            conn.execute("INSERT INTO vector_log_pruned(model, seq) VALUES (?, ?) "
                         "ON CONFLICT(model) DO UPDATE SET seq=max(seq, excluded.seq)",
                         (model, seq))

    def has_vectors(self, model: str) -> bool:
        return self.conn.execute("SELECT 1 FROM embeddings WHERE model=? LIMIT 1",
                                 (model,)).fetchone() is not None

    def vector_dim(self, model: str) -> int | None:
        """The model's vector size, from any stored vector (None when there is none)."""
        row = self.conn.execute(
            "SELECT length(vector), half FROM embeddings WHERE model=? LIMIT 1",
            (model,)).fetchone()
        return row[0] // (2 if row[1] else 4) if row else None

    def vector_of_copy(self, model: str, content_hash: str, photo_id: int,
                       ) -> np.ndarray | None:
        """The stored vector of another photo with the same content (an exact copy)."""
        row = self.conn.execute(
            "SELECT e.vector, e.half FROM embeddings e JOIN photos q ON q.id=e.photo_id "
            "WHERE e.model=? AND q.content_hash=? AND q.id!=? LIMIT 1",
            (model, content_hash, photo_id)).fetchone()
        return decode_vector(*row) if row else None

    def store_vector(self, model: str, photo_id: int, vector: np.ndarray) -> None:
        with self.write() as conn:
            # an upsert, not REPLACE: the counts' triggers see inserts and deletes only
            conn.execute("INSERT INTO embeddings(model, photo_id, vector, half) "
                         "VALUES (?, ?, ?, 1) ON CONFLICT(model, photo_id) DO UPDATE SET "
                         "vector=excluded.vector, half=1", (model, photo_id, encode_vector(vector)))


def _unpack(rows: list[tuple[int, bytes, int]]) -> tuple[np.ndarray, np.ndarray]:
    """(ids, float32 vectors) of ``(photo_id, vector, half)`` rows."""
    if not rows:
        return np.zeros(0, np.int64), np.zeros((0, 0), np.float32)
    id_arr = np.fromiter((r[0] for r in rows), np.int64, len(rows))
    if all(r[2] for r in rows):  # one buffer, one conversion: 1M rows in a second
        half = np.frombuffer(b"".join(r[1] for r in rows), np.float16)
        return id_arr, half.reshape(len(rows), -1).astype(np.float32)
    return id_arr, np.stack([decode_vector(r[1], r[2]) for r in rows])
