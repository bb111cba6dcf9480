"""One library of the shared face photos, indexed (faces included) once per session and
copied per test: dlib takes ~0.5 s a photo on this machine.

``identity(path, left)``: who a face is, from the folder (one per person) or, in the
group photos, from the face's place (the README says who stands where).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import shared_dataset

from photosearch.core.library import Library

# group photo -> identities, left to right (the third face in obama_and_biden is a
# stranger partly visible at the edge)
GROUPS = {"two_people.jpg": ["obama", "biden"],
          "obama_and_biden.jpg": ["biden", "obama", None],
          "kit_with_rose.jpg": ["rose_leslie", "kit_harington"]}

_template: dict[str, Path] = {}


def faces_dataset() -> Path:
    return shared_dataset("faces").resolve()   # the library holds real paths


def faces_library(tmp_path_factory, tmp_path: Path, encoder) -> Library:
    """A fresh copy of the indexed face library (photos stay in the shared folder)."""
    from photosearch.core.features import standard_hooks
    from photosearch.core.pipeline import index_library

    data = faces_dataset()
    if "root" not in _template:
        root = tmp_path_factory.mktemp("faces-template")
        with Library.open(root / "lib") as lib:
            lib.add_folder(data)
            index_library(lib, encoder, hooks=standard_hooks())
        _template["root"] = root
    shutil.copytree(_template["root"] / "lib", tmp_path / "faces-lib")
    return Library.open(tmp_path / "faces-lib")


def identities(lib: Library) -> dict[int, list[str | None]]:
    """Each person's faces as identities (None: the stranger)."""
    from photosearch.core.faces import store

    out: dict[int, list[str | None]] = {}
    for person in store.persons(lib.catalog, hidden=True):
        out[person.id] = [identity(lib, f) for f in store.faces_of(lib.catalog, person.id)]
    return out


def identity(lib: Library, face) -> str | None:
    from photosearch.core.faces import store

    path = Path(face.path)
    if path.parent.name != "groups":
        return path.parent.name
    order = [f.id for f in store.faces_in_photo(lib.catalog, face.photo_id)]
    names = GROUPS[path.name]
    i = order.index(face.id)
    return names[i] if i < len(names) else None


def person_of(lib: Library, name: str) -> int:
    """The person holding the faces of identity ``name``."""
    found = {pid for pid, names in identities(lib).items() if name in names}
    assert len(found) == 1, (name, found)
    return found.pop()
