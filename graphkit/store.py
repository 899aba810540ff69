"""The graph store: load Facts into Neo4j (or the local default), read them back, run Cypher.

Everything goes through the official ``neo4j`` driver (:func:`graphkit.connection.open_driver`),
so the local ArcadeDB server and a user's Neo4j share one code path; the calls of one process
share one driver per database (:func:`shared_driver`). The Cypher comes from
:mod:`graphkit.cypher`: labels and types from the model, values only as parameters.
:func:`read_graph` reads the whole stored graph back (narrowing it is
:func:`graphkit.projection.select`'s job, the same for every source of a graph).

A load is one write transaction: constraints first (schema statements cannot share a transaction
with data), then every node batch, every relation batch and the cleanup of what an earlier load of
the same scope wrote and this one no longer contains. Either all of it becomes visible or none: a
load that fails midway (a constraint violated, the server killed) leaves the previous graph as it
was, and running it again converges. Measured here (``bench/bench_load.py``): 10k nodes and
50k relations in one transaction on the local server took about 4.5 s (8 s on a cold server);
ArcadeDB held the whole transaction within a 1 GB heap (the local server's heap defaults to a
quarter of the machine's memory, between 1 and 16 GB: :func:`graphkit.local.default_heap`).
"""

from __future__ import annotations

import atexit
import concurrent.futures
import contextlib
import dataclasses
import datetime as dt
import logging
import random
import re
import shutil
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar

from graphkit import _gc, _lazy, cypher, dialect, model
from graphkit.connection import ConnectionSettings, open_driver
from graphkit.errors import GraphkitError, LoadRefused, StoreError
from graphkit.facts import Entity, Facts, validate

if TYPE_CHECKING:
    import neo4j
    import networkx as nx
    import pandas as pd
    from neo4j import exceptions as neo4j_errors
    from neo4j import graph as neo4j_graph
    from tqdm import tqdm
else:  # imported when first used: the CLI starts without the driver (tests/test_startup.py)
    neo4j = _lazy.module("neo4j")
    nx = _lazy.module("networkx")
    neo4j_errors = _lazy.module("neo4j.exceptions")
    neo4j_graph = _lazy.module("neo4j.graph")

    def tqdm(*args: Any, **kwargs: Any) -> Any:
        from tqdm import tqdm as bar

        return bar(*args, **kwargs)


_T = TypeVar("_T")
_R = TypeVar("_R")
log = logging.getLogger(__name__)
_SCOPE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
#: Rows per UNWIND statement: 5,000 loaded 50k relations 1.6x faster than 1,000 here.
DEFAULT_BATCH_SIZE = 5000


@dataclass(frozen=True)
class LoadReport:
    """What a load did: its scope and run tag, what it wrote and removed, and where the time went.

    ``timings`` holds seconds spent on the node batches, the relation batches, the cleanup and
    the commit (``nodes``, ``relations``, ``cleanup``, ``commit``); ``seconds`` is the whole time
    spent on the database: schema, batches, cleanup and commit.
    """

    scope: str
    run: str
    nodes: int
    relations: int
    removed_nodes: int
    removed_relations: int
    seconds: float
    database: str = ""
    timings: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        """One line for the command line."""
        return (
            f"loaded {self.nodes} nodes and {self.relations} relations into {self.database!r} "
            f"(scope {self.scope!r}, run {self.run}); removed {self.removed_nodes} stale nodes and "
            f"{self.removed_relations} stale relations; {self.seconds:.1f} s"
        )


