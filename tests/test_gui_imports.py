"""The window appears before the model: importing the GUI and building the window with
every feature installed must not import torch (it costs seconds; the model loads late).
The app's launch shows the window's frame before it imports anything heavy or opens the
library (its first paint must not depend on the library's size), then fills it in."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT

_BUILD_WINDOW = """
import sys
from PySide6.QtWidgets import QApplication
from photosearch.gui.app import build_window, create_app
from photosearch.core.library import Library

app = create_app()
library = Library.open(sys.argv[1])
window = build_window(library)
window.show()
app.processEvents()
heavy = sorted(m for m in ("torch", "open_clip", "torchvision", "transformers")
               if m in sys.modules)
window.shutdown()
library.close()
print("heavy:", ",".join(heavy))
"""


_LAUNCH = """
import os, sys
from PySide6.QtCore import QEvent, QObject
from photosearch.gui.app import create_app, launch, parse_args

HEAVY = ("torch", "open_clip", "numpy", "PIL", "watchdog", "hnswlib", "sqlite3",
         "photosearch.core.library", "photosearch.core.catalog")
app = create_app()
window = launch(parse_args(["--library", sys.argv[1]]))

class Paints(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and obj is window and not hasattr(self, "seen"):
            self.seen = True
            heavy = [m for m in HEAVY if m in sys.modules]
            print("frame:", ",".join(heavy), "exists" if os.path.exists(sys.argv[1]) else "")
        if event.type() == QEvent.Type.Paint and obj is window.centralWidget():
            obj.removeEventFilter(self)
            print("contents:", ",".join(window.folders.paths()), window._started)
        return False

spy = Paints()
window.installEventFilter(spy)
window.when_framed(lambda: window.centralWidget().installEventFilter(spy))
def started():
    print("started:", "torch" in sys.modules)
    window.shutdown()
    window.library.close()
    app.quit()
window.started.connect(started)
sys.exit(app.exec())
"""


def test_the_first_paint_comes_before_the_library_opens(tmp_path):
    """Launch: the frame is painted with nothing heavy imported and the library not yet
    opened (so a 1M-photo library launches as fast as an empty one); its contents are
    painted with the folders from last time already listed (no empty state first), and
    only then does the background work start."""
    from photosearch.core.library import Library

    root, folder = tmp_path / "lib", tmp_path / "photos"
    folder.mkdir()
    library = Library.open(root)
    library.add_folder(str(folder))
    library.close()
    nested = tmp_path / "new" / "lib"      # a library made at launch: not before the paint
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for lib, folders in ((root, str(folder)), (nested, "")):
        proc = subprocess.run([sys.executable, "-c", _LAUNCH, str(lib)], capture_output=True,
                              text=True, cwd=ROOT, env=env, timeout=300)
        assert proc.returncode == 0, proc.stderr
        lines = proc.stdout.strip().splitlines()
        assert lines[0].split(" ") == ["frame:", "", "" if lib == nested else "exists"]
        assert lines[1:] == [f"contents: {folders} False", "started: False"]


def test_building_the_window_does_not_import_torch(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "-c", _BUILD_WINDOW, str(tmp_path / "lib")],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "heavy:", proc.stdout


def test_background_work_starts_after_the_first_paint(qtbot, tmp_path, encoder):
    """Browsing the timeline (a sort of the catalog: seconds at 1M photos), watching and
    the model probe wait for the window's first frame, however late it comes; a window
    that is never shown still starts."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QCheckBox

    from photosearch.core.library import Library
    from photosearch.gui.app import build_window
    from photosearch.gui.main_window import START_DELAY_MS, MainWindow

    library = Library.open(tmp_path / "lib")
    window = build_window(library, encoder_factory=lambda progress: encoder, watch=False,
                          defer_features=True)
    qtbot.addWidget(window)
    seen: list[tuple[bool, int]] = []

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint and not seen:
                seen.append((window._started, window.views.count()))
            return False

    spy = FirstPaint()
    window.installEventFilter(spy)
    qtbot.wait(START_DELAY_MS * 3)     # the window is shown late, as on a loaded machine
    assert not window._started
    window.show()
    qtbot.waitUntil(lambda: bool(seen) and window._started, timeout=120000)
    assert seen == [(False, 1)]              # the results only: the feature views follow
    from photosearch.gui.duplicates_view import DuplicatesView
    from photosearch.gui.people_view import PeopleView
    from photosearch.gui.tags_view import TagsPanel
    from photosearch.gui.themes_view import ThemesPanel

    views = [type(window.views.widget(i)) for i in range(window.views.count())]
    assert views[1:] == [DuplicatesView, TagsPanel, PeopleView, ThemesPanel]
    assert window.findChild(QCheckBox, "hideDuplicates") is not None
    hidden = MainWindow(library, encoder_factory=lambda progress: encoder, watch=False)
    qtbot.addWidget(hidden)
    qtbot.waitUntil(lambda: hidden._started, timeout=120000)
    for w in (window, hidden):
        w.shutdown()
    library.close()
