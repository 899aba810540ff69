"""The main job end to end: ``graphkit build`` on the seed facts against a real local server."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner

from graphkit.cli import main
from graphkit.connection import ConnectionSettings

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT.parent / "shared" / "seeds"


def counts(driver: neo4j.Driver, settings: ConnectionSettings) -> tuple[int, int]:
    nodes = driver.execute_query("MATCH (n) RETURN count(n) AS c", database_=settings.database).records[0]["c"]
    rels = driver.execute_query("MATCH ()-[r]->() RETURN count(r) AS c", database_=settings.database).records[0]["c"]
    return nodes, rels


def test_build_loads_ranks_and_writes_the_page(
    db: ConnectionSettings, db_driver: neo4j.Driver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "seed", tmp_path / "seed")
    env = {"NEO4J_URI": db.uri, "NEO4J_USERNAME": db.user, "NEO4J_PASSWORD": db.password}
    args = ["build", "--database", db.database]
    if SOURCES.is_dir():
        args += ["--sources", str(SOURCES)]
    first = CliRunner().invoke(main, args, env=env)
    assert first.exit_code == 0, first.output
    assert "quotes verified" in first.output or not SOURCES.is_dir()
    assert db.password not in first.output
    loaded = counts(db_driver, db)
    assert loaded[0] >= 70 and loaded[1] >= 130

    with (tmp_path / "out" / "metrics.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    ranked = sorted(rows, key=lambda r: float(r["betweenness"]), reverse=True)
    assert "iskp" in [r["id"] for r in ranked[:3]], "ISKP should be among the most central actors"
    page = (tmp_path / "out" / "network.html").read_text(encoding="utf-8")
    assert "Islamic State Khorasan Province" in page and '<script src="http' not in page
    assert (tmp_path / "out" / "graph.graphml").stat().st_size > 0

    again = CliRunner().invoke(main, args, env=env)
    assert again.exit_code == 0, again.output
    assert counts(db_driver, db) == loaded, "a second build must not duplicate anything"


def test_build_with_invalid_facts_loads_nothing(
    db: ConnectionSettings, db_driver: neo4j.Driver, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "sources:\n  - {id: s, name: S}\ngroups:\n  - {id: a, name: A, sources: [s]}\n"
        "relations:\n  - {type: FOUGHT, from: a, to: ghost, sources: [s], evidence: [q], confidence: reported}\n",
        encoding="utf-8",
    )
    env = {"NEO4J_URI": db.uri, "NEO4J_USERNAME": db.user, "NEO4J_PASSWORD": db.password}
    res = CliRunner().invoke(
        main, ["build", "--database", db.database, "--out", str(tmp_path / "o"), str(bad)], env=env
    )
    assert res.exit_code == 2
    assert "bad.yaml:6: record 'relations[0] FOUGHT a -> ghost' field 'to'" in res.output
    assert counts(db_driver, db) == (0, 0)
    assert not (tmp_path / "o").exists()


def test_build_ranks_and_draws_every_scope_the_database_holds(
    db: ConnectionSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An import loaded earlier as its own scope is in the build's metrics and page too."""
    from test_db_source import extra_facts

    from graphkit import store

    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "seed", tmp_path / "seed")
    store.load(extra_facts(), db, scope="extra")
    env = {"NEO4J_URI": db.uri, "NEO4J_USERNAME": db.user, "NEO4J_PASSWORD": db.password}
    res = CliRunner().invoke(main, ["build", "--database", db.database], env=env)
    assert res.exit_code == 0, res.output
    assert "read back from the database" in res.output
    with (tmp_path / "out" / "metrics.csv").open(encoding="utf-8") as fh:
        ids = {r["id"] for r in csv.DictReader(fh)}
    assert "new-front" in ids and "iskp" in ids  # the other scope's actor is ranked with the seed's
    page = (tmp_path / "out" / "network.html").read_text(encoding="utf-8")
    assert "New Front" in page
