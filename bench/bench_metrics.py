"""Benchmark: graphkit's metrics against plain networkx, side by side in one run.

Synthetic graphs shaped like the real model (groups, people, places, attacks; heavy-tailed
degrees: a few groups carry out most attacks, a few places host most of them) at several sizes.
For each metric it prints graphkit's time, networkx's time, the ratio, the largest absolute
difference between the two results where both are exact (or both sample the same sources), and
the peak extra memory of each (resident-set high-water mark above the start, measured in a
forked child so that one measurement cannot inflate the next).

Exact networkx betweenness and closeness are infeasible at 100k nodes (hours): at sizes above
``--exact-max`` graphkit samples ``--k`` sources (its default above 20k nodes), networkx's
betweenness runs with the same sampled sources (``--nx-k``, fewer, to keep the run short;
graphkit is then also timed with ``--nx-k`` so the two compare), and networkx's closeness,
which has no sampled form, is skipped.

Run::

    .venv/bin/python bench/bench_metrics.py                      # 1k and 10k (about 10 minutes)
    .venv/bin/python bench/bench_metrics.py --sizes 1000,10000,100000
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing as mp
import pickle
import platform
import time
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from graphkit import metrics, projection

# --------------------------------------------------------------------------------------------
# Synthetic graphs
# --------------------------------------------------------------------------------------------

_SHARES = {"Group": 0.03, "Person": 0.20, "Place": 0.07, "Attack": 0.70}
_CONFIDENCES = ("confirmed", "reported", "alleged", "uncertain")


def synthetic_graph(size: int, seed: int = 0) -> nx.MultiDiGraph:
    """A full graph of about ``size`` nodes shaped like the model, with heavy-tailed degrees."""
    rng = np.random.default_rng(seed)
    ids: dict[str, list[str]] = {}
    G = nx.MultiDiGraph()
    for kind, share in _SHARES.items():
        count = max(2, int(size * share))
        ids[kind] = [f"{kind.lower()}-{i}" for i in range(count)]
        G.add_nodes_from((node, {"kind": kind, "name": node.replace("-", " ").title()}) for node in ids[kind])

    def zipf_pick(kind: str, count: int, exponent: float = 1.1) -> list[str]:
        pool = ids[kind]
        weights = 1.0 / np.arange(1, len(pool) + 1) ** exponent
        return [pool[i] for i in rng.choice(len(pool), size=count, p=weights / weights.sum())]

    edges: list[tuple[str, str, dict[str, Any]]] = []

    def relate(kind: str, pairs: list[tuple[str, str]]) -> None:
        for u, v in pairs:
            year = int(rng.integers(1990, 2024))
            data = {"type": kind, "confidence": _CONFIDENCES[int(rng.integers(0, 4))], "since": str(year)}
            edges.append((u, v, data))

    attacks = ids["Attack"]
    relate("CARRIED_OUT", list(zip(zipf_pick("Group", len(attacks)), attacks, strict=True)))
    extra = attacks[: len(attacks) // 5]
    relate("CARRIED_OUT", list(zip(zipf_pick("Person", len(extra), 0.8), extra, strict=True)))
    relate("OCCURRED_IN", list(zip(attacks, zipf_pick("Place", len(attacks)), strict=True)))
    targeted = attacks[len(attacks) // 2 : len(attacks) // 2 + len(attacks) // 5]
    relate("TARGETED", list(zip(targeted, zipf_pick("Group", len(targeted), 0.9), strict=True)))
    people = ids["Person"]
    relate("MEMBER_OF", list(zip(people, zipf_pick("Group", len(people)), strict=True)))
    groups = ids["Group"]
    for kind in ("ALLIED_WITH", "FOUGHT", "SPLINTER_OF"):
        pairs = list(zip(zipf_pick("Group", len(groups), 0.9), zipf_pick("Group", len(groups), 0.9), strict=True))
        relate(kind, [(min(u, v), max(u, v)) if kind != "SPLINTER_OF" else (u, v) for u, v in pairs if u != v])
    relate("ACTIVE_IN", list(zip(groups * 3, zipf_pick("Place", 3 * len(groups)), strict=True)))
    places = ids["Place"]
    relate("LOCATED_IN", [(p, places[int(rng.integers(0, max(1, i // 4 + 1)))]) for i, p in enumerate(places) if i])
    for i, (u, v, data) in enumerate(edges):
        G.add_edge(u, v, key=f"{data['type']}:{u}:{v}:{i}", **data)
    return G


# --------------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------------


def _rss_kib(field: str) -> int:
    """A field of /proc/self/status (VmRSS, VmHWM) in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _child(fn: Callable[[], Any], conn: Any) -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # reset the peak RSS of this process
    start = _rss_kib("VmRSS")
    t0 = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - t0
    conn.send_bytes(pickle.dumps((elapsed, result, _rss_kib("VmHWM") - start)))
    conn.close()


