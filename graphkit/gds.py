"""Metrics in the database: :func:`graphkit.metrics.metrics_frame`'s columns, computed by Neo4j Graph Data Science.

For graphs that outgrow one machine's memory, a Neo4j server (or Aura) with the Graph Data Science
library (GDS) does the work: :func:`gds_metrics_frame` builds the projection inside the database
with one Cypher aggregation (the same nodes, links, weights and time slice as
:mod:`graphkit.projection` builds in Python), runs the GDS algorithms there through the
``graphdatascience`` client, and brings back only one row per node, as the same DataFrame with
the same ``attrs`` as :func:`graphkit.metrics.metrics_frame`.

How each column matches graphkit's (tests/test_gds.py checks every one on the seed and on a
synthetic 10k-node graph):

- ``degree``, ``strength``: GDS degree (in + out on directed graphs), divided by ``n - 1`` for
  ``degree``; exact.
- ``betweenness``: GDS betweenness on hop counts, rescaled as networkx normalises; exact. Above
  ``sample_above`` nodes GDS samples ``k`` sources of its own choosing (``samplingSeed=seed``;
  GDS favours high-degree sources), scaled by ``n / k``: estimates of the same quantity, rougher
  than graphkit's uniform sample (tests/test_gds.py states the tolerance).
- ``closeness``: GDS closeness with Wasserman and Faust's scaling (networkx's ``wf_improved``),
  incoming distances on directed graphs; exact at every size (GDS has no sampled form).
- ``eigenvector``: networkx's iteration on ``A + I``. GDS's weighted eigenvector divides every
  node's out-weights by their sum, so the iteration runs on a companion graph in which every node
  also has a self-loop of weight 1 and an edge of weight ``S - strength - 1`` into one extra sink
  node: every node's out-weights then sum to the same ``S``, and the iteration is
  ``(A + I) / S``, whose leading eigenvector is networkx's. Converged to ``1e-12``, tighter than
  networkx's default, so values agree with graphkit's to within graphkit's own tolerance.
- ``pagerank``: GDS PageRank divided by its sum. networkx spreads a dangling node's share
  uniformly, as its teleport does, so its PageRank is GDS's (which drops that share) up to a
  constant factor; converged to ``1e-12``.
- ``community``: GDS Louvain (weighted; one thread, so the same graph always gives the same
  partition), numbered from the largest community as graphkit numbers them. GDS's Louvain
  optimises undirected modularity, so a directed projection's communities are found on its
  undirected view (the two directions' weights added), where networkx's Louvain would optimise
  directed modularity. Louvain is a heuristic: partitions are compared by modularity, not label
  by label.
- ``core``, ``cut_vertex``, ``bridges``: GDS k-core, articulation points and bridges on the
  undirected view; exact.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import pandas as pd
from neo4j import exceptions as neo4j_errors

from graphkit import cypher, model
from graphkit import metrics as gm
from graphkit import projection as gp
from graphkit.connection import ConnectionSettings, open_driver
from graphkit.errors import GraphkitError, StoreError

if TYPE_CHECKING:
    from graphdatascience import GraphDataScience

#: The oldest GDS server the ``graphdatascience`` client supports, and so graphkit.
MIN_GDS_VERSION = "2.13"
#: Convergence tolerance and iteration cap of PageRank and eigenvector in GDS.
TOLERANCE = 1e-12
MAX_ITERATIONS = 10_000
#: Node properties the algorithms write into the in-memory graph, by frame column.
_PROPERTIES = {
    "degree": "gk_degree",
    "strength": "gk_strength",
    "betweenness": "gk_betweenness",
    "closeness": "gk_closeness",
    "pagerank": "gk_pagerank",
    "community": "gk_community",
    "core": "gk_core",
    "cut_vertex": "gk_cut",
}
#: The projected links (``P``: as the projection says, directed or not) and, for directed
#: projections, their undirected view (``U``), where k-core, cut vertices and bridges are defined.
_LINKS, _UNDIRECTED = "P", "U"


def _partial_date_bound(expr: str, end: str) -> str:
    """Cypher for the first (``end='lo'``) or last (``'hi'``) day a stored partial date can stand for.

    The same reading as :func:`graphkit.projection.date_bounds`, as ``YYYY-MM-DD`` text, which
    compares as the tuples do (day 31 is an upper bound for every month). Empty or missing: null.
    """
    year, month = ("-01-01", "-01") if end == "lo" else ("-12-31", "-31")
    text = f"toString({expr})"
    return (
        f"(CASE WHEN {expr} IS NULL OR {text} = '' THEN null WHEN size({text}) = 4 THEN {text} + '{year}' "
        f"WHEN size({text}) = 7 THEN {text} + '{month}' ELSE {text} END)"
    )


def _node_kept(var: str) -> str:
    """Cypher: the node ``var`` was written by one of ``$scopes`` (null: any) and lies in the slice ``[$lo, $hi]``.

    Only dated kinds can fall outside a slice, as in :func:`graphkit.projection.window`.
    """
    terms = [f"($scopes IS NULL OR any(s IN coalesce({var}._scopes, []) WHERE s IN $scopes))"]
    for kind, (start, stop) in gp._NODE_PERIOD.items():  # the one table of which kinds are dated
        first = _partial_date_bound(f"{var}.{start}", "lo")
        last = _partial_date_bound(f"{var}.{stop}" if stop else "null", "hi")
        overlaps = (
            f"(($hi IS NULL OR {first} IS NULL OR {first} <= $hi) AND ($lo IS NULL OR {last} IS NULL OR {last} >= $lo))"
        )
        terms.append(f"(NOT {var}:{cypher.label(kind)} OR {overlaps})")
    return " AND ".join(terms)


def _relation_kept(rel: str) -> str:
    """Cypher: relation ``rel`` is of ``$scopes`` and ``$types`` (null: any) and counted (``$uncounted`` left out)."""
    return (
        f"($scopes IS NULL OR {rel}._scope IN $scopes) AND ($types IS NULL OR type({rel}) IN $types) "
        f"AND NOT type({rel}) IN $uncounted"
    )


def _relation_period(rel: str, a: str, b: str) -> str:
    """Cypher binding ``first`` and ``last``: the days relation ``rel`` between ``a`` and ``b`` held.

    As :func:`graphkit.projection.relation_period` and :func:`graphkit.projection.window` read it:
    ``as_of`` widens a stated bound to contain it, and a dated end (an attack) fills a bound the
    relation leaves open.
    """
    since, until = _partial_date_bound(f"{rel}.since", "lo"), _partial_date_bound(f"{rel}.until", "hi")
    seen_lo, seen_hi = _partial_date_bound(f"{rel}.as_of", "lo"), _partial_date_bound(f"{rel}.as_of", "hi")
    firsts = [f"CASE WHEN {seen_lo} < {since} THEN {seen_lo} ELSE {since} END"]
    lasts = [f"CASE WHEN {seen_hi} > {until} THEN {seen_hi} ELSE {until} END"]
    for end in (a, b):
        for kind, (start, stop) in gp._NODE_PERIOD.items():
            label = cypher.label(kind)
            firsts.append(f"CASE WHEN {end}:{label} THEN {_partial_date_bound(f'{end}.{start}', 'lo')} END")
            lasts.append(f"CASE WHEN {end}:{label} THEN {_partial_date_bound(f'{end}.{stop or start}', 'hi')} END")
    return f"coalesce({', '.join(firsts)}) AS first, coalesce({', '.join(lasts)}) AS last"


#: Cypher: the ``first`` and ``last`` days bound by :func:`_relation_period` overlap the slice.
_OVERLAPS = "($hi IS NULL OR first IS NULL OR first <= $hi) AND ($lo IS NULL OR last IS NULL OR last >= $lo)"


def _actor(var: str) -> str:
    """Cypher: ``var`` is an actor of the actor projection (a community group only with ``$communities``)."""
    return f"($communities OR NOT coalesce({var}.group_type, '') IN $nonActors)"


def _weight(rel: str) -> str:
    """Cypher: a relation's confidence weight times its dataset weight (1.0 when unweighted)."""
    return f"(CASE WHEN $weighted THEN $scale[{rel}.confidence] * coalesce(toFloat({rel}.weight), 1.0) ELSE 1.0 END)"


