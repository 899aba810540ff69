"""CLI command ``graphkit view``: write the interactive network page of the facts."""

from __future__ import annotations

from pathlib import Path

import click

from graphkit.cli.facts import fact_paths, sources_option
from graphkit.cli.options import graph_source, selection_options, source_options, type_list
from graphkit.errors import GraphkitError
from graphkit.graph import obtain_graph
from graphkit.metrics import metrics_frame
from graphkit.projection import PROJECTIONS, project, select


@click.command()
@fact_paths
@sources_option
@source_options
@selection_options
@click.option(
    "--size-by", default="degree", show_default=True, metavar="METRIC", help="Metric column sizing the nodes."
)
@click.option(
    "--projection",
    type=click.Choice(PROJECTIONS),
    default="whole",
    show_default=True,
    help="Graph the sizing metric is computed on.",
)
@click.option("--physics/--no-physics", default=None, help="Lay out in the browser (default: up to 300 nodes).")
@click.option("--title", help="Page title.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("view.html"), show_default=True)
def view(
    paths: tuple[Path, ...],
    sources_dir: Path | None,
    db: bool,
    scopes: tuple[str, ...],
    uri: str | None,
    user: str | None,
    database: str | None,
    as_of: str | None,
    types: str | None,
    around: str | None,
    depth: int,
    size_by: str,
    projection: str,
    physics: bool | None,
    title: str | None,
    out: Path,
) -> None:
    """Write one self-contained HTML page (works offline) of the facts (default: seed/), or of the
    database's graph with --db (every scope loaded, or only --scope NAME ones).

    Nodes are sized by a metric (a column of ``graphkit metrics``) computed on the network as of
    --as-of, before --types and --around narrow what is drawn; tooltips show every metric.
    """
    import pandas as pd  # here, not at the top: the CLI starts without them (tests/test_startup.py)

    from graphkit import views

    source = graph_source(paths, db=db, scopes=scopes, sources_dir=sources_dir, uri=uri, user=user, database=database)
    G = obtain_graph(source, scopes=scopes, as_of=as_of)
    metrics = metrics_frame(project(G, projection))
    numeric = [c for c in metrics.columns if pd.api.types.is_numeric_dtype(metrics[c]) and metrics[c].dtype != bool]
    problems = (
        [] if size_by in numeric else [f"--size-by {size_by!r} is not a metric; choose one of {', '.join(numeric)}"]
    )
    try:
        G = select(G, types=type_list(types), around=around, depth=depth)
        if types:  # a page of --types FOUGHT draws who fought, not everyone
            G = views.without_unlinked(G)
    except GraphkitError as exc:
        problems.append(str(exc))
    if problems:
        raise GraphkitError("\n".join(problems))
    label = [f"{around} ±{depth}" if around else "", f"as of {as_of}" if as_of is not None else ""]
    written = views.write_view(
        G,
        out,
        sizes={str(k): float(v) for k, v in metrics[size_by].dropna().items()},
        metrics=metrics[numeric],
        title=title or " · ".join(["graphkit network", *filter(None, label)]),
        size_note=f"{size_by} ({metrics.attrs.get('projection', projection)})",
        physics=physics,
    )
    drawn = sum(1 for _, kind in G.nodes(data="kind") if kind != "Source")
    click.echo(f"wrote {written} ({drawn} nodes, {G.number_of_edges()} relations)")


COMMANDS: list[click.Command] = [view]
