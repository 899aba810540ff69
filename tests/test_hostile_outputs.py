"""Hostile outputs: every CSV is safe in a spreadsheet, every export is well-formed, every write error is clear.

The facts here are valid but nasty (formula-like names, markup, quotes with the old array
delimiter, scripts and emoji); the output paths are a directory, a path under a file, a full
disk (``/dev/full``) and a file even root cannot write (sysfs). No case may end in a traceback.
"""

from __future__ import annotations

import csv
import io
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner, Result

from graphkit import store
from graphkit.cli import main
from graphkit.cli.store import render
from graphkit.connection import ConnectionSettings
from graphkit.errors import GraphkitError, InputError, OutputError, StoreError
from graphkit.export import export_graph, read_export, spreadsheet_safe
from graphkit.facts import Entity, Facts, read_facts, validate
from graphkit.graph import to_networkx
from graphkit.projection import project

FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]

NASTY = textwrap.dedent(
    """
    sources:
      - id: art
        name: "=cmd|' /C calc'!A0"
    groups:
      - id: alpha
        name: "=HYPERLINK(\\"http://evil\\",\\"click\\")"
        aliases: ["@SUM(1)", "+1", "-1", "a|b", "c;d", "<b>&amp;</b>", "]]>", "\\u062f\\u0627\\u0639\\u0634 \\U0001F600"]
        sources: [art]
      - id: beta
        name: "Beta \\"quoted\\" <tag/>"
        sources: [art]
    relations:
      - type: ALLIED_WITH
        from: alpha
        to: beta
        confidence: reported
        sources: [art]
        evidence: ["=1+1 | a pipe; a semicolon, \\"a quote\\"", "\\ttab first"]
    """
)


@pytest.fixture
def nasty(tmp_path: Path) -> Path:
    path = tmp_path / "nasty.yaml"
    path.write_text(NASTY, encoding="utf-8")
    return path


def cli(*args: str, env: dict[str, str] | None = None) -> Result:
    res = CliRunner().invoke(main, list(args), env=env)
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert "Traceback" not in res.output
    return res


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def unsafe_cells(text: str) -> list[str]:
    """The cells of a CSV text that a spreadsheet would run as a formula (a plain number like -3 is none)."""
    cells = [c for row in csv.reader(io.StringIO(text, newline="")) for c in row]
    return [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r") and not _number(c)]


# -- CSV injection: every CSV graphkit writes --------------------------------------------------


def test_the_one_rule() -> None:
    assert [spreadsheet_safe(v) for v in FORMULAS] == ["'" + v for v in FORMULAS]
    assert [spreadsheet_safe(v) for v in ("Alpha", "", "'=x", 3, -3.5, None)] == ["Alpha", "", "'=x", 3, -3.5, None]


def test_bulk_import_csv_is_safe_and_lists_round_trip(nasty: Path, tmp_path: Path) -> None:
    res = cli("export", str(nasty), "--format", "csv", "--out", str(tmp_path / "csv"))
    assert res.exit_code == 0, res.output
    for name in ("nodes.csv", "relations.csv"):
        text = (tmp_path / "csv" / name).read_text(encoding="utf-8")
        assert unsafe_cells(text) == [], name
    with (tmp_path / "csv" / "nodes.csv").open(encoding="utf-8", newline="") as fh:
        alpha = next(r for r in csv.DictReader(fh) if r["id:ID"] == "alpha")
    assert alpha["name"] == '\'=HYPERLINK("http://evil","click")'
    aliases = alpha["aliases:string[]"].split("\x1f")
    assert aliases[0] == "'@SUM(1)" and aliases[1:] == ["+1", "-1", "a|b", "c;d", "<b>&amp;</b>", "]]>", "داعش 😀"]


def test_metrics_csv_is_safe(nasty: Path, tmp_path: Path) -> None:
    res = cli("metrics", str(nasty), "--format", "csv")
    assert res.exit_code == 0, res.output
    assert "'=HYPERLINK" in res.output and unsafe_cells(res.output) == []
    out = tmp_path / "out"
    res = cli("build", str(nasty), "--no-load", "--out", str(out))
    assert res.exit_code == 0, res.output
    assert unsafe_cells((out / "metrics.csv").read_text(encoding="utf-8")) == []


def test_query_csv_is_safe_and_numbers_are_kept() -> None:
    result = store.QueryResult(["a", "n", "l"], [["=1+1", -3, ["@x", "y"]], ["\tx", 2.5, []]])
    text = render(result, "csv")
    assert unsafe_cells(text) == []
    assert text.splitlines()[1:] == ["'=1+1,-3,'@x; y", "'\tx,2.5,"]


def test_cypher_csv_from_the_database_is_safe(db: ConnectionSettings) -> None:
    env = {"NEO4J_URI": db.uri, "NEO4J_USERNAME": db.user, "NEO4J_PASSWORD": db.password}
    res = cli(
        "cypher", "RETURN '=1+1' AS f, '@me' AS g, -3 AS n", "--format", "csv", "--database", db.database, env=env
    )
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[1] == "'=1+1,'@me,-3"


# -- well-formed XML ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_exports_are_well_formed_and_round_trip(nasty: Path, tmp_path: Path, fmt: str) -> None:
    G = to_networkx(read_facts([nasty]))
    (path,) = export_graph(G, fmt, tmp_path / f"g.{fmt}")  # type: ignore[arg-type]
    root = ET.parse(path).getroot()  # raises on a document that is not well-formed
    assert root.tag.endswith("graphml" if fmt == "graphml" else "gexf")
    back = read_export(path)
    assert back.nodes["alpha"]["aliases"] == G.nodes["alpha"]["aliases"]
    assert back.nodes["beta"]["name"] == 'Beta "quoted" <tag/>'


@pytest.mark.parametrize("bad", ["nul\x00", "esc\x1b", "lone \ud800"])
@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "csv"])
def test_a_hand_built_graph_with_unstorable_text_is_refused(tmp_path: Path, fmt: str, bad: str) -> None:
    G = to_networkx(validate(Facts({"art": Entity("art", "Source", "A")})))
    G.nodes["art"]["name"] = bad
    with pytest.raises(GraphkitError, match="node 'art': attribute 'name' contains"):
        export_graph(G, fmt, tmp_path / "out")  # type: ignore[arg-type]
    assert not (tmp_path / "out").exists()


