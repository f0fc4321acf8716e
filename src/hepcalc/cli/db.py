"""`hepcalc db upgrade`: migrate the registry database explicitly.

Every registry command migrates on first use anyway; this command is for
operators who want the schema change to happen at a time they choose (before
starting the service, in a deployment step).
"""

from __future__ import annotations

from typing import Annotated

import typer


def upgrade_cmd(
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database URL (default: $HEPCALC_DB, else the per-user file)."),
    ] = None,
) -> None:
    """Create or migrate the registry schema to the newest revision."""
    from hepcalc.registry import store

    url = store.resolve_url(db)
    engine = store.make_engine(url)
    try:
        before, after = store.upgrade(engine)
    except store.RegistryError as e:
        typer.echo(f"hepcalc: registry error: {e}", err=True)
        raise SystemExit(1) from None
    finally:
        engine.dispose()
    where = store.redact_url(url)
    if before == after:
        typer.echo(f"{where}: already at revision {after}")
    else:
        typer.echo(f"{where}: upgraded {before or '(empty)'} -> {after}")


def register(app: typer.Typer) -> None:
    group = typer.Typer(name="db", help="Registry database maintenance.", no_args_is_help=True)
    group.command("upgrade")(upgrade_cmd)
    app.add_typer(group, name="db")