@dataclass(frozen=True)
class QueryResult:
    """The answer to a Cypher statement: column names and rows of plain Python values.

    ``plan`` holds the server's query plan for ``EXPLAIN`` and ``PROFILE`` statements (operator
    tree as the driver gives it: ``operatorType``, ``arguments``, ``identifiers``, ``children``
    and, when profiled, ``rows`` and ``dbHits``), else ``None``.
    """

    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    plan: dict[str, Any] | None = None

    def records(self) -> list[dict[str, Any]]:
        """The rows as dictionaries keyed by column name."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def to_frame(self) -> pd.DataFrame:
        """The rows as a :class:`pandas.DataFrame` with one column per result column.

        Nodes and relations arrive as property maps (see :func:`plain`), paths as lists.

        Examples
        --------
        >>> QueryResult(["id", "n"], [["iskp", 3], ["ttp", 1]]).to_frame()
             id  n
        0  iskp  3
        1   ttp  1
        """
        import pandas as pd

        return pd.DataFrame(self.rows, columns=self.columns)


# --------------------------------------------------------------------------------------------
# One driver per database, shared by every call
# --------------------------------------------------------------------------------------------

_DRIVERS: dict[ConnectionSettings, neo4j.Driver] = {}


def shared_driver(settings: ConnectionSettings) -> neo4j.Driver:
    """The process's driver for ``settings``, opened (and checked) on first use, then shared.

    A driver holds a connection pool: opening one per call cost a connection and a test query
    each time. The drivers are closed when the process exits (or by :func:`close_drivers`).

    Raises
    ------
    StoreError
        As :func:`graphkit.connection.open_driver`.
    """
    found = _DRIVERS.get(settings)
    if found is None:
        if not _DRIVERS:
            atexit.register(close_drivers)
        found = _DRIVERS[settings] = open_driver(settings)
    return found


@contextlib.contextmanager
def _shared(settings: ConnectionSettings) -> Iterator[neo4j.Driver]:
    """``with _shared(settings) as driver:`` the shared driver (left open for the next call)."""
    yield shared_driver(settings)


def close_drivers() -> None:
    """Close every shared driver (they reopen on the next call)."""
    while _DRIVERS:
        _, d = _DRIVERS.popitem()
        d.close()


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


def _store_error(exc: Exception, what: str, settings: ConnectionSettings | None = None) -> StoreError:
    """A StoreError carrying the server's message, and the position it names in the same words on both engines.

    With ``settings``, a failure the disk explains says so (see :func:`_disk_full`).
    """
    if isinstance(exc, neo4j_errors.Neo4jError):
        code = exc.code or type(exc).__name__
        text = str(exc.message or exc)
        position = dialect.error_position(text)
        where = f" [at line {position[0]}, column {position[1]}]" if position else ""
        message = f"{what}: {code}: {text}{where}"
    else:
        message = f"{what}: {type(exc).__name__}: {exc}"
    if _refused_memory(exc):
        message += "\n" + _MEMORY_HINT
    disk = _disk_full(exc, settings) if settings is not None else None
    return StoreError(f"{message}\n{disk}" if disk else message)


#: What to do when Neo4j refuses a transaction more memory (a GTD-scale load with a 4 GiB heap does).
_MEMORY_HINT = (
    "A load is one transaction, and the server refused it more memory: give the server more "
    "(Neo4j: server.memory.heap.max_size, db.memory.transaction.max, and "
    "db.memory.transaction.total.max, by default 70% of the heap), or load the facts in smaller scopes."
)


def _refused_memory(exc: Exception) -> bool:
    """Whether Neo4j refused a transaction more memory (its own limit, or the pool of all transactions)."""
    code = getattr(exc, "code", None) or ""
    return isinstance(exc, neo4j_errors.Neo4jError) and ("MemoryPoolOutOfMemoryError" in code or "MemoryLimit" in code)


#: Words by which servers report a full disk, in their messages or their causes.
_DISK_FULL_SIGNS = ("no space left on device", "disk full", "not enough space", "out of disk space")
#: A local server with less free space than this, after a failed write, is reported short of disk.
LOW_DISK_BYTES = 64 * 2**20


def _disk_full(exc: Exception, settings: ConnectionSettings) -> str | None:
    """Say so when the disk is why ``exc`` happened: the server said it, or the local server's disk is full.

    ArcadeDB reports a write that ran out of disk as a bare "Transaction error on commit"; the
    free space of the local server's home (``settings.home``) tells that cause apart.
    """
    text = " ".join(str(part) for part in (exc, getattr(exc, "message", ""), exc.__cause__) if part).lower()
    if any(sign in text for sign in _DISK_FULL_SIGNS):
        return "the database server's disk is full: free some space and try again"
    if settings.home is None:
        return None
    try:
        free = shutil.disk_usage(settings.home).free
    except OSError:
        return None
    if free < LOW_DISK_BYTES:
        return (
            f"the disk holding the local database {settings.home} is full ({free // 2**20} MiB free):"
            " free some space and try again"
        )
    return None


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


def new_run_tag() -> str:
    """A run tag unique to one load: UTC time (readable) plus a random suffix (unique)."""
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]


class _Batch(list[_T]):
    """A batch of rows sent as one parameter: a list whose ``repr`` is short.

    The driver formats every ``RUN`` message for its debug log before asking whether anyone logs
    at that level, so each batch of 5,000 rows was turned into text and thrown away: 5.2 of the
    client's seconds in a GTD-scale load. The rows travel as a list all the same.
    """

    def __repr__(self) -> str:
        return f"<{len(self)} rows>"


def _batches(rows: Sequence[_T], size: int) -> Iterator[_Batch[_T]]:
    for i in range(0, len(rows), size):
        yield _Batch(rows[i : i + size])


@dataclass(frozen=True)
class _Step:
    """One part of a load: rows of one node kind, or of one relation type between two node kinds."""

    what: str  # "nodes" or "relations"
    name: str  # the node kind or the relation type
    rows: list[dict[str, Any]]  # nodes: their stored properties; relations: ends, key and props
    ends: tuple[str, str] = ("", "")  # relations only: the kinds of their two ends


def _plan_nodes(
    facts: Facts, planner: concurrent.futures.Executor
) -> list[tuple[int, concurrent.futures.Future[_Step]]]:
    """The load's node steps, one per kind in model order, each with its number of rows.

    Each step's rows (the entities' stored properties, in id order) are built in ``planner``, a
    thread that runs while the load's statements wait on the server (the driver releases the GIL
    while it waits): the first kind is written while the others are still being planned, where
    building all rows first kept the server idle for 2 s of a GTD-scale load.
    """
    by_kind: dict[str, list[Entity]] = defaultdict(list)
    for entity in facts.entities.values():
        by_kind[entity.kind].append(entity)

    def plan(kind: str, entities: list[Entity]) -> _Step:
        return _Step("nodes", kind, [e.properties() for e in sorted(entities, key=attrgetter("id"))])

    return [
        (len(by_kind[kind.name]), planner.submit(plan, kind.name, by_kind[kind.name]))
        for kind in model.NODE_KINDS
        if by_kind.get(kind.name)
    ]


def _plan_relations(facts: Facts) -> list[_Step]:
    """The load's relation steps: one per type and end kinds. The rows' ``props`` lack the load
    stamps, which the statements take from ``$scope`` and ``$run`` (less to send for every row)."""
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    kinds = {id_: e.kind for id_, e in facts.entities.items()}
    for rel in facts.relations:
        props = rel.properties()
        groups[rel.type, kinds[rel.source], kinds[rel.target]].append(
            {"source": rel.source, "target": rel.target, "key": props["key"], "props": props}
        )
    return [_Step("relations", rtype, rows, (a, b)) for (rtype, a, b), rows in sorted(groups.items())]


@dataclass
class _Held:
    """What a scope holds when a load's transaction begins, read once in that transaction."""

    nodes: dict[str, int]  # by node kind: how many nodes claim the scope
    relations: dict[str, list[list[str]]]  # by relation type: [key, source id, target id] of each

    @classmethod
    def read(cls, tx: neo4j.Transaction, params: dict[str, Any]) -> _Held:
        """One count per node kind and one scan per relation type."""
        nodes = {}
        for kind, statement in cypher.scope_count_statements():
            record = tx.run(statement, params).single()
            nodes[kind] = record["n"] if record is not None else 0
        relations = {}
        for rel in model.RELATION_KINDS:
            record = tx.run(cypher.scope_relation_keys(rel.name), params).single()
            relations[rel.name] = record["keys"] if record is not None else []
        return cls(nodes, relations)

    def totals(self) -> dict[str, int]:
        """How many nodes and relations the scope holds."""
        return {"nodes": sum(self.nodes.values()), "relations": sum(map(len, self.relations.values()))}

    def holds(self, what: str, name: str) -> bool:
        """Whether the scope holds any node of kind ``name`` or relation of type ``name``."""
        return bool(self.nodes.get(name) if what == "nodes" else self.relations.get(name))


