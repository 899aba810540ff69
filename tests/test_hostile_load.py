"""Nothing lost: a load that would remove most of its scope is refused, and the database is untouched.

Hostile and careless cases against the real local server (the ``db`` fixture): an empty file, a
comments-only file, a file that lost its sections. Each is refused with the counts it would have
removed, exits non-zero from the CLI, and leaves every node and relation (properties included)
as it was; ``--replace-all`` (``replace_all=True``) does what was asked.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_cypher_library import known_facts
from test_store import dump

from graphkit import store
from graphkit.cli import main
from graphkit.connection import ConnectionSettings
from graphkit.errors import LoadRefused
from graphkit.facts import Facts, read_facts
from graphkit.importers.common import write_facts

pytestmark = pytest.mark.db


def _env(db: ConnectionSettings) -> dict[str, str]:
    return {"NEO4J_URI": db.uri, "NEO4J_USERNAME": db.user, "NEO4J_PASSWORD": db.password}


def test_empty_facts_are_refused_and_the_scope_is_untouched(db: ConnectionSettings) -> None:
    facts = known_facts()
    store.load(facts, db, scope="seed")
    before = dump(db)
    with pytest.raises(LoadRefused) as info:
        store.load(Facts(), db, scope="seed")
    message = str(info.value)
    assert f"remove {len(facts.entities)} of the {len(facts.entities)} nodes" in message
    assert f"{len(facts.relations)} of the {len(facts.relations)} relations" in message
    assert "--replace-all" in message
    assert dump(db) == before


@pytest.mark.parametrize(
    "body",
    [
        "",
        "# the facts will come later\n# (nothing here yet)\n",
        "sources: []\ngroups: []\nrelations: []\n",
    ],
    ids=["empty", "comments-only", "empty-sections"],
)
def test_cli_load_of_an_empty_file_is_refused(db: ConnectionSettings, tmp_path: Path, body: str) -> None:
    good = write_facts(known_facts(), tmp_path / "facts.yaml")
    runner = CliRunner()
    first = runner.invoke(main, ["load", str(good), "--database", db.database], env=_env(db))
    assert first.exit_code == 0, first.output
    before = dump(db)
    good.write_text(body, encoding="utf-8")
    res = runner.invoke(main, ["load", str(good), "--database", db.database], env=_env(db))
    assert res.exit_code == 1, res.output
    assert "refused: this load would remove" in res.output and "Traceback" not in res.output
    assert dump(db) == before
    forced = runner.invoke(main, ["load", str(good), "--database", db.database, "--replace-all"], env=_env(db))
    assert forced.exit_code == 0, forced.output
    assert dump(db) == (set(), set())


def test_a_file_that_lost_its_relations_section_is_refused(db: ConnectionSettings, tmp_path: Path) -> None:
    path = write_facts(known_facts(), tmp_path / "facts.yaml")
    store.load(read_facts([path]), db)
    before = dump(db)
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("relations:")], encoding="utf-8")  # cut off before its relations
    cut = read_facts([path])  # still a valid file: entities only
    with pytest.raises(LoadRefused, match=r"remove 0 of the \d+ nodes and \d+ of the \d+ relations"):
        store.load(cut, db)
    assert dump(db) == before


def test_removing_less_than_half_is_allowed(db: ConnectionSettings) -> None:
    facts = known_facts()
    store.load(facts, db)
    fewer = known_facts()
    fewer.relations = fewer.relations[1:]
    report = store.load(fewer, db)
    assert (report.removed_nodes, report.removed_relations) == (0, 1)


def test_build_refuses_too(db: ConnectionSettings, tmp_path: Path) -> None:
    path = write_facts(known_facts(), tmp_path / "facts.yaml")
    store.load(read_facts([path]), db)
    before = dump(db)
    path.write_text(textwrap.dedent("# emptied by mistake\n"), encoding="utf-8")
    args = ["build", str(path), "--database", db.database, "--out", str(tmp_path / "out")]
    res = CliRunner().invoke(main, args, env=_env(db))
    assert res.exit_code == 1 and "refused" in res.output, res.output
    assert dump(db) == before
