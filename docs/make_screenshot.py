"""Make docs/screenshot.png: the real app, on generated photos, with a real query.

Run under an X server (``packaging/screenshot.sh`` starts Xvfb). The photos are the
tests' generated coloured shapes and the model is the tests' fixture model
(tests/fixtures/tiny_clip), so the ranking shown is real: "a red circle" finds the red
circles first. Nothing touches the user's library: everything lives in a temp folder.
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


def main() -> None:
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
    window.grid.setCurrentIndex(window.results.index(0))
    out = ROOT / "docs" / "screenshot.png"
    window.grab().save(str(out))
    print(f"wrote {out}")
    window.shutdown()
    library.close()


if __name__ == "__main__":
    main()
