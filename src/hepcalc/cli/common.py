"""Shared plumbing for the CLI: reading inputs, error handling, exit codes."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import typer

from hepcalc.errors import InputError

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_INVALID = 2

# Each command module exposes ``register(app)``. The modules import their heavy
# dependencies inside the command, so listing a command never needs its extra.
COMMAND_MODULES = (
    "hepcalc.cli.assess",
    "hepcalc.cli.extract",
    "hepcalc.cli.scan",
    "hepcalc.cli.ask",
    "hepcalc.cli.serve",
    "hepcalc.cli.registry",
    "hepcalc.cli.db",
)


# The optional extras (pyproject.toml) and the top-level modules each brings. A
# command whose extra is not installed exits 2 naming the extra to install,
# rather than failing with an internal error deep inside an import.
EXTRA_OF_MODULE = {
    "fastapi": "web",
    "starlette": "web",
    "uvicorn": "web",
    "httptools": "web",
    "uvloop": "web",
    "multipart": "web",
    "python_multipart": "web",
    "jwt": "web",
    "sqlalchemy": "registry",
    "alembic": "registry",
    "psycopg": "postgres",
    "pyspark": "spark",
    "pandas": "spark",
    "pyarrow": "spark",
}


def missing_extra(error: ModuleNotFoundError) -> str | None:
    """The extra that provides the missing module, or None when it is not an extra's."""
    top = (error.name or "").split(".")[0]
    return EXTRA_OF_MODULE.get(top)


def register_all(app: typer.Typer) -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(app)


def read_input(path: str, max_bytes: int) -> bytes:
    """Read a file or stdin ('-') with a size limit; errors become InputError."""
    if path == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
    else:
        p = Path(path)
        if not p.exists():
            raise InputError([(path, "no such file")])
        if p.is_dir():
            raise InputError([(path, "is a directory, not a file")])
        with p.open("rb") as f:
            data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError([(path, f"larger than the limit of {max_bytes} bytes")])
    return data


def fail_invalid(err: InputError) -> None:
    typer.echo(f"hepcalc: invalid input: {err.message}", err=True)
    raise SystemExit(EXIT_INVALID)


def run(app: typer.Typer, argv: list[str]) -> None:
    try:
        app(args=argv, standalone_mode=False)
    except InputError as e:
        typer.echo(f"hepcalc: invalid input: {e.message}", err=True)
        sys.exit(EXIT_INVALID)
    except SystemExit as e:
        sys.exit(e.code if isinstance(e.code, int) else EXIT_INTERNAL)
    except KeyboardInterrupt:
        typer.echo("hepcalc: interrupted", err=True)
        sys.exit(130)
    except ModuleNotFoundError as e:
        extra = missing_extra(e)
        if extra is None:
            typer.echo(f"hepcalc: internal error: {type(e).__name__}: {e}", err=True)
            sys.exit(EXIT_INTERNAL)
        typer.echo(
            f"hepcalc: this command needs the optional '{extra}' extra "
            f"(module '{e.name}' is not installed): pip install 'hepcalc[{extra}]'",
            err=True,
        )
        sys.exit(EXIT_INVALID)
    except Exception as e:  # click usage errors and anything unexpected
        # typer >= 0.17 vendors click, so match the click exception kinds by name.
        kinds = {cls.__name__ for cls in type(e).__mro__}
        if "Abort" in kinds:
            sys.exit(EXIT_INTERNAL)
        if "UsageError" in kinds or "ClickException" in kinds:
            fmt = getattr(e, "format_message", None)
            typer.echo(f"hepcalc: {fmt() if fmt else e}", err=True)
            sys.exit(EXIT_INVALID)
        typer.echo(f"hepcalc: internal error: {type(e).__name__}: {e}", err=True)
        sys.exit(EXIT_INTERNAL)
    sys.exit(EXIT_OK)
