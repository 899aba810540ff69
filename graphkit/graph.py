"""Facts -> networkx: the graph that metrics, views and exports work on.

The graph is a :class:`networkx.MultiDiGraph` keyed by entity id. Node attributes: ``kind`` plus
every stored property of the entity (``name``, ``aliases``, ``sources``, kind fields). Edges are
keyed by the relation's :attr:`~graphkit.facts.Relation.key`, with ``type`` plus every stored
property (``sources``, ``evidence``, ``confidence``, ``since``, ``until``, ``note``, ``records``).
Every relation survives, parallel ones included. The store's read-back produces the same graph.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from graphkit import _lazy

if TYPE_CHECKING:
    import networkx as nx
else:
    nx = _lazy.module("networkx")  # imported when first used: the CLI starts without it

from graphkit.facts import Facts, read_facts
from graphkit.resources import shipped_dir

#: The seed facts shipped with graphkit.
SEED_DIR = shipped_dir("seed")


def to_networkx(facts: Facts) -> nx.MultiDiGraph:
    """Build the MultiDiGraph of ``facts``.

    Examples
    --------
    >>> from graphkit.facts import Entity, Facts, Relation
    >>> src = Entity("a1", "Source", "An article")
    >>> f = Facts({"a1": src, "g1": Entity("g1", "Group", "G1", sources=["a1"]),
    ...            "g2": Entity("g2", "Group", "G2", sources=["a1"])},
    ...           [Relation("FOUGHT", "g1", "g2", ["a1"], ["they fought"], since="2015"),
    ...            Relation("FOUGHT", "g1", "g2", ["a1"], ["and again"], since="2018")])
    >>> G = to_networkx(f)
    >>> G.number_of_edges("g1", "g2"), G.nodes["g1"]["kind"]
    (2, 'Group')
    """
    G = nx.MultiDiGraph()
    for ent in facts.entities.values():
        G.add_node(ent.id, kind=ent.kind, **{k: v for k, v in ent.properties().items() if k != "id"})
    # add_edges_from, not add_edge: the edge attribute ``key`` would clash with add_edge's argument
    G.add_edges_from((r.source, r.target, r.key, {"type": r.type, **r.properties()}) for r in facts.relations)
    return G


def load_seed_graph(sources_dir: Path | str | None = None) -> nx.MultiDiGraph:
    """Read and validate the seed facts and return their graph (for notebooks and quick looks)."""
    return to_networkx(read_facts([SEED_DIR], sources_dir))
