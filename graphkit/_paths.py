"""Compiled shortest-path kernels (numba) behind :mod:`graphkit.metrics`' betweenness and closeness.

Both work on a graph as CSR arrays: ``indptr`` (int64, ``n + 1``) and ``indices`` (int32), row
``v`` listing the nodes an edge leaves ``v`` for (both directions when undirected). Paths count
hops. The kernels are serial and release the GIL (``nogil``): :func:`spread` runs one per core on
its own share of the sources from ordinary Python threads, each with its own scratch arrays and
partial sums, and adds the sums. Plain threads rather than numba's ``parallel=True``: that one
would start an OpenMP or TBB pool, which is not safe across ``fork`` (GNU OpenMP aborts the
child) or, for numba's own pool, from two Python threads at once; a library must be both.

Why numba: the kernels are plain loops over arrays, which numba compiles to machine code; it is a
well-kept package with wheels on PyPI for every platform numpy has, so graphkit needs no compiler
at install time. The compiled code is cached on disk (``cache=True``, in ``__pycache__`` beside
this file, or numba's user cache directory when that is read-only), so only the very first call
after an install pays the compile (measured in bench/bench_metrics.py); later processes load it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar, cast

import numba
import numpy as np

F = TypeVar("F", bound=Callable[..., Any])


def _kernel(fn: F) -> F:
    """Compile ``fn`` with numba: no Python objects, no GIL held, cached on disk."""
    return cast(F, numba.njit(cache=True, nogil=True)(fn))


def workers() -> int:
    """The cores this process may run on."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def spread(kernel: Callable[..., Any], tasks: np.ndarray, *args: Any) -> list[Any]:
    """``kernel(*args, share)`` for each core's share of ``tasks`` (every ``w``-th one), in threads."""
    count = max(1, min(workers(), len(tasks)))
    shares = [np.ascontiguousarray(tasks[i::count]) for i in range(count)]
    if count == 1:
        return [kernel(*args, shares[0])]
    with ThreadPoolExecutor(max_workers=count, thread_name_prefix="graphkit-paths") as pool:
        return list(pool.map(lambda share: kernel(*args, share), shares))


_M1 = np.uint64(0x5555555555555555)
_M2 = np.uint64(0x3333333333333333)
_M4 = np.uint64(0x0F0F0F0F0F0F0F0F)
_H01 = np.uint64(0x0101010101010101)


@numba.njit(cache=True, inline="always")
def _popcount(x: np.uint64) -> int:
    """Set bits of a 64-bit word (the SWAR sum, which LLVM turns into one ``popcnt``)."""
    x = x - ((x >> np.uint64(1)) & _M1)
    x = (x & _M2) + ((x >> np.uint64(2)) & _M2)
    x = (x + (x >> np.uint64(4))) & _M4
    return int((x * _H01) >> np.uint64(56))


