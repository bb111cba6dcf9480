"""Shared fixtures: every test runs on its own temporary library, never the user's."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURE_MODEL = TESTS / "fixtures" / "tiny_clip"
SIGLIP_MODEL = TESTS / "fixtures" / "tiny_siglip"     # sigmoid loss, HF tokenizer files
# The team keeps datasets beside the checkouts; a worktree elsewhere can point at them.
SHARED = Path(os.environ.get("PHOTOSEARCH_SHARED_DATASETS", ROOT.parent / "shared" / "datasets"))

sys.path.insert(0, str(TESTS))  # fixture_images

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["HF_HUB_OFFLINE"] = "1"          # never reach for the network in tests


@pytest.fixture(autouse=True)
def _isolated_library(tmp_path_factory, monkeypatch):
    """Point the library and every platform directory at a temporary folder, so no test
    can touch the real user directory."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("PHOTOSEARCH_LIBRARY", str(home / "library"))
    monkeypatch.setenv("HOME", str(home))
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    # Exporting the text side to ONNX (core/text_onnx) takes seconds per model and cache:
    # tests run the torch path, and tests/test_text_onnx.py the exported one.
    monkeypatch.setenv("PHOTOSEARCH_NO_ONNX", "1")
    # send2trash reads XDG_DATA_HOME once, when imported: point its copies there as well,
    # or a test's "move to trash" would land in the real user's trash.
    import send2trash.plat_other as trash

    data = os.fsencode(home / "xdg_data_home")
    monkeypatch.setattr(trash, "XDG_DATA_HOME", data)
    monkeypatch.setattr(trash, "HOMETRASH_B", os.path.join(data, b"Trash"))
    monkeypatch.setattr(trash, "HOMETRASH", os.fsdecode(os.path.join(data, b"Trash")))
    # QSettings (window geometry, thumbnail size) reads XDG_CONFIG_HOME once a process,
    # so every test shares the first test's (temporary) file: empty it for each test.
    qt = sys.modules.get("PySide6.QtCore")
    if qt is not None:
        qt.QSettings("photosearch", "photosearch").clear()
    yield


@pytest.fixture
def library(tmp_path):
    from photosearch.core.library import Library

    lib = Library.open(tmp_path / "lib")
    yield lib
    lib.close()


@pytest.fixture(scope="session")
def model_source():
    from photosearch.core.model import resolve_source

    return resolve_source(f"local-dir:{FIXTURE_MODEL}")


@pytest.fixture(scope="session")
def encoder(model_source):
    """The tests' fixture model, loaded through the same local-checkpoint path as real
    weights (trained by tests/make_fixture_model.py)."""
    from photosearch.core.model import load_encoder

    return load_encoder(model_source, device="cpu", precision="fp32", batch_size=16)


@pytest.fixture(scope="session")
def siglip_encoder():
    """The SigLIP-style fixture (tests/make_siglip_fixture.py): loads like the SigLIP 2
    presets (Hugging Face tokenizer from local files, a learned logit bias)."""
    from photosearch.core.model import load_encoder, resolve_source

    return load_encoder(resolve_source(f"local-dir:{SIGLIP_MODEL}"), device="cpu",
                        precision="fp32", batch_size=16)


@pytest.fixture
def make_photos(tmp_path):
    """Write generated coloured-shape photos: make_photos(per_class, seed, folder=None)."""
    from fixture_images import write_dataset

    def make(per_class: int = 2, seed: int = 1, folder: Path | None = None, size: int = 96,
             fmt: str = "jpg"):
        folder = folder or tmp_path / f"photos-{seed}"
        folder.mkdir(parents=True, exist_ok=True)
        return write_dataset(folder, per_class, seed, size=size, fmt=fmt)

    return make


def shared_dataset(name: str) -> Path:
    """A dataset from ../shared, or skip: a user's fresh checkout does not have it."""
    path = SHARED / name
    if not path.is_dir():
        pytest.skip(f"{path} is not here (only in the team's workspace)")
    return path


@pytest.fixture
def open_window(qtbot, request):
    """Open app windows on the test's library, shown and exposed; each is shut down (and
    the library it opened closed) at the end of the test.

    ``open_window()`` is the whole app (``build_window``: menus, duplicates, tags) on the
    fixture model, not watching folders. ``encoder_factory=None`` loads the settings'
    model; ``features=False`` gives the bare ``MainWindow``; ``library=`` a library the
    test opened (and closes); other keywords go to the window."""
    opened = []

    def open_(*, features: bool = True, library=None, **window_args):
        from photosearch.core.library import Library
        from photosearch.gui.app import build_window
        from photosearch.gui.main_window import MainWindow

        if "encoder_factory" not in window_args:
            encoder = request.getfixturevalue("encoder")
            window_args["encoder_factory"] = lambda progress: encoder
        window_args.setdefault("watch", False)
        own = library is None
        library = Library.open() if own else library
        window = (build_window if features else MainWindow)(library, **window_args)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window, timeout=120000)
        opened.append((window, library if own else None))
        return window

    yield open_
    for window, library in opened:
        window.shutdown()
        if library is not None:
            library.close()
