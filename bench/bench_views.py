"""Benchmark: building graphkit's network page against PyVis's own path, side by side in one run.

For synthetic graphs shaped like the model (the generator of ``bench_metrics.py``, with sources
and evidence quotes added to every relation) it prints, per size:

- ``graphkit page``: :func:`graphkit.views.render_view` in full (positions computed in Python
  above :data:`graphkit.views.PHYSICS_LIMIT` nodes, tooltips, inlined vis-network), and the share
  of it spent in :func:`graphkit.views.layout`;
- ``pyvis from_nx``: ``pyvis.network.Network.from_nx`` on a copy plus ``generate_html`` with
  ``cdn_resources="in_line"`` (no layout: the browser would have to run physics, no tooltips);
- ``nx.spring_layout`` against :func:`graphkit.views.layout` (up to ``--nx-layout-max`` nodes:
  networkx's layout is O(n²) per iteration);
- with ``--browser``: seconds until the page has drawn in headless Chromium (network off).

Run::

    .venv/bin/python bench/bench_views.py                 # 1k and 5k nodes
    .venv/bin/python bench/bench_views.py --sizes 1000,5000,20000 --browser
"""

from __future__ import annotations

import argparse
import importlib.util
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from graphkit import views

_HERE = Path(__file__).resolve().parent


def synthetic_graph(size: int, seed: int = 0) -> nx.MultiDiGraph:
    """``bench_metrics.synthetic_graph`` with 20 sources and a quote on every relation."""
    spec = importlib.util.spec_from_file_location("bench_metrics", _HERE / "bench_metrics.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    G: nx.MultiDiGraph = module.synthetic_graph(size, seed)
    rng = np.random.default_rng(seed)
    sources = [f"source-{i}" for i in range(20)]
    G.add_nodes_from(
        (s, {"kind": "Source", "name": f"Report {s}", "publisher": "Publisher", "aliases": []}) for s in sources
    )
    for _, _, data in G.edges(data=True):
        data["sources"] = [sources[int(rng.integers(0, len(sources)))]]
        data["evidence"] = [f"A verbatim quote of about eighty characters explaining why the {data['type']} holds."]
    return G


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """The best wall time of ``repeat`` runs, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def pyvis_page(G: nx.MultiDiGraph) -> str:
    """PyVis's documented path: ``from_nx`` (on a copy: it mutates its input) and inline HTML."""
    from pyvis.network import Network

    H = nx.MultiDiGraph()
    H.add_nodes_from((n, {"label": str(d.get("name", n))}) for n, d in G.nodes(data=True) if d.get("kind") != "Source")
    H.add_edges_from((u, v, {"title": d["type"]}) for u, v, d in G.edges(data=True))
    net = Network(directed=True, cdn_resources="in_line")
    net.from_nx(H)
    return str(net.generate_html())


def browser_seconds(page: str) -> float:
    """Seconds from opening ``page`` in headless Chromium (offline) until it reports it has drawn."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    with tempfile.TemporaryDirectory() as tmp:
        for flag in (
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--proxy-server=127.0.0.1:9",
            "--window-size=1400,900",
            f"--user-data-dir={tmp}/profile",
        ):
            options.add_argument(flag)
        path = Path(tmp) / "page.html"
        path.write_text(page, encoding="utf-8")
        driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
        try:
            t0 = time.perf_counter()
            driver.get(path.as_uri())
            while not driver.execute_script("return !!(window.graphkitView && window.graphkitView.ready)"):
                time.sleep(0.02)
                if time.perf_counter() - t0 > 300:
                    return float("nan")
            return time.perf_counter() - t0
        finally:
            driver.quit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,5000", help="Comma-separated node counts.")
    parser.add_argument("--nx-layout-max", type=int, default=1000, help="Largest size to run nx.spring_layout on.")
    parser.add_argument("--browser", action="store_true", help="Also time drawing in headless Chromium.")
    args = parser.parse_args()
    header = f"{'nodes':>6} {'edges':>6} | {'graphkit page':>13} {'(layout)':>9} {'MB':>5} | {'pyvis from_nx':>13} {'ratio':>6}"
    header += f" | {'nx.spring':>9} {'gk.layout':>9} {'ratio':>6}" + (" | browser" if args.browser else "")
    print(header)
    for size in (int(s) for s in args.sizes.split(",")):
        G = synthetic_graph(size)
        drawn = G.subgraph(n for n, k in G.nodes(data="kind") if k != "Source")
        t_page, page = timed(lambda G=G: views.render_view(G), repeat=2)
        t_layout, _ = timed(lambda d=drawn: views.layout(d))
        t_pyvis, _ = timed(lambda G=G: pyvis_page(G))
        row = f"{drawn.number_of_nodes():>6} {G.number_of_edges():>6} | {t_page:>12.2f}s {t_layout:>8.2f}s"
        row += f" {len(page) / 1e6:>5.1f} | {t_pyvis:>12.2f}s {t_pyvis / t_page:>5.1f}x"
        if drawn.number_of_nodes() <= args.nx_layout_max:
            t_nx, _ = timed(lambda d=drawn: nx.spring_layout(nx.Graph(d), seed=0))
            row += f" | {t_nx:>8.2f}s {t_layout:>8.2f}s {t_nx / t_layout:>5.1f}x"
        else:
            row += f" | {'skipped':>9} {t_layout:>8.2f}s {'':>6}"
        if args.browser:
            row += f" | {browser_seconds(page):.2f}s"
        print(row, flush=True)


if __name__ == "__main__":
    main()
