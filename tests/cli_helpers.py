"""Running the command line in-process as a test would type it, with the fixture model."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import FIXTURE_MODEL

from photosearch.cli.main import main


def run_json(capsys, lib_dir: Path, *args: str) -> tuple[int, object]:
    """``photosearch ARGS --json`` on ``lib_dir``: the exit code and the parsed output."""
    code = main([*args, "--json", "--library", str(lib_dir),
                 "--model", f"local-dir:{FIXTURE_MODEL}"])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else None
