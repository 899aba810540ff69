"""The ``graphkit`` command line: a click group that only wires the library's functions.

Each command family lives in its own module of this package and is added here. Errors that
graphkit raises on purpose (:class:`~graphkit.errors.GraphkitError`) are printed without a
traceback (``--debug`` shows it) and set the exit code.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from graphkit.errors import GraphkitError


class _Group(click.Group):
    """A click group that turns GraphkitError into a clear message and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GraphkitError as exc:
            if ctx.meta.get("graphkit.debug"):
                raise
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except OSError as exc:  # a file a command reads or writes: say which and why, not a traceback
            if ctx.meta.get("graphkit.debug"):
                raise
            from graphkit.errors import os_error_message

            click.echo(f"error: {os_error_message(exc, doing='read or write')}", err=True)
            sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks of errors.")
@click.version_option(package_name="graphkit")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """graphkit: sourced facts about militant organisations as a graph database."""
    ctx.meta["graphkit.debug"] = debug


def _register() -> None:
    """Add every command family's commands to the main group."""
    from graphkit.cli import analysis, build, facts, imports, server, store, views

    for module in (facts, server, store, analysis, views, imports, build):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
