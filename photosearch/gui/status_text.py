"""The GUI's words for what the core reports: progress, errors and model presets.

The core is Qt-free and has no translations: its messages and preset labels are English
(the CLI prints them as they are). The GUI says the same in the interface's language from
the structured parts (a progress phase, an error's class and fields, a preset's name),
here in one place; whatever is not in these tables keeps the core's words.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale

from photosearch.core import errors
from photosearch.core.presets import Preset
from photosearch.core.progress import Progress

translate = QCoreApplication.translate   # lupdate finds translate("Context", …)


# Phases said as "<what> {done} / {total}" (with a total; without one, the fallback line).
COUNTED = {
    "indexing": QT_TRANSLATE_NOOP("status", "Indexing {done} / {total}"),
    "faces": QT_TRANSLATE_NOOP("status", "Looking for faces {done} / {total}"),
    "tagging": QT_TRANSLATE_NOOP("status", "Re-tagging {done} / {total}"),
    "embedding tag words": QT_TRANSLATE_NOOP("status", "Preparing tag words {done} / {total}"),
    "preparing quick text search": QT_TRANSLATE_NOOP(
        "status", "Preparing quick text search {done} / {total}"),
}
# Phases said with the model's name.
NAMED = {
    "loading model": QT_TRANSLATE_NOOP("status", "Loading model {name}"),
    "downloading model": QT_TRANSLATE_NOOP("status", "Downloading model {name}"),
}
# The rate of phases that report one, in what they count.
RATES = {
    "indexing": QT_TRANSLATE_NOOP("status", "{rate} photos/s"),
    "faces": QT_TRANSLATE_NOOP("status", "{rate} photos/s"),
    "embedding tag words": QT_TRANSLATE_NOOP("status", "{rate} words/s"),
}


def describe(p: Progress) -> str:
    """One status-bar line for a core progress report: the stage, its count, and its rate
    and time left where the core knows them."""
    if p.phase in NAMED:
        return translate("status", NAMED[p.phase]).format(name=p.message).strip()
    if p.phase in COUNTED and p.total:
        text = translate("status", COUNTED[p.phase]).format(
            done=f"{p.done:,}", total=f"{p.total:,}")
        if p.rate and p.phase in RATES:
            text += " · " + translate("status", RATES[p.phase]).format(rate=f"{p.rate:.1f}")
        if p.eta is not None:
            text += " · " + translate("status", "{time} left").format(time=_duration(p.eta))
        return text
    if p.phase == "scanning":
        return translate("status", "Scanning {folder}… %Ln photos found", None, p.done).format(
            folder=display_name(p.message) if p.message else "")
    return f"{p.phase.capitalize()} {p.done:,}" + (f" / {p.total:,}" if p.total else "")


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return translate("status", "{s} s").format(s=seconds)
    if seconds < 3600:
        return translate("status", "{m} min {s} s").format(m=seconds // 60, s=f"{seconds % 60:02d}")
    return translate("status", "{h} h {m} min").format(h=seconds // 3600,
                                                       m=f"{seconds % 3600 // 60:02d}")


def display_name(path: str) -> str:
    """A folder or file as the user calls it: its last path component."""
    return os.path.basename(str(path).rstrip(os.sep)) or str(path)


def error_text(error: BaseException) -> str:
    """A core error in the interface's language, from its class (the nearest one in
    ``_ERRORS``) and fields; an error not in the table keeps the core's words. Details
    the core only has as English text (a decoder's reason, why weights do not fit) are
    quoted as they are."""
    for kind in type(error).__mro__:
        say = _ERRORS.get(kind)
        if say is not None:
            return say(error)
    return str(error)


def _detail(error: BaseException) -> str:
    return str(error)


_ERRORS: dict[type, Callable[[Any], str]] = {
    errors.DiskFull: lambda e: translate(
        "errors", "No space left on the library's disk ({path}); free some space and run "
        "again.").format(path=e.path),
    errors.CatalogTooNew: lambda e: translate(
        "errors", "The library at {library} was written by a newer photosearch; update "
        "photosearch to open it.").format(library=e.path.parent),
    errors.CatalogDamaged: lambda e: translate(
        "errors", "The library's catalog {path} is damaged ({reason}).").format(
        path=e.path, reason=e.reason),
    errors.LibraryReadOnly: lambda e: translate(
        "errors", "The library at {library} is read-only here: searching works; indexing "
        "and changes do not.").format(library=e.root),
    errors.LibraryLocked: lambda e: translate(
        "errors", "Another photosearch process is indexing this library; try again when it "
        "has finished."),
    errors.FolderOverlap: lambda e: translate(
        "errors", "This folder holds a library folder through another path (a bind mount "
        "or a link): {detail}").format(detail=_detail(e)),
    errors.FileUnavailable: lambda e: translate(
        "errors", "{file} cannot be read now: {reason}").format(
        file=display_name(e.path), reason=e.reason),
    errors.UnreadableImage: lambda e: translate(
        "errors", "{file} is not a readable image: {reason}").format(
        file=display_name(e.path), reason=e.reason),
    errors.ModelUnavailable: lambda e: translate(
        "errors", "The model cannot be used: {detail}").format(detail=_detail(e)),
    errors.NotInLibrary: lambda e: translate(
        "errors", "Not in the library: {detail}").format(detail=_detail(e)),
    errors.UsageError: lambda e: translate(
        "errors", "This search cannot be run: {detail}").format(detail=_detail(e)),
}


def preset_label(preset: Preset) -> str:
    """A model preset as menus and Preferences show it: its title, languages, download
    size and cost, in the interface's language (``Preset.label`` is the CLI's English)."""
    titles = {
        "default": translate("Presets", "SigLIP 2 ViT-B/32, fast"),
        "quality": translate("Presets", "SigLIP 2 ViT-B/16, more accurate"),
        "english-classic": translate("Presets", "CLIP ViT-B/32 (LAION-2B)"),
        "multilingual": translate("Presets", "XLM-RoBERTa + ViT-B/32 (older multilingual)"),
    }
    languages = (translate("Presets", "English only") if preset.languages == ("en",)
                 else translate("Presets", "Russian, English and many more"))
    locale = QLocale()
    size = (translate("Presets", "{n} GB").format(
                n=locale.toString(preset.size_mb / 1000, "f", 1))
            if preset.size_mb >= 1000
            else translate("Presets", "{n} MB").format(n=preset.size_mb))
    return translate("Presets", "{title} — {languages}; {size}, {cost}× the work per "
                     "photo").format(title=titles.get(preset.name, preset.title),
                                     languages=languages, size=size,
                                     cost=locale.toString(preset.image_cost, "f", 1))
