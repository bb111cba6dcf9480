"""People on real photos (the shared face photos): detection, grouping, corrections that
last, search, bad input. Skipped without ../shared."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from face_helpers import GROUPS, faces_dataset, faces_library, identities, person_of
from PIL import Image

from photosearch.core.faces import store
from photosearch.core.faces.detect import FaceModels, faces_in_file
from photosearch.core.faces.hook import find_faces, set_people
from photosearch.core.query import search_query

pytest.importorskip("dlib")


@pytest.fixture
def lib(tmp_path_factory, tmp_path, encoder):
    library = faces_library(tmp_path_factory, tmp_path, encoder)
    yield library
    library.close()


def names(hits) -> list[str]:
    return sorted(h.path.split("/faces/")[1] for h in hits)


def test_every_identity_is_one_person_and_persons_never_mix(lib):
    groups = identities(lib)
    for pid, members in groups.items():
        assert len(set(members)) == 1, f"person {pid} mixes {set(members)}"
    folders = {p.name for p in faces_dataset().iterdir() if p.is_dir() and p.name != "groups"}
    for name in folders:
        holders = [pid for pid, members in groups.items() if name in members]
        assert len(holders) == 1, f"{name} is split over persons {holders}"
    assert store.pending_count(lib.catalog) == 0


def test_group_photos_hold_the_expected_persons(lib):
    for photo, who in GROUPS.items():
        path = str(faces_dataset() / "groups" / photo)
        faces = store.faces_in_photo(lib.catalog, lib.catalog.photo_by_path(path).id)
        expected = [person_of(lib, name) for name in who if name is not None]
        assert [f.person_id for f in faces][:len(expected)] == expected
        assert len({f.person_id for f in faces}) == len(faces)   # one face per person


def test_pairwise_verification_separates_identities(lib):
    """Every pair of faces: same identity within the join distance, others beyond it."""
    rows = [(name, f.id) for pid, _ in identities(lib).items()
            for name, f in zip(identities(lib)[pid], store.faces_of(lib.catalog, pid),
                               strict=True) if name is not None]
    _, _, _, vectors = store.grouping_state(lib.catalog)
    face_ids = store.grouping_state(lib.catalog)[0].tolist()
    vec = {fid: vectors[face_ids.index(fid)] for _, fid in rows}
    right = total = 0
    for (a, fa), (b, fb) in itertools.combinations(rows, 2):
        d = float(np.linalg.norm(vec[fa] - vec[fb]))
        right += (d < 0.6) == (a == b)
        total += 1
    assert total > 250 and right / total >= 0.97


def test_boxes_are_in_the_upright_original(tmp_path):
    """A photo stored sideways with an EXIF orientation, or 4x larger, gives the same
    face boxes in its upright, full-size pixels."""
    src = faces_dataset() / "obama" / "obama_4.jpg"
    models = FaceModels.shared()
    (box,) = [f.box for f in faces_in_file(str(src), models)]
    image = Image.open(src).convert("RGB")
    sideways = tmp_path / "sideways.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6                       # rotate 90° clockwise to view
    image.rotate(90, expand=True).save(sideways, quality=95, exif=exif.tobytes())
    (turned,) = [f.box for f in faces_in_file(str(sideways), models)]
    assert np.allclose(turned, box, atol=0.06 * (box[2] - box[0]))
    big = tmp_path / "big.png"
    image.resize((image.width * 4, image.height * 4)).save(big)
    (large,) = [f.box for f in faces_in_file(str(big), models)]
    assert np.allclose(large, [4 * v for v in box], atol=0.06 * 4 * (box[2] - box[0]))


def test_bad_input_finds_nothing_and_never_crashes(tmp_path):
    from PIL import ImageDraw

    models = FaceModels.shared()
    tiny = tmp_path / "one.png"
    Image.new("RGB", (1, 1), "white").save(tiny)
    drawing = tmp_path / "drawing.png"
    im = Image.new("RGB", (600, 400), "white")
    draw = ImageDraw.Draw(im)
    draw.ellipse((200, 100, 400, 300), outline="black", width=4)     # a smiley
    draw.ellipse((250, 160, 270, 180), fill="black")
    draw.ellipse((330, 160, 350, 180), fill="black")
    draw.arc((250, 200, 350, 260), 0, 180, fill="black", width=4)
    im.save(drawing)
    plain = tmp_path / "plain.jpg"
    Image.new("RGB", (5000, 3000), (90, 140, 200)).save(plain)
    for path in (tiny, drawing, plain):
        assert faces_in_file(str(path), models) == []
    grey = Image.new("L", (300, 200), 128)
    assert models.find(grey) == []


def test_names_and_corrections_survive_new_photos(lib, encoder, tmp_path):
    from photosearch.core.features import standard_hooks
    from photosearch.core.pipeline import index_library

    obama, biden = person_of(lib, "obama"), person_of(lib, "biden")
    store.name_person(lib.catalog, obama, "Обама")
    store.name_person(lib.catalog, biden, "Biden")
    wrong = store.faces_of(lib.catalog, obama)[-1]
    alone = store.move_face(lib.catalog, wrong.id)
    hidden = person_of(lib, "alex_lacamoire")
    store.hide(lib.catalog, hidden)
    # new photos of known people arrive: they join the named persons
    more = tmp_path / "more"
    more.mkdir()
    for src, name in ((faces_dataset() / "obama" / "obama_5.jpg", "o.jpg"),
                      (faces_dataset() / "biden" / "biden_2.jpg", "b.jpg")):
        with Image.open(src) as im:
            im.convert("RGB").resize((im.width * 3 // 4, im.height * 3 // 4)).save(more / name)
    lib.add_folder(more)
    index_library(lib, encoder, hooks=standard_hooks())
    assert store.person(lib.catalog, obama).name == "Обама"
    new_faces = {f.path.rsplit("/", 1)[1]: f.person_id
                 for p in (obama, biden) for f in store.faces_of(lib.catalog, p)}
    assert new_faces["o.jpg"] == obama and new_faces["b.jpg"] == biden
    moved = [f for f in store.faces_of(lib.catalog, alone) if f.id == wrong.id]
    assert moved, "a face moved out stays out"
    assert store.person(lib.catalog, hidden).hidden
    assert hidden not in [p.id for p in store.persons(lib.catalog)]


def test_names_never_collide_and_merge_only_when_asked(lib):
    from photosearch.core.errors import UsageError

    kit, rose = person_of(lib, "kit_harington"), person_of(lib, "rose_leslie")
    store.name_person(lib.catalog, kit, "Kit")
    with pytest.raises(UsageError):
        store.name_person(lib.catalog, rose, "kit")
    assert store.person(lib.catalog, rose).name is None
    store.name_person(lib.catalog, rose, "Rose")
    counts = store.person(lib.catalog, kit).count, store.person(lib.catalog, rose).count
    store.merge(lib.catalog, kit, rose)
    assert store.person(lib.catalog, rose) is None
    merged = store.person(lib.catalog, kit)
    assert merged.name == "Kit" and merged.count == counts[0] + counts[1] - 1  # one shared


def test_person_queries_combine(lib):
    store.name_person(lib.catalog, person_of(lib, "obama"), "Обама")
    store.name_person(lib.catalog, person_of(lib, "biden"), "Joe Biden")
    both = names(search_query(lib, None, 'person:обама человек:"joe biden"'))
    assert both == ["groups/obama_and_biden.jpg", "groups/two_people.jpg"]
    alone = names(search_query(lib, None, 'человек:Обама -person:"Joe Biden"', k=50))
    assert alone == sorted(f"obama/{p.name}" for p in (faces_dataset() / "obama").iterdir())
    assert search_query(lib, None, "person:nobody") == []
    unnamed = person_of(lib, "rose_leslie")
    assert len(search_query(lib, None, f"person:{unnamed}")) == 3


def test_person_query_with_text_uses_the_model(lib, encoder):
    store.name_person(lib.catalog, person_of(lib, "biden"), "Biden")
    hits = search_query(lib, encoder, "person:Biden a photo", k=50)
    assert names(hits) == ["biden/biden_1.jpg", "biden/biden_2.jpg",
                           "groups/obama_and_biden.jpg", "groups/two_people.jpg"]


def test_turning_people_off_removes_face_data(lib, encoder):
    from photosearch.core.faces.hook import FaceHook

    store.name_person(lib.catalog, person_of(lib, "obama"), "Обама")
    set_people(lib, False)
    assert store.face_count(lib.catalog) == 0 and store.persons(lib.catalog) == []
    FaceHook().finish(lib, encoder)
    assert store.face_count(lib.catalog) == 0
    set_people(lib, True)
    report = find_faces(lib)
    assert report.photos == 22 and store.face_count(lib.catalog) == report.faces


def test_a_changed_photo_is_looked_at_again(lib, tmp_path):
    """Faces follow the photo's content: a new content hash, a new look."""
    photo = lib.catalog.photo_by_path(str(faces_dataset() / "obama" / "obama_1.jpg"))
    with lib.catalog.write() as conn:
        conn.execute("UPDATE face_scans SET content_hash='old' WHERE photo_id=?", (photo.id,))
    assert [p.id for p in store.pending_photos(lib.catalog)] == [photo.id]
    before = store.face_count(lib.catalog)
    assert find_faces(lib).photos == 1
    assert store.face_count(lib.catalog) == before

