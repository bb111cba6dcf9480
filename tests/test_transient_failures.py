"""Transient is not permanent: a photo that could not be read *now* (permission, I/O,
its folder gone, the library's disk full) is tried again; only the file's own faults
(not an image, truncated, too large) mark it failed until it changes."""

from __future__ import annotations

import builtins
import errno
import json
import os

import pytest

from photosearch.cli.main import main
from photosearch.core import decoding, thumbnails
from photosearch.core.errors import DiskFull
from photosearch.core.pipeline import index_library, scan


def _refuse(monkeypatch, path: str, error: OSError) -> None:
    """Reading ``path`` raises ``error`` (as chmod 000 or a failing disk would; the
    tests may run as root, for whom chmod changes nothing)."""
    def fake_open(file, *args, **kwargs):
        if os.fspath(file) == path:
            raise error
        return builtins.open(file, *args, **kwargs)

    monkeypatch.setattr(decoding, "open", fake_open, raising=False)


@pytest.mark.parametrize("error, reason", [
    (PermissionError(errno.EACCES, "Permission denied"), "permission denied"),
    (OSError(errno.EIO, "Input/output error"), "cannot read the file now (Input/output error)"),
])
def test_unreadable_now_stays_pending_and_is_indexed_once_readable(
        library, encoder, make_photos, tmp_path, monkeypatch, capsys, error, reason):
    folder = tmp_path / "photos"
    written = make_photos(per_class=1, seed=8, folder=folder)
    (folder / "broken.jpg").write_text("not really a jpeg")
    victim = str(next(p for p in sorted(folder.iterdir()) if p.name != "broken.jpg"))
    library.add_folder(folder)
    _refuse(monkeypatch, victim, error)

    report = index_library(library, encoder)

    assert report.deferred == [(victim, reason)]
    assert [p for p, _ in report.failed] == [str(folder / "broken.jpg")]
    photo = library.catalog.photo_by_path(victim)
    assert photo.status == "pending" and photo.error == reason
    counts = library.catalog.counts(encoder.key)
    assert (counts.indexed, counts.pending, counts.retry, counts.failed) == (
        len(written) - 1, 1, 1, 1)

    # status tells the file's own faults from the ones that will be tried again
    assert main(["status", "--json", "--library", str(library.root)]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["retry"] == [{"path": victim, "reason": reason}]
    assert [f["path"] for f in status["failures"]] == [str(folder / "broken.jpg")]
    assert main(["status", "--library", str(library.root)]) == 0
    text = capsys.readouterr().out
    assert "1 to retry" in text and f"not the file's fault; on the next run):\n  {victim}: " \
        f"{reason}" in text

    monkeypatch.undo()          # the permission is fixed, the disk answers again
    again = index_library(library, encoder)
    assert again.embedded + again.reused == 1 and again.failed == again.deferred == []
    photo = library.catalog.photo(photo.id)
    assert photo.status == "ok" and photo.error is None
    assert library.catalog.counts(encoder.key).retry == 0
    assert library.catalog.photo_by_path(str(folder / "broken.jpg")).status == "failed"


def test_full_library_disk_stops_the_run_and_loses_nothing(library, encoder, make_photos,
                                                           tmp_path, monkeypatch):
    folder = tmp_path / "photos"
    written = make_photos(per_class=2, seed=9, folder=folder)
    library.add_folder(folder)
    tries = []

    def full(path, data):
        tries.append(path)
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(thumbnails, "atomic_write_bytes", full)
    with pytest.raises(DiskFull, match="No space left on the library's disk"):
        index_library(library, encoder)

    assert 0 < len(tries) < len(written)        # stopped, did not try every photo
    counts = library.catalog.counts(encoder.key)
    assert counts.failed == 0 and counts.retry == 0 and counts.pending == len(written)

    monkeypatch.undo()                          # space was freed
    report = index_library(library, encoder)
    assert report.embedded + report.reused == len(written) and report.failed == []
    assert library.catalog.counts(encoder.key).indexed == len(written)


def test_photos_of_an_offline_folder_wait_for_it(library, encoder, make_photos, tmp_path):
    folder = tmp_path / "photos"
    written = make_photos(per_class=1, seed=10, folder=folder)
    library.add_folder(folder)
    scan(library)                               # scanned, not embedded: all pending
    away = tmp_path / "unplugged"
    folder.rename(away)                         # the drive goes before the embedding run

    report = index_library(library, encoder)

    assert report.scan.offline == [str(folder)]
    assert report.failed == report.deferred == [] and report.embedded == 0
    assert library.catalog.counts(encoder.key).pending == len(written)

    away.rename(folder)                         # plugged in again
    report = index_library(library, encoder)
    assert report.embedded + report.reused == len(written) and report.failed == []
