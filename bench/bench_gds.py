"""Benchmark: metrics in the database (Neo4j Graph Data Science) beside graphkit's own, in one run.

The synthetic graph of bench_metrics.py (shaped like the model, heavy-tailed), as facts with one
source, attack dates and some dataset weights (:func:`synthetic_facts`, also the test graph of
tests/test_gds.py), is loaded into a Neo4j with GDS as scope ``synthetic``. For each projection
it then times, side by side:

- ``graphkit``: the graph read back from the database (:func:`graphkit.store.read_graph`),
  projected and measured in Python (:func:`graphkit.metrics.metrics_frame`), every column;
- ``gds``: :func:`graphkit.gds.gds_metrics_frame`, the projection built by Cypher in the
  database and every column computed by GDS, one row per node brought back;

and prints each one's wall time and the largest difference of every column between the two.
The path metrics alone (betweenness, closeness) on the same projected graph are in
bench_metrics.py, where :func:`gds_peer` gives GDS a column beside the other peers.

The server: ``--uri`` (user ``NEO4J_USERNAME``, password ``NEO4J_PASSWORD``; it must have GDS),
or by default a Neo4j 5.26 with GDS started here from Maven Central's jars (tests/neo4j_server.py).

Run::

    .venv/bin/python bench/bench_gds.py                      # 10k nodes, a server of its own
    NEO4J_PASSWORD=… .venv/bin/python bench/bench_gds.py --uri bolt://127.0.0.1:7687 --sizes 10000,50000
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from graphkit import gds, store
from graphkit import metrics as gm
from graphkit import projection as gp
from graphkit.connection import ConnectionSettings
from graphkit.facts import Entity, Facts, Relation, validate

HERE = Path(__file__).resolve().parent


def _bench_metrics() -> Any:
    """bench_metrics.py as a module (its synthetic graph and its Peer)."""
    spec = importlib.util.spec_from_file_location("bench_metrics", HERE / "bench_metrics.py")
    assert spec is not None and spec.loader is not None
    module = sys.modules.setdefault("bench_metrics", importlib.util.module_from_spec(spec))
    spec.loader.exec_module(module)  # registered first: its dataclasses look their module up
    return module


def synthetic_facts(size: int = 10_000, seed: int = 1) -> Facts:
    """bench_metrics' synthetic graph as facts: one source, dated attacks (every fifth undated), some dataset weights."""
    G = _bench_metrics().synthetic_graph(size, seed=seed)
    source = "synthetic-source"
    entities = {source: Entity(source, "Source", "A synthetic source")}
    for i, (node, data) in enumerate(G.nodes(data=True)):
        dated = data["kind"] == "Attack" and i % 5 != 0
        props = {"date": f"{1990 + i % 34}-{1 + i % 12:02d}"} if dated else {}
        entities[node] = Entity(node, data["kind"], data["name"], sources=[source], props=props)
    relations = [
        Relation(
            data["type"],
            u,
            v,
            [source],
            ["synthetic"],
            confidence=data["confidence"],
            since=data["since"],
            weight=0.5 + (i % 4) / 4 if i % 3 == 0 else None,
            id=f"r{i}",
        )
        for i, (u, v, data) in enumerate(G.edges(data=True))
    ]
    return validate(Facts(entities, relations))


