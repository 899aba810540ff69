"""CLI commands: ``graphkit server start|stop|status`` for the local default database server."""

from __future__ import annotations

from pathlib import Path

import click

from graphkit.local import HOME_ENV, LocalServer

_home_option = click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=f"Data directory of the local server [env {HOME_ENV}; default ./.graphkit].",
)


@click.group()
def server() -> None:
    """Start, stop or inspect the local database server (ArcadeDB speaking Bolt on 127.0.0.1)."""


@server.command()
@_home_option
@click.option("--timeout", default=60.0, show_default=True, help="Seconds to wait for the server to answer.")
def start(home: Path | None, timeout: float) -> None:
    """Start the local server unless it runs already, and print where it listens."""
    local = LocalServer(home)
    already = local.is_running()
    settings = local.start(timeout=timeout)
    verb = "already running" if already else "started"
    click.echo(f"local server {verb}: {settings.uri} (database {settings.database!r}, user {settings.user!r})")
    click.echo(f"password: in {local.password_file}; log: {local.log_file}")


@server.command()
@_home_option
@click.option("--timeout", default=20.0, show_default=True, help="Seconds to wait before killing the server.")
def stop(home: Path | None, timeout: float) -> None:
    """Stop the local server (gracefully, killing it if it does not stop in time)."""
    local = LocalServer(home)
    stopped = local.stop(timeout=timeout)
    click.echo(f"local server of {local.home} {'stopped' if stopped else 'was not running'}")


@server.command()
@_home_option
@click.pass_context
def status(ctx: click.Context, home: Path | None) -> None:
    """Show whether the local server runs, where, and whether it answers. Exit code 3 when stopped."""
    report = LocalServer(home).status()
    click.echo("\n".join(report.lines()))
    if not report.running:
        ctx.exit(3)


COMMANDS: list[click.Command] = [server]
