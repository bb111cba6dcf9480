"""The catalog's schema: an ordered list of migrations, one SQL script per version.

``PRAGMA user_version`` holds how many have run; a library written by an older version
gains the later steps when it opens, one written by a newer one is refused. Append new
steps at the end (never edit a released one): another branch may have appended too, so
renumber at rebase.
"""

from __future__ import annotations

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
]


def schema_version() -> int:
    return len(MIGRATIONS)


def statements(script: str) -> list[str]:
    """The statements of one migration step (they hold no semicolons inside)."""
    return [s.strip() for s in script.split(";") if s.strip()]
