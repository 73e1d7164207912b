"""Entry point of `casedesk` and `python -m desktop`."""

from __future__ import annotations

import multiprocessing
import sys

from desktop.cli import build_parser, run_command


def main(argv: list[str] | None = None) -> int:
    """Open the window with no sub-command, else run the sub-command headless."""
    # In the bundle, the extraction worker is this executable started again: let it serve.
    multiprocessing.freeze_support()
    args = build_parser().parse_args(argv)
    if args.command is None:
        from desktop.app import run_gui

        return run_gui(args)
    return run_command(args)


if __name__ == "__main__":
    sys.exit(main())
