"""A full disk during a write: a clear message, nothing lost, and the next run finishes.

Two honest simulations: SQLite's own ``max_page_count`` makes the catalog's disk "full"
(SQLite answers SQLITE_FULL exactly as for a full disk), and the atomic writer of the
index is made to fail with ENOSPC after the index has written part of its temp file.
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from conftest import FIXTURE_MODEL

from photosearch.cli.main import main
from photosearch.core import index as index_module
from photosearch.core.errors import DiskFull
from photosearch.core.index import INDEX_FILE
from photosearch.core.library import Library
from photosearch.core.pipeline import index_library, scan

MODEL = ["--model", f"local-dir:{FIXTURE_MODEL}"]


def test_catalog_full_rolls_back_and_the_next_run_finishes(tmp_path, make_photos, encoder):
    folder = tmp_path / "photos"
    make_photos(per_class=1, seed=3, folder=folder)
    root = tmp_path / "lib"
    with Library.open(root) as lib:
        lib.add_folder(folder)
        scan(lib)
        pages = lib.catalog.conn.execute("PRAGMA page_count").fetchone()[0]
        lib.catalog.conn.execute(f"PRAGMA max_page_count={pages}")   # no room to grow
        with pytest.raises(DiskFull, match=f"No space left on the library's disk \\({root}"):
            index_library(lib, encoder, rescan=False)
        counts = lib.catalog.counts(encoder.key)
        # batches that fitted in the pages already there are kept (float16 vectors are
        # small enough for one); the one in flight rolled back whole
        done = counts.indexed
        assert (counts.indexed + counts.pending, counts.failed) == (36, 0) and done < 36
        assert len(lib.catalog.vector_ids(encoder.key)) == done
        assert not lib.catalog.conn.in_transaction
    with Library.open(root) as lib:                 # opens, and carries on
        report = index_library(lib, encoder)
        assert report.embedded == 36 - done and not report.failed
        assert lib.catalog.counts(encoder.key).indexed == 36


def test_index_save_on_a_full_disk_keeps_the_old_file(tmp_path, make_photos, monkeypatch,
                                                      capsys):
    folder = tmp_path / "photos"
    make_photos(per_class=1, seed=4, folder=folder)
    root = tmp_path / "lib"
    assert main(["index", str(folder), "--library", str(root), *MODEL]) == 0
    (index_dir,) = (root / "indexes").iterdir()
    old = (index_dir / INDEX_FILE).read_bytes()
    make_photos(per_class=1, seed=5, folder=folder / "more")

    real = index_module.atomic_write_path

    def full_disk(path: Path, produce) -> None:
        def partly(tmp: Path) -> None:
            produce(tmp)                 # the temp file is (partly) written, then:
            raise OSError(errno.ENOSPC, "No space left on device", str(tmp))
        real(path, partly)

    monkeypatch.setattr(index_module, "atomic_write_path", full_disk)
    capsys.readouterr()
    assert main(["index", "--library", str(root), *MODEL]) == 1
    err = capsys.readouterr().err
    assert f"No space left on the library's disk ({index_dir})" in err
    assert "Traceback" not in err
    assert (index_dir / INDEX_FILE).read_bytes() == old            # the old one stays
    assert sorted(p.name for p in index_dir.iterdir()) == ["index.hnsw", "index.json"]

    monkeypatch.setattr(index_module, "atomic_write_path", real)   # space again
    assert main(["index", "--library", str(root), *MODEL]) == 0
    assert main(["status", "--library", str(root), *MODEL]) == 0
    assert "72 indexed" in capsys.readouterr().out
    assert main(["search", "a", "red", "ring", "-k", "2", "--library", str(root),
                 *MODEL]) == 0
    assert "red_ring" in capsys.readouterr().out
