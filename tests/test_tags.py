"""Keyword tags on the fixture model: right colour/shape tags, manual and removed tags,
``tag:`` queries, the text-vector cache."""

from __future__ import annotations

import copy
import json
import os

import numpy as np
import pytest
from tag_helpers import tagged_copy, write_vocab

from photosearch.core.library import Library
from photosearch.core.query import parse_query, search_query
from photosearch.core.tagging import store
from photosearch.core.tagging.embed import TEMPLATES, cache_path
from photosearch.core.tagging.select import SelectionParams, Selector, TagStats
from photosearch.core.tagging.tagger import Tagger, retag_library, tags_current
from photosearch.core.tagging.vocab import (
    label_language,
    load_vocabulary,
    read_tsv,
    shipped_path,
)


@pytest.fixture
def resources(tmp_path, monkeypatch):
    folder = tmp_path / "resources"
    write_vocab(folder)
    monkeypatch.setenv("PHOTOSEARCH_RESOURCES", str(folder))
    return folder


@pytest.fixture
def tagged(tmp_path_factory, tmp_path, encoder, monkeypatch):
    """A library of 72 generated photos, indexed with the standard hooks (so tagged)."""
    lib_dir, photos = tagged_copy(tmp_path_factory, tmp_path, encoder, monkeypatch)
    lib = Library.open(lib_dir)
    yield lib, photos
    lib.close()


def photo_id(lib: Library, path) -> int:
    return lib.catalog.photo_by_path(str(path)).id


def visible(lib: Library, path) -> list[str]:
    return [t.tag for t in store.tags_of(lib.catalog, photo_id(lib, path))]


# -- vocabulary ---------------------------------------------------------------------------
def test_vocabulary_labels_and_lookup(resources):
    vocab = load_vocabulary(["Wisteria", "пляж", "red"])
    assert vocab.label("beach", "ru") == "пляж" and vocab.label("beach", "en") == "beach"
    assert vocab.label("beach", "ru_RU") == "пляж"
    assert vocab.resolve("Пляж") == "beach" and vocab.resolve("BIRTHDAY_cake") == "birthday cake"
    assert "wisteria" in vocab.tags                       # a custom word joins
    assert vocab.tags.count("beach") == 1 and vocab.tags.count("red") == 1  # no repeats
    assert vocab.label("wisteria", "ru") == "wisteria"
    assert load_vocabulary().hash != vocab.hash
    assert label_language("ru") == "ru" and label_language("en-GB") == "en"
    assert vocab.resolve("жёлтый") == vocab.resolve("желтый") == "yellow"   # ё typed as е


def test_shipped_vocabulary_parses_with_russian_labels():
    path = shipped_path()
    if not path.is_file():
        pytest.skip("resources/vocab/tags.tsv is not built yet")
    terms = read_tsv(path)
    assert len(terms) > 500
    assert len({t.tag for t in terms}) == len(terms)
    cyrillic = [t for t in terms if any("\u0400" <= ch <= "\u04ff" for ch in t.ru)]
    assert len(cyrillic) >= 0.95 * len(terms)
    assert (path.parent / "NOTICE").is_file()
    vocab = load_vocabulary(path=path)
    assert vocab.resolve(terms[0].ru) == terms[0].tag


# -- tagging ------------------------------------------------------------------------------
def test_generated_photos_get_their_colour_and_shape(tagged, encoder):
    lib, photos = tagged
    right = 0
    for path, colour, shape in photos:
        tags = visible(lib, path)
        assert 3 <= len(tags) <= 10
        right += colour in tags and shape in tags
    assert right >= 0.95 * len(photos)
    assert tags_current(lib, encoder, load_vocabulary())


def test_manual_tags_survive_retagging_and_removed_stay_removed(tagged, encoder):
    lib, photos = tagged
    path, colour, shape = photos[0]
    pid = photo_id(lib, path)
    store.add_manual(lib.catalog, pid, "Birthday_Cake")
    store.remove(lib.catalog, pid, colour)
    retag_library(lib, encoder)
    tags = store.tags_of(lib.catalog, pid)
    assert tags[0].tag == "birthday cake" and tags[0].manual and tags[0].score is None
    assert colour not in [t.tag for t in tags] and shape in [t.tag for t in tags]
    assert store.removed_tags(lib.catalog, pid) == [colour]
    store.add_manual(lib.catalog, pid, colour)            # adding it back undoes the removal
    retag_library(lib, encoder)
    assert colour in visible(lib, path)


