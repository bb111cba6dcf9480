"""The real app process, as a user starts it: global options and folders on the command
line, the window up (offscreen), the photos indexed; then the CLI, given no model, finds
them with the library's model."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import FIXTURE_MODEL, ROOT

from photosearch.main import wants_cli


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HF_HUB_OFFLINE": "1", **extra}


@pytest.mark.parametrize("args, cli", [
    ([], False),
    (["--library", "L"], False),
    (["--library", "L", "--model", "multilingual"], False),
    (["--library=L", "--weights", "w.safetensors"], False),
    (["--library", "L", "status"], True),
    (["search", "red"], True),
    (["--help"], True),
    (["--json", "status"], True),
    (["no-such-folder-or-command"], True),   # the CLI says what it expected
])
def test_which_client_starts(args, cli):
    assert wants_cli(args) is cli


def test_a_folder_on_the_command_line_opens_the_app(tmp_path):
    assert wants_cli(["--library", "L", str(tmp_path)]) is False


def test_the_app_indexes_folders_given_on_its_command_line(tmp_path, make_photos):
    folder = tmp_path / "photos"
    files = make_photos(per_class=1, seed=5, folder=folder)
    lib = tmp_path / "lib"
    app = subprocess.run(
        [sys.executable, "-m", "photosearch", "--library", str(lib),
         "--model", f"local-dir:{FIXTURE_MODEL.relative_to(ROOT)}", str(folder)],
        cwd=ROOT, env=_env(PHOTOSEARCH_TEST_EXIT_WHEN_INDEXED="1"), capture_output=True,
        text=True, timeout=600)
    assert app.returncode == 0, app.stderr[-3000:]

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "photosearch", "--library", str(lib),
                               "--json", *args], cwd=ROOT, env=_env(), capture_output=True,
                              text=True, timeout=300)

    settings = json.loads((lib / "settings.json").read_text())
    assert settings["model"] == f"local-dir:{FIXTURE_MODEL}"    # absolute: any cwd
    status = cli("status")                      # no --model: the library's model
    assert status.returncode == 0, status.stderr
    counts = json.loads(status.stdout)["counts"]
    assert counts["indexed"] == len(files) and counts["pending"] == 0
    found = cli("search", "red", "circle", "-k", "3")
    assert found.returncode == 0, found.stderr
    hits = json.loads(found.stdout)
    assert hits and all(os.path.realpath(h["path"]).startswith(os.path.realpath(folder))
                    for h in hits)


def test_the_cli_remembers_the_model_index_was_given(tmp_path, make_photos):
    folder = tmp_path / "photos"
    files = make_photos(per_class=1, seed=6, folder=folder)
    lib = tmp_path / "lib"

    def cli(*args: str) -> subprocess.CompletedProcess:
        proc = subprocess.run([sys.executable, "-m", "photosearch", "--library", str(lib),
                               "--json", *args], cwd=ROOT, env=_env(), capture_output=True,
                              text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        return proc

    cli("index", str(folder), "--model", f"local-dir:{FIXTURE_MODEL}")
    counts = json.loads(cli("status").stdout)["counts"]
    assert counts["indexed"] == len(files) and counts["pending"] == 0
    # a one-off --model for a search leaves the library's model as it was
    other = subprocess.run([sys.executable, "-m", "photosearch", "--library", str(lib),
                            "search", "red", "--model", "no-such-model"], cwd=ROOT, env=_env(),
                           capture_output=True, text=True, timeout=300)
    assert other.returncode != 0
    assert json.loads((lib / "settings.json").read_text())["model"].startswith("local-dir:")
