"""Typed, Qt-free settings of one library, stored as JSON beside the catalog.

Each stored file carries ``schema_version``; ``_UPGRADES[n]`` turns version n into n+1,
so a settings file written by an older photosearch still opens. Unknown keys are kept
out (a newer file opened by an older version falls back to defaults for what it lacks),
and a field added with a default needs no upgrade step: an older file lacks it and gets
the default.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from photosearch.core.atomic import atomic_write_bytes

SCHEMA_VERSION = 2


@dataclass
class Settings:
    schema_version: int = SCHEMA_VERSION
    model: str = "default"                 # preset name, open_clip architecture or local-dir:PATH
    weights: str | None = None             # local checkpoint for ``model``
    next_model: str | None = None          # being embedded, to replace ``model`` (model_switch)
    next_weights: str | None = None        # its checkpoint
    device: str | None = None              # None: CUDA > MPS > CPU
    precision: str | None = None           # None: fp16 on CUDA, bf16 on CPUs with native bf16
    batch_size: int | None = None          # None: sized for the device
    allow_download: bool = True
    hide_duplicates: bool = True           # exact and same-picture copies
    hide_near_duplicates: bool = False     # other shots of a scene too, only when asked
    result_order: str = "relevance"        # the app's sort: relevance | newest | oldest
    duplicate_thresholds: dict[str, float] = field(default_factory=dict)
    custom_tags: list[str] = field(default_factory=list)
    tag_selection: dict[str, float] = field(default_factory=dict)   # z_min, max_tags
    ui_language: str | None = None         # None: from the system locale
    watch_folders: bool = True             # follow changes on disk while the app runs
    people: bool = True                    # find and group faces (off: face data removed)


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    # v1 stored the preset as "model_name"; v2 calls it "model" as the CLI flag does.
    if "model_name" in data:
        data["model"] = data.pop("model_name")
    return data


_UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2}


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    version = int(data.get("schema_version", 1))
    while version < SCHEMA_VERSION:
        data = _UPGRADES[version](dict(data))
        version += 1
        data["schema_version"] = version
    return data


def load_settings(path: Path) -> Settings:
    """Read settings; a missing or unreadable file gives defaults rather than an error."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    data = upgrade(data)
    known = {f.name for f in fields(Settings)}
    return Settings(**{k: v for k, v in data.items() if k in known})


def save_settings(settings: Settings, path: Path) -> None:
    """Write atomically, so a crash never leaves a half-written settings file."""
    text = json.dumps(asdict(settings), indent=2, ensure_ascii=False)
    atomic_write_bytes(path, text.encode("utf-8"))
