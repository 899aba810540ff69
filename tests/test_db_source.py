"""The database as the system of record: metrics, views and exports read what is loaded.

Against the real servers of the ``db`` fixture: the graph read back (and any selection of it)
equals the facts' graph; ``--db`` and ``--scope`` on the commands; an import loaded beside the
seed ranks and draws together with it; store calls share one driver; entities by any name.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_cypher_library import known_facts
from test_store import env_of

from graphkit import projection, store
from graphkit.cli import main
from graphkit.connection import ConnectionSettings
from graphkit.errors import GraphkitError
from graphkit.facts import Entity, Facts, Relation, read_facts, validate
from graphkit.graph import SEED_DIR, Database, FactFiles, obtain_graph, read_database

pytestmark = pytest.mark.db

MMP = Path("/work/shared/data/mmp")
if not MMP.is_dir():  # the repository's own copy, if the shared one is not there
    MMP = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "mmp"


def same(a: object, b: object) -> None:
    import networkx as nx

    assert isinstance(a, nx.MultiDiGraph) and isinstance(b, nx.MultiDiGraph)
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    assert sorted(a.edges(keys=True, data=True)) == sorted(b.edges(keys=True, data=True))


def extra_facts() -> Facts:
    """A second body of facts: one new group, linked to ISKP of the known facts."""
    ents = [
        Entity("src-x", "Source", "Extra report"),
        Entity("new-front", "Group", "New Front", ["NF"], ["src-x"]),
        Entity("iskp", "Group", "Islamic State Khorasan Province", ["ISKP", "ISIS-K", "IS-K"], ["src-a", "src-b"]),
        Entity("src-a", "Source", "Monitoring report A", props={"publisher": "Monitor", "published": "2016-05"}),
        Entity("src-b", "Source", "News article B", props={"url": "https://example.org/b"}),
    ]
    rels = [Relation("ALLIED_WITH", "iskp", "new-front", ["src-x"], ["they allied"], "reported", since="2023")]
    return validate(Facts({e.id: e for e in ents}, rels))


def test_read_back_and_every_selection_equal_the_facts(db: ConnectionSettings) -> None:
    store.load(read_facts([SEED_DIR]), db)
    files, database = FactFiles((SEED_DIR,)), Database(db)
    selections = [
        {},
        {"as_of": "2021-08"},
        {"as_of": 2016, "types": ["FOUGHT", "ALLIED_WITH"]},
        {"kinds": ["Group", "Person"]},
        {"around": "ISIS-K", "depth": 2},
        {"around": "iskp", "depth": 1, "as_of": "2022"},
    ]
    for kw in selections:
        same(obtain_graph(database, **kw), obtain_graph(files, **kw))
    around = obtain_graph(database, around="iskp")
    assert {k for _, k in around.nodes(data="kind")} >= {"Source", "Group"}  # sources kept for tooltips
    same(read_database(db), obtain_graph(files))


def test_scopes_keep_only_what_their_loads_wrote(db: ConnectionSettings) -> None:
    store.load(known_facts(), db, scope="seed")
    store.load(extra_facts(), db, scope="extra")
    everything = read_database(db)
    assert "new-front" in everything and "jua" in everything
    extra = read_database(db, scopes=["extra"])
    assert set(extra) == set(extra_facts().entities)
    assert [d["type"] for *_, d in extra.edges(data=True)] == ["ALLIED_WITH"]
    seed = read_database(db, scopes=["seed"])
    assert "new-front" not in seed and seed.number_of_edges() == len(known_facts().relations)
    same(read_database(db, scopes=["seed", "extra"]), everything)
    with pytest.raises(GraphkitError, match=r"unknown scope 'exta'.*'extra'"):
        read_database(db, scopes=["exta"])


def test_store_calls_share_one_driver(db: ConnectionSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[ConnectionSettings] = []
    real = store.open_driver

    def counting(settings: ConnectionSettings, **kw: float) -> object:
        opened.append(settings)
        return real(settings, **kw)

    store.close_drivers()
    monkeypatch.setattr(store, "open_driver", counting)
    for _ in range(2):
        store.load(known_facts(), db)
        store.read_graph(db)
        store.run_query(db, "MATCH (n:Group) RETURN count(n) AS n")
        store.count_records(db)
        store.resolve_entity(db, "ISIS-K")
    # one driver per login (the read-only path may log in as the server's reader), each opened once
    assert db in opened and len(opened) == len(set(opened)) <= 2, opened


def test_commands_read_the_database_with_scopes(db: ConnectionSettings, tmp_path: Path) -> None:
    store.load(known_facts(), db, scope="seed")
    store.load(extra_facts(), db, scope="extra")
    env = env_of(db)
    run = CliRunner().invoke
    res = run(main, ["metrics", "--db", "--format", "csv"], env=env)
    assert res.exit_code == 0, res.output
    ids = {r["id"] for r in csv.DictReader(io.StringIO(res.stdout))}
    assert {"new-front", "jua", "iskp"} <= ids  # both scopes ranked together
    res = run(main, ["metrics", "--db", "--scope", "extra", "--format", "csv"], env=env)
    assert {r["id"] for r in csv.DictReader(io.StringIO(res.stdout))} == {"new-front", "iskp"}, res.output

    page = tmp_path / "p.html"
    res = run(main, ["view", "--db", "--around", "is-k", "--as-of", "2023-05", "--out", str(page)], env=env)
    assert res.exit_code == 0, res.output
    text = page.read_text(encoding="utf-8")
    assert "New Front" in text and "Extra report" in text  # the extra scope's group and its source's name

    out = tmp_path / "g.json"
    res = run(main, ["export", "--db", "--scope", "extra", "--format", "json", "--out", str(out)], env=env)
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {n["id"] for n in data["nodes"]} == set(extra_facts().entities)

    res = run(main, ["metrics", "--scope", "extra"], env=env)
    assert res.exit_code == 1 and "--scope read(s) from the database: add --db" in res.output
    res = run(main, ["metrics", "--db", str(SEED_DIR)], env=env)
    assert res.exit_code == 1 and "not both" in res.output


def test_seed_and_an_mmp_import_rank_and_draw_together(db: ConnectionSettings, tmp_path: Path) -> None:
    """`load seed`, `import mmp ... --merge-with seed/ --load`, then `metrics --db` and `view --db --around ISKP`."""
    if not (MMP / "relationships.csv").is_file():
        pytest.skip(f"no MMP sample at {MMP}")
    env = env_of(db)
    run = CliRunner().invoke
    res = run(main, ["load", str(SEED_DIR)], env=env)
    assert res.exit_code == 0, res.output
    args = ["import", "mmp", str(MMP / "relationships.csv"), "--key", str(MMP / "group_key.csv")]
    res = run(main, [*args, "--merge-with", str(SEED_DIR), "--load"], env=env)
    assert res.exit_code in (0, 3), res.output  # 3: some dirty rows rejected, the rest loaded
    scope = re.search(r"\(scope '([^']+)'", res.output)
    assert scope is not None, res.output
    seed_ids = set(read_facts([SEED_DIR]).entities)

    res = run(main, ["metrics", "--db", "--format", "csv", "--sort", "degree"], env=env)
    assert res.exit_code == 0, res.output
    ranked = [r["id"] for r in csv.DictReader(io.StringIO(res.stdout))]
    assert "iskp" in ranked
    assert [i for i in ranked if i not in seed_ids], "no MMP actor ranked"
    from_files = run(main, ["metrics", str(SEED_DIR), "--format", "csv"])
    seed_actors = {r["id"] for r in csv.DictReader(io.StringIO(from_files.stdout))}
    assert len(seed_actors) >= 10 and seed_actors <= set(ranked), sorted(seed_actors - set(ranked))
    both = read_database(db, scopes=["seed", scope[1]])
    assert set(both) == set(read_database(db))

    page = tmp_path / "iskp.html"
    res = run(main, ["view", "--db", "--around", "ISKP", "--depth", "2", "--out", str(page)], env=env)
    assert res.exit_code == 0, res.output
    data = _page_data(page.read_text(encoding="utf-8"))
    # MMP has no relation of ISKP itself (its ISKP is merged into the seed's, aliases and all), but
    # two hops out the seed's relations and the import's meet on one page
    stamped = store.read_graph(db, with_scopes=True)
    near = projection.select(stamped, around="ISKP", depth=2)
    scope_of = stamped.graph["scopes"]["relations"]
    near_scopes = {scope_of[e] for e in near.edges(keys=True)}
    assert near_scopes == {"seed", scope[1]}, near_scopes
    assert "Islamic State in Khorasan Province" in near.nodes["iskp"]["aliases"]  # MMP's name, merged
    assert {n["id"] for n in data["nodes"]} == {n for n, k in near.nodes(data="kind") if k != "Source"}
    assert {e["key"] for e in data["edges"]} == {str(k) for *_, k in near.edges(keys=True)}


def _page_data(html: str) -> dict[str, list[dict[str, object]]]:
    """The JSON data block of a page (nodes, edges)."""
    from test_views import page_data

    data: dict[str, list[dict[str, object]]] = page_data(html)
    return data


def test_library_entity_parameters_take_any_name(db: ConnectionSettings) -> None:
    store.load(known_facts(), db)
    env = env_of(db)
    run = CliRunner().invoke
    by_id = run(main, ["query", "leaders-of-group", "-p", "group=iskp", "--format", "json"], env=env)
    assert by_id.exit_code == 0, by_id.output
    assert json.loads(by_id.stdout), "ISKP has leaders in the known facts"
    for word in ("ISIS-K", "islamic state khorasan province", "ISKP"):
        res = run(main, ["query", "leaders-of-group", "-p", f"group={word}", "--format", "json"], env=env)
        assert res.exit_code == 0 and res.stdout == by_id.stdout, (word, res.output)
    path = run(main, ["query", "shortest-path", "-p", "from_id=JuA", "-p", "to_id=IS-K", "--format", "json"], env=env)
    assert path.exit_code == 0 and json.loads(path.stdout), path.output
    found = run(main, ["query", "find-entity", "-p", "name=JUA", "--format", "json"], env=env)
    assert [r["id"] for r in json.loads(found.stdout)] == ["jua"]

    # two loads may give one name to two entities (each load is valid on its own): ambiguous
    for scope, ent in (
        ("x", Entity("front-a", "Group", "Front A", ["The Front"], ["src-x"])),
        ("y", Entity("front-b", "Group", "the front", [], ["src-x"])),
    ):
        store.load(validate(Facts({"src-x": Entity("src-x", "Source", "X"), ent.id: ent}, [])), db, scope=scope)
    res = run(main, ["query", "leaders-of-group", "-p", "group=THE FRONT"], env=env)
    assert res.exit_code == 1
    assert "'THE FRONT' names 2 entities: front-a (Group, Front A), front-b (Group, the front)" in res.output
    res = run(main, ["query", "leaders-of-group", "-p", "group=nobody-at-all"], env=env)
    assert res.exit_code == 1 and "no entity in the database goes by 'nobody-at-all'" in res.output


def test_readme_database_example_runs(db: ConnectionSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's ```python db block, run against the fixture's server named by NEO4J_* variables."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```python db\n(.*?)```", readme, re.S)
    store.load(read_facts([SEED_DIR]), db)
    for var, value in env_of(db).items():
        monkeypatch.setenv(var, value)
    namespace: dict[str, object] = {}
    exec(compile(block, "README.md", "exec"), namespace)
    assert "iskp" in namespace["ranks"].sort_values("betweenness", ascending=False).index[:5]  # type: ignore[attr-defined]
    assert list(namespace["top"].columns) == ["id", "n"] and len(namespace["top"]) == 5  # type: ignore[attr-defined]
