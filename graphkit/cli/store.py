"""CLI commands on the graph store: ``load``, ``query`` (the named library), ``cypher`` (ad hoc,
from the command line, a file or standard input) and ``shell`` (interactive, see
:mod:`graphkit.cli.shell`)."""

from __future__ import annotations

import csv
import functools
import io
import json
import math
import sys
from pathlib import Path
from typing import Any

import click

from graphkit import cypher, store
from graphkit.cli.facts import fact_paths, read_paths, sources_option
from graphkit.cli.options import connection_options
from graphkit.connection import resolve_settings
from graphkit.errors import GraphkitError
from graphkit.export import spreadsheet_safe

FORMATS = ("table", "csv", "json")
format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True, help="Output format."
)
replace_all_option = click.option(
    "--replace-all",
    is_flag=True,
    help="Allow a load that removes more than half of what the scope holds (refused otherwise).",
)
param_option = click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A query parameter (repeatable).",
)


def _pairs(params: tuple[str, ...]) -> dict[str, str]:
    """``("a=1", "b=x")`` -> ``{"a": "1", "b": "x"}``; a pair without ``=`` is an error."""
    out: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise GraphkitError(f"--param {item!r}: expected KEY=VALUE")
        out[key.strip()] = value
    return out


def literal(value: Any) -> str:
    """A value as Cypher literal text, as ``cypher-shell`` prints values.

    Nodes print as ``(:Label {key: value, ...})``, relations as ``[:TYPE {key: value, ...}]``,
    paths as ``(:A {...})-[:T {...}]->(:B {...})`` with each arrow pointing the relation's way.

    Examples
    --------
    >>> literal(store.GraphNode({"_labels": ["Group"], "id": "iskp", "aliases": ["IS-K"]}))
    '(:Group {id: "iskp", aliases: ["IS-K"]})'
    >>> literal({"a": 1, "b": None, "c": True, "d": 1.5})
    '{a: 1, b: NULL, c: TRUE, d: 1.5}'
    """
    if isinstance(value, store.GraphNode):
        labels = "".join(f":{label}" for label in value.get("_labels", []))
        return f"({labels}{_props(value, '_labels')})"
    if isinstance(value, store.GraphRelationship):
        return f"[:{value.get('_type')}{_props(value, '_type')}]"
    if isinstance(value, store.GraphPath):
        text = literal(value[0])
        for i, forward in enumerate(value.forward or (True,) * (len(value) // 2)):
            rel, node = literal(value[2 * i + 1]), literal(value[2 * i + 2])
            text += f"-{rel}->{node}" if forward else f"<-{rel}-{node}"
        return text
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {literal(v)}" for k, v in value.items()) + "}"
    return str(value)


def _props(value: dict[str, Any], skip: str) -> str:
    """`` {key: value, ...}`` of a node's or relation's properties (empty without any)."""
    props = {k: v for k, v in value.items() if k != skip}
    return " " + literal(props) if props else ""


def _cell(value: Any) -> str:
    """A value as table or CSV text: lists joined by '; ', maps as JSON, null as empty; nodes,
    relations and paths compactly, as cypher-shell prints them (:func:`literal`)."""
    if isinstance(value, store.GraphNode | store.GraphRelationship | store.GraphPath):
        return literal(value)
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def render_plan(plan: dict[str, Any]) -> str:
    """The server's query plan as an indented operator table (EXPLAIN and PROFILE).

    One line per operator, children indented under their parent, with the plan's details,
    estimated rows and, for PROFILE, the rows and database hits each operator produced.
    """
    rows: list[list[str]] = []

    def walk(op: dict[str, Any], depth: int) -> None:
        args = op.get("args") or op.get("arguments") or {}
        name = str(op.get("operatorType", "?")).split("@")[0]
        details = args.get("Details") or ", ".join(op.get("identifiers") or [])
        estimated = args.get("EstimatedRows")
        rows.append(
            [
                "| " * depth + "+" + name,
                str(details),
                f"{estimated:.0f}" if isinstance(estimated, int | float) else "",
                str(op.get("rows", "")),
                str(op.get("dbHits", op.get("db_hits", ""))),
            ]
        )
        for child in op.get("children") or []:
            walk(child, depth + 1)

    walk(plan, 0)
    profiled = any(r[3] for r in rows)
    header = ["Operator", "Details", "Estimated Rows", *(["Rows", "DB Hits"] if profiled else [])]
    table = [r[: len(header)] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in table)) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in table]
    return "\n".join(lines)


