"""The browse timeline: the library's photos newest (or oldest) first, by month, read a
page at a time.

With no query the grid shows the library (or the chosen folder) as a timeline. Nothing
is read up front: ``fetch`` reads the next ``PAGE`` photos from the catalog by keyset
(``Catalog.timeline``), so a 100k-photo library costs one page until it is scrolled.

The grid is a uniform grid (cheap to lay out at any size), so a month starts a new grid
row: ``slots`` maps each grid cell to a photo, or to ``BLANK`` for the cells that pad a
month's last row. The grid paints a month's name above the row where it starts.
"""

from __future__ import annotations

import re

from photosearch.core.catalog import Catalog
from photosearch.core.catalog.photos import TimelineRow
from photosearch.core.search import Hit

PAGE = 600           # the first page; each later one is as big as all read so far,
MAX_PAGE = 20_000    # up to this: every page sorts the whole table (no index can hold a
                     # local-time date), so 100k photos take ~8 reads, not ~170
REFRESH = 2 * PAGE    # how many photos a refresh compares
BLANK = -1
_MONTH = re.compile(r"(\d{4})\D?(\d{2})")


def month_of(date: str) -> tuple[int, int] | None:
    """(year, month) of a ``date_sql`` date; None when it has none."""
    m = _MONTH.match(date)
    return (int(m.group(1)), int(m.group(2))) if m else None


class Timeline:
    """The photos read so far and their place in a grid of ``columns`` columns."""

    def __init__(self, catalog: Catalog, folder: str | None, columns: int, *,
                 oldest: bool = False) -> None:
        self.catalog = catalog
        self.folder = folder
        self.oldest = oldest                   # View ▸ Sort by ▸ Oldest first
        self.columns = max(1, columns)
        self.photos: list[TimelineRow] = []
        self.months: list[tuple[int, int] | None] = []
        self.slots: list[int] = []            # grid cell -> index in photos, or BLANK
        self.rows: dict[str, int] = {}         # path -> grid cell
        self.done = False

    def fetch(self, limit: int | None = None) -> int:
        """Read and place the next ``limit`` photos; how many grid cells were added."""
        before = len(self.slots)
        self.add(self.read_next(limit))
        return len(self.slots) - before

    def read_next(self, limit: int | None = None) -> list[TimelineRow]:
        """The next ``limit`` photos after those placed (marks the end when it is read)."""
        if self.done:
            return []
        limit = limit or min(MAX_PAGE, max(PAGE, len(self.photos)))
        last = self.photos[-1] if self.photos else None
        page = self.catalog.timeline(limit, after=(last.date, last.id) if last else None,
                                     folder=self.folder, oldest=self.oldest)
        self.done = len(page) < limit
        return page

    def cells_after(self, photos: list[TimelineRow]) -> list[int]:
        """The grid cells ``photos`` would add after the current ones (pure)."""
        slots, month = [], self.months[-1] if self.months else None
        start = len(self.slots)
        for i, photo in enumerate(photos, start=len(self.photos)):
            m = month_of(photo.date)
            if i and m != month:      # a new month starts a new grid row
                while (start + len(slots)) % self.columns:
                    slots.append(BLANK)
            month = m
            slots.append(i)
        return slots

    def add(self, photos: list[TimelineRow]) -> None:
        """Place ``photos`` (read by ``read_next``) after those placed."""
        for cell, index in enumerate(self.cells_after(photos), start=len(self.slots)):
            self.slots.append(index)
            if index != BLANK:
                self.rows[photos[index - len(self.photos)].path] = cell
        self.photos.extend(photos)
        self.months.extend(month_of(p.date) for p in photos)

    def relayout(self, columns: int) -> None:
        """Place the photos read so far in a grid of ``columns`` columns."""
        photos = self.photos
        self.columns = max(1, columns)
        self.photos, self.months, self.slots, self.rows = [], [], [], {}
        self.add(photos)

    # -- reading ----------------------------------------------------------------------------
    def photo(self, cell: int) -> TimelineRow | None:
        index = self.slots[cell] if 0 <= cell < len(self.slots) else BLANK
        return self.photos[index] if index != BLANK else None

    def hit(self, cell: int) -> Hit | None:
        photo = self.photo(cell)
        return Hit(photo.id, photo.path, 0.0) if photo is not None else None

    def month_starting(self, cell: int) -> tuple[int, int] | None:
        """The month whose first grid row holds ``cell`` (None: not such a row)."""
        if not 0 <= cell < len(self.slots):
            return None
        first = self.slots[cell - cell % self.columns]
        if first == BLANK or (first and self.months[first - 1] == self.months[first]):
            return None
        return self.months[first] or (0, 0)

    def cell_of(self, photo_id: int) -> int | None:
        return next((c for c, i in enumerate(self.slots)
                     if i != BLANK and self.photos[i].id == photo_id), None)
