"""The main job: ``graphkit build``."""

from __future__ import annotations

from pathlib import Path

import click

from graphkit.cli.facts import fact_paths, read_paths, sources_option
from graphkit.export import export_graph
from graphkit.graph import to_networkx


@click.command()
@fact_paths
@sources_option
@click.option("--out", type=click.Path(path_type=Path), default=Path("out"), show_default=True)
def build(paths: tuple[Path, ...], sources_dir: Path | None, out: Path) -> None:
    """Validate the facts (default: seed/), load them, compute metrics and write the network view."""
    facts = read_paths(paths, sources_dir)
    click.echo(f"valid: {facts.summary()}")
    G = to_networkx(facts)
    written = export_graph(G, "graphml", out / "graph.graphml")
    click.echo(f"wrote {written[0]}")


COMMANDS: list[click.Command] = [build]
