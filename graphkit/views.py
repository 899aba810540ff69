"""Interactive network pages: one self-contained HTML file per view, readable offline.

A page draws a graph built by :func:`graphkit.graph.to_networkx` with vis-network, the library
PyVis ships, inlined from the ``pyvis`` package (no CDN, no ``lib/`` folder beside the page).
Colours, shapes and the legends come from :mod:`graphkit.model`. Every relation is drawn, parallel
ones too (curved apart), undated ones dashed. In the page the reader finds an actor by name or
alias, focuses on a neighbourhood, reads a node's or a relation's evidence in a panel (sources with
links, verbatim quotes), asks for the shortest chain between two actors, narrows the years (with
playback), toggles relation types and node kinds, re-runs the layout, and exports PNG or prints.

Data reach the page as JSON inside a ``<script type="application/json">`` block with ``<``, ``>``
and ``&`` escaped, and the page builds everything it shows as DOM elements filled with
``textContent``: a name, a quote or a url holding markup is shown as text and never runs (links
are made only of ``http(s)`` urls).

Small graphs are laid out by vis-network's physics, which stops once the layout has settled;
above :data:`PHYSICS_LIMIT` nodes the positions are computed here (:func:`layout`) and physics
stays off. vis-network holds the nodes (hit tests, drag, selection, physics) and draws none of
them; the page draws relations, nodes and labels on the same canvas itself (a few paths per style,
labels that never overlap; where the view is dense, relations one device pixel wide, written with
small nodes and arrowheads straight into the canvas's pixels rather than stroked and stamped by
the canvas), and while the view pans or zooms it shows its last drawing moved and draws afresh
once the view rests, so that pages of several thousand nodes and tens of thousands of relations
open, redraw and pan quickly (``bench/bench_views.py``).
"""

from __future__ import annotations

import html
import importlib.util
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from graphkit import model, projection
from graphkit.errors import GraphkitError

#: Above this many drawn nodes, positions are computed in Python and physics stays off.
PHYSICS_LIMIT = 300
#: Smallest and largest node size (pixels) when nodes are sized by a metric.
SIZE_RANGE = (8.0, 32.0)
_VIS = "templates/lib/vis-9.1.2/"
#: How many nearest nodes push each node away in :func:`layout`.
_NEIGHBOURS = 8
#: Cells per side of the grid that approximates far repulsion in :func:`layout`.
_GRID = 16
_GLYPH = {"dot": "●", "diamond": "◆", "triangle": "▲", "star": "★", "square": "■"}
#: Arrowheads by relation type (vis-network arrow types), so that types differ by shape as well as
#: colour; symmetric types have none. Types not listed get a plain arrow.
_MARKS = {
    "LED_BY": "circle",
    "MEMBER_OF": "circle",
    "CARRIED_OUT": "bar",
    "TARGETED": "bar",
    "OCCURRED_IN": "vee",
    "ACTIVE_IN": "vee",
    "LOCATED_IN": "vee",
}
_MARK_GLYPH = {"arrow": "▶", "circle": "●", "bar": "┃", "vee": "❯"}
_PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")


def ego(G: nx.MultiDiGraph, node_id: str, depth: int = 1) -> nx.MultiDiGraph:
    """The neighbourhood of one node: every node within ``depth`` relations, either direction.

    :func:`graphkit.projection.select` with ``around``: the centre may be named by id, name or
    alias in any case, and Source nodes stay in the result (they are not drawn, but tooltips
    name sources from them).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph as built by :func:`graphkit.graph.to_networkx`.
    node_id : str
        The centre: an id, name or alias.
    depth : int
        How many relations away from the centre to reach (>= 0).

    Returns
    -------
    networkx.MultiDiGraph
        A new graph holding the neighbourhood with every relation among its nodes.

    Raises
    ------
    GraphkitError
        If no node (or several) goes by ``node_id`` (the message lists candidates) or ``depth`` < 0.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> sorted(ego(G, "b", 1))
    ['a', 'b', 'c']
    """
    return projection.select(G, around=node_id, depth=depth)