@dataclass(frozen=True)
class _Plan:
    """Which nodes and links a projection keeps, in the terms of :mod:`graphkit.projection`."""

    name: str
    kinds: tuple[str, ...]
    via: tuple[str, ...]

    @classmethod
    def of(cls, name: str) -> _Plan:
        if name == "whole":
            return cls(name, tuple(k.name for k in model.NODE_KINDS if k.name != "Source"), ())
        parts = name.split("+")
        if name not in gp.PROJECTIONS or parts[0] != "actors":
            raise GraphkitError(f"unknown projection {name!r}: expected one of {', '.join(gp.PROJECTIONS)}")
        via = tuple(option for option in gp._VIA if option in parts[1:])
        return cls(name, tuple(sorted(model.ACTORS)), via)

    def labels(self, kinds: tuple[str, ...] | None = None) -> str:
        """A label expression such as ``Group|Person``."""
        return "|".join(cypher.label(k) for k in (kinds or self.kinds))


def projection_query(name: str, *, directed: bool, combine: gp.Combine) -> str:
    """The Cypher aggregation that projects ``name`` into the GDS catalog as graph ``$graph``.

    The same rules as :func:`graphkit.projection.project` (see its module notes), inside the
    database: nodes of the projection's kinds (attacks only when dated in the slice), relations
    between them that overlap the slice weighing their confidence, links through shared attacks
    or places weighing the weaker of their two relations, parallel links collapsed by ``combine``,
    self-loops dropped, symmetric kinds and shared links both ways when directed. Parameters:
    ``$graph``, ``$lo`` and ``$hi`` (the slice's first and last day as ``YYYY-MM-DD`` or null),
    ``$scopes`` and ``$types`` (null: all), ``$uncounted`` (relation types left out),
    ``$communities`` and ``$nonActors`` (whether to keep the group types that are not actors),
    ``$weighted``, ``$scale`` (confidence weights) and ``$symmetric`` (symmetric relation types).
    Relationship type ``P`` holds the links (undirected unless ``directed``); a directed
    projection also gets ``U``, its undirected view, one relationship per linked pair.
    """
    plan = _Plan.of(name)
    if combine not in ("sum", "max"):
        raise GraphkitError(f"combine must be 'sum' or 'max', not {combine!r}")
    nodes = plan.labels()

    def member(var: str) -> str:
        return _node_kept(var) if name == "whole" else f"{_node_kept(var)} AND {_actor(var)}"

    parts = [
        f"MATCH (a:{nodes})-[r]->(b:{nodes}) WHERE a <> b AND {member('a')} AND {member('b')} AND {_relation_kept('r')} "
        f"WITH a, b, r, {_relation_period('r', 'a', 'b')} WHERE {_OVERLAPS} "
        f"RETURN a, b, {_weight('r')} AS w, type(r) IN $symmetric AS both"
    ]
    actors = plan.labels(tuple(sorted(model.ACTORS)))
    for option in plan.via:
        hub = cypher.label(gp._VIA[option][0])
        parts.append(
            f"MATCH (h:{hub})-[r]-(x:{actors}) WHERE {_node_kept('h')} AND {member('x')} AND {_relation_kept('r')} "
            f"WITH h, x, r, {_relation_period('r', 'h', 'x')} WHERE {_OVERLAPS} "
            f"WITH h, x, max({_weight('r')}) AS w WITH h, collect({{n: x, w: w}}) AS best "
            "UNWIND best AS p UNWIND best AS q WITH p, q WHERE p.n.id < q.n.id "
            "RETURN p.n AS a, q.n AS b, CASE WHEN p.w < q.w THEN p.w ELSE q.w END AS w, true AS both"
        )
    links = " UNION ALL ".join(parts)
    fold = "sum(w)" if combine == "sum" else "max(w)"
    if directed:
        pairs = (
            "UNWIND CASE WHEN both THEN [[a, b], [b, a]] ELSE [[a, b]] END AS pair "
            f"WITH pair[0] AS s, pair[1] AS t, {fold} AS w "
            f"UNWIND [['{_LINKS}', s, t, w], ['{_UNDIRECTED}', CASE WHEN s.id < t.id THEN s ELSE t END, "
            "CASE WHEN s.id < t.id THEN t ELSE s END, w]] AS row "
            "WITH row[0] AS type, row[1] AS s, row[2] AS t, sum(row[3]) AS w"
        )
        undirected = f"['{_UNDIRECTED}']"
    else:
        pairs = (
            "WITH CASE WHEN a.id < b.id THEN a ELSE b END AS s, CASE WHEN a.id < b.id THEN b ELSE a END AS t, w "
            f"WITH s, t, {fold} AS w WITH '{_LINKS}' AS type, s, t, w"
        )
        undirected = f"['{_LINKS}']"
    return (
        f"CALL () {{ CALL () {{ {links} }} {pairs} RETURN s, t, type, CASE WHEN $weighted THEN w ELSE 1.0 END AS w "
        f"UNION ALL MATCH (s:{nodes}) WHERE {member('s')} RETURN s, null AS t, null AS type, null AS w }} "
        "WITH gds.graph.project($graph, s, t, {relationshipType: type, relationshipProperties: "
        "CASE WHEN t IS NULL THEN null ELSE {weight: w} END}, "
        f"{{undirectedRelationshipTypes: {undirected}}}) AS g "
        "RETURN g.graphName AS graph, g.nodeCount AS nodes"
    )


