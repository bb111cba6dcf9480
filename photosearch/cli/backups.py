"""``photosearch backup`` and ``photosearch restore``: the catalog's safety net.

``restore`` runs without opening the library, since the library it repairs may not open.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from photosearch.core import paths
from photosearch.core.backups import Backup, list_backups
from photosearch.core.errors import CatalogDamaged
from photosearch.core.library import Library, restore_catalog


def register(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    p = command("backup", "back the catalog up now (indexing also does, once a day)")
    p.add_argument("--list", action="store_true", help="list the backups instead")
    p = command("restore", "replace a damaged catalog by its newest sound backup "
                           "(the replaced catalog is kept aside, never deleted)")
    p.add_argument("backup", nargs="?", metavar="BACKUP", type=Path,
                   help="this backup file rather than the newest sound one")
    p.add_argument("--fresh", action="store_true",
                   help="start an empty catalog instead (when there is no backup); the "
                        "folders must then be added and indexed again")
    p.add_argument("--list", action="store_true", help="list the backups and do nothing")


def _when(taken: datetime) -> str:
    return taken.astimezone().strftime("%Y-%m-%d %H:%M")


def _listing(args: argparse.Namespace, backups: list[Backup]) -> int:
    from photosearch.cli.main import emit

    rows = [{"path": str(b.path), "taken": b.taken.isoformat()} for b in backups]
    text = "\n".join(f"{_when(b.taken)}  {b.path}" for b in backups) or "No backups yet."
    emit(args, rows, text)
    return 0


def cmd_backup(args: argparse.Namespace, library: Library) -> int:
    from photosearch.cli.main import emit

    if args.list:
        return _listing(args, list_backups(library.layout.backups))
    made = library.backup()
    assert made is not None
    emit(args, {"path": str(made.path), "taken": made.taken.isoformat()},
         f"Backed the catalog up to {made.path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from photosearch.cli.main import emit

    root = paths.library_dir(args.library)
    if args.list:
        return _listing(args, list_backups(paths.LibraryLayout(root).backups))
    done = restore_catalog(root, args.backup, fresh=args.fresh)
    source = (f"the backup of {_when(done.backup.taken)} ({done.backup.path})" if done.backup
              else "a new, empty catalog")
    lines = [f"Replaced the catalog by {source}."]
    if done.aside is not None:
        lines.append(f"The previous catalog is kept as {done.aside}")
    emit(args, {"backup": str(done.backup.path) if done.backup else None,
                "aside": str(done.aside) if done.aside else None}, "\n".join(lines))
    return 0


def damage_hint(error: CatalogDamaged, args: argparse.Namespace) -> str:
    """What the user can do about a damaged catalog, as a command to run."""
    where = f" --library {args.library}" if getattr(args, "library", None) else ""
    if error.backup is not None:
        return (f"Restore its newest backup (the damaged file is kept aside): "
                f"photosearch restore{where}")
    return ("There is no backup of it. To start again with an empty catalog (the damaged "
            f"file is kept aside): photosearch restore --fresh{where}")


HANDLERS = {"backup": cmd_backup}
STANDALONE = {"restore": cmd_restore}
