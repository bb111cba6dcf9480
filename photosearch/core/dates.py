"""Capture dates in search: the periods ``date:``, ``after:`` and ``before:`` name, and
results in date order.

A period is a year, a month or a day (``2023``, ``2023-07``, ``2023-07-14``; ``/`` or
``.`` may stand for ``-``). ``date:X`` keeps photos taken during X, ``after:X`` those
taken on or after X's first day, ``before:X`` those taken before it; several terms must
all hold. A photo's date is ``catalog.records.date_sql``: EXIF's, else the file's time.

Sorting by date reorders the hits a search already chose (the relevance cut-off decides
the set, the sort decides the order), so it runs after ranking and cutting.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from photosearch.core.errors import BadQuery
from photosearch.core.library import Library
from photosearch.core.search import Hit

ORDERS = ("relevance", "newest", "oldest")

_PERIOD = re.compile(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?")


@dataclass(frozen=True)
class DateRange:
    """Photos taken on or after ``since`` and before ``until`` (ISO dates; None: open)."""

    since: str | None = None
    until: str | None = None

    def __and__(self, other: DateRange) -> DateRange:
        """Both ranges at once (several date terms must all hold)."""
        since = max((d for d in (self.since, other.since) if d), default=None)
        until = min((d for d in (self.until, other.until) if d), default=None)
        return DateRange(since, until)

    def __bool__(self) -> bool:
        return self.since is not None or self.until is not None


def period(text: str) -> tuple[str, str]:
    """The first day of the period ``text`` names and the first day after it (ISO
    dates). Raises ``BadQuery``."""
    m = _PERIOD.fullmatch(text.strip())
    try:
        if m is None:
            raise ValueError
        year, month, day = int(m[1]), int(m[2] or 1), int(m[3] or 1)
        start = date(year, month, day)
        if m[3]:
            end = date.fromordinal(start.toordinal() + 1)
        elif m[2]:
            end = date(year + month // 12, month % 12 + 1, 1)
        else:
            end = date(year + 1, 1, 1)
    except (ValueError, OverflowError):
        raise BadQuery(f"“{text}” is not a date: write a year, month or day, "
                       "as 2023, 2023-07 or 2023-07-14") from None
    return start.isoformat(), end.isoformat()


def during(text: str) -> DateRange:
    return DateRange(*period(text))


def after(text: str) -> DateRange:
    return DateRange(since=period(text)[0])


def before(text: str) -> DateRange:
    return DateRange(until=period(text)[0])


def dated(library: Library, hits: Sequence[Hit], order: str = "relevance") -> list[Hit]:
    """``hits`` with their capture dates, in ``order`` (one of ``ORDERS``); equal dates
    keep their relevance order."""
    if order not in ORDERS:
        raise BadQuery(f"unknown order “{order}” (one of: {', '.join(ORDERS)})")
    dates = library.catalog.dates([h.photo_id for h in hits])
    out = [replace(h, date=dates.get(h.photo_id)) for h in hits]
    if order != "relevance":
        # Wall-clock order (the first 19 characters): an EXIF offset must not reorder a day.
        out.sort(key=lambda h: (h.date or "")[:19], reverse=order == "newest")
    return out