@_kernel
def brandes(
    indptr: np.ndarray, indices: np.ndarray, scale: np.ndarray, weight: np.ndarray, sources: np.ndarray
) -> np.ndarray:
    """Brandes' dependency sums from ``sources``, source ``s`` counted ``scale[s]`` times.

    Node ``x`` stands for ``weight[x]`` targets (1 in a plain graph; more when leaves hanging
    off it were folded into it, see :func:`graphkit.metrics._fold`). For each source: a
    breadth-first search counting shortest paths (``sigma``) that also writes down each node's
    successors on the shortest-path DAG (``dag``, contiguous per node, ``start`` giving where
    each begins); then, in the reverse order of discovery, each node pulls from its successors:
    ``delta[w] = sigma[w] * sum((weight[x] + delta[x]) / sigma[x])``. The quotient is kept per
    node (``pull``) so no loop over edges divides, and the second pass reads only DAG edges (at
    most half of an undirected graph's), without testing distances again. Work: one scan of the
    edges the source reaches, plus the DAG's.

    Returns, per node, the sum over sources of ``scale * delta`` (networkx's raw betweenness
    when every node is a source with scale 1).
    """
    n = indptr.shape[0] - 1
    acc = np.zeros(n)
    dist = np.full(n, -1, dtype=np.int32)
    sigma = np.zeros(n)
    pull = np.zeros(n)
    order = np.empty(n, dtype=np.int32)
    dag = np.empty(indices.shape[0], dtype=np.int32)
    start = np.empty(n + 1, dtype=np.int64)
    for s in sources:
        times = scale[s]
        dist[s] = 0
        sigma[s] = 1.0
        order[0] = s
        head, tail, m = 0, 1, 0
        while head < tail:
            v = order[head]
            start[head] = m
            head += 1
            next_depth = dist[v] + 1
            paths = sigma[v]
            for e in range(indptr[v], indptr[v + 1]):
                w = indices[e]
                d = dist[w]
                if d < 0:
                    dist[w] = next_depth
                    order[tail] = w
                    tail += 1
                    d = next_depth
                if d == next_depth:
                    sigma[w] += paths
                    dag[m] = w
                    m += 1
        start[tail] = m
        for i in range(tail - 1, 0, -1):
            w = order[i]
            pulled = 0.0
            for k in range(start[i], start[i + 1]):
                pulled += pull[dag[k]]
            delta = sigma[w] * pulled
            acc[w] += times * delta
            pull[w] = (weight[w] + delta) / sigma[w]
        for i in range(tail):
            w = order[i]
            dist[w] = -1
            sigma[w] = 0.0
            pull[w] = 0.0
    return acc


@_kernel
def reach(
    indptr: np.ndarray, indices: np.ndarray, roots: np.ndarray, words: int, batches: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For every node: how many ``roots`` reach it, and the sum of their hop distances to it.

    Breadth-first search from ``64 * words`` roots at once: bit ``b`` of a node's words says root
    ``b`` of the batch has reached it. Each level pushes the new bits of the nodes reached at the
    previous level (the only nodes with work to do) along their edges with a bitwise OR, so one
    scan of an edge serves up to ``64 * words`` searches. Runs the given ``batches`` of roots
    (batch ``b`` is ``roots[b * 64 * words : (b + 1) * 64 * words]``).
    """
    n = indptr.shape[0] - 1
    width = 64 * words
    got = np.zeros(n, dtype=np.int64)
    total = np.zeros(n, dtype=np.int64)
    front = np.zeros((n, words), dtype=np.uint64)
    seen = np.zeros((n, words), dtype=np.uint64)
    nxt = np.zeros((n, words), dtype=np.uint64)
    marked = np.zeros(n, dtype=np.bool_)
    active = np.empty(n, dtype=np.int32)
    touched = np.empty(n, dtype=np.int32)
    for b in batches:
        first = b * width
        last = min(first + width, roots.shape[0])
        n_active = 0
        for j in range(first, last):
            r = roots[j]
            bit = j - first
            word = bit // 64
            mask = np.uint64(1) << np.uint64(bit % 64)
            front[r, word] |= mask
            seen[r, word] |= mask
            if not marked[r]:
                marked[r] = True
                active[n_active] = r
                n_active += 1
        for i in range(n_active):
            marked[active[i]] = False
        depth = 0
        while n_active > 0:
            depth += 1
            n_touched = 0
            for i in range(n_active):
                u = active[i]
                for e in range(indptr[u], indptr[u + 1]):
                    v = indices[e]
                    for k in range(words):
                        nxt[v, k] |= front[u, k]
                    if not marked[v]:
                        marked[v] = True
                        touched[n_touched] = v
                        n_touched += 1
            for i in range(n_active):
                u = active[i]
                for k in range(words):
                    front[u, k] = 0
            n_active = 0
            for i in range(n_touched):
                v = touched[i]
                marked[v] = False
                c = 0
                for k in range(words):
                    fresh = nxt[v, k] & ~seen[v, k]
                    nxt[v, k] = 0
                    seen[v, k] |= fresh
                    front[v, k] = fresh
                    c += _popcount(fresh)
                if c > 0:
                    got[v] += c
                    total[v] += depth * c
                    active[n_active] = v
                    n_active += 1
        for i in range(n):
            for k in range(words):
                seen[i, k] = 0
                front[i, k] = 0
    return got, total
