"""Learned tags, relevance feedback and themes on the fixture model, as users run them."""

from __future__ import annotations

import numpy as np
import pytest
from cli_helpers import run_json as run
from tag_helpers import tagged_copy

from photosearch.core.library import Library
from photosearch.core.teaching.learners import METHODS, Learned, learn


@pytest.fixture
def setup(tmp_path_factory, tmp_path, encoder, monkeypatch):
    return tagged_copy(tmp_path_factory, tmp_path, encoder, monkeypatch)


def _paths(photos, colour=None, shape=None):
    return [str(p) for p, c, s in photos
            if (colour is None or c == colour) and (shape is None or s == shape)]


def test_every_method_separates_two_clusters_and_round_trips():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=16), rng.normal(size=16)
    pos = a + 0.2 * rng.normal(size=(5, 16))
    other = b + 0.2 * rng.normal(size=(50, 16))
    for method in METHODS:
        model = learn(pos, other[:3], other, method)
        back = Learned.from_bytes(method, model.to_bytes(), model.threshold)
        fresh_a = a + 0.2 * rng.normal(size=(10, 16))
        fresh_a /= np.linalg.norm(fresh_a, axis=1, keepdims=True)
        assert (back.scores(fresh_a) >= back.threshold).mean() >= 0.8, method
        assert (back.scores(other / np.linalg.norm(other, axis=1, keepdims=True))
                < back.threshold).mean() >= 0.9, method


def test_teach_red_things_from_five_examples(capsys, setup):
    lib_dir, photos = setup
    reds = _paths(photos, "red")
    code, report = run(capsys, lib_dir, "teach", "red things", *reds[:5])
    assert code == 0 and report["positive"] == 5 and report["method"] == "prototype"
    code, hits = run(capsys, lib_dir, "search", "tag:\"red things\"", "-k", "100")
    found = {h["path"] for h in hits}
    assert report["photos"] == len(found)
    assert set(reds[:5]) <= found
    assert len(found & set(reds)) >= 8                      # recall, of 12
    assert len(found - set(reds)) <= 2                      # precision
    code, listing = run(capsys, lib_dir, "tags", "--list")
    assert next(r for r in listing if r["tag"] == "red things")["count"] == len(found)


def test_rejected_examples_and_hand_edits_teach_too(capsys, setup):
    lib_dir, photos = setup
    circles = _paths(photos, shape="circle")
    red_circles = _paths(photos, "red", "circle")
    code, report = run(capsys, lib_dir, "teach", "дача", *circles[:4], "--not", red_circles[0])
    assert code == 0 and report["negative"] == 1
    code, hits = run(capsys, lib_dir, "search", "tag:дача", "-k", "100")
    assert red_circles[0] not in {h["path"] for h in hits}
    # the tag is a tag: a photo's tags show it, × removes it and that is a rejection
    shown = next(h["path"] for h in hits if h["path"] not in circles[:4])
    code, tags = run(capsys, lib_dir, "tags", shown, "--remove", "дача")
    code, listing = run(capsys, lib_dir, "teach", "--list")
    assert listing[0]["tag"] == "дача" and listing[0]["negative"] == 2
    code, again = run(capsys, lib_dir, "teach", "дача", "--retrain")
    assert again["negative"] == 2
    code, hits = run(capsys, lib_dir, "search", "tag:дача", "-k", "100")
    assert shown not in {h["path"] for h in hits}


def test_retag_keeps_learned_rows_and_delete_forgets(capsys, setup):
    lib_dir, photos = setup
    stars = _paths(photos, shape="star")
    run(capsys, lib_dir, "teach", "my stars", *stars[:3])
    _, before = run(capsys, lib_dir, "search", "tag:\"my stars\"", "-k", "100")
    code, _ = run(capsys, lib_dir, "tags", "--retag")
    _, after = run(capsys, lib_dir, "search", "tag:\"my stars\"", "-k", "100")
    assert before and {h["path"] for h in before} == {h["path"] for h in after}
    code, out = run(capsys, lib_dir, "teach", "my stars", "--delete")
    assert code == 0
    _, hits = run(capsys, lib_dir, "search", "tag:\"my stars\"")
    assert hits == []
    _, listing = run(capsys, lib_dir, "teach", "--list")
    assert listing == []


