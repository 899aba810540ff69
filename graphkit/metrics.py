"""Network metrics in the networkx style (graph in, ``{node: value}`` out), fast, as DataFrames.

Every function takes a simple :class:`networkx.Graph` or :class:`networkx.DiGraph` first, usually a
projection from :mod:`graphkit.projection`, and returns what the networkx function of the same
idea returns (betweenness and closeness to within 1e-9, the iterative ones to their tolerance).
:func:`metrics_frame` gathers them all in one :class:`pandas.DataFrame`.

Why not plain networkx: its betweenness and closeness run in Python and take minutes at 10k
nodes. Here, on a graph converted once to CSR arrays, both run in compiled kernels
(:mod:`graphkit._paths`, numba, one thread per core). Exact betweenness is Brandes' algorithm on
a graph first folded without changing any value (leaves into their neighbour, twins into one
search: :func:`_fold`); closeness runs breadth-first searches from 64 roots at once as bitwise
operations. Both are several times faster than igraph, networkit and rustworkx on the same graph
(bench/bench_metrics.py). What each metric means, and its conventions:

- ``degree``: :func:`networkx.degree_centrality` (in + out for directed graphs);
  ``strength``: the sum of edge weights (weighted degree).
- ``betweenness``: :func:`networkx.betweenness_centrality`, normalised, hop counts (weights are
  tie strengths, not distances, so paths count hops). Exact, or sampled from ``k`` source nodes
  chosen as networkx chooses them for the same ``seed`` (the result then equals
  ``networkx.betweenness_centrality(G, k=k, seed=seed)``).
- ``closeness``: :func:`networkx.closeness_centrality` (``wf_improved=True``: scaled by the share
  of nodes that can reach the node; incoming distances on directed graphs), hop counts. Sampled:
  distances from ``k`` pivots (Eppstein and Wang's estimator, with the reach share estimated from
  the same pivots); with ``k = n`` it is exact.
- ``eigenvector``: :func:`networkx.eigenvector_centrality` (power iteration on A + I from the
  all-ones vector, weighted), vectorised with scipy.
- ``pagerank``: :func:`networkx.pagerank`, weighted.
- ``community``: Louvain (:func:`networkx.community.louvain_communities`, weighted, seeded);
  communities are numbered from the largest.
- ``core``: the k-core number; ``cut_vertex`` (an articulation point: removing it disconnects
  the network) and ``bridges`` (how many bridge edges touch the node): the brokers. These three
  use the undirected view of a directed graph, where they are defined.

Self-loops (which the projections never make: only a graph built by hand has them) count in
``degree`` and ``strength`` (a loop counts twice, as in networkx), ``pagerank`` and the Louvain
``community``; every other metric leaves them out. Multigraphs are refused: project first
(:mod:`graphkit.projection`).
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Hashable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from graphkit import _lazy

if TYPE_CHECKING:
    import networkx as nx
    import numpy as np
    import pandas as pd
    import rustworkx as rx
    import scipy.sparse as sp

    from graphkit import _paths
else:  # imported when first used, so that the CLI can read the constants below and start fast
    nx = _lazy.module("networkx")
    np = _lazy.module("numpy")
    pd = _lazy.module("pandas")
    rx = _lazy.module("rustworkx")
    sp = _lazy.module("scipy.sparse")
    _paths = _lazy.module("graphkit._paths")

from graphkit.errors import GraphTypeError, InputError

#: Above this many nodes, betweenness and closeness are sampled rather than exact. Exact
#: betweenness costs about n x edges (four times as much for twice the nodes): a few CPU seconds
#: at 10k nodes (bench/bench_metrics.py), minutes at 100k; a sample is the affordable choice there.
SAMPLE_ABOVE = 20_000
#: How many source nodes (pivots) the sampled betweenness and closeness use (about 10 s of
#: betweenness at 100k nodes; the error of a sampled value shrinks as 1 / sqrt(k)).
SAMPLE_K = 512

#: The columns of :func:`metrics_frame`, in order.
COLUMNS: tuple[str, ...] = (
    "name",
    "kind",
    "degree",
    "strength",
    "betweenness",
    "closeness",
    "eigenvector",
    "pagerank",
    "community",
    "core",
    "cut_vertex",
    "bridges",
)

#: Words of 64 roots each that one breadth-first sweep of closeness carries (bench/bench_metrics.py).
REACH_WORDS = 1

FloatMap = dict[Hashable, float]


class _Prepared:
    """A graph converted once to index arrays, rustworkx and CSR forms, shared by the metrics."""

    def __init__(self, G: nx.Graph, weight: str | None = "weight") -> None:
        if G.is_multigraph():
            raise GraphTypeError("metrics need a simple graph: project the MultiDiGraph first (graphkit.projection)")
        self.G = G
        self.directed: bool = G.is_directed()
        self.nodes: list[Hashable] = list(G)
        self.n = len(self.nodes)
        index = {node: i for i, node in enumerate(self.nodes)}
        triples = [
            (index[u], index[v], float(d.get(weight, 1.0)) if weight else 1.0)
            for u, v, d in G.edges(data=True)
            if u != v
        ]
        arr = np.array(triples, dtype=float).reshape(-1, 3)
        self.src = arr[:, 0].astype(np.int64)
        self.dst = arr[:, 1].astype(np.int64)
        self.weight = arr[:, 2]

    def as_dict(self, values: Sequence[float] | np.ndarray) -> FloatMap:
        """Map an array indexed like ``self.nodes`` back to ``{node: float}``."""
        return {node: float(v) for node, v in zip(self.nodes, values, strict=True)}

    @cached_property
    def rx_graph(self) -> rx.PyGraph | rx.PyDiGraph:
        """The same graph in rustworkx, node i being ``self.nodes[i]``."""
        R = rx.PyDiGraph(multigraph=False) if self.directed else rx.PyGraph(multigraph=False)
        R.add_nodes_from(range(self.n))
        R.add_edges_from_no_data(list(zip(self.src.tolist(), self.dst.tolist(), strict=True)))
        return R

    @cached_property
    def rx_undirected(self) -> rx.PyGraph:
        """The undirected view in rustworkx (for brokers and k-core)."""
        if isinstance(self.rx_graph, rx.PyGraph):
            return self.rx_graph
        U = rx.PyGraph(multigraph=False)
        U.add_nodes_from(range(self.n))
        U.add_edges_from_no_data(list(zip(self.src.tolist(), self.dst.tolist(), strict=True)))
        return U

    @cached_property
    def csr(self) -> tuple[np.ndarray, np.ndarray]:
        """Hop adjacency as CSR ``(indptr int64, indices int32)``: row v lists the nodes v has an edge to.

        Undirected edges are listed in both rows. The kernels of :mod:`graphkit._paths` read it.
        """
        src, dst = self.src, self.dst
        if not self.directed:
            src, dst = np.concatenate([src, dst]), np.concatenate([dst, src])
        order = np.lexsort((dst, src))
        indptr = np.zeros(self.n + 1, dtype=np.int64)
        np.cumsum(np.bincount(src, minlength=self.n), out=indptr[1:])
        return indptr, np.ascontiguousarray(dst[order], dtype=np.int32)

    @cached_property
    def adjacency(self) -> sp.csr_array:
        """Weighted adjacency ``A[i, j]`` = weight of i -> j (symmetric when undirected)."""
        src, dst, w = self.src, self.dst, self.weight
        if not self.directed:
            src, dst, w = np.concatenate([src, dst]), np.concatenate([dst, src]), np.concatenate([w, w])
        return sp.csr_array((w, (src, dst)), shape=(self.n, self.n))

    def pivots(self, k: int, seed: int) -> list[int]:
        """The ``k`` sampled source indices networkx picks for ``seed`` (``random.Random(seed).sample``)."""
        chosen = random.Random(seed).sample(self.nodes, k)
        index = {node: i for i, node in enumerate(self.nodes)}
        return [index[node] for node in chosen]


# --------------------------------------------------------------------------------------------
# Paths: betweenness and closeness
# --------------------------------------------------------------------------------------------


def _rescale_betweenness(P: _Prepared, raw: np.ndarray, sources: Sequence[int] | None, normalized: bool) -> np.ndarray:
    """networkx's rescaling (``_rescale`` with ``endpoints=False``), sampled or not."""
    N = P.n - 1
    if N < 2:
        return raw
    correction = 1 if P.directed else 2
    if sources is None:
        return raw * (1 / (N * (N - 1)) if normalized else N / (N * correction))
    k = len(sources)
    if normalized:
        scale_source = 1 / ((k - 1) * (N - 1)) if k > 1 else math.nan
        scale_other = 1 / (k * (N - 1))
    else:
        scale_source = N / ((k - 1) * correction) if k > 1 else math.nan
        scale_other = N / (k * correction)
    scale = np.full(P.n, scale_other)
    scale[list(sources)] = scale_source
    return np.asarray(raw * scale, dtype=float)