#: The companion graph of the eigenvector (see the module notes): the links both ways as the
#: iteration reads them, a unit self-loop per node and an edge into the sink making every node's
#: out-weights sum to ``$total``.
_EIGEN_QUERY = (
    "CALL () { CALL gds.graph.relationshipProperty.stream($graph, 'weight', [$type]) "
    "YIELD sourceNodeId AS s, targetNodeId AS t, propertyValue AS w RETURN s, t, w "
    "UNION ALL CALL gds.graph.nodeProperty.stream($graph, $out) YIELD nodeId AS s, propertyValue AS strength "
    "UNWIND [[s, 1.0], [$sink, $total - strength - 1.0]] AS e RETURN s, e[0] AS t, e[1] AS w } "
    "WITH gds.graph.project($eigen, s, t, {relationshipProperties: {weight: w}}) AS g RETURN g.nodeCount AS nodes"
)

#: Every node's metrics from the in-memory graph, with its id, name and kind from the database.
_STREAM_QUERY = (
    "CALL gds.graph.nodeProperties.stream($graph, $properties) YIELD nodeId, nodeProperty, propertyValue "
    "WITH nodeId, collect([nodeProperty, propertyValue]) AS values "
    "WITH nodeId, values, gds.util.asNode(nodeId) AS n "
    "RETURN nodeId, n.id AS id, n.name AS name, labels(n) AS labels, values"
)

