"""The features that derive from indexed photos, registered in one place.

Indexing (``pipeline``) knows only ``BatchHook``s; it imports no feature. A feature that
keeps derived state current while photos are indexed (duplicate groups, tags; people and
learned tags next) adds its hook here, and every client (the CLI, the app, benchmarks and
tests) runs the same list through ``standard_hooks()``.
"""

from __future__ import annotations

from photosearch.core.pipeline import BatchHook


def standard_hooks() -> list[BatchHook]:
    """Fresh hooks for one indexing run (a hook may keep state for the run)."""
    from photosearch.core.duplicates.hook import DuplicateHook
    from photosearch.core.faces.hook import FaceHook
    from photosearch.core.tagging.tagger import TagHook
    from photosearch.core.teaching.teach import LearnedTagHook
    from photosearch.core.teaching.themes import ThemeHook

    # learned tags after automatic ones (a re-tag leaves learned rows alone either way);
    # themes next: their labels read the tags; FaceHook last: its pass (slow) starts once
    # tags are done
    return [DuplicateHook(), TagHook(), LearnedTagHook(), ThemeHook(), FaceHook()]
