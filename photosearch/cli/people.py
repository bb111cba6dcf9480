"""``photosearch people``: persons found in the library; name, merge, hide, find faces.

Argument parsing and printing only; the work is ``core.faces``. The image model is never
loaded; ``--scan`` loads dlib's face models to look at photos not yet looked at.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from photosearch.core.files import display_path
from photosearch.core.library import Library

SHOWN_FACES = 5       # faces per person in the listing (``--faces`` for more)


def register(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    p = command("people", "persons whose faces are in the library (largest first); name, "
                          "merge or hide them")
    p.add_argument("--name", nargs=2, metavar=("ID", "NAME"),
                   help="name person ID (any language; \"\" takes the name away)")
    p.add_argument("--merge", nargs=2, type=int, metavar=("ID", "OTHER"),
                   help="merge person OTHER into person ID")
    p.add_argument("--hide", type=int, metavar="ID", help="hide person ID from the list")
    p.add_argument("--unhide", type=int, metavar="ID", help="show a hidden person again")
    p.add_argument("--hidden", action="store_true", help="list hidden persons too")
    p.add_argument("--faces", type=int, default=SHOWN_FACES, metavar="N",
                   help=f"faces listed per person (default {SHOWN_FACES}; 0: all)")
    p.add_argument("--scan", action="store_true",
                   help="look for faces in photos not yet looked at (indexing does this too)")
    p.add_argument("--off", action="store_true",
                   help="turn People off and delete every stored face, person and name")
    p.add_argument("--on", action="store_true", help="turn People on again")


def cmd_people(args: argparse.Namespace, library: Library) -> int:
    from photosearch.cli.main import EXIT_USAGE, emit
    from photosearch.core.faces import store
    from photosearch.core.faces.hook import set_people

    if args.off or args.on:
        set_people(library, bool(args.on))
        emit(args, {"people": bool(args.on)},
             "People is on." if args.on else "People is off; face data removed.")
        return 0
    if not library.settings.people:
        print("photosearch people: People is off (photosearch people --on)", file=sys.stderr)
        return EXIT_USAGE
    if args.scan:
        _scan(args, library)
    if args.name:
        store.name_person(library.catalog, _person_id(args.name[0]), args.name[1])
    if args.merge:
        store.merge(library.catalog, *args.merge)
    for pid, hidden in ((args.hide, True), (args.unhide, False)):
        if pid is not None:
            store.hide(library.catalog, pid, hidden)
    limit = args.faces or None
    rows = [{"id": p.id, "name": p.name, "count": p.count,
             **({"hidden": True} if p.hidden else {}),
             "faces": [f.as_dict() for f in store.faces_of(library.catalog, p.id, limit)]}
            for p in store.persons(library.catalog, hidden=args.hidden)]
    lines = [f"{r['id']:6}  {r['name'] or '(unnamed)'}  {r['count']} "
             f"photo{'' if r['count'] == 1 else 's'}"
             + ("  (hidden)" if r.get("hidden") else "") for r in rows]
    if not rows:
        waiting = store.pending_count(library.catalog)
        lines = ["No people found yet." + (f" {waiting} photos not yet looked at "
                                            "(photosearch people --scan)." if waiting else "")]
    elif args.faces and not args.json:
        lines = [line + "".join(f"\n        {display_path(f['path'])}  {f['box']}"
                                for f in r["faces"]) for line, r in zip(lines, rows, strict=True)]
    emit(args, rows, "\n".join(lines))
    return 0


def _person_id(text: str) -> int:
    from photosearch.core.errors import UsageError

    try:
        return int(text)
    except ValueError:
        raise UsageError(f"Not a person's number: {text!r} (photosearch people lists "
                         "them)") from None


def _scan(args: argparse.Namespace, library: Library) -> None:
    from photosearch.cli.progress import ProgressBar
    from photosearch.core.faces.hook import find_faces

    bar = ProgressBar(enabled=not args.json)
    try:
        with library.writer_lock():
            report = find_faces(library, progress=bar)
    finally:
        bar.close()
    if not args.json:
        print(f"Looked at {report.photos} photos: {report.faces} faces "
              f"({report.seconds:.1f} s).", file=sys.stderr)


HANDLERS = {"people": cmd_people}