def _fields(maps: Iterable[dict[str, Any]]) -> list[str]:
    """The property names the maps use, sorted: the keys of a creating statement's map."""
    return sorted(set().union(*maps))


def _write_nodes(
    tx: neo4j.Transaction, step: _Step, params: dict[str, Any], batch_size: int, done: Callable[[], object]
) -> dict[str, str]:
    """Write one kind's nodes: update those the database holds (found by id), create the rest.

    Returns the ``elementId`` of every node written, by id: the relations find their ends by it.
    The lookup is skipped when the database holds no node of the kind (a first load).
    """
    kind = step.name
    found: dict[str, str] = {}
    record = tx.run(cypher.count_nodes(kind)).single()
    if record is not None and record["n"]:
        ids = [props["id"] for props in step.rows]
        for batch in _batches(ids, batch_size):
            record = tx.run(cypher.find_nodes(kind), {"ids": batch}).single()
            found.update(record["found"] if record is not None else [])
    fresh = [props for props in step.rows if props["id"] not in found]
    known = [{"node": found[props["id"]], "props": props} for props in step.rows if props["id"] in found]
    written: dict[str, str] = {}
    for statement, rows in ((cypher.create_nodes(kind, _fields(fresh)), fresh), (cypher.update_nodes(kind), known)):
        for batch in _batches(rows, batch_size):
            record = tx.run(statement, {**params, "rows": batch}).single()
            pairs = record["written"] if record is not None else []
            if len(pairs) != len(batch):
                raise StoreError(f"a batch of {kind} nodes wrote {len(pairs)} of {len(batch)}")
            written.update(pairs)
            done()
    return written


