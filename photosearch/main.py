"""Entry point of ``photosearch``: a sub-command runs the CLI, anything else the app.

``photosearch [--library DIR] [--model X] [--weights F] [FOLDER…]`` opens the window (with
those folders added); ``photosearch [global options] COMMAND …`` and ``--help`` run the
command line. Kept apart from both clients so that the CLI never imports Qt and the GUI
never parses command lines it does not own.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

VALUE_OPTIONS = ("--library", "--model", "--weights")   # global options taking a value


def wants_cli(args: Sequence[str]) -> bool:
    """Whether ``args`` name a sub-command (or ask for help or ``--json``): the first word
    that is neither a global option nor its value decides. A word that is not a folder
    goes to the CLI too, which says what it expected (a typo never opens the window)."""
    from photosearch.cli.main import command_names

    commands = command_names()
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in VALUE_OPTIONS:
            skip = True
        elif arg in ("-h", "--help", "--json"):
            return True
        elif not arg.startswith("-"):
            return arg in commands or not os.path.isdir(arg)
    return False


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not wants_cli(args):
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