def restrict(
    G: nx.MultiDiGraph,
    *,
    types: Iterable[str] | None = None,
    as_of: int | str | None = None,
    drop_unlinked: bool = False,
) -> nx.MultiDiGraph:
    """The graph with only some relation types, or as it stood at a year or partial date.

    :func:`graphkit.projection.select` with ``types`` and ``as_of`` (relations and dated nodes
    active then); nodes are kept even when no relation of the chosen types is left, unless
    ``drop_unlinked`` is set.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph as built by :func:`graphkit.graph.to_networkx`.
    types : iterable of str, optional
        Relation types to keep (names from :data:`graphkit.model.RELATION_KINDS`).
    as_of : int or str, optional
        A year or partial date (``2021``, ``'2021-08'``).
    drop_unlinked : bool
        With ``types``, drop the nodes (other than sources) left without a relation of those
        types, so that a page of ``--types FOUGHT`` draws who fought, not everyone.

    Returns
    -------
    networkx.MultiDiGraph
        A new graph; ``G`` is not changed.

    Raises
    ------
    GraphkitError
        If a type is not a relation kind of the model (the message lists close matches).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edges_from([("a", "b", "k1", {"type": "FOUGHT", "since": "2015"}),
    ...                   ("a", "b", "k2", {"type": "ALLIED_WITH", "until": "2014"})])
    ['k1', 'k2']
    >>> [t for _, _, t in restrict(G, as_of=2016).edges(data="type")]
    ['FOUGHT']
    >>> [t for _, _, t in restrict(G, types=["ALLIED_WITH"]).edges(data="type")]
    ['ALLIED_WITH']
    >>> G.add_node("c", kind="Group")
    >>> sorted(restrict(G, types=["FOUGHT"], drop_unlinked=True))
    ['a', 'b']
    """
    out = projection.select(G, types=types, as_of=as_of)
    return without_unlinked(out) if drop_unlinked and types is not None else out


