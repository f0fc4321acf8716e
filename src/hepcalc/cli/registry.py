"""`hepcalc registry ingest|worklist|close`: the follow-up registry from the command line.

A thin face over ``hepcalc.registry``: parse options, call, print. Bad input
exits 2 with the line and field named; an unreachable database exits 1 with
one clear sentence (docs/registry.md).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

import typer

from hepcalc.errors import InputError
from hepcalc.model import check_exam_date
from hepcalc.registry import vocabulary

# Choices the parser validates and lists in --help (exit 2 before any work).
if TYPE_CHECKING:
    SummaryFormat = str
    WorklistFormat = str
    CloseStatus = str
else:
    SummaryFormat = Literal[vocabulary.INGEST_SUMMARY_FORMATS]
    WorklistFormat = Literal[vocabulary.WORKLIST_FORMATS]
    CloseStatus = Literal[vocabulary.CLOSE_STATUSES]

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
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError([(field, f"must be an ISO date YYYY-MM-DD, not {value!r}")]) from None
    try:
        return check_exam_date(day)  # 9999-12-31 + --days overflowed the calendar
    except ValueError as e:
        raise InputError([(field, str(e))]) from None


def _ingest_progress(total: int) -> Any:
    """A rich progress bar (count, rate, ETA) when stderr is a terminal, else None."""
    if not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )


def ingest_cmd(
    path: Annotated[str, typer.Argument(help="JSONL file of reports ('-' = stdin).")],
    db: DbOption = None,
    actor: ActorOption = None,
    fmt: Annotated[
        SummaryFormat, typer.Option("--format", help="Summary format on stdout.")
    ] = "text",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")] = False,
    batch: Annotated[
        int,
        typer.Option(
            "--batch",
            help="Reports per transaction (1 to 5000; default 500). A killed run loses "
            "at most the batch being written; a rerun finishes it.",
        ),
    ] = 500,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            "-w",
            help="Processes reading the reports while this one writes (1 = read here).",
        ),
    ] = 1,
) -> None:
    """Store reports with their findings, assessments and due follow-ups (idempotent)."""
    from hepcalc.registry import ingest, store

    if not 1 <= batch <= ingest.MAX_BATCH:
        raise InputError([("batch", f"must be from 1 to {ingest.MAX_BATCH}, not {batch}")])
    if not 1 <= workers <= 64:
        raise InputError([("workers", f"must be from 1 to 64, not {workers}")])
    with _input_path(path) as p:
        total = ingest.validate_file(p)
        registry = _guard(lambda: store.open_registry(db))
        ingestor = ingest.Ingestor(registry, actor or store.default_actor(), batch_size=batch)
        bar = None if quiet else _ingest_progress(total)
        task = bar.add_task("ingest", total=total, rate="") if bar is not None else None
        done = 0
        started = time.perf_counter()

        def progress(where: str, outcome: str) -> None:
            nonlocal done
            done += 1
            if bar is not None and (done % 50 == 0 or done == total):
                rate = done / max(time.perf_counter() - started, 1e-9)
                bar.update(task, completed=done, rate=f"{rate:,.0f}/s")

        with bar if bar is not None else contextlib.nullcontext():
            result = _guard(
                lambda: ingestor.ingest_file(p, progress, validate=False, workers=workers)
            )
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
    fmt: Annotated[WorklistFormat, typer.Option("--format", help="Output format.")] = "text",
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
    registry = _guard(lambda: store.open_registry(db))
    rows = _guard(lambda: worklist.worklist(registry, day, days_ahead=days, patient=patient))
    registry.dispose()
    typer.echo(worklist.render(rows, fmt, day))


def close_cmd(
    rec_id: Annotated[int, typer.Argument(help="Recommendation id (from the worklist).")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is closed (audited).")],
    status: Annotated[CloseStatus, typer.Option("--status", help="How it was closed.")] = "done",
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
