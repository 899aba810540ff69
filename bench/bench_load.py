"""Load benchmark on both engines: the batched loader, one statement per relation, and Neo4j's bulk import.

Synthetic facts shaped like the real model (every node kind, every relation kind between allowed
endpoint kinds, sources, quotes, partial dates, confidence) at 10,000 nodes and 50,000 relations
are loaded with :func:`graphkit.store.load` (one transaction, ``UNWIND`` batches of 5,000 by default)
after a warm-up load of the same size (the JVM's JIT makes a cold server's first load up to 3x
slower; its time is printed too).
Then a sample of relations (default 2,000) is written one statement per relation, each in its own
transaction, the way a naive loader would; its rate is measured on that sample and extrapolated to
the full 50,000 (stated in the output). Two batched rates are printed: the whole load (schema,
nodes, relations, cleanup, commit: the conservative one) and the relation batches alone (like for
like with the one-statement loader, which writes relations to nodes that already exist).

Each engine runs in this one process, one after the other, on a server of its own: the local
default (ArcadeDB, started by graphkit) and Neo4j 5.26 (started from Maven Central's jars by
``tests/neo4j_server.py``; ``--neo4j-version`` for another). On Neo4j the same facts are then
written with Neo4j's own offline bulk importer, ``neo4j-admin database import full``, from
graphkit's CSV export (its time includes the export, not the server's stop and start), as the
fastest peer a data engineer could pick.

Usage::

    .venv/bin/python bench/bench_load.py                        # local default and Neo4j 5.26
    .venv/bin/python bench/bench_load.py --engines local        # one engine
    .venv/bin/python bench/bench_load.py --uri bolt://...       # a running server (NEO4J_* settings)
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from graphkit import cypher, export, model, store
from graphkit.connection import ConnectionSettings, open_driver, resolve_settings
from graphkit.facts import Entity, Facts, Relation
from graphkit.graph import to_networkx
from graphkit.local import LocalServer
from graphkit.store import DEFAULT_BATCH_SIZE

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from neo4j_server import ENGINES as NEO4J_VERSIONS
from neo4j_server import Neo4jServer

#: Share of each node kind in the synthetic graph (roughly that of the real data sets).
KIND_SHARE = {"Source": 0.02, "Group": 0.18, "Person": 0.25, "Place": 0.15, "Attack": 0.40}
CONFIDENCES = [c.name for c in model.CONFIDENCE]


def synthetic_facts(nodes: int = 10_000, relations: int = 50_000, seed: int = 7) -> Facts:
    """Valid, model-shaped facts with ``nodes`` entities and ``relations`` relations.

    Every relation kind of the model occurs, between endpoint kinds it allows; symmetric ones are
    written in canonical direction; each relation cites one or two sources with a quote and has a
    partial-date ``since`` (and sometimes ``until``). Relation keys are explicit ids, so they are
    unique however the endpoints repeat.
    """
    rng = random.Random(seed)
    ids: dict[str, list[str]] = {}
    entities: dict[str, Entity] = {}
    for kind, share in KIND_SHARE.items():
        count = max(2, int(nodes * share))
        ids[kind] = [f"{kind.lower()}-{i}" for i in range(count)]
    sources = ids["Source"]
    for kind, kind_ids in ids.items():
        for i, ident in enumerate(kind_ids):
            props: dict[str, object] = {}
            if kind == "Group":
                props = {"group_type": rng.choice(model.GROUP_TYPES), "founded": str(rng.randint(1980, 2020))}
            elif kind == "Place":
                props = {"place_type": rng.choice(model.PLACE_TYPES)}
            elif kind == "Attack":
                props = {"date": f"{rng.randint(2000, 2023)}-{rng.randint(1, 12):02d}", "killed": rng.randint(0, 50)}
            elif kind == "Source":
                props = {"publisher": "Synthetic Press", "published": str(rng.randint(2000, 2024))}
            srcs = [] if kind == "Source" else rng.sample(sources, 1)
            aliases = [f"{kind} alias {i}"] if kind in ("Group", "Person") else []
            entities[ident] = Entity(ident, kind, f"{kind} {i}", aliases, srcs, props=props)
    rels: list[Relation] = []
    kinds = list(model.RELATION_KINDS)
    for i in range(relations):
        rk = kinds[i % len(kinds)]
        a = rng.choice(ids[rng.choice(sorted(rk.sources))])
        b = rng.choice(ids[rng.choice(sorted(rk.targets))])
        while b == a:
            b = rng.choice(ids[rng.choice(sorted(rk.targets))])
        if rk.name == "LOCATED_IN":  # a place lies within one place (a tree), as validation requires
            a = rng.choice(ids["Place"][1:])
            b = ids["Place"][int(a.rsplit("-", 1)[1]) // 2]
        while rk.name == "SPANS" and b in (a, ids["Place"][int(a.rsplit("-", 1)[1]) // 2]):
            b = rng.choice(ids["Place"])
        if rk.symmetric and b < a:
            a, b = b, a
        since = rng.randint(1990, 2022)
        rels.append(
            Relation(
                rk.name,
                a,
                b,
                rng.sample(sources, rng.randint(1, 2)),
                [f"Quote {i}: {a} and {b}, as the source puts it."],
                confidence=rng.choice(CONFIDENCES),
                since=str(since),
                until=str(since + rng.randint(0, 5)) if i % 3 == 0 else None,
                id=f"rel-{i}",
            )
        )
    return Facts(entities, rels)


def one_per_statement(settings: ConnectionSettings, facts: Facts, sample: int) -> float:
    """Write ``sample`` relations one statement (and transaction) each; return seconds taken."""
    scope, run = "bench-single", "bench-single-run"
    with open_driver(settings) as driver:
        start = time.perf_counter()
        for rel in facts.relations[:sample]:
            a, b = facts.entities[rel.source].kind, facts.entities[rel.target].kind
            statement = (
                f"MATCH (a:{cypher.label(a)} {{id: $source}}) MATCH (b:{cypher.label(b)} {{id: $target}}) "
                f"MERGE (a)-[r:{cypher.rel_type(rel.type)} {{key: $key, _scope: $scope}}]->(b) "
                "SET r = $props SET r._scope = $scope, r._run = $run"
            )
            driver.execute_query(
                statement,
                source=rel.source,
                target=rel.target,
                key=rel.key,
                props=rel.properties(),
                scope=scope,
                run=run,
                database_=settings.database,
            )
        return time.perf_counter() - start


@dataclass
class Figures:
    """One engine's results, in relations per second."""

    engine: str
    single: float
    whole: float
    relations_only: float
    bulk: float | None = None


