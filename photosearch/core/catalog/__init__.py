"""The catalog: one SQLite database that remembers folders, photos and their vectors.

It owns the SQL of its tables: other modules call its methods, not ``conn.execute``, for
``folders``, ``photos`` and ``embeddings`` (feature tables such as tags and duplicates
keep their own store modules, using ``records`` for statuses, "live" and paths).

- ``schema``: the migrations;          - ``database``: connections, ``write()``, meta;
- ``health``: the file check at open, creating a catalog whole, SQLite errors typed;
- ``records``: Photo, Folder, PhotoStatus, the "live" rule, how paths are stored;
- ``folders``, ``photos`` (reading), ``changes`` (writing photos), ``embeddings``.
"""

from __future__ import annotations

from pathlib import Path

from photosearch.core.catalog.changes import PhotoChanges
from photosearch.core.catalog.embeddings import EmbeddingTable
from photosearch.core.catalog.folders import FolderTable
from photosearch.core.catalog.photos import PhotoTable
from photosearch.core.catalog.records import (
    LIVE_STATUSES,
    PHOTO_COLUMNS,
    Counts,
    Folder,
    Photo,
    PhotoStatus,
    live_sql,
)
from photosearch.core.catalog.schema import MIGRATIONS, schema_version

__all__ = ["Catalog", "Counts", "Folder", "LIVE_STATUSES", "MIGRATIONS", "PHOTO_COLUMNS",
           "Photo", "PhotoStatus", "live_sql", "schema_version"]


class Catalog(FolderTable, PhotoTable, PhotoChanges, EmbeddingTable):
    """Thread-safe access to one catalog database; open with ``Catalog(path)``. A damaged
    file raises ``CatalogDamaged``; ``read_only`` opens it for reading only."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        super().__init__(path, read_only=read_only)