_BRIDGES_QUERY = (
    "CALL gds.bridges.stream($graph, {relationshipTypes: [$type]}) YIELD from, to "
    "UNWIND [from, to] AS nodeId RETURN nodeId, count(*) AS bridges"
)


def _client(driver: Any, settings: ConnectionSettings) -> GraphDataScience:
    """A ``graphdatascience`` client on ``driver``, or a clear error when GDS is missing."""
    try:
        from graphdatascience import GraphDataScience
    except ImportError:
        raise GraphkitError("--engine gds needs the graphdatascience package: pip install 'graphkit[gds]'") from None
    where = settings.describe()
    try:
        version = driver.execute_query("RETURN gds.version() AS v", database_=settings.database).records[0]["v"]
    except neo4j_errors.Neo4jError as exc:
        raise GraphkitError(
            f"the server at {where} has no Graph Data Science library (gds.version() failed: {exc.message or exc}). "
            "Install the GDS plugin into Neo4j (or use Aura with GDS), or leave out --engine gds to compute "
            "the metrics in Python"
        ) from None
    major_minor = tuple(int(p) for p in str(version).split(".")[:2] if p.isdigit())
    if major_minor < tuple(int(p) for p in MIN_GDS_VERSION.split(".")):
        raise GraphkitError(f"the server at {where} has GDS {version}; graphkit needs GDS {MIN_GDS_VERSION} or newer")
    return GraphDataScience(driver, database=settings.database, arrow=False, show_progress=False)