def test_teach_rejects_unknown_photos_and_empty_names(capsys, setup, tmp_path):
    lib_dir, photos = setup
    code, _ = run(capsys, lib_dir, "teach", "x", str(tmp_path / "nowhere.jpg"))
    assert code != 0
    code, _ = run(capsys, lib_dir, "teach", "  ", str(photos[0][0]))
    assert code == 2


def test_new_photos_get_learned_tags_while_indexing(setup, encoder, make_photos, tmp_path):
    from photosearch.core.features import standard_hooks
    from photosearch.core.pipeline import index_library
    from photosearch.core.query import search_query
    from photosearch.core.teaching.teach import teach

    lib_dir, photos = setup
    with Library.open(lib_dir) as lib:
        teach(lib, encoder.key, "greenery", _paths(photos, "green")[:5])
        new = make_photos(1, seed=5, folder=tmp_path / "new")
        lib.add_folder(tmp_path / "new")
        index_library(lib, encoder, hooks=standard_hooks())
        hits = search_query(lib, None, "tag:greenery", 200)
    new_green = {str(p) for p, c, _ in new if c == "green"}
    found = {h.path for h in hits}
    others = {str(p) for p, c, _ in new if c != "green"} & found
    assert len(found & new_green) >= 4 and len(found & new_green) > 2 * len(others)


def test_relearned_when_the_model_changes(setup, encoder):
    from photosearch.core.teaching import store
    from photosearch.core.teaching.teach import LearnedTagHook, teach

    lib_dir, photos = setup
    with Library.open(lib_dir) as lib:
        taught = teach(lib, encoder.key, "blues", _paths(photos, "blue")[:4])
        with lib.catalog.write() as conn:        # as if learned with another model
            conn.execute("UPDATE learned_tags SET model='other'")
            conn.execute("DELETE FROM photo_tags WHERE tag='blues'")
        LearnedTagHook().finish(lib, encoder)
        assert store.learned_tag(lib.catalog, "blues").model == encoder.key
        assert store.carriers(lib.catalog, "blues") == taught.photos >= 4


def test_relevance_feedback_moves_the_query(capsys, setup):
    lib_dir, photos = setup
    red_circle = _paths(photos, "red", "circle")[0]
    blue_circle = _paths(photos, "blue", "circle")[0]
    code, plain = run(capsys, lib_dir, "search", "circle", "--all", "-k", "12")
    code, fed = run(capsys, lib_dir, "search", "circle", "--all", "-k", "12",
                    "--like", blue_circle, "--unlike", red_circle)
    def blue_rank(hits):
        return next(i for i, h in enumerate(hits) if "blue_" in h["path"])
    paths = [h["path"] for h in fed]
    assert red_circle not in paths and blue_circle not in paths   # marked: not listed
    assert "blue_circle" in paths[0]
    reds = sum("red_" in p for p in paths[:6])
    assert reds <= sum("red_" in h["path"] for h in plain[:6])
    assert blue_rank(fed) <= blue_rank(plain)


def test_themes_cli_and_theme_to_tag(capsys, setup, encoder):
    from photosearch.core.tagging.vocab import load_vocabulary
    from photosearch.core.teaching.themes import list_themes, theme_to_tag

    lib_dir, photos = setup
    code, themes = run(capsys, lib_dir, "themes", "--rebuild")
    assert code == 0 and len(themes) >= 2
    assert all(set(t) == {"id", "label", "count", "photos"} for t in themes)
    assert sum(t["count"] for t in themes) == len(photos)
    assert all(t["count"] == len(t["photos"]) and t["label"] for t in themes)
    code, ru = run(capsys, lib_dir, "themes", "--lang", "ru")
    assert [t["id"] for t in ru] == [t["id"] for t in themes]   # not clustered again
    with Library.open(lib_dir) as lib:
        theme = list_themes(lib, encoder.key, load_vocabulary())[0]
        report = theme_to_tag(lib, encoder.key, theme, "theme one")
    assert report.photos >= min(theme.count, 20)