def render(result: store.QueryResult, fmt: str) -> str:
    """A query result as an aligned text table, CSV or JSON (a list of objects).

    With a plan (``EXPLAIN``, ``PROFILE``) the table is followed by the plan (JSON: an object
    with ``records`` and ``plan``).
    """
    if fmt == "json":
        if result.plan is not None:
            return json.dumps({"records": result.records(), "plan": result.plan}, ensure_ascii=False, indent=2)
        return json.dumps(result.records(), ensure_ascii=False, indent=2)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows(
            [spreadsheet_safe(_cell(v)) if isinstance(v, str | list | dict) else _cell(v) for v in row]
            for row in result.rows
        )
        return buf.getvalue().rstrip("\n")
    if result.plan is not None:
        rows = render(store.QueryResult(result.columns, result.rows), fmt) if result.rows else ""
        return (rows + "\n\n" if rows else "") + "Plan:\n" + render_plan(result.plan)
    if not result.columns:  # the local server names no columns when there are no rows
        return "(0 rows)"
    cells = [[_cell(v) for v in row] for row in result.rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(result.columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(result.columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines)


@click.command()
@fact_paths
@sources_option
@click.option("--scope", default="seed", show_default=True, help="Name of this body of facts; a reload replaces it.")
@click.option(
    "--batch-size",
    default=store.DEFAULT_BATCH_SIZE,
    show_default=True,
    type=click.IntRange(min=1),
    help="Rows per statement.",
)
@replace_all_option
@connection_options
def load(
    paths: tuple[Path, ...],
    sources_dir: Path | None,
    scope: str,
    batch_size: int,
    replace_all: bool,
    uri: str | None,
    user: str | None,
    database: str | None,
) -> None:
    """Load fact files (default: seed/) into the database as one transaction.

    Reloading a scope replaces it: what its earlier load wrote and these facts no longer contain
    is removed; other scopes are left alone. Invalid facts load nothing, and a load that would
    remove more than half of the scope is refused unless --replace-all is given.
    """
    facts = read_paths(paths, sources_dir)
    settings = resolve_settings(uri, user, database)
    report = store.load(
        facts, settings, scope=scope, batch_size=batch_size, progress=True, replace_all=replace_all, validated=True
    )
    click.echo(report.summary())


@click.command()
@click.argument("name", required=False)
@param_option
@format_option
@click.option("--list", "list_", is_flag=True, help="List the library's queries and exit.")
@click.option(
    "--library",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Directory of query files [default: the shipped cypher/].",
)
@connection_options
def query(
    name: str | None,
    params: tuple[str, ...],
    fmt: str,
    list_: bool,
    library: Path | None,
    uri: str | None,
    user: str | None,
    database: str | None,
) -> None:
    """Run a named question from the Cypher library, e.g. `graphkit query leaders-of-group -p group=iskp`."""
    if list_:
        for q in cypher.library(library).values():
            args = " ".join(f"{p.name}={p.type}" if p.required else f"[{p.name}={p.default!r}]" for p in q.params)
            click.echo(f"{q.name}  {args}".rstrip())
            click.echo(f"    {q.description}")
        return
    if name is None:
        raise click.UsageError("give a query NAME, or --list to see them")
    q = cypher.find_query(name, library)
    # connected (and the local default started) only once the parameters are known to be good
    connect = functools.cache(lambda: resolve_settings(uri, user, database))
    bound = q.bind(_pairs(params), resolve=lambda word: store.resolve_entity(connect(), word))
    click.echo(render(store.run_query(connect(), q.cypher, bound), fmt))


def _value(text: str, name: str = "") -> Any:
    """An ad hoc parameter: JSON when it parses (numbers, true, lists), else the text itself.

    Raises
    ------
    GraphkitError
        The JSON nests too deeply, or holds a whole number beyond what Cypher holds (int64).
    """
    try:
        value = json.loads(text)
    except ValueError:
        return text
    except RecursionError:
        raise GraphkitError(f"--param {name}: the JSON value nests too deeply") from None
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, int) and not isinstance(item, bool) and not cypher.INT64[0] <= item <= cypher.INT64[1]:
            raise GraphkitError(f"--param {name}: {item} is beyond the whole numbers Cypher holds (64-bit)")
        if isinstance(item, float) and not math.isfinite(item):
            raise GraphkitError(f"--param {name}: {item} is not a finite number")
        stack.extend(item.values() if isinstance(item, dict) else item if isinstance(item, list) else [])
    return value


@click.command(name="cypher")
@click.argument("statement", required=False)
@click.option(
    "--file",
    "-f",
    "file",
    type=click.File("r", encoding="utf-8"),
    help="Read the statements from this file ('-' for standard input); several end with ';'.",
)
@param_option
@format_option
@click.option("--write", is_flag=True, help="Allow the statements to change the graph (default: read-only).")
@connection_options
def cypher_command(
    statement: str | None,
    file: io.TextIOBase | None,
    params: tuple[str, ...],
    fmt: str,
    write: bool,
    uri: str | None,
    user: str | None,
    database: str | None,
) -> None:
    """Run ad hoc Cypher, read-only unless --write; parameters as -p KEY=VALUE (JSON values parsed).

    STATEMENT is one statement; '-' (or -f FILE) reads statements ending with ';' from standard
    input (or FILE) and runs them in order, printing each result. EXPLAIN and PROFILE print the
    server's plan.
    """
    if (statement is None) == (file is None):
        raise click.UsageError("give a STATEMENT, '-' for standard input, or -f FILE (one of them)")
    if statement == "-":
        text = sys.stdin.read()
    elif file is not None:
        text = file.read()
    else:
        text = None
    statements = [statement] if text is None and statement is not None else _script(text or "")
    bound = {k: _value(v, k) for k, v in _pairs(params).items()}
    settings = resolve_settings(uri, user, database)
    for i, one in enumerate(statements):
        if len(statements) > 1:
            click.echo(("\n" if i else "") + f"-- {one.splitlines()[0][:70]}")
        click.echo(render(store.run_query(settings, one, bound, write=write), fmt))


def _script(text: str) -> list[str]:
    """The statements of a script: each ends with ';', the last one may omit it."""
    done, rest = cypher.split_statements(text)
    if cypher.split_statements(rest + ";")[0]:  # a final statement without ';'
        done.append(rest)
    if not done:
        raise GraphkitError("no Cypher statement in the input")
    return done


COMMANDS: list[click.Command] = [load, query, cypher_command]