@contextmanager
def _catalog_graphs(client: GraphDataScience) -> Iterator[list[str]]:
    """Names of in-memory graphs to drop when done, whatever happens."""
    names: list[str] = []
    try:
        yield names
    finally:
        for name in names:
            with suppress(Exception):  # best effort: the graph may never have been created
                client.run_cypher("CALL gds.graph.drop($g, false) YIELD graphName RETURN graphName", {"g": name})


def _slice_bounds(as_of: str | int | None) -> tuple[str | None, str | None, str]:
    """The slice's first and last day as ``YYYY-MM-DD`` text, and its words (as :func:`projection.as_of`)."""
    empty = nx.MultiDiGraph()
    if as_of is None:
        return None, None, "all time"
    lo, hi = gp.date_bounds(as_of)
    day = "{:04d}-{:02d}-{:02d}"
    return day.format(*lo), day.format(*hi), str(gp.as_of(empty, as_of).graph["slice"])


def gds_metrics_frame(
    settings: ConnectionSettings,
    projection: str = "actors",
    *,
    scopes: Sequence[str] | None = None,
    types: Sequence[str] | None = None,
    as_of: str | int | None = None,
    weighted: bool = True,
    directed: bool = False,
    combine: gp.Combine = "sum",
    intentions: bool = False,
    communities: bool = False,
    sample_above: int = gm.SAMPLE_ABOVE,
    k: int = gm.SAMPLE_K,
    seed: int = 0,
) -> pd.DataFrame:
    """Every metric of every node of a projection of the database's graph, computed by GDS in the database.

    The counterpart of ``metrics_frame(project(select(read_graph(settings), scopes=…, types=…,
    as_of=…), projection, …))`` that never brings the graph into Python: the projection is built
    in the database, the algorithms run in GDS, and one row per node comes back.

    Parameters
    ----------
    settings
        A Neo4j server with the Graph Data Science library.
    projection
        One of :data:`graphkit.projection.PROJECTIONS`.
    scopes
        Keep only the nodes and relations that the loads of these scopes wrote (default: all).
    types
        Relation types to keep (default: all).
    as_of
        A year or partial date: only relations active then (as :func:`graphkit.projection.as_of`).
    weighted, directed, combine, intentions, communities
        As in :func:`graphkit.projection.actor_network`.
    sample_above, k, seed
        As in :func:`graphkit.metrics.metrics_frame`: above ``sample_above`` nodes betweenness is
        estimated from ``k`` sources that GDS samples with ``seed`` (closeness stays exact).

    Returns
    -------
    pandas.DataFrame
        Index ``id``, the columns of :data:`graphkit.metrics.COLUMNS` and the ``attrs`` of
        :func:`graphkit.metrics.metrics_frame`; ``attrs['notes']`` starts by saying that GDS
        computed it, and which GDS.

    Raises
    ------
    GraphkitError
        The server has no GDS (or one too old), the client package is missing, or an option,
        scope, type or stored confidence is invalid (all such problems at once).
    StoreError
        The database or GDS refused a step (the message names the server and GDS's reason).
    """
    lo, hi, slice_words = _slice_bounds(as_of)
    query = projection_query(projection, directed=directed, combine=combine)
    words = gp.project(
        nx.MultiDiGraph(slice=slice_words),
        projection,
        weighted=weighted,
        directed=directed,
        combine=combine,
        intentions=intentions,
        communities=communities,
    )
    unknown = [t for t in types or () if t not in model.RELATION_KIND]
    if unknown:
        raise GraphkitError("; ".join(f"unknown relation type {t!r}" for t in unknown))
    params: dict[str, Any] = {
        "lo": lo,
        "hi": hi,
        "scopes": list(scopes) if scopes else None,
        "types": list(types) if types is not None else None,
        "weighted": weighted,
        "scale": dict(model.CONFIDENCE_WEIGHT),
        "symmetric": [r.name for r in model.RELATION_KINDS if r.symmetric],
        "uncounted": [] if intentions else sorted(model.UNCOUNTED_TYPES),
        "communities": communities,
        "nonActors": sorted(model.NON_ACTOR_GROUP_TYPES),
    }
    with _quiet(), open_driver(settings) as driver:
        client = _client(driver, settings)
        try:
            _check_stored(driver, settings, projection, params)
            with _catalog_graphs(client) as graphs:
                df = _compute(client, graphs, query, params, directed, sample_above, k, seed)
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
            message = exc.message if isinstance(exc, neo4j_errors.Neo4jError) and exc.message else str(exc)
            raise StoreError(f"Graph Data Science at {settings.describe()} failed: {message}") from None
        finally:
            client.close()
    df.attrs["projection"] = str(words.graph["projection"])
    return df


