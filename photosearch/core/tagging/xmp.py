"""Export tags to XMP sidecar files (``dc:subject``) for digiKam, darktable, Lightroom.

Sidecar name: ``photo.jpg.xmp`` by default (``naming="ext"``), the convention of
darktable and digiKam (its default), and of Exiv2-based tools. It cannot collide when a
camera writes ``IMG_1.CR2`` and ``IMG_1.JPG`` side by side, which ``IMG_1.xmp`` (Adobe's
convention for raw files, ``naming="base"``) would: there the JPEG's tags would land in
the raw file's Lightroom sidecar. Lightroom does not read sidecars of JPEGs at all (it
reads XMP inside them), and photosearch never rewrites image files, so the default loses
nothing for Lightroom users who choose ``base`` for raw-heavy folders.

An existing sidecar is merged, not replaced: every other property and namespace is kept,
keywords other tools wrote stay, ours are added, and tags the user removed in photosearch
are taken out. A sidecar that does not parse is left alone and reported.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from photosearch.core.atomic import atomic_write_bytes
from photosearch.core.catalog import Catalog
from photosearch.core.progress import Progress, ProgressFn, noop
from photosearch.core.tagging.store import removed_tags, tagged_photo_ids, tags_of
from photosearch.core.tagging.vocab import Vocabulary

X = "adobe:ns:meta/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
_STANDARD = {"x": X, "rdf": RDF, "dc": DC, "xmp": "http://ns.adobe.com/xap/1.0/"}
_HEAD = '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
_TAIL = '\n<?xpacket end="w"?>\n'


def sidecar_path(photo_path: str | os.PathLike[str], naming: str = "ext") -> Path:
    """``photo.jpg`` → ``photo.jpg.xmp`` (``ext``) or ``photo.xmp`` (``base``)."""
    p = Path(photo_path)
    if naming == "base":
        return p.with_suffix(".xmp")
    if naming != "ext":
        raise ValueError(f"unknown sidecar naming {naming!r} (use 'ext' or 'base')")
    return p.with_name(p.name + ".xmp")


class SidecarError(Exception):
    """An existing sidecar that cannot be parsed (it is never overwritten)."""


def write_subjects(path: Path, add: Iterable[str], drop: Iterable[str] = ()) -> bool:
    """Merge keywords into the sidecar at ``path`` (created if missing); returns whether
    the file changed."""
    add, drop = list(dict.fromkeys(add)), set(drop)
    old: bytes | None = None
    if path.exists():
        old = path.read_bytes()
        root = _parse(old, path)
    else:
        root = ET.Element(f"{{{X}}}xmpmeta")
        ET.SubElement(root, f"{{{RDF}}}RDF")
    bag = _subject_bag(root)
    items = [li for li in bag if li.tag == f"{{{RDF}}}li"]
    have = {(li.text or "").strip() for li in items}
    for li in items:
        if (li.text or "").strip() in drop:
            bag.remove(li)
    for word in add:
        if word not in have and word not in drop:
            ET.SubElement(bag, f"{{{RDF}}}li").text = word
    body = ET.tostring(root, encoding="unicode")
    data = (_HEAD + body + _TAIL).encode("utf-8")
    if data == old:
        return False
    atomic_write_bytes(path, data)
    return True


def read_subjects(path: Path) -> list[str]:
    """Keywords in a sidecar's ``dc:subject`` (for the GUI and round trips)."""
    root = _parse(path.read_bytes(), path)
    out = []
    for desc in root.iter(f"{{{RDF}}}Description"):
        for subject in desc.findall(f"{{{DC}}}subject"):
            out += [(li.text or "").strip() for li in subject.iter(f"{{{RDF}}}li")]
    return out


def _parse(data: bytes, path: Path) -> ET.Element:
    """Parse a sidecar, registering its prefixes so that they are written back unchanged."""
    import io

    try:
        for _, (prefix, uri) in ET.iterparse(io.BytesIO(data), events=("start-ns",)):
            if prefix and not prefix.startswith("ns"):
                ET.register_namespace(prefix, uri)
        return ET.fromstring(data)
    except (ET.ParseError, ValueError) as e:
        raise SidecarError(f"{path}: not a readable XMP file ({e})") from None


def _subject_bag(root: ET.Element) -> ET.Element:
    for prefix, uri in _STANDARD.items():
        ET.register_namespace(prefix, uri)
    rdf = root if root.tag == f"{{{RDF}}}RDF" else root.find(f".//{{{RDF}}}RDF")
    if rdf is None:
        raise SidecarError("no rdf:RDF element")
    descriptions = rdf.findall(f"{{{RDF}}}Description")
    for desc in descriptions:
        subject = desc.find(f"{{{DC}}}subject")
        if subject is not None:
            bag = next(iter(subject), None)
            if bag is None:
                bag = ET.SubElement(subject, f"{{{RDF}}}Bag")
            return bag
    if descriptions:
        desc = descriptions[0]
    else:
        desc = ET.SubElement(rdf, f"{{{RDF}}}Description", {f"{{{RDF}}}about": ""})
    return ET.SubElement(ET.SubElement(desc, f"{{{DC}}}subject"), f"{{{RDF}}}Bag")


@dataclass
class ExportReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


def export_sidecars(catalog: Catalog, vocab: Vocabulary, *, folder: str | None = None,
                    naming: str = "ext", lang: str | None = None,
                    progress: ProgressFn = noop) -> ExportReport:
    """Write the tags of every tagged photo (inside ``folder``, if given) to its sidecar.

    Keywords are written as labels in ``lang`` (English tags by default); the photos
    themselves are never opened for writing."""
    ids = tagged_photo_ids(catalog, os.path.abspath(folder) if folder is not None else None)
    photos = catalog.photos_by_ids(ids)
    report = ExportReport()
    for n, pid in enumerate(ids):
        photo = photos.get(pid)
        if photo is None or not os.path.isfile(photo.path):
            continue
        keep = [vocab.label(t.tag, lang) for t in tags_of(catalog, pid)]
        gone = {form for t in removed_tags(catalog, pid)
                for form in (t, vocab.label(t, "en"), vocab.label(t, "ru"))}
        target = sidecar_path(photo.path, naming)
        try:
            changed = write_subjects(target, keep, gone - set(keep))
        except (SidecarError, OSError) as e:
            report.failed.append((str(target), str(e)))
            continue
        if changed:
            report.written.append(str(target))
        else:
            report.unchanged += 1
        progress(Progress("writing sidecars", n + 1, len(ids)))
    return report
