"""`hepcalc scan IN.jsonl --out OUT.jsonl`: read many reports, one JSON object per line.

Streaming and constant-memory (see ``hepcalc.batch``); output order = input order.
Exit code 3 when any line was rejected (the good lines are still written).
A progress bar is drawn only when stderr is a terminal; a one-line summary
(reports read, with findings, errors) always goes to stderr at the end. Each
malformed line is reported on stderr with its line number and written to the
output as ``{"line": N, "error": ...}``; every other line is still processed.
The output file is written under a temporary name and renamed when complete, so
a failed run never leaves a half-written OUT.jsonl.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from hepcalc.errors import InputError

_MAX_ERROR_LINES_SHOWN = 20
# Exit code when the run finished but some input lines were rejected
# (0 all good, 1 internal error, 2 invalid invocation or input file).
EXIT_REJECTED = 3


class Engine(StrEnum):
    local = "local"
    spark = "spark"


def _open_input(path: str) -> IO[bytes]:
    if path == "-":
        return sys.stdin.buffer
    p = Path(path)
    if not p.exists():
        raise InputError([(path, "no such file")])
    if p.is_dir():
        raise InputError([(path, "is a directory, not a file")])
    return p.open("rb")


def _progress() -> Any:
    """A rich progress display on a terminal, else a no-op stand-in."""
    if not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import (
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(
        SpinnerColumn(),
        TextColumn("reading reports"),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[rate]}"),
        console=Console(stderr=True),
        transient=True,
    )


def _run_spark(in_path: str, out_path: str, assess: bool, workers: int) -> None:
    try:
        from hepcalc.batch_spark import run_spark
    except ImportError as e:
        raise InputError(
            [("--engine", f"the spark engine is not available ({e}); install hepcalc[spark]")]
        ) from None
    # --workers N means N local cores here too: Spark's local[N] runs N Python workers.
    master = f"local[{workers}]"
    result = run_spark(in_path, out_path, assess, master=master)
    typer.echo(
        f"hepcalc scan (spark, {master}): {result.records} records written to {out_path}, "
        f"{result.errors} errors",
        err=True,
    )
    if result.errors:
        # as the local engine: the good lines are written, the exit code says some were not
        raise SystemExit(EXIT_REJECTED)


def scan_command(
    input_path: Annotated[
        str, typer.Argument(metavar="IN.jsonl", help="JSONL input, '-' = stdin.")
    ],
    out: Annotated[str, typer.Option("--out", "-o", help="JSONL output file ('-' = stdout).")],
    assess: Annotated[bool, typer.Option("--assess", help="Also assess each report.")] = False,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, max=64)] = 1,
    engine: Annotated[Engine, typer.Option("--engine", help="local processes or spark.")] = (
        Engine.local
    ),
) -> None:
    """Scan many reports (JSONL lines {"id", "text", "modality"?, "date"?}) for findings."""
    if engine is Engine.spark:
        _run_spark(input_path, out, assess, workers)
        return
    from hepcalc.batch import scan_stream

    stream = _open_input(input_path)
    if out != "-":
        out_file = Path(out)
        if not out_file.parent.exists():
            raise InputError([("--out", f"directory {out_file.parent} does not exist")])
        tmp = out_file.with_name(f".{out_file.name}.{os.getpid()}.part")
        sink: IO[str] = tmp.open("w", encoding="utf-8")
    else:
        tmp = None
        sink = sys.stdout
    read = with_findings = errors = 0
    progress = _progress()
    task = progress.add_task("scan", total=None, rate="") if progress else None
    ok = False
    started = time.perf_counter()
    try:
        with progress if progress is not None else contextlib.nullcontext():
            # Workers split, decode, scan and serialise; they send back finished output
            # text and counts. This process only reads blocks and writes strings, so
            # it takes little CPU from the workers (on 2 cores it shares theirs).
            batches = scan_stream(stream, assess=assess, workers=workers)
            for batch in batches:
                sink.write(batch.text)
                read += batch.records
                with_findings += batch.with_findings
                for line_no, record_id, message in batch.errors:
                    errors += 1
                    if errors <= _MAX_ERROR_LINES_SHOWN:
                        where = f"line {line_no}"
                        if record_id is not None:
                            where += f" (id {record_id!r})"
                        typer.echo(f"hepcalc scan: {where}: {message}", err=True)
                if progress is not None:
                    elapsed = max(time.perf_counter() - started, 1e-9)
                    progress.update(task, completed=read, rate=f"{read / elapsed:,.0f}/s")
        ok = True
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
        if tmp is not None:
            sink.close()
            if ok:
                tmp.replace(out)
            else:
                tmp.unlink(missing_ok=True)
    if errors > _MAX_ERROR_LINES_SHOWN:
        typer.echo(
            f"hepcalc scan: ... {errors - _MAX_ERROR_LINES_SHOWN} more errors (see the output)",
            err=True,
        )
    typer.echo(
        f"hepcalc scan: {read} reports read, {with_findings} with findings, {errors} errors",
        err=True,
    )
    if errors:
        # the good lines are written; the exit code tells a script that some were not
        raise SystemExit(EXIT_REJECTED)


def register(app: typer.Typer) -> None:
    app.command("scan")(scan_command)
