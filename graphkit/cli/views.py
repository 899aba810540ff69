"""CLI command ``graphkit view``: write the interactive network page of the facts."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from graphkit import views
from graphkit.cli.facts import fact_paths, read_paths, sources_option
from graphkit.errors import GraphkitError
from graphkit.graph import to_networkx
from graphkit.metrics import metrics_frame
from graphkit.projection import PROJECTIONS, project


@click.command()
@fact_paths
@sources_option
@click.option("--around", "around", metavar="ID", help="Show only the neighbourhood of this entity id.")
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True, help="Hops around --around.")
@click.option("--as-of", "as_of", type=int, metavar="YEAR", help="The network as it stood in this year.")
@click.option("--types", metavar="T1,T2", help="Only these relation types (comma-separated), and the nodes they link.")
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
    around: str | None,
    depth: int,
    as_of: int | None,
    types: str | None,
    size_by: str,
    projection: str,
    physics: bool | None,
    title: str | None,
    out: Path,
) -> None:
    """Write one self-contained HTML page (works offline) of the facts (default: seed/).

    Nodes are sized by a metric (a column of ``graphkit metrics``) computed on the network as of
    --as-of, before --types and --around narrow what is drawn; tooltips show every metric.
    """
    G = to_networkx(read_paths(paths, sources_dir))
    G = views.restrict(G, as_of=as_of)
    metrics = metrics_frame(project(G, projection))
    numeric = [c for c in metrics.columns if pd.api.types.is_numeric_dtype(metrics[c]) and metrics[c].dtype != bool]
    problems = (
        [] if size_by in numeric else [f"--size-by {size_by!r} is not a metric; choose one of {', '.join(numeric)}"]
    )
    try:
        G = views.restrict(
            G, types=[t.strip() for t in types.split(",") if t.strip()] if types else None, drop_unlinked=True
        )
    except GraphkitError as exc:
        problems.append(f"--types: {exc}")
    if problems:
        raise GraphkitError("\n".join(problems))
    if around is not None:
        G = views.ego(G, around, depth)
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