def without_unlinked(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``G`` without the nodes (other than sources) that no relation of ``G`` reaches.

    After a selection by relation type, a page of ``--types FOUGHT`` then draws who fought, not
    everyone; sources stay, for the tooltips' source names.
    """
    out = G.copy()
    out.remove_nodes_from([n for n, kind in G.nodes(data="kind") if kind != "Source" and G.degree(n) == 0])
    return out


def layout(G: nx.Graph | nx.MultiDiGraph, *, iterations: int = 60, seed: int = 0) -> dict[str, tuple[float, float]]:
    """Node positions by a force-directed layout that scales to thousands of nodes.

    Fruchterman and Reingold's forces with a local repulsion: each node is pushed away only from
    its :data:`_NEIGHBOURS` nearest nodes closer than twice the ideal edge length (found with a
    k-d tree), linked nodes attract, and the step shrinks each round. A round costs about
    O(n log n + m), not the O(n²) of :func:`networkx.spring_layout`, even around hubs.

    Parameters
    ----------
    G : networkx graph
        Any graph; direction and parallel edges are ignored.
    iterations : int
        Rounds of the simulation.
    seed : int
        Seed of the random start, so the same graph always gets the same picture.

    Returns
    -------
    dict
        ``{node: (x, y)}`` in units of the ideal edge length.

    Examples
    --------
    >>> pos = layout(nx.path_graph(3))
    >>> sorted(pos) == [0, 1, 2]
    True
    """
    nodes = list(G)
    n = len(nodes)
    if n == 0:
        return {}
    index = {v: i for i, v in enumerate(nodes)}
    pairs = {(min(index[u], index[v]), max(index[u], index[v])) for u, v in G.edges() if u != v}
    links = np.array(sorted(pairs), dtype=np.intp).reshape(-1, 2)
    rng = np.random.default_rng(seed)
    side = float(np.sqrt(n))
    pos = rng.uniform(0.0, side, (n, 2))
    step = side / 8
    k = min(_NEIGHBOURS + 1, n)
    rows = np.repeat(np.arange(n), k)
    cells = max(1, min(_GRID, int(np.sqrt(n / 4))))
    for i in range(iterations):
        disp = np.zeros((n, 2))
        # far field: each cell of a grid acts as one mass at its centroid. A node feels the other
        # cells' push on its own cell, and its own cell's push away from that cell's centroid;
        # softened by half a cell so that a node is not flung by a centroid it almost sits on.
        low, high = pos.min(axis=0), pos.max(axis=0)
        width = np.maximum((high - low) / cells, 1e-6)
        cell = np.minimum(((pos - low) / width).astype(np.intp), cells - 1)
        flat = cell[:, 0] * cells + cell[:, 1]
        flat = np.unique(flat, return_inverse=True)[1]
        mass = np.bincount(flat).astype(float)
        centre = np.stack([np.bincount(flat, pos[:, a]) for a in (0, 1)], axis=1) / mass[:, None]
        soft = float((width**2).sum()) / 4
        between = centre[:, None, :] - centre[None, :, :]
        pushes = (between * (mass / ((between**2).sum(axis=2) + soft))[:, :, None]).sum(axis=1)
        own = pos - centre[flat]
        disp += pushes[flat] + own * (mass[flat] / ((own**2).sum(axis=1) + soft))[:, None]
        # near field: exact repulsion k²/d (k = 1) from each node's nearest neighbours
        _, near = cKDTree(pos).query(pos, k=k, distance_upper_bound=2.0)
        near = near.reshape(-1)
        ok = (near < n) & (near != rows)
        _push(disp, rows[ok], near[ok], pos, -2, both=False)
        # attraction d²/k along links, on both ends
        _push(disp, links[:, 0], links[:, 1], pos, 1, both=True)
        length = np.maximum(np.hypot(disp[:, 0], disp[:, 1]), 1e-9)
        pos += disp * (np.minimum(length, step * (1 - i / iterations)) / length)[:, None]
    return {v: (float(pos[i, 0]), float(pos[i, 1])) for v, i in index.items()}


def _push(disp: np.ndarray, a: np.ndarray, b: np.ndarray, pos: np.ndarray, power: int, *, both: bool) -> None:
    """Add to ``disp`` the force between ``a[i]`` and ``b[i]``: repulsion ``d**power`` when power < 0, else attraction."""
    if len(a) == 0:
        return
    n = len(disp)
    delta = pos[a] - pos[b]
    dist = np.maximum(np.hypot(delta[:, 0], delta[:, 1]), 1e-3)
    force = delta * (dist**power)[:, None] * (1 if power < 0 else -1)
    for axis in (0, 1):
        disp[:, axis] += np.bincount(a, force[:, axis], n)
        if both:
            disp[:, axis] -= np.bincount(b, force[:, axis], n)


def render_view(
    G: nx.MultiDiGraph,
    *,
    sizes: Mapping[str, float] | None = None,
    metrics: pd.DataFrame | None = None,
    title: str = "graphkit network",
    size_note: str | None = None,
    physics: bool | None = None,
) -> str:
    """The HTML of a self-contained, offline page drawing ``G``; see :func:`write_view`."""
    data = _page_data(G, sizes=sizes, metrics=metrics, physics=physics)
    type_counts = Counter(e["type"] for e in data["edges"])
    kind_counts = Counter(n["kind"] for n in data["nodes"])
    vis = _pyvis_dir()
    parts = {
        "TITLE": html.escape(title),
        "VIS_CSS": (vis / "vis-network.css").read_text(encoding="utf-8"),
        "VIS_JS": (vis / "vis-network.min.js").read_text(encoding="utf-8"),
        "DATA": _json_for_script(data),
        "RELATIONS": _relation_legend(type_counts),
        "KINDS": _kind_legend(kind_counts),
        "SIZE_NOTE": html.escape(size_note or ("by the given metric" if sizes else "all nodes alike")),
    }
    if "</script" in parts["VIS_JS"].lower():
        raise GraphkitError("the bundled vis-network script cannot be inlined (it holds '</script')")
    template = (resources.files("graphkit") / "templates" / "view.html").read_text(encoding="utf-8")
    return _PLACEHOLDER.sub(lambda m: parts[m.group(1)], template)


def write_view(
    G: nx.MultiDiGraph,
    path: str | Path,
    *,
    sizes: Mapping[str, float] | None = None,
    metrics: pd.DataFrame | None = None,
    title: str = "graphkit network",
    size_note: str | None = None,
    physics: bool | None = None,
) -> Path:
    """Write one self-contained HTML page drawing ``G``, readable offline.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph as built by :func:`graphkit.graph.to_networkx`; it is not changed. Source nodes
        are not drawn: their names and publishers appear in the relations' tooltips.
    path : str or Path
        The file to write; nothing else is written.
    sizes : mapping of id to float, optional
        A metric to size nodes by (scaled to :data:`SIZE_RANGE`); nodes without a value get the
        smallest size.
    metrics : pandas.DataFrame, optional
        Metric values indexed by id; numeric columns are shown in node tooltips.
    title : str
        The page title.
    size_note : str, optional
        What the sizes mean, for the legend (e.g. ``"PageRank"``).
    physics : bool, optional
        Lay out in the browser with physics that stops once settled (the default up to
        :data:`PHYSICS_LIMIT` nodes), or with positions computed here (:func:`layout`).

    Returns
    -------
    Path
        The path written.
    """
    out = Path(path)
    out.write_text(
        render_view(G, sizes=sizes, metrics=metrics, title=title, size_note=size_note, physics=physics),
        encoding="utf-8",
    )
    return out


def inline(page: str, height: int = 650) -> str:
    """An ``<iframe>`` holding ``page`` (from :func:`render_view`), to display in a notebook.

    The page travels in the frame's ``srcdoc``, so the notebook needs no file or server beside it.

    Examples
    --------
    >>> inline("<p>a & b</p>", 100)[:45]
    '<div><iframe srcdoc="&lt;p&gt;a &amp; b&lt;/p'
    """
    style = f"width: 100%; height: {int(height)}px; border: 0"
    return f'<div><iframe srcdoc="{html.escape(page)}" style="{style}"></iframe></div>'


def _pyvis_dir() -> Path:
    """The folder of the vis-network files the pyvis package ships (found without importing pyvis)."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or spec.origin is None:
        raise GraphkitError("the pyvis package is not installed: pip install pyvis")
    folder = Path(spec.origin).parent / _VIS
    if not (folder / "vis-network.min.js").is_file():
        raise GraphkitError(f"pyvis does not ship {folder / 'vis-network.min.js'}: install pyvis 0.3.2")
    return folder


def _page_data(
    G: nx.MultiDiGraph, *, sizes: Mapping[str, float] | None, metrics: pd.DataFrame | None, physics: bool | None
) -> dict[str, Any]:
    """Everything the page's script needs, as JSON-ready values (no markup anywhere).

    Nodes and relations carry what the detail panel shows (names, aliases, kind fields, metric
    values; dates, confidence, source ids, quotes); sources are listed once under ``sources``,
    and colours, shapes and arrowheads once per kind under ``kinds`` and ``types``.
    """
    drawn = [n for n, kind in G.nodes(data="kind") if kind != "Source"]
    drawn_set = set(drawn)
    physics = len(drawn) <= PHYSICS_LIMIT if physics is None else physics
    values = _metric_rows(metrics)
    scale = _scaler(sizes, drawn)
    simple = nx.Graph()
    simple.add_nodes_from(drawn)
    simple.add_edges_from((u, v) for u, v in G.edges() if u in drawn_set and v in drawn_set and u != v)
    main = max(nx.connected_components(simple), key=len) if drawn else set()
    nodes = [_node_entry(G, n, scale(n), values.get(n, {}), n in main) for n in drawn]
    if not physics:
        pos = layout(simple)
        for entry in nodes:
            x, y = pos[entry["id"]]
            entry["x"], entry["y"] = round(x * 60, 1), round(y * 60, 1)
    edges: list[dict[str, Any]] = []
    seen: dict[frozenset[str], int] = defaultdict(int)
    cited: set[str] = set()
    for u, v, k, d in G.edges(keys=True, data=True):
        if u not in drawn_set or v not in drawn_set:
            continue
        rank = seen[frozenset((u, v))]
        seen[frozenset((u, v))] += 1
        edge = _edge_entry(G, u, v, d, f"e{len(edges)}", str(k))
        cited.update(edge["sources"])
        if rank:  # parallel relations: curve each one its own way so all stay visible
            edge["smooth"] = {
                "enabled": True,
                "type": "curvedCW" if rank % 2 else "curvedCCW",
                "roundness": 0.2 * ((rank + 1) // 2),
            }
        edges.append(edge)
    for n in nodes:
        cited.update(n["sources"])
    years = [y for e in edges for y in (e["y0"], e["y1"]) if y is not None]
    years += [yr for _, _, seen_then in G.edges(data="as_of") if (yr := _year(seen_then)) is not None]
    years += [y for n in nodes for y in (n["y0"], n["y1"]) if y is not None]
    big = len(drawn) > PHYSICS_LIMIT
    options = {
        "autoResize": True,
        "nodes": {"borderWidth": 1, "borderWidthSelected": 3},
        "edges": {"smooth": False, "width": 1.5, "selectionWidth": 2, "hoverWidth": 1},
        "interaction": {"hover": True, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big},
        "layout": {"improvedLayout": physics and len(drawn) <= 100, "randomSeed": 1},
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -80, "springLength": 120, "avoidOverlap": 0.5},
            "stabilization": {"enabled": True, "iterations": 400, "updateInterval": 50},
        },
    }
    return {
        "nodes": nodes,
        "edges": edges,
        "sources": {s: _source_entry(G, s) for s in sorted(cited)},
        "kinds": {k.name: {"color": k.colour, "shape": k.shape} for k in model.NODE_KINDS},
        "types": {
            r.name: {"color": r.colour, "symmetric": r.symmetric, "mark": _MARKS.get(r.name, "arrow")}
            for r in model.RELATION_KINDS
        },
        "years": [min(years), max(years)] if years else None,
        "options": options,
    }


