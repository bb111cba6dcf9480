"""``photosearch tags`` and ``search tag:…`` as a user runs them."""

from __future__ import annotations

import pytest
from cli_helpers import run_json as run
from tag_helpers import tagged_copy


@pytest.fixture
def setup(tmp_path_factory, tmp_path, encoder, monkeypatch):
    return tagged_copy(tmp_path_factory, tmp_path, encoder, monkeypatch)


def test_photo_tags_json_add_remove(capsys, setup):
    lib_dir, photos = setup
    path, colour, shape = photos[0]
    code, tags = run(capsys, lib_dir, "tags", str(path))
    assert code == 0
    assert all(set(t) == {"tag", "label", "score", "manual"} for t in tags)
    assert {colour, shape} <= {t["tag"] for t in tags}
    assert all(isinstance(t["score"], float) and not t["manual"] for t in tags)
    code, tags = run(capsys, lib_dir, "tags", str(path), "--add", "пляж", "--remove", colour,
                     "--lang", "ru")
    assert tags[0] == {"tag": "beach", "label": "пляж", "score": None, "manual": True}
    assert colour not in {t["tag"] for t in tags}


def test_list_retag_and_search(capsys, setup):
    lib_dir, photos = setup
    code, listing = run(capsys, lib_dir, "tags", "--list")
    assert code == 0 and listing[0]["count"] >= listing[-1]["count"]
    assert {"tag", "label", "count"} == set(listing[0])
    assert next(r for r in listing if r["tag"] == "red")["count"] == 12
    code, report = run(capsys, lib_dir, "tags", "--retag")
    assert code == 0 and report["photos"] == len(photos)
    code, hits = run(capsys, lib_dir, "search", "tag:red")
    assert sorted(h["path"] for h in hits) == sorted(str(p) for p, c, _ in photos if c == "red")
    code, hits = run(capsys, lib_dir, "search", "tag:red", "star", "-k", "1")
    assert "red_star_" in hits[0]["path"]