def _write_relations(
    tx: neo4j.Transaction,
    step: _Step,
    held: _Held,
    nodes: dict[str, str],
    params: dict[str, Any],
    batch_size: int,
    done: Callable[[], object],
) -> None:
    """Write one relation step, each row's ends given by ``elementId`` (``nodes``, by id).

    A relation is created unless the scope holds its key with the same ends, and then updated,
    found from the end with fewer relations of the type among the rows (see
    :func:`graphkit.cypher.update_relations`).
    """
    known = {key: (source, target) for key, source, target in held.relations.get(step.name, [])}
    fresh: list[dict[str, Any]] = []
    from_source: list[dict[str, Any]] = []
    from_target: list[dict[str, Any]] = []
    # the degrees choose where an update starts: with nothing known (a first load) none is updated
    out_degree = Counter(row["source"] for row in step.rows) if known else Counter()
    in_degree = Counter(row["target"] for row in step.rows) if known else Counter()
    stamps = {"_scope": params["scope"], "_run": params["run"]}
    end_source, end_target = cypher.END_KEYS
    for row in step.rows:
        source, target = row["source"], row["target"]
        if known.get(row["key"]) != (source, target):
            fresh.append({**row["props"], end_source: nodes[source], end_target: nodes[target]})
            continue
        # an update replaces the properties (SET r = row.props): the stamps go with them
        ends = {"source": nodes[source], "target": nodes[target], "key": row["key"], "props": row["props"] | stamps}
        if out_degree[source] > in_degree[target]:
            from_target.append(ends)
        else:
            from_source.append(ends)
    a, b = step.ends
    pairs = (
        # the fields of every row's props: a field a created row lacks comes out null, not stored
        (cypher.create_relations(step.name, a, b, _fields(row["props"] for row in step.rows)), fresh),
        (cypher.update_relations(step.name, a, b), from_source),
        (cypher.update_relations(step.name, a, b, from_target=True), from_target),
    )
    for statement, rows in pairs:
        for batch in _batches(rows, batch_size):
            record = tx.run(statement, {**params, "rows": batch}).single()
            written = record["written"] if record is not None else 0
            if written != len(batch):
                raise StoreError(f"a batch wrote {written} of {len(batch)} records: an endpoint is missing")
            done()


#: How long a write keeps retrying after its first failure the server calls transient (a deadlock,
#: a leader election), with the delays the driver's own retries use: 1 s, doubling, 20% jitter.
RETRY_SECONDS = 30.0


def _write_transaction(session: neo4j.Session, work: Callable[[neo4j.Transaction], _R]) -> _R:
    """Run ``work`` in one write transaction and commit it, retrying what the server calls transient.

    ``Session.execute_write`` would do this, but it retries every failure the server calls
    transient, a refusal of memory included, which the same limit refuses again: a GTD-scale load
    into a Neo4j with a 4 GiB heap was refused at its commit, then run again in full for nothing.
    Here a refusal of memory (see :func:`_refused_memory`), met by a statement or by the commit,
    is raised at once.
    """
    delay, first_failure = 1.0, None
    while True:
        try:
            with session.begin_transaction() as tx:
                out = work(tx)
                tx.commit()
            return out
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
            now = time.monotonic()
            first_failure = now if first_failure is None else first_failure
            if _refused_memory(exc) or not exc.is_retryable() or now - first_failure > RETRY_SECONDS:
                raise
            wait = delay * random.uniform(0.8, 1.2)
            log.warning("the transaction failed and will be retried in %.1f s (%s)", wait, exc)
            time.sleep(wait)
            delay *= 2


def _refuse_mass_removal(scope: str, held: dict[str, int], removed: dict[str, int]) -> None:
    """Raise LoadRefused (rolling the load back) if it removed more than half of what ``scope`` held.

    Loading an empty, comments-only or truncated fact file into a scope would otherwise replace
    the scope by almost nothing and report success; such a load must be asked for explicitly.
    """
    before, gone = held["nodes"] + held["relations"], removed["nodes"] + removed["relations"]
    if before and 2 * gone > before:
        raise LoadRefused(
            f"refused: this load would remove {removed['nodes']} of the {held['nodes']} nodes and "
            f"{removed['relations']} of the {held['relations']} relations that scope {scope!r} holds "
            "(more than half); nothing was changed. Check the fact files (an empty or cut file, a "
            "lost section?); to replace the scope with these facts anyway, pass --replace-all."
        )


def ensure_schema(driver: neo4j.Driver, database: str) -> None:
    """Create the constraints of :func:`graphkit.cypher.schema_statements` where missing."""
    for statement in cypher.schema_statements():
        try:
            driver.execute_query(statement, database_=database)
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError) as exc:
            raise _store_error(exc, f"could not create the schema ({statement})") from None