def test_vocabulary_change_retags_the_library(tagged, encoder):
    lib, photos = tagged
    lib.settings.custom_tags = ["circle shape"]
    vocab = load_vocabulary(lib.settings.custom_tags)
    assert not tags_current(lib, encoder, vocab)
    report = retag_library(lib, encoder)
    assert report.photos == len(photos)
    assert tags_current(lib, encoder, vocab)


def test_tag_queries_filter_and_combine_with_text(tagged, encoder):
    lib, photos = tagged
    reds = {str(p) for p, c, _ in photos if c == "red"}
    hits = search_query(lib, None, "tag:red", k=100)          # tag-only: no model needed
    assert {h.path for h in hits} == reds
    assert {h.path for h in search_query(lib, None, "tag:красный", k=100)} == reds
    both = search_query(lib, encoder, "tag:red a photo of a star", k=5)
    assert {h.path for h in both} <= reds
    assert all("red_star" in os.path.basename(h.path) for h in both[:2])
    assert all("red_" not in os.path.basename(h.path)
               for h in search_query(lib, encoder, "-tag:red circle", k=10))
    assert {h.path for h in search_query(lib, None, "tag:red tag:ring", k=100)} == \
        {str(p) for p, c, s in photos if (c, s) == ("red", "ring")}
    assert search_query(lib, None, "tag:wisteria", k=10) == []


def test_parse_query():
    q = parse_query('tag:beach  sunset tag:"hot air balloon" -tag:people тег:пляж')
    assert q.text == "sunset"
    assert q.tags == ("beach", "hot air balloon", "пляж") and q.without == ("people",)
    assert parse_query("hashtag:x dog").tags == ()


def test_tag_list_counts(tagged):
    lib, photos = tagged
    counts = dict(store.tag_counts(lib.catalog))
    assert counts["red"] >= 12 and sum(counts.values()) >= 3 * len(photos)


# -- the text-vector cache ----------------------------------------------------------------
def test_tag_vectors_cached_per_model(library, encoder, resources, monkeypatch):
    calls = []
    real = type(encoder).encode_texts

    def spy(self, texts):
        calls.append(len(texts))
        return real(self, texts)

    monkeypatch.setattr(type(encoder), "encode_texts", spy)
    first = Tagger.load(library, encoder)
    assert calls and cache_path(None, encoder.key).is_file()
    calls.clear()
    again = Tagger.load(library, encoder)                 # from the cache: nothing embedded
    assert calls == []
    np.testing.assert_allclose(first.selector.tag_vectors, again.selector.tag_vectors)
    other = copy.copy(encoder)
    other.key = "another-model@x"
    Tagger.load(library, other)                           # another model recomputes
    assert calls
    calls.clear()
    library.settings.custom_tags = ["wisteria"]
    Tagger.load(library, encoder)                         # a new word: only it is embedded
    assert calls == [len(TEMPLATES)]


def test_a_second_library_reuses_the_tag_vectors(tmp_path, encoder, resources, monkeypatch):
    """The vocabulary's vectors live in the user cache, shared: a new library embeds none."""
    calls = _count_text_calls(encoder, monkeypatch)
    with Library.open(tmp_path / "one") as one:
        first = Tagger.load(one, encoder)
    assert calls
    calls.clear()
    with Library.open(tmp_path / "two") as two:
        second = Tagger.load(two, encoder)
    assert calls == []
    np.testing.assert_allclose(first.selector.tag_vectors, second.selector.tag_vectors)


