"""``photosearch teach`` (a tag learned from example photos) and ``photosearch themes``.

Argument parsing and printing only; the work is ``core.teaching``. Neither loads the
model: both read the vectors indexing stored, of the library's model.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from photosearch.core.files import display_path
from photosearch.core.library import Library
from photosearch.core.teaching.learners import METHODS


def register(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    p = command("teach", "teach a tag of your own from example photos (it then tags every "
                         "photo that fits, new ones too)")
    p.add_argument("name", nargs="?", metavar="NAME", help="the tag, e.g. dacha")
    p.add_argument("paths", nargs="*", metavar="PATH", help="library photos that are NAME")
    p.add_argument("--not", dest="negative", action="append", default=[], metavar="PATH",
                   help="a library photo that is not NAME (repeatable)")
    p.add_argument("--method", choices=METHODS,
                   help="the classifier (default: the tag's own, else prototype)")
    p.add_argument("--retrain", action="store_true",
                   help="learn NAME again from its examples (e.g. after a model change)")
    p.add_argument("--delete", action="store_true", help="forget the learned tag NAME")
    p.add_argument("--list", action="store_true",
                   help="the learned tags with their examples and photo counts")
    p = command("themes", "the library grouped into themes (clusters of similar photos)")
    p.add_argument("--rebuild", action="store_true", help="cluster the library afresh")
    p.add_argument("--lang", metavar="LANG",
                   help="label language, en or ru (default: the UI language setting)")


def _model_key(args: argparse.Namespace, library: Library) -> str:
    from photosearch.cli.main import model_source

    return model_source(args, library).key


def cmd_teach(args: argparse.Namespace, library: Library) -> int:
    from photosearch.cli.main import EXIT_USAGE, emit
    from photosearch.core.teaching import store
    from photosearch.core.teaching.teach import forget, relearn, teach

    if args.list:
        rows = []
        for t in store.learned_tags(library.catalog):
            ex = store.examples(library.catalog, t.tag)
            rows.append({"tag": t.tag, "photos": store.carriers(library.catalog, t.tag),
                         "positive": len(ex.positive), "negative": len(ex.negative),
                         "method": t.method, "model": t.model})
        emit(args, rows, "\n".join(f"{r['photos']:6}  {r['tag']}  ({r['positive']} examples, "
                                   f"{r['negative']} rejected; {r['method']})"
                                   for r in rows) or "No learned tags yet.")
        return 0
    if not args.name:
        print("photosearch teach: give NAME and example photos, or --list", file=sys.stderr)
        return EXIT_USAGE
    if args.delete:
        if not forget(library, args.name):
            print(f"No learned tag “{args.name}”.", file=sys.stderr)
            return EXIT_USAGE
        emit(args, {"deleted": args.name}, f"Forgot “{args.name}”.")
        return 0
    key = _model_key(args, library)
    if args.retrain and not (args.paths or args.negative):
        report = relearn(library, key, args.name, method=args.method)
    else:
        report = teach(library, key, args.name, args.paths, args.negative,
                       method=args.method)
    data = {"tag": report.tag, "photos": report.photos, "positive": report.positive,
            "negative": report.negative, "method": report.method,
            "seconds": round(report.seconds, 3)}
    emit(args, data, f"{report.photos} photos now carry “{report.tag}” (learned from "
                     f"{report.positive} examples, {report.negative} rejected).")
    return 0


def cmd_themes(args: argparse.Namespace, library: Library) -> int:
    from photosearch.cli.main import emit
    from photosearch.core.tagging.vocab import label_language, load_vocabulary
    from photosearch.core.teaching.themes import build, due, list_themes

    key = _model_key(args, library)
    if (args.rebuild or due(library.catalog, key)) and not library.read_only:
        build(library, key)
    lang = label_language(args.lang or library.settings.ui_language)
    themes = list_themes(library, key, load_vocabulary(library.settings.custom_tags), lang)
    paths = {pid: p.path for pid, p in library.catalog.photos_by_ids(
        [pid for t in themes for pid in t.photos]).items()}
    rows = [{"id": t.id, "label": t.label, "count": t.count,
             "photos": [paths[p] for p in t.photos if p in paths]} for t in themes]
    text = "\n".join(f"{r['count']:6}  {r['label']}  ({display_path(r['photos'][0])})"
                     for r in rows if r["photos"]) or "No themes yet: index some photos."
    emit(args, rows, text)
    return 0


HANDLERS = {"teach": cmd_teach, "themes": cmd_themes}
