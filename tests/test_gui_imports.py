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
