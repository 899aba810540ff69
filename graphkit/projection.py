"""Projections: the graph a metric runs on, derived from the full graph of facts.

The full graph (:func:`graphkit.graph.to_networkx`) is a :class:`networkx.MultiDiGraph` that keeps
every relation, its direction, dates and provenance. Centrality needs a simple graph, so each
function here states one choice of *which nodes*, *which links*, *directed or not* and *weighted or
not*, and returns a plain :class:`networkx.Graph` or :class:`networkx.DiGraph`:

- :func:`actor_network`: groups and people and the relations between them, optionally with actors
  linked through an attack or a place they share;
- :func:`whole_graph`: every entity except sources, every relation;
- :func:`as_of` and :func:`window`: time slices of the full graph, to project afterwards;
- :func:`select`: the one selection (scopes, kinds, types, as-of, around/depth) that every graph
  source (fact files, the database, an exported file) goes through before it is projected.

Collapsing rules (the same for every projection):

- Parallel relations between two nodes become one edge. With ``weighted=True`` each relation
  weighs its confidence (:data:`graphkit.model.CONFIDENCE_WEIGHT`) and the edge weight is the
  **sum** (``combine="sum"``, the default: two reported relations make a stronger tie than one) or
  the **max** (``combine="max"``: the weight stays on the confidence scale). With
  ``weighted=False`` every edge weighs 1.0, so weighted metrics read as unweighted ones.
- A link through a shared attack or place weighs the *smaller* confidence of its two relations
  (a chain is as sure as its weaker link); several shared attacks or places combine as parallel
  relations do.
- Undirected: direction is dropped. Directed: a relation keeps its direction; symmetric kinds
  (``ALLIED_WITH``, ``FOUGHT``, ``RIVAL_OF``, stored once) and shared-attack/place links become
  edges both ways.
- Self-loops are dropped (they carry no centrality and k-core refuses them).
- Left out by default, kept in the full graph: relations that are not acts or ties but aims and
  assessments (the kinds :data:`graphkit.model.UNCOUNTED_TYPES`: ``AIMED_AT``, ``THREAT_TO``;
  ``intentions=True`` counts them), and, in the actor projection, groups whose ``group_type`` is
  not an actor's (:data:`graphkit.model.NON_ACTOR_GROUP_TYPES`: victim communities;
  ``communities=True`` keeps them). ``G.graph["projection"]`` says what was left out
  ("without AIMED_AT, THREAT_TO relations and community groups").
- Every edge keeps ``weight``, ``count`` (relations or links collapsed into it), ``types`` (sorted
  relation types; ``SHARED_ATTACK`` and ``SHARED_PLACE`` for links through a shared node) and
  ``keys`` (the relation keys behind it, so that any edge can be traced back to its sources).
- Nodes keep all their attributes. ``G.graph["projection"]`` describes the projection in words
  and ``G.graph["graphkit"]`` holds it as data (name, directed, weighted, combine, slice).

Time slices read partial dates as widely as they allow: ``since: 2015`` may have begun on
2015-01-01 and ``until: 2015-06`` may have lasted until 2015-06-31 (compared as tuples, so day 31
serves as an upper bound for every month). A relation without ``since`` is taken as always begun
and one without ``until`` as ongoing, except that a relation touching an attack takes the attack's
``date`` for a missing bound (it happened then). A relation's ``as_of`` (observed holding then)
means "held at least then": its period is widened to contain that date, and an open end stays
open, so the relation stands in every slice that contains ``as_of`` and is never dated to begin
there (:func:`relation_period`). A relation is kept when its period overlaps the
slice; an attack is kept when its date overlaps the slice (attacks without a date are kept). Other
nodes are always kept, so an actor without relations in the slice stays as an isolated node (a
group's ``founded`` date is not used: it is "founded or announced, as stated", and facts often
date a group's relations before its announcement).
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, cast

from graphkit import _lazy

if TYPE_CHECKING:
    import networkx as nx
else:
    nx = _lazy.module("networkx")  # imported when first used: the CLI starts without it

from graphkit import model
from graphkit.errors import GraphkitError, InputError

Combine = Literal["sum", "max"]
Via = Literal["attacks", "places"]
DateBound = int | str | None
Day = tuple[int, int, int]

#: Projection names accepted by :func:`project` and the CLI.
PROJECTIONS: tuple[str, ...] = ("actors", "actors+attacks", "actors+places", "actors+attacks+places", "whole")

#: Node kinds that a ``via`` option links actors through, and the link type it creates.
_VIA: dict[str, tuple[str, str]] = {"attacks": ("Attack", "SHARED_ATTACK"), "places": ("Place", "SHARED_PLACE")}

#: Node fields that date an entity in time slices: kind -> (field of its start, field of its end).
_NODE_PERIOD: dict[str, tuple[str, str | None]] = {"Attack": ("date", "date")}


# --------------------------------------------------------------------------------------------
# Time slices
# --------------------------------------------------------------------------------------------


def date_bounds(value: int | str) -> tuple[Day, Day]:
    """The earliest and latest day a partial date can stand for, as ``(year, month, day)`` tuples.

    Parameters
    ----------
    value : int or str
        A year (``2015``) or a partial date (``'2015'``, ``'2015-06'``, ``'2015-06-12'``).

    Raises
    ------
    InputError
        If ``value`` is not a partial date.

    Examples
    --------
    >>> date_bounds(2015)
    ((2015, 1, 1), (2015, 12, 31))
    >>> date_bounds("2021-08")
    ((2021, 8, 1), (2021, 8, 31))
    """
    text = str(value)
    match = model.PARTIAL_DATE.match(text)
    if match is None:
        raise InputError(f"not a partial date (YYYY, YYYY-MM or YYYY-MM-DD): {value!r}")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    lo = (year, month or 1, day or 1)
    hi = (year, month or 12, day or 31)
    return lo, hi


def as_of(G: nx.MultiDiGraph, when: int | str) -> nx.MultiDiGraph:
    """The full graph as it stood at a year (or month, or day): relations active then.

    ``as_of(G, Y)`` is ``window(G, Y, Y)``: a relation is kept when its period (read as widely as
    its partial dates allow, see the module notes) overlaps year ``Y``. With years: a relation is
    kept when it has no ``since`` or its since-year is <= Y, and it has no ``until`` or its
    until-year is >= Y.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The full graph (:func:`graphkit.graph.to_networkx`).
    when : int or str
        A year or a partial date.

    Returns
    -------
    networkx.MultiDiGraph
        A new graph with the kept nodes and relations (attributes copied) and
        ``graph["slice"]`` describing the slice.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from(["a", "b"], kind="Group")
    >>> _ = G.add_edge("a", "b", key="k1", type="FOUGHT", confidence="reported", since="2015", until="2017")
    >>> _ = G.add_edge("a", "b", key="k2", type="ALLIED_WITH", confidence="reported", since="2019")
    >>> sorted(k for _, _, k in as_of(G, 2016).edges(keys=True))
    ['k1']
    >>> sorted(k for _, _, k in as_of(G, 2021).edges(keys=True))
    ['k2']
    >>> as_of(G, 2018).number_of_edges(), as_of(G, 2018).graph["slice"]
    (0, 'as of 2018')
    """
    return window(G, when, when)


def window(G: nx.MultiDiGraph, start: DateBound = None, end: DateBound = None) -> nx.MultiDiGraph:
    """The full graph over a period: relations whose period overlaps ``[start, end]``.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The full graph.
    start, end : int, str or None
        Years or partial dates; ``None`` leaves that end open. ``start='2021-08'`` begins on
        2021-08-01, ``end=2021`` ends on 2021-12-31.

    Returns
    -------
    networkx.MultiDiGraph
        A new graph with the kept nodes and relations and ``graph["slice"]`` describing it.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from(["a", "b"], kind="Group")
    >>> G.add_node("x", kind="Attack", date="2021-08-26")
    >>> _ = G.add_edge("a", "x", key="k1", type="CARRIED_OUT", confidence="confirmed")
    >>> _ = G.add_edge("a", "b", key="k2", type="FOUGHT", confidence="reported", until="2010")
    >>> H = window(G, "2021-08", None)
    >>> sorted(H.nodes), [k for _, _, k in H.edges(keys=True)], H.graph["slice"]
    (['a', 'b', 'x'], ['k1'], 'from 2021-08')
    >>> sorted(window(G, None, "2021-07").nodes)
    ['a', 'b']
    """
    lo = date_bounds(start)[0] if start is not None else None
    hi = date_bounds(end)[1] if end is not None else None

    def overlaps(first: Day | None, last: Day | None) -> bool:
        return (hi is None or first is None or first <= hi) and (lo is None or last is None or last >= lo)

    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H.graph["slice"] = _describe_slice(start, end)
    for node, data in G.nodes(data=True):
        first, last = node_period(data)
        if overlaps(first, last):
            H.add_node(node, **data)
    for u, v, key, data in G.edges(keys=True, data=True):
        if u not in H or v not in H:
            continue
        if overlaps(*relation_span(G, u, v, data)):
            H.add_edges_from([(u, v, key, dict(data))])  # data may hold 'key' too
    return H


def relation_period(data: Mapping[str, Any]) -> tuple[Day | None, Day | None]:
    """When a relation held, as (year, month, day) bounds of ``since``/``until`` (None: open or unknown).

    ``as_of`` (held at least then) widens a stated bound to contain it and leaves an open one open.
    Shared by the time slices here and by the views' year filter.

    Examples
    --------
    >>> relation_period({"as_of": "2022-06"})
    (None, None)
    >>> relation_period({"since": "2015", "as_of": "2014-03"})
    ((2014, 3, 1), None)
    """
    first = date_bounds(data["since"])[0] if data.get("since") else None
    last = date_bounds(data["until"])[1] if data.get("until") else None
    if data.get("as_of"):
        seen_first, seen_last = date_bounds(data["as_of"])
        first = min(first, seen_first) if first is not None else None
        last = max(last, seen_last) if last is not None else None
    return first, last


def relation_span(
    G: nx.MultiDiGraph, u: Hashable, v: Hashable, data: Mapping[str, Any]
) -> tuple[Day | None, Day | None]:
    """When a relation of ``G`` held: :func:`relation_period`, with an open end of a relation
    touching a dated attack taken from the attack's date.

    The rule of the time slices, shared with the dynamic GEXF export so that Gephi's timeline
    shows a relation exactly when :func:`as_of` keeps it.
    """
    first, last = relation_period(data)
    for end_node in (u, v):
        attack = G.nodes[end_node]
        if attack.get("kind") == "Attack" and attack.get("date"):
            a_first, a_last = date_bounds(attack["date"])
            first = first if first is not None else a_first
            last = last if last is not None else a_last
    return first, last


def node_period(data: dict[str, Any]) -> tuple[Day | None, Day | None]:
    """When a node began and ended, as (year, month, day) bounds from its kind's dating fields (None: open or unknown).

    Shared by the time slices here and by the views' year filter, so both date an attack alike.
    """
    fields = _NODE_PERIOD.get(data.get("kind", ""))
    if fields is None:
        return None, None
    start_field, end_field = fields
    first = date_bounds(data[start_field])[0] if data.get(start_field) else None
    last = date_bounds(data[end_field])[1] if end_field and data.get(end_field) else None
    return first, last


def _describe_slice(start: DateBound, end: DateBound) -> str:
    """Words for a slice: 'as of 2021', '2015 to 2021', 'from 2015', 'until 2021' or 'all time'."""
    if start is not None and end is not None:
        return f"as of {start}" if str(start) == str(end) else f"{start} to {end}"
    if start is not None:
        return f"from {start}"
    if end is not None:
        return f"until {end}"
    return "all time"


# --------------------------------------------------------------------------------------------
# Selection: the one way every graph source is narrowed
# --------------------------------------------------------------------------------------------


def select(
    G: nx.MultiDiGraph,
    *,
    kinds: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    as_of: DateBound = None,
    around: str | None = None,
    depth: int = 1,
    scopes: Iterable[str] | None = None,
) -> nx.MultiDiGraph:
    """The part of the full graph a command asked for; the same rules whatever the graph's source.

    Applied in this order: ``scopes``, ``kinds``, ``types``, ``as_of``, then ``around``/``depth``.
    Source nodes are provenance, not topology: ``around`` keeps every Source node (pages name
    sources in tooltips from them), and ``kinds`` drops them only when ``'Source'`` is not among
    the kinds asked for.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The full graph (from fact files, the database or an export; see :mod:`graphkit.graph`).
    kinds : iterable of str, optional
        Node kinds to keep; relations to other kinds go too.
    types : iterable of str, optional
        Relation types to keep; every node stays.
    as_of : int or str, optional
        A year or partial date (``2021``, ``2021-08``, ``2021-08-26``): :func:`as_of`.
    around : str, optional
        An entity by id, name or alias in any case (:func:`graphkit.graph.resolve_entity`):
        keep what lies within ``depth`` relations of it, either direction.
    depth : int
        Hops around ``around`` (0 or more).
    scopes : iterable of str, optional
        Keep only nodes and relations that the loads of these scopes wrote. Needs a graph read
        from the database with its scopes (``G.graph["scopes"]``, see
        :func:`graphkit.store.read_graph`).

    Returns
    -------
    networkx.MultiDiGraph
        A new graph; ``G`` is not changed.

    Raises
    ------
    GraphkitError
        Every unknown kind, type or scope and a bad date or depth at once (close matches named),
        or an ``around`` that names no entity or several.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("s1", kind="Source", name="An article")
    >>> G.add_node("a", kind="Group", name="Alpha", aliases=["AG"])
    >>> G.add_node("b", kind="Group", name="Beta")
    >>> G.add_node("c", kind="Person", name="Gamma")
    >>> G.add_edges_from([("a", "b", "k1", {"type": "FOUGHT", "since": "2015-03"}),
    ...                   ("b", "c", "k2", {"type": "LED_BY", "since": "2019"})])
    ['k1', 'k2']
    >>> sorted(select(G, around="ag", depth=1))
    ['a', 'b', 's1']
    >>> sorted(select(G, kinds=["Group"])), sorted(k for *_, k in select(G, as_of="2016-01").edges(keys=True))
    (['a', 'b'], ['k1'])
    """
    from graphkit.graph import candidates_of, resolve_entity

    kinds = list(kinds) if kinds is not None else None
    types = list(types) if types is not None else None
    scopes = list(scopes) if scopes else None
    problems: list[str] = []
    for what, given, known in (("node kind", kinds, model.NODE_KIND), ("relation type", types, model.RELATION_KIND)):
        for name in [g for g in given or () if g not in known]:
            problems.append(f"unknown {what} {name!r}{_close(name, known)}")
    if as_of is not None:
        try:
            date_bounds(as_of)
        except ValueError as exc:
            problems.append(f"as of: {exc}")
    if depth < 0:
        problems.append(f"depth must be 0 or more, not {depth}")
    stamps: dict[str, Any] | None = G.graph.get("scopes")
    if scopes is not None:
        if stamps is None:
            problems.append("scopes are known only for a graph read from the database (--db)")
        else:
            problems += [
                f"unknown scope {s!r}{_close(s, stamps['loaded'])}" for s in scopes if s not in stamps["loaded"]
            ]
    if problems:
        raise GraphkitError("; ".join(problems))

    H = G.copy()
    if scopes is not None and stamps is not None:
        wanted = set(scopes)
        H.remove_nodes_from([n for n in G if not wanted & set(stamps["nodes"].get(n, ()))])
        H.remove_edges_from([e for e in H.edges(keys=True) if stamps["relations"].get(e) not in wanted])
    if kinds is not None:
        H.remove_nodes_from([n for n, k in G.nodes(data="kind") if k not in kinds])
    if types is not None:
        H.remove_edges_from([(u, v, k) for u, v, k, t in H.edges(keys=True, data="type") if t not in types])
    if as_of is not None:
        H = window(H, as_of, as_of)
    if around is not None:
        centre = resolve_entity(around, candidates_of(H))
        near = nx.single_source_shortest_path_length(H.to_undirected(as_view=True), centre, cutoff=depth)
        keep = set(near) | {n for n, k in H.nodes(data="kind") if k == "Source"}
        H = H.subgraph(keep).copy()
    return H


def _close(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean …?)`` listing close matches, or an empty string."""
    matches = difflib.get_close_matches(word, list(choices), n=5, cutoff=0.5)
    return f" (did you mean {', '.join(map(repr, matches))}?)" if matches else ""


