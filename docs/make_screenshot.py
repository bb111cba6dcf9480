"""Make the README's screenshots from the real app.

Run under an X server (``packaging/screenshot.sh`` starts Xvfb). Nothing touches the
user's library: everything lives in a temp folder.

- ``search`` (docs/screenshot.png): the tests' generated coloured shapes and the tests'
  fixture model (tests/fixtures/tiny_clip), so the ranking is real: "a red circle"
  finds the red circles first.
- ``browse``, ``duplicates``, ``tags``, each with ``en`` or ``ru``
  (docs/screenshot-VIEW-LANG.png): real photos (``../shared/datasets/imagenet-sample``,
  or ``$PHOTOSEARCH_DATASETS``; 120 of them, their file dates spread over 16 months by
  this script) in the app speaking English or Russian: browsed by month with no query
  and the View menu open; the Duplicates tab (with exact and smaller re-saved copies the
  script makes of 7 photos); the Tags tab. Indexed with the tests' fixture model (a tiny
  model trained on coloured shapes), so the tags it gives real photos mean little.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

QUERY = "a red circle"


def wait(app, condition, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for the app")
        app.processEvents()
        time.sleep(0.01)


def save(window, out: Path) -> None:
    """The window as a 256-colour PNG: a few hundred KB instead of a few MB."""
    from PIL import Image

    raw = out.with_suffix(".raw.png")
    window.grab().save(str(raw))
    Image.open(raw).convert("RGB").quantize(256, dither=Image.Dither.NONE).save(
        out, optimize=True)
    raw.unlink()
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")


def real_library(language: str, *, copies: bool = False, near: float | None = None):
    """The app on 120 real photos (``imagenet-sample``, their file dates spread over 16
    months), indexed with the tests' fixture model, speaking ``language``. With
    ``copies``, some photos are copied in as a camera and an editor would: exact copies
    and smaller re-encoded ones, so the Duplicates tab has groups to show."""
    import shutil

    from PIL import Image

    datasets = Path(os.environ.get("PHOTOSEARCH_DATASETS", ROOT.parent / "shared" / "datasets"))
    source = datasets / "imagenet-sample"
    if not source.is_dir():
        raise SystemExit(f"{source} is missing")
    tmp = Path(tempfile.mkdtemp(prefix="photosearch-shot-"))
    os.environ["PHOTOSEARCH_LIBRARY"] = str(tmp / "library")
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
    from photosearch.core.library import Library
    from photosearch.gui.app import build_window, create_app

    photos = tmp / "Camera"
    photos.mkdir()
    picked = sorted(source.glob("*.JPEG"))[::8][:120]
    day = 24 * 3600
    start = time.mktime((2024, 7, 28, 12, 0, 0, 0, 0, -1))
    for i, src in enumerate(picked):             # about 8 a month, newest in July 2024
        dst = photos / src.name
        shutil.copy2(src, dst)
        when = start - i * 4 * day
        os.utime(dst, (when, when))
    expected = len(picked)
    if copies:
        edited = tmp / "Edited"
        edited.mkdir()
        for src in picked[:3]:                               # the same file twice
            shutil.copy2(photos / src.name, edited / f"copy of {src.name}")
        for src in picked[3:7]:                              # smaller, saved again
            image = Image.open(photos / src.name).convert("RGB")
            image.thumbnail((image.width * 2 // 3, image.height * 2 // 3))
            image.save(edited / f"{src.stem} (small).jpg", quality=80)
        expected += 7
    app = create_app(language)
    library = Library.open()
    library.settings.model = f"local-dir:{ROOT / 'tests' / 'fixtures' / 'tiny_clip'}"
    library.settings.ui_language = language
    if near is not None:
        library.settings.duplicate_thresholds = {"near_cosine": near}
    library.save_settings()
    window = build_window(library)
    window.resize(1180, 760)
    window.show()
    window.add_folders([str(photos)] + ([str(tmp / "Edited")] if copies else []))

    def indexed() -> bool:
        enc = window.indexer.encoder
        return (enc is not None and not window.indexer.running and not window.runner.busy
                and library.catalog.counts(enc.key).indexed == expected)

    wait(app, indexed)
    return app, window, library


def settle(app, seconds: float) -> None:
    """Let thumbnails, counts and a regroup arrive."""
    deadline = time.monotonic() + seconds
    wait(app, lambda: time.monotonic() > deadline)


def save_screen(app, window, out: Path) -> None:
    """The screen where the window is, so an open menu (a window of its own) is in it."""
    raw = out.with_suffix(".raw.png")
    geometry = window.frameGeometry()
    app.primaryScreen().grabWindow(0, geometry.x(), geometry.y(), geometry.width(),
                                   geometry.height()).save(str(raw))
    from PIL import Image

    Image.open(raw).convert("RGB").quantize(256, dither=Image.Dither.NONE).save(
        out, optimize=True)
    raw.unlink()
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")


def browse(language: str) -> None:
    """No query: the library by month, with the View menu open."""
    app, window, library = real_library(language)
    window.clear_query()
    window.refresh_counts()
    settle(app, 4)
    bar = window.menuBar()
    bar.setActiveAction(bar.actions()[1])              # File, View, …: open View
    settle(app, 1)
    save_screen(app, window, ROOT / "docs" / f"screenshot-browse-{language}.png")
    bar.setActiveAction(None)
    window.shutdown()
    library.close()


def duplicates(language: str) -> None:
    """The Duplicates tab on the real photos and the copies the script made of some."""
    from photosearch.gui.duplicates_view import DuplicatesView

    # The fixture model puts unrelated real photos close together (at the default 0.92
    # most of them would be "near-duplicates"): a strict threshold keeps to the copies.
    app, window, library = real_library(language, copies=True, near=0.99)
    view = window.findChild(DuplicatesView)
    shown: list[int] = []
    view.groups_shown.connect(shown.append)
    window.views.setCurrentWidget(view)
    wait(app, lambda: bool(shown))
    settle(app, 4)
    save(window, ROOT / "docs" / f"screenshot-duplicates-{language}.png")
    window.shutdown()
    library.close()


def tags(language: str) -> None:
    """The Tags tab: the library's tags with their counts, and the user's own words."""
    from photosearch.gui.tags_panel import TagsPanel

    app, window, library = real_library(language)
    window.views.setCurrentWidget(window.findChild(TagsPanel))
    settle(app, 2)
    save(window, ROOT / "docs" / f"screenshot-tags-{language}.png")
    window.shutdown()
    library.close()


def main() -> None:
    views = {"browse": browse, "duplicates": duplicates, "tags": tags}
    if sys.argv[1:2] and sys.argv[1] in views:
        views[sys.argv[1]](sys.argv[2] if len(sys.argv) > 2 else "en")
        return
    from fixture_images import write_dataset

    tmp = Path(tempfile.mkdtemp(prefix="photosearch-shot-"))
    os.environ["PHOTOSEARCH_LIBRARY"] = str(tmp / "library")
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")   # window geometry stays here
    from photosearch.core.library import Library
    from photosearch.gui.app import build_window, create_app

    photos = tmp / "Holiday 2024"
    write_dataset(photos, per_class=2, seed=21, size=224)
    extra = tmp / "Phone camera"
    write_dataset(extra, per_class=1, seed=22, size=224)
    app = create_app()
    library = Library.open()
    library.settings.model = f"local-dir:{ROOT / 'tests' / 'fixtures' / 'tiny_clip'}"
    # The fixture model sees every photo of one colour and shape as a near-duplicate of the
    # others, so with hiding on the grid would show one red circle (×3) and then other
    # colours; show the plain ranking instead.
    library.settings.hide_duplicates = False
    library.save_settings()
    window = build_window(library)
    window.resize(1180, 760)
    window.show()
    window.add_folders([str(photos), str(extra)])
    total = 36 * 3

    def indexed() -> bool:
        enc = window.indexer.encoder
        return (enc is not None and not window.indexer.running
                and library.catalog.counts(enc.key).indexed == total)

    wait(app, indexed)
    shown: list[list] = []
    window.results_shown.connect(shown.append)
    window.search_box.setFocus()
    window.search_box.setText(QUERY)
    window.run_query()
    wait(app, lambda: bool(shown and shown[-1]))
    window.refresh_counts()
    deadline = time.monotonic() + 3
    wait(app, lambda: time.monotonic() > deadline)   # thumbnails and counts arrive
    # a refresh still to come (the duplicates reload after indexing) would drop the
    # selection and leave the photo's tag row empty in the picture
    wait(app, lambda: not window.refresh_pending and not window.runner.busy)
    from photosearch.gui.tags_view import PhotoTagsWidget

    row = window.findChild(PhotoTagsWidget)
    window.grid.setCurrentIndex(window.results.index(0))
    wait(app, lambda: bool(row.chips()))
    settle(app, 1)
    out = ROOT / "docs" / "screenshot.png"
    window.grab().save(str(out))
    print(f"wrote {out}")
    window.shutdown()
    library.close()


if __name__ == "__main__":
    main()
