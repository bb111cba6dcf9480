"""Export tags to XMP sidecar files (``dc:subject``) for digiKam, darktable, Lightroom;
named people too, as keywords and as face regions (``faces.xmp``).

Sidecar name: ``photo.jpg.xmp`` by default (``naming="ext"``), the convention of
darktable and digiKam (its default), and of Exiv2-based tools. It cannot collide when a
camera writes ``IMG_1.CR2`` and ``IMG_1.JPG`` side by side, which ``IMG_1.xmp`` (Adobe's
convention for raw files, ``naming="base"``) would: there the JPEG's tags would land in
the raw file's Lightroom sidecar. Lightroom does not read sidecars of JPEGs at all (it
reads XMP inside them), and photosearch never rewrites image files, so the default loses
nothing for Lightroom users who choose ``base`` for raw-heavy folders.

An existing sidecar is merged, not replaced: every other property and namespace is kept,
keywords other tools wrote stay, ours are added, and tags the user removed in photosearch
are taken out. A sidecar that does not parse is left alone and reported; so is a path
that is not a regular file (a FIFO would block the read forever, a device would read
without end) or one too large to be a sidecar. A merged sidecar keeps its XML comments and
its file mode; a new one takes the photo's read/write permissions.
"""

from __future__ import annotations

import os
import stat
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
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
MAX_SIDECAR_BYTES = 16 << 20    # real sidecars are kilobytes; darktable's history: < 1 MB


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


def write_subjects(path: Path, add: Iterable[str], drop: Iterable[str] = (),
                   photo: str | os.PathLike[str] | None = None,
                   edit: Callable[[ET.Element], None] | None = None) -> bool:
    """Merge keywords into the sidecar at ``path`` (created if missing, with the
    permissions of ``photo`` when given), and let ``edit`` change the tree further (face
    regions); returns whether the file changed. A symlinked sidecar is updated where it
    points."""
    add, drop = list(dict.fromkeys(add)), set(drop)
    if os.path.islink(path):
        if not os.path.exists(path):
            raise SidecarError(f"{path}: a link to nothing ({os.readlink(path)}), left alone")
        path = Path(os.path.realpath(path))
    old = _read_sidecar(path)
    if old is not None:
        mode = stat.S_IMODE(os.stat(path).st_mode)
        root, before, after = _parse(old, path)
    else:
        mode = _new_mode(photo)
        root, before, after = ET.Element(f"{{{X}}}xmpmeta"), [], []
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
    if edit is not None:
        edit(root)
    body = "".join(f"<!--{c}-->\n" for c in before) + ET.tostring(root, encoding="unicode")
    body += "".join(f"\n<!--{c}-->" for c in after)
    data = (_HEAD + body + _TAIL).encode("utf-8")
    if data == old:
        return False
    atomic_write_bytes(path, data, mode=mode)
    return True


def read_subjects(path: Path) -> list[str]:
    """Keywords in a sidecar's ``dc:subject`` (for the GUI and round trips)."""
    data = _read_sidecar(path)
    if data is None:
        raise FileNotFoundError(str(path))
    root = _parse(data, path)[0]
    out = []
    for desc in root.iter(f"{{{RDF}}}Description"):
        for subject in desc.findall(f"{{{DC}}}subject"):
            out += [(li.text or "").strip() for li in subject.iter(f"{{{RDF}}}li")]
    return out


def _read_sidecar(path: Path) -> bytes | None:
    """The sidecar's bytes, or None when there is none. Checked to be a regular file before
    it is opened (and again after: O_NONBLOCK keeps a FIFO swapped in meanwhile from
    blocking the open), and read only up to a size no sidecar reaches."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(st.st_mode):
        raise SidecarError(f"{path}: not a regular file ({_kind(st.st_mode)}), left alone")
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise SidecarError(f"{path}: not a regular file ({_kind(st.st_mode)}), left alone")
        data = f.read(MAX_SIDECAR_BYTES + 1)
    if len(data) > MAX_SIDECAR_BYTES:
        raise SidecarError(f"{path}: larger than {MAX_SIDECAR_BYTES >> 20} MiB, not a sidecar")
    return data


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a device"),
                       (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISDIR, "a folder")):
        if test(mode):
            return name
    return "not a plain file"


def _new_mode(photo: str | os.PathLike[str] | None) -> int | None:
    """A new sidecar is as readable as its photo (never executable); None: the default."""
    if photo is None:
        return None
    try:
        return stat.S_IMODE(os.stat(photo).st_mode) & 0o666
    except OSError:
        return None


class _KeepComments(ET.TreeBuilder):
    """A tree builder that also keeps the comments before and after the root element,
    which ElementTree drops (those inside it become Comment elements)."""

    def __init__(self) -> None:
        super().__init__(insert_comments=True)
        self.depth = 0
        self.seen_root = False
        self.before: list[str] = []
        self.after: list[str] = []

    def start(self, tag, attrs):
        self.depth += 1
        self.seen_root = True
        return super().start(tag, attrs)

    def end(self, tag):
        self.depth -= 1
        return super().end(tag)

    def comment(self, text):
        if self.depth == 0:
            (self.after if self.seen_root else self.before).append(text)
            return None
        return super().comment(text)


def _parse(data: bytes, path: Path) -> tuple[ET.Element, list[str], list[str]]:
    """Parse a sidecar, registering its prefixes so that they are written back unchanged;
    returns the root and the comments before and after it."""
    import io

    try:
        for _, (prefix, uri) in ET.iterparse(io.BytesIO(data), events=("start-ns",)):
            if prefix and not prefix.startswith("ns"):
                ET.register_namespace(prefix, uri)
        builder = _KeepComments()
        parser = ET.XMLParser(target=builder)
        parser.feed(data)
        return parser.close(), builder.before, builder.after
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
    themselves are never opened for writing. Photos with named people get the names as
    keywords and their faces as MWG regions."""
    from photosearch.core.faces.store import named_in_photos, photos_with_named
    from photosearch.core.faces.xmp import merge_regions

    inside = os.path.abspath(folder) if folder is not None else None
    ids = tagged_photo_ids(catalog, inside)
    named = photos_with_named(catalog)
    if inside is not None:
        named = [i for i in named if i in catalog.ids_under(inside)]
    ids = sorted(set(ids) | set(named))
    people = named_in_photos(catalog, named)
    photos = catalog.photos_by_ids(ids)
    report = ExportReport()
    for n, pid in enumerate(ids):
        photo = photos.get(pid)
        if photo is None or not os.path.isfile(photo.path):
            continue
        keep = [vocab.label(t.tag, lang) for t in tags_of(catalog, pid)]
        faces = people.get(pid, [])
        keep += [name for name, _ in faces]
        size = (photo.width or 0, photo.height or 0)
        gone = {form for t in removed_tags(catalog, pid)
                for form in (t, vocab.label(t, "en"), vocab.label(t, "ru"))}
        target = sidecar_path(photo.path, naming)
        try:
            changed = write_subjects(
                target, keep, gone - set(keep), photo=photo.path,
                edit=(lambda root, f=faces, s=size: merge_regions(root, s, f)) if faces
                else None)
        except (SidecarError, OSError) as e:
            report.failed.append((str(target), str(e)))
            continue
        if changed:
            report.written.append(str(target))
        else:
            report.unchanged += 1
        progress(Progress("writing sidecars", n + 1, len(ids)))
    return report
