"""Capture dates: EXIF (with its offset) or the file's time, date terms and flags, and
results sorted by date among those the search found."""

from __future__ import annotations

import json
import os
import random
from datetime import datetime

import pytest
from fixture_images import make_image
from PIL import Image

from photosearch.core.dates import dated, period
from photosearch.core.decoding import decode
from photosearch.core.errors import BadQuery
from photosearch.core.library import Library
from photosearch.core.pipeline import index_library
from photosearch.core.query import parse_query, search_query

# (file stem, colour, shape, EXIF DateTimeOriginal or None, its offset or None)
PHOTOS = [
    ("a", "red", "circle", "2021:03:05 09:00:00", None),
    ("b", "red", "circle", "2023:07:14 10:05:00", "+03:00"),
    ("c", "red", "circle", "2023:07:30 23:59:59", None),
    ("d", "red", "circle", "2023:12:31 18:00:00", "-05:00"),
    ("e", "blue", "square", "2023:07:20 12:00:00", None),
    ("f", "red", "circle", None, None),           # no EXIF date: the file's time counts
    ("g", "blue", "square", None, None),
]
FILE_TIME = datetime(2022, 5, 1, 8, 30).timestamp()


def write_photo(path, colour, shape, when, offset, seed=0):
    image = make_image(colour, shape, random.Random(seed))
    exif = Image.Exif()
    if when:
        exif[0x0132] = "2000:01:01 00:00:00"          # DateTime: DateTimeOriginal wins
        ifd = exif.get_ifd(0x8769)
        ifd[0x9003] = when
        if offset:
            ifd[0x9011] = offset
    image.save(path, "JPEG", quality=90, exif=exif)
    os.utime(path, (FILE_TIME, FILE_TIME))


@pytest.fixture
def dated_library(tmp_path, encoder):
    folder = tmp_path / "photos"
    folder.mkdir()
    for i, (stem, colour, shape, when, offset) in enumerate(PHOTOS):
        write_photo(folder / f"{stem}.jpg", colour, shape, when, offset, seed=i)
    lib = Library.open(tmp_path / "lib")
    lib.add_folder(folder)
    index_library(lib, encoder)
    yield lib, folder
    lib.close()


def stems(hits) -> list[str]:
    return [os.path.basename(h.path)[0] for h in hits]


def test_exif_date_with_offset_and_datetime_fallback(tmp_path):
    write_photo(tmp_path / "o.jpg", "red", "star", "2023:07:14 10:05:00", "+03:00")
    assert decode(tmp_path / "o.jpg").taken_at == "2023-07-14T10:05:00+03:00"
    image, exif = make_image("red", "star", random.Random(1)), Image.Exif()
    exif[0x0132] = "2019:01:02 03:04:05"                # DateTime only
    image.save(tmp_path / "d.jpg", "JPEG", exif=exif)
    assert decode(tmp_path / "d.jpg").taken_at == "2019-01-02T03:04:05"


def test_periods():
    assert period("2023") == ("2023-01-01", "2024-01-01")
    assert period("2023-12") == ("2023-12-01", "2024-01-01")
    assert period("2024-02-29") == ("2024-02-29", "2024-03-01")
    assert period("2023/7") == ("2023-07-01", "2023-08-01")
    for bad in ("yesterday", "2023-13", "2023-02-30", "23"):
        with pytest.raises(BadQuery):
            period(bad)


def test_date_terms_filter(dated_library, encoder):
    lib, _ = dated_library

    def find(text):
        return set(stems(search_query(lib, encoder, text, 20)))

    assert find("date:2023") == {"b", "c", "d", "e"}
    assert find("date:2023-07") == {"b", "c", "e"}
    assert find("date:2023-07-30") == {"c"}
    assert find("after:2023-07-20 before:2024") == {"c", "d", "e"}
    assert find("дата:2021") == {"a"}
    assert find("date:2022") == {"f", "g"}              # no EXIF: the file's time
    assert find("date:2023 date:2021") == set()          # every term must hold
    assert find("a red circle date:2023-07") == {"b", "c", "e"}
    assert find("a red circle before:2023") <= {"a", "f", "g"}
    with pytest.raises(BadQuery):
        search_query(lib, encoder, "date:someday")


def test_date_only_query_lists_newest_first(dated_library):
    lib, _ = dated_library
    assert stems(search_query(lib, None, "date:2023", 20)) == ["d", "c", "e", "b"]


def test_sort_by_date_keeps_the_set(dated_library, encoder):
    lib, _ = dated_library
    hits = search_query(lib, encoder, "a red circle", 4)
    newest = dated(lib, hits, "newest")
    oldest = dated(lib, hits, "oldest")
    assert set(stems(newest)) == set(stems(hits))
    dates = [h.date for h in newest]
    assert all(dates) and dates == sorted(dates, reverse=True)
    assert stems(oldest) == stems(newest)[::-1]
    assert stems(dated(lib, hits)) == stems(hits)          # relevance: as found
    by_stem = {s: h.date for s, h in zip(stems(newest), newest, strict=True)}
    if "b" in by_stem:
        assert by_stem["b"] == "2023-07-14T10:05:00+03:00"


def test_a_moved_photo_keeps_its_date(dated_library, encoder):
    lib, folder = dated_library
    (folder / "b.jpg").rename(folder / "moved.jpg")
    index_library(lib, encoder)
    photo = lib.catalog.photo_by_path(str(folder / "moved.jpg"))
    assert photo is not None and photo.taken_at == "2023-07-14T10:05:00+03:00"


def test_query_round_trip_keeps_dates():
    q = parse_query('tag:beach date:2023 "red car" -blue после:2023-06')
    assert q.periods == (("date", "2023"), ("after", "2023-06"))
    assert parse_query(q.to_text()) == q


def test_cli_sort_dates_and_json(dated_library, tmp_path):
    from test_cli import run

    lib, _ = dated_library
    lib.close()
    out = run("search", "a", "red", "circle", "--after", "2023", "--sort", "oldest",
              "--json", library=lib.root)
    hits = json.loads(out.stdout)
    assert [h["date"] for h in hits] == sorted(h["date"] for h in hits)
    assert {os.path.basename(h["path"])[0] for h in hits} <= {"b", "c", "d", "e"}
    assert hits and all({"path", "score", "date"} <= set(h) for h in hits)
    out = run("search", "date:2023-07", "--before", "2023-07-20", "--json", library=lib.root,
              model=False)
    assert [os.path.basename(h["path"]) for h in json.loads(out.stdout)] == ["b.jpg"]
    bad = run("search", "cat", "--before", "soon", library=lib.root, check=False)
    assert bad.returncode == 2 and "soon" in bad.stderr
