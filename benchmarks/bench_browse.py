"""Browsing a big library with no query: first page, paging, scrolling, re-reading.

Prints numbers, asserts nothing. Run: ``python benchmarks/bench_browse.py [--photos 100000]``
(Qt's offscreen platform). Synthetic rows (no files): half with an EXIF date, half with
only a file time, spread over ten years, so months and the date fallback both count.

1. ``Catalog.timeline``: the first page and a page deep in the library (keyset).
2. The window's model: switching to browse (count + first page), fetching every page
   (what scrolling to the very end costs in all), and the model's refresh after a change.
3. The grid: scrolling through the first 20k photos a screen at a time, painted each
   step (worst paint and mean), against the same scrolling of search results.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from photosearch.core.library import Library  # noqa: E402


def build(root: Path, n: int) -> None:
    with Library.open(root) as lib, lib.catalog.write() as c:
        c.execute("INSERT INTO folders(path, added_at) VALUES ('/photos', 0)")
        c.executemany(
            "INSERT INTO photos(folder_id, path, size, mtime, taken_at, status, added_at) "
            "VALUES (1, ?, 1, ?, ?, 'ok', 0)",
            ((f"/photos/{i // 500:04d}/IMG_{i:06d}.jpg", 1.4e9 + (i * 3163 % n) * 3150,
              None if i % 2 else time.strftime("%Y-%m-%dT%H:%M:%S",
                                               time.gmtime(1.4e9 + i * 3150)))
             for i in range(1, n + 1)))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--photos", type=int, default=100_000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-browse-"))
    os.environ["PHOTOSEARCH_LIBRARY"] = str(tmp / "lib")
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
    t = time.perf_counter()
    build(tmp / "lib", args.photos)
    print(f"{args.photos} photos built in {time.perf_counter() - t:.1f} s")

    from PySide6.QtWidgets import QApplication

    from photosearch.core.search import Hit
    from photosearch.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    lib = Library.open(tmp / "lib")
    cat = lib.catalog
    t = time.perf_counter()
    page = cat.timeline(600)
    first = time.perf_counter() - t
    for _ in range(args.photos // 600 // 2):
        page = cat.timeline(600, after=(page[-1].date, page[-1].id))
    t = time.perf_counter()
    cat.timeline(600, after=(page[-1].date, page[-1].id))
    print(f"timeline page of 600: first {ms(first)}, halfway {ms(time.perf_counter() - t)}")

    window = MainWindow(lib, watch=False)
    window.resize(1180, 760)
    window.show()
    app.processEvents()
    model, grid = window.results, window.grid
    t = time.perf_counter()
    window.clear_query()
    app.processEvents()
    print(f"browse shown (count + first page + layout): {ms(time.perf_counter() - t)}, "
          f"{model.rowCount()} cells")

    def scroll(steps: int) -> tuple[float, float]:
        bar = grid.verticalScrollBar()
        bar.setValue(0)
        worst, total = 0.0, 0.0
        for _ in range(steps):
            t = time.perf_counter()
            bar.setValue(bar.value() + grid.viewport().height())
            grid.viewport().repaint()
            app.processEvents()
            took = time.perf_counter() - t
            worst, total = max(worst, took), total + took
        return worst, total / steps

    per_screen = max(1, (grid.viewport().height() // grid.gridSize().height())
                     * model.columns)
    steps = 20_000 // per_screen
    worst, mean = scroll(steps)
    print(f"scrolling browse, {steps} screens ({len(model.timeline.photos)} photos read): "
          f"worst {ms(worst)}, mean {ms(mean)}")
    t = time.perf_counter()
    while model.canFetchMore():
        model.fetchMore()
    print(f"reading every page to the end: {time.perf_counter() - t:.2f} s, "
          f"{model.rowCount()} cells")
    t = time.perf_counter()
    changed = model.refresh_browse(None)
    print(f"refresh with everything read (no change={not changed}): "
          f"{ms(time.perf_counter() - t)}")
    window.clear_query()
    t = time.perf_counter()
    model.refresh_browse(None)
    print(f"refresh with the first page read: {ms(time.perf_counter() - t)}")

    hits = [Hit(p.id, p.path, 0.5) for p in cat.timeline(20_000)]
    model.set_hits(hits)
    app.processEvents()
    worst, mean = scroll(steps)
    print(f"same scrolling over 20k search results: worst {ms(worst)}, mean {ms(mean)}")
    window.shutdown()
    lib.close()


if __name__ == "__main__":
    main()