def _relabel(indptr: np.ndarray, indices: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Renumber a CSR graph so that neighbours get near numbers: ``(order, inverse, indptr, indices)``.

    Reverse Cuthill-McKee (scipy) on the undirected view; node ``order[i]`` becomes ``i`` and
    ``inverse[v]`` is ``v``'s new number. Searches then touch memory that is close together:
    about 20 % less time on the 10k-node bench graph.
    """
    from scipy.sparse.csgraph import reverse_cuthill_mckee

    n = len(indptr) - 1
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, indptr, indices
    A = sp.csr_matrix((np.ones(len(indices), dtype=np.int8), indices, indptr), shape=(n, n))
    order = reverse_cuthill_mckee((A + A.T).tocsr(), symmetric_mode=True).astype(np.int64)
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = np.arange(n)
    B = A[order][:, order].tocsr()
    B.sort_indices()
    return order, inverse, B.indptr.astype(np.int64), B.indices.astype(np.int32)


def _brandes(
    indptr: np.ndarray, indices: np.ndarray, sources: np.ndarray, scale: np.ndarray, weight: np.ndarray
) -> np.ndarray:
    """:func:`graphkit._paths.brandes` on the relabelled graph (:func:`_relabel`), in the caller's numbering."""
    order, inverse, ptr, idx = _relabel(indptr, indices)
    per_node = np.zeros(len(weight))
    per_node[sources] = scale
    parts = _paths.spread(_paths.brandes, inverse[sources], ptr, idx, per_node[order], weight[order])
    return np.asarray(np.sum(parts, axis=0)[inverse], dtype=float)


class _Folded(NamedTuple):
    """An undirected graph reduced for exact betweenness without changing any result (:func:`_fold`)."""

    indptr: np.ndarray  # CSR of the kept nodes, renumbered 0..len(kept)-1
    indices: np.ndarray
    kept: np.ndarray  # original index of each kept node
    weight: np.ndarray  # per kept node: 1 + the leaves folded into it
    sources: np.ndarray  # one kept node per class of twins: the searches to run
    scale: np.ndarray  # per source: twins in its class x its weight
    extra: np.ndarray  # per original node: the paths through it that start or end at its leaves


def _fold(P: _Prepared) -> _Folded:
    """Shrink the exact betweenness of an undirected graph to fewer, cheaper searches.

    Two exact reductions (Sariyüce et al., "Shattering and compressing networks for
    betweenness centrality", SDM 2013; Baglioni et al., 2012), both common in this model (an
    attack tied to one group and one place, a person tied only to a group):

    - Leaves: a node of degree 1 whose neighbour ``p`` has more ties is removed and counted in
      ``p``'s weight. Its betweenness is 0; a search from it is a search from ``p`` shifted one
      hop (so ``p``'s search counts ``weight[p]`` times); as a target it is reached through
      ``p`` (the weight enters Brandes' sums); the paths it starts or ends that pass through
      ``p`` are counted directly: ``L (c - 2) + L (c - 1 - L)`` ordered pairs for ``L`` leaves
      in a component of ``c`` nodes.
    - Twins: kept nodes with the same neighbours and the same weight (not adjacent to each
      other) have identical searches, except that each is a target of the other, where neither
      is between; one search counts for the whole class.
    """
    from scipy.sparse.csgraph import connected_components

    indptr, indices = P.csr
    n = P.n
    deg = np.diff(indptr)
    first = indices[np.minimum(indptr[:-1], max(len(indices) - 1, 0))] if len(indices) else np.zeros(n, np.int32)
    removable = (deg == 1) & (deg[first] > 1)
    leaves = np.bincount(first[removable], minlength=n)
    _, component = connected_components(P.adjacency, directed=False)
    size = np.bincount(component)[component]
    extra = (leaves * (size - 2) + leaves * (size - 1 - leaves)).astype(float)
    kept = np.flatnonzero(~removable)
    renumber = np.full(n, -1, dtype=np.int64)
    renumber[kept] = np.arange(len(kept))
    row_of = np.repeat(np.arange(n), deg)
    keep_edge = ~removable[row_of] & ~removable[indices]
    sub_rows, sub_cols = renumber[row_of[keep_edge]], renumber[indices[keep_edge]].astype(np.int32)
    sub_ptr = np.zeros(len(kept) + 1, dtype=np.int64)
    np.cumsum(np.bincount(sub_rows, minlength=len(kept)), out=sub_ptr[1:])
    weight = (1 + leaves[kept]).astype(float)
    classes: dict[tuple[float, bytes], int] = {}
    reps: list[int] = []
    twins: list[int] = []
    for i in range(len(kept)):
        key = (float(weight[i]), sub_cols[sub_ptr[i] : sub_ptr[i + 1]].tobytes())
        c = classes.setdefault(key, len(reps))
        if c == len(reps):
            reps.append(i)
            twins.append(0)
        twins[c] += 1
    sources = np.asarray(reps, dtype=np.int64)
    scale = np.asarray(twins, dtype=float) * weight[sources]
    return _Folded(sub_ptr, sub_cols, kept, weight, sources, scale, extra)


def _raw_betweenness(P: _Prepared, sources: Sequence[int] | None) -> np.ndarray:
    """networkx's raw betweenness sums (before rescaling), from ``sources`` or from every node."""
    indptr, indices = P.csr
    if sources is not None or P.directed:
        chosen = np.asarray(range(P.n) if sources is None else sources, dtype=np.int64)
        return _brandes(indptr, indices, chosen, np.ones(len(chosen)), np.ones(P.n))
    F = _fold(P)
    raw = F.extra.copy()
    if len(F.sources):
        raw[F.kept] += _brandes(F.indptr, F.indices, F.sources, F.scale, F.weight)
    return raw


def _betweenness(P: _Prepared, k: int | None, seed: int, normalized: bool = True) -> np.ndarray:
    """Betweenness as an array: from every source (exact), or from ``k`` networkx-chosen sources."""
    sources = P.pivots(k, seed) if k is not None and k < P.n else None
    return _rescale_betweenness(P, _raw_betweenness(P, sources), sources, normalized)


def _closeness_from(reached: np.ndarray, dist_sum: np.ndarray, pool: np.ndarray, wf_improved: bool) -> np.ndarray:
    """Closeness from, per node, how many of ``pool`` other nodes reach it and their distance sum."""
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(dist_sum > 0, reached / dist_sum, 0.0)
        if wf_improved:
            value = np.where(pool > 0, value * reached / pool, 0.0)
    return np.asarray(value, dtype=float)


def _closeness(P: _Prepared, k: int | None, seed: int, wf_improved: bool = True) -> np.ndarray:
    """Closeness as an array: exact (every node a root), or estimated from ``k`` pivots."""
    if k is not None and k < P.n:
        roots = np.array(P.pivots(k, seed), dtype=np.int64)
        pool = np.full(P.n, float(k))
        pool[roots] -= 1  # a pivot does not count itself
    else:
        roots = np.arange(P.n, dtype=np.int64)
        pool = np.full(P.n, float(P.n - 1))
    _, inverse, indptr, indices = _relabel(*P.csr)
    batches = np.arange(-(-len(roots) // (64 * REACH_WORDS)), dtype=np.int64)
    parts = _paths.spread(_paths.reach, batches, indptr, indices, inverse[roots], REACH_WORDS)
    reached = np.sum([got for got, _ in parts], axis=0)[inverse]
    dist_sum = np.sum([total for _, total in parts], axis=0)[inverse]
    return _closeness_from(reached.astype(float), dist_sum.astype(float), pool, wf_improved)


def betweenness(G: nx.Graph, *, k: int | None = None, seed: int = 0, normalized: bool = True) -> FloatMap:
    """Betweenness centrality: the share of shortest paths between others that pass through a node.

    Equals :func:`networkx.betweenness_centrality` (``weight=None``, ``endpoints=False``) to
    within 1e-9, many times faster (compiled Brandes on the folded graph, see :func:`_fold`).

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        A simple graph; paths count hops.
    k : int or None
        ``None`` (or ``k >= n``) for the exact value; otherwise the number of source nodes to
        sample, chosen as networkx chooses them, so that the result equals
        ``networkx.betweenness_centrality(G, k=k, seed=seed)``.
    seed : int
        Seed of the sample.
    normalized : bool
        Divide by the number of ordered pairs of other nodes, as networkx does.

    Returns
    -------
    dict
        ``{node: betweenness}``.

    Examples
    --------
    >>> G = nx.path_graph(4)
    >>> betweenness(G)
    {0: 0.0, 1: 0.6666666666666666, 2: 0.6666666666666666, 3: 0.0}
    >>> H = nx.krackhardt_kite_graph()
    >>> b = betweenness(H, k=5, seed=1)
    >>> exp = nx.betweenness_centrality(H, k=5, seed=1)
    >>> max(abs(b[v] - exp[v]) for v in H) < 1e-12
    True
    """
    P = _Prepared(G, weight=None)
    return P.as_dict(_betweenness(P, k, seed, normalized))


def closeness(G: nx.Graph, *, k: int | None = None, seed: int = 0, wf_improved: bool = True) -> FloatMap:
    """Closeness centrality: how near a node is to all others (incoming distances if directed).

    Equals :func:`networkx.closeness_centrality` (unweighted) to within 1e-9 when exact.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        A simple graph; paths count hops.
    k : int or None
        ``None`` (or ``k >= n``) for the exact value; otherwise estimate from the distances of
        ``k`` sampled pivots (the same sample as :func:`betweenness` for the same ``seed``).
    seed : int
        Seed of the sample.
    wf_improved : bool
        Scale by the share of nodes that reach the node (Wasserman and Faust), as networkx does
        by default, so that nodes in small components do not look central.

    Returns
    -------
    dict
        ``{node: closeness}``.

    Examples
    --------
    >>> closeness(nx.path_graph(3))
    {0: 0.6666666666666666, 1: 1.0, 2: 0.6666666666666666}
    >>> G = nx.Graph([(0, 1), (2, 3), (3, 4)])
    >>> c = closeness(G)
    >>> exp = nx.closeness_centrality(G)
    >>> max(abs(c[v] - exp[v]) for v in G) < 1e-12
    True
    """
    P = _Prepared(G, weight=None)
    return P.as_dict(_closeness(P, k, seed, wf_improved))


# --------------------------------------------------------------------------------------------
# Spectral, communities, brokers, cores
# --------------------------------------------------------------------------------------------


def _eigenvector(P: _Prepared, max_iter: int, tol: float) -> np.ndarray:
    """networkx's power iteration on A + I (left eigenvector), vectorised."""
    n = P.n
    if n == 0:
        raise nx.NetworkXPointlessConcept("cannot compute centrality for the null graph")
    MT = P.adjacency.T.tocsr()
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = last + MT @ last
        x = x / (float(np.linalg.norm(x)) or 1.0)
        if float(np.abs(x - last).sum()) < n * tol:
            return np.asarray(x, dtype=float)
    raise nx.PowerIterationFailedConvergence(max_iter)


def degree(G: nx.Graph) -> FloatMap:
    """Degree centrality: the share of other nodes a node is linked to (in + out if directed).

    The same as :func:`networkx.degree_centrality`.

    Examples
    --------
    >>> degree(nx.star_graph(2))
    {0: 1.0, 1: 0.5, 2: 0.5}
    """
    return {node: float(v) for node, v in nx.degree_centrality(G).items()}


def strength(G: nx.Graph, *, weight: str = "weight") -> FloatMap:
    """Weighted degree: the sum of the weights of a node's edges (1 per edge when unweighted).

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", weight=0.75)
    >>> G.add_edge("a", "c", weight=1.0)
    >>> strength(G)
    {'a': 1.75, 'b': 0.75, 'c': 1.0}
    """
    return {node: float(v) for node, v in G.degree(weight=weight)}


def eigenvector(G: nx.Graph, *, weight: str | None = "weight", max_iter: int = 1000, tol: float = 1e-6) -> FloatMap:
    """Eigenvector centrality: a node is central when its neighbours are (in-edges if directed).

    The same iteration as :func:`networkx.eigenvector_centrality` (from the all-ones vector on
    A + I, stopping when the L1 change is below ``n * tol``), done with sparse matrices, so the
    values agree with networkx's to within its tolerance and disconnected graphs work as there.

    Raises
    ------
    networkx.PowerIterationFailedConvergence
        If it has not converged after ``max_iter`` iterations.

    Examples
    --------
    >>> G = nx.krackhardt_kite_graph()
    >>> e = eigenvector(G, tol=1e-10)
    >>> exp = nx.eigenvector_centrality(G, tol=1e-10)
    >>> max(abs(e[v] - exp[v]) for v in G) < 1e-8
    True
    """
    P = _Prepared(G, weight=weight)
    return P.as_dict(_eigenvector(P, max_iter, tol))


def pagerank(
    G: nx.Graph, *, weight: str | None = "weight", alpha: float = 0.85, max_iter: int = 100, tol: float = 1e-6
) -> FloatMap:
    """PageRank: the share of time a random walk along (weighted) edges spends at a node.

    The same as :func:`networkx.pagerank` (which is already scipy-backed), with its parameters.

    Examples
    --------
    >>> p = pagerank(nx.star_graph(2))
    >>> round(p[0], 4), round(p[1], 4)
    (0.4865, 0.2568)
    """
    if len(G) == 0:
        return {}
    return {
        node: float(v) for node, v in nx.pagerank(G, alpha=alpha, weight=weight, max_iter=max_iter, tol=tol).items()
    }


def communities(
    G: nx.Graph, *, weight: str | None = "weight", resolution: float = 1.0, seed: int = 0
) -> dict[Hashable, int]:
    """Louvain communities, numbered 0, 1, ... from the largest (ties: by smallest node id).

    Uses :func:`networkx.community.louvain_communities` with a fixed ``seed``, so the same graph
    and seed always give the same partition.

    Examples
    --------
    >>> G = nx.barbell_graph(4, 0)  # two 4-cliques joined by one edge
    >>> communities(G)
    {0: 0, 1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 1, 7: 1}
    """
    parts = nx.community.louvain_communities(G, weight=weight, resolution=resolution, seed=seed)
    ordered = sorted(parts, key=lambda c: (-len(c), min(str(v) for v in c)))
    label = {node: i for i, part in enumerate(ordered) for node in part}
    return {node: label[node] for node in G}


def articulation_points(G: nx.Graph) -> set[Hashable]:
    """Cut vertices: nodes whose removal disconnects part of the (undirected view of the) graph.

    The same set as :func:`networkx.articulation_points`, computed in rustworkx.

    Examples
    --------
    >>> articulation_points(nx.path_graph(4))
    {1, 2}
    """
    P = _Prepared(G, weight=None)
    return {P.nodes[i] for i in rx.articulation_points(P.rx_undirected)}


def bridges(G: nx.Graph) -> set[tuple[Hashable, Hashable]]:
    """Bridges: edges whose removal disconnects part of the (undirected view of the) graph.

    Each bridge is given once, as ``(u, v)`` in the order of the graph's nodes.

    Examples
    --------
    >>> sorted(bridges(nx.barbell_graph(3, 0)))
    [(2, 3)]
    """
    P = _Prepared(G, weight=None)
    return {(P.nodes[min(i, j)], P.nodes[max(i, j)]) for i, j in _bridge_pairs(P)}


def k_core(G: nx.Graph) -> dict[Hashable, int]:
    """Core number: the largest k such that the node is in a k-core (undirected view).

    The same as :func:`networkx.core_number` on ``G.to_undirected()``, computed in rustworkx.

    Examples
    --------
    >>> G = nx.complete_graph(4)
    >>> G.add_edge(3, 4)
    >>> k_core(G)
    {0: 3, 1: 3, 2: 3, 3: 3, 4: 1}
    """
    P = _Prepared(G, weight=None)
    return _core(P)


def _core(P: _Prepared) -> dict[Hashable, int]:
    result = cast(dict[int, int], rx.core_number(P.rx_undirected)) if P.n else {}
    return {P.nodes[i]: int(result[i]) for i in range(P.n)}


def _bridge_pairs(P: _Prepared) -> set[tuple[int, int]]:
    """The bridges of the undirected view, as pairs of node indices."""
    return cast(set[tuple[int, int]], rx.bridges(P.rx_undirected)) if P.n else set()


# --------------------------------------------------------------------------------------------
# All at once
# --------------------------------------------------------------------------------------------


def path_method(n: int, *, sample_above: int = SAMPLE_ABOVE, k: int = SAMPLE_K, seed: int = 0) -> str:
    """How betweenness and closeness are computed for ``n`` nodes: ``'exact'`` or ``'sampled(k=…, seed=…)'``.

    Examples
    --------
    >>> path_method(500), path_method(50_000)
    ('exact', 'sampled(k=512, seed=0)')
    """
    return "exact" if n <= sample_above or k >= n else f"sampled(k={k}, seed={seed})"


def metrics_frame(
    G: nx.Graph,
    *,
    sample_above: int = SAMPLE_ABOVE,
    k: int = SAMPLE_K,
    seed: int = 0,
    weight: str = "weight",
) -> pd.DataFrame:
    """Every metric of every node, in one DataFrame indexed by node id.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        A projection (:mod:`graphkit.projection`); nodes should carry ``name`` and ``kind``.
    sample_above : int
        Betweenness and closeness are exact up to this many nodes, and sampled above it.
    k : int
        How many source nodes the sampled betweenness and closeness use.
    seed : int
        Seed of the sample and of the Louvain communities.
    weight : str
        The edge attribute read as tie strength by strength, eigenvector, PageRank and Louvain.

    Returns
    -------
    pandas.DataFrame
        Index ``id``; the columns of :data:`COLUMNS`. ``df.attrs`` records ``projection`` (from
        ``G.graph['projection']``), ``method`` (``'exact'`` or ``'sampled(k=…, seed=…)'``, for
        betweenness and closeness; the others are always exact), ``nodes``, ``edges`` and
        ``notes`` (e.g. a metric that could not be computed and was left empty).

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(G, "Group", "kind")
    >>> df = metrics_frame(G)
    >>> list(df.columns[:4]), df.loc["b", ["betweenness", "closeness"]].tolist()
    (['name', 'kind', 'degree', 'strength'], [1.0, 1.0])
    >>> df.attrs["method"], int(df.loc["b", "core"]), bool(df.loc["b", "cut_vertex"]), int(df.loc["b", "bridges"])
    ('exact', 1, True, 2)
    """
    P = _Prepared(G, weight=weight)
    method = path_method(P.n, sample_above=sample_above, k=k, seed=seed)
    k_used = None if method == "exact" else k
    notes: list[str] = []
    deg = degree(G)
    frame: dict[str, Any] = {
        "name": [str(G.nodes[v].get("name", v)) for v in P.nodes],
        "kind": [str(G.nodes[v].get("kind", "")) for v in P.nodes],
        "degree": [deg[v] for v in P.nodes],
        "strength": [float(s) for _, s in G.degree(P.nodes, weight=weight)] if P.n else [],
    }
    frame["betweenness"] = _betweenness(P, k_used, seed)
    frame["closeness"] = _closeness(P, k_used, seed)
    try:
        frame["eigenvector"] = _eigenvector(P, 1000, 1e-6)
    except (nx.PowerIterationFailedConvergence, nx.NetworkXPointlessConcept) as exc:
        frame["eigenvector"] = np.full(P.n, np.nan)
        if P.n:
            notes.append(f"eigenvector left empty: {exc}")
    pr = pagerank(G, weight=weight)
    frame["pagerank"] = [pr[v] for v in P.nodes]
    comm = communities(G, weight=weight, seed=seed) if P.n else {}
    frame["community"] = [comm[v] for v in P.nodes]
    core = _core(P)
    frame["core"] = [core[v] for v in P.nodes]
    cut = {P.nodes[i] for i in rx.articulation_points(P.rx_undirected)} if P.n else set()
    frame["cut_vertex"] = [v in cut for v in P.nodes]
    bridge_count = np.zeros(P.n, dtype=np.int64)
    for i, j in _bridge_pairs(P):
        bridge_count[[i, j]] += 1
    frame["bridges"] = bridge_count
    df = pd.DataFrame(frame, index=pd.Index(P.nodes, name="id"), columns=list(COLUMNS))
    df = df.astype({"community": "int64", "core": "int64", "cut_vertex": "bool", "bridges": "int64"})
    df.attrs.update(
        projection=str(G.graph.get("projection", "the graph as given")),
        method=method,
        nodes=P.n,
        edges=G.number_of_edges(),
        notes=notes,
    )
    return df


#: Output formats of :func:`render_frame`.
FORMATS: tuple[str, ...] = ("table", "csv", "json")


def describe_frame(df: pd.DataFrame) -> str:
    """The lines that say how a metrics frame was made: projection, method, size, notes.

    Examples
    --------
    >>> df = metrics_frame(nx.path_graph(3))
    >>> print(describe_frame(df))
    projection: the graph as given
    method: betweenness and closeness exact; other metrics exact
    size: 3 nodes, 2 edges
    """
    lines = [
        f"projection: {df.attrs.get('projection', 'unknown')}",
        f"method: betweenness and closeness {df.attrs.get('method', 'unknown')}; other metrics exact",
        f"size: {df.attrs.get('nodes', len(df))} nodes, {df.attrs.get('edges', '?')} edges",
    ]
    lines += [f"note: {note}" for note in df.attrs.get("notes", [])]
    return "\n".join(lines)


def render_frame(df: pd.DataFrame, fmt: str = "table") -> str:
    """Render a metrics frame as an aligned ``table``, ``csv`` or ``json`` text.

    The table starts with :func:`describe_frame`'s lines; the JSON is an object holding them as
    fields (``projection``, ``method``, ``nodes``, ``edges``, ``notes``) and the ``rows``; CSV holds
    the rows only (the index as column ``id``).

    Examples
    --------
    >>> df = metrics_frame(nx.Graph([("a", "b")]))
    >>> print(render_frame(df[["name", "degree"]], "csv"), end="")
    id,name,degree
    a,a,1
    b,b,1
    >>> import json
    >>> json.loads(render_frame(df, "json"))["rows"][0]["betweenness"]
    0.0
    """
    if fmt == "csv":
        from graphkit.export import spreadsheet_safe

        safe = df.copy()
        safe.index = safe.index.map(spreadsheet_safe)
        for column in safe.columns:  # text columns: object dtype, or pandas 3's str dtype
            if pd.api.types.is_object_dtype(safe[column]) or pd.api.types.is_string_dtype(safe[column]):
                safe[column] = safe[column].map(spreadsheet_safe)
        return str(safe.to_csv(float_format="%.10g"))
    if fmt == "json":
        rows = json.loads(df.reset_index().to_json(orient="records", double_precision=10))
        doc = {key: df.attrs.get(key) for key in ("projection", "method", "nodes", "edges", "notes")}
        return json.dumps({**doc, "rows": rows}, indent=2, ensure_ascii=False) + "\n"
    if fmt == "table":
        body = df.to_string(float_format=lambda v: f"{v:.4f}") if len(df) else "(no nodes)"
        return f"{describe_frame(df)}\n\n{body}\n"
    raise InputError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")
