"""Options shared by several commands: which database (``--uri/--user/--database``) and where
the graph comes from (fact files, an exported graph file, or ``--db``, with ``--scope``).

Kept here, in the command-line package, so that the driver module (:mod:`graphkit.connection`)
does not depend on click.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from graphkit.connection import DATABASE_ENV, PASSWORD_ENV, URI_ENV, USER_ENV, resolve_settings
from graphkit.errors import GraphkitError
from graphkit.graph import EXPORT_SUFFIXES, SEED_DIR, Database, ExportFile, FactFiles, GraphSource

F = TypeVar("F", bound=Callable[..., Any])


def connection_options(command: F) -> F:
    """Add ``--uri``, ``--user`` and ``--database`` options to a click command.

    The command receives them as keyword arguments ``uri``, ``user`` and ``database`` (``None``
    when not given) and passes them to :func:`graphkit.connection.resolve_settings`. There is
    deliberately no password option: the password comes from ``NEO4J_PASSWORD``.
    """
    options = (
        click.option(
            "--database",
            default=None,
            metavar="NAME",
            help=f"Database name [env {DATABASE_ENV}; default neo4j, or graphkit on the local server].",
        ),
        click.option(
            "--user",
            default=None,
            metavar="NAME",
            help=f"User name [env {USER_ENV}; default neo4j]. The password is read from {PASSWORD_ENV}.",
        ),
        click.option(
            "--uri",
            default=None,
            metavar="URI",
            help=f"Server URI, e.g. neo4j://host:7687 [env {URI_ENV}; default: the local server, started if needed].",
        ),
    )
    for option in options:
        command = option(command)
    return command


def source_options(command: F) -> F:
    """Add ``--db`` and ``--scope`` (and the connection options) to a command that reads a graph.

    The command receives ``db`` (bool), ``scopes`` (tuple of names) and ``uri``, ``user``,
    ``database``; :func:`graph_source` turns them and the command's PATHS into a
    :class:`graphkit.graph.GraphSource`.
    """
    command = click.option(
        "--scope",
        "scopes",
        multiple=True,
        metavar="NAME",
        help="Only what the load(s) of this scope wrote (repeatable; with --db).",
    )(command)
    command = click.option(
        "--db",
        is_flag=True,
        help="Read the graph from the database (the local default unless --uri/NEO4J_URI) instead of fact files.",
    )(command)
    return connection_options(command)


def graph_source(
    paths: tuple[Path, ...],
    *,
    db: bool,
    scopes: tuple[str, ...] = (),
    sources_dir: Path | None = None,
    uri: str | None = None,
    user: str | None = None,
    database: str | None = None,
) -> GraphSource:
    """Where a command's graph comes from: the database (``--db``), one exported graph file
    (``.graphml``, ``.gexf``, ``.json``), or fact files (default ``seed/``).

    Raises
    ------
    GraphkitError
        Fact paths together with ``--db``, connection options or ``--scope`` without ``--db``,
        or an exported file mixed with fact files.
    """
    if db:
        if paths:
            raise GraphkitError("give fact PATHS or --db, not both")
        return Database(resolve_settings(uri, user, database))
    given = [name for name, value in (("--uri", uri), ("--user", user), ("--database", database)) if value]
    if scopes:
        given.append("--scope")
    if given:
        raise GraphkitError(f"{', '.join(given)} read(s) from the database: add --db")
    exported = [p for p in paths if p.suffix.lower() in EXPORT_SUFFIXES]
    if exported:
        if len(paths) != 1:
            raise GraphkitError(f"an exported graph ({exported[0]}) is read alone, not with other paths")
        return ExportFile(exported[0])
    return FactFiles(paths or (SEED_DIR,), sources_dir)


def _partial_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Check ``--as-of`` is a year or partial date."""
    if value is None:
        return None
    from graphkit.projection import date_bounds

    try:
        date_bounds(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    return value


def selection_options(command: F) -> F:
    """Add the selection options (``--as-of``, ``--types``, ``--around``, ``--depth``) to a command.

    They mean the same in every command, whatever the graph's source: see
    :func:`graphkit.projection.select`, which :func:`selection` feeds.
    """
    options = (
        click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True, help="Hops around --around."),
        click.option(
            "--around",
            metavar="ENTITY",
            help="Only the neighbourhood of this entity (id, name or alias, any case).",
        ),
        click.option("--types", metavar="T1,T2", help="Only these relation types (comma-separated)."),
        click.option(
            "--as-of",
            "as_of",
            callback=_partial_date,
            metavar="DATE",
            help="Only relations active then: a year or partial date (YYYY[-MM[-DD]]).",
        ),
    )
    for option in options:
        command = option(command)
    return command


def type_list(types: str | None) -> list[str] | None:
    """``"FOUGHT, ALLIED_WITH"`` -> ``["FOUGHT", "ALLIED_WITH"]`` (None when not given)."""
    return [t.strip() for t in types.split(",") if t.strip()] if types else None
