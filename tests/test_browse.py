"""Browsing with no query: the catalog's timeline by (date, id) keyset, and its months."""

from __future__ import annotations

import time

from photosearch.gui.timeline import BLANK, Timeline, month_of


def _add(library, folder: str, n: int, start: float, step: float) -> list[int]:
    f = library.catalog.add_folder(folder)
    return [library.catalog.add_photo(f.id, f"{folder}/p{i:04d}.jpg", 1, start - i * step)
            for i in range(n)]


def test_timeline_pages_cover_every_photo_newest_first(library):
    now = time.time()
    _add(library, "/photos/a", 250, now, 3600 * 24)   # one a day: several months
    _add(library, "/photos/b", 50, now - 1800, 3600 * 24)
    cat = library.catalog
    seen, after = [], None
    while page := cat.timeline(64, after=after):
        seen.extend(page)
        after = (page[-1].date, page[-1].id)
    assert len(seen) == len({p.id for p in seen}) == 300
    keys = [(p.date, p.id) for p in seen]
    assert keys == sorted(keys, reverse=True)
    assert cat.live_count() == 300
    inside = cat.timeline(1000, folder="/photos/b")
    assert {p.path.rsplit("/", 2)[1] for p in inside} == {"b"}
    assert cat.live_count("/photos/b") == 50


def test_timeline_oldest_first_pages_cover_every_photo(library):
    now = time.time()
    _add(library, "/photos/a", 130, now, 3600 * 24)
    cat = library.catalog
    seen, after = [], None
    while page := cat.timeline(50, after=after, oldest=True):
        seen.extend(page)
        after = (page[-1].date, page[-1].id)
    keys = [(p.date, p.id) for p in seen]
    assert len(set(keys)) == 130 and keys == sorted(keys)
    timeline = Timeline(cat, None, columns=3, oldest=True)
    timeline.fetch(40)
    timeline.fetch()
    dates = [p.date for p in timeline.photos]
    assert len(dates) == 130 and dates == sorted(dates)


def test_capture_date_wins_over_file_time(library):
    a, b = _add(library, "/photos", 2, time.time(), 60)
    library.catalog.store_decoded(b, "/photos/p0001.jpg", "h", 10, 10,
                                  "2031-05-01T10:00:00", None)
    first = library.catalog.timeline(10)[0]
    assert (first.id, first.date[:10]) == (b, "2031-05-01")


def test_months_start_grid_rows(library):
    day = 3600 * 24
    _add(library, "/photos", 70, time.time(), day)     # about three months
    timeline = Timeline(library.catalog, None, columns=4)
    while timeline.fetch(16):                           # pages split months too
        pass
    assert len(timeline.photos) == 70
    starts = [c for c in range(len(timeline.slots)) if timeline.month_starting(c)]
    months = {month_of(p.date) for p in timeline.photos}
    assert len(starts) == 4 * len(months)               # each month's first row, all cells
    assert all(c % 4 == 0 for c in starts[::4])
    for cell, index in enumerate(timeline.slots):       # blanks only pad a month's end
        if index == BLANK:
            nxt = timeline.slots[cell + 1] if cell + 1 < len(timeline.slots) else BLANK
            assert nxt == BLANK or timeline.month_starting(cell + 1)
    timeline.relayout(7)
    assert [timeline.photos[i].id for i in timeline.slots if i != BLANK] == \
        [p.id for p in timeline.photos]
    assert all(timeline.slots[c] != BLANK for c in range(len(timeline.slots))
               if timeline.month_starting(c) and c % 7 == 0)