def _node_entry(G: nx.MultiDiGraph, n: str, size: float, values: Mapping[str, float], main: bool) -> dict[str, Any]:
    """A drawn node: name, kind, size, the years it stands, and what its panel shows."""
    d = G.nodes[n]
    kind = model.NODE_KIND.get(d.get("kind", ""))
    fields: list[list[str]] = []
    for f in kind.fields if kind else ():
        if d.get(f.name) is not None:
            value = d[f.name]
            fields.append(
                [f.name.replace("_", " "), ", ".join(map(str, value)) if isinstance(value, list) else str(value)]
            )
    first, last = _node_years(d)
    return {
        "id": n,
        "label": str(d.get("name", n)),
        "kind": str(d.get("kind", "?")),
        "size": size,
        "main": main,
        "y0": first,
        "y1": last,
        "aliases": [str(a) for a in d.get("aliases", [])],
        "weak": [str(a) for a in d.get("weak_aliases", [])],
        "fields": fields,
        "metrics": [[name, f"{value:.4g}"] for name, value in values.items()],
        "sources": [str(s) for s in d.get("sources", [])],
        "note": str(d["note"]) if d.get("note") else None,
    }


def _edge_entry(G: nx.MultiDiGraph, u: str, v: str, d: Mapping[str, Any], eid: str, key: str) -> dict[str, Any]:
    """A drawn relation: ends, type, the years it stands, whether the facts date it, its evidence."""
    first, last = _edge_years(G, u, v, d)
    return {
        "id": eid,
        "key": key,
        "from": u,
        "to": v,
        "type": str(d.get("type", "?")),
        "y0": first,
        "y1": last,
        "dated": first is not None or last is not None or bool(d.get("as_of")),
        "since": str(d["since"]) if d.get("since") else None,
        "until": str(d["until"]) if d.get("until") else None,
        "as_of": str(d["as_of"]) if d.get("as_of") else None,
        "confidence": str(d.get("confidence", "?")),
        "sources": [str(s) for s in d.get("sources", [])],
        "quotes": [str(q) for q in d.get("evidence", [])],
        "note": str(d["note"]) if d.get("note") else None,
        "records": [str(r) for r in d.get("records", [])],
    }


