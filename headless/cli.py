"""Argument parsing and error handling shared by every command.

Each module in headless/commands/ defines ``register(subparsers)`` that adds its
sub-command and sets ``func(args) -> int``. Exit codes: 0 ok, 1 failure, 2 bad
usage or input (one line on stderr, no traceback; --debug shows it).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from garment_addon.core.errors import Failure, UserError, one_line
from garment_addon.core.io import NO_SPACE, write_failure

from . import commands

# Commands listed in this order in --help; modules not listed come after.
ORDER = ["spec", "draft", "export", "import", "check", "assemble", "render", "analyze", "text", "edit",
         "fit", "batch"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m headless",
                     description="Garment Studio: sewing patterns and 3D garments from the shell.",
                     formatter_class=argparse.RawDescriptionHelpFormatter,
                     epilog="Run 'python -m headless COMMAND --help' for a command's options and example.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    names = [m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_")]
    names.sort(key=lambda n: (ORDER.index(n.rstrip("_")) if n.rstrip("_") in ORDER else 99, n))
    for name in names:
        importlib.import_module(f"{commands.__name__}.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        if args.debug:
            raise
        print(f"error: {one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("cancelled", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - last line of defence for a CLI
        if args.debug:
            raise
        if isinstance(exc, OSError) and exc.errno in NO_SPACE:  # a full disk outside core.io's writers
            exc = write_failure(exc, exc.filename or "an output")
        if isinstance(exc, Failure):  # expected and actionable: the line says what to do
            print(f"failed: {one_line(exc)}", file=sys.stderr)
            return 1
        print(f"failed: {exc.__class__.__name__}: {one_line(exc)} (run with --debug for details)", file=sys.stderr)
        return 1
