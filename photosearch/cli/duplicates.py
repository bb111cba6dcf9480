"""``photosearch duplicates``: list groups of copies, and move the extra copies to the trash.

Argument parsing and printing only; the work is ``core.duplicates``. The model is never
loaded: its vectors are already in the library.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from photosearch.core.duplicates import (
    TIERS,
    Group,
    cleanup_plan,
    current_groups,
    thresholds_for,
    trash_others,
)
from photosearch.core.errors import ModelUnavailable
from photosearch.core.files import display_path
from photosearch.core.library import Library

TIER_LABELS = {"exact": "exact copy", "same": "same picture", "near": "near-duplicate"}


def register(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    p = command("duplicates", "groups of copies of the same photo; optionally trash the extras")
    p.add_argument("--tier", choices=TIERS, default="near",
                   help="loosest relation that groups photos: exact (same bytes), same "
                        "(same picture: resized, re-encoded, cropped a little), near (a "
                        "different shot of the same scene; default)")
    p.add_argument("--threshold", type=float, metavar="X",
                   help="for --tier same: pHash bits that may differ (default 10); for "
                        "--tier near: cosine similarity (default 0.92)")
    p.add_argument("--trash", action="store_true",
                   help="move every photo but the one kept in each group to the system trash "
                        "(asks first)")
    p.add_argument("--yes", action="store_true", help="with --trash: do not ask")


def photo_dict(photo, keep: bool) -> dict[str, object]:
    ext = os.path.splitext(photo.path)[1].lstrip(".").upper()
    return {"path": photo.path, "keep": keep, "width": photo.width, "height": photo.height,
            "size": photo.size, "format": {"JPG": "JPEG", "TIF": "TIFF"}.get(ext, ext),
            "taken_at": photo.taken_at, "mtime": photo.mtime, "id": photo.id}


def group_dict(group: Group) -> dict[str, object]:
    return {"tier": group.tier,
            "photos": [photo_dict(p, p.id == group.keep_id) for p in group.photos]}


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.0f} kB"


def _describe(groups: list[Group]) -> list[str]:
    extra = sum(p.size for g in groups for p in g.others)
    lines = [f"{len(groups)} groups, {sum(len(g.others) for g in groups)} extra copies "
             f"({_size(extra)})."]
    for g in groups:
        lines.append(f"\n[{TIER_LABELS[g.tier]}]")
        for p in g.photos:
            mark = "keep" if p.id == g.keep_id else "    "
            res = f"{p.width}×{p.height}" if p.width else "?"
            lines.append(f"  {mark}  {res:>11}  {_size(p.size):>8}  {display_path(p.path)}")
    return lines


def cmd_duplicates(args: argparse.Namespace, library: Library) -> int:
    from photosearch.cli.main import EXIT_USAGE, emit, model_source

    try:
        model_key: str | None = model_source(args, library).key
    except ModelUnavailable:
        model_key = None  # hash tiers still work without the model's vectors
    th = thresholds_for(library)
    if args.threshold is not None:
        th = th.with_tier_threshold(args.tier, args.threshold)
    groups = current_groups(library, model_key, th, tier=args.tier)
    if not args.trash:
        emit(args, [group_dict(g) for g in groups],
             "\n".join(_describe(groups)) if groups else "No duplicates found.")
        return 0
    plan = cleanup_plan(groups)
    moving = plan.photos
    if moving and not args.yes:
        if not sys.stdin.isatty():
            print("photosearch: --trash asks before moving files; add --yes to skip asking.",
                  file=sys.stderr)
            return EXIT_USAGE
        print("These files will be moved to the trash (each group keeps one photo):")
        for p in moving:
            print(f"  {display_path(p.path)}")
        if input(f"Move {len(moving)} files to the trash? [y/N] ").strip().lower() not in (
                "y", "yes"):
            print("Nothing moved.")
            return 0
    report = trash_others(library, plan)
    lines = ([f"Moved {len(report.moved)} files to {report.location}; restore them from there."]
             if report.moved else ["Nothing moved."])
    lines += [f"  could not move {display_path(path)}: {reason}"
              for path, reason in report.failed]
    lines += [f"  skipped a group: {s.describe(display_path)}" for s in report.skipped]
    emit(args, {"moved": report.moved, "location": report.location,
                "failed": [{"path": p, "reason": r} for p, r in report.failed],
                "skipped": [{"keep": s.keep, "path": s.path, "reason": s.reason.name.lower(),
                             "message": s.message} for s in report.skipped]},
         "\n".join(lines))
    return 1 if report.failed or report.skipped else 0


HANDLERS = {"duplicates": cmd_duplicates}