def _source_entry(G: nx.MultiDiGraph, sid: str) -> dict[str, str | None]:
    """A source as the panel cites it: title, publisher, date and url (None where not known)."""
    d = G.nodes[sid] if sid in G else {}
    is_source = d.get("kind") == "Source"

    def field(name: str) -> str | None:
        return str(d[name]) if is_source and d.get(name) else None

    return {
        "name": str(d.get("name", sid)) if is_source else str(sid),
        "publisher": field("publisher"),
        "published": field("published"),
        "url": field("url"),
    }


def _metric_rows(metrics: pd.DataFrame | None) -> dict[str, dict[str, float]]:
    """``{id: {metric: value}}`` from the numeric columns of a metrics table."""
    if metrics is None:
        return {}
    numeric = metrics.select_dtypes("number")
    return {
        str(i): {str(c): float(v) for c, v in row.items() if pd.notna(v)} for i, row in numeric.to_dict("index").items()
    }


def _scaler(sizes: Mapping[str, float] | None, drawn: list[str]) -> Callable[[str], float]:
    """A function from node id to its size in pixels, linear in ``sizes`` over the drawn nodes.

    Nodes without a value (or NaN) get the smallest size; if all values are equal, the middle one.
    """
    given = {n: float(sizes[n]) for n in drawn if sizes and n in sizes and not math.isnan(float(sizes[n]))}
    low, high = (min(given.values()), max(given.values())) if given else (0.0, 0.0)
    small, big = SIZE_RANGE

    def scale(n: str) -> float:
        if not sizes:
            return 16.0
        if n not in given:
            return small
        if high == low:
            return (small + big) / 2
        return round(small + (big - small) * (given[n] - low) / (high - low), 2)

    return scale


