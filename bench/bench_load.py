"""Load benchmark: the batched loader against one statement per relation, on the same server.

Synthetic facts shaped like the real model (every node kind, every relation kind between allowed
endpoint kinds, sources, quotes, partial dates, confidence) at 10,000 nodes and 50,000 relations
are loaded with :func:`graphkit.store.load` (one transaction, ``UNWIND`` batches of 5,000 by default)
after a warm-up load of the same size (the JVM's JIT makes a cold server's first load up to 3x
slower; its time is printed too).
Then a sample of relations (default 2,000) is written one statement per relation, each in its own
transaction, the way a naive loader would; its rate is measured on that sample and extrapolated to
the full 50,000 (stated in the output). Both run in one process on one server. Two batched rates
are printed: the whole load (schema, nodes, relations, cleanup, commit: the conservative one) and
the relation batches alone (like for like with the one-statement loader, which writes relations
to nodes that already exist).

Usage::

    .venv/bin/python bench/bench_load.py                 # starts its own local server in a temp dir
    .venv/bin/python bench/bench_load.py --uri bolt://... # or uses NEO4J_* settings of a running one
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from graphkit import cypher, model, store
from graphkit.connection import ConnectionSettings, open_driver, resolve_settings
from graphkit.facts import Entity, Facts, Relation
from graphkit.local import LocalServer
from graphkit.store import DEFAULT_BATCH_SIZE

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


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print relations per second for both loaders and their ratio."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nodes", type=int, default=10_000)
    ap.add_argument("--relations", type=int, default=50_000)
    ap.add_argument("--sample", type=int, default=2_000, help="relations written one statement each")
    ap.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="rows per UNWIND statement")
    ap.add_argument("--uri", default=None, help="a running server (default: start a local one in a temp dir)")
    args = ap.parse_args(argv)

    facts = synthetic_facts(args.nodes, args.relations)
    print(f"synthetic facts: {facts.summary()}")
    with tempfile.TemporaryDirectory(prefix="graphkit-bench-") as home:
        server = None
        if args.uri:
            settings = resolve_settings(uri=args.uri)
        else:
            server = LocalServer(Path(home))
            t = time.perf_counter()
            settings = server.start(timeout=120)
            print(f"local server up in {time.perf_counter() - t:.1f} s ({settings.uri}, heap {server.heap})")
        try:
            cold = store.load(synthetic_facts(args.nodes, args.relations, seed=1), settings, scope="bench-warm-up")
            store.load(Facts(), settings, scope="bench-warm-up")
            print(f"warm-up: the same load on the cold server took {cold.seconds:.1f} s (then removed)")

            report = store.load(facts, settings, scope="bench", batch_size=args.batch_size)
            phases = ", ".join(f"{k} {v:.1f} s" for k, v in report.timings.items())
            print(f"batched loader: one transaction, batches of {args.batch_size}: {report.seconds:.1f} s ({phases})")
            again = store.load(facts, settings, scope="bench", batch_size=args.batch_size)
            print(f"batched reload of the same facts (idempotent): {again.seconds:.1f} s")

            sample = min(args.sample, len(facts.relations))
            seconds = one_per_statement(settings, facts, sample)
            single = sample / seconds
            print(
                f"one statement per relation: {sample} relations in {seconds:.1f} s, measured on that sample; "
                f"extrapolated to {len(facts.relations)}: {len(facts.relations) / single:.0f} s"
            )
            n = len(facts.relations)
            whole = n / report.seconds
            rel_only = n / report.timings["relations"]
            print()
            print(f"{'loader':<58}{'relations/s':>12}{'ratio':>8}")
            print(f"{'one statement per relation (own transaction each)':<58}{single:>12,.0f}{'1.0x':>8}")
            print(f"{'batched, whole load (schema, nodes, cleanup, commit)':<58}{whole:>12,.0f}{whole / single:>7.1f}x")
            print(f"{'batched, relation batches only':<58}{rel_only:>12,.0f}{rel_only / single:>7.1f}x")
            print("target: >= 20x")
        finally:
            if server is not None:
                server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
