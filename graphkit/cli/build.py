"""The main job: ``graphkit build`` wires validate -> load -> metrics -> view -> export."""

from __future__ import annotations

from pathlib import Path

import click

from graphkit import metrics as gm
from graphkit import store
from graphkit.cli.facts import fact_paths, read_paths, sources_option
from graphkit.cli.options import connection_options
from graphkit.cli.store import replace_all_option
from graphkit.connection import resolve_settings
from graphkit.errors import writing
from graphkit.export import export_graph
from graphkit.graph import Database, GraphSource, obtain_graph, to_networkx
from graphkit.projection import project


@click.command()
@fact_paths
@sources_option
@connection_options
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("out"), show_default=True)
@click.option("--scope", default="seed", show_default=True, help="Load scope: reloading it replaces its earlier load.")
@click.option("--load/--no-load", "do_load", default=True, show_default=True, help="Load into the database.")
@replace_all_option
def build(
    paths: tuple[Path, ...],
    sources_dir: Path | None,
    uri: str | None,
    user: str | None,
    database: str | None,
    out: Path,
    scope: str,
    do_load: bool,
    replace_all: bool,
) -> None:
    """The main job: validate the facts (default: seed/), load them into the database (the local
    default unless --uri/NEO4J_URI), rank the actors, and write OUT/metrics.csv, the network page
    OUT/network.html and OUT/graph.graphml.

    The metrics, the page and the GraphML are made from what the database holds after the load:
    every scope loaded into it (an import loaded earlier too), not only the files just read.
    With --no-load they are made from the files.
    """
    from graphkit.views import write_view  # here, not at the top: the CLI starts without it

    facts = read_paths(paths, sources_dir)
    click.echo(f"valid: {facts.summary()}{', quotes verified' if sources_dir else ''}")
    source: GraphSource | None = None
    title = "graphkit: " + ", ".join(sorted(str(p) for p in paths) or ["seed"])
    if do_load:
        settings = resolve_settings(uri=uri, user=user, database=database)
        click.echo(f"database: {settings.describe()}")
        report = store.load(facts, settings, scope=scope, progress=True, replace_all=replace_all, validated=True)
        click.echo(report.summary())
        source = Database(settings)
        title = f"graphkit: database {settings.database!r}"
    else:
        click.echo("database: skipped (--no-load)")
    G = obtain_graph(source) if source is not None else to_networkx(facts)
    if source is not None:
        click.echo(f"read back from the database: {G.number_of_nodes()} nodes, {G.number_of_edges()} relations")
    frame = gm.metrics_frame(project(G, "actors"))
    with writing(out / "metrics.csv"):
        out.mkdir(parents=True, exist_ok=True)
        (out / "metrics.csv").write_text(gm.render_frame(frame, "csv"), encoding="utf-8")
    click.echo(gm.describe_frame(frame))
    top = frame.sort_values("betweenness", ascending=False).head(5)
    click.echo("most central actors (betweenness): " + ", ".join(f"{n} {v:.3f}" for n, v in top["betweenness"].items()))
    page = write_view(
        G,
        out / "network.html",
        metrics=frame,
        sizes={str(n): float(v) for n, v in frame["betweenness"].items()},
        size_note="betweenness (actors)",
        title=title,
    )
    graphml = export_graph(G, "graphml", out / "graph.graphml")[0]
    click.echo(f"wrote {out / 'metrics.csv'}, {page}, {graphml}")


COMMANDS: list[click.Command] = [build]