def _json_for_script(data: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` left raw."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, esc in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, esc)
    return text


def _relation_legend(counts: Mapping[str, int]) -> str:
    """One checkbox per relation kind of the model, in its colour and arrowhead; absent kinds are greyed."""
    out = []
    for r in model.RELATION_KINDS:
        n = counts.get(r.name, 0)
        state = "checked" if n else "disabled"
        mark = "" if r.symmetric else _MARK_GLYPH[_MARKS.get(r.name, "arrow")]
        out.append(
            f'<label class="{"" if n else "absent"}" title="{html.escape(r.doc)}">'
            f'<input type="checkbox" value="{html.escape(r.name)}" {state}>'
            f'<span class="gk-swatch" style="background:{html.escape(r.colour)}"></span>'
            f'<span class="gk-mark" style="color:{html.escape(r.colour)}">{mark}</span>'
            f'{html.escape(r.name)} <span class="gk-n">{n}</span></label>'
        )
    return "\n".join(out)


def _kind_legend(counts: Mapping[str, int]) -> str:
    """One checkbox per drawn node kind of the model, with its colour and shape; absent kinds are greyed."""
    out = []
    for k in model.NODE_KINDS:
        if k.name == "Source":
            continue
        n = counts.get(k.name, 0)
        out.append(
            f'<label class="{"" if n else "absent"}" title="{html.escape(k.doc)}">'
            f'<input type="checkbox" value="{html.escape(k.name)}" {"checked" if n else "disabled"}>'
            f'<span class="gk-glyph" style="color:{html.escape(k.colour)}">{_GLYPH.get(k.shape, "●")}</span>'
            f'{html.escape(k.name)} <span class="gk-n">{n}</span></label>'
        )
    return "\n".join(out)


def _year(value: Any) -> int | None:
    """The year of a partial date (``2015``, ``2015-01``, ``2015-01-12``), or None."""
    match = model.PARTIAL_DATE.match(str(value)) if value is not None else None
    return int(match.group(1)) if match else None


def _node_years(d: Mapping[str, Any]) -> tuple[int | None, int | None]:
    """The first and last year a node stands in the page (None: open).

    As :func:`graphkit.projection.node_period` dates it (an attack by its ``date``), and a group
    from the year it was ``founded``, so the page does not draw ISKP before 2015. (The metrics'
    time slices leave ``founded`` out on purpose; see :mod:`graphkit.projection`.)
    """
    first, last = projection.node_period(dict(d))
    start = first[0] if first else None
    if start is None and d.get("kind") == "Group":
        start = _year(d.get("founded"))
    return (start, last[0] if last else None)


def _edge_years(G: nx.MultiDiGraph, u: str, v: str, d: Mapping[str, Any]) -> tuple[int | None, int | None]:
    """The first and last year a relation stands (None: open), read as :func:`graphkit.projection.window` reads them.

    :func:`graphkit.projection.relation_period` (``since``, ``until``, widened by ``as_of``); where
    a bound is still missing and an end is a dated attack, the attack's date.
    """
    held_from, held_to = projection.relation_period(d)
    first, last = (held_from[0] if held_from else None), (held_to[0] if held_to else None)
    for end in (u, v):
        attack = G.nodes[end]
        if attack.get("kind") == "Attack" and attack.get("date"):
            year = _year(attack["date"])
            first = first if first is not None else year
            last = last if last is not None else year
    return first, last
