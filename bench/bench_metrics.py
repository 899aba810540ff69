"""Benchmark: graphkit's metrics against networkx and the fast peers, side by side in one run.

Synthetic graphs shaped like the real model (groups, people, places, attacks; heavy-tailed
degrees: a few groups carry out most attacks, a few places host most of them) at several sizes.

Path metrics (the costly ones): exact betweenness and closeness by graphkit, networkx, and the
peers called directly on the same graph: python-igraph, networkit (all threads) and rustworkx
(all threads). Each row gives wall seconds, CPU seconds (all threads; on a shared machine wall
time also counts waiting for a core, CPU time does not), the peak extra memory (resident-set
high-water mark above the start, in a forked child so one measurement cannot inflate the next),
the largest absolute difference from networkx, and the work rate: nominal edge visits per wall
second, where one breadth-first search from every node visits every edge it reaches in both
directions (``n x 2m`` on a connected graph). The same nominal work is charged to every engine,
so the rates compare like the times do; graphkit does less actual work than that (it folds
leaves and twins, and its closeness carries 64 searches per machine word), which is why its rate
can pass ``hardware``: the rate of one plain compiled BFS scan on all cores of this machine,
measured in the same run, i.e. what the textbook algorithm can do here at best.

Peers convert the graph before their clock starts; graphkit's time includes its own conversion
from networkx (that is what a caller pays). graphkit's compiled kernels are loaded from numba's
disk cache and warmed on a tiny graph before the clock starts; the compile cost (once per
install) and the cache load (once per process) are measured and printed in the header.

Above ``--nx-max`` nodes networkx is skipped (hours), and above ``--peers-max`` the peers; the
exact betweenness then comes from graphkit alone (checked against networkx at the smaller sizes),
and the sampled betweenness (``--k`` sources, graphkit's default above 20k nodes) is compared with
it: largest and mean absolute error, and how many of the exact top 20 it also ranks top 20.

Other metrics (degree, eigenvector, PageRank, Louvain, k-core, brokers) are timed against
networkx only.

Peers are benchmark-only extras (``pip install -e '.[bench]'``); a peer that is not installed is
reported and skipped. A new peer is one more :class:`Peer` in :func:`peers` (e.g. Neo4j GDS).

Run::

    .venv/bin/python bench/bench_metrics.py                        # 1k and 10k
    .venv/bin/python bench/bench_metrics.py --sizes 100000 --other no
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing as mp
import os
import pickle
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
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


def _rss_kib(field_name: str) -> int:
    """A field of /proc/self/status (VmRSS, VmHWM) in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1])
    return 0


@dataclass
class Measured:
    """One timed call: wall and CPU seconds, peak extra MiB, and what it returned."""

    wall: float
    cpu: float
    mib: float
    result: Any


def _child(setup: Callable[[], Any], run: Callable[[Any], Any], conn: Any) -> None:
    prepared = setup()
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # reset the peak RSS of this process
    start = _rss_kib("VmRSS")
    c0, t0 = time.process_time(), time.perf_counter()
    result = run(prepared)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    conn.send_bytes(pickle.dumps(Measured(elapsed, cpu, (_rss_kib("VmHWM") - start) / 1024, result)))
    conn.close()


