"""A damaged catalog is named as such, never taken for a new library; backups rotate and
restore it, keeping the damaged file aside; a newer schema is one clear line."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from photosearch.cli.main import main
from photosearch.core.backups import KEEP, list_backups
from photosearch.core.catalog import MIGRATIONS
from photosearch.core.errors import CatalogDamaged
from photosearch.core.library import Library, restore_catalog

T0 = datetime(2026, 1, 1, 12, tzinfo=timezone.utc)


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def library_with_folder(tmp_path: Path, name: str = "a") -> tuple[Path, Path]:
    """A library knowing one folder, with one backup; returns (library dir, folder)."""
    root, folder = tmp_path / "lib", tmp_path / name
    folder.mkdir()
    with Library.open(root) as lib:
        lib.add_folder(folder)
        lib.backup(now=T0)
    return root, folder


def page_size(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()


def damage(path: Path, kind: str) -> None:
    data = path.read_bytes()
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "garbage":
        path.write_bytes(b"these are not the bytes of a database\n" * 200)
    elif kind == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif kind == "bad page":  # the header is whole; a table's page is not
        size = page_size(path)
        path.write_bytes(data[:size] + b"\xff" * size + data[2 * size:])


def test_a_new_library_is_made_whole_and_an_empty_file_is_not_one(tmp_path):
    root = tmp_path / "lib"
    with Library.open(root) as lib:
        assert lib.catalog.counts("m").total == 0
    assert sorted(p.name for p in root.iterdir()) == ["catalog.sqlite3"]  # no leftovers
    (root / "catalog.sqlite3").write_bytes(b"")
    with pytest.raises(CatalogDamaged, match="empty"):
        Library.open(root)
    assert (root / "catalog.sqlite3").stat().st_size == 0   # left as it was found


@pytest.mark.parametrize("kind", ["empty", "garbage", "truncated"])
def test_damage_is_named_and_the_backup_restores(tmp_path, capsys, kind):
    root, folder = library_with_folder(tmp_path)
    catalog = root / "catalog.sqlite3"
    damage(catalog, kind)
    damaged = catalog.read_bytes()

    with pytest.raises(CatalogDamaged) as caught:
        Library.open(root)
    assert caught.value.backup == list_backups(root / "backups")[0].path

    code, _, err = cli(capsys, "status", "--library", str(root))
    assert code == 1 and "Traceback" not in err
    assert "is damaged" in err and "photosearch restore --library" in err

    code, out, _ = cli(capsys, "restore", "--library", str(root))
    assert code == 0 and "kept as" in out
    aside = [p for p in root.glob("catalog-replaced-*.sqlite3")]
    assert len(aside) == 1 and aside[0].read_bytes() == damaged   # kept, untouched

    code, out, _ = cli(capsys, "status", "--library", str(root))
    assert code == 0 and str(folder) in out


def test_a_catalog_gone_from_a_library_with_backups_is_not_a_new_library(tmp_path, capsys):
    root, folder = library_with_folder(tmp_path)
    (root / "catalog.sqlite3").unlink()
    with pytest.raises(CatalogDamaged, match="missing"):
        Library.open(root)
    assert not (root / "catalog.sqlite3").exists()
    stale = root / "indexes" / "some-model" / "index.hnsw"   # a cache of the lost catalog
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"vectors under the old photo ids")
    assert cli(capsys, "restore", "--library", str(root))[0] == 0
    assert not stale.exists()                                # rebuilt when next needed
    with Library.open(root) as lib:
        assert [f.path for f in lib.catalog.folders()] == [str(folder)]


def test_damage_found_by_a_query_is_named_and_never_backed_up(tmp_path, capsys):
    root, _ = library_with_folder(tmp_path)
    before = list_backups(root / "backups")
    damage(root / "catalog.sqlite3", "bad page")

    code, _, err = cli(capsys, "folders", "list", "--library", str(root))
    assert code == 1 and "Traceback" not in err and "is damaged" in err

    with Library.open(root) as lib, pytest.raises(CatalogDamaged):
        lib.backup(now=T0 + timedelta(days=2))
    assert list_backups(root / "backups") == before     # the good one stays
    assert not [p for p in (root / "backups").iterdir() if p.suffix != ".sqlite3"]


def test_backups_rotate_at_most_daily(tmp_path):
    root = tmp_path / "lib"
    with Library.open(root) as lib:
        assert lib.backup(due_only=True, now=T0) is not None         # none yet: due
        assert lib.backup(due_only=True, now=T0 + timedelta(hours=23)) is None
        lib.add_folder(tmp_path)
        for day in range(1, KEEP + 2):
            assert lib.backup(due_only=True, now=T0 + timedelta(days=day)) is not None
    kept = list_backups(root / "backups")
    assert [b.taken for b in kept] == [T0 + timedelta(days=d) for d in
                                       range(KEEP + 1, 1, -1)]
    assert sorted(p.name for p in (root / "backups").iterdir()) == sorted(
        b.path.name for b in kept)                                    # no temp files
    conn = sqlite3.connect(kept[0].path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # self-contained
    assert conn.execute("SELECT path FROM folders").fetchall() == [(str(tmp_path),)]
    conn.close()


def test_restore_without_a_backup_offers_a_fresh_catalog(tmp_path, capsys):
    root = tmp_path / "lib"
    Library.open(root).close()
    damage(root / "catalog.sqlite3", "garbage")
    code, _, err = cli(capsys, "search", "tag:x", "--library", str(root))
    assert code == 1 and "no backup" in err and "restore --fresh" in err
    code, _, err = cli(capsys, "restore", "--library", str(root))
    assert code == 1 and "No sound backup" in err
    done = restore_catalog(root, fresh=True)
    assert done.backup is None and done.aside is not None and done.aside.stat().st_size
    with Library.open(root) as lib:
        assert lib.catalog.folders() == []


def test_a_newer_schema_is_one_line(tmp_path, capsys):
    root = tmp_path / "lib"
    Library.open(root).close()
    conn = sqlite3.connect(root / "catalog.sqlite3")
    conn.execute(f"PRAGMA user_version={len(MIGRATIONS) + 1}")
    conn.close()
    code, out, err = cli(capsys, "status", "--library", str(root))
    assert code == 1 and not out
    assert err.count("\n") == 1 and "newer photosearch" in err


def test_usage_errors_exit_2_without_a_traceback(tmp_path, capsys):
    root = tmp_path / "lib"
    code, _, err = cli(capsys, "search", "", "--library", str(root))
    assert code == 2 and "Nothing to search for" in err and "Traceback" not in err
    code, _, err = cli(capsys, "search", 'tag:""', "--library", str(root))
    assert code == 2 and "Nothing to search for" in err
    with pytest.raises(SystemExit) as stopped:
        main(["search", "cat", "-k", "0", "--library", str(root)])
    assert stopped.value.code == 2 and "must be 1 or more" in capsys.readouterr().err
