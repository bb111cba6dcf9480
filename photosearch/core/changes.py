"""What a write changed, so that a client refreshes once (as Anki's ``OpChanges``).

A finished indexing run, a watcher job, a folder removed, a regroup or a tag added each
say what they touched with one ``Changes``; the GUI merges what arrives together and
refreshes each view once from the union (one re-search per run, not one per listener).
The mapping from the core's reports lives here, beside the flags, so every client reads
a report the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from photosearch.core.pipeline import IndexReport
    from photosearch.core.scanning import ScanReport


@dataclass(frozen=True)
class Changes:
    photos: bool = False       # photos added, changed, moved, gone or failed: counts
    folders: bool = False      # folders added, removed, gone offline or back
    vectors: bool = False      # vectors stored or dropped: search results
    duplicates: bool = False   # duplicate groups or keep choices
    tags: bool = False         # tags, automatic or by hand
    pending: bool = False      # photos now wait for embedding: an index run is due

    def __or__(self, other: Changes) -> Changes:
        return Changes(**{f.name: getattr(self, f.name) or getattr(other, f.name)
                          for f in fields(self)})

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    @property
    def results(self) -> bool:
        """Whether the current search may now answer differently."""
        return self.photos or self.vectors or self.duplicates or self.tags


def of_scan(report: ScanReport) -> Changes:
    """A scan or a watcher job: photos gone or moved also leave the indexes and their
    groups; new or changed ones wait for embedding."""
    gone = bool(report.vanished or report.moved)
    return Changes(photos=report.touched, folders=bool(report.offline), vectors=gone,
                   duplicates=gone, tags=gone,
                   pending=bool(report.added or report.changed or report.revived))


def of_index(report: IndexReport) -> Changes:
    """An indexing run: new vectors feed the duplicate and tag hooks as well."""
    stored = bool(report.embedded or report.reused)
    scanned = of_scan(report.scan)
    return Changes(photos=scanned.photos or stored or bool(report.failed),
                   folders=scanned.folders, vectors=stored or scanned.vectors,
                   duplicates=stored or scanned.duplicates, tags=stored or scanned.tags)


# A run still going has stored batches: results and counts are worth a look; groups and
# tags are reloaded once, when the run has finished.
EMBEDDING = Changes(photos=True, vectors=True)
# A folder added or removed with its photos.
FOLDERS = Changes(photos=True, folders=True, vectors=True, duplicates=True, tags=True)
