"""``photosearch search`` and ``similar``: the query, the relevance cut-off, the order, and
printing the hits (strength, date, duplicate badges).

Argument parsing and printing only; the work is ``core.query``, ``core.relevance``,
``core.search`` and ``core.dates``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from photosearch.cli.main import count, emit, load_model
from photosearch.core.files import display_path
from photosearch.core.library import Library


def register(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    p = command("search", "photos matching a description (see the README for the syntax: "
                          "-word, \"phrases\", tag:, date:, after:, before:)")
    p.add_argument("query", nargs="*")
    p.add_argument("-k", type=count, default=20,
                   help="at most this many results (default 20)")
    p.add_argument("--folder", help="only photos inside this folder")
    p.add_argument("--all", action="store_true",
                   help="no relevance cut-off: the k closest photos, however weak")
    p.add_argument("--hide-duplicates", action="store_true",
                   help="show each group of copies once, by its kept photo (as the app's "
                        "\"Hide duplicates\" does); the kept photo lists its copies")
    p.add_argument("--sort", choices=("relevance", "date", "newest", "oldest"),
                   default="relevance",
                   help="order of the results found: by relevance (default) or by capture "
                        "date, newest first (date, newest) or oldest first")
    p.add_argument("--after", metavar="DATE", help="taken on or after DATE (2023, 2023-07, "
                                                   "2023-07-14): the query's after:DATE")
    p.add_argument("--before", metavar="DATE", help="taken before DATE: the query's before:DATE")
    p.add_argument("--like", action="append", default=[], metavar="IMAGE",
                   help="a photo the results should look like, with the text changing it "
                        "(repeatable: more like these)")
    p.add_argument("--unlike", action="append", default=[], metavar="IMAGE",
                   help="a photo the results should not look like (repeatable: less like "
                        "that)")
    p = command("similar", "photos that look like an image (a library photo or any file)")
    p.add_argument("image")
    p.add_argument("-k", type=count, default=20, help="number of results (default 20)")
    p.add_argument("--folder", help="only photos inside this folder")
    p.add_argument("--hide-duplicates", action="store_true",
                   help="show each group of copies once, by its kept photo (as the app's "
                        "\"Hide duplicates\" does); the kept photo lists its copies")


def cmd_search(args: argparse.Namespace, library: Library) -> int:
    from dataclasses import replace

    from photosearch.core.query import parse_query, search_query
    from photosearch.core.relevance import cutoff_for, select
    from photosearch.core.search import needs_multilingual

    query = parse_query(" ".join(args.query))   # tag:beach filters; only text needs the model
    flags = tuple((k, v) for k, v in (("after", args.after), ("before", args.before)) if v)
    query = replace(query, periods=query.periods + flags)
    _ = query.dates             # a bad date (BadQuery, exit 2) before loading the model
    needs_model = query.needs_model or bool(args.like or args.unlike)
    encoder = load_model(args, library, ("text",)) if needs_model else None
    if encoder and needs_multilingual(query.text, encoder) and not args.json:
        print("Note: this model understands English only; for Russian queries use "
              "--model default (multilingual).", file=sys.stderr)
    collapsed = _collapsed(args, library)
    hits = search_query(library, encoder, query, args.k, folder=args.folder,
                        allow=collapsed.allow if collapsed else None, like=args.like,
                        unlike=args.unlike)
    # The cut-off picks the set in relevance order (its "closest" fallback needs that);
    # only then does --sort reorder what it picked.
    cutoff = cutoff_for(encoder) if encoder else 0.0
    chosen = select(hits, cutoff, everything=args.all)
    if chosen.no_good_match and not args.json:
        print(f"No good matches for \"{query.text or ', '.join(args.like)}\"; showing the closest.",
              file=sys.stderr)
    elif chosen.weaker and not args.json:
        print(f"{chosen.weaker} weaker matches not shown (--all shows them).", file=sys.stderr)
    _print_hits(args, library, chosen.hits, collapsed,
                "newest" if args.sort == "date" else args.sort, cutoff=cutoff)
    return 0


def cmd_similar(args: argparse.Namespace, library: Library) -> int:
    from photosearch.core.search import search_similar

    encoder = load_model(args, library, ("image",))
    collapsed = _collapsed(args, library)
    hits = search_similar(library, encoder, args.image, args.k, folder=args.folder,
                          allow=collapsed.allow if collapsed else None)
    _print_hits(args, library, hits, collapsed)
    return 0


def _collapsed(args: argparse.Namespace, library: Library):
    """The stored duplicate groups, when --hide-duplicates asks to collapse them."""
    if not args.hide_duplicates:
        return None
    from photosearch.core.duplicates import Collapsed, hidden_tiers

    return Collapsed.load(library, hidden_tiers(library.settings))


def _print_hits(args: argparse.Namespace, library: Library, hits, collapsed=None,
                order: str = "relevance", cutoff: float | None = None) -> None:
    """The hits in ``order``, each with its capture date (``date`` in JSON, ISO 8601) and,
    for a text search (``cutoff`` given), whether it reaches the cut-off (``relevant``);
    with ``collapsed``, each kept photo's "(×N)" badge and its hidden ``copies``."""
    from photosearch.core.dates import dated
    from photosearch.core.relevance import percent

    lines, data = [], []
    for h in dated(library, hits, order):
        badge = collapsed.badge(h.photo_id, expanded=False) if collapsed else None
        # The strength first, then the path: one line per photo, whatever its name holds.
        lines.append(f"{percent(h.strength) or f'{h.score:.3f}':>5}  {display_path(h.path)}"
                     + (f"  ({badge})" if badge else ""))
        row = h.as_dict()
        if cutoff is not None:
            row["relevant"] = h.strength is None or h.strength >= cutoff
        if collapsed is not None:
            row["copies"] = [c.path for c in collapsed.copies(h)]
        data.append(row)
    emit(args, data, "\n".join(lines) or "No photos found.")


HANDLERS = {"search": cmd_search, "similar": cmd_similar}
