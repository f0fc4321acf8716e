"""The command line face: one module per command group, no clinical logic here.

Exit codes (CONTRACT.md): 0 success, 2 invalid input (one clear message on
stderr, never a traceback), 1 internal error.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from hepcalc.cli import common

app = typer.Typer(
    name="hepcalc",
    help="Decision support for liver calcifications on ultrasound, CT and MRI.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    """``--version``: the package version and the knowledge base's content version."""
    if not value:
        return
    from importlib.metadata import PackageNotFoundError, version

    from hepcalc.knowledge import load_kb

    try:
        package = version("hepcalc")
    except PackageNotFoundError:  # running from a source tree that was never installed
        package = "unknown"
    typer.echo(f"hepcalc {package} (knowledge base {load_kb().version})")
    raise typer.Exit(common.EXIT_OK)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            is_eager=True,
            callback=_print_version,
            help="Show the version and the knowledge base version, then exit.",
        ),
    ] = False,
) -> None:
    """Decision support for liver calcifications on ultrasound, CT and MRI."""


common.register_all(app)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point; maps every failure to the contract's exit codes."""
    common.run(app, argv if argv is not None else sys.argv[1:])
