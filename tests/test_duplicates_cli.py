"""``photosearch duplicates`` as a user runs it: --json shape, tiers, --trash."""

from __future__ import annotations

import io
import json
import os

import pytest
from conftest import FIXTURE_MODEL
from test_duplicates import write_copies

from photosearch.cli.main import main
from photosearch.core.features import standard_hooks
from photosearch.core.library import Library
from photosearch.core.pipeline import index_library


@pytest.fixture
def lib_dir(tmp_path, encoder, make_photos):
    originals = [p for p, _, _ in make_photos(per_class=1, seed=9, size=160,
                                               folder=tmp_path / "photos")]
    write_copies(originals[2], tmp_path / "photos" / "copies")
    with Library.open(tmp_path / "lib") as lib:
        lib.add_folder(tmp_path / "photos")
        index_library(lib, encoder, hooks=standard_hooks())
    return tmp_path / "lib"


def run(capsys, lib_dir, *args: str) -> tuple[int, str]:
    code = main(["duplicates", *args, "--library", str(lib_dir),
                 "--model", f"local-dir:{FIXTURE_MODEL}"])
    return code, capsys.readouterr().out


def test_json_lists_groups_with_one_keep(capsys, lib_dir):
    code, out = run(capsys, lib_dir, "--json")
    assert code == 0
    groups = json.loads(out)
    assert len(groups) == 1 and groups[0]["tier"] == "same"
    photos = groups[0]["photos"]
    assert len(photos) == 7 and sum(p["keep"] for p in photos) == 1
    for p in photos:
        assert {"path", "keep", "width", "height", "size", "format"} <= p.keys()
    assert photos[0]["keep"] and photos[0]["width"] == max(p["width"] for p in photos)


def test_tier_and_threshold_options(capsys, lib_dir):
    _, out = run(capsys, lib_dir, "--json", "--tier", "exact")
    groups = json.loads(out)
    assert [(g["tier"], len(g["photos"])) for g in groups] == [("exact", 2)]
    _, out = run(capsys, lib_dir, "--json", "--tier", "same", "--threshold", "0")
    assert {g["tier"] for g in json.loads(out)} <= {"exact", "same"}
    code, out = run(capsys, lib_dir)
    assert code == 0 and "[same picture]" in out and "keep" in out


def test_trash_with_yes_moves_the_extra_copies(capsys, lib_dir, tmp_path):
    _, out = run(capsys, lib_dir, "--json")
    group = json.loads(out)[0]["photos"]
    code, out = run(capsys, lib_dir, "--trash", "--yes", "--json")
    assert code == 0
    report = json.loads(out)
    assert sorted(report["moved"]) == sorted(p["path"] for p in group if not p["keep"])
    assert all(os.path.exists(p["path"]) == p["keep"] for p in group)
    _, out = run(capsys, lib_dir, "--json")
    assert json.loads(out) == []


def test_trash_without_a_terminal_asks_for_yes(capsys, lib_dir, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))   # not a terminal
    code, _ = run(capsys, lib_dir, "--trash")
    assert code == 2
    _, out = run(capsys, lib_dir, "--json")
    assert len(json.loads(out)[0]["photos"]) == 7


def test_hide_duplicates_collapses_results_as_the_app_does(capsys, lib_dir):
    """``--hide-duplicates`` uses the app's collapse (``Collapsed``): copies are filtered
    out of the search, and the kept photo lists them."""
    from photosearch.core.duplicates import Collapsed

    _, out = run(capsys, lib_dir, "--json")
    group = json.loads(out)[0]["photos"]
    keep = next(p["path"] for p in group if p["keep"])
    code = main(["similar", keep, "-k", "40", "--hide-duplicates", "--json",
                 "--library", str(lib_dir), "--model", f"local-dir:{FIXTURE_MODEL}"])
    hits = json.loads(capsys.readouterr().out)
    assert code == 0
    with Library.open(lib_dir) as lib:
        collapsed = Collapsed.load(lib)
        hidden = {lib.catalog.photo(i).path for i in collapsed.hidden}
    others = {p["path"] for p in group if not p["keep"]}
    assert hidden == others
    assert hits and not {h["path"] for h in hits} & others
    code = main(["search", "a", "photo", "-k", "40", "--all", "--hide-duplicates", "--json",
                 "--library", str(lib_dir), "--model", f"local-dir:{FIXTURE_MODEL}"])
    hits = json.loads(capsys.readouterr().out)
    listed = {h["path"]: h["copies"] for h in hits}
    assert keep in listed and sorted(listed[keep]) == sorted(others)
    assert not set(listed) & others
    assert all(copies == [] for path, copies in listed.items() if path != keep)


def test_trash_skips_a_group_whose_kept_file_changed_and_says_why(capsys, lib_dir):
    from PIL import Image

    _, out = run(capsys, lib_dir, "--json")
    group = json.loads(out)[0]["photos"]
    keep = next(p["path"] for p in group if p["keep"])
    Image.new("RGB", (40, 30), (0, 0, 255)).save(keep, "JPEG" if keep.endswith("jpg")
                                                 else None)    # edited after grouping
    code, out = run(capsys, lib_dir, "--trash", "--yes", "--json")
    report = json.loads(out)
    assert code == 1 and report["moved"] == []
    assert [s["reason"] for s in report["skipped"]] == ["keep_changed"]
    assert all(os.path.exists(p["path"]) for p in group)
    code, out = run(capsys, lib_dir, "--trash", "--yes")
    assert code == 1 and "skipped a group" in out and "changed" in out
