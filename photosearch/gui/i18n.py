"""The interface's language: Qt translators for "auto" (the system locale), "en" or "ru".

Every string the user reads goes through ``tr()`` / ``QCoreApplication.translate``; the
sources are ``resources/i18n/photosearch_<lang>.ts`` (English has one too: it holds the
plural forms, "1 photo" / "5 photos"). The compiled ``.qm`` files are not committed:
``packaging/setup-env.sh`` builds them next to the sources, and where they are missing
or older than their source (a fresh checkout run without the set-up) they are built
into the user cache on first use with ``pyside6-lrelease``, which comes with PySide6.
Qt's own strings (dialog buttons) come from Qt's ``qtbase_<lang>.qm``.

The setting is ``Settings.ui_language`` (None or "auto": follow the system locale);
tag labels follow the same setting (``core.tagging.vocab.label_language``).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from photosearch.core import paths

log = logging.getLogger(__name__)

LANGUAGES = ("en", "ru")
NAMES = {"en": "English", "ru": "Русский"}   # each in its own language, for the chooser
_installed: list[QTranslator] = []


def resolve(language: str | None) -> str:
    """The language to show: the setting's, else the system locale's if we have it, else
    English."""
    if language and language != "auto":
        code = language.split("_")[0].split("-")[0].lower()
    else:
        code = QLocale.system().name().split("_")[0].lower()
    return code if code in LANGUAGES else "en"


def install(language: str | None) -> str:
    """Install the translators for ``language`` (replacing earlier ones) and make it the
    default locale (month names, number formats); returns the language used. Widgets
    made afterwards speak it."""
    app = QCoreApplication.instance()
    code = resolve(language)
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    QLocale.setDefault(QLocale(code))
    ours = QTranslator(app)
    qm = compiled(code)
    if qm is not None and ours.load(str(qm)):
        app.installTranslator(ours)
        _installed.append(ours)
    else:
        log.warning("no translations for %s", code)
    qt = QTranslator(app)
    if qt.load(QLocale(code), "qtbase", "_",
               QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    return code


def source(code: str) -> Path:
    return paths.resources_dir() / "i18n" / f"photosearch_{code}.ts"


def compiled(code: str) -> Path | None:
    """The ``.qm`` for ``code``: next to the source when the set-up built it, else built
    now into the user cache. None when neither works (the interface stays English)."""
    ts = source(code)
    if not ts.is_file():
        return None
    beside = ts.with_suffix(".qm")
    if _fresh(beside, ts):
        return beside
    cached = paths.cache_dir() / "i18n" / beside.name
    if _fresh(cached, ts):
        return cached
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([_lrelease(), "-silent", str(ts), "-qm", str(cached)], check=True,
                       capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as e:
        log.warning("cannot build %s: %s", cached, e)
        return None
    return cached if cached.is_file() else None


def _fresh(qm: Path, ts: Path) -> bool:
    return qm.is_file() and qm.stat().st_mtime >= ts.stat().st_mtime


def _lrelease() -> str:
    beside = Path(sys.executable).parent / "pyside6-lrelease"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("pyside6-lrelease") or "pyside6-lrelease"
