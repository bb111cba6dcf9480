"""Status-bar wording for the core's progress reports."""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication

from photosearch.core.progress import Progress

translate = QCoreApplication.translate   # lupdate finds translate("Context", …)


def describe(p: Progress) -> str:
    """One status-bar line for a core progress report."""
    if p.phase == "indexing" and p.total:
        text = translate("status", "Indexing {done} / {total}").format(
            done=f"{p.done:,}", total=f"{p.total:,}")
        if p.rate:
            text += " · " + translate("status", "{rate} photos/s").format(rate=f"{p.rate:.1f}")
        if p.eta is not None:
            text += " · " + translate("status", "{time} left").format(time=_duration(p.eta))
        return text
    if p.phase == "scanning":
        return translate("status", "Scanning {folder}… %Ln photos found", None, p.done).format(
            folder=display_name(p.message) if p.message else "")
    if p.phase == "loading model":
        return translate("status", "Loading model {name}").format(name=p.message).strip()
    if p.phase == "downloading model":
        return translate("status", "Downloading model {name}").format(name=p.message).strip()
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
