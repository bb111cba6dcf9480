"""``photosearch people``, ``search person:…`` and the XMP export of named people."""

from __future__ import annotations

import shutil

import pytest
from cli_helpers import run_json as run
from face_helpers import faces_dataset, faces_library, person_of

pytest.importorskip("dlib")


@pytest.fixture
def lib_dir(tmp_path_factory, tmp_path, encoder):
    lib = faces_library(tmp_path_factory, tmp_path, encoder)
    ids = {name: person_of(lib, name) for name in ("obama", "biden", "kit_harington",
                                                     "rose_leslie")}
    lib.close()
    return tmp_path / "faces-lib", ids


def test_people_json_name_merge_and_search(capsys, lib_dir):
    lib_dir, ids = lib_dir
    code, people = run(capsys, lib_dir, "people")
    assert code == 0
    assert [set(p) for p in people] == [{"id", "name", "count", "faces"}] * len(people)
    counts = [p["count"] for p in people]
    assert counts == sorted(counts, reverse=True) and people[0]["id"] == ids["obama"]
    for face in people[0]["faces"]:
        left, top, right, bottom = face["box"]
        assert 0 <= left < right and 0 <= top < bottom and "/obama" in face["path"] \
            or "/groups/" in face["path"]
    code, people = run(capsys, lib_dir, "people", "--name", str(ids["obama"]), "Обама")
    assert next(p for p in people if p["id"] == ids["obama"])["name"] == "Обама"
    code, _ = run(capsys, lib_dir, "people", "--name", str(ids["biden"]), "обама")
    assert code == 2                    # a name someone has: merging is asked for
    code, people = run(capsys, lib_dir, "people", "--merge", str(ids["kit_harington"]),
                       str(ids["rose_leslie"]))
    assert ids["rose_leslie"] not in [p["id"] for p in people]
    code, hits = run(capsys, lib_dir, "search", "person:обама")
    assert code == 0 and len(hits) == 10
    code, hits = run(capsys, lib_dir, "search", "человек:Обама", "--all")
    assert len(hits) == 10


def test_people_off_removes_faces(capsys, lib_dir):
    lib_dir, _ = lib_dir
    code, state = run(capsys, lib_dir, "people", "--off")
    assert code == 0 and state == {"people": False}
    code, _ = run(capsys, lib_dir, "people")
    assert code == 2
    run(capsys, lib_dir, "people", "--on")
    code, people = run(capsys, lib_dir, "people")
    assert people == []
    code, people = run(capsys, lib_dir, "people", "--scan")
    assert len(people) == 7


def test_xmp_export_names_and_regions(capsys, tmp_path, encoder):
    """Named people go to the sidecar as keywords and MWG face regions (read by Exiv2);
    an existing sidecar keeps what other tools wrote."""
    pyexiv2 = pytest.importorskip("pyexiv2")
    from photosearch.core.faces import store
    from photosearch.core.features import standard_hooks
    from photosearch.core.library import Library
    from photosearch.core.pipeline import index_library

    photos = tmp_path / "photos"
    photos.mkdir()
    shutil.copy(faces_dataset() / "groups" / "two_people.jpg", photos)
    shutil.copy(faces_dataset() / "biden" / "biden_1.jpg", photos)
    side = photos / "two_people.jpg.xmp"
    side.write_text(
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        'rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="3"/>'
        '</rdf:RDF></x:xmpmeta>', encoding="utf-8")
    with Library.open(tmp_path / "lib") as lib:
        lib.add_folder(photos)
        index_library(lib, encoder, hooks=standard_hooks())
        photo = lib.catalog.photo_by_path(str(photos / "two_people.jpg"))
        left, right = store.faces_in_photo(lib.catalog, photo.id)
        store.name_person(lib.catalog, right.person_id, "Джо")
    code, report = run(capsys, tmp_path / "lib", "tags", "--export-xmp", str(photos))
    assert code == 0 and str(side) in report["written"]
    img = pyexiv2.Image(str(side))
    try:
        xmp = img.read_xmp()
    finally:
        img.close()
    assert "Джо" in xmp["Xmp.dc.subject"] and xmp["Xmp.xmp.Rating"] == "3"
    region = "Xmp.mwg-rs.Regions/mwg-rs:RegionList[1]"
    assert xmp[f"{region}/mwg-rs:Name"] == "Джо" and xmp[f"{region}/mwg-rs:Type"] == "Face"
    assert xmp["Xmp.mwg-rs.Regions/mwg-rs:AppliedToDimensions/stDim:w"] == "1126"
    x = float(xmp[f"{region}/mwg-rs:Area/stArea:x"])
    assert abs(x - (right.box[0] + right.box[2]) / 2 / 1126) < 1e-3
    assert f"{region.replace('[1]', '[2]')}/mwg-rs:Name" not in xmp   # unnamed: no region
    code, report = run(capsys, tmp_path / "lib", "tags", "--export-xmp", str(photos))
    assert report["written"] == []                  # exporting again changes nothing
