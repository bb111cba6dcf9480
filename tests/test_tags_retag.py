"""Re-tagging fast without changing what it writes: the thresholded selection picks what
sorting every word would, and a large re-tag (by-tag index dropped, then rebuilt) stores
the same rows and always leaves the index in place."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from tag_helpers import tagged_copy

from photosearch.core.library import Library
from photosearch.core.progress import Cancelled
from photosearch.core.tagging import store, tagger
from photosearch.core.tagging.select import SelectionParams, Selector, TagStats
from photosearch.core.tagging.tagger import retag_library


def _unit(rows: int, dim: int, rng: np.random.Generator) -> np.ndarray:
    v = rng.standard_normal((rows, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _by_full_sort(selector: Selector, vectors: np.ndarray) -> list[list[tuple[int, float]]]:
    """The selection rule applied to each photo's words sorted in full (the reference)."""
    p = selector.params
    z = selector.calibrated(vectors)
    width = min(z.shape[1], max(p.max_tags * 4, 16))
    out = []
    for row in z:
        chosen: list[tuple[int, float]] = []
        blocked: set[int] = set()
        for c in np.argsort(-row, kind="stable")[:width].tolist():
            v = float(row[c])
            if len(chosen) >= p.max_tags or (v < p.z_min and len(chosen) >= p.min_tags):
                break
            if c not in blocked:
                chosen.append((c, v))
                blocked.update(selector._synonyms.get(c, ()))
        out.append(chosen)
    return out


@pytest.mark.parametrize("z_min", [0.5, 2.5, 3.5, 6.0])   # from most words above to none
def test_selection_picks_what_sorting_every_word_picks(z_min):
    rng = np.random.default_rng(int(z_min * 10))
    common = _unit(1, 32, rng)
    tags = _unit(300, 32, rng) + 1.5 * common
    tags[1] = tags[0] + 0.01 * rng.standard_normal(32)      # a near-synonym pair
    photos = _unit(500, 32, rng) + 0.8 * common
    params = SelectionParams(z_min=z_min, synonym_cosine=0.6)
    selector = Selector(tags, TagStats.from_scores(photos[:100] @ tags.T), params)
    got = selector.select(photos)
    want = _by_full_sort(selector, photos)
    assert [[c for c, _ in r] for r in got] == [[c for c, _ in r] for r in want]
    assert all(len(r) >= params.min_tags for r in got)


def _auto_rows(lib: Library) -> list[tuple]:
    return lib.catalog.conn.execute(
        "SELECT photo_id, tag, score FROM photo_tags WHERE manual=0 AND removed=0 "
        "ORDER BY photo_id, tag").fetchall()


def _has_tag_index(lib: Library) -> bool:
    return lib.catalog.conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='index' AND name='photo_tags_tag'",
    ).fetchone() is not None


def test_a_large_retag_writes_the_same_rows_and_keeps_the_tag_index(
        tmp_path_factory, tmp_path, encoder, monkeypatch):
    lib_dir, photos = tagged_copy(tmp_path_factory, tmp_path, encoder, monkeypatch)
    with Library.open(lib_dir) as lib:
        monkeypatch.setattr(store, "BULK_PHOTOS", 10**9)   # row by row into both B-trees
        retag_library(lib, encoder)
        before = _auto_rows(lib)
        assert before
        with lib.catalog.write() as conn:
            conn.execute("DELETE FROM photo_tags WHERE manual=0 AND removed=0")
        monkeypatch.setattr(store, "BULK_PHOTOS", 1)       # index dropped, rebuilt after
        retag_library(lib, encoder)
        assert _auto_rows(lib) == before
        assert _has_tag_index(lib)
        plan = lib.catalog.conn.execute(
            "EXPLAIN QUERY PLAN SELECT photo_id FROM photo_tags WHERE tag=? AND removed=0",
            ("red",)).fetchall()
        assert "photo_tags_tag" in str(plan)
        # cancelled half-way: the index is back all the same
        monkeypatch.setattr(tagger, "CHUNK", 10)
        cancel = threading.Event()
        with pytest.raises(Cancelled):
            retag_library(lib, encoder, cancel=cancel,
                          progress=lambda p: cancel.set() if p.done else None)
        assert _has_tag_index(lib)


