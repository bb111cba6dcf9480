"""The catalog's schema: an ordered list of migrations, one SQL script per version.

``PRAGMA user_version`` holds how many have run; a library written by an older version
gains the later steps when it opens, one written by a newer one is refused. Append new
steps at the end (never edit a released one): another branch may have appended too, so
renumber at rebase.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence

import numpy as np

# Ordered schema migrations: MIGRATIONS[n] takes a database from version n to n+1.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE folders(
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        added_at REAL NOT NULL,
        last_scan REAL,
        online INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE photos(
        id INTEGER PRIMARY KEY,
        folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
        path TEXT NOT NULL UNIQUE,
        size INTEGER NOT NULL,
        mtime REAL NOT NULL,
        content_hash TEXT,
        width INTEGER,
        height INTEGER,
        taken_at TEXT,
        phash INTEGER,
        status TEXT NOT NULL DEFAULT 'pending',
        error TEXT,
        seen INTEGER NOT NULL DEFAULT 1,
        missing_since REAL,
        added_at REAL NOT NULL
    );
    CREATE INDEX photos_folder ON photos(folder_id);
    CREATE INDEX photos_hash ON photos(content_hash);
    CREATE INDEX photos_size ON photos(size);
    CREATE INDEX photos_status ON photos(status);
    CREATE TABLE embeddings(
        model TEXT NOT NULL,
        photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        vector BLOB NOT NULL,
        PRIMARY KEY(model, photo_id)
    ) WITHOUT ROWID;
    CREATE INDEX embeddings_photo ON embeddings(photo_id);
    CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
    """,
    # Keyword tags (core/tagging/store.py): automatic rows are replaced by re-tagging;
    # manual ones (added by the user) and removed ones (a "no" from the user) stay.
    """
    CREATE TABLE photo_tags(
        photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        tag TEXT NOT NULL,
        score REAL,
        manual INTEGER NOT NULL DEFAULT 0,
        removed INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY(photo_id, tag)
    ) WITHOUT ROWID;
    CREATE INDEX photo_tags_tag ON photo_tags(tag, removed);
    """,
    # Duplicate groups (core/duplicates/store.py): each photo in at most one group; the user's
    # keep choice survives regrouping; trash_log says what was moved to the trash, when.
    """
    CREATE TABLE duplicate_groups(
        id INTEGER PRIMARY KEY,
        tier TEXT NOT NULL,
        keep_id INTEGER REFERENCES photos(id) ON DELETE SET NULL,
        keep_chosen INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE duplicate_members(
        group_id INTEGER NOT NULL REFERENCES duplicate_groups(id) ON DELETE CASCADE,
        photo_id INTEGER NOT NULL UNIQUE REFERENCES photos(id) ON DELETE CASCADE,
        PRIMARY KEY(group_id, photo_id)
    );
    CREATE TABLE trash_log(
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL,
        content_hash TEXT,
        size INTEGER,
        trashed_at REAL NOT NULL,
        location TEXT
    );
    """,
    # The file behind a photo's path (st_dev, st_ino): a second path to the same file (a
    # symlink, a bind mount, a hard link) is an alias, never a second photo (scanning.py).
    """
    ALTER TABLE photos ADD COLUMN dev INTEGER;
    ALTER TABLE photos ADD COLUMN ino INTEGER;
    CREATE INDEX photos_file ON photos(ino, dev);
    """,
    # Vectors stored as float16 (catalog/embeddings.py): half the size on disk and in
    # memory at rebuild; ``half`` says which width a row has, existing rows are converted.
    # And a rowid table: in a WITHOUT ROWID one a row of 1 kB spills to an overflow page
    # of its own (4 kB per vector).
    """
    CREATE TABLE embeddings_new(
        model TEXT NOT NULL,
        photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        vector BLOB NOT NULL,
        half INTEGER NOT NULL DEFAULT 0,
        UNIQUE(model, photo_id)
    );
    INSERT INTO embeddings_new(model, photo_id, vector, half)
        SELECT model, photo_id, photosearch_half(vector), 1 FROM embeddings;
    DROP TABLE embeddings;
    ALTER TABLE embeddings_new RENAME TO embeddings;
    CREATE INDEX embeddings_photo ON embeddings(photo_id);
    """,
    # Counts kept by triggers (catalog/photos.py ``counts``): ``status`` and the folder
    # list answer at once at 1M photos instead of scanning them. ``tallies`` holds, per
    # folder and status, the photos (model '') and the photos with a vector of each model.
    # A photo's vectors go before it does, so that their tallies still find its folder;
    # a vector is written by upsert (a REPLACE would not fire the delete trigger).
    """
    CREATE TABLE tallies(
        folder_id INTEGER NOT NULL,
        status TEXT NOT NULL,
        model TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY(folder_id, status, model)
    ) WITHOUT ROWID;
    INSERT INTO tallies SELECT folder_id, status, '', count(*) FROM photos GROUP BY 1, 2;
    INSERT INTO tallies SELECT p.folder_id, p.status, e.model, count(*)
        FROM embeddings e JOIN photos p ON p.id=e.photo_id GROUP BY 1, 2, 3;
    CREATE INDEX photos_error ON photos(folder_id) WHERE error IS NOT NULL;
    CREATE TRIGGER tally_photo_in AFTER INSERT ON photos BEGIN
        INSERT INTO tallies VALUES (new.folder_id, new.status, '', 1)
            ON CONFLICT(folder_id, status, model) DO UPDATE SET n=n+1;
    END;
    CREATE TRIGGER tally_photo_out BEFORE DELETE ON photos BEGIN
        DELETE FROM embeddings WHERE photo_id=old.id;
        UPDATE tallies SET n=n-1
            WHERE folder_id=old.folder_id AND status=old.status AND model='';
    END;
    CREATE TRIGGER tally_photo_move AFTER UPDATE OF folder_id, status ON photos
        WHEN old.folder_id IS NOT new.folder_id OR old.status IS NOT new.status BEGIN
        UPDATE tallies SET n=n-1 WHERE folder_id=old.folder_id AND status=old.status
            AND model IN (SELECT '' UNION ALL SELECT model FROM embeddings
                          WHERE photo_id=new.id);
        INSERT INTO tallies SELECT new.folder_id, new.status, '', 1 WHERE true
            UNION ALL SELECT new.folder_id, new.status, model, 1 FROM embeddings
                      WHERE photo_id=new.id
            ON CONFLICT(folder_id, status, model) DO UPDATE SET n=n+1;
    END;
    CREATE TRIGGER tally_vector_in AFTER INSERT ON embeddings BEGIN
        INSERT INTO tallies SELECT folder_id, status, new.model, 1 FROM photos
            WHERE id=new.photo_id
            ON CONFLICT(folder_id, status, model) DO UPDATE SET n=n+1;
    END;
    CREATE TRIGGER tally_vector_out AFTER DELETE ON embeddings BEGIN
        UPDATE tallies SET n=n-1 WHERE model=old.model AND (folder_id, status) =
            (SELECT folder_id, status FROM photos WHERE id=old.photo_id);
    END;
    """,
    # People (core/faces/store.py): faces found in photos (box in the upright photo's
    # pixels, dlib's 128-d vector as float32), the persons they are grouped into (a name,
    # hidden or not), and which photos were looked at for faces, with the content then
    # (a changed photo is looked at again). ``manual``: the user placed the face; grouping
    # never moves it.
    """
    CREATE TABLE persons(
        id INTEGER PRIMARY KEY,
        name TEXT,
        hidden INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE faces(
        id INTEGER PRIMARY KEY,
        photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        box_l INTEGER NOT NULL,
        box_t INTEGER NOT NULL,
        box_r INTEGER NOT NULL,
        box_b INTEGER NOT NULL,
        vector BLOB NOT NULL,
        person_id INTEGER REFERENCES persons(id) ON DELETE SET NULL,
        manual INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX faces_photo ON faces(photo_id);
    CREATE INDEX faces_person ON faces(person_id);
    CREATE TABLE face_scans(
        photo_id INTEGER PRIMARY KEY REFERENCES photos(id) ON DELETE CASCADE,
        content_hash TEXT
    );
    """,
    # The candidate pairs of the last full duplicate regroup (core/duplicates/store.py
    # ``save_edges``): the slider's counts relink them instead of finding them again (a
    # k-NN pass over the whole library). One row; ``state`` says what they were found in.
    """
    CREATE TABLE duplicate_edges(
        id INTEGER PRIMARY KEY CHECK (id = 1),
        state TEXT NOT NULL,
        pairs BLOB NOT NULL
    );
    """,
    # Learned tags (core/teaching/store.py): a tag taught from examples keeps them and the
    # model it was learned with; its photos are ``photo_tags`` rows with ``learned=1``,
    # which re-tagging leaves alone. Themes (core/teaching/themes.py): k-means centres
    # per model and each photo's theme.
    """
    ALTER TABLE photo_tags ADD COLUMN learned INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE learned_tags(
        tag TEXT PRIMARY KEY,
        model TEXT NOT NULL,
        method TEXT NOT NULL,
        state BLOB NOT NULL,
        threshold REAL NOT NULL,
        updated REAL NOT NULL
    );
    CREATE TABLE learned_examples(
        tag TEXT NOT NULL REFERENCES learned_tags(tag) ON DELETE CASCADE,
        photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        positive INTEGER NOT NULL,
        PRIMARY KEY(tag, photo_id)
    ) WITHOUT ROWID;
    CREATE INDEX learned_examples_photo ON learned_examples(photo_id);
    CREATE TABLE themes(
        id INTEGER PRIMARY KEY,
        model TEXT NOT NULL,
        centre BLOB NOT NULL,
        size INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE theme_members(
        photo_id INTEGER PRIMARY KEY REFERENCES photos(id) ON DELETE CASCADE,
        theme_id INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
        distance REAL NOT NULL
    );
    CREATE INDEX theme_members_theme ON theme_members(theme_id);
    """,
    # The vector log (catalog/embeddings.py ``vector_changes``): every change to the
    # vectors an index holds, written by triggers whoever writes, so that an index opens
    # by applying what changed since its save instead of comparing every id. ``op``: add
    # (a new vector or a photo live again), update (a vector replaced), remove (a vector
    # gone or its photo no longer live; "live" is ``records.live_sql`` as of this step).
    # AUTOINCREMENT: a seq is never used twice, even after pruning. ``vector_log_pruned``:
    # per model, the last seq pruned; an index saved before it must compare in full.
    """
    CREATE TABLE vector_log(
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        model TEXT NOT NULL,
        photo_id INTEGER NOT NULL,
        op TEXT NOT NULL
    );
    CREATE TABLE vector_log_pruned(
        model TEXT PRIMARY KEY,
        seq INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TRIGGER vector_log_in AFTER INSERT ON embeddings BEGIN
        INSERT INTO vector_log(model, photo_id, op) VALUES (new.model, new.photo_id, 'add');
    END;
    CREATE TRIGGER vector_log_update AFTER UPDATE ON embeddings BEGIN
        INSERT INTO vector_log(model, photo_id, op) SELECT old.model, old.photo_id, 'remove'
            WHERE old.model IS NOT new.model OR old.photo_id IS NOT new.photo_id;
        INSERT INTO vector_log(model, photo_id, op)
            VALUES (new.model, new.photo_id, 'update');
    END;
    CREATE TRIGGER vector_log_out AFTER DELETE ON embeddings BEGIN
        INSERT INTO vector_log(model, photo_id, op) VALUES (old.model, old.photo_id, 'remove');
    END;
    CREATE TRIGGER vector_log_live AFTER UPDATE OF status ON photos
        WHEN (old.status IN ('pending', 'ok')) IS NOT (new.status IN ('pending', 'ok')) BEGIN
        INSERT INTO vector_log(model, photo_id, op)
            SELECT model, new.id, CASE WHEN new.status IN ('pending', 'ok')
                                  THEN 'add' ELSE 'remove' END
            FROM embeddings WHERE photo_id=new.id;
    END;
    """,
]


def tables_at(migrations: Sequence[str], version: int) -> set[str]:
    """The tables a catalog at ``version`` has (replaying CREATE, DROP and RENAME)."""
    tables: set[str] = set()
    for script in migrations[:version]:
        for statement in statements(script):
            if m := re.match(r"CREATE TABLE (\w+)", statement):
                tables.add(m[1])
            elif m := re.match(r"DROP TABLE (\w+)", statement):
                tables.discard(m[1])
            elif m := re.match(r"ALTER TABLE (\w+) RENAME TO (\w+)", statement):
                tables.discard(m[1])
                tables.add(m[2])
    return tables


def add_functions(conn: sqlite3.Connection) -> None:
    """The SQL functions migrations call (registered on the migrating connection)."""
    conn.create_function("photosearch_half", 1, _half, deterministic=True)


def _half(blob: bytes) -> bytes:
    return np.frombuffer(blob, np.float32).astype(np.float16).tobytes()


def schema_version() -> int:
    return len(MIGRATIONS)


def statements(script: str) -> list[str]:
    """The statements of one migration step (a trigger's body holds semicolons: pieces
    join until SQLite calls the statement complete)."""
    out: list[str] = []
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                out.append(pending.strip().rstrip(";"))
            pending = ""
    return out
