"""The command line face: one module per command group, no clinical logic here.

Exit codes (CONTRACT.md): 0 success, 2 invalid input (one clear message on
stderr, never a traceback), 1 internal error.
"""

from __future__ import annotations

import sys

import typer

from hepcalc.cli import common

app = typer.Typer(
    name="hepcalc",
    help="Decision support for liver calcifications on ultrasound, CT and MRI.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

common.register_all(app)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point; maps every failure to the contract's exit codes."""
    common.run(app, argv if argv is not None else sys.argv[1:])
