"""The ``photosearch`` command line: argument parsing and printing, nothing else."""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import sys
import threading
from collections.abc import Callable, Sequence

from photosearch.cli.progress import ProgressBar, model_status
from photosearch.core import paths
from photosearch.core.catalog.health import translate
from photosearch.core.errors import (
    CatalogDamaged,
    LibraryLocked,
    LibraryReadOnly,
    ModelUnavailable,
    PhotosearchError,
    UsageError,
)
from photosearch.core.files import display_path
from photosearch.core.library import Library
from photosearch.core.model import ModelSource, missing_files, resolve_source
from photosearch.core.presets import PRESETS
from photosearch.core.progress import Progress

EXIT_ERROR, EXIT_USAGE, EXIT_NO_MODEL, EXIT_LOCKED = 1, 2, 3, 4


def _global_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    g = parser.add_argument_group("global options")
    g.add_argument("--library", metavar="DIR", default=default,
                   help="library directory (default: $PHOTOSEARCH_LIBRARY or the user data dir)")
    g.add_argument("--model", metavar="NAME", default=default,
                   help=f"model preset ({', '.join(PRESETS)}), open_clip architecture, "
                        "or a model folder")
    g.add_argument("--weights", metavar="FILE", default=default,
                   help="local checkpoint for --model (.safetensors or .bin/.pt)")
    g.add_argument("--json", action="store_true",
                   default=argparse.SUPPRESS if suppress else False,
                   help="machine-readable output")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="photosearch",
        description="Find photos on your computer by describing them. Without a command, "
                    "the desktop app starts.")
    _global_options(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        _global_options(p, suppress=True)
        return p

    p = command("index", "add folders to the library (if given) and index new photos")
    p.add_argument("folders", nargs="*", metavar="FOLDER")
    p.add_argument("--no-rescan", action="store_true", help="embed pending photos only")
    command("status", "folders, counts, model, and what failed and why")
    p = command("folders", "list, add or remove library folders")
    p.add_argument("action", choices=("list", "add", "remove"), nargs="?", default="list")
    p.add_argument("paths", nargs="*", metavar="FOLDER")
    command("models", "model presets and whether their weights are on this computer")
    _extend(command)
    return parser


def command_names() -> set[str]:
    """The sub-commands' names: ``photosearch.main`` starts the app for anything else."""
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return set(sub.choices)


def count(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


# Sub-commands of features that live in modules of their own: each module has
# ``register(command)``, which adds its parsers, and ``HANDLERS`` (command name → handler);
# ``STANDALONE`` handlers run without opening the library (restoring a damaged one).
EXTENSION_MODULES: tuple[str, ...] = ("photosearch.cli.search", "photosearch.cli.duplicates",
                                      "photosearch.cli.tags", "photosearch.cli.people",
                                      "photosearch.cli.backups", "photosearch.cli.teach")
_HANDLERS: dict[str, Callable[[argparse.Namespace, Library], int]] = {}
_STANDALONE: dict[str, Callable[[argparse.Namespace], int]] = {}


def _extend(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    import importlib

    for name in EXTENSION_MODULES:
        module = importlib.import_module(name)
        module.register(command)
        _HANDLERS.update(module.HANDLERS)
        _STANDALONE.update(getattr(module, "STANDALONE", {}))


# -- helpers ------------------------------------------------------------------------------
def model_source(args: argparse.Namespace, library: Library) -> ModelSource:
    return resolve_source(*library.model_choice(args.model, args.weights))


def load_model(args: argparse.Namespace, library: Library, towers: Sequence[str]):
    """The library's model with ``towers`` loaded ("image" to index or find similar
    photos, "text" to search); the other loads only if the command comes to need it."""
    from photosearch.core.model import load_encoder

    s = library.settings
    source = model_source(args, library)
    return load_encoder(source, device=s.device, precision=s.precision,
                        batch_size=s.batch_size, allow_download=s.allow_download,
                        progress=model_status(args.json), towers=towers)


_UNDECODABLE = re.compile("[\udc80-\udcff]")


def to_json(data: object) -> str:
    """JSON text, UTF-8. A path that is not valid UTF-8 keeps each byte that is not as a
    lone surrogate escape ``\\udcXX`` (byte 0xXX; Python's ``surrogateescape``), so
    ``os.fsencode(json.loads(text)[...])`` gives the file's name back byte for byte."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _UNDECODABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def emit(args: argparse.Namespace, data: object, text: str) -> None:
    """Print ``data`` as JSON (``--json``) or ``text``, whose paths went through
    ``display_path`` (one line each, whatever the file's name holds)."""
    print(to_json(data) if args.json else text)


def add_folders(library: Library, paths: list[str]) -> list[str]:
    """Add folders, saying on stderr when one was already there or is known by its real path."""
    before = {f.id for f in library.catalog.folders()}
    added = []
    for path in paths:
        folder = library.add_folder(path)
        given = os.path.abspath(os.path.expanduser(path))
        if folder.path != given:
            shown = display_path(folder.path)
            note = (f"is already in the library, as part of {shown}"
                    if folder.id in before else f"added by its real path, {shown}")
            print(f"note: {display_path(given)} {note}", file=sys.stderr)
        added.append(folder.path)
    return list(dict.fromkeys(added))


# -- commands -----------------------------------------------------------------------------
def cmd_index(args: argparse.Namespace, library: Library) -> int:
    from photosearch.core.features import standard_hooks
    from photosearch.core.pipeline import index_library, scan

    if library.read_only:
        raise LibraryReadOnly(library.root)
    added = add_folders(library, args.folders)
    if not library.catalog.folders():
        print("The library has no folders yet: photosearch index FOLDER", file=sys.stderr)
        return EXIT_USAGE
    bar = ProgressBar(enabled=not args.json)
    cancel = threading.Event()
    try:
        # Scan before loading the model: photos are recorded (and failures explained
        # later) even where the model is unavailable.
        scanned = None
        if not args.no_rescan:
            with library.writer_lock():
                scanned = scan(library, added or None, progress=bar, cancel=cancel)
            bar.close()         # the scan's last line before the model's
        encoder = load_model(args, library, ("image",))
        library.remember_model(args.model, args.weights)  # it loaded: the library's now
        report = index_library(library, encoder, folders=added or None, rescan=False,
                               progress=bar, cancel=cancel, hooks=standard_hooks())
        if not report.cancelled:
            _prepare_text_search(encoder, bar)
    except KeyboardInterrupt:
        cancel.set()
        raise
    finally:
        bar.close()
    if scanned is not None:
        report.scan = scanned
    data = {
        "embedded": report.embedded, "reused": report.reused,
        "added": len(report.scan.added), "changed": len(report.scan.changed),
        "moved": len(report.scan.moved), "vanished": len(report.scan.vanished),
        "offline": report.scan.offline, "seconds": round(report.seconds, 2),
        "failed": [{"path": p, "reason": r} for p, r in report.failed],
        "deferred": [{"path": p, "reason": r} for p, r in report.deferred],
    }
    lines = [f"Indexed {report.embedded} photos"
             + (f" (+{report.reused} exact copies)" if report.reused else "")
             + f" in {report.seconds:.1f} s"
             + (f" ({report.rate:.1f} photos/s while embedding)" if report.embedded else "")
             + "."]
    scan = report.scan
    if scan.moved or scan.vanished or scan.changed:
        lines.append(f"{len(scan.moved)} moved, {len(scan.changed)} changed, "
                     f"{len(scan.vanished)} vanished since the last scan.")
    for folder in scan.offline:
        lines.append(f"Offline (not reachable, kept as it was): {display_path(folder)}")
    if report.failed:
        lines.append(f"{len(report.failed)} files could not be read:")
        lines += [f"  {display_path(path)}: {reason}" for path, reason in report.failed]
    if report.deferred:
        lines.append(f"{len(report.deferred)} files could not be read now and will be tried "
                     "again on the next run:")
        lines += _deferred_lines(report.deferred)
    emit(args, data, "\n".join(lines))
    for warning in report.warnings:
        print(f"photosearch: {warning}", file=sys.stderr)
    return 0


def _prepare_text_search(encoder, progress: Callable[[Progress], None]) -> None:
    """Export the model's text side once (``core.text_onnx``), so that a search process
    needs no torch: done here, after the photos, with the towers freed first, so the
    index run's peak stays one tower."""
    from photosearch.core import text_onnx

    if not text_onnx.exported(encoder.key):
        encoder.release("image")
        encoder.release("text")
        text_onnx.ensure_exported(encoder, progress)


def _deferred_lines(deferred: list[tuple[str, str]], shown: int = 10) -> list[str]:
    """A folder that went away defers thousands of photos for one reason: a few lines."""
    lines = [f"  {display_path(path)}: {reason}" for path, reason in deferred[:shown]]
    if len(deferred) > shown:
        lines.append(f"  … and {len(deferred) - shown} more (photosearch status lists them)")
    return lines


def cmd_status(args: argparse.Namespace, library: Library) -> int:
    catalog = library.catalog
    try:
        source = model_source(args, library)
        model = {"key": source.key, "label": source.label}
    except ModelUnavailable as e:
        source, model = None, {"key": None, "label": str(e)}
    key = source.key if source else ""
    counts = catalog.counts(key)
    folders = []
    for f in catalog.folders():
        c = catalog.counts(key, folder_id=f.id)
        folders.append({"path": f.path, "online": f.online, "total": c.total,
                        "indexed": c.indexed, "pending": c.pending, "failed": c.failed,
                        "missing": c.missing})
    failures = [{"path": p.path, "reason": p.error} for p in catalog.failures()]
    retry = [{"path": p.path, "reason": p.error} for p in catalog.retrying()]
    data = {"library": str(library.root), "model": model,
            "counts": {"total": counts.total, "indexed": counts.indexed,
                       "pending": counts.pending, "failed": counts.failed,
                       "missing": counts.missing, "retry": counts.retry},
            "folders": folders, "failures": failures, "retry": retry}
    waiting = f" ({counts.retry} to retry)" if counts.retry else ""
    lines = [f"Library: {library.root}", f"Model:   {model['label']}",
             f"Photos:  {counts.total} total, {counts.indexed} indexed, {counts.pending} "
             f"pending{waiting}, {counts.failed} failed, {counts.missing} missing"]
    if folders:
        lines.append("Folders:")
        for f in folders:
            state = "" if f["online"] else "  [offline]"
            lines.append(f"  {display_path(f['path'])}: {f['indexed']}/{f['total']} "
                         f"indexed{state}")
    if failures:
        lines.append("Could not be read (the file itself; tried again when it changes):")
        lines += [f"  {display_path(f['path'])}: {f['reason']}" for f in failures]
    if retry:
        lines.append("Waiting to be tried again (not the file's fault; on the next run):")
        lines += [f"  {display_path(f['path'])}: {f['reason']}" for f in retry]
    emit(args, data, "\n".join(lines))
    return 0


def cmd_folders(args: argparse.Namespace, library: Library) -> int:
    if args.action == "add":
        add_folders(library, args.paths)
    elif args.action == "remove":
        for path in args.paths:
            library.remove_folder(path)
    folders = [{"path": f.path, "online": f.online} for f in library.catalog.folders()]
    text = "\n".join(display_path(f["path"]) + ("" if f["online"] else "  [offline]")
                     for f in folders)
    emit(args, folders, text or "No folders yet.")
    return 0


def cmd_models(args: argparse.Namespace, library: Library) -> int:
    current = library.settings.model if library.settings.weights is None else None
    rows = [{"name": p.name, "architecture": p.arch, "pretrained": p.tag, "label": p.label,
             "languages": list(p.languages), "size_mb": p.size_mb,
             "relative_image_time": p.image_cost, "legacy": p.hidden,
             "in_use": p.name == current,
             "missing_files": missing_files(p)} for p in PRESETS.values()]
    text = "\n".join(
        f"{'*' if r['in_use'] else ' '} {r['name']:16} "
        f"{'ready  ' if not r['missing_files'] else 'missing'}  {r['label']}"
        + ("  [legacy]" if r["legacy"] else "") for r in rows)
    emit(args, rows, text)
    return 0


_HANDLERS.update(index=cmd_index, status=cmd_status,
                 folders=cmd_folders, models=cmd_models)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        if args.command in _STANDALONE:
            return _STANDALONE[args.command](args)
        with Library.open(args.library) as library:
            if library.read_only and args.command != "index":
                print(f"Note: the library at {library.root} is read-only: searching works; "
                      "indexing and changes do not.", file=sys.stderr)
            return _HANDLERS[args.command](args, library)
    except sqlite3.Error as e:
        error = translate(e, paths.LibraryLayout(paths.library_dir(args.library)).catalog)
        if error is e:
            raise
        return _failed(error, args)
    except PhotosearchError as e:
        return _failed(e, args)
    except KeyboardInterrupt:
        print("photosearch: interrupted; what was indexed so far is saved.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``photosearch search x | head``): not an error of ours.
        # Point stdout at devnull so the interpreter's final flush cannot complain.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _failed(error: Exception, args: argparse.Namespace) -> int:
    """One line (two for a damaged catalog: what to do) and the exit code."""
    print(f"photosearch: {error}", file=sys.stderr)
    if isinstance(error, CatalogDamaged):
        from photosearch.cli.backups import damage_hint

        print(f"photosearch: {damage_hint(error, args)}", file=sys.stderr)
    if isinstance(error, ModelUnavailable):
        return EXIT_NO_MODEL
    if isinstance(error, LibraryLocked):
        return EXIT_LOCKED
    return EXIT_USAGE if isinstance(error, UsageError) else EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())