def gds_peer(peer: Callable[..., Any]) -> Any:
    """A bench_metrics ``Peer`` (pass its class) for GDS on the server of ``GRAPHKIT_BENCH_GDS_URI``.

    The projected graph is put into GDS's catalog from DataFrames (untimed, as the other peers
    convert); each metric is one GDS call over Bolt with its result streamed back, on networkx's
    scale. Password from ``NEO4J_PASSWORD``.
    """
    import networkx as nx

    def client() -> Any:
        from graphdatascience import GraphDataScience

        uri = os.environ.get("GRAPHKIT_BENCH_GDS_URI")
        if not uri:
            raise ImportError("set GRAPHKIT_BENCH_GDS_URI (and NEO4J_PASSWORD) to a Neo4j with GDS")
        auth = (os.environ.get("NEO4J_USERNAME", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""))
        return GraphDataScience(uri, auth=auth, arrow=False, show_progress=False)

    def version() -> str:
        session = client()
        try:
            return f"GDS {session.server_version()} over Bolt"
        finally:
            session.close()

    def convert(H: nx.Graph) -> Any:
        import pandas as pd

        nodes = list(H)
        index = {v: i for i, v in enumerate(nodes)}
        edges = [(index[u], index[v]) for u, v in H.edges() if u != v]
        session = client()
        if session.graph.exists("bench-metrics"):
            session.graph.drop("bench-metrics")
        rels = pd.DataFrame(edges, columns=["sourceNodeId", "targetNodeId"]).assign(relationshipType="R")
        frame = pd.DataFrame({"nodeId": range(len(nodes))})
        G = session.graph.construct("bench-metrics", frame, rels, undirected_relationship_types=["R"])
        return nodes, session, G

    def betweenness(c: Any) -> dict[Any, float]:
        nodes, session, G = c
        n = len(nodes)
        scores = session.betweenness.stream(G)
        scale = 2 / ((n - 1) * (n - 2)) if n > 2 else 1.0  # GDS halves undirected sums; networkx normalises
        return {nodes[i]: float(s) * scale for i, s in zip(scores["nodeId"], scores["score"], strict=True)}

    def closeness(c: Any) -> dict[Any, float]:
        nodes, session, G = c
        scores = session.closeness.stream(G, use_wasserman_faust=True)
        return {nodes[i]: float(s) for i, s in zip(scores["nodeId"], scores["score"], strict=True)}

    return peer("gds", version, convert, {"betweenness": betweenness, "closeness": closeness})


@contextmanager
def server(uri: str | None) -> Iterator[ConnectionSettings]:
    """The given server, or a Neo4j 5.26 with GDS started for the run."""
    if uri:
        yield ConnectionSettings(
            uri, os.environ.get("NEO4J_USERNAME", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""), "neo4j"
        )
        return
    sys.path.insert(0, str(HERE.parent / "tests"))
    from neo4j_server import ENGINES, Neo4jServer

    with tempfile.TemporaryDirectory(prefix="bench-gds-") as home:
        neo = Neo4jServer(ENGINES["neo4j"], Path(home), heap="4g", profiles=("gds",))
        neo.start()
        try:
            neo.wait(timeout=900)
            yield ConnectionSettings(neo.uri, "neo4j", neo.password, "neo4j")
        finally:
            neo.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000", help="comma-separated node counts (default 10000)")
    parser.add_argument("--uri", default=os.environ.get("GRAPHKIT_BENCH_GDS_URI"), help="a Neo4j with GDS")
    parser.add_argument("--projections", default="actors,whole", help="comma-separated projections")
    parser.add_argument("--loaded", action="store_true", help="the server already holds scope synthetic of this size")
    args = parser.parse_args()
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    print(f"bench_gds: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with server(args.uri) as settings:
        for size in (int(s) for s in args.sizes.split(",")):
            facts = synthetic_facts(size)
            t = time.perf_counter()
            if not args.loaded:
                store.load(facts, settings, scope="synthetic", replace_all=True)
            print(f"\n{facts.summary()}; loaded into {settings.uri} in {time.perf_counter() - t:.1f} s")
            for projection in args.projections.split(","):
                t = time.perf_counter()
                full = store.read_graph(settings)
                read = time.perf_counter() - t
                H = gp.project(full, projection)
                want = gm.metrics_frame(H)
                ours = time.perf_counter() - t
                t = time.perf_counter()
                got = gds.gds_metrics_frame(settings, projection)
                theirs = time.perf_counter() - t
                print(
                    f"{projection}: {H.number_of_nodes()} nodes, {H.number_of_edges()} edges ({got.attrs['notes'][0]})"
                )
                print(f"  graphkit  {ours:8.1f} s  (read_graph {read:.1f} s, then project + metrics_frame in Python)")
                print(f"  gds       {theirs:8.1f} s  (gds_metrics_frame: Cypher projection + every metric in GDS)")
                want = want.loc[got.index]
                diffs = []
                for column in gm.COLUMNS[2:]:
                    if column == "community":
                        continue
                    a, b = got[column].to_numpy(dtype=float), want[column].to_numpy(dtype=float)
                    diffs.append(f"{column} {float(np.max(np.abs(a - b), initial=0.0)):.1e}")
                print("  max|diff| " + ", ".join(diffs))


if __name__ == "__main__":
    main()
