"""One tagged library for all tag tests: indexed once per session, copied per test.

Indexing even 72 small photos costs seconds on a busy 2-core machine, so the tests copy a
template (photos, catalog, index, and the shared text-vector cache into the test's own
cache directory) and point the copy's catalog at the copied photos; each test still gets
a library of its own.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from fixture_images import COLOURS, SHAPES, write_dataset

from photosearch.core.library import Library

RU = {"red": "красный", "green": "зелёный", "blue": "синий", "yellow": "жёлтый",
      "purple": "фиолетовый", "orange": "оранжевый", "circle": "круг", "square": "квадрат",
      "triangle": "треугольник", "star": "звезда", "cross": "крест", "ring": "кольцо"}
DISTRACTORS = {"dog": "собака", "car": "машина", "beach": "пляж", "sunset": "закат",
               "birthday cake": "торт", "receipt": "чек"}

_template: dict[str, object] = {}


def write_vocab(folder: Path) -> Path:
    """The fixture model's domain words (and some it never saw) as a shipped tags.tsv."""
    vocab = folder / "vocab"
    vocab.mkdir(parents=True, exist_ok=True)
    rows = ["tag\tru\tcategory"]
    rows += [f"{c}\t{RU[c]}\tcolour" for c in COLOURS]
    rows += [f"{s}\t{RU[s]}\tshape" for s in SHAPES]
    rows += [f"{w}\t{r}\tother" for w, r in DISTRACTORS.items()]
    (vocab / "tags.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def _build(root: Path, encoder) -> dict[str, object]:
    from photosearch.core.features import standard_hooks
    from photosearch.core.pipeline import index_library

    resources = write_vocab(root / "resources")
    photos = write_dataset(root / "photos", 2, seed=11)
    import os

    old = os.environ.get("PHOTOSEARCH_RESOURCES")
    os.environ["PHOTOSEARCH_RESOURCES"] = str(resources)
    try:
        with Library.open(root / "lib") as lib:
            lib.add_folder(root / "photos")
            index_library(lib, encoder, hooks=standard_hooks())
    finally:
        if old is None:
            os.environ.pop("PHOTOSEARCH_RESOURCES")
        else:
            os.environ["PHOTOSEARCH_RESOURCES"] = old
    from photosearch.core.tagging.embed import text_vector_dir

    return {"root": root, "resources": resources, "photos": photos,
            "text_vectors": text_vector_dir()}


def tagged_copy(tmp_path_factory, tmp_path: Path, encoder, monkeypatch,
                ) -> tuple[Path, list[tuple[Path, str, str]]]:
    """A fresh copy of the tagged template library: (library dir, [(photo, colour, shape)]).

    Sets ``PHOTOSEARCH_RESOURCES`` so that the test vocabulary is the shipped one."""
    if not _template:
        _template.update(_build(tmp_path_factory.mktemp("tag-template"), encoder))
    src: Path = _template["root"]  # type: ignore[assignment]
    monkeypatch.setenv("PHOTOSEARCH_RESOURCES", str(_template["resources"]))
    dst = tmp_path / "tagged"
    shutil.copytree(src / "photos", dst / "photos")
    shutil.copytree(src / "lib", dst / "lib")
    from photosearch.core.tagging.embed import text_vector_dir

    if _template["text_vectors"] != text_vector_dir():   # built in another test's home
        shutil.copytree(_template["text_vectors"], text_vector_dir(),  # type: ignore[arg-type]
                        dirs_exist_ok=True)
    old, new = str(src / "photos"), str(dst / "photos")
    with Library.open(dst / "lib") as lib, lib.catalog.write() as conn:
        conn.execute("UPDATE folders SET path=replace(path, ?, ?)", (old, new))
        conn.execute("UPDATE photos SET path=replace(path, ?, ?)", (old, new))
    photos = [(dst / "photos" / p.name, c, s) for p, c, s in _template["photos"]]  # type: ignore[union-attr]
    return dst / "lib", photos
