"""Benchmark: graphkit's network page, against the page as it was before and PyVis's own path, in one run.

For synthetic graphs shaped like the model (the generator of ``bench_metrics.py``, topped up to
``--relations`` relations per size, with sources and an evidence quote on every relation and 70 %
of relations undated, as in the seed) it prints, per size:

- ``build``: :func:`graphkit.views.render_view` in full (positions computed in Python above
  :data:`graphkit.views.PHYSICS_LIMIT` nodes, panel data, inlined vis-network), the share of it
  spent in :func:`graphkit.views.layout`, and the page's size;
- ``pyvis``: ``pyvis.network.Network.from_nx`` on a copy plus ``generate_html`` with
  ``cdn_resources="in_line"`` (no layout: the browser would have to run physics; no tooltips);
- with ``--browser``, in headless Chromium (network off, 1400x900), for today's page and the
  baseline page (``graphkit/views.py`` and its template as they were at ``--baseline REV``, built
  from ``git show`` into a temporary module, from the same graph):

  - ``ready``: seconds from opening the file until the page says it has drawn;
  - ``redraw``: the median of 15 synchronous ``network.redraw()`` calls at the opening view, ms;
  - ``full``: the median of 7 drawings from scratch at the opening view, rasterised (a pixel read
    back after each), ms: what a change of filter or focus costs, where ``redraw`` may reuse a drawing
    of an unchanged view (today's page keeps its last drawing for frames that only move the view);
  - ``zoomed``: the same with the view zoomed in 2x about its centre (more of each relation on
    screen, arrowheads drawn), ms;
  - ``pan``: frames drawn per second while the view is moved every animation frame for 2 s.

Run::

    .venv/bin/python bench/bench_views.py                                    # 2k and 5k nodes
    .venv/bin/python bench/bench_views.py --sizes 2000:8000,5000:20000 --browser
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import networkx as nx
import numpy as np

from graphkit import views

_HERE = Path(__file__).resolve().parent
_ROOT = _HERE.parent
#: The commit before the analyst's page (issue 13): the page measured as "baseline".
BASELINE = "e8da59c"
_TOP_UP = (("ALLIED_WITH", "Group", "Group"), ("ACTIVE_IN", "Group", "Place"), ("MEMBER_OF", "Person", "Group"))


def synthetic_graph(size: int, relations: int | None = None, seed: int = 0) -> nx.MultiDiGraph:
    """``bench_metrics.synthetic_graph`` topped up to ``relations``, with sources, quotes and 70 % undated."""
    spec = importlib.util.spec_from_file_location("bench_metrics", _HERE / "bench_metrics.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_metrics", module)  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    G: nx.MultiDiGraph = module.synthetic_graph(size, seed)
    rng = np.random.default_rng(seed)
    by_kind: dict[str, list[str]] = {}
    for n, kind in G.nodes(data="kind"):
        by_kind.setdefault(kind, []).append(n)
    i, have = 0, G.number_of_edges()
    while relations is not None and have < relations:
        rel, a, b = _TOP_UP[i % len(_TOP_UP)]
        u = by_kind[a][int(rng.integers(0, len(by_kind[a])))]
        v = by_kind[b][int(rng.integers(0, len(by_kind[b])))]
        if u != v:
            u, v = (min(u, v), max(u, v)) if rel == "ALLIED_WITH" else (u, v)
            G.add_edge(u, v, key=f"{rel}:{u}:{v}:top{i}", type=rel, confidence="reported", since=str(1990 + i % 34))
            have += 1
        i += 1
    sources = [f"source-{i}" for i in range(20)]
    G.add_nodes_from(
        (s, {"kind": "Source", "name": f"Report {s}", "publisher": "Publisher", "aliases": []}) for s in sources
    )
    for _, _, data in G.edges(data=True):
        data["sources"] = [sources[int(rng.integers(0, len(sources)))]]
        data["evidence"] = [f"A verbatim quote of about eighty characters explaining why the {data['type']} holds."]
        if rng.random() < 0.7:
            data.pop("since", None)
    return G


def baseline_views(rev: str, folder: Path) -> ModuleType:
    """``graphkit/views.py`` and its template as they were at ``rev``, loaded as a module of their own."""

    def show(path: str) -> str:
        return subprocess.run(
            ["git", "-C", str(_ROOT), "show", f"{rev}:{path}"], check=True, capture_output=True, text=True
        ).stdout

    (folder / "templates").mkdir(parents=True, exist_ok=True)
    (folder / "templates" / "view.html").write_text(show("graphkit/templates/view.html"), encoding="utf-8")
    (folder / "baseline_views.py").write_text(show("graphkit/views.py"), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("baseline_views", folder / "baseline_views.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["baseline_views"] = module
    spec.loader.exec_module(module)

    class _Files:  # the module reads its template through importlib.resources.files("graphkit")
        @staticmethod
        def files(_package: str) -> Path:
            return folder

    module.resources = _Files  # type: ignore[attr-defined]
    return module


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


_REDRAW = """
var n = window.graphkitView.network, times = [];
for (var i = 0; i < 15; i++) { var t = performance.now(); n.redraw(); times.push(performance.now() - t); }
times.sort(function (a, b) { return a - b; });
return times[7];
"""
_FULL = """
var v = window.graphkitView, n = v.network, ctx = n.canvas.frame.canvas.getContext("2d"), times = [];
for (var i = 0; i < 7; i++) {
  var t = performance.now();
  if (v.redrawAfresh) v.redrawAfresh(); else n.redraw();
  ctx.getImageData(0, 0, 1, 1);
  times.push(performance.now() - t);
}
times.sort(function (a, b) { return a - b; });
return times[3];
"""
#: The same from-scratch drawing with the view zoomed in 2x about its centre (more of each relation
#: on screen, arrowheads drawn), then the view put back.
_FULL_ZOOMED = (
    "var v0 = window.graphkitView.network, s0 = v0.getScale(), p0 = v0.getViewPosition();"
    "v0.moveTo({position: p0, scale: 2 * s0});"
    "var out = (function () {" + _FULL + "})();"
    "v0.moveTo({position: p0, scale: s0});"
    "return out;"
)
_PAN = """
var done = arguments[arguments.length - 1], n = window.graphkitView.network, frames = 0;
var start = n.getViewPosition(), scale = n.getScale(), t0 = performance.now();
n.on("afterDrawing", function () { frames++; });
function step(now) {
  var t = now - t0;
  if (t > 2000) { done(frames / (t / 1000)); return; }
  n.moveTo({position: {x: start.x + 200 * Math.sin(t / 300), y: start.y}, scale: scale});
  requestAnimationFrame(step);
}
requestAnimationFrame(step);
"""


def browser_figures(page: str) -> tuple[float, float, float, float, float]:
    """Seconds until ``page`` has drawn in headless Chromium (offline); a redraw, a full drawing and a
    full drawing zoomed in, in ms; and pan frames/s."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    options.page_load_strategy = "none"  # get() returns at once; the page says when it is ready
    with tempfile.TemporaryDirectory() as tmp:
        for flag in (
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--proxy-server=127.0.0.1:9",
            "--window-size=1400,900",
            f"--user-data-dir={tmp}/profile",
        ):
            options.add_argument(flag)
        path = Path(tmp) / "page.html"
        path.write_text(page, encoding="utf-8")
        driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
        driver.set_script_timeout(300)
        try:
            t0 = time.perf_counter()
            driver.get(path.as_uri())
            while not driver.execute_script("return !!(window.graphkitView && window.graphkitView.ready)"):
                time.sleep(0.02)
                if time.perf_counter() - t0 > 600:
                    return float("nan"), float("nan"), float("nan"), float("nan"), float("nan")
            ready = time.perf_counter() - t0
            time.sleep(0.5)
            redraw = float(driver.execute_script(_REDRAW))
            full = float(driver.execute_script(_FULL))
            zoomed = float(driver.execute_script(_FULL_ZOOMED))
            time.sleep(0.5)
            pan = float(driver.execute_async_script(_PAN))
            return ready, redraw, full, zoomed, pan
        finally:
            driver.quit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--sizes", default="2000:8000,5000:20000", help="Comma-separated NODES[:RELATIONS] (relations topped up)."
    )
    parser.add_argument("--browser", action="store_true", help="Also time both pages in headless Chromium.")
    parser.add_argument("--baseline", default=BASELINE, metavar="REV", help="Commit of the baseline page.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old = baseline_views(args.baseline, Path(tmp)) if args.browser else None
        header = f"{'nodes':>6} {'rels':>6} | {'build':>7} {'(layout)':>8} {'MB':>5} | {'pyvis':>7}"
        if args.browser:
            header += " | page     ready  redraw     full   zoomed    pan"
        print(header, flush=True)
        for spec in args.sizes.split(","):
            size, _, rels = spec.partition(":")
            G = synthetic_graph(int(size), int(rels) if rels else None)
            drawn = G.subgraph(n for n, k in G.nodes(data="kind") if k != "Source")
            t_page, page = timed(lambda G=G: views.render_view(G), repeat=2)
            t_layout, _ = timed(lambda d=drawn: views.layout(d))
            t_pyvis, _ = timed(lambda G=G: pyvis_page(G))
            row = f"{drawn.number_of_nodes():>6} {G.number_of_edges():>6} | {t_page:>6.2f}s {t_layout:>7.2f}s"
            row += f" {len(page) / 1e6:>5.1f} | {t_pyvis:>6.2f}s"
            if not args.browser or old is None:
                print(row, flush=True)
                continue
            pad = " " * len(row)
            for label, html in (("today", page), (f"{args.baseline}", old.render_view(G))):
                ready, redraw, full, zoomed, pan = browser_figures(html)
                print(
                    f"{row} | {label:<8} {ready:>5.2f}s {redraw:>5.1f}ms {full:>6.1f}ms {zoomed:>6.1f}ms {pan:>4.1f}/s",
                    flush=True,
                )
                row = pad


if __name__ == "__main__":
    main()
