"""Facts -> networkx: the graph that metrics, views and exports work on.

The graph is a :class:`networkx.MultiDiGraph` keyed by entity id. Node attributes: ``kind`` plus
every stored property of the entity (``name``, ``aliases``, ``sources``, kind fields). Edges are
keyed by the relation's :attr:`~graphkit.facts.Relation.key`, with ``type`` plus every stored
property (``sources``, ``evidence``, ``confidence``, ``since``, ``until``, ``note``, ``records``).
Every relation survives, parallel ones included. The store's read-back produces the same graph.

Where the graph comes from is one seam: a :data:`GraphSource` (:class:`FactFiles`,
:class:`Database` or :class:`ExportFile`) read by :func:`obtain_graph`, which applies the one
selection of :func:`graphkit.projection.select` whatever the source. :func:`read_database` is
the front for notebooks and scripts, and :func:`resolve_entity` finds an entity by id, name or
alias, as every command that names an entity does.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphkit import _lazy

if TYPE_CHECKING:
    import networkx as nx
else:
    nx = _lazy.module("networkx")  # imported when first used: the CLI starts without it

from graphkit.errors import GraphkitError
from graphkit.facts import Facts, alias_key, read_facts
from graphkit.resources import shipped_dir
from graphkit.settings import ConnectionSettings

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


# --------------------------------------------------------------------------------------------
# Where the graph comes from: one seam for fact files, the database and exported files
# --------------------------------------------------------------------------------------------

#: Suffixes of the exported graph files :func:`graphkit.export.read_export` reads back.
EXPORT_SUFFIXES = (".graphml", ".gexf", ".json")


@dataclass(frozen=True)
class FactFiles:
    """Fact files or directories (validated when read; quotes checked against ``sources_dir``)."""

    paths: tuple[Path, ...]
    sources_dir: Path | None = None

    def read(self, *, with_scopes: bool = False) -> nx.MultiDiGraph:
        """The graph of the facts (fact files carry no load scopes; ``with_scopes`` is ignored)."""
        return to_networkx(read_facts(list(self.paths), self.sources_dir))

    def describe(self) -> str:
        """Words for where the graph came from."""
        return ", ".join(str(p) for p in self.paths)


@dataclass(frozen=True)
class Database:
    """The graph a database holds (every scope loaded into it)."""

    settings: ConnectionSettings

    def read(self, *, with_scopes: bool = False) -> nx.MultiDiGraph:
        """The stored graph (:func:`graphkit.store.read_graph`), with its load scopes when asked."""
        from graphkit import store

        return store.read_graph(self.settings, with_scopes=with_scopes)

    def describe(self) -> str:
        """Words for where the graph came from."""
        return f"database {self.settings.describe()}"


@dataclass(frozen=True)
class ExportFile:
    """A graph exported by ``graphkit export`` (GraphML, GEXF or node-link JSON)."""

    path: Path

    def read(self, *, with_scopes: bool = False) -> nx.MultiDiGraph:
        """The graph the file was written from (exports carry no load scopes)."""
        from graphkit.export import read_export

        return read_export(self.path)

    def describe(self) -> str:
        """Words for where the graph came from."""
        return str(self.path)


#: Every place a graph can come from; each has ``read(with_scopes=...)`` and ``describe()``.
GraphSource = FactFiles | Database | ExportFile


def obtain_graph(source: GraphSource, **selection: Any) -> nx.MultiDiGraph:
    """The full graph from ``source``, narrowed by :func:`graphkit.projection.select`.

    This is the one way metrics, views, exports and build get their graph: whichever the source,
    the same selection (kinds, types, as-of, around/depth, scopes) applies to it afterwards.

    Parameters
    ----------
    source : FactFiles, Database or ExportFile
        Where the graph comes from.
    **selection
        Keyword arguments of :func:`graphkit.projection.select`.
    """
    from graphkit.projection import select

    G = source.read(with_scopes=bool(selection.get("scopes")))
    H = select(G, **selection)
    H.graph.pop("scopes", None)  # the load stamps served the selection; exports need no more
    return H


def read_database(settings: ConnectionSettings | None = None, **selection: Any) -> nx.MultiDiGraph:
    """The database's graph for notebooks and scripts: the same graph the fact files build.

    Parameters
    ----------
    settings : ConnectionSettings, optional
        Which database; default: ``NEO4J_URI`` and friends, else the local default server
        (:func:`graphkit.connection.resolve_settings`, which starts it if needed).
    **selection
        ``kinds``, ``types``, ``as_of``, ``around``, ``depth``, ``scopes``, as in
        :func:`graphkit.projection.select`.

    Examples
    --------
    Not run here (it needs a database)::

        from graphkit.graph import read_database
        G = read_database(as_of="2021", scopes=["seed", "mmp"])
    """
    if settings is None:
        from graphkit.connection import resolve_settings

        settings = resolve_settings()
    return obtain_graph(Database(settings), **selection)


# --------------------------------------------------------------------------------------------
# Entities by any name
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """An entity a user's word might name: its id, kind, name and aliases."""

    id: str
    kind: str
    name: str
    aliases: tuple[str, ...] = ()

    def describe(self) -> str:
        """``id (Kind, Name)``, for error messages."""
        return f"{self.id} ({self.kind}, {self.name})"


def candidates_of(G: nx.MultiDiGraph) -> list[Candidate]:
    """Every node of ``G`` as a :class:`Candidate`."""
    return [
        Candidate(str(n), str(d.get("kind", "")), str(d.get("name", n)), tuple(d.get("aliases") or ()))
        for n, d in G.nodes(data=True)
    ]


def resolve_entity(word: str, candidates: Iterable[Candidate], *, what: str = "entity") -> str:
    """The id of the one entity ``word`` names: by id, name or alias, in any case.

    An exact id wins; otherwise ``word`` matches ids, names and aliases case-folded and with
    whitespace normalised (:func:`graphkit.facts.alias_key`).

    Raises
    ------
    GraphkitError
        No entity goes by ``word`` (close matches are listed), or several do (all are listed).

    Examples
    --------
    >>> c = [Candidate("iskp", "Group", "Islamic State Khorasan Province", ("ISIS-K", "IS-K")),
    ...      Candidate("abu-k", "Person", "Abu K", ("Is-K",))]
    >>> resolve_entity("iskp", c), resolve_entity("isis-k", c), resolve_entity("ISLAMIC state khorasan province", c)
    ('iskp', 'iskp', 'iskp')
    >>> resolve_entity("is-k", c)
    Traceback (most recent call last):
    ...
    graphkit.errors.GraphkitError: 'is-k' names 2 entities: abu-k (Person, Abu K), iskp (Group, Islamic State Khorasan Province); give an id
    """
    pool = list(candidates)
    if any(c.id == word for c in pool):
        return word
    key = alias_key(word)
    hits = sorted(
        {c for c in pool if key in {alias_key(c.id), alias_key(c.name), *(alias_key(a) for a in c.aliases)}},
        key=lambda c: c.id,
    )
    if len(hits) == 1:
        return hits[0].id
    if hits:
        raise GraphkitError(f"{word!r} names {len(hits)} entities: {', '.join(c.describe() for c in hits)}; give an id")
    names = {alias_key(n): c for c in pool for n in (c.id, c.name, *c.aliases)}
    close = difflib.get_close_matches(key, list(names), n=5, cutoff=0.6)
    hint = f" (close matches: {', '.join(dict.fromkeys(names[m].describe() for m in close))})" if close else ""
    raise GraphkitError(f"no {what} goes by {word!r} (id, name or alias){hint}")