# --------------------------------------------------------------------------------------------
# Projections
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Link:
    """One relation (or shared-node link) on its way into a collapsed edge."""

    u: Hashable
    v: Hashable
    weight: float
    type: str
    keys: tuple[str, ...]
    both_ways: bool


def actor_network(
    G: nx.MultiDiGraph,
    *,
    via: Iterable[Via] = (),
    weighted: bool = True,
    directed: bool = False,
    combine: Combine = "sum",
    intentions: bool = False,
    communities: bool = False,
) -> nx.Graph:
    """The actor network: groups and people, and the relations between them.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The full graph (or a time slice of it).
    via : iterable of {'attacks', 'places'}
        Also link two actors that are both related to the same attack (carried it out or were
        targeted by it) or the same place (active in it). Only direct relations count: an actor
        active in a city is not thereby linked to one active in the city's country.
    weighted : bool
        Weigh edges by confidence (see the module notes); otherwise every edge weighs 1.0.
    directed : bool
        Return a DiGraph keeping relation directions; otherwise an undirected Graph.
    combine : {'sum', 'max'}
        How parallel relations combine into one edge weight.
    intentions : bool
        Also count aims and threats (``AIMED_AT``, ``THREAT_TO``), which are not acts.
    communities : bool
        Keep groups that are not actors (``group_type`` community: victims), left out by default.

    Returns
    -------
    networkx.Graph or networkx.DiGraph
        Every actor (Group and Person nodes, isolated ones too) and the collapsed edges.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from(["g1", "g2"], kind="Group")
    >>> G.add_node("p1", kind="Person")
    >>> G.add_node("x1", kind="Attack")
    >>> _ = G.add_edge("g1", "g2", key="a", type="FOUGHT", confidence="confirmed")
    >>> _ = G.add_edge("g1", "g2", key="b", type="ALLIED_WITH", confidence="alleged")
    >>> _ = G.add_edge("g1", "x1", key="c", type="CARRIED_OUT", confidence="reported")
    >>> _ = G.add_edge("p1", "x1", key="d", type="CARRIED_OUT", confidence="uncertain")
    >>> A = actor_network(G)
    >>> sorted(A.nodes), A.edges["g1", "g2"]["weight"], A.edges["g1", "g2"]["count"]
    (['g1', 'g2', 'p1'], 1.5, 2)
    >>> B = actor_network(G, via=["attacks"], combine="max")
    >>> B.edges["g1", "p1"]["weight"], B.edges["g1", "p1"]["types"], B.edges["g1", "g2"]["weight"]
    (0.25, ['SHARED_ATTACK'], 1.0)
    >>> B.graph["projection"]  # doctest: +NORMALIZE_WHITESPACE
    'actors+attacks, undirected, weighted by confidence (max of parallel relations),
    without AIMED_AT, THREAT_TO relations and community groups, all time'
    >>> G.add_node("victims", kind="Group", group_type="community")
    >>> _ = G.add_edge("g1", "victims", key="e", type="AIMED_AT", confidence="reported")
    >>> sorted(actor_network(G).nodes), actor_network(G).graph["projection"]  # doctest: +NORMALIZE_WHITESPACE
    (['g1', 'g2', 'p1'], 'actors, undirected, weighted by confidence (sum of parallel relations),
    without AIMED_AT, THREAT_TO relations and community groups, all time')
    >>> actor_network(G, intentions=True, communities=True).edges["g1", "victims"]["types"]
    ['AIMED_AT']
    """
    via = tuple(dict.fromkeys(via))
    unknown = [v for v in via if v not in _VIA]
    if unknown:
        raise InputError(f"unknown 'via' {unknown}: expected any of {sorted(_VIA)}")
    actors = [
        n
        for n, data in G.nodes(data=True)
        if data.get("kind") in model.ACTORS
        and (communities or data.get("group_type") not in model.NON_ACTOR_GROUP_TYPES)
    ]
    actor_set = set(actors)
    links: list[_Link] = [
        link for link in _relation_links(G, weighted, intentions) if link.u in actor_set and link.v in actor_set
    ]
    for option in sorted(via, key=list(_VIA).index):
        kind, link_type = _VIA[option]
        links.extend(_shared_links(G, actor_set, kind, link_type, weighted, intentions))
    name = "+".join(["actors", *sorted(via, key=list(_VIA).index)])
    left_out = _left_out(intentions, communities)
    return _collapse(
        G, actors, links, name=name, directed=directed, weighted=weighted, combine=combine, left_out=left_out
    )