def load(
    facts: Facts,
    settings: ConnectionSettings,
    *,
    scope: str = "seed",
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: bool = False,
    replace_all: bool = False,
    validated: bool = False,
) -> LoadReport:
    """Load ``facts`` into the database as scope ``scope``, replacing that scope's earlier load.

    Parameters
    ----------
    facts
        The facts; validated here first (invalid facts load nothing) unless ``validated``.
    settings
        Which database (see :func:`graphkit.connection.resolve_settings`).
    scope
        Name of this body of facts (``seed``, ``gtd``, ``mmp`` ...). Reloading a scope removes
        the nodes and relations its earlier load wrote that ``facts`` no longer contain; other
        scopes' facts are left alone, and a node that another scope also claims is kept.
    batch_size
        Rows per ``UNWIND`` statement.
    progress
        Show a progress bar (on standard error).
    replace_all
        Allow the load to remove most of the scope. Without it, a load that would remove more than
        half of the nodes and relations the scope holds (an empty or truncated file, a file that
        lost its sections) is refused and rolled back: see :func:`_refuse_mass_removal`.
    validated
        The caller has just passed ``facts`` through :func:`graphkit.facts.validate` and changed
        nothing since (as :func:`graphkit.facts.read_facts` and the importers return them), so they
        are not validated a second time: 10 s of a GTD-scale load.

    Returns
    -------
    LoadReport

    Raises
    ------
    ValidationError
        The facts are invalid; nothing was written.
    LoadRefused
        The load would remove most of the scope and ``replace_all`` is false; nothing changed.
    StoreError
        The database refused the load or went away; nothing of this load is visible.
    """
    if not _SCOPE.match(scope):
        raise GraphkitError(f"invalid scope {scope!r}: use letters, digits, '.', '_' or '-'")
    if batch_size < 1:
        raise GraphkitError(f"batch size must be at least 1, not {batch_size}")
    with _gc.paused():  # the whole load: see _load
        return _load(facts, settings, scope, batch_size, progress, replace_all, validated)


