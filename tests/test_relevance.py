"""Results that know when to stop: match strength and the relevance cut-off, on both
fixture models (sigmoid-loss SigLIP-style, and CLIP with per-query calibration)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from fixture_images import write_dataset

from photosearch.core.library import Library
from photosearch.core.pipeline import index_library
from photosearch.core.relevance import (
    Z_MIDPOINT,
    Calibration,
    cutoff_for,
    is_sigmoid_model,
    percent,
    select,
)
from photosearch.core.search import Hit, search_text

PER_CLASS = 4


def _label(path: str) -> tuple[str, str]:
    colour, shape, _ = Path(path).name.split("_")
    return colour, shape


def _library(root: Path, encoder, *, without: tuple[str, str] | None = None) -> Library:
    folder = root / "photos"
    for path, colour, shape in write_dataset(folder, PER_CLASS, seed=404):
        if (colour, shape) == without:
            path.unlink()
    library = Library.open(root / "lib")
    library.add_folder(folder)
    index_library(library, encoder)
    return library


@pytest.fixture(scope="module")
def siglip_library(siglip_encoder, tmp_path_factory):
    library = _library(tmp_path_factory.mktemp("siglip"), siglip_encoder)
    yield library
    library.close()


@pytest.fixture(scope="module")
def clip_library(encoder, tmp_path_factory):
    library = _library(tmp_path_factory.mktemp("clip"), encoder)
    yield library
    library.close()


def _precision_recall(library, encoder, query: str, want: tuple[str, str]):
    hits = search_text(library, encoder, query, k=3 * PER_CLASS * 4)
    chosen = select(hits, cutoff_for(encoder))
    found = [_label(h.path) == want for h in chosen.hits]
    precision = sum(found) / max(len(found), 1)
    return precision, sum(found) / PER_CLASS, chosen


@pytest.mark.parametrize("query", ["a red circle", "красный круг", "синяя звезда"])
def test_sigmoid_model_returns_the_matches_and_stops(siglip_library, siglip_encoder, query):
    """The SigLIP fixture's probabilities cut the results: what is returned is the class
    asked for (also in Russian), and all of it."""
    assert is_sigmoid_model(siglip_encoder)
    want = {"a red circle": ("red", "circle"), "красный круг": ("red", "circle"),
            "синяя звезда": ("blue", "star")}[query]
    precision, recall, chosen = _precision_recall(siglip_library, siglip_encoder, query, want)
    assert precision >= 0.9 and recall >= 0.9
    assert not chosen.no_good_match and chosen.weaker > 0
    assert all(h.strength >= cutoff_for(siglip_encoder) for h in chosen.hits)


def test_every_class_is_cut_cleanly_by_the_sigmoid_model(siglip_library, siglip_encoder):
    from fixture_images import COLOURS, SHAPES

    scores = [_precision_recall(siglip_library, siglip_encoder, f"a {c} {s}", (c, s))[:2]
              for c in COLOURS for s in SHAPES]
    precision, recall = np.mean(scores, axis=0)
    assert precision >= 0.9 and recall >= 0.9


def test_clip_model_calibrated_per_query_stops_too(clip_library, encoder):
    """CLIP has no probability; the query's z-score over the library stands in."""
    assert not is_sigmoid_model(encoder)
    precision, recall, chosen = _precision_recall(clip_library, encoder, "a red circle",
                                                  ("red", "circle"))
    assert precision >= 0.9 and recall >= 0.9 and chosen.weaker > 0


@pytest.mark.parametrize("fixture", ["siglip_encoder", "encoder"])
def test_a_pair_not_in_the_library_gives_few_or_none_and_says_so(fixture, request,
                                                                 tmp_path):
    enc = request.getfixturevalue(fixture)
    library = _library(tmp_path, enc, without=("red", "circle"))
    try:
        hits = search_text(library, enc, "a red circle", k=40)
        chosen = select(hits, cutoff_for(enc))
    finally:
        library.close()
    relevant = [h for h in chosen.hits if h.strength >= cutoff_for(enc)]
    assert len(relevant) <= 2
    if not relevant:
        assert chosen.no_good_match and 0 < len(chosen.hits) <= 6


def test_selection_rules():
    hits = [Hit(i, f"/p{i}", 0.5 - i / 100, strength=s)
            for i, s in enumerate([0.9, 0.6, 0.2, 0.05])]
    chosen = select(hits, 0.5)
    assert [h.photo_id for h in chosen.hits] == [0, 1] and chosen.weaker == 2
    assert len(select(hits, 0.5, everything=True).hits) == 4
    none = select(hits[2:], 0.5)
    assert none.no_good_match and [h.photo_id for h in none.hits] == [2, 3]
    assert not select([], 0.5).no_good_match
    tags = select([Hit(1, "/t", 0.7)], 0.5)         # tag results carry no strength
    assert len(tags.hits) == 1 and not tags.no_good_match
    assert percent(0.934) == "93%" and percent(None) == ""


def test_calibrations_are_monotonic_and_centred():
    sig = Calibration("sigmoid", 10.0, -5.0)
    assert sig.strength(0.5) == pytest.approx(0.5)
    z = Calibration("zscore", 0.2, 0.05)         # the query's library mean and spread
    at = 0.2 + Z_MIDPOINT * 0.05
    assert z.strength(at) == pytest.approx(0.5)
    s = z.strength(np.array([0.1, 0.2, at, 0.5]))
    assert np.all(np.diff(s) > 0) and s[0] < 0.01 and s[-1] > 0.99
