"""The search box's language: phrases, ``-word`` exclusion, combined terms, photo + text."""

from __future__ import annotations

import os

import pytest
from tag_helpers import tagged_copy

from photosearch.core.library import Library
from photosearch.core.query import parse_query, search_query


@pytest.fixture
def shapes(tmp_path_factory, tmp_path, encoder, monkeypatch):
    """72 generated photos (2 per colour × shape), indexed."""
    lib_dir, photos = tagged_copy(tmp_path_factory, tmp_path, encoder, monkeypatch)
    with Library.open(lib_dir) as lib:
        yield lib, photos


def classes(hits) -> list[tuple[str, str]]:
    return [tuple(os.path.basename(h.path).split("_")[:2]) for h in hits]


def test_phrases_exclusions_and_keys():
    q = parse_query('"red car" on a -"hot air" -blue tag:beach -tag:people date:2023')
    assert q.words == ("red car", "on", "a") and q.text == "red car on a"
    assert q.minus == ("hot air", "blue")
    assert q.tags == ("beach",) and q.without == ("people",)
    assert q.periods == (("date", "2023"),)
    quoted = parse_query('"t-shirt -print tag:x date:2023"')   # nothing inside is syntax
    assert quoted.text == "t-shirt -print tag:x date:2023" and not quoted.minus
    assert not quoted.tags and not quoted.periods
    assert parse_query("re-use -").text == "re-use -"             # a hyphen inside, a lone -
    assert parse_query("-red").needs_model and not parse_query("tag:red").needs_model
    q = parse_query('a "red car" -"hot air" tag:"hot air balloon" after:2023')
    assert parse_query(q.to_text()) == q


def test_excluding_a_word_drops_that_concept(shapes, encoder):
    lib, _ = shapes
    k = 10                       # the circles in the five other colours
    plain = classes(search_query(lib, encoder, "a circle", k))
    minus = classes(search_query(lib, encoder, "a circle -red", k))
    assert ("red", "circle") in plain                     # there was something to drop
    assert ("red", "circle") not in minus
    assert sum(s == "circle" for _, s in minus) >= 0.8 * k


def test_exclusion_with_tags_only_ranks_the_tagged_photos(shapes, encoder):
    lib, _ = shapes
    hits = search_query(lib, encoder, "tag:circle -red", 4)
    assert hits and all(s == "circle" for _, s in classes(hits))
    assert ("red", "circle") not in classes(hits)


def test_a_photo_plus_text(shapes, encoder):
    lib, photos = shapes
    like = next(p for p, c, s in photos if (c, s) == ("red", "circle"))
    alone = search_query(lib, encoder, "", 72, like=[str(like)])
    assert str(like) not in [h.path for h in alone]         # never the photo itself
    assert classes(alone)[0] == ("red", "circle")
    blue = search_query(lib, encoder, "blue", 72, like=[str(like)])

    def first_blue_circle(hits):
        return classes(hits).index(("blue", "circle"))

    assert first_blue_circle(blue) < first_blue_circle(alone)
    assert classes(blue)[0][1] == "circle"                 # still the photo's shape


def test_the_date_control_rewrites_only_the_date_terms():
    from photosearch.core.query import with_periods

    text = 'tag:beach "hot air" date:2022 balloon после:2020-01 -red'
    out = with_periods(text, (("after", "2023-07"), ("before", "2024")))
    assert out == 'tag:beach "hot air" balloon -red after:2023-07 before:2024'
    q = parse_query(out)
    assert q.periods == (("after", "2023-07"), ("before", "2024"))
    assert q.words == ("hot air", "balloon") and q.tags == ("beach",) and q.minus == ("red",)
    assert with_periods(out, ()) == 'tag:beach "hot air" balloon -red'
    assert with_periods("", (("date", "2023"),)) == "date:2023"
    assert with_periods('"date:2023 is a word"', ()) == '"date:2023 is a word"'