def test_a_retag_in_blocks_selected_ahead_writes_what_one_block_writes(
        tmp_path_factory, tmp_path, encoder, monkeypatch):
    """Blocks chosen by worker threads while earlier ones are written: the same rows as
    one block; a cancel keeps whole blocks written so far; a worker's error reaches the
    caller and leaves no worker behind."""
    lib_dir, photos = tagged_copy(tmp_path_factory, tmp_path, encoder, monkeypatch)
    with Library.open(lib_dir) as lib:
        retag_library(lib, encoder)
        whole = _auto_rows(lib)
        assert len({r[0] for r in whole}) >= 6
        with lib.catalog.write() as conn:
            conn.execute("DELETE FROM photo_tags WHERE manual=0 AND removed=0")
        monkeypatch.setattr(tagger, "CHUNK", 2)
        retag_library(lib, encoder)
        assert _auto_rows(lib) == whole
        with lib.catalog.write() as conn:
            conn.execute("DELETE FROM photo_tags WHERE manual=0 AND removed=0")
        cancel = threading.Event()
        with pytest.raises(Cancelled):
            retag_library(lib, encoder, cancel=cancel,
                          progress=lambda p: cancel.set() if p.done else None)
        written = {r[0] for r in _auto_rows(lib)}
        ids = lib.catalog.vector_ids(encoder.key)
        assert written <= set(ids[:2]) and written     # the first block, and only it
        real = tagger.Tagger.selected
        calls = []

        def failing(self, ids, vectors):
            calls.append(1)
            if len(calls) == 2:
                raise RuntimeError("selection failed")
            return real(self, ids, vectors)

        monkeypatch.setattr(tagger.Tagger, "selected", failing)
        with pytest.raises(RuntimeError, match="selection failed"):
            retag_library(lib, encoder)
        assert not [t for t in threading.enumerate() if t.name.startswith("tag-select")]
        assert _has_tag_index(lib)


def test_the_settings_choose_how_many_tags_and_a_change_makes_tags_out_of_date(
        tmp_path_factory, tmp_path, encoder, monkeypatch):
    """``Settings.tag_selection`` (Preferences' tag threshold and tags per photo) is what
    a re-tag uses, and the tags' state names it, so tags made with other settings are
    out of date (the next indexing run re-tags them, if a re-tag was cut short)."""
    from photosearch.core.tagging.vocab import load_vocabulary

    lib_dir, _ = tagged_copy(tmp_path_factory, tmp_path, encoder, monkeypatch)
    with Library.open(lib_dir) as lib:
        retag_library(lib, encoder)
        vocab = load_vocabulary(lib.settings.custom_tags)
        assert tagger.tags_current(lib, encoder, vocab)
        per_photo = lambda: max(  # noqa: E731
            n for (n,) in lib.catalog.conn.execute(
                "SELECT COUNT(*) FROM photo_tags WHERE manual=0 AND removed=0 "
                "GROUP BY photo_id"))
        assert per_photo() > 1
        lib.update_settings(tag_selection={"max_tags": 1, "z_min": 2.0})
        assert not tagger.tags_current(lib, encoder, vocab)
        retag_library(lib, encoder)
        assert per_photo() == 1
        assert tagger.tags_current(lib, encoder, vocab)


def test_selection_settings_from_a_hand_edited_file_never_fail():
    assert SelectionParams.from_dict({"max_tags": 4, "z_min": 2}) == SelectionParams(
        max_tags=4, z_min=2.0)
    junk = {"max_tags": "many", "z_min": None, "nonsense": 1, "tag_weight": True}
    assert SelectionParams.from_dict(junk) == SelectionParams()
    assert SelectionParams.from_dict([1, 2]) == SelectionParams()   # type: ignore[arg-type]
    assert SelectionParams().changed() == {}


@pytest.mark.parametrize("z_min", [0.5, 3.5])
def test_flat_selection_and_rows_are_what_the_word_by_word_rule_writes(z_min):
    """The flat selection (all photos without near-synonyms at once) gives the same tags
    and scores as the rule applied word by word, and the scores are stored rounded as
    ``round(score, 3)`` rounds them."""
    rng = np.random.default_rng(7)
    common = _unit(1, 32, rng)
    tags = _unit(200, 32, rng) + 1.5 * common
    for i in range(0, 40, 2):                               # many near-synonym pairs
        tags[i + 1] = tags[i] + 0.01 * rng.standard_normal(32)
    photos = _unit(800, 32, rng) + 0.8 * common
    params = SelectionParams(z_min=z_min, synonym_cosine=0.6)
    selector = Selector(tags, TagStats.from_scores(photos[:100] @ tags.T), params)
    assert selector.select(photos) == _by_full_sort(selector, photos)
    owner, cols, vals = selector.select_flat(photos)
    assert np.all(np.diff(owner) >= 0)
    scores = rng.standard_normal(100_000).astype(np.float32) * 4
    assert store.rounded(scores) == [round(float(s), 3) for s in scores.tolist()]
