"""The ``graphkit`` command line: a click group that only wires the library's functions.

Each command family lives in its own module of this package (:data:`FAMILIES`), imported only
when one of its commands is asked for: ``graphkit --version`` imports none, ``graphkit validate``
only the fact commands, ``graphkit --help`` all of them; and the modules themselves import what a
command needs (the driver, pandas, scipy, numpy, the views, the importers) when it runs, so that
start-up stays short (tests/test_startup.py). Errors that graphkit raises on purpose
(:class:`~graphkit.errors.GraphkitError`) are printed without a traceback (``--debug`` shows it)
and set the exit code.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from graphkit.errors import GraphkitError

#: The command families, modules of this package each with a ``COMMANDS`` list, in help order.
FAMILIES: tuple[str, ...] = ("facts", "server", "store", "shell", "analysis", "views", "imports", "build")


class _Group(click.Group):
    """A click group that finds its commands in :data:`FAMILIES` on demand, and turns GraphkitError
    into a clear message and an exit code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._loaded: set[str] = set()

    def _load(self, family: str) -> None:
        """Import one command family and add its commands."""
        if family in self._loaded:
            return
        self._loaded.add(family)
        module = importlib.import_module(f"graphkit.cli.{family}")
        for command in module.COMMANDS:
            self.add_command(command)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        for family in FAMILIES:
            if cmd_name in self.commands:
                break
            self._load(family)
        return self.commands.get(cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        for family in FAMILIES:
            self._load(family)
        return super().list_commands(ctx)

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
