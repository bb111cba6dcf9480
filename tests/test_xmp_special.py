"""XMP sidecars that are not plain files, or are merged: no hang, no endless read, nothing
of the user's lost (mode, comments)."""

from __future__ import annotations

import os
import stat
import threading

import pytest

from photosearch.core.tagging import xmp
from photosearch.core.tagging.xmp import SidecarError, read_subjects, write_subjects

CEILING = 60  # seconds: generous for a loaded machine; a blocked open never returns


def _finishes(fn) -> BaseException | None:
    """Run ``fn`` in a thread; fail if it has not returned by the ceiling (a FIFO opened
    for reading blocks until a writer comes, which in this test never happens)."""
    outcome: list[BaseException | None] = []

    def run():
        try:
            fn()
            outcome.append(None)
        except BaseException as e:  # noqa: BLE001 - handed to the test
            outcome.append(e)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(CEILING)
    assert not thread.is_alive(), "the sidecar read blocked"
    return outcome[0]


@pytest.mark.parametrize("through_link", [False, True])
def test_fifo_sidecar_is_refused_without_blocking(tmp_path, through_link):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    target = tmp_path / "a.jpg.xmp"
    if through_link:
        os.symlink(fifo, target)
    else:
        target = fifo
    error = _finishes(lambda: write_subjects(target, ["cat"]))
    assert isinstance(error, SidecarError) and "FIFO" in str(error)
    error = _finishes(lambda: read_subjects(target))
    assert isinstance(error, SidecarError)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)   # left alone


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_device_sidecar_is_refused_not_read_forever(tmp_path, device):
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    link = tmp_path / "a.jpg.xmp"
    os.symlink(device, link)
    error = _finishes(lambda: write_subjects(link, ["cat"]))
    assert isinstance(error, SidecarError) and "device" in str(error)
    assert os.path.islink(link)


def test_dangling_link_and_oversized_sidecar_are_left_alone(tmp_path, monkeypatch):
    link = tmp_path / "a.jpg.xmp"
    os.symlink(tmp_path / "nowhere" / "x.xmp", link)
    with pytest.raises(SidecarError, match="link to nothing"):
        write_subjects(link, ["cat"])
    big = tmp_path / "b.jpg.xmp"
    big.write_bytes(b"<x/>" + b" " * 2000)
    monkeypatch.setattr(xmp, "MAX_SIDECAR_BYTES", 1000)
    with pytest.raises(SidecarError, match="larger than"):
        write_subjects(big, ["cat"])
    assert big.stat().st_size == 2004


SIDECAR = """<?xml version="1.0" encoding="UTF-8"?>
<!-- written by hand: keep me -->
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <!-- inside the root -->
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
   <dc:subject><rdf:Bag><rdf:li>holiday</rdf:li><!-- in the bag --></rdf:Bag></dc:subject>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<!-- after the root -->
"""


def test_merge_keeps_mode_and_comments_and_follows_a_link(tmp_path):
    real = tmp_path / "real.xmp"
    real.write_text(SIDECAR, encoding="utf-8")
    os.chmod(real, 0o640)
    link = tmp_path / "a.jpg.xmp"
    os.symlink(real, link)
    assert write_subjects(link, ["cat"])
    assert os.path.islink(link)                      # the link stays; its target is updated
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    text = real.read_text(encoding="utf-8")
    for comment in ("written by hand: keep me", "inside the root", "in the bag",
                    "after the root"):
        assert f"<!--{comment}" in text.replace("<!-- ", "<!--")
    assert text.index("keep me") < text.index("<x:xmpmeta")
    assert text.index("after the root") > text.index("</x:xmpmeta>")
    assert read_subjects(link) == ["holiday", "cat"]
    assert not write_subjects(link, ["cat"])         # nothing new: not rewritten


def test_new_sidecar_is_as_readable_as_its_photo(tmp_path):
    photo = tmp_path / "a.jpg"
    photo.write_bytes(b"x")
    os.chmod(photo, 0o644)
    write_subjects(tmp_path / "a.jpg.xmp", ["cat"], photo=photo)
    assert stat.S_IMODE((tmp_path / "a.jpg.xmp").stat().st_mode) == 0o644
