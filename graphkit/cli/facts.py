"""CLI commands on fact files: ``validate`` and ``export``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from graphkit.cli.options import graph_source, selection_options, source_options, type_list
from graphkit.export import FORMATS, export_graph
from graphkit.facts import Facts, read_facts
from graphkit.graph import obtain_graph
from graphkit.resources import shipped_dir

#: Fact paths argument shared by the commands that read facts (default: ``seed/``).
fact_paths = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
sources_option = click.option(
    "--sources",
    "sources_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Directory of source texts: every quote must appear verbatim in its source.",
)


def read_paths(paths: tuple[Path, ...], sources_dir: Path | None = None) -> Facts:
    """Read and validate the facts at ``paths``; none given, the seed graphkit ships (from any directory)."""
    return read_facts(paths or (shipped_dir("seed"),), sources_dir)


@click.command()
@fact_paths
@sources_option
def validate(paths: tuple[Path, ...], sources_dir: Path | None) -> None:
    """Check fact files (default: seed/) and report every problem at once.

    Exits 2 listing each problem with file, line, record and field; exits 0 with a one-line
    summary (counts by kind) when the facts are valid.
    """
    facts = read_paths(paths, sources_dir)
    checked = ", quotes verified" if sources_dir else ""
    click.echo(f"valid: {facts.summary()}{checked}")


@click.command()
@fact_paths
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="graphml", show_default=True)
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Output file (a directory for csv).")
@sources_option
@source_options
@selection_options
def export(paths: tuple[Path, ...], fmt: str, out: Path, sources_dir: Path | None, **kw: Any) -> None:
    """Export the graph as GraphML, GEXF (dynamic: dated relations and nodes), node-link JSON or CSV.

    The graph comes from fact files PATHS (default seed/) or the database with --db (every scope,
    or only --scope NAME ones), narrowed by --as-of, --types and --around as in other commands.
    """
    selection = {"as_of": kw.pop("as_of"), "types": type_list(kw.pop("types"))}
    selection |= {"around": kw.pop("around"), "depth": kw.pop("depth"), "scopes": kw["scopes"]}
    G = obtain_graph(graph_source(paths, sources_dir=sources_dir, **kw), **selection)
    written = export_graph(G, fmt, out)  # type: ignore[arg-type]
    drawn = sum(1 for _, kind in G.nodes(data="kind") if kind != "Source")
    click.echo(f"wrote {', '.join(str(p) for p in written)} ({drawn} entities, {G.number_of_edges()} relations)")


COMMANDS: list[click.Command] = [validate, export]
