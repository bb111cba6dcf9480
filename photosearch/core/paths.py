"""Where photosearch keeps its files: the one module that asks platformdirs.

Everything a library owns (catalog, vector indexes, thumbnails, settings) lives in one
library directory, so a library can be moved, backed up or pointed at with
``--library DIR`` / ``PHOTOSEARCH_LIBRARY``. Logs go to the platform's log directory,
except for an overridden (portable or test) library, which keeps them inside itself.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "photosearch"
LIBRARY_ENV = "PHOTOSEARCH_LIBRARY"


def default_library_dir() -> Path:
    """The library used when nothing overrides it."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def library_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Resolve the library directory: explicit override, then the environment, then default."""
    if override:
        return Path(override).expanduser().resolve()
    env = os.environ.get(LIBRARY_ENV)
    if env:
        return Path(env).expanduser().resolve()
    return default_library_dir()


def is_overridden(override: str | os.PathLike[str] | None = None) -> bool:
    return bool(override or os.environ.get(LIBRARY_ENV))


def log_dir(library: Path, override: str | os.PathLike[str] | None = None) -> Path:
    """Log files of a library: the platform's log directory, or inside an overridden library."""
    if is_overridden(override):
        return library / "logs"
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """Files any library may share and anyone may delete (recomputed when gone), such as
    the tag vocabulary's text vectors per model."""
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def resources_dir() -> Path:
    """Shipped data (tag vocabulary, icons): beside the package in a checkout or install."""
    env = os.environ.get("PHOTOSEARCH_RESOURCES")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "resources"


def file_name_for(key: str) -> str:
    """A model key (``ViT-B-32@laion2b…``, ``tiny@3f2a…``) as a safe file or folder name."""
    return "".join(c if c.isalnum() or c in "-_.@" else "_" for c in key)


class LibraryLayout:
    """Names of the files inside one library directory."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def catalog(self) -> Path:
        return self.root / "catalog.sqlite3"

    @property
    def settings(self) -> Path:
        return self.root / "settings.json"

    @property
    def indexes(self) -> Path:
        return self.root / "indexes"

    @property
    def thumbnails(self) -> Path:
        return self.root / "thumbnails"

    @property
    def text_cache(self) -> Path:
        """Where older versions kept tag text vectors (now in ``cache_dir``, shared)."""
        return self.root / "text-cache"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def writer_lock(self) -> Path:
        return self.root / "writer.lock"

    def index_dir(self, model_key: str) -> Path:
        return self.indexes / file_name_for(model_key)
