"""The command line, run as a user runs it: in a subprocess, reading its output."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import FIXTURE_MODEL, ROOT

# Runs the CLI in a Python where importing PySide6 fails: the core and CLI must not need Qt.
_NO_QT = """
import sys
class _NoQt:
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6."):
            raise ImportError("PySide6 is blocked in this test")
sys.meta_path.insert(0, _NoQt())
from photosearch.main import main
sys.exit(main(sys.argv[1:]))
"""


def run(*args: str, library, model: bool = True, check: bool = True):
    cmd = [sys.executable, "-c", _NO_QT, *args, "--library", str(library)]
    if model:
        cmd += ["--model", f"local-dir:{FIXTURE_MODEL}"]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONWARNINGS": "error::DeprecationWarning"}
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_index_search_similar_status_without_qt(tmp_path, make_photos):
    folder = tmp_path / "photos"
    make_photos(per_class=2, seed=21, folder=folder)
    (folder / "broken.jpg").write_text("not really a jpeg")
    lib = tmp_path / "lib"

    out = run("index", str(folder), "--json", library=lib)
    data = json.loads(out.stdout)
    assert data["embedded"] == 72
    assert data["failed"] == [{"path": str(folder / "broken.jpg"),
                               "reason": "not an image, or a format photosearch cannot read"}]

    out = run("search", "a", "green", "square", "-k", "6", "--json", library=lib)
    hits = json.loads(out.stdout)           # the relevance cut-off stops at the two there are
    assert set(hits[0]) == {"path", "score", "strength", "relevant", "date"}
    assert [os.path.basename(h["path"])[:12] for h in hits] == ["green_square"] * 2
    assert all(h["relevant"] and 0.5 <= h["strength"] <= 1 for h in hits)
    out = run("search", "a", "green", "square", "-k", "6", "--all", "--json", library=lib)
    hits = json.loads(out.stdout)
    assert len(hits) == 6 and [h["relevant"] for h in hits] == [True] * 2 + [False] * 4

    target = folder / "orange_star_000.jpg"
    out = run("similar", str(target), "-k", "2", "--json", library=lib)
    paths = [h["path"] for h in json.loads(out.stdout)]
    assert str(target) not in paths and "orange_star_001" in paths[0]

    out = run("status", "--json", library=lib)
    status = json.loads(out.stdout)
    assert status["counts"]["indexed"] == 72 and status["counts"]["failed"] == 1
    assert status["failures"][0]["path"].endswith("broken.jpg")
    assert status["folders"][0]["path"] == str(folder)

    text = run("status", library=lib).stdout
    assert "broken.jpg: not an image" in text and "72 indexed" in text

    out = run("search", "a red ring", library=lib)   # human output: strength and path
    strength, path = out.stdout.splitlines()[0].split(maxsplit=1)
    assert strength.endswith("%") and 50 <= int(strength[:-1]) <= 100 and "red_ring" in path
    assert "weaker matches not shown (--all shows them)" in out.stderr


def test_folders_add_list_remove(tmp_path):
    lib = tmp_path / "lib"
    (tmp_path / "a").mkdir()
    out = run("folders", "add", str(tmp_path / "a"), "--json", library=lib, model=False)
    assert json.loads(out.stdout) == [{"path": str(tmp_path / "a"), "online": True}]
    out = run("folders", "remove", str(tmp_path / "a"), library=lib, model=False)
    assert "No folders" in out.stdout
    out = run("folders", "add", str(tmp_path / "nope"), library=lib, model=False, check=False)
    assert out.returncode == 1 and "Not a folder" in out.stderr


def test_missing_model_is_one_clear_message(tmp_path, make_photos):
    folder = tmp_path / "photos"
    make_photos(per_class=1, seed=2, folder=folder)
    out = run("index", str(folder), library=tmp_path / "lib", model=False, check=False)
    assert out.returncode == 3
    assert "Traceback" not in out.stderr
    assert "open_clip_model.safetensors" in out.stderr and "--weights" in out.stderr
    # the folder was still added and scanned: indexing resumes once the weights are there
    out = run("status", "--json", library=tmp_path / "lib", model=False)
    status = json.loads(out.stdout)
    assert status["counts"]["total"] == status["counts"]["pending"] == 36
    assert status["folders"][0]["path"] == str(folder)


def test_weights_file_needs_to_exist(tmp_path):
    out = run("search", "x", "--model", "ViT-B-32", "--weights", str(tmp_path / "no.pt"),
              library=tmp_path / "lib", model=False, check=False)
    assert out.returncode == 3 and "Weights file not found" in out.stderr


def test_core_never_imports_qt():
    """The import contract, checked on the sources (import-linter states it in
    pyproject.toml; this keeps it true without that tool)."""
    import ast

    for package in ("core", "cli"):
        for path in (ROOT / "photosearch" / package).rglob("*.py"):
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                for name in names:
                    assert not name.startswith(("PySide6", "photosearch.gui")), (path, name)


def test_models_lists_presets_with_cost_languages_and_missing_files(tmp_path):
    out = run("models", "--json", library=tmp_path / "lib", model=False)
    rows = {r["name"]: r for r in json.loads(out.stdout)}
    assert set(rows) == {"default", "quality", "english-classic", "multilingual"}
    default = rows["default"]
    assert "ru" in default["languages"] and default["in_use"] and not default["legacy"]
    assert default["missing_files"] == ["open_clip_model.safetensors", "tokenizer.json",
                                        "tokenizer_config.json"]
    assert rows["quality"]["relative_image_time"] > default["relative_image_time"] > 1
    assert rows["multilingual"]["legacy"] and rows["english-classic"]["languages"] == ["en"]
    text = run("models", library=tmp_path / "lib", model=False).stdout
    assert "Russian" in text and "[legacy]" in text
