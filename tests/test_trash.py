"""The restore location printed after trashing is where the file really went."""

from __future__ import annotations

import os

from PIL import Image

from photosearch.core.pipeline import scan
from photosearch.core.trash import move_to_trash


def _other_volume(monkeypatch, top):
    """Make send2trash (and us) see ``top`` as the root of another mounted volume."""
    import send2trash.plat_other as fd

    top_b = os.fsencode(top)
    real_dev = fd.get_dev
    monkeypatch.setattr(fd, "get_dev", lambda p: -1 if os.fsencode(p).startswith(top_b)
                        else real_dev(p))
    monkeypatch.setattr(fd, "find_mount_point", lambda p: top_b)


def test_files_on_another_volume_are_reported_in_that_volumes_trash(
        library, tmp_path, monkeypatch):
    usb, home = tmp_path / "usb", tmp_path / "home-disk"
    for folder in (usb, home):
        folder.mkdir()
        Image.new("RGB", (32, 32), "red").save(folder / "a.jpg")
        library.add_folder(folder)
    scan(library)
    _other_volume(monkeypatch, usb)
    report = move_to_trash(library, [str(usb / "a.jpg"), str(home / "a.jpg")])
    assert len(report.moved) == 2 and not report.failed
    volume_trash = usb / f".Trash-{os.getuid()}" / "files"
    assert (volume_trash / "a.jpg").is_file()
    home_trash = os.path.join(os.environ["XDG_DATA_HOME"], "Trash", "files")
    assert os.path.isfile(os.path.join(home_trash, "a.jpg"))
    assert str(volume_trash) in report.location and home_trash in report.location
    logged = dict(library.catalog.conn.execute("SELECT path, location FROM trash_log"))
    assert str(volume_trash) in logged[str(usb / "a.jpg")]
    assert home_trash in logged[str(home / "a.jpg")]


def test_a_volume_with_a_shared_sticky_trash_uses_the_users_folder_in_it(
        library, tmp_path, monkeypatch):
    usb = tmp_path / "usb"
    usb.mkdir()
    (usb / ".Trash").mkdir(mode=0o1777)
    os.chmod(usb / ".Trash", 0o1777)
    Image.new("RGB", (32, 32), "red").save(usb / "b.jpg")
    library.add_folder(usb)
    scan(library)
    _other_volume(monkeypatch, usb)
    report = move_to_trash(library, [str(usb / "b.jpg")])
    went = usb / ".Trash" / str(os.getuid()) / "files" / "b.jpg"
    assert went.is_file() and str(went.parent) in report.location
