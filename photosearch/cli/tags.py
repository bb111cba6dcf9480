"""``photosearch tags``: a photo's tags, the library's tags, editing, re-tagging, XMP export.

Argument parsing and printing only; the work is ``core.tagging``. Only ``--retag`` loads
the model: everything else reads the tags already in the catalog.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from photosearch.core.errors import NotInLibrary
from photosearch.core.files import display_path
from photosearch.core.library import Library
from photosearch.core.tagging import store
from photosearch.core.tagging.vocab import label_language, load_vocabulary


def register(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    p = command("tags", "keyword tags: of a photo, of the whole library; add, remove, "
                        "re-tag, export to XMP sidecars")
    p.add_argument("path", nargs="?", metavar="PATH", help="a library photo")
    p.add_argument("--list", action="store_true", help="every tag in the library with counts")
    p.add_argument("--add", action="append", default=[], metavar="TAG",
                   help="tag PATH by hand (repeatable; re-tagging never removes it)")
    p.add_argument("--remove", action="append", default=[], metavar="TAG",
                   help="take a tag off PATH for good (repeatable)")
    p.add_argument("--retag", action="store_true",
                   help="re-tag the whole library (after changing custom words or the model)")
    p.add_argument("--export-xmp", nargs="?", const="", default=None, metavar="FOLDER",
                   help="write tags to XMP sidecars (photo.jpg.xmp) of all tagged photos, "
                        "or of those inside FOLDER; existing sidecars are merged")
    p.add_argument("--xmp-naming", choices=("ext", "base"), default="ext",
                   help="sidecar name: photo.jpg.xmp (ext; darktable, digiKam) or photo.xmp "
                        "(base; Lightroom's raw convention)")
    p.add_argument("--lang", metavar="LANG",
                   help="label language, en or ru (default: the UI language setting)")


def cmd_tags(args: argparse.Namespace, library: Library) -> int:
    from photosearch.cli.main import EXIT_USAGE

    lang = label_language(args.lang or library.settings.ui_language)
    vocab = load_vocabulary(library.settings.custom_tags)
    if args.retag:
        return _retag(args, library)
    if args.export_xmp is not None:
        return _export(args, library, vocab, lang)
    if args.list:
        rows = [{"tag": t, "label": vocab.label(t, lang), "count": n}
                for t, n in store.tag_counts(library.catalog)]
        text = "\n".join(f"{r['count']:6}  {r['label']}" for r in rows) or "No tags yet."
        _emit(args, rows, text)
        return 0
    if not args.path:
        print("photosearch tags: give a PATH, --list, --retag or --export-xmp",
              file=sys.stderr)
        return EXIT_USAGE
    photo = library.catalog.photo_at(args.path)
    if photo is None:
        raise NotInLibrary(f"Not a library photo: {os.path.abspath(args.path)}")
    for tag in args.add:
        store.add_manual(library.catalog, photo.id, vocab.resolve(tag))
    for tag in args.remove:
        store.remove(library.catalog, photo.id, vocab.resolve(tag))
    rows = [{"tag": t.tag, "label": vocab.label(t.tag, lang),
             "score": None if t.score is None else round(t.score, 3), "manual": t.manual}
            for t in store.tags_of(library.catalog, photo.id)]
    text = "\n".join(f"{r['label']}" + ("  (manual)" if r["manual"] else f"  {r['score']:.2f}")
                     for r in rows) or "No tags."
    _emit(args, rows, text)
    return 0


def _retag(args: argparse.Namespace, library: Library) -> int:
    from photosearch.cli.main import load_model
    from photosearch.cli.progress import ProgressBar
    from photosearch.core.tagging.tagger import retag_library

    encoder = load_model(args, library, ("text",))   # tag words; no photo is read
    bar = ProgressBar(enabled=not args.json)
    try:
        report = retag_library(library, encoder, progress=bar)
    finally:
        bar.close()
    data = {"photos": report.photos, "tags": report.tags, "seconds": round(report.seconds, 2)}
    _emit(args, data, f"Tagged {report.photos} photos ({report.tags} tags) in "
                      f"{report.seconds:.1f} s.")
    return 0


def _export(args: argparse.Namespace, library: Library, vocab, lang: str) -> int:
    from photosearch.core.tagging.xmp import export_sidecars

    folder = args.export_xmp or None
    report = export_sidecars(library.catalog, vocab, folder=folder, naming=args.xmp_naming,
                             lang=lang)
    data = {"written": report.written, "unchanged": report.unchanged,
            "failed": [{"path": p, "reason": r} for p, r in report.failed]}
    lines = [f"Wrote {len(report.written)} sidecars ({report.unchanged} already up to date)."]
    lines += [f"  not written: {display_path(p)}: {r}" for p, r in report.failed]
    _emit(args, data, "\n".join(lines))
    return 1 if report.failed else 0


def _emit(args: argparse.Namespace, data: object, text: str) -> None:
    from photosearch.cli.main import emit

    emit(args, data, text)


HANDLERS = {"tags": cmd_tags}
