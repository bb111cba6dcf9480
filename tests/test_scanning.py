"""Scanning: new, changed, moved and vanished files; folders that go offline."""

from __future__ import annotations

import os
import shutil
import sqlite3

import pytest
from PIL import Image

from photosearch.core.catalog import MIGRATIONS, Catalog
from photosearch.core.errors import CatalogTooNew
from photosearch.core.files import is_ignored_name
from photosearch.core.pipeline import scan
from photosearch.core.scanning import move_path, refresh_paths, walk_photos


def _img(path, colour=(200, 0, 0), size=(40, 30)):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path)
    return path


def _fake_indexed(library, photo_id: int) -> None:
    """What the pipeline records for a decoded photo, without a model."""
    from photosearch.core.files import hash_file

    photo = library.catalog.photo(photo_id)
    with library.catalog.write() as conn:
        conn.execute("UPDATE photos SET status='ok', content_hash=? WHERE id=?",
                     (hash_file(photo.path), photo_id))
        conn.execute("INSERT INTO embeddings(model, photo_id, vector) VALUES ('m', ?, ?)",
                     (photo_id, b"\0" * 16))


def _one_indexed_photo(library, tmp_path):
    """A library folder with one photo, scanned and recorded as embedded."""
    root = tmp_path / "photos"
    a = _img(root / "a.jpg")
    library.add_folder(root)
    scan(library)
    photo = library.catalog.photo_by_path(str(a))
    _fake_indexed(library, photo.id)
    return root, a, photo


def test_walk_skips_hidden_system_and_temp_files_and_survives_loops(tmp_path):
    _img(tmp_path / "a.jpg")
    _img(tmp_path / "sub" / "b.png")
    _img(tmp_path / ".hidden" / "c.jpg")
    _img(tmp_path / "@eaDir" / "d.jpg")
    (tmp_path / "e.jpg.part").write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("x")
    os.symlink(tmp_path, tmp_path / "sub" / "loop")
    names = sorted(e.name for e in walk_photos(str(tmp_path)))
    assert names == ["a.jpg", "b.png"]
    assert is_ignored_name("~$draft.jpg") and is_ignored_name(".sync.tmp")
    assert not is_ignored_name("IMG_0001.JPG")


def test_rescan_detects_new_changed_and_vanished(library, tmp_path):
    root = tmp_path / "photos"
    a, b = _img(root / "a.jpg"), _img(root / "b.jpg")
    library.add_folder(root)
    report = scan(library)
    assert len(report.added) == 2
    assert scan(library).unchanged == 2
    _img(root / "c.jpg")
    _img(a, colour=(0, 200, 0), size=(50, 30))
    b.unlink()
    report = scan(library)
    assert len(report.added) == 1 and len(report.changed) == 1 and len(report.vanished) == 1
    assert library.catalog.photo_by_path(str(b)).status == "missing"
    assert library.catalog.counts("m").missing == 1


def test_moved_file_keeps_its_row_and_vector(library, tmp_path):
    root, a, photo = _one_indexed_photo(library, tmp_path)
    target = root / "renamed" / "holiday.jpg"
    target.parent.mkdir()
    shutil.move(a, target)
    report = scan(library)
    assert report.moved == [photo.id] and not report.added and not report.vanished
    moved = library.catalog.photo_by_path(str(target))
    assert moved.id == photo.id and moved.status == "ok"
    assert library.catalog.counts("m").indexed == 1


def test_move_seen_as_delete_then_create_is_recognised(library, tmp_path):
    root, a, photo = _one_indexed_photo(library, tmp_path)
    data = a.read_bytes()
    a.unlink()
    assert refresh_paths(library.catalog, [str(a)]).vanished == [photo.id]
    new = root / "b.jpg"
    new.write_bytes(data)
    report = refresh_paths(library.catalog, [str(new)])
    assert report.moved == [photo.id]
    assert library.catalog.photo_by_path(str(new)).id == photo.id


def test_direct_rename(library, tmp_path):
    root = tmp_path / "photos"
    a = _img(root / "a.jpg")
    library.add_folder(root)
    scan(library)
    photo = library.catalog.photo_by_path(str(a))
    b = root / "b.jpg"
    a.rename(b)
    assert move_path(library.catalog, str(a), str(b)).moved == [photo.id]
    assert library.catalog.photo_by_path(str(b)).id == photo.id
    assert library.catalog.photo_by_path(str(a)) is None


def test_offline_folder_is_kept_not_emptied(library, tmp_path):
    root = tmp_path / "usb"
    _img(root / "a.jpg")
    library.add_folder(root)
    scan(library)
    shutil.move(root, tmp_path / "elsewhere")
    report = scan(library)
    assert report.offline == [str(root)]
    assert library.catalog.counts("m").total == 1
    assert library.catalog.photo_by_path(str(root / "a.jpg")).status == "pending"
    assert not library.catalog.folders()[0].online
    shutil.move(tmp_path / "elsewhere", root)
    scan(library)
    assert library.catalog.folders()[0].online


def test_nested_folders_merge(library, tmp_path):
    _img(tmp_path / "all" / "inner" / "a.jpg")
    inner = library.add_folder(tmp_path / "all" / "inner")
    scan(library)
    outer = library.add_folder(tmp_path / "all")
    assert [f.path for f in library.catalog.folders()] == [outer.path]
    assert library.add_folder(tmp_path / "all" / "inner").id == outer.id
    assert library.catalog.photos()[0].folder_id == outer.id != inner.id


def test_remove_folder_forgets_photos_but_keeps_files(library, tmp_path):
    a = _img(tmp_path / "p" / "a.jpg")
    library.add_folder(tmp_path / "p")
    scan(library)
    assert library.remove_folder(tmp_path / "p") == 1
    assert a.exists() and library.catalog.counts("m").total == 0


def test_catalog_schema_is_versioned_and_refuses_newer(tmp_path):
    path = tmp_path / "c.sqlite3"
    cat = Catalog(path)
    assert cat.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert cat.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    cat.close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version={len(MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(CatalogTooNew, match="newer photosearch"):
        Catalog(path)


def test_catalog_migrates_an_old_library(tmp_path):
    """A library written at schema 1 opens and gains the later migrations."""
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0])
    conn.execute("INSERT INTO folders(path, added_at) VALUES ('/x', 0)")
    conn.execute("PRAGMA user_version=1")
    conn.commit()
    conn.close()
    cat = Catalog(path)
    assert cat.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert [f.path for f in cat.folders()] == ["/x"]
    cat.close()