def test_a_library_own_old_cache_moves_to_the_shared_one(tmp_path, encoder, resources,
                                                          monkeypatch):
    calls = _count_text_calls(encoder, monkeypatch)
    with Library.open(tmp_path / "old") as old:
        Tagger.load(old, encoder)
        shared = cache_path(None, encoder.key)
        old.layout.text_cache.mkdir()
        shared.rename(old.layout.text_cache / shared.name)    # as an older version left it
        calls.clear()
        Tagger.load(old, encoder)
        assert calls == [] and shared.is_file() and not old.layout.text_cache.exists()


def test_multilingual_models_embed_the_russian_labels(library, encoder, resources,
                                                       monkeypatch):
    from dataclasses import replace

    from photosearch.core.presets import PRESETS
    from photosearch.core.tagging.embed import RU_TEMPLATES

    english = Tagger.load(library, encoder)
    both = copy.copy(encoder)
    both.source = replace(encoder.source,
                          preset=next(p for p in PRESETS.values() if "ru" in p.languages))
    calls = _count_text_calls(encoder, monkeypatch)
    bilingual = Tagger.load(library, both)
    vocab = bilingual.vocab
    labelled = sum(1 for t in vocab.terms if t.ru)
    assert calls == [labelled * len(RU_TEMPLATES)]       # English vectors came from the cache
    ru_rows = [i for i, t in enumerate(vocab.terms) if t.ru]
    assert not np.allclose(english.selector.tag_vectors[ru_rows],
                           bilingual.selector.tag_vectors[ru_rows])
    assert json.loads(bilingual.state())["labels"] == "en+ru"
    assert "labels" not in json.loads(english.state())


def test_the_multilingual_default_preset_adds_russian_labels_on_the_siglip_fixture(
        siglip_encoder, resources, tmp_path):
    """search-models' ``default`` preset (SigLIP 2, ru+en) is what switches the Russian
    labels on; the SigLIP fixture given that preset embeds them, ``english-classic`` not."""
    from dataclasses import replace

    from photosearch.core.model import resolve_source
    from photosearch.core.tagging.embed import multilingual, vocabulary_vectors

    vocab = load_vocabulary([])
    as_default = copy.copy(siglip_encoder)
    as_default.source = replace(siglip_encoder.source, preset=resolve_source("default").preset)
    as_classic = copy.copy(siglip_encoder)
    as_classic.source = replace(siglip_encoder.source,
                                preset=resolve_source("english-classic").preset)
    assert multilingual(as_default) and not multilingual(as_classic)
    both = vocabulary_vectors(as_default, vocab, tmp_path / "a")
    english = vocabulary_vectors(as_classic, vocab, tmp_path / "b")
    ru_rows = [i for i, t in enumerate(vocab.terms) if t.ru]
    assert ru_rows and not np.allclose(both[ru_rows], english[ru_rows])
    np.testing.assert_allclose(np.linalg.norm(both, axis=1), 1.0, atol=1e-5)


def _count_text_calls(encoder, monkeypatch) -> list[int]:
    calls: list[int] = []
    real = type(encoder).encode_texts

    def spy(self, texts):
        calls.append(len(texts))
        return real(self, texts)

    monkeypatch.setattr(type(encoder), "encode_texts", spy)
    return calls


# -- calibration (no model) ---------------------------------------------------------------
def test_near_synonyms_are_not_both_chosen():
    rng = np.random.default_rng(0)
    words = rng.normal(size=(30, 16))
    words[1] = words[0] + 0.05 * rng.normal(size=16)      # "sea" and "ocean"
    words /= np.linalg.norm(words, axis=1, keepdims=True)
    photo = (words[0] + words[1] + words[5]) / 3
    params = SelectionParams(min_tags=2, max_tags=5, z_min=1.5)
    cols = [c for c, _ in Selector(words, params=params).select(photo[None])[0]]
    assert 5 in cols and len({0, 1} & set(cols)) == 1