@contextmanager
def _quiet() -> Iterator[None]:
    """Keep the server's notifications (deprecations, unknown property names) off the user's terminal."""
    logger = logging.getLogger("neo4j.notifications")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _check_stored(driver: Any, settings: ConnectionSettings, projection: str, params: dict[str, Any]) -> None:
    """Every unknown scope and every off-scale confidence at once, as the Python path refuses them."""
    problems: list[str] = []
    if params["scopes"]:
        loaded = {
            r["scope"]
            for r in driver.execute_query(
                "MATCH (n) UNWIND coalesce(n._scopes, []) AS scope RETURN DISTINCT scope", database_=settings.database
            ).records
        }
        problems += [
            f"unknown scope {s!r} (loaded: {', '.join(sorted(loaded)) or 'none'})"
            for s in params["scopes"]
            if s not in loaded
        ]
    if params["weighted"]:
        labels = _Plan.of(projection).labels()
        records = driver.execute_query(
            f"MATCH (a:{labels})-[r]-() WHERE NOT r.confidence IN $confidences "
            "RETURN DISTINCT r.key AS key, r.confidence AS confidence LIMIT 20",
            confidences=list(model.CONFIDENCE_WEIGHT),
            database_=settings.database,
        ).records
        scale = ", ".join(model.CONFIDENCE_WEIGHT)
        problems += [
            f"relation {r['key']!r}: confidence {r['confidence']!r} is not on the scale ({scale})" for r in records
        ]
    if problems:
        raise GraphkitError("; ".join(problems))


