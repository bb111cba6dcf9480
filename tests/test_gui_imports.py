"""The window appears before the model: importing the GUI and building the window with
every feature installed must not import torch (it costs seconds; the model loads late)."""

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
