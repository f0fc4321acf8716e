"""`hepcalc registry ingest|worklist|close`: the follow-up registry from the command line.

A thin face over ``hepcalc.registry``: parse options, call, print. Bad input
exits 2 with the line and field named; an unreachable database exits 1 with
one clear sentence (docs/registry.md).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from hepcalc.errors import InputError

T = TypeVar("T")

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (sqlite:///path, postgresql+psycopg://user@host/db); "
        "default: $HEPCALC_DB, else ~/.local/share/hepcalc/registry.sqlite.",
    ),
]
ActorOption = Annotated[
    str | None,
    typer.Option(
        "--actor", help="Who the audit trail names (default: $HEPCALC_ACTOR or cli:USER)."
    ),
]


def _guard(fn: Callable[[], T]) -> T:
    """Turn registry failures (database down, migration failed) into exit 1 with a message."""
    from hepcalc.registry.store import RegistryError

    try:
        return fn()
    except RegistryError as e:
        typer.echo(f"hepcalc: registry error: {e}", err=True)
        raise SystemExit(1) from None


@contextmanager
def _input_path(path: str) -> Iterator[Path]:
    """A real file for ``path``; stdin ('-') is spooled to a temporary file first,
    because ingest validates the whole input before writing anything."""
    if path != "-":
        p = Path(path)
        if not p.exists():
            raise InputError([(path, "no such file")])
        if p.is_dir():
            raise InputError([(path, "is a directory, not a file")])
        yield p
        return
    with tempfile.NamedTemporaryFile("wb", suffix=".jsonl", delete=False) as tmp:
        shutil.copyfileobj(sys.stdin.buffer, tmp)
    try:
        yield Path(tmp.name)
    finally:
        Path(tmp.name).unlink(missing_ok=True)


def _parse_date(value: str | None, field: str) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError([(field, f"must be an ISO date YYYY-MM-DD, not {value!r}")]) from None


def ingest_cmd(
    path: Annotated[str, typer.Argument(help="JSONL file of reports ('-' = stdin).")],
    db: DbOption = None,
    actor: ActorOption = None,
    fmt: Annotated[
        str, typer.Option("--format", help="Summary format on stdout: text or json.")
    ] = "text",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")] = False,
) -> None:
    """Store reports with their findings, assessments and due follow-ups (idempotent)."""
    from hepcalc.registry import ingest, store

    if fmt not in ("text", "json"):
        raise InputError([("format", f"unknown format {fmt!r}; expected text or json")])
    with _input_path(path) as p:
        total = ingest.validate_file(p)
        registry = _guard(lambda: store.open_registry(db))
        ingestor = ingest.Ingestor(registry, actor or store.default_actor())
        show = not quiet and sys.stderr.isatty()
        done = 0

        def progress(where: str, outcome: str) -> None:
            nonlocal done
            done += 1
            if show and (done % 50 == 0 or done == total):
                sys.stderr.write(f"\ringested {done}/{total}")
                sys.stderr.flush()

        result = _guard(lambda: ingestor.ingest_file(p, progress, validate=False))
        if show:
            sys.stderr.write("\n")
        registry.dispose()
    if fmt == "json":
        typer.echo(json.dumps(result.as_dict(), indent=2))
    else:
        typer.echo(
            f"{result.new} new, {result.updated} updated, {result.unchanged} unchanged, "
            f"{len(result.rejected)} rejected"
        )
    if result.rejected:
        raise InputError(result.rejected)


def worklist_cmd(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date of the worklist (default: today).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="json, csv or text.")] = "text",
    days: Annotated[
        int, typer.Option("--days", help="Also list follow-ups due within N days.")
    ] = 0,
    patient: Annotated[
        str | None, typer.Option("--patient", help="Only this patient (pseudonymous id).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Due and overdue follow-ups, most overdue first."""
    from hepcalc.registry import store, worklist

    day = _parse_date(as_of, "as-of")
    if fmt not in worklist.FORMATS:
        raise InputError(
            [("format", f"unknown format {fmt!r}; expected one of {', '.join(worklist.FORMATS)}")]
        )
    registry = _guard(lambda: store.open_registry(db))
    rows = _guard(lambda: worklist.worklist(registry, day, days_ahead=days, patient=patient))
    registry.dispose()
    typer.echo(worklist.render(rows, fmt, day))


def close_cmd(
    rec_id: Annotated[int, typer.Argument(help="Recommendation id (from the worklist).")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is closed (audited).")],
    status: Annotated[str, typer.Option("--status", help="done (default) or cancelled.")] = "done",
    db: DbOption = None,
    actor: ActorOption = None,
) -> None:
    """Close a follow-up as done or cancelled, with a reason (audited)."""
    from hepcalc.registry import store, worklist

    registry = _guard(lambda: store.open_registry(db))
    out = _guard(
        lambda: worklist.close(
            registry, rec_id, reason, actor or store.default_actor(), status=status
        )
    )
    registry.dispose()
    typer.echo(json.dumps(out))


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        name="registry",
        help="Follow-up registry: ingest reports, list due follow-ups, close them.",
        no_args_is_help=True,
    )
    group.command("ingest")(ingest_cmd)
    group.command("worklist")(worklist_cmd)
    group.command("close")(close_cmd)
    app.add_typer(group, name="registry")
