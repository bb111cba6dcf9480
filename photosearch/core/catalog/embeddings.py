"""The ``embeddings`` table: one vector per (model, photo); vectors never mix across models.

An index is rebuilt and kept in step from here, so what counts is the vectors of *live*
photos (``records.live_sql``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from photosearch.core.catalog.database import Database
from photosearch.core.catalog.records import chunks, live_sql, marks


class EmbeddingTable(Database):
    def vectors(self, model: str, ids: Sequence[int] | None = None,
                ) -> tuple[np.ndarray, np.ndarray]:
        """Stored vectors of live photos (ids int64, vectors float32): what an index is
        rebuilt from."""
        sql = (
            "SELECT e.photo_id, e.vector FROM embeddings e JOIN photos p ON p.id=e.photo_id "
            f"WHERE e.model=? AND {live_sql('p')}"
        )
        rows: list[tuple[int, bytes]] = []
        if ids is None:
            rows = self.conn.execute(sql, (model,)).fetchall()
        else:
            for chunk in chunks(ids):
                rows += self.conn.execute(f"{sql} AND e.photo_id IN ({marks(len(chunk))})",
                                          (model, *chunk))
        if not rows:
            return np.zeros(0, np.int64), np.zeros((0, 0), np.float32)
        id_arr = np.fromiter((r[0] for r in rows), np.int64, len(rows))
        vecs = np.stack([np.frombuffer(r[1], np.float32) for r in rows])
        return id_arr, vecs

    def vector_ids(self, model: str) -> list[int]:
        """Live photos that have a vector for ``model``, by id."""
        return [r[0] for r in self.conn.execute(
            "SELECT e.photo_id FROM embeddings e JOIN photos p ON p.id=e.photo_id "
            f"WHERE e.model=? AND {live_sql('p')} ORDER BY e.photo_id", (model,))]

    def has_vectors(self, model: str) -> bool:
        return self.conn.execute("SELECT 1 FROM embeddings WHERE model=? LIMIT 1",
                                 (model,)).fetchone() is not None

    def vector_dim(self, model: str) -> int | None:
        """The model's vector size, from any stored vector (None when there is none)."""
        row = self.conn.execute("SELECT length(vector) FROM embeddings WHERE model=? LIMIT 1",
                                (model,)).fetchone()
        return row[0] // 4 if row else None

    def vector_of_copy(self, model: str, content_hash: str, photo_id: int) -> bytes | None:
        """The stored vector of another photo with the same content (an exact copy)."""
        row = self.conn.execute(
            "SELECT e.vector FROM embeddings e JOIN photos q ON q.id=e.photo_id "
            "WHERE e.model=? AND q.content_hash=? AND q.id!=? LIMIT 1",
            (model, content_hash, photo_id)).fetchone()
        return row[0] if row else None

    def store_vector(self, model: str, photo_id: int, vector: bytes) -> None:
        with self.write() as conn:
            conn.execute("INSERT OR REPLACE INTO embeddings(model, photo_id, vector) "
                         "VALUES (?, ?, ?)", (model, photo_id, vector))
