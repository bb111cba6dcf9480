"""Why a photo is a result: its tags that share a word stem with the query."""

from __future__ import annotations

import pytest
from tag_helpers import write_vocab

from photosearch.core.tagging import store
from photosearch.core.tagging.explain import matching_tags, words_of
from photosearch.core.tagging.vocab import load_vocabulary


@pytest.fixture
def vocab(tmp_path, monkeypatch):
    monkeypatch.setenv("PHOTOSEARCH_RESOURCES", str(write_vocab(tmp_path / "resources")))
    return load_vocabulary(["hot air balloon"])


def test_matching_tags_follow_the_query_words_in_both_languages(library, vocab):
    folder = library.catalog.add_folder("/photos")
    pid = library.catalog.add_photo(folder.id, "/photos/a.jpg", 1, 0.0)
    with library.catalog.write() as conn:
        store.replace_auto(conn, [pid], [[("dog", 0.9), ("beach", 0.7), ("red", 0.5),
                                          ("circle", 0.4)]])
    store.add_manual(library.catalog, pid, "hot air balloon")
    cat = library.catalog
    assert matching_tags(cat, vocab, pid, ["dogs on a beach"]) == ["dog", "beach"]
    assert matching_tags(cat, vocab, pid, ["собака на пляже"], lang="ru") == ["собака",
                                                                             "пляж"]
    assert matching_tags(cat, vocab, pid, ["balloons"]) == ["hot air balloon"]
    assert matching_tags(cat, vocab, pid, ["a red circle"], top=1) == ["red"]
    assert matching_tags(cat, vocab, pid, ["cat in a car"]) == []
    assert matching_tags(cat, vocab, pid, []) == []
    assert "a" in words_of("A dog") and "2023" not in words_of("dog 2023")