def _compute(
    client: GraphDataScience,
    graphs: list[str],
    query: str,
    params: dict[str, Any],
    directed: bool,
    sample_above: int,
    k: int,
    seed: int,
) -> pd.DataFrame:
    """Project, run every algorithm in GDS and gather one row per node."""
    name = f"graphkit-{uuid.uuid4().hex[:12]}"
    graphs.append(name)
    client.run_cypher(query, {**params, "graph": name})
    G = client.graph.get(name)
    n = int(G.node_count())
    links, view = [_LINKS], [_UNDIRECTED if directed else _LINKS]
    notes: list[str] = []
    method = gm.path_method(n, sample_above=sample_above, k=k, seed=seed)
    if n == 0:
        return _empty_frame(method, notes)
    p = _PROPERTIES
    both = "UNDIRECTED" if directed else "NATURAL"  # in + out on directed graphs; each edge once otherwise
    client.degree.mutate(G, p["degree"], orientation=both, relationship_types=links)
    strength = client.degree.mutate(
        G, p["strength"], orientation=both, relationship_types=links, relationship_weight_property="weight"
    )
    sampling = {} if method == "exact" else {"sampling_size": k, "sampling_seed": seed}
    client.betweenness.mutate(G, p["betweenness"], relationship_types=links, **sampling)  # type: ignore[arg-type]
    client.closeness.mutate(G, p["closeness"], use_wasserman_faust=True, relationship_types=links)
    client.page_rank.mutate(
        G,
        p["pagerank"],
        relationship_types=links,
        relationship_weight_property="weight",
        max_iterations=MAX_ITERATIONS,
        tolerance=TOLERANCE,
    )
    client.louvain.mutate(
        G, p["community"], relationship_types=view, relationship_weight_property="weight", concurrency=1
    )
    client.kcore.mutate(G, p["core"], relationship_types=view)
    client.articulation_points.mutate(G, p["cut_vertex"], relationship_types=view)
    rows = client.run_cypher(_STREAM_QUERY, {"graph": name, "properties": list(p.values())})
    df = _frame(rows, n)
    bridges = client.run_cypher(_BRIDGES_QUERY, {"graph": name, "type": view[0]})
    counts = dict(zip(bridges["nodeId"].tolist(), bridges["bridges"].tolist(), strict=True))
    df["bridges"] = [int(counts.get(i, 0)) for i in df["_node"]]
    # eigenvector on the companion graph (module notes)
    out_property = p["strength"]
    max_out = float(strength.centrality_distribution["max"])
    if directed:
        out_property = "gk_out_strength"
        out = client.degree.mutate(
            G, out_property, orientation="NATURAL", relationship_types=links, relationship_weight_property="weight"
        )
        max_out = float(out.centrality_distribution["max"])
    eigen = f"{name}-eigen"
    graphs.append(eigen)
    sink = int(df["_node"].max()) + 1
    client.run_cypher(
        _EIGEN_QUERY,
        {"graph": name, "eigen": eigen, "type": _LINKS, "out": out_property, "sink": sink, "total": max_out + 2.0},
    )
    E = client.graph.get(eigen)
    result = client.eigenvector.mutate(
        E,
        "gk_eigenvector",
        relationship_weight_property="weight",
        max_iterations=MAX_ITERATIONS,
        tolerance=TOLERANCE,
    )
    if result.did_converge:
        scores = client.run_cypher(
            "CALL gds.graph.nodeProperty.stream($g, 'gk_eigenvector') YIELD nodeId, propertyValue "
            "WHERE nodeId <> $sink RETURN nodeId, propertyValue",
            {"g": eigen, "sink": sink},
        )
        by_node = dict(zip(scores["nodeId"].tolist(), scores["propertyValue"].tolist(), strict=True))
        vector = np.array([by_node[i] for i in df["_node"]], dtype=float)
        df["eigenvector"] = vector / (float(np.linalg.norm(vector)) or 1.0)
    else:
        df["eigenvector"] = np.nan
        notes.append(f"eigenvector left empty: GDS did not converge in {MAX_ITERATIONS} iterations")
    edges = round(float(df[p["degree"]].sum()) / 2)
    df = _finish(df, n, directed, method, k)
    notes.insert(0, _engine_note(client, method))
    df.attrs.update(method=method, nodes=n, edges=edges, notes=notes)
    return df