def test_hub_words_are_discounted_by_their_own_distribution():
    rng = np.random.default_rng(1)
    words = rng.normal(size=(40, 32))
    words /= np.linalg.norm(words, axis=1, keepdims=True)
    library = rng.normal(size=(300, 32)) / np.sqrt(32) + 1.5 * words[0]  # word 0 fits all
    library /= np.linalg.norm(library, axis=1, keepdims=True)
    photo = library[:1] + 0.5 * words[7]
    photo /= np.linalg.norm(photo)
    params = SelectionParams(min_tags=1, max_tags=1, z_min=0)
    plain = Selector(words, params=params).select(photo)[0][0][0]
    stats = TagStats.from_scores(library @ words.T)
    calibrated = Selector(words, stats, params).select(photo)[0][0][0]
    assert plain == 0 and calibrated == 7


def test_new_photos_are_tagged_as_they_are_indexed(tagged, encoder, tmp_path):
    import random

    from fixture_images import make_image

    from photosearch.core.features import standard_hooks
    from photosearch.core.pipeline import index_library

    lib, photos = tagged
    first = photos[0][0]
    store.add_manual(lib.catalog, photo_id(lib, first), "receipt")
    rng = random.Random(5)
    new = tmp_path / "tagged" / "photos" / "new"
    new.mkdir()
    for colour, shape in (("blue", "star"), ("green", "ring"), ("yellow", "cross")):
        make_image(colour, shape, rng).save(new / f"{colour}_{shape}.png")
    index_library(lib, encoder, hooks=standard_hooks())
    for colour, shape in (("blue", "star"), ("green", "ring"), ("yellow", "cross")):
        assert {colour, shape} <= set(visible(lib, new / f"{colour}_{shape}.png"))
    assert "receipt" in visible(lib, first)


def test_short_context_text_encoding_matches_the_full_context(encoder):
    import torch

    from photosearch.core.model import _normalise

    texts = ["a photo of a red circle.", "ring", "a close-up photo of a birthday cake."]
    with torch.inference_mode():
        full = _normalise(encoder.tower("text").encode_text(encoder.tokenizer(texts)))
    np.testing.assert_allclose(encoder.encode_texts(texts), full, atol=1e-5)


def test_new_model_indexes_first_then_embeds_vocabulary_with_progress(
        library, encoder, resources, make_photos, tmp_path):
    """Embedding a vocabulary for a new model takes minutes on a CPU: it must not hold up
    the first batches (search works sooner), and it must report progress."""
    from photosearch.core.features import standard_hooks
    from photosearch.core.pipeline import index_library
    from photosearch.core.tagging.store import tags_of

    make_photos(per_class=1, seed=31, folder=tmp_path / "p")
    library.add_folder(tmp_path / "p")
    phases: list[str] = []
    index_library(library, encoder, hooks=standard_hooks(),
                  progress=lambda p: phases.append(p.phase))
    first_tag_words = phases.index("embedding tag words")
    assert "indexing" in phases[:first_tag_words]
    assert phases[first_tag_words - 1] == "indexing"   # all indexing happened before
    assert "indexing" not in phases[first_tag_words:]
    photo = library.catalog.photo_by_path(str(tmp_path / "p" / "red_circle_000.jpg"))
    assert "red" in {t.tag for t in tags_of(library.catalog, photo.id)}


@pytest.mark.parametrize("text_before", [False, True])
def test_the_text_tower_brought_in_for_the_words_is_freed_after(
        library, model_source, resources, make_photos, tmp_path, text_before):
    """An index run loads the image tower alone; a new model's words need the text tower,
    and the passes after them (faces decode photos again) must not carry it (issue 9's
    peak). A text tower that was in memory before (a torch search) stays."""
    from photosearch.core.features import standard_hooks
    from photosearch.core.model import load_encoder
    from photosearch.core.pipeline import index_library

    encoder = load_encoder(model_source, device="cpu", precision="fp32", batch_size=16,
                           towers=("image", "text") if text_before else ("image",))
    make_photos(per_class=1, seed=32, folder=tmp_path / "p")
    library.add_folder(tmp_path / "p")
    phases: list[str] = []
    index_library(library, encoder, hooks=standard_hooks(),
                  progress=lambda p: phases.append(p.phase))
    assert "embedding tag words" in phases
    assert ("text" in encoder.loaded()) is text_before
    assert "image" not in encoder.loaded()       # made room for the words, reloads on use
