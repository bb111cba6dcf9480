"""Switching a library to another model while the old one keeps answering.

Every model has its own vectors and index (``Library.index_for``), so a new model starts
with none: switched at once, searches would find nothing until it had embedded the whole
library. Instead the choice is recorded as the library's *next* model
(``Settings.next_model``/``next_weights``) while ``Settings.model`` stays the one that
answers (the CLI's default too). A client embeds the photos for the next model in the
background, shows ``progress``, and calls ``finish`` once ``ready`` says every photo that
can be embedded has a vector: the settings swap in one atomic write, and the next search
runs on the new model's complete index. A library without vectors for its current model
(new, or a model that never loaded) has nothing to keep answering: it switches at once.
Choosing the current model again while a switch is under way cancels it; the vectors
already made for the other model stay (switching back later costs nothing).
"""

from __future__ import annotations

from dataclasses import dataclass

from photosearch.core.errors import ModelUnavailable
from photosearch.core.library import Library

Choice = tuple[str, "str | None"]     # (model, weights), as ``Settings`` holds them


@dataclass(frozen=True)
class SwitchProgress:
    done: int       # live photos with a vector from the next model
    total: int      # live photos that can have one (failed files left out)

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0


def target(library: Library) -> Choice | None:
    """The model the library is switching to, or None."""
    s = library.settings
    return (s.next_model, s.next_weights) if s.next_model else None


def begin(library: Library, model: str, weights: str | None = None, *,
          keep_answering: bool = True) -> bool:
    """Choose (``model``, ``weights``) for the library. True: a gradual switch (the
    current model keeps answering until ``finish``); False: it took effect at once (or
    it was the current model, which cancels a switch under way). ``keep_answering``
    False switches at once whatever is stored (the client has no working model)."""
    s = library.settings
    if (model, weights) == (s.model, s.weights):
        cancel(library)
        return False
    if keep_answering and _has_vectors(library):
        library.update_settings(next_model=model, next_weights=weights)
        return True
    library.update_settings(model=model, weights=weights, next_model=None, next_weights=None)
    return False


def progress(library: Library, key: str) -> SwitchProgress:
    """How far the next model (its ``key``) has embedded the library."""
    c = library.catalog.counts(key)
    return SwitchProgress(c.indexed, c.indexed + c.pending)


def ready(library: Library, key: str) -> bool:
    """Whether the next model has a vector for every photo that can have one now (photos
    waiting on a reason outside the file, such as an offline disk, do not hold it up)."""
    c = library.catalog.counts(key)
    return c.pending <= c.retry


def finish(library: Library) -> Choice:
    """Make the next model the library's model (one settings write); returns it."""
    chosen = target(library)
    if chosen is None:
        raise ValueError("no model switch under way")
    library.update_settings(model=chosen[0], weights=chosen[1], next_model=None,
                            next_weights=None)
    return chosen


def cancel(library: Library) -> None:
    """Stay with the current model (the next one failed to load, or was taken back)."""
    if target(library) is not None:
        library.update_settings(next_model=None, next_weights=None)


def _has_vectors(library: Library) -> bool:
    from photosearch.core.model import resolve_source

    try:
        key = resolve_source(*library.model_choice()).key
    except ModelUnavailable:
        return False
    return library.catalog.has_vectors(key)
