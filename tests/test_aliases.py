"""One file, one photo: symlinks, hard links and folders added twice never make a file an
"exact copy" of itself, so `duplicates --trash` can never pick the only real copy."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from conftest import FIXTURE_MODEL
from PIL import Image

from photosearch.cli.main import main
from photosearch.core.errors import FolderOverlap
from photosearch.core.features import standard_hooks
from photosearch.core.pipeline import index_library, scan


def _img(path, colour=(200, 0, 0), size=(64, 48)):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path)
    return path


def _live(library) -> list[str]:
    return sorted(p.path for p in library.catalog.photos() if p.status != "missing")


def test_folder_added_twice_through_a_symlink_is_one_photo_and_never_trashed(
        tmp_path, encoder, capsys):
    real = tmp_path / "photos"
    a = _img(real / "a.jpg")
    _img(real / "b.jpg", (0, 0, 200))
    link = tmp_path / "link"
    os.symlink(real, link)
    lib_dir = tmp_path / "lib"
    args = ["--library", str(lib_dir), "--model", f"local-dir:{FIXTURE_MODEL}"]
    for folder in (real, link):
        assert main(["folders", "add", str(folder), *args]) == 0
    assert "already in the library" in capsys.readouterr().err
    from photosearch.core.library import Library

    with Library.open(lib_dir) as library:
        assert [f.path for f in library.catalog.folders()] == [str(real)]
        index_library(library, encoder, hooks=standard_hooks())
        assert _live(library) == [str(a), str(real / "b.jpg")]
    assert main(["duplicates", "--json", *args]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["duplicates", "--trash", "--yes", "--json", *args]) == 0
    assert a.is_file() and (real / "b.jpg").is_file()


def test_folder_given_by_a_symlink_is_stored_by_its_real_path(library, tmp_path):
    real = _img(tmp_path / "disk" / "photos" / "a.jpg").parent
    os.symlink(real, tmp_path / "Pictures")
    folder = library.add_folder(tmp_path / "Pictures")
    assert folder.path == str(real)
    assert library.add_folder(real) == folder
    assert library.remove_folder(tmp_path / "Pictures") == 0
    assert library.catalog.folders() == []


def test_a_photo_named_through_a_symlinked_folder_is_found(library, tmp_path, monkeypatch):
    """`tags PATH`, `teach NAME PATH`, `search --like PATH`: the path a user types may go
    through a symlink, while the catalog holds the real path."""
    real = _img(tmp_path / "disk" / "photos" / "a.jpg").parent
    os.symlink(real, tmp_path / "Pictures")
    library.add_folder(tmp_path / "Pictures")
    scan(library)
    photo = library.catalog.photo_by_path(str(real / "a.jpg"))
    assert photo is not None
    assert library.catalog.photo_by_path(str(tmp_path / "Pictures" / "a.jpg")) is None
    assert library.catalog.photo_at(str(tmp_path / "Pictures" / "a.jpg")) == photo
    monkeypatch.chdir(tmp_path / "Pictures")
    assert library.catalog.photo_at("a.jpg") == photo
    assert library.catalog.photo_at(str(tmp_path / "Pictures" / "b.jpg")) is None


def test_per_file_symlinks_and_hard_links_are_aliases(library, tmp_path):
    root = tmp_path / "photos"
    a = _img(root / "z-real.jpg")
    os.symlink(a, root / "a-link.jpg")            # sorts first, still not the one kept
    library.add_folder(root)
    scan(library)
    assert _live(library) == [str(a)]
    os.link(a, root / "hard.jpg")                 # two real names of one file: one photo
    scan(library)
    scan(library)
    assert _live(library) == [str(a)]


def test_symlink_to_a_file_outside_is_followed_once_then_yields_to_the_real_path(
        library, tmp_path):
    outside = _img(tmp_path / "elsewhere" / "x.jpg")
    root = tmp_path / "photos"
    root.mkdir()
    os.symlink(outside, root / "x.jpg")
    library.add_folder(root)
    scan(library)
    [photo] = library.catalog.photos()
    assert photo.path == str(root / "x.jpg")       # followed: users link to other drives
    library.add_folder(tmp_path / "elsewhere")
    report = scan(library)
    assert _live(library) == [str(outside)]        # the same row, now at the real path
    assert library.catalog.photo_by_path(str(outside)).id == photo.id
    assert report.moved == [photo.id] and not report.added


def test_symlinked_folder_inside_the_library_is_walked_once(library, tmp_path):
    root = tmp_path / "photos"
    a = _img(root / "sub" / "a.jpg")
    os.symlink(root / "sub", root / "0-link")      # visited before "sub" by name
    library.add_folder(root)
    scan(library)
    assert _live(library) == [str(a)]


def test_alias_rows_left_by_an_older_version_give_way_on_rescan(library, tmp_path):
    root = tmp_path / "photos"
    a = _img(root / "a.jpg")
    os.symlink(a, root / "b.jpg")
    library.add_folder(root)
    scan(library)
    folder = library.catalog.folders()[0]
    with library.catalog.write() as conn:          # what the old scan recorded
        conn.execute("INSERT INTO photos(folder_id, path, size, mtime, added_at) "
                     "VALUES (?, ?, 1, 0, 0)", (folder.id, str(root / "b.jpg")))
        conn.execute("UPDATE photos SET dev=NULL, ino=NULL")
    report = scan(library)
    assert _live(library) == [str(a)]
    assert len(report.vanished) == 1


def test_adding_a_parent_merges_and_a_folder_inside_changes_nothing(library, tmp_path):
    inner = tmp_path / "photos" / "2024"
    a = _img(inner / "a.jpg")
    library.add_folder(inner)
    scan(library)
    photo = library.catalog.photo_by_path(str(a))
    parent = library.add_folder(tmp_path / "photos")
    assert [f.path for f in library.catalog.folders()] == [parent.path]
    assert library.catalog.photo_by_path(str(a)).folder_id == parent.id == \
        library.catalog.photo(photo.id).folder_id
    os.symlink(inner, tmp_path / "shortcut")
    assert library.add_folder(tmp_path / "shortcut") == parent
    scan(library)
    assert _live(library) == [str(a)]


def test_folder_holding_a_library_folder_through_another_mount_is_refused(
        library, tmp_path, monkeypatch):
    """A bind mount needs root to make, so its signature (same device and inode under
    another path) is faked."""
    from photosearch.core import folder_identity

    real = tmp_path / "data" / "photos"
    _img(real / "a.jpg")
    library.add_folder(real)
    mount = tmp_path / "mnt"
    (mount / "photos").mkdir(parents=True)
    dir_id = folder_identity._dir_id
    monkeypatch.setattr(folder_identity, "_dir_id", lambda p: dir_id(
        str(tmp_path / "data") if p == str(mount) else p))
    with pytest.raises(FolderOverlap, match="another path"):
        library.add_folder(mount)
    shutil.rmtree(mount)
