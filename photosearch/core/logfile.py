"""The log file: where a client sends the details it keeps out of the user's way.

The GUI shows one readable line for an error and writes the traceback here; the file
rotates so that a library indexed for months never grows an unbounded log. Qt-free, so
any client (and the tests) can set it up the same way.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_FILE = "photosearch.log"
_FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"


def setup_logging(folder: Path, *, level: int = logging.INFO, max_bytes: int = 2 << 20,
                  backups: int = 3) -> Path:
    """Send the ``photosearch`` loggers to a rotating file in ``folder``; returns its path.

    Calling it again for the same file does nothing, so tests may open many windows."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE
    logger = logging.getLogger("photosearch")
    for handler in logger.handlers:
        if isinstance(handler, logging.FileHandler) and Path(handler.baseFilename) == path:
            return path
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8", delay=True,
        errors="backslashreplace")  # a file name that is not UTF-8 must not lose the line
    handler.setFormatter(logging.Formatter(_FORMAT))
    logger.addHandler(handler)
    logger.setLevel(level)
    return path


def close_logging() -> None:
    """Detach and close the file handlers (a test library's folder can then go away)."""
    logger = logging.getLogger("photosearch")
    for handler in list(logger.handlers):
        if isinstance(handler, logging.FileHandler):
            logger.removeHandler(handler)
            handler.close()