def whole_graph(
    G: nx.MultiDiGraph,
    *,
    weighted: bool = True,
    directed: bool = False,
    combine: Combine = "sum",
    intentions: bool = False,
) -> nx.Graph:
    """Every entity except sources, and every relation (aims and threats only if asked), collapsed.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The full graph (or a time slice of it).
    weighted, directed, combine, intentions
        As in :func:`actor_network`.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("s1", kind="Source")
    >>> G.add_node("g1", kind="Group")
    >>> G.add_node("k1", kind="Place")
    >>> _ = G.add_edge("g1", "k1", key="a", type="ACTIVE_IN", confidence="reported")
    >>> W = whole_graph(G, directed=True, weighted=False)
    >>> sorted(W.nodes), list(W.edges(data="weight"))
    (['g1', 'k1'], [('g1', 'k1', 1.0)])
    """
    nodes = [n for n, kind in G.nodes(data="kind") if kind != "Source"]
    links = _relation_links(G, weighted, intentions)
    left_out = _left_out(intentions, communities=True)
    return _collapse(
        G, nodes, links, name="whole", directed=directed, weighted=weighted, combine=combine, left_out=left_out
    )


def project(
    G: nx.MultiDiGraph,
    projection: str = "actors",
    *,
    weighted: bool = True,
    directed: bool = False,
    combine: Combine = "sum",
    intentions: bool = False,
    communities: bool = False,
) -> nx.Graph:
    """The projection named ``projection`` (one of :data:`PROJECTIONS`), as the CLI names them.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("g1", kind="Group")
    >>> project(G, "actors+places").graph["graphkit"]["projection"]
    'actors+places'
    """
    if projection == "whole":
        return whole_graph(G, weighted=weighted, directed=directed, combine=combine, intentions=intentions)
    parts = projection.split("+")
    if projection not in PROJECTIONS or parts[0] != "actors":
        raise InputError(f"unknown projection {projection!r}: expected one of {', '.join(PROJECTIONS)}")
    via = [cast(Via, p) for p in _VIA if p in parts[1:]]
    return actor_network(
        G,
        via=via,
        weighted=weighted,
        directed=directed,
        combine=combine,
        intentions=intentions,
        communities=communities,
    )