def _load(
    facts: Facts,
    settings: ConnectionSettings,
    scope: str,
    batch_size: int,
    progress: bool,
    replace_all: bool,
    validated: bool,
) -> LoadReport:
    """:func:`load`, with Python's cyclic collector paused by the caller: the facts and the plan are
    millions of objects, which each full pass of the collector walked (the driver's decoding of
    results set off passes that cost 5 s of a GTD-scale load)."""
    if not validated:
        validate(facts)
    run = new_run_tag()
    # The rows are built in a thread while the statements wait on the server: see _plan_nodes.
    planner = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="graphkit-plan")
    node_plan = _plan_nodes(facts, planner)
    relation_plan = planner.submit(_plan_relations, facts)
    planner.shutdown(wait=False)
    cleanup = cypher.cleanup_statements()
    steps = sum(-(-count // batch_size) for count, _ in node_plan) + len(cleanup)
    params: dict[str, Any] = {"scope": scope, "run": run}
    removed = {"nodes": 0, "relations": 0}

    timings: dict[str, float] = {}

    def write(tx: neo4j.Transaction) -> None:
        # A retried transaction starts again from the top, so counts, timings and bar restart too.
        removed.update(nodes=0, relations=0)
        timings.clear()
        bar.reset()
        t = time.perf_counter()
        held = _Held.read(tx, params)
        timings["scope"] = time.perf_counter() - t
        nodes: dict[str, str] = {}  # id -> elementId of every node written
        t = time.perf_counter()
        for _, planned in node_plan:
            nodes.update(_write_nodes(tx, planned.result(), params, batch_size, lambda: bar.update(1)))
        timings["nodes"] = time.perf_counter() - t
        relation_steps = relation_plan.result()
        bar.total = steps + sum(-(-len(step.rows) // batch_size) for step in relation_steps)
        t = time.perf_counter()
        for step in relation_steps:
            _write_relations(tx, step, held, nodes, params, batch_size, lambda: bar.update(1))
        timings["relations"] = time.perf_counter() - t
        t = time.perf_counter()
        for what, name, statement in cleanup:
            # what the scope held none of, this run wrote all of: nothing of it can be stale
            if held.holds(what, name):
                record = tx.run(statement, params).single()
                removed[what] += record["removed"] if record is not None else 0
            bar.update(1)
        timings["cleanup"] = time.perf_counter() - t
        if not replace_all:
            _refuse_mass_removal(scope, held.totals(), removed)
        timings["_end"] = time.perf_counter()

    start = time.perf_counter()
    with _shared(settings) as driver:
        ensure_schema(driver, settings.database)
        with tqdm(
            total=steps, desc=f"load {scope}", unit="batch", disable=None if progress else True, leave=False
        ) as bar:
            try:
                with driver.session(database=settings.database) as session:
                    _write_transaction(session, write)
            except StoreError:
                raise
            except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError) as exc:
                raise _store_error(exc, f"load of scope {scope!r} failed and was rolled back", settings) from None
    timings["commit"] = time.perf_counter() - timings.pop("_end")
    return LoadReport(
        scope=scope,
        run=run,
        nodes=len(facts.entities),
        relations=len(facts.relations),
        removed_nodes=removed["nodes"],
        removed_relations=removed["relations"],
        seconds=time.perf_counter() - start,
        database=settings.database,
        timings=timings,
    )


# --------------------------------------------------------------------------------------------
# Reading back
# --------------------------------------------------------------------------------------------


def _facts_only(props: dict[str, Any]) -> dict[str, Any]:
    """Properties without load stamps (names starting with ``_``)."""
    return {k: v for k, v in props.items() if not k.startswith("_")}


def read_graph(settings: ConnectionSettings, *, with_scopes: bool = False) -> nx.MultiDiGraph:
    """Read the stored graph into the graph :func:`graphkit.graph.to_networkx` builds from facts.

    This only reads: every node of the model's kinds and every relation of its types. To narrow
    the graph (kinds, types, as of a date, around an entity, scopes) pass it to
    :func:`graphkit.projection.select`, as every other source of a graph is, or call
    :func:`graphkit.graph.read_database`, which does both.

    Nodes are keyed by id with ``kind`` (the label) and their stored properties; edges are keyed by
    the relation's ``key`` with ``type`` and their stored properties. Load stamps are left out, so
    the graph equals the facts graph of the same facts. Should two scopes hold a relation with the
    same key, the second read gets ``key@scope``.

    Parameters
    ----------
    settings
        Which database.
    with_scopes
        Also record which loads wrote what, in ``G.graph["scopes"]``: ``loaded`` (every scope
        name), ``nodes`` (id -> scopes claiming the node) and ``relations`` ((u, v, key) -> scope).
        :func:`graphkit.projection.select` uses it for ``scopes=``.

    Raises
    ------
    StoreError
        The database could not be read, or holds one id under two kinds.

    Examples
    --------
    Not run here (it needs a database)::

        from graphkit import store
        from graphkit.connection import resolve_settings
        G = store.read_graph(resolve_settings())
    """
    with _shared(settings) as driver, _gc.paused():  # millions of objects: see graphkit._gc
        try:
            # One statement for the nodes and one for the relations, naming no label or type: a
            # statement per kind would make Neo4j warn of every kind or type the graph lacks.
            nodes = _read_one(driver, settings, cypher.READ_ALL_NODES, "nodes")
            relations = _read_one(driver, settings, cypher.READ_ALL_RELATIONS, "relations")
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
            raise _store_error(exc, "could not read the graph") from None
        kind_of: dict[str, str] = {}
        node_rows: list[tuple[str, dict[str, Any]]] = []
        node_scopes: dict[str, list[str]] = {}
        for labels, id_, props in nodes:
            kinds = [k for k in model.NODE_KIND if k in labels]
            if not kinds or id_ is None:
                continue  # not a node of the model
            kind = kinds[0]
            if len(kinds) > 1 or kind_of.get(id_, kind) != kind:
                other = kinds[1] if len(kinds) > 1 else kind_of[id_]
                raise StoreError(f"id {id_!r} is stored as both a {other} and a {kind}")
            kind_of[id_] = kind
            attrs = _facts_only(props)
            attrs.pop("id", None)
            node_rows.append((id_, {"kind": kind, **attrs}))
            node_scopes[id_] = list(props.get("_scopes") or [])
        del nodes
        edge_rows: list[tuple[str, str, Any, dict[str, Any]]] = []
        rel_scopes: dict[tuple[str, str, str], str] = {}
        for rtype, u, v, props in relations:
            if rtype not in model.RELATION_KIND or u not in kind_of or v not in kind_of:
                continue
            attrs = _facts_only(props)
            key = attrs.get("key")
            if (u, v, str(key)) in rel_scopes:
                key = f"{key}@{props.get('_scope')}"
            edge_rows.append((u, v, key, {"type": rtype, **attrs}))
            rel_scopes[(u, v, str(key))] = str(props.get("_scope"))
        del relations
        G = nx.MultiDiGraph()
        G.add_nodes_from(node_rows)
        # add_edges_from: the attribute ``key`` would clash with add_edge's argument.
        G.add_edges_from(edge_rows)
    if with_scopes:
        loaded = sorted({s for scopes in node_scopes.values() for s in scopes} | set(rel_scopes.values()))
        G.graph["scopes"] = {"loaded": loaded, "nodes": node_scopes, "relations": rel_scopes}
    return G


def _read_one(driver: neo4j.Driver, settings: ConnectionSettings, statement: str, column: str) -> list[Any]:
    """The list in ``column`` of the one row a reading statement returns (an empty graph: empty)."""
    result = driver.execute_query(statement, database_=settings.database, routing_=neo4j.RoutingControl.READ)
    return result.records[0][column] if result.records else []


def resolve_entity(settings: ConnectionSettings, word: str) -> str:
    """The id of the stored entity that ``word`` names by id, name or alias, in any case.

    The same rule as :func:`graphkit.graph.resolve_entity` (an exact id wins; an ambiguous name
    is an error listing the candidates), run on the entities whose id, name or alias equal
    ``word`` case-insensitively, read through :func:`run_query` (read-only).

    Raises
    ------
    GraphkitError
        No stored entity goes by ``word``, or several do.
    """
    from graphkit.graph import Candidate
    from graphkit.graph import resolve_entity as resolve

    found = run_query(settings, cypher.FIND_ENTITY, {"name": word})
    pool = [Candidate(r["id"], r["kind"], r["name"] or r["id"], tuple(r["aliases"] or ())) for r in found.records()]
    if not pool:
        raise GraphkitError(f"no entity in the database goes by {word!r} (id, name or alias, any case)")
    return resolve(word, pool)


# --------------------------------------------------------------------------------------------
# Running Cypher
# --------------------------------------------------------------------------------------------


class GraphNode(dict[str, Any]):
    """A node in a query result: its property map with ``_labels`` (a plain ``dict`` to JSON)."""


class GraphRelationship(dict[str, Any]):
    """A relation in a query result: its property map with ``_type``."""


class GraphPath(list[Any]):
    """A path in a query result: the list node, relation, node ...

    ``forward[i]`` tells whether relation ``i`` points along the path (from the node before it to
    the node after it), so that a path prints with its arrows as ``cypher-shell`` prints it.
    """

    forward: tuple[bool, ...] = ()


def plain(value: Any) -> Any:
    """A query result value as plain Python: nodes and relations as property maps, paths as lists.

    Element ids are left out (their form differs between servers); a node's map gets ``_labels``,
    a relation's ``_type``; a path is the list node, relation, node ...; load stamps are dropped.
    Nodes, relations and paths are :class:`GraphNode`, :class:`GraphRelationship` and
    :class:`GraphPath`: equal to (and serialised as) plain maps and lists, but recognisable when
    printed.
    """
    if isinstance(value, neo4j_graph.Node):
        return GraphNode({"_labels": sorted(value.labels), **_facts_only(dict(value))})
    if isinstance(value, neo4j_graph.Relationship):
        return GraphRelationship({"_type": value.type, **_facts_only(dict(value))})
    if isinstance(value, neo4j_graph.Path):
        steps = GraphPath([plain(value.nodes[0])])
        forward: list[bool] = []
        for rel, before, node in zip(value.relationships, value.nodes[:-1], value.nodes[1:], strict=True):
            steps += [plain(rel), plain(node)]
            start = rel.start_node
            forward.append(start is None or start.element_id == before.element_id)
        steps.forward = tuple(forward)
        return steps
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):  # neo4j.time types
        return value.iso_format()
    return value


def run_query(
    settings: ConnectionSettings,
    statement: str,
    params: dict[str, Any] | None = None,
    *,
    write: bool = False,
) -> QueryResult:
    """Run one Cypher statement and return its columns and rows.

    Read-only unless ``write``, and then the server itself refuses every write (see
    :func:`_run_read_only`). A statement with a visible write clause (``CREATE``, ``SET``,
    ``DELETE``, ``CALL`` of a procedure that is not a schema listing ...) is refused first, before
    it is sent, with a friendlier message; that check is a courtesy, not the guard.

    Raises
    ------
    StoreError
        A write in read-only mode (refused by graphkit or by the server), or the server's error
        (message and position).
    """
    if not write:
        found = cypher.write_clauses(statement)
        if found:
            raise StoreError(
                f"read-only: the statement contains {', '.join(dict.fromkeys(found))}; pass --write to change the graph"
            )
        return _run_read_only(settings, statement, params or {})
    with _shared(settings) as driver:
        try:
            with driver.session(database=settings.database) as session:
                return _write_transaction(session, lambda tx: _collect(tx, statement, params or {}))
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
            raise _store_error(exc, "the database refused the statement", settings) from None


# --------------------------------------------------------------------------------------------
# The read-only path: where each engine's server refuses writes (the one place that knows)
# --------------------------------------------------------------------------------------------

#: Neo4j's refusal of a write in a read transaction.
ACCESS_MODE_ERROR = "Neo.ClientError.Statement.AccessMode"
#: ArcadeDB's refusal of anything a login's groups do not allow.
FORBIDDEN_ERROR = "Neo.ClientError.Security.Forbidden"


def _arcadedb_reader(settings: ConnectionSettings) -> ConnectionSettings:
    """The read-only login of the graphkit-managed ArcadeDB server at ``settings.uri``.

    For settings made by hand or from ``NEO4J_URI`` that name the local server without its
    reader: it is found by the port it listens on.

    Raises
    ------
    StoreError
        No graphkit-managed server with a reader listens there: nothing on ArcadeDB's side would
        stop a write, so the read is refused.
    """
    from graphkit.local import reader_for

    reader = reader_for(settings.uri)
    if reader is None:
        raise StoreError(
            f"read-only queries on the ArcadeDB server at {settings.describe()} need a login that it lets only"
            " read, and graphkit has none for it: use the local server graphkit manages (no --uri), or restart it"
            " (`graphkit server stop`, then any command) if an older graphkit started it; or pass --write if the"
            " statement is meant to change the graph"
        )
    return dataclasses.replace(reader, database=settings.database)


def _run_read_only(settings: ConnectionSettings, statement: str, params: dict[str, Any]) -> QueryResult:
    """Run ``statement`` where the server refuses writes, in a transaction that is rolled back.

    On the local default (ArcadeDB) as the ``reader`` login (``settings.reader``, or found by the
    URI's port), whose group may only read records: ArcadeDB ignores the driver's access mode.
    On Neo4j in a READ transaction, which Neo4j enforces for every login. Either refusal becomes
    a StoreError saying the statement tried to change the graph.
    """
    if settings.reader is not None:
        with _shared(settings.reader) as driver:
            return _read_in(driver, settings.reader, statement, params, as_reader=True)
    with _shared(settings) as driver:
        try:
            arcadedb = dialect.engine_of(driver) is dialect.Engine.ARCADEDB
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError) as exc:
            raise _store_error(exc, "could not ask the database which server it is") from None
        if not arcadedb:
            return _read_in(driver, settings, statement, params, as_reader=False)
    reader = _arcadedb_reader(settings)
    with _shared(reader) as driver:
        return _read_in(driver, reader, statement, params, as_reader=True)


def _read_in(
    driver: neo4j.Driver, login: ConnectionSettings, statement: str, params: dict[str, Any], *, as_reader: bool
) -> QueryResult:
    """Run ``statement`` in a READ transaction of ``login``'s database that is rolled back, never committed."""
    try:
        with driver.session(database=login.database, default_access_mode=neo4j.READ_ACCESS) as session:
            tx = session.begin_transaction()
            try:
                result = tx.run(statement, params)
                rows = [[plain(v) for v in record.values()] for record in result]
                summary = result.consume()
                counters = summary.counters
                plan = summary.profile or summary.plan  # EXPLAIN and PROFILE: the server's plan
                answer = QueryResult(list(result.keys()), rows, dict(plan) if plan else None)
            finally:
                if not tx.closed():
                    tx.rollback()
    except neo4j_errors.Neo4jError as exc:
        if exc.code == ACCESS_MODE_ERROR or (as_reader and exc.code == FORBIDDEN_ERROR):
            raise StoreError(
                f"read-only: the database refused the statement as a change ({exc.code}: {exc.message or exc});"
                " pass --write to change the graph"
            ) from None
        raise _store_error(exc, "the database refused the statement") from None
    except neo4j_errors.DriverError as exc:
        raise _store_error(exc, "the database refused the statement") from None
    if counters.contains_updates or counters.contains_system_updates:
        # ArcadeDB checks a reader's updates only on commit, which a read never reaches
        changes = ", ".join(f"{k} {v}" for k, v in vars(counters).items() if isinstance(v, int) and v and k[0] != "_")
        raise StoreError(
            f"read-only: the statement would change the graph ({changes or 'updates'}); it was rolled back,"
            " nothing changed; pass --write to change the graph"
        )
    return answer


def _collect(tx: neo4j.Transaction, statement: str, params: dict[str, Any]) -> QueryResult:
    result = tx.run(statement, params)
    rows = [[plain(v) for v in record.values()] for record in result]
    summary = result.consume()
    plan = summary.profile or summary.plan  # EXPLAIN and PROFILE: the server's plan
    return QueryResult(list(result.keys()), rows, dict(plan) if plan else None)


def count_records(settings: ConnectionSettings) -> dict[str, int]:
    """How many nodes of each kind and relations of each type the database holds (model labels only)."""
    statements = {k: f"MATCH (n:{cypher.label(k)}) RETURN count(n) AS n" for k in model.NODE_KIND}
    statements |= {t: f"MATCH ()-[r:{cypher.rel_type(t)}]->() RETURN count(r) AS n" for t in model.RELATION_KIND}
    with _shared(settings) as driver:
        try:
            return {
                name: driver.execute_query(q, database_=settings.database).records[0]["n"]
                for name, q in statements.items()
            }
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
            raise _store_error(exc, "could not count the records") from None
