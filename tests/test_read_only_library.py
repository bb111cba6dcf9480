"""A library that cannot be written opens for searching, read-only, with a note; nothing
in it is written (not the catalog, not an index, not a thumbnail); indexing says why not.

Tests run as root here, and permission bits do not stop root, so read-only is simulated
two ways: in process, ``is_writable`` is made to answer no (everything after that is the
real read-only path: SQLite's read-only connections, no saves); and in a subprocess, on a
real read-only bind mount (``unshare -m``, root only) or with the write bits removed
(when not root). The second skips where neither is possible.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURE_MODEL, ROOT

from photosearch.cli.main import main
from photosearch.core import library as library_module
from photosearch.core.errors import LibraryReadOnly
from photosearch.core.library import Library
from photosearch.core.pipeline import index_library

MODEL = ["--model", f"local-dir:{FIXTURE_MODEL}"]


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``root`` with its size and modification time; but SQLite's
    ``-shm``/``-wal`` files, which a read-only reader of a WAL database creates (empty)
    where the folder lets it, to coordinate with writers."""
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if not p.name.endswith(("-shm", "-wal"))}


@pytest.fixture
def indexed_root(tmp_path, make_photos, encoder) -> tuple[Path, Path]:
    folder = tmp_path / "photos"
    make_photos(per_class=1, seed=7, folder=folder)
    root = tmp_path / "lib"
    with Library.open(root) as lib:
        lib.add_folder(folder)
        assert index_library(lib, encoder).embedded == 36
    shutil.rmtree(root / "indexes")     # a read-only open must rebuild it, in memory only
    shutil.rmtree(root / "thumbnails")  # and make thumbnails elsewhere
    return root, folder


def test_read_only_library_searches_and_writes_nothing(indexed_root, monkeypatch, capsys):
    root, folder = indexed_root
    monkeypatch.setattr(library_module, "is_writable", lambda *_: False)
    before = snapshot(root)

    assert main(["status", "--library", str(root), *MODEL]) == 0
    out = capsys.readouterr()
    assert "36 indexed" in out.out and "read-only" in out.err

    assert main(["search", "a", "red", "circle", "-k", "3", "--library", str(root),
                 *MODEL]) == 0
    out = capsys.readouterr()
    assert "red_circle" in out.out.splitlines()[0]
    target = str(folder / "blue_square_000.jpg")
    assert main(["similar", target, "-k", "2", "--library", str(root), *MODEL]) == 0
    similar = capsys.readouterr().out.splitlines()
    assert len(similar) == 2 and target not in "\n".join(similar)

    assert main(["index", "--library", str(root), *MODEL]) == 1
    err = capsys.readouterr().err
    assert "read-only" in err and "cannot index" in err and "Traceback" not in err
    assert snapshot(root) == before


def test_read_only_core_refuses_writes_and_spills_thumbnails(indexed_root, encoder):
    from PIL import Image

    root, folder = indexed_root
    before = snapshot(root)
    more = root.parent / "more"
    more.mkdir()
    with Library.open(root, read_only=True) as lib:
        with pytest.raises(LibraryReadOnly):
            lib.add_folder(more)
        with pytest.raises(LibraryReadOnly):
            lib.remove_folder(folder)
        with pytest.raises(LibraryReadOnly), lib.writer_lock():
            pass
        with pytest.raises(LibraryReadOnly):
            lib.backup()
        thumb = lib.thumbnails.store("ab" * 32, Image.new("RGB", (40, 30)))
        assert thumb.is_file() and root not in thumb.parents
        assert len(lib.index_for(encoder.key, encoder.dim)) == 36     # rebuilt in memory
        spill = lib.thumbnails.spill
    assert snapshot(root) == before and not spill.exists()


def _read_only_command(root: Path, command: list[str]) -> list[str]:
    """``command`` run where ``root`` truly cannot be written, or skip."""
    if os.geteuid() != 0:
        for p in [root, *root.rglob("*")]:
            p.chmod(p.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
        return command
    if shutil.which("unshare") is None:
        pytest.skip("needs unshare to make a read-only mount as root")
    wrap = ["unshare", "-m", "sh", "-c", 'mount --bind -o ro "$0" "$0" && exec "$@"',
            str(root)]
    probe = subprocess.run([*wrap, "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"no read-only mount here: {probe.stderr.strip()}")
    return [*wrap, *command]


def test_on_a_truly_read_only_disk(indexed_root):
    root, _ = indexed_root
    before = snapshot(root)
    try:
        _search_read_only(root, before)
    finally:  # give the write bits back (when not root), so the test folder can go
        for p in [root, *root.rglob("*")]:
            p.chmod(p.stat().st_mode | stat.S_IWUSR)


def _search_read_only(root: Path, before: dict[str, tuple[int, int]]) -> None:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}

    def run(*args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "photosearch", *args, "--library", str(root), *MODEL]
        return subprocess.run(_read_only_command(root, command), capture_output=True,
                              text=True, cwd=ROOT, env=env, timeout=300)

    status = run("status")
    assert status.returncode == 0, status.stderr
    assert "36 indexed" in status.stdout and "read-only" in status.stderr
    found = run("search", "a green square", "-k", "2")
    assert found.returncode == 0 and "green_square" in found.stdout.splitlines()[0]
    refused = run("index")
    assert refused.returncode == 1 and "read-only" in refused.stderr
    assert "Traceback" not in status.stderr + found.stderr + refused.stderr
    assert snapshot(root) == before