def _confidence_weight(data: dict[str, Any], key: Hashable) -> float:
    """The confidence weight of one relation, times its dataset ``weight`` where it has one."""
    confidence = data.get("confidence")
    try:
        return model.CONFIDENCE_WEIGHT[str(confidence)] * float(data.get("weight", 1.0))
    except KeyError:
        scale = ", ".join(model.CONFIDENCE_WEIGHT)
        raise InputError(f"relation {key!r}: confidence {confidence!r} is not on the scale ({scale})") from None


def _left_out(intentions: bool, communities: bool) -> str:
    """Words for what a projection leaves out by default ('' when nothing), e.g. 'without AIMED_AT relations'."""
    parts = [] if intentions else [f"{', '.join(sorted(model.UNCOUNTED_TYPES))} relations"]
    parts += [] if communities else [f"{', '.join(sorted(model.NON_ACTOR_GROUP_TYPES))} groups"]
    return f"without {' and '.join(parts)}" if parts else ""


def _relation_links(G: nx.MultiDiGraph, weighted: bool, intentions: bool = False) -> Iterator[_Link]:
    """Each relation of the full graph as a link, weighted by confidence when asked (aims and threats only if asked)."""
    for u, v, key, data in G.edges(keys=True, data=True):
        if not intentions and data.get("type") in model.UNCOUNTED_TYPES:
            continue
        weight = _confidence_weight(data, key) if weighted else 1.0
        kind = model.RELATION_KIND.get(data.get("type", ""))
        yield _Link(u, v, weight, str(data.get("type")), (str(key),), bool(kind and kind.symmetric))