def bulk_import(server: Neo4jServer, facts: Facts, work: Path) -> float:
    """Seconds for graphkit's CSV export plus ``neo4j-admin database import full`` of ``facts``.

    The server is stopped for the import (an offline importer) and started again afterwards; that
    stop and start are not counted. The imported database is checked to hold every relation.
    """
    server.stop()
    start = time.perf_counter()
    files = export.export_graph(to_networkx(facts), "csv", work / "csv")
    nodes, rels = (str(p) for p in files)
    done = server.admin(
        "database",
        "import",
        "full",
        "neo4j",
        f"--nodes={nodes}",
        f"--relationships={rels}",
        f"--array-delimiter=U+{ord(export.ARRAY_DELIMITER):04X}",
        "--overwrite-destination=true",
        f"--report-file={work / 'import.report'}",
        "--threads=2",
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"neo4j-admin import failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    server.start()
    server.wait()
    settings = ConnectionSettings(server.uri, "neo4j", server.password, "neo4j")
    with open_driver(settings) as driver:
        count = driver.execute_query("MATCH ()-[r]->() RETURN count(r) AS n", database_="neo4j").records[0]["n"]
    if count != len(facts.relations):
        raise SystemExit(f"neo4j-admin import holds {count} relations, expected {len(facts.relations)}")
    return seconds


def bench_engine(engine: str, settings: ConnectionSettings, facts: Facts, args: argparse.Namespace) -> Figures:
    """Warm up, then the batched load, an idempotent reload and the one-statement sample on one server."""
    cold = store.load(synthetic_facts(args.nodes, args.relations, seed=1), settings, scope="bench-warm-up")
    store.load(Facts(), settings, scope="bench-warm-up", replace_all=True)
    print(f"[{engine}] warm-up: the same load on the cold server took {cold.seconds:.1f} s (then removed)")
    report = store.load(facts, settings, scope="bench", batch_size=args.batch_size)
    phases = ", ".join(f"{k} {v:.1f} s" for k, v in report.timings.items())
    print(
        f"[{engine}] batched loader: one transaction, batches of {args.batch_size}: {report.seconds:.1f} s ({phases})"
    )
    again = store.load(facts, settings, scope="bench", batch_size=args.batch_size)
    phases = ", ".join(f"{k} {v:.1f} s" for k, v in again.timings.items())
    print(f"[{engine}] batched reload of the same facts (idempotent): {again.seconds:.1f} s ({phases})")
    sample = min(args.sample, len(facts.relations))
    seconds = one_per_statement(settings, facts, sample)
    n = len(facts.relations)
    print(
        f"[{engine}] one statement per relation: {sample} relations in {seconds:.1f} s, measured on that sample; "
        f"extrapolated to {n}: {n / (sample / seconds):.0f} s"
    )
    return Figures(engine, sample / seconds, n / report.seconds, n / report.timings["relations"])


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark on each engine and print relations per second side by side, with ratios."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nodes", type=int, default=10_000)
    ap.add_argument("--relations", type=int, default=50_000)
    ap.add_argument("--sample", type=int, default=2_000, help="relations written one statement each")
    ap.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="rows per UNWIND statement")
    ap.add_argument("--engines", default="local,neo4j", help="comma-separated: local, neo4j")
    ap.add_argument("--neo4j-version", default=NEO4J_VERSIONS["neo4j"])
    ap.add_argument("--neo4j-heap", default="4g", help="Neo4j's JVM heap (a load is one transaction)")
    ap.add_argument("--uri", default=None, help="a running server instead (NEO4J_* settings)")
    args = ap.parse_args(argv)

    facts = synthetic_facts(args.nodes, args.relations)
    print(f"synthetic facts: {facts.summary()}")
    results: list[Figures] = []
    with tempfile.TemporaryDirectory(prefix="graphkit-bench-") as home:
        if args.uri:
            results.append(bench_engine("given", resolve_settings(uri=args.uri), facts, args))
        for engine in [] if args.uri else args.engines.split(","):
            t = time.perf_counter()
            if engine == "local":
                local = LocalServer(Path(home) / "local")
                try:
                    settings = local.start(timeout=120)
                    print(f"[local] server up in {time.perf_counter() - t:.1f} s (heap {local.heap})")
                    results.append(bench_engine(engine, settings, facts, args))
                finally:
                    local.stop()
            elif engine == "neo4j":
                neo = Neo4jServer(args.neo4j_version, Path(home) / "neo4j", heap=args.neo4j_heap, pagecache="1g")
                try:
                    neo.start()
                    neo.wait()
                    print(f"[neo4j] Neo4j {args.neo4j_version} up in {time.perf_counter() - t:.1f} s (heap {neo.heap})")
                    settings = ConnectionSettings(neo.uri, "neo4j", neo.password, "neo4j")
                    figures = bench_engine(f"neo4j {args.neo4j_version}", settings, facts, args)
                    figures.bulk = len(facts.relations) / bulk_import(neo, facts, Path(home))
                    results.append(figures)
                finally:
                    neo.stop()
            else:
                raise SystemExit(f"unknown engine {engine!r}: choose local or neo4j")

    print()
    print(f"{'relations per second':<56}" + "".join(f"{f.engine:>20}" for f in results))
    rows = [
        ("one statement per relation (own transaction each)", lambda f: f.single),
        ("graphkit batched, whole load (schema … commit)", lambda f: f.whole),
        ("graphkit batched, relation batches only", lambda f: f.relations_only),
        ("neo4j-admin database import (offline, from CSV)", lambda f: f.bulk),
    ]
    for label, get in rows:
        print(f"{label:<56}" + "".join(f"{v:>20,.0f}" if (v := get(f)) else f"{'—':>20}" for f in results))
    print(
        f"{'ratio: batched whole load / one statement':<56}" + "".join(f"{f.whole / f.single:>19.1f}x" for f in results)
    )
    print(
        f"{'ratio: neo4j-admin import / batched whole load':<56}"
        + "".join(f"{f.bulk / f.whole:>19.1f}x" if f.bulk else f"{'—':>20}" for f in results)
    )
    print("targets: batched >= 20x one statement on each engine; neo4j-admin import <= 3x graphkit's load")
    return 0


if __name__ == "__main__":
    sys.exit(main())
