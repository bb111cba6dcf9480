"""What the catalog's safety costs on a library of realistic size (default 100k photos).

Builds a synthetic catalog: N photos with ViT-B-32-sized vectors (512 float32) and five
tags each, then times opening the library (with the header and schema check it does at
every open), the full checks that are *not* done at open (``quick_check``,
``integrity_check``), a verified backup, and a restore. "cold" drops the catalog file
from the page cache first (``posix_fadvise``, this file only), like a first open after a
reboot.

Run: python benchmarks/bench_catalog.py [--photos 100000]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine  # noqa: E402

from photosearch.core.backups import make_backup  # noqa: E402
from photosearch.core.catalog.health import check_file  # noqa: E402
from photosearch.core.library import Library, restore_catalog  # noqa: E402

MODEL = "ViT-B-32@laion2b_s34b_b79k"


def build(root: Path, n: int) -> None:
    rng = np.random.default_rng(0)
    with Library.open(root) as lib, lib.catalog.write() as c:
        c.execute("INSERT INTO folders(path, added_at) VALUES ('/photos', 0)")
        c.executemany(
            "INSERT INTO photos(folder_id, path, size, mtime, content_hash, width, height, "
            "status, added_at, phash) VALUES (1, ?, ?, ?, ?, 4000, 3000, 'ok', 0, ?)",
            ((f"/photos/{i // 500:04d}/IMG_{i:06d}.jpg", 3_000_000 + i, 1.7e9 + i,
              f"{i:064x}", int(rng.integers(0, 2**62))) for i in range(1, n + 1)))
        c.executemany(
            "INSERT INTO embeddings(model, photo_id, vector) VALUES (?, ?, ?)",
            ((MODEL, i, rng.standard_normal(512).astype(np.float32).tobytes())
             for i in range(1, n + 1)))
        c.executemany("INSERT INTO photo_tags(photo_id, tag, score) VALUES (?, ?, 0.3)",
                      ((i, f"tag{(i * 7 + j) % 3000}") for i in range(1, n + 1)
                       for j in range(5)))


def drop_cache(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def timed(fn, path: Path | None = None, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        if path is not None:
            drop_cache(path)
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def pragma(path: Path, name: str) -> None:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute(f"PRAGMA {name}(1)").fetchone()[0] == "ok"
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=100_000)
    args = parser.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "lib"
        t = time.perf_counter()
        build(root, args.photos)
        catalog = root / "catalog.sqlite3"
        print(f"{args.photos} photos: catalog {catalog.stat().st_size / 1e6:.0f} MB, "
              f"built in {time.perf_counter() - t:.1f} s")

        def open_close() -> None:
            Library.open(root).close()

        rows = [
            ("header check alone", timed(lambda: check_file(catalog)), None),
            ("open the library (checks included)", timed(open_close),
             timed(open_close, catalog)),
            ("PRAGMA quick_check (not at open)", timed(lambda: pragma(catalog, "quick_check")),
             timed(lambda: pragma(catalog, "quick_check"), catalog)),
            ("PRAGMA integrity_check (on backup)",
             timed(lambda: pragma(catalog, "integrity_check"), repeat=1),
             timed(lambda: pragma(catalog, "integrity_check"), catalog, repeat=1)),
        ]
        with Library.open(root) as lib:
            rows.append(("backup: copy + integrity_check + rename",
                         timed(lambda: make_backup(lib.catalog, lib.layout.backups),
                               repeat=1), None))
        rows.append(("restore the newest backup (quick_check + copy)",
                     timed(lambda: restore_catalog(root), repeat=1), None))
        print(f"{'step':50} {'warm':>9} {'cold':>9}")
        for name, warm, cold in rows:
            cold_text = f"{cold * 1000:7.1f}ms" if cold is not None else "        -"
            print(f"{name:50} {warm * 1000:7.1f}ms {cold_text}")
        open_ms = rows[1][1] * 1000
        print(f"ratio quick_check / open (warm): {rows[2][1] * 1000 / open_ms:.0f}x")


if __name__ == "__main__":
    main()