def measure(run: Callable[[Any], Any], setup: Callable[[], Any] = lambda: None) -> Measured:
    """``run(setup())`` in a forked child, timing only ``run``."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(setup, run, child))
    proc.start()
    child.close()
    measured: Measured = pickle.loads(parent.recv_bytes())
    proc.join()
    return measured


def difference(a: Any, b: Any) -> str:
    """Largest absolute difference of two ``{node: value}`` maps, or whether two sets are equal."""
    if isinstance(a, dict) and isinstance(b, dict):
        return f"{max((abs(a[v] - b[v]) for v in a), default=0.0):.1e}"
    return "equal" if a == b else "DIFFER"


def nominal_visits(H: nx.Graph) -> int:
    """Edge visits of one breadth-first search from every node: sum over components of size x 2 edges."""
    return sum(len(c) * 2 * H.subgraph(c).number_of_edges() for c in nx.connected_components(H))


# --------------------------------------------------------------------------------------------
# Engines: graphkit, networkx, and the peers called directly
# --------------------------------------------------------------------------------------------

Values = dict[Hashable, float]


@dataclass
class Peer:
    """Another engine, called directly: convert once (untimed), then one call per metric.

    ``convert(H)`` returns whatever the engine's calls take; each function of ``metrics`` maps it
    to ``{node: value}`` on networkx's scale (normalised betweenness, Wasserman-Faust closeness).
    ``version()`` raises ImportError when the engine is not installed.
    """

    name: str
    version: Callable[[], str]
    convert: Callable[[nx.Graph], Any]
    metrics: dict[str, Callable[[Any], Values]] = field(default_factory=dict)


def _indexed(H: nx.Graph) -> tuple[list[Hashable], list[tuple[int, int]]]:
    nodes = list(H)
    index = {v: i for i, v in enumerate(nodes)}
    return nodes, [(index[u], index[v]) for u, v in H.edges() if u != v]


def _component_sizes(nodes: list[Hashable], H: nx.Graph) -> np.ndarray:
    size = {v: len(c) for c in nx.connected_components(H) for v in c}
    return np.array([size[v] for v in nodes], dtype=float)


def _igraph_peer() -> Peer:
    def version() -> str:
        import igraph

        return str(igraph.__version__)

    def convert(H: nx.Graph) -> Any:
        import igraph

        nodes, edges = _indexed(H)
        return nodes, igraph.Graph(n=len(nodes), edges=edges), _component_sizes(nodes, H)

    def betweenness(c: Any) -> Values:
        nodes, g, _ = c
        n = len(nodes)
        raw = np.array(g.betweenness(directed=False))  # each unordered pair once
        return dict(zip(nodes, (raw * 2 / ((n - 1) * (n - 2))).tolist(), strict=True))

    def closeness(c: Any) -> Values:
        nodes, g, size = c
        value = np.nan_to_num(np.array(g.closeness(mode="all", normalized=True)))  # over reachable nodes
        return dict(zip(nodes, (value * (size - 1) / (len(nodes) - 1)).tolist(), strict=True))

    return Peer("igraph", version, convert, {"betweenness": betweenness, "closeness": closeness})


def _networkit_peer() -> Peer:
    def version() -> str:
        import networkit

        return f"{networkit.__version__}, {networkit.getMaxNumberOfThreads()} threads"

    def convert(H: nx.Graph) -> Any:
        import networkit

        nodes, edges = _indexed(H)
        K = networkit.Graph(len(nodes))
        for u, v in edges:
            K.addEdge(u, v)
        return nodes, K

    def betweenness(c: Any) -> Values:
        import networkit

        nodes, K = c
        return dict(zip(nodes, networkit.centrality.Betweenness(K, normalized=True).run().scores(), strict=True))

    def closeness(c: Any) -> Values:
        import networkit

        nodes, K = c
        variant = networkit.centrality.ClosenessVariant.Generalized  # Wasserman-Faust, as networkx
        return dict(zip(nodes, networkit.centrality.Closeness(K, True, variant).run().scores(), strict=True))

    return Peer("networkit", version, convert, {"betweenness": betweenness, "closeness": closeness})


def _rustworkx_peer() -> Peer:
    def version() -> str:
        import rustworkx

        return str(rustworkx.__version__)

    def convert(H: nx.Graph) -> Any:
        import rustworkx

        nodes, edges = _indexed(H)
        R = rustworkx.PyGraph(multigraph=False)
        R.add_nodes_from(range(len(nodes)))
        R.add_edges_from_no_data(edges)
        return nodes, R

    def betweenness(c: Any) -> Values:
        import rustworkx

        nodes, R = c
        raw = rustworkx.betweenness_centrality(R, normalized=True)
        return {nodes[i]: float(v) for i, v in raw.items()}

    def closeness(c: Any) -> Values:
        import rustworkx

        nodes, R = c
        return {nodes[i]: float(v) for i, v in rustworkx.closeness_centrality(R, wf_improved=True).items()}

    return Peer("rustworkx", version, convert, {"betweenness": betweenness, "closeness": closeness})


def peers() -> list[Peer]:
    """Every peer the bench knows, in column order. Add one here (e.g. Neo4j GDS) to give it a column."""
    return [_igraph_peer(), _networkit_peer(), _rustworkx_peer()]


def _warm() -> None:
    """Load graphkit's compiled kernels (from numba's cache) and start its threads."""
    tiny = nx.krackhardt_kite_graph()
    metrics.betweenness(tiny)
    metrics.betweenness(tiny, k=3)
    metrics.closeness(tiny)


GRAPHKIT: dict[str, Callable[[nx.Graph], Values]] = {
    "betweenness": lambda H: metrics.betweenness(H),
    "closeness": lambda H: metrics.closeness(H),
}
NETWORKX: dict[str, Callable[[nx.Graph], Values]] = {
    "betweenness": lambda H: nx.betweenness_centrality(H),
    "closeness": lambda H: nx.closeness_centrality(H),
}


def compile_costs() -> tuple[str, str]:
    """Wall (CPU) seconds to compile graphkit's kernels into an empty cache, and to load them from a warm one.

    Each in a fresh interpreter, so the figures are what a new install and a new process pay.
    """
    code = (
        "import time; t0 = time.perf_counter(); import networkx as nx; from graphkit import metrics; "
        "G = nx.krackhardt_kite_graph(); metrics.betweenness(G); metrics.betweenness(G, k=3); "
        "metrics.closeness(G); print(f'{time.perf_counter() - t0:.2f} s ({time.process_time():.2f} s CPU)')"
    )

    def run(env: dict[str, str]) -> str:
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        return out.stdout.strip()

    with tempfile.TemporaryDirectory() as cache:
        cold = run({**os.environ, "NUMBA_CACHE_DIR": cache})
    warm = run(dict(os.environ))
    return cold, warm


def _bfs_kernel() -> Callable[..., int]:
    import numba

    @numba.njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
    def bfs(indptr: np.ndarray, indices: np.ndarray, sources: np.ndarray) -> int:
        n = indptr.shape[0] - 1
        scanned = 0
        dist = np.full(n, -1, dtype=np.int32)
        order = np.empty(n, dtype=np.int32)
        for s in sources:
            dist[s] = 0
            order[0] = s
            head, tail = 0, 1
            while head < tail:
                v = order[head]
                head += 1
                scanned += indptr[v + 1] - indptr[v]
                for e in range(indptr[v], indptr[v + 1]):
                    w = indices[e]
                    if dist[w] < 0:
                        dist[w] = dist[v] + 1
                        order[tail] = w
                        tail += 1
            for i in range(tail):
                dist[order[i]] = -1
        return scanned

    return bfs  # type: ignore[no-any-return]


def hardware_row(H: nx.Graph) -> None:
    """A plain compiled BFS from up to 2,000 nodes on all cores, no path counting: the textbook floor.

    Exact Brandes does this scan plus more per source, so its nominal rate cannot pass this one
    without doing less work than the textbook (as graphkit's folding and bitsets do).
    """
    from graphkit import _paths

    P = metrics._Prepared(H, weight=None)
    _, _, indptr, indices = metrics._relabel(*P.csr)
    kernel = _bfs_kernel()

    def setup() -> None:
        tiny = metrics._Prepared(nx.path_graph(3), weight=None).csr
        kernel(*tiny, np.arange(3))

    n = len(indptr) - 1
    sources = np.unique(np.linspace(0, n - 1, min(n, 2000)).astype(np.int64))

    def run(_: None) -> int:
        return sum(_paths.spread(kernel, sources, indptr, indices))

    m = measure(run, setup=setup)
    note = f"plain BFS from {len(sources):,} of the nodes, nothing counted: what this machine allows"
    _row("hardware (plain BFS)", "numba", m, "—", int(m.result), note)


# --------------------------------------------------------------------------------------------
# Rows
# --------------------------------------------------------------------------------------------


def _row(metric: str, engine: str, m: Measured | None, diff: str, visits: int, note: str = "") -> None:
    if m is None:
        print(f"{metric:<22} {engine:<10} {'—':>8} {'—':>8} {'—':>7} {'—':>9} {'—':>9}  {note}", flush=True)
        return
    rate = f"{visits / m.wall / 1e6:.0f}" if visits and m.wall else "—"
    print(
        f"{metric:<22} {engine:<10} {m.wall:>8.3f} {m.cpu:>8.3f} {m.mib:>7.1f} {diff:>9} {rate:>9}  {note}", flush=True
    )


HEADER = f"{'metric':<22} {'engine':<10} {'wall s':>8} {'cpu s':>8} {'MiB':>7} {'max|diff|':>9} {'Mvisit/s':>9}  note"


def path_rows(
    H: nx.Graph, engines: list[Peer], *, with_nx: bool, with_peers: bool, with_betweenness: bool = True
) -> dict[str, Values]:
    """Exact betweenness and closeness by every engine; returns graphkit's values."""
    visits = nominal_visits(H)
    ours: dict[str, Values] = {}
    for metric in ("betweenness", "closeness"):
        if metric == "betweenness" and not with_betweenness:
            _row(metric, "graphkit", None, "—", visits, "exact skipped at this size (--betweenness-max)")
            continue
        gk = measure(GRAPHKIT[metric], setup=lambda: (_warm(), H)[1])
        ours[metric] = gk.result
        reference = measure(NETWORKX[metric], setup=lambda: H) if with_nx else None
        base = reference.result if reference else gk.result
        against = "" if reference else " (max|diff| from graphkit: networkx skipped)"
        _row(metric, "graphkit", gk, difference(gk.result, base) if reference else "—", visits, "exact")
        _row(
            metric, "networkx", reference, "0", visits, "" if reference else f"skipped at this size (--nx-max){against}"
        )
        wall, cpu = {}, {}
        for peer in engines:
            if not with_peers or metric not in peer.metrics:
                _row(metric, peer.name, None, "—", visits, "skipped at this size (--peers-max)")
                continue
            m = measure(peer.metrics[metric], setup=lambda peer=peer: peer.convert(H))
            wall[peer.name], cpu[peer.name] = m.wall, m.cpu
            _row(metric, peer.name, m, difference(m.result, base), visits)
        if wall:
            fastest = min(wall, key=lambda k: wall[k])
            print(
                f"  -> graphkit {wall[fastest] / gk.wall:.1f}x faster than the fastest peer ({fastest}) in wall time, "
                f"{cpu[fastest] / gk.cpu:.1f}x in CPU time",
                flush=True,
            )
    return ours


def sampled_rows(H: nx.Graph, exact: Values | None, k: int) -> None:
    """Sampled betweenness from ``k`` sources against the exact values (when there are any)."""
    m = measure(lambda H: metrics.betweenness(H, k=k, seed=0), setup=lambda: (_warm(), H)[1])
    est = m.result
    if exact is None:
        _row(f"betweenness k={k}", "graphkit", m, "—", 0, "no exact values at this size to compare with")
        return
    errors = np.array([abs(est[v] - exact[v]) for v in H])
    top = set(sorted(exact, key=lambda v: -exact[v])[:20])
    top_est = set(sorted(est, key=lambda v: -est[v])[:20])
    note = (
        f"vs exact: max|err| {errors.max():.1e}, mean|err| {errors.mean():.1e}, "
        f"largest exact value {max(exact.values()):.1e}; top-20 shared {len(top & top_est)}/20"
    )
    _row(f"betweenness k={k}", "graphkit", m, "—", 0, note)


def other_rows(H: nx.Graph, k: int, exact: bool) -> None:
    """The other metrics, graphkit against networkx."""
    seed = 0

    def partition(labels: dict[Hashable, int]) -> set[frozenset[Hashable]]:
        groups: dict[int, set[Hashable]] = {}
        for node, label in labels.items():
            groups.setdefault(label, set()).add(node)
        return {frozenset(g) for g in groups.values()}

    rows: list[tuple[str, Callable[[nx.Graph], Any], Callable[[nx.Graph], Any] | None]] = [
        ("degree", metrics.degree, nx.degree_centrality),
        ("eigenvector", metrics.eigenvector, lambda H: nx.eigenvector_centrality(H, max_iter=1000, weight="weight")),
        ("pagerank", metrics.pagerank, nx.pagerank),
        (
            "communities",
            lambda H: partition(metrics.communities(H)),
            lambda H: {frozenset(c) for c in nx.community.louvain_communities(H, weight="weight", seed=seed)},
        ),
        ("k-core", metrics.k_core, nx.core_number),
        (
            "brokers",
            lambda H: (metrics.articulation_points(H), {frozenset(e) for e in metrics.bridges(H)}),
            lambda H: (set(nx.articulation_points(H)), {frozenset(e) for e in nx.bridges(H)}),
        ),
        (
            "metrics_frame",
            lambda H: metrics.metrics_frame(H, sample_above=10**9 if exact else 0, k=k).shape,
            None,
        ),
    ]
    for name, gkf, nxf in rows:
        gk = measure(gkf, setup=lambda: (_warm(), H)[1])
        ref = measure(nxf, setup=lambda: H) if nxf else None
        _row(name, "graphkit", gk, difference(gk.result, ref.result) if ref else "—", 0)
        _row(name, "networkx", ref, "0" if ref else "—", 0, "" if ref else "(graphkit only: every metric)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated node counts (default 1000,10000)")
    parser.add_argument("--nx-max", type=int, default=10_000, help="largest size networkx runs at")
    parser.add_argument("--peers-max", type=int, default=10_000, help="largest size the peers run at")
    parser.add_argument("--k", type=int, default=metrics.SAMPLE_K, help="sampled sources, compared with exact")
    parser.add_argument("--betweenness-max", type=int, default=10**9, help="largest size run exact betweenness at")
    parser.add_argument("--sampled-min", type=int, default=20_001, help="smallest size to time sampling at")
    parser.add_argument("--compile-cost", choices=("yes", "no"), default="yes", help="measure the kernels' compile")
    parser.add_argument("--other", choices=("yes", "no"), default="yes", help="also time the other metrics")
    args = parser.parse_args()
    import numba

    from graphkit import _paths

    print(
        f"python {platform.python_version()}, networkx {nx.__version__}, numba {numba.__version__} "
        f"(graphkit: {_paths.workers()} threads), "
        f"{mp.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
    )
    engines = []
    for peer in peers():
        try:
            print(f"peer {peer.name} {peer.version()}")
            engines.append(peer)
        except ImportError as exc:
            print(f"peer {peer.name} not installed ({exc}): pip install -e '.[bench]'")
    cold, warm = compile_costs() if args.compile_cost == "yes" else ("not measured", "not measured")
    print(
        f"graphkit kernels: compile into an empty cache {cold} (once per install), "
        f"load from the cache {warm} (once per process; both include importing graphkit.metrics)"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        t0 = time.perf_counter()
        full = synthetic_graph(size)
        H = projection.whole_graph(full)
        build = time.perf_counter() - t0
        print(
            f"\n== {size:,} nodes requested: whole graph {len(H):,} nodes, {H.number_of_edges():,} edges "
            f"(from {full.number_of_edges():,} relations; generated and projected in {build:.1f} s); "
            f"nominal work {nominal_visits(H):.2e} edge visits; load average {os.getloadavg()[0]:.1f}"
        )
        print(HEADER)
        print("-" * len(HEADER))
        hardware_row(H)
        ours = path_rows(
            H,
            engines,
            with_nx=len(H) <= args.nx_max,
            with_peers=len(H) <= args.peers_max,
            with_betweenness=len(H) <= args.betweenness_max,
        )
        if len(H) >= args.sampled_min:
            sampled_rows(H, ours.get("betweenness"), args.k)
        if args.other == "yes":
            other_rows(H, args.k, exact=len(H) <= metrics.SAMPLE_ABOVE)


if __name__ == "__main__":
    main()
