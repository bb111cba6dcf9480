"""Face regions in XMP sidecars, in the Metadata Working Group's schema (``mwg-rs``),
which digiKam, Lightroom and ExifTool read: each named face as a ``Face`` region with its
name and its box (centre, width and height as fractions of the upright photo).

Merged like the keywords (``tagging.xmp``): regions other tools wrote stay; a region of
ours (same name) is replaced, so exporting twice changes nothing.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from photosearch.core.faces.store import Box

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
MWG_RS = "http://www.metadataworkinggroup.com/schemas/regions/"
ST_AREA = "http://ns.adobe.com/xmp/sType/Area#"
ST_DIM = "http://ns.adobe.com/xap/1.0/sType/Dimensions#"
NAMESPACES = {"mwg-rs": MWG_RS, "stArea": ST_AREA, "stDim": ST_DIM}
_RESOURCE = {f"{{{RDF}}}parseType": "Resource"}


def _q(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


def merge_regions(root: ET.Element, size: tuple[int, int],
                  faces: Sequence[tuple[str, Box]]) -> None:
    """Put ``faces`` (name, box in the upright photo of ``size``) into the sidecar tree
    ``root`` as MWG face regions."""
    width, height = size
    if not faces or width <= 0 or height <= 0:
        return
    for prefix, uri in NAMESPACES.items():
        ET.register_namespace(prefix, uri)
    rdf = root if root.tag == _q(RDF, "RDF") else root.find(f".//{{{RDF}}}RDF")
    if rdf is None:
        return
    desc = next(iter(rdf.findall(_q(RDF, "Description"))), None)
    if desc is None:
        desc = ET.SubElement(rdf, _q(RDF, "Description"), {_q(RDF, "about"): ""})
    regions = desc.find(_q(MWG_RS, "Regions"))
    if regions is None:
        regions = ET.SubElement(desc, _q(MWG_RS, "Regions"), _RESOURCE)
    dims = regions.find(_q(MWG_RS, "AppliedToDimensions"))
    if dims is None:
        dims = ET.SubElement(regions, _q(MWG_RS, "AppliedToDimensions"))
    dims.attrib.update({_q(ST_DIM, "w"): str(width), _q(ST_DIM, "h"): str(height),
                        _q(ST_DIM, "unit"): "pixel"})
    listed = regions.find(_q(MWG_RS, "RegionList"))
    if listed is None:
        listed = ET.SubElement(regions, _q(MWG_RS, "RegionList"))
    bag = listed.find(_q(RDF, "Bag"))
    if bag is None:
        bag = ET.SubElement(listed, _q(RDF, "Bag"))
    ours = {name for name, _ in faces}
    for li in list(bag):
        name = li.find(_q(MWG_RS, "Name"))
        if name is not None and (name.text or "").strip() in ours:
            bag.remove(li)
    for name, (left, top, right, bottom) in faces:
        li = ET.SubElement(bag, _q(RDF, "li"), _RESOURCE)
        ET.SubElement(li, _q(MWG_RS, "Name")).text = name
        ET.SubElement(li, _q(MWG_RS, "Type")).text = "Face"
        ET.SubElement(li, _q(MWG_RS, "Area"), {
            _q(ST_AREA, "x"): f"{(left + right) / 2 / width:.6f}",
            _q(ST_AREA, "y"): f"{(top + bottom) / 2 / height:.6f}",
            _q(ST_AREA, "w"): f"{(right - left) / width:.6f}",
            _q(ST_AREA, "h"): f"{(bottom - top) / height:.6f}",
            _q(ST_AREA, "unit"): "normalized"})