def _shared_links(
    G: nx.MultiDiGraph, actors: set[Hashable], kind: str, link_type: str, weighted: bool, intentions: bool = False
) -> Iterator[_Link]:
    """Links between actors related to the same node of ``kind``, weighing their weaker relation."""
    for hub, hub_kind in G.nodes(data="kind"):
        if hub_kind != kind:
            continue
        best: dict[Hashable, tuple[float, str]] = {}
        incident = itertools.chain(G.in_edges(hub, keys=True, data=True), G.out_edges(hub, keys=True, data=True))
        for u, v, key, data in incident:
            actor = v if u == hub else u
            if actor not in actors or (not intentions and data.get("type") in model.UNCOUNTED_TYPES):
                continue
            weight = _confidence_weight(data, key) if weighted else 1.0
            if actor not in best or weight > best[actor][0]:
                best[actor] = (weight, str(key))
        for a, b in itertools.combinations(sorted(best, key=str), 2):
            (wa, ka), (wb, kb) = best[a], best[b]
            yield _Link(a, b, min(wa, wb), link_type, (ka, kb), True)


def _collapse(
    G: nx.MultiDiGraph,
    nodes: list[Hashable],
    links: Iterable[_Link],
    *,
    name: str,
    directed: bool,
    weighted: bool,
    combine: Combine,
    left_out: str = "",
) -> nx.Graph:
    """Build the simple graph of ``nodes`` with ``links`` collapsed by the module's rules."""
    if combine not in ("sum", "max"):
        raise InputError(f"combine must be 'sum' or 'max', not {combine!r}")
    H: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    H.add_nodes_from((n, dict(G.nodes[n])) for n in nodes)
    for link in links:
        if link.u == link.v or link.u not in H or link.v not in H:
            continue
        pairs = [(link.u, link.v), (link.v, link.u)] if directed and link.both_ways else [(link.u, link.v)]
        for u, v in pairs:
            data = H.get_edge_data(u, v)
            if data is None:
                H.add_edge(u, v, weight=link.weight, count=1, types=[link.type], keys=list(link.keys))
                continue
            data["weight"] = data["weight"] + link.weight if combine == "sum" else max(data["weight"], link.weight)
            data["count"] += 1
            if link.type not in data["types"]:
                data["types"] = sorted([*data["types"], link.type])
            data["keys"].extend(k for k in link.keys if k not in data["keys"])
    if not weighted:
        for _, _, data in H.edges(data=True):
            data["weight"] = 1.0
    slice_ = G.graph.get("slice", "all time")
    how = f"weighted by confidence ({combine} of parallel relations)" if weighted else "unweighted"
    words = [name, "directed" if directed else "undirected", how, *([left_out] if left_out else []), slice_]
    H.graph["projection"] = ", ".join(words)
    H.graph["graphkit"] = {
        "projection": name,
        "directed": directed,
        "weighted": weighted,
        "combine": combine,
        "slice": slice_,
        "without": left_out,
    }
    return H