def test_validated_facts_never_reach_an_export_with_a_control_character() -> None:
    facts = Facts(
        {"art": Entity("art", "Source", "A"), "g": Entity("g", "Group", "G\x0b", sources=["art"])},
        [],
    )
    with pytest.raises(GraphkitError, match="U\\+000B"):
        validate(facts)


# -- output paths: clear errors ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "words"),
    [
        ("dir", "is a directory"),
        ("under-a-file", "is a file, not a directory"),
        ("/dev/full", "no space left on the device"),
        ("/sys/kernel/notes", "permission denied"),
    ],
)
def test_export_to_a_bad_path_is_a_clear_error(nasty: Path, tmp_path: Path, where: str, words: str) -> None:
    (tmp_path / "dir").mkdir()
    (tmp_path / "file").write_text("x", encoding="utf-8")
    out = {"dir": str(tmp_path / "dir"), "under-a-file": str(tmp_path / "file" / "g.graphml")}.get(where, where)
    res = cli("export", str(nasty), "--format", "graphml", "--out", out)
    named = str(tmp_path / "file") if where == "under-a-file" else out
    assert res.exit_code == 1 and words in res.output and named in res.output, res.output
    with pytest.raises(OutputError):
        export_graph(to_networkx(read_facts([nasty])), "json", out)


def test_metrics_and_build_to_a_bad_path(nasty: Path, tmp_path: Path) -> None:
    res = cli("metrics", str(nasty), "--format", "csv", "--out", "/dev/full")
    assert res.exit_code == 1 and "no space left" in res.output, res.output
    (tmp_path / "file").write_text("x", encoding="utf-8")
    res = cli("build", str(nasty), "--no-load", "--out", str(tmp_path / "file" / "out"))
    assert res.exit_code == 1 and "not a directory" in res.output, res.output


def test_view_to_a_full_disk(nasty: Path) -> None:
    res = cli("view", str(nasty), "--out", "/dev/full")
    assert res.exit_code == 1 and "no space left" in res.output, res.output


# -- parameters and errors of the family -------------------------------------------------------


def test_huge_and_deep_parameters_are_clear_errors() -> None:
    res = cli("query", "most-connected", "-p", "limit=" + "9" * 30)
    assert res.exit_code == 1 and "parameter 'limit' must be int" in res.output, res.output
    res = cli("cypher", "RETURN $x", "-p", "x=" + "9" * 30)
    assert res.exit_code == 1 and "64-bit" in res.output, res.output
    res = cli("cypher", "RETURN $x", "-p", "x=" + "[" * 100_000 + "]" * 100_000)
    assert res.exit_code == 1 and "nests too deeply" in res.output, res.output
    res = cli("cypher", "RETURN $x", "-p", "x=[1, Infinity]")
    assert res.exit_code == 1 and "finite" in res.output, res.output


def test_ensure_schema_on_a_server_that_is_not_there() -> None:
    # open_driver checks the server first; a driver made directly meets the error in ensure_schema.
    with (
        neo4j.GraphDatabase.driver("bolt://127.0.0.1:9", auth=("neo4j", "x")) as driver,
        pytest.raises(StoreError, match="could not create the schema"),
    ):
        store.ensure_schema(driver, "neo4j")


def test_projection_and_metrics_errors_are_of_the_family(nasty: Path) -> None:
    G = to_networkx(read_facts([nasty]))
    with pytest.raises(InputError):
        project(G, "nonsense")
    from graphkit import metrics

    with pytest.raises(GraphkitError, match="simple graph"):
        metrics.metrics_frame(G)
    assert issubclass(InputError, ValueError)  # callers that caught ValueError still do
