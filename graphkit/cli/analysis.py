"""CLI commands: analysis (``graphkit metrics``)."""

from __future__ import annotations

from pathlib import Path

import click

from graphkit import metrics as gm
from graphkit.cli.facts import fact_paths
from graphkit.cli.options import graph_source, selection_options, source_options, type_list
from graphkit.errors import GraphkitError
from graphkit.graph import obtain_graph
from graphkit.projection import PROJECTIONS, project

_METRICS = [c for c in gm.COLUMNS if c not in ("name", "kind")]


@click.command()
@fact_paths
@source_options
@selection_options
@click.option(
    "--projection",
    type=click.Choice(PROJECTIONS),
    default="actors",
    show_default=True,
    help="Which graph the metrics run on: actors (groups and people), linked also through shared attacks "
    "and/or places, or the whole graph without sources.",
)
@click.option("--weighted/--unweighted", default=True, show_default=True, help="Weigh edges by confidence.")
@click.option("--directed/--undirected", default=False, show_default=True, help="Keep relation directions.")
@click.option("--format", "fmt", type=click.Choice(gm.FORMATS), default="table", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file instead of stdout.")
@click.option("--sort", "sort_by", type=click.Choice(_METRICS), default="betweenness", show_default=True)
@click.option("--top", type=click.IntRange(min=0), default=0, help="Only the first N rows (0: all).")
@click.option(
    "--sample-above",
    type=click.IntRange(min=0),
    default=gm.SAMPLE_ABOVE,
    show_default=True,
    help="Sample betweenness and closeness above this many nodes.",
)
@click.option("--k", type=click.IntRange(min=1), default=gm.SAMPLE_K, show_default=True, help="Sampled source nodes.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the sample and of the communities.")
@click.option(
    "--engine",
    type=click.Choice(["python", "gds"]),
    default="python",
    show_default=True,
    help="Where the metrics are computed: here in Python, or (with --db) in the database by Neo4j Graph "
    "Data Science, for graphs too big for this machine (pip install 'graphkit[gds]'; the server needs GDS).",
)
def metrics(
    paths: tuple[Path, ...],
    db: bool,
    scopes: tuple[str, ...],
    uri: str | None,
    user: str | None,
    database: str | None,
    as_of: str | None,
    types: str | None,
    around: str | None,
    depth: int,
    projection: str,
    weighted: bool,
    directed: bool,
    fmt: str,
    out: Path | None,
    sort_by: str,
    top: int,
    sample_above: int,
    k: int,
    seed: int,
    engine: str,
) -> None:
    """Rank nodes by centrality, with communities, brokers and k-cores.

    The graph comes from fact files PATHS (default seed/), an exported graph file, or the
    database with --db (every scope loaded, or only --scope NAME ones).

    Prints which projection (nodes, links, direction, weights, time slice) and which method (exact
    or sampled, with k and seed) were used: in the table's header, or on stderr for csv and json
    written to stdout (json also holds them as fields).
    """
    if engine == "gds":
        if not db or paths:
            raise GraphkitError("--engine gds computes in the database: give --db (and no fact PATHS)")
        if around:
            raise GraphkitError("--around is not supported with --engine gds: use --engine python")
        from graphkit.connection import resolve_settings
        from graphkit.gds import gds_metrics_frame

        df = gds_metrics_frame(
            resolve_settings(uri, user, database),
            projection,
            scopes=scopes or None,
            types=type_list(types),
            as_of=as_of,
            weighted=weighted,
            directed=directed,
            sample_above=sample_above,
            k=k,
            seed=seed,
        )
    else:
        source = graph_source(paths, db=db, scopes=scopes, uri=uri, user=user, database=database)
        full = obtain_graph(source, scopes=scopes, as_of=as_of, types=type_list(types), around=around, depth=depth)
        H = project(full, projection, weighted=weighted, directed=directed)
        df = gm.metrics_frame(H, sample_above=sample_above, k=k, seed=seed)
    ordered = df.assign(_id=df.index.astype(str)).sort_values([sort_by, "_id"], ascending=[False, True])
    ordered = ordered.drop(columns="_id")
    ordered.attrs = dict(df.attrs)
    if top:
        ordered = ordered.head(top)
    text = gm.render_frame(ordered, fmt)
    if out is not None:
        out.write_text(text, encoding="utf-8")
        click.echo(gm.describe_frame(df))
        click.echo(f"wrote {out} ({len(ordered)} rows, {fmt})")
    elif fmt == "table":
        click.echo(text, nl=False)
    else:
        click.echo(gm.describe_frame(df), err=True)
        click.echo(text, nl=False)


COMMANDS: list[click.Command] = [metrics]
