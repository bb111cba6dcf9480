"""A work-around for PySide6 6.12 on Python 3.11: every call of a Qt method that returns
nothing (``painter.save()``, ``setPen``…), every ``index.data()`` answered with None and
Python overrides answering a bool (``viewportEvent``) take one reference from ``None``,
``True`` or ``False`` without giving it back. Scrolling a big grid makes millions of
such calls, and the process dies with "deallocating None" (measured: ``bench_browse``
at 100k photos died within the first 20k photos scrolled).

Python 3.12 made these singletons immortal; here they are made practically so, once, at
import: their reference counts are raised by 2**40, which no run can use up. Nothing
happens on 3.12 and later.
"""

from __future__ import annotations

import ctypes
import sys

RESERVE = 2**40


def make_none_immortal() -> None:
    if sys.version_info < (3, 12) and sys.implementation.name == "cpython":
        for singleton in (None, True, False):
            ctypes.c_ssize_t.from_address(id(singleton)).value += RESERVE
