"""Cypher as a data engineer types it: ``cypher -f FILE`` and ``-``, EXPLAIN/PROFILE plans,
compact nodes, relations and paths, and the interactive ``graphkit shell`` driven through a pty
against the real server of the ``db`` fixture."""

from __future__ import annotations

import sys
from pathlib import Path

import pexpect
import pytest
from click.testing import CliRunner
from test_cypher_library import known_facts
from test_store import env_of

from graphkit import store
from graphkit.cli import main
from graphkit.connection import ConnectionSettings

pytestmark = pytest.mark.db


def test_cypher_reads_statements_from_a_file_and_stdin(db: ConnectionSettings, tmp_path: Path) -> None:
    store.load(known_facts(), db)
    script = tmp_path / "q.cypher"
    script.write_text(
        "// two questions\nMATCH (g:Group {id: 'jua'})\nRETURN g.name AS name;\n"
        "MATCH (g:Group) WHERE g.name = 'a;b' RETURN count(g) AS n;\nRETURN $x AS x\n",
        encoding="utf-8",
    )
    run = CliRunner().invoke
    res = run(main, ["cypher", "-f", str(script), "-p", "x=7"], env=env_of(db))
    assert res.exit_code == 0, res.output
    assert "Jamaat-ul-Ahrar" in res.output and res.output.count("(1 row)") == 3
    assert "-- MATCH (g:Group) WHERE g.name = 'a;b' RETURN count(g) AS n" in res.output
    res = run(main, ["cypher", "-", "--format", "json"], input="RETURN 1 + 1 AS two;", env=env_of(db))
    assert res.exit_code == 0, res.output
    assert '"two": 2' in res.output
    res = run(main, ["cypher", "-"], input="// nothing\n", env=env_of(db))
    assert res.exit_code == 1 and "no Cypher statement" in res.output
    res = run(main, ["cypher", "-f", str(script), "RETURN 1"], env=env_of(db))
    assert res.exit_code == 2 and "one of them" in res.output
    # read-only still holds for every statement of a script
    script.write_text("RETURN 1 AS one;\nMATCH (n) DETACH DELETE n;\n", encoding="utf-8")
    res = run(main, ["cypher", "-f", str(script)], env=env_of(db))
    assert res.exit_code != 0 and "read-only" in res.output
    assert store.count_records(db)["Group"] == len(known_facts().of_kind("Group"))


def test_explain_and_profile_show_the_plan(db: ConnectionSettings) -> None:
    store.load(known_facts(), db)
    run = CliRunner().invoke
    res = run(main, ["cypher", "EXPLAIN MATCH (g:Group) RETURN g.id AS id"], env=env_of(db))
    assert res.exit_code == 0, res.output
    assert "(0 rows)" not in res.output and "Plan:" in res.output and "Operator" in res.output
    res = run(main, ["cypher", "PROFILE MATCH (g:Group) RETURN g.id AS id"], env=env_of(db))
    assert res.exit_code == 0, res.output
    assert "Plan:" in res.output and "jua" in res.output  # PROFILE runs the query: rows, then the plan


def test_nodes_relations_and_paths_print_compactly(db: ConnectionSettings) -> None:
    store.load(known_facts(), db)
    run = CliRunner().invoke
    res = run(main, ["cypher", "MATCH (g:Group {id: 'jua'}) RETURN g"], env=env_of(db))
    assert res.exit_code == 0, res.output
    assert "(:Group {" in res.output and 'id: "jua"' in res.output and 'aliases: ["JuA"]' in res.output
    assert "_scopes" not in res.output and "_labels" not in res.output
    forward = "MATCH p = (:Group {id: 'hizb-ul-ahrar'})-[:SPLINTER_OF]->(:Group) RETURN p"
    res = run(main, ["cypher", forward], env=env_of(db))
    assert res.exit_code == 0, res.output
    assert "(:Group {" in res.output and "-[:SPLINTER_OF {" in res.output and "}]->(:Group {" in res.output
    backward = "MATCH p = (:Group {id: 'jua'})<-[:SPLINTER_OF]-(:Group {id: 'hizb-ul-ahrar'}) RETURN p"
    res = run(main, ["cypher", backward], env=env_of(db))
    assert res.exit_code == 0, res.output
    assert "<-[:SPLINTER_OF {" in res.output and "}]-(:Group {" in res.output and "]->" not in res.output
    res = run(main, ["cypher", "MATCH (:Group {id: 'jua'})-[r:SPLINTER_OF]->() RETURN r"], env=env_of(db))
    assert res.output.lstrip().splitlines()[2].startswith("[:SPLINTER_OF {")


def _spawn(db: ConnectionSettings, history: Path, *args: str) -> pexpect.spawn:
    env = {**env_of(db), "GRAPHKIT_HISTORY": str(history), "TERM": "dumb", "PATH": "/usr/bin:/bin"}
    child = pexpect.spawn(
        sys.executable, ["-m", "graphkit", "shell", *args], env=env, encoding="utf-8", timeout=60, dimensions=(40, 200)
    )
    child.expect("Connected to")
    child.expect("graphkit> ")
    return child


def test_the_shell_runs_multiline_statements_with_params_and_history(db: ConnectionSettings, tmp_path: Path) -> None:
    store.load(known_facts(), db)
    history = tmp_path / "history"
    child = _spawn(db, history)
    child.sendline(":help")
    child.expect(":param NAME => EXPRESSION")
    child.expect("graphkit> ")
    child.sendline(":param group => toLower('JUA')")
    child.expect(r':param group => "jua"')
    child.expect("graphkit> ")
    child.sendline("MATCH (g:Group {id: $group})")
    child.expect(r"        > ")  # a statement goes on until its ';'
    child.sendline("RETURN g.name AS name, 'x;y' AS text;")
    child.expect("Jamaat-ul-Ahrar")
    child.expect(r"\(1 row\)")
    child.expect("graphkit> ")
    child.sendline("RETURN 1 AS a; RETURN 2 AS b;")
    child.expect(r"\(1 row\)")
    child.expect(r"\(1 row\)")
    child.expect("graphkit> ")
    child.sendline(":params")
    child.expect(r':param group => "jua"')
    child.sendline("MATCH (n) DETACH DELETE n;")  # read-only unless --write
    child.expect("read-only")
    child.expect("graphkit> ")
    child.sendline("RETURN nosuchfunction(1);")
    child.expect("error: ")  # an error does not end the shell
    child.expect("graphkit> ")
    child.sendline(":exit")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert store.count_records(db)["Group"] == len(known_facts().of_kind("Group"))
    saved = history.read_text(encoding="utf-8")
    assert "MATCH (g:Group {id: $group})" in saved and ":param group => toLower('JUA')" in saved

    again = _spawn(db, history)  # the history is read back: up-arrow recalls the last line
    again.send("\x1b[A")
    again.expect(":exit")
    again.sendcontrol("u")
    again.sendeof()
    again.expect(pexpect.EOF)
    again.close()
    assert again.exitstatus == 0


def test_the_shell_writes_only_with_write(db: ConnectionSettings, tmp_path: Path) -> None:
    child = _spawn(db, tmp_path / "h", "--write")
    child.sendline("CREATE (:Group {id: 'made-in-shell', name: 'Made'});")
    child.expect("graphkit> ")
    child.sendline(":quit")
    child.expect(pexpect.EOF)
    child.close()
    hit = store.run_query(db, "MATCH (g:Group {id: 'made-in-shell'}) RETURN g.name AS name")
    assert hit.rows == [["Made"]]
