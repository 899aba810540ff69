"""``graphkit shell``: an interactive Cypher shell in the manner of ``cypher-shell``.

Statements may span several lines and end with ``;`` (several on one line run in order). Lines
starting with ``:`` are shell commands: ``:help``, ``:exit`` (or ``:quit``, or end of input),
``:param name => expression`` (the expression is evaluated by the server, as cypher-shell does,
and passed as ``$name`` to later statements), ``:params`` (list them) and ``:params clear``.
Line editing and history come from :mod:`readline`; the history is kept in
``GRAPHKIT_HISTORY`` (default ``~/.graphkit_history``). Statements run through
:func:`graphkit.store.run_query`: read-only unless the shell was started with ``--write``.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from typing import Any

import click

from graphkit import cypher, store
from graphkit.cli.options import connection_options
from graphkit.cli.store import format_option, literal, render
from graphkit.connection import resolve_settings
from graphkit.errors import GraphkitError
from graphkit.settings import ConnectionSettings

HISTORY_ENV = "GRAPHKIT_HISTORY"
PROMPT = "graphkit> "
MORE = "        > "
_PARAM = re.compile(r"^:param\s+(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*=>\s*(?P<expr>.+?)\s*;?\s*$", re.DOTALL)

HELP = """\
Statements end with ';' and may span lines. Commands:
  :param NAME => EXPRESSION   set $NAME to the value of a Cypher expression, e.g. :param group => 'iskp'
  :params                     list the parameters set;  :params clear  forgets them
  :help                       this text
  :exit                       leave the shell (also :quit, or Ctrl-D)
EXPLAIN or PROFILE before a statement shows the server's plan."""


class Shell:
    """The shell's state (settings, parameters, output format) and its handling of one line."""

    def __init__(self, settings: ConnectionSettings, *, write: bool = False, fmt: str = "table") -> None:
        self.settings = settings
        self.write = write
        self.fmt = fmt
        self.params: dict[str, Any] = {}
        self.buffer = ""

    @property
    def prompt(self) -> str:
        """The prompt for the next line: a fresh one, or the continuation of a statement."""
        return MORE if self.buffer.strip() else PROMPT

    def feed(self, line: str) -> bool:
        """Handle one input line; return False when the shell should end."""
        if not self.buffer.strip() and line.strip().startswith(":"):
            return self.command(line.strip())
        self.buffer += line + "\n"
        statements, self.buffer = cypher.split_statements(self.buffer)
        if not cypher.split_statements(self.buffer + ";")[0]:
            self.buffer = ""  # only comments or blanks are left
        for statement in statements:
            self.run(statement)
        return True

    def run(self, statement: str) -> None:
        """Run one statement and print its result, or the error (the shell goes on)."""
        try:
            result = store.run_query(self.settings, statement, self.params, write=self.write)
        except GraphkitError as exc:
            click.echo(f"error: {exc}", err=True)
            return
        click.echo(render(result, self.fmt))

    def command(self, text: str) -> bool:
        """Run a ``:`` command; return False for ``:exit``."""
        word = text.split(maxsplit=1)[0].lower()
        if word in (":exit", ":quit"):
            return False
        if word == ":help":
            click.echo(HELP)
        elif word == ":params":
            if text.split()[1:] == ["clear"]:
                self.params.clear()
            for name, value in sorted(self.params.items()):
                click.echo(f":param {name} => {literal(value)}")
        elif word == ":param":
            self.set_param(text)
        else:
            click.echo(f"error: unknown command {word!r}; :help lists the commands", err=True)
        return True

    def set_param(self, text: str) -> None:
        """``:param name => expression``: evaluate the expression on the server (read-only)."""
        match = _PARAM.match(text)
        if match is None:
            click.echo("error: expected ':param NAME => EXPRESSION', e.g. :param group => 'iskp'", err=True)
            return
        name, expr = match["name"], match["expr"]
        try:
            result = store.run_query(self.settings, f"RETURN {expr} AS value", self.params)
        except GraphkitError as exc:
            click.echo(f"error: {exc}", err=True)
            return
        if len(result.rows) != 1:
            click.echo(f"error: {expr!r} did not give one value", err=True)
            return
        self.params[name] = result.rows[0][0]
        click.echo(f":param {name} => {literal(self.params[name])}")


def _history_file() -> Path:
    return Path(os.environ.get(HISTORY_ENV) or Path.home() / ".graphkit_history")


@click.command()
@click.option("--write", is_flag=True, help="Allow statements to change the graph (default: read-only).")
@format_option
@connection_options
def shell(write: bool, fmt: str, uri: str | None, user: str | None, database: str | None) -> None:
    """An interactive Cypher shell: statements end with ';'; :param, :params, :help, :exit.

    Read-only unless --write. History is kept in GRAPHKIT_HISTORY (default ~/.graphkit_history).
    """
    settings = resolve_settings(uri, user, database)
    store.shared_driver(settings)  # fail now, not at the first statement, if the database is away
    session = Shell(settings, write=write, fmt=fmt)
    history = _history_file()
    try:
        import readline
    except ImportError:  # pragma: no cover - Windows without pyreadline
        readline = None  # type: ignore[assignment]
    if readline is not None:
        with contextlib.suppress(OSError):
            readline.read_history_file(history)
    mode = "read-write" if write else "read-only"
    click.echo(f"Connected to {settings.describe()} ({mode}). Type :help for help, :exit to leave.")
    try:
        while True:
            try:
                line = input(session.prompt)
            except EOFError:
                click.echo()
                break
            except KeyboardInterrupt:
                click.echo()
                session.buffer = ""
                continue
            if not session.feed(line):
                break
    finally:
        if readline is not None:
            try:
                history.parent.mkdir(parents=True, exist_ok=True)
                readline.set_history_length(1000)
                readline.write_history_file(history)
            except OSError as exc:
                click.echo(f"warning: could not save the history to {history}: {exc}", err=True)


COMMANDS: list[click.Command] = [shell]
