"""File names that are not UTF-8, or hold a newline: indexed, found, shown, round-tripped.

An old camera or a zip from another system writes Latin-1 names (``caf\\xe9.jpg``); such a
name used to roll back the whole scan batch when it was stored.
"""

from __future__ import annotations

import json
import os
import shutil

from test_cli import run

from photosearch.core.pipeline import index_library
from photosearch.core.scanning import refresh_paths
from photosearch.core.search import search_text
from photosearch.core.tagging import store

LATIN1_DIR = b"\xc4lt"                 # "Ält" in Latin-1
LATIN1_NAME = b"caf\xe9.jpg"           # "café.jpg" in Latin-1
NEWLINE_NAME = "two\nlines.jpg"


def _odd_names(folder, source) -> tuple[str, str, bytes]:
    """Copies of ``source`` under a Latin-1 folder and name and under a name with a newline."""
    odd_dir = os.path.join(os.fsencode(folder), LATIN1_DIR)
    os.mkdir(odd_dir)
    latin1 = os.path.join(odd_dir, LATIN1_NAME)
    shutil.copyfile(source, latin1)
    newline = os.path.join(os.fsdecode(odd_dir), NEWLINE_NAME)
    shutil.copyfile(source, newline)
    return os.fsdecode(odd_dir), newline, latin1


def test_names_not_utf8_are_indexed_searchable_and_kept_through_moves(library, encoder,
                                                                       make_photos, tmp_path):
    folder = tmp_path / "photos"
    written = make_photos(per_class=1, seed=5, folder=folder)
    source = next(p for p in folder.iterdir() if p.name.startswith("red_ring"))
    odd_dir, newline, latin1 = _odd_names(folder, source)
    library.add_folder(folder)

    report = index_library(library, encoder)

    assert report.failed == [] and report.embedded + report.reused == len(written) + 2
    photo = library.catalog.photo_by_path(os.fsdecode(latin1))
    assert photo is not None and photo.status == "ok"
    assert os.fsencode(photo.path) == latin1            # the exact bytes, not a lookalike
    hits = search_text(library, encoder, "a red ring", k=5, folder=odd_dir)
    assert {os.fsencode(h.path) for h in hits} == {latin1, os.fsencode(newline)}

    # a rescan recognises both (no second row), tags attach, and a rename keeps the row
    again = index_library(library, encoder)
    assert again.scan.added == [] and again.scan.unchanged == len(written) + 2
    store.add_manual(library.catalog, photo.id, "café")
    assert store.photos_with_tags(library.catalog, ["café"])[0][0] == photo.id
    renamed = os.path.join(os.fsencode(odd_dir), b"caf\xe9-2.jpg")
    os.rename(latin1, renamed)
    moved = refresh_paths(library.catalog, [os.fsdecode(latin1), os.fsdecode(renamed)])
    assert moved.moved == [photo.id]
    assert os.fsencode(library.catalog.photo(photo.id).path) == renamed


def test_cli_json_round_trips_odd_names_and_plain_text_keeps_one_line_each(make_photos,
                                                                          tmp_path):
    folder = tmp_path / "photos"
    make_photos(per_class=1, seed=6, folder=folder)
    source = next(p for p in folder.iterdir() if p.name.startswith("red_ring"))
    odd_dir, newline, latin1 = _odd_names(folder, source)
    broken = os.path.join(os.fsencode(odd_dir), b"bad\xff\nname.jpg")
    with open(broken, "wb") as f:
        f.write(b"not a jpeg")
    lib = tmp_path / "lib"
    run("index", str(folder), library=lib)

    hits = json.loads(run("search", "a red ring", "--folder", odd_dir, "--json",
                          library=lib).stdout)
    assert {os.fsencode(h["path"]) for h in hits} == {latin1, os.fsencode(newline)}

    lines = run("search", "a red ring", "--folder", odd_dir, library=lib).stdout.splitlines()
    assert len(lines) == 2                                  # one line per hit, newline or not
    shown = {line.split(maxsplit=1)[1] for line in lines}
    assert shown == {os.path.join(odd_dir, "two\\nlines.jpg").replace("\udcc4", "\\xc4"),
                     os.path.join(odd_dir, "caf\\xe9.jpg").replace("\udcc4", "\\xc4")}

    status = json.loads(run("status", "--json", library=lib).stdout)
    assert [os.fsencode(f["path"]) for f in status["failures"]] == [broken]
    text = run("status", library=lib).stdout
    assert "bad\\xff\\nname.jpg: not an image" in text