def measure(fn: Callable[[], Any]) -> tuple[float, Any, float]:
    """Run ``fn`` in a forked child: (seconds, result, peak extra memory in MiB)."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(fn, child))
    proc.start()
    child.close()
    elapsed, result, peak = pickle.loads(parent.recv_bytes())
    proc.join()
    return elapsed, result, peak / 1024


def difference(a: Any, b: Any) -> str:
    """Largest absolute difference of two ``{node: value}`` maps, or whether two sets are equal."""
    if isinstance(a, dict) and isinstance(b, dict):
        return f"{max((abs(a[v] - b[v]) for v in a), default=0.0):.1e}"
    return "equal" if a == b else "DIFFER"


def _nx_brokers(G: nx.Graph) -> tuple[set[Hashable], set[frozenset[Hashable]]]:
    return set(nx.articulation_points(G)), {frozenset(e) for e in nx.bridges(G)}


def _gk_brokers(G: nx.Graph) -> tuple[set[Hashable], set[frozenset[Hashable]]]:
    return metrics.articulation_points(G), {frozenset(e) for e in metrics.bridges(G)}


def _partition(labels: dict[Hashable, int]) -> set[frozenset[Hashable]]:
    groups: dict[int, set[Hashable]] = {}
    for node, label in labels.items():
        groups.setdefault(label, set()).add(node)
    return {frozenset(g) for g in groups.values()}


Row = tuple[str, Callable[[], Any], Callable[[], Any] | None, str]


def rows_for(H: nx.Graph, *, exact: bool, k: int, nx_k: int) -> list[Row]:
    """(metric, graphkit call, networkx call or None, note) for one graph."""
    seed = 0
    if exact:
        bet: Row = ("betweenness", lambda: metrics.betweenness(H), lambda: nx.betweenness_centrality(H), "exact")
        clo: Row = ("closeness", lambda: metrics.closeness(H), lambda: nx.closeness_centrality(H), "exact")
        path_rows: list[Row] = [bet, clo]
    else:
        path_rows = [
            (
                f"betweenness k={nx_k}",
                lambda: metrics.betweenness(H, k=nx_k, seed=seed),
                lambda: nx.betweenness_centrality(H, k=nx_k, seed=seed),
                "same sampled sources",
            ),
            (f"betweenness k={k}", lambda: metrics.betweenness(H, k=k, seed=seed), None, "graphkit only"),
            (
                f"closeness k={k}",
                lambda: metrics.closeness(H, k=k, seed=seed),
                None,
                "graphkit only (networkx: exact only, hours)",
            ),
        ]
    return [
        *path_rows,
        ("degree", lambda: metrics.degree(H), lambda: nx.degree_centrality(H), "exact"),
        (
            "eigenvector",
            lambda: metrics.eigenvector(H),
            lambda: nx.eigenvector_centrality(H, max_iter=1000, weight="weight"),
            "tol 1e-6",
        ),
        ("pagerank", lambda: metrics.pagerank(H), lambda: nx.pagerank(H), "tol 1e-6"),
        (
            "communities",
            lambda: _partition(metrics.communities(H)),
            lambda: {frozenset(c) for c in nx.community.louvain_communities(H, weight="weight", seed=seed)},
            "same seed",
        ),
        ("k-core", lambda: metrics.k_core(H), lambda: nx.core_number(H), "exact"),
        ("brokers", lambda: _gk_brokers(H), lambda: _nx_brokers(H), "cut vertices + bridges"),
        ("metrics_frame", lambda: metrics.metrics_frame(H, sample_above=10**9 if exact else 0, k=k).shape, None, "all"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated node counts (default 1000,10000)")
    parser.add_argument("--exact-max", type=int, default=metrics.SAMPLE_ABOVE, help="largest size run exactly")
    parser.add_argument("--k", type=int, default=metrics.SAMPLE_K, help="graphkit's sampled sources above it")
    parser.add_argument("--nx-k", type=int, default=64, help="sampled sources for the networkx comparison above it")
    args = parser.parse_args()
    print(f"python {platform.python_version()}, networkx {nx.__version__}, {mp.cpu_count()} cores")
    for size in (int(s) for s in args.sizes.split(",")):
        t0 = time.perf_counter()
        full = synthetic_graph(size)
        H = projection.whole_graph(full)
        build = time.perf_counter() - t0
        exact = len(H) <= args.exact_max
        print(
            f"\n== {size:,} nodes requested: whole graph {len(H):,} nodes, {H.number_of_edges():,} edges "
            f"(from {full.number_of_edges():,} relations; generated and projected in {build:.1f} s); "
            f"{'exact' if exact else 'sampled'}"
        )
        header = f"{'metric':<20} {'graphkit s':>10} {'networkx s':>10} {'ratio':>8} {'max|diff|':>9} {'gk MiB':>7} {'nx MiB':>7}  note"
        print(header)
        print("-" * len(header))
        for name, gk, nxf, note in rows_for(H, exact=exact, k=args.k, nx_k=args.nx_k):
            g_time, g_result, g_mem = measure(gk)
            if nxf is None:
                print(f"{name:<20} {g_time:>10.3f} {'—':>10} {'—':>8} {'—':>9} {g_mem:>7.1f} {'—':>7}  {note}")
                continue
            n_time, n_result, n_mem = measure(nxf)
            ratio = n_time / g_time if g_time else float("inf")
            diff = difference(g_result, n_result)
            print(
                f"{name:<20} {g_time:>10.3f} {n_time:>10.3f} {ratio:>7.1f}x {diff:>9} {g_mem:>7.1f} {n_mem:>7.1f}  {note}",
                flush=True,
            )


if __name__ == "__main__":
    main()
