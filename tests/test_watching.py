"""The folder watcher: bursts coalesce into one job, moves keep their photo, temp files
never reach the catalog, a vanished root is shown offline rather than emptied."""

from __future__ import annotations

import os
import queue
import shutil
import threading
from pathlib import Path

import pytest

from photosearch.core import pipeline
from photosearch.core.scanning import ScanReport
from photosearch.core.watching import FolderWatcher

TIMEOUT = 15


class Reports:
    """Collects the watcher's callbacks (called on the watcher's thread)."""

    def __init__(self) -> None:
        self.queue: queue.Queue[ScanReport] = queue.Queue()

    def __call__(self, report: ScanReport) -> None:
        self.queue.put(report)

    def next(self) -> ScanReport:
        return self.queue.get(timeout=TIMEOUT)

    def until(self, done) -> ScanReport:
        """Merge reports until ``done(merged)`` holds."""
        merged = ScanReport()
        while not done(merged):
            merged.merge(self.next())
        return merged


@pytest.fixture
def watched(library, tmp_path, make_photos, encoder):
    folder = tmp_path / "photos"
    make_photos(per_class=1, seed=3, folder=folder)
    library.add_folder(folder)
    # indexed, so content hashes are known: a move seen as delete + create (a folder made
    # and filled faster than inotify can watch it) is still matched by content
    pipeline.index_library(library, encoder)
    reports = Reports()
    watcher = FolderWatcher(library.catalog, reports, debounce=0.3, max_delay=5,
                           offline_poll=0.5)
    watcher.start()
    assert watcher.watch(str(folder))
    yield library, folder, watcher, reports
    watcher.stop()


def test_a_burst_of_files_is_one_job(watched, make_photos, tmp_path):
    library, folder, _, reports = watched
    source = tmp_path / "camera"
    files = make_photos(per_class=2, seed=9, folder=source)
    for path, _, _ in files:  # a camera import: 72 files in quick succession
        shutil.copy(path, folder / f"import_{path.name}")
    report = reports.next()
    assert len(report.added) == len(files)
    assert reports.queue.empty()
    assert library.catalog.counts("none").total == 36 + len(files)


def test_a_rename_keeps_the_photo_id(watched):
    library, folder, _, reports = watched
    old = folder / "red_circle_000.jpg"
    photo = library.catalog.photo_by_path(str(old))
    (folder / "sub").mkdir()
    new = folder / "sub" / "renamed.jpg"
    os.rename(old, new)
    report = reports.until(lambda r: r.moved)
    assert report.moved == [photo.id]
    assert library.catalog.photo_by_path(str(new)).id == photo.id
    assert library.catalog.photo_by_path(str(old)) is None


def test_a_renamed_folder_keeps_its_photos(watched, encoder):
    library, folder, _, reports = watched
    sub = folder / "album"
    sub.mkdir()
    shutil.move(folder / "blue_star_000.jpg", sub / "blue_star_000.jpg")
    reports.until(lambda r: r.moved)
    photo = library.catalog.photo_by_path(str(sub / "blue_star_000.jpg"))
    os.rename(sub, folder / "album-2019")
    reports.until(lambda r: r.moved)
    assert library.catalog.photo_by_path(str(folder / "album-2019" / "blue_star_000.jpg")).id \
        == photo.id
    ids, _ = library.catalog.vectors(encoder.key, [photo.id])
    assert list(ids) == [photo.id]   # it kept its vector: no re-embedding


def test_temp_files_are_ignored_and_a_sync_rename_lands(watched):
    library, folder, _, reports = watched
    data = (folder / "green_ring_000.jpg").read_bytes()
    for name in (".hidden.jpg", "draft.jpg.part", "~$lock.jpg", "x.jpg.crdownload"):
        (folder / name).write_bytes(data[:100])
    temp = folder / ".syncthing.arrived.jpg.tmp"
    temp.write_bytes(data + b"\0")
    os.rename(temp, folder / "arrived.jpg")
    report = reports.until(lambda r: r.added)
    added = library.catalog.photos_by_ids(report.added)
    assert [Path(p.path).name for p in added.values()] == ["arrived.jpg"]
    paths = {Path(p.path).name for p in library.catalog.photos()}
    assert not paths & {".hidden.jpg", "draft.jpg.part", "~$lock.jpg", "x.jpg.crdownload"}


def test_a_deleted_file_vanishes(watched):
    library, folder, _, reports = watched
    victim = folder / "purple_cross_000.jpg"
    photo = library.catalog.photo_by_path(str(victim))
    victim.unlink()
    report = reports.until(lambda r: r.vanished)
    assert report.vanished == [photo.id]
    assert library.catalog.photo(photo.id).status == "missing"


def test_a_vanished_root_is_offline_not_emptied(watched, tmp_path):
    library, folder, watcher, reports = watched
    away = tmp_path / "unplugged"
    os.rename(folder, away)
    report = reports.until(lambda r: r.offline)
    assert report.offline == [str(folder)]
    assert not library.catalog.folders()[0].online
    assert library.catalog.counts("none").missing == 0
    os.rename(away, folder)
    # it comes back: polled, rescanned, watched again
    reports.next()
    assert library.catalog.folders()[0].online
    assert str(folder) in watcher.watched


def test_stop_is_prompt_and_idempotent(library, tmp_path):
    done = threading.Event()
    watcher = FolderWatcher(library.catalog, lambda r: done.set())
    watcher.start()
    watcher.stop()
    watcher.stop()


def test_a_sync_never_unwatches_a_folder_added_meanwhile(library, tmp_path):
    """The window's launch sync and a folder dropped right after it run on different
    threads; the sync reads the catalog when it runs, under the lock ``watch`` takes, so
    whichever runs first, the new folder stays watched (it used to be unwatched by a sync
    holding the folder list from before the drop, and its new photos were never seen)."""
    folder = tmp_path / "dropped"
    folder.mkdir()
    watcher = FolderWatcher(library.catalog, Reports())
    try:
        racing = threading.Thread(target=watcher.sync)   # asked for before the drop
        library.add_folder(folder)
        assert watcher.watch(str(folder))
        racing.start()
        racing.join(TIMEOUT)
        watcher.sync()
        assert watcher.watched == [str(folder)]
    finally:
        watcher.stop()