def _frame(rows: pd.DataFrame, n: int) -> pd.DataFrame:
    """The streamed rows as one row per node: id, name, kind and the raw algorithm values."""
    kinds = set(model.NODE_KIND)
    records: list[dict[str, Any]] = []
    for node, ident, name, labels, values in rows[["nodeId", "id", "name", "labels", "values"]].itertuples(index=False):
        kind = next((label for label in labels if label in kinds), "")
        record: dict[str, Any] = {"_node": int(node), "id": ident, "name": str(name if name is not None else ident)}
        record["kind"] = kind
        record.update({prop: value for prop, value in values})
        records.append(record)
    df = pd.DataFrame.from_records(records)
    if len(df) != n:
        raise StoreError(f"GDS returned {len(df)} rows for a graph of {n} nodes")
    return df


def _finish(df: pd.DataFrame, n: int, directed: bool, method: str, k: int) -> pd.DataFrame:
    """Rescale raw GDS values as graphkit (networkx) reports them and order the columns."""
    p = _PROPERTIES
    out = pd.DataFrame(index=pd.Index(df["id"].tolist(), name="id"))
    out["name"] = df["name"].to_numpy()
    out["kind"] = df["kind"].to_numpy()
    degree = df[p["degree"]].to_numpy(dtype=float)
    out["degree"] = degree / (n - 1) if n > 1 else np.ones(n)
    out["strength"] = df[p["strength"]].to_numpy(dtype=float)
    raw = df[p["betweenness"]].to_numpy(dtype=float)
    if method != "exact":
        raw = raw * n / k  # GDS sums over k sampled sources; scale to all n as an unbiased estimate
    if n > 2:
        raw = raw * (1.0 if directed else 2.0) / ((n - 1) * (n - 2))  # networkx's normalisation
    out["betweenness"] = raw
    out["closeness"] = df[p["closeness"]].to_numpy(dtype=float)
    out["eigenvector"] = df["eigenvector"].to_numpy(dtype=float)
    rank = df[p["pagerank"]].to_numpy(dtype=float)
    out["pagerank"] = rank / (float(rank.sum()) or 1.0)
    out["community"] = _number_communities(out.index, df[p["community"]].to_numpy())
    out["core"] = df[p["core"]].to_numpy(dtype=np.int64)
    out["cut_vertex"] = df[p["cut_vertex"]].to_numpy(dtype=float) > 0
    out["bridges"] = df["bridges"].to_numpy(dtype=np.int64)
    out = out.sort_index(key=lambda ids: ids.astype(str))
    return out.astype({"community": "int64", "core": "int64", "cut_vertex": "bool", "bridges": "int64"})[
        list(gm.COLUMNS)
    ]


def _number_communities(ids: pd.Index, labels: np.ndarray) -> list[int]:
    """GDS community ids renumbered as :func:`graphkit.metrics.communities` numbers them (largest first)."""
    members: dict[Any, list[str]] = {}
    for ident, label in zip(ids.astype(str), labels.tolist(), strict=True):
        members.setdefault(label, []).append(ident)
    ordered = sorted(members, key=lambda c: (-len(members[c]), min(members[c])))
    number = {label: i for i, label in enumerate(ordered)}
    return [number[label] for label in labels.tolist()]


def _engine_note(client: GraphDataScience, method: str) -> str:
    """The note saying where the metrics were computed and how they differ from graphkit's own."""
    version = client.server_version()
    note = f"computed in the database by Neo4j Graph Data Science {version}"
    if method != "exact":
        note += "; betweenness estimated from sources GDS chose (not graphkit's sample); closeness exact"
    return note


def _empty_frame(method: str, notes: list[str]) -> pd.DataFrame:
    """The frame of a graph without nodes."""
    df = pd.DataFrame({c: [] for c in gm.COLUMNS}, index=pd.Index([], name="id"))
    df = df.astype({"community": "int64", "core": "int64", "cut_vertex": "bool", "bridges": "int64"})
    df.attrs.update(method=method, nodes=0, edges=0, notes=notes)
    return df
