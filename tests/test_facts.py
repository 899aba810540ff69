"""Validation of fact files: each rule catches a planted error, naming file, record and field."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphkit.cli import main
from graphkit.errors import Problem, ValidationError
from graphkit.facts import read_facts

GOOD = """
sources:
  - id: art
    name: An article
    file: art.txt
groups:
  - id: alpha
    name: Alpha Front
    aliases: [AF]
    group_type: militant group
    sources: [art]
  - id: beta
    name: Beta Brigade
    sources: [art]
people:
  - id: pat
    name: Pat Doe
    sources: [art]
relations:
  - type: LED_BY
    from: alpha
    to: pat
    since: "2015-01"
    confidence: reported
    sources: [art]
    evidence: ["Pat Doe led   Alpha Front"]
  - type: FOUGHT
    from: beta
    to: alpha
    since: 2016
    until: "2017-03"
    confidence: alleged
    sources: [art]
    evidence: ["Beta Brigade reportedly fought Alpha Front"]
"""
TEXT = "In 2015 Pat Doe led Alpha\nFront. Beta Brigade reportedly fought Alpha Front until 2017."


def write(tmp_path: Path, body: str, name: str = "facts.yaml") -> Path:
    (tmp_path / "src").mkdir(exist_ok=True)
    (tmp_path / "src" / "art.txt").write_text(TEXT, encoding="utf-8")
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def problems_of(tmp_path: Path, body: str) -> list[Problem]:
    path = write(tmp_path, body)
    with pytest.raises(ValidationError) as info:
        read_facts([path], tmp_path / "src")
    return info.value.problems


def test_good_file_is_valid_and_canonicalises_symmetric_relations(tmp_path: Path) -> None:
    facts = read_facts([write(tmp_path, GOOD)], tmp_path / "src")
    assert facts.counts() == {"FOUGHT": 1, "Group": 2, "LED_BY": 1, "Person": 1, "Source": 1}
    fought = next(r for r in facts.relations if r.type == "FOUGHT")
    assert (fought.source, fought.target) == ("alpha", "beta")  # stored once, smaller id first
    assert fought.since == "2016"  # a bare YAML year is read as the partial date it is
    led = next(r for r in facts.relations if r.type == "LED_BY")
    assert led.origin.line is not None and led.origin.file.endswith("facts.yaml")


# Each case: (what is planted, replacement applied to GOOD, expected record, expected field, words in reason)
CASES = [
    ("duplicate id", ("  - id: beta\n", "  - id: alpha\n"), "alpha", "id", "duplicate id"),
    ("id not a slug", ("id: pat\n", "id: Pat_Doe\n"), "Pat_Doe", "id", "slug"),
    ("unresolved reference", ("    to: pat\n", "    to: nobody\n"), "LED_BY alpha -> nobody", "to", "not the id"),
    ("endpoint kind", ("    to: pat\n", "    to: beta\n"), "LED_BY alpha -> beta", "to", "must end at Person"),
    ("bad partial date", ('since: "2015-01"', 'since: "2015-13"'), "LED_BY alpha -> pat", "since", "partial date"),
    ("since after until", ("since: 2016", "since: 2018"), "FOUGHT beta -> alpha", "until", "before it begins"),
    ("confidence off scale", ("confidence: reported", "confidence: certain"), "LED_BY", "confidence", "scale"),
    (
        "relation without source",
        ('    sources: [art]\n    evidence: ["Pat', '    evidence: ["Pat'),
        "LED_BY",
        "sources",
        "missing",
    ),
    ("relation without quote", ('    evidence: ["Pat Doe led   Alpha Front"]\n', ""), "LED_BY", "evidence", "missing"),
    (
        "source is not a Source",
        ('    sources: [art]\n    evidence: ["Pat', '    sources: [beta]\n    evidence: ["Pat'),
        "LED_BY",
        "sources",
        "not the id of a Source",
    ),
    (
        "alias shared",
        ("    name: Beta Brigade\n", "    name: Beta Brigade\n    aliases: [af]\n"),
        "beta",
        "aliases",
        "also used by 'alpha'",
    ),
    (
        "quote not verbatim",
        ("Pat Doe led   Alpha Front", "Pat Doe commanded Alpha Front"),
        "LED_BY",
        "evidence",
        "not found verbatim",
    ),
    (
        "entity without source",
        ("    name: Pat Doe\n    sources: [art]\n", "    name: Pat Doe\n"),
        "pat",
        "sources",
        "no source",
    ),
    ("field choice", ("group_type: militant group", "group_type: gang"), "alpha", "group_type", "one of"),
    (
        "unknown field",
        ("    confidence: reported\n", "    confidence: reported\n    evidance: [x]\n"),
        "LED_BY",
        "evidance",
        "unknown field",
    ),
    (
        "weight below zero",
        ("    confidence: reported\n", "    confidence: reported\n    weight: -1\n"),
        "LED_BY",
        "weight",
        "a number from 0",
    ),
    ("unknown relation type", ("type: LED_BY", "type: LEAD_BY"), "LEAD_BY", "type", "unknown relation type"),
]


@pytest.mark.parametrize(("what", "change", "record", "field", "reason"), CASES, ids=[c[0] for c in CASES])
def test_each_rule_catches_a_planted_error(
    tmp_path: Path, what: str, change: tuple[str, str], record: str, field: str, reason: str
) -> None:
    body = textwrap.dedent(GOOD)
    assert change[0] in body, f"case {what!r} does not apply to the good file"
    found = problems_of(tmp_path, body.replace(change[0], change[1], 1))
    matching = [p for p in found if record in p.record and p.field == field and reason in p.message]
    assert matching, f"no problem for {what}: {[str(p) for p in found]}"
    assert all(p.file.endswith("facts.yaml") and p.line is not None for p in matching)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    body = textwrap.dedent(GOOD).replace("confidence: reported", "confidence: sure").replace("to: pat", "to: nobody")
    body = body.replace("since: 2016", "since: 2019")
    found = problems_of(tmp_path, body)
    assert {p.field for p in found} >= {"confidence", "to", "until"}


def test_problems_across_files_and_yaml_syntax(tmp_path: Path) -> None:
    write(tmp_path, GOOD, "a.yaml")
    (tmp_path / "b.yaml").write_text("groups:\n  - id: gamma\n    name: [unclosed\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_text("gangs:\n  - id: delta\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_facts([tmp_path])
    by_file = {Path(p.file).name: p for p in info.value.problems}
    assert "not valid YAML" in by_file["b.yaml"].message and by_file["b.yaml"].line == 4
    assert by_file["c.yaml"].field == "gangs" and "unknown section" in by_file["c.yaml"].message


def test_missing_source_text_is_a_problem(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    (tmp_path / "src" / "art.txt").unlink()
    with pytest.raises(ValidationError) as info:
        read_facts([path], tmp_path / "src")
    assert any(p.record == "art" and p.field == "file" for p in info.value.problems)


def test_recurring_relation_needs_distinct_dates(tmp_path: Path) -> None:
    body = textwrap.dedent(GOOD)
    led = body[body.index("  - type: LED_BY") : body.index("  - type: FOUGHT")]
    found = problems_of(tmp_path, body + led)
    assert any(p.field == "id" and "duplicate relation" in p.message for p in found)
    read_facts([write(tmp_path, body + led.replace('"2015-01"', '"2019"'))], tmp_path / "src")


def test_cli_validate_exit_codes(tmp_path: Path) -> None:
    good = write(tmp_path, GOOD)
    runner = CliRunner()
    ok = runner.invoke(main, ["validate", "--sources", str(tmp_path / "src"), str(good)])
    assert ok.exit_code == 0, ok.output
    assert ok.output.startswith("valid: 4 entities (2 Group, 1 Person, 1 Source); 2 relations")
    bad = write(tmp_path, textwrap.dedent(GOOD).replace("to: pat", "to: nobody"), "bad.yaml")
    res = runner.invoke(main, ["validate", str(bad)])
    assert res.exit_code == 2
    assert "bad.yaml:" in res.output and "field 'to'" in res.output and "Traceback" not in res.output
