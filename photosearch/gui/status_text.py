"""Status-bar wording for the core's progress reports."""

from __future__ import annotations

import os

from photosearch.core.progress import Progress


def describe(p: Progress) -> str:
    """One status-bar line for a core progress report."""
    if p.phase == "indexing" and p.total:
        text = f"Indexing {p.done:,} / {p.total:,}"
        if p.rate:
            text += f" · {p.rate:.1f} photos/s"
        if p.eta is not None:
            text += f" · {_duration(p.eta)} left"
        return text
    if p.phase == "scanning":
        return f"Scanning {display_name(p.message) if p.message else ''}… {p.done:,} photos found"
    if p.phase in ("loading model", "downloading model"):
        return f"{p.phase.capitalize()} {p.message}".strip()
    return f"{p.phase.capitalize()} {p.done:,}" + (f" / {p.total:,}" if p.total else "")


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


def display_name(path: str) -> str:
    """A folder or file as the user calls it: its last path component."""
    return os.path.basename(str(path).rstrip(os.sep)) or str(path)
