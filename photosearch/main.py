"""Entry point of ``photosearch``: no arguments start the desktop app, any other the CLI.

Kept apart from both clients so that the CLI never imports Qt and the GUI never parses
command lines it does not own.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    gui_only = all(a.startswith("--library") for a in args) and len(args) <= 2
    if gui_only and not any(a in ("-h", "--help") for a in args):
        try:
            from photosearch.gui.app import main as gui_main
        except ImportError as e:
            print(f"photosearch: the desktop app is not available ({e}); "
                  "see 'photosearch --help' for the command line.", file=sys.stderr)
            return 1
        return gui_main(args)
    from photosearch.cli.main import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
