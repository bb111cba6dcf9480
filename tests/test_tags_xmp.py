"""XMP sidecar export, read back by Exiv2 (the library digiKam and darktable use)."""

from __future__ import annotations

import hashlib

import pytest
from tag_helpers import RU, tagged_copy

from photosearch.core.library import Library
from photosearch.core.tagging import store
from photosearch.core.tagging.vocab import load_vocabulary
from photosearch.core.tagging.xmp import export_sidecars, read_subjects, sidecar_path

pyexiv2 = pytest.importorskip("pyexiv2")

EXISTING = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 4.4.0-Exiv2">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:darktable="http://darktable.sf.net/"
    xmp:Rating="4" darktable:xmp_version="5">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">Holiday</rdf:li></rdf:Alt></dc:title>
   <dc:subject><rdf:Bag><rdf:li>holiday</rdf:li><rdf:li>{removed}</rdf:li></rdf:Bag></dc:subject>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>
"""


def exiv2(path) -> dict:
    img = pyexiv2.Image(str(path))
    try:
        return img.read_xmp()
    finally:
        img.close()


@pytest.fixture
def lib(tmp_path_factory, tmp_path, encoder, monkeypatch):
    lib_dir, photos = tagged_copy(tmp_path_factory, tmp_path, encoder, monkeypatch)
    lib = Library.open(lib_dir)
    yield lib, photos
    lib.close()


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_sidecars_written_and_read_back_by_exiv2(lib):
    lib, photos = lib
    before = {p: (digest(p), p.stat().st_mtime_ns) for p, _, _ in photos}
    report = export_sidecars(lib.catalog, load_vocabulary())
    assert len(report.written) == len(photos) and not report.failed
    for path, colour, _ in photos:
        side = sidecar_path(path)
        assert side.name == path.name + ".xmp"
        subjects = exiv2(side)["Xmp.dc.subject"]
        tags = [t.tag for t in store.tags_of(lib.catalog, lib.catalog.photo_by_path(
            str(path)).id)]
        assert subjects == tags and colour in subjects
    assert before == {p: (digest(p), p.stat().st_mtime_ns) for p, _, _ in photos}
    again = export_sidecars(lib.catalog, load_vocabulary())
    assert again.written == [] and again.unchanged == len(photos)


def test_existing_sidecar_is_merged_not_replaced(lib):
    lib, photos = lib
    path, colour, shape = photos[0]
    pid = lib.catalog.photo_by_path(str(path)).id
    store.remove(lib.catalog, pid, shape)
    side = sidecar_path(path)
    side.write_text(EXISTING.format(removed=shape), encoding="utf-8")
    export_sidecars(lib.catalog, load_vocabulary(), folder=str(path.parent), lang="ru")
    meta = exiv2(side)
    assert meta["Xmp.xmp.Rating"] == "4"
    assert meta["Xmp.darktable.xmp_version"] == "5"
    assert meta["Xmp.dc.title"] == {'lang="x-default"': "Holiday"}
    subjects = meta["Xmp.dc.subject"]
    assert subjects[0] == "holiday" and RU[colour] in subjects
    assert shape not in subjects                          # the user removed it here
    assert "xmlns:darktable=" in side.read_text(encoding="utf-8")


def test_base_naming_and_unreadable_sidecar_left_alone(lib):
    lib, photos = lib
    path = photos[0][0]
    assert sidecar_path(path, "base").name == path.stem + ".xmp"
    broken = sidecar_path(photos[1][0])
    broken.write_text("<x:xmpmeta not xml", encoding="utf-8")
    report = export_sidecars(lib.catalog, load_vocabulary(), naming="ext")
    assert [p for p, _ in report.failed] == [str(broken)]
    assert broken.read_text(encoding="utf-8") == "<x:xmpmeta not xml"
    export_sidecars(lib.catalog, load_vocabulary(), naming="base")
    assert read_subjects(sidecar_path(path, "base")) == exiv2(
        sidecar_path(path, "base"))["Xmp.dc.subject"]
