"""Hostile and careless fact files: every defect is a reported problem (file, line, record, field).

Each case plants one defect in the good fact file of ``test_facts`` (or writes a small file of its
own) and checks the problem the reader reports: nothing is dropped silently, nothing is replaced
silently, no YAML 1.1 type guess changes an id or a name, and no traceback reaches the user.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_facts import GOOD, problems_of, write

from graphkit.cli import main
from graphkit.errors import Problem, ValidationError
from graphkit.facts import Entity, Facts, Relation, is_partial_date, read_facts, validate
from graphkit.importers.common import write_facts

BODY = textwrap.dedent(GOOD)


def planted(tmp_path: Path, old: str, new: str) -> list[Problem]:
    """The problems of the good file with ``old`` replaced by ``new`` (once)."""
    assert old in BODY
    return problems_of(tmp_path, BODY.replace(old, new, 1))


def line_of(text: str, body: str = BODY) -> int:
    """The 1-based line of the first occurrence of ``text`` in ``body``."""
    return body[: body.index(text)].count("\n") + 1


# -- nothing dropped: relations whose type/from/to is not text ----------------------------------


@pytest.mark.parametrize(
    ("field", "old", "new", "shape"),
    [
        ("type", "type: LED_BY", "type: [LED_BY]", "a list"),
        ("from", "from: alpha", "from: {id: alpha}", "a mapping"),
        ("to", "to: pat", "to: [pat, beta]", "a list"),
    ],
)
def test_relation_ends_that_are_not_text_are_problems(
    tmp_path: Path, field: str, old: str, new: str, shape: str
) -> None:
    found = planted(tmp_path, old, new)
    assert [(p.field, p.line) for p in found if shape in p.message] == [(field, line_of("  - type: LED_BY"))]


def test_a_boolean_looking_end_is_the_text_written(tmp_path: Path) -> None:
    # YAML 1.1 would read `to: yes` as True and the relation vanished; here it is the id "yes".
    found = planted(tmp_path, "to: pat", "to: yes")
    assert any(p.field == "to" and "'yes' is not the id of any entity" in p.message for p in found)


def test_malformed_records_are_reported_like_bad_sources(tmp_path: Path) -> None:
    found = planted(tmp_path, "    confidence: reported\n", "    confidence: reported\n    records: {gtd: 1}\n")
    assert [p.field for p in found] == ["records"]
    assert "LED_BY alpha -> pat" in found[0].record


# -- nothing replaced silently: repeated keys and sections ------------------------------------


def test_a_repeated_key_in_a_record_is_an_error(tmp_path: Path) -> None:
    found = planted(tmp_path, "    name: Beta Brigade\n", "    name: Beta Brigade\n    name: Gamma Group\n")
    assert len(found) == 1
    p = found[0]
    assert (p.record, p.field, p.line) == ("beta", "name", line_of("    name: Beta Brigade") + 1)
    assert f"first at line {line_of('    name: Beta Brigade')}" in p.message


def test_a_repeated_section_is_an_error_and_its_records_are_not_lost_silently(tmp_path: Path) -> None:
    body = BODY + "groups:\n  - id: gamma\n    name: Gamma\n    sources: [art]\n"
    found = problems_of(tmp_path, body)
    repeated = [p for p in found if p.field == "groups"]
    assert len(repeated) == 1 and "section repeated" in repeated[0].message
    assert repeated[0].line == body.count("\n") - 3
    assert f"first at line {line_of('groups:')}" in repeated[0].message


# -- ids and names as written -----------------------------------------------------------------


def test_ids_and_names_are_the_text_written(tmp_path: Path) -> None:
    body = (
        BODY.replace("id: beta", "id: 010")
        .replace("from: beta", "from: 010")
        .replace("name: Beta Brigade", "name: 1e3")
        .replace("aliases: [AF]", "aliases: [AF, yes, 0x1F, '1:30', 1_000]")
    )
    facts = read_facts([write(tmp_path, body)])
    assert "010" in facts.entities and facts.entities["010"].name == "1e3"
    assert facts.entities["alpha"].aliases == ["AF", "yes", "0x1F", "1:30", "1_000"]
    fought = next(r for r in facts.relations if r.type == "FOUGHT")
    assert {fought.source, fought.target} == {"010", "alpha"}
    assert all(type(v) is str for e in facts.entities.values() for v in [e.id, e.name, *e.aliases])


def test_every_text_read_is_a_plain_str_so_it_can_be_written_back(tmp_path: Path) -> None:
    body = BODY.replace("    name: Beta Brigade\n", "    name: Beta Brigade\n    note: 2015 and on\n")
    facts = read_facts([write(tmp_path, body)])
    values = [v for e in facts.entities.values() for v in e.properties().values()]
    values += [v for r in facts.relations for v in (r.type, r.source, r.target, *r.properties().values())]
    flat = [x for v in values for x in (v if isinstance(v, list) else [v])]
    assert flat and all(type(x) in (str, int, float) for x in flat), {type(x) for x in flat}
    again = read_facts([write_facts(facts, tmp_path / "again.yaml")])
    assert again.entities["beta"].note == "2015 and on"


def test_numbers_follow_yaml_1_2_not_1_1(tmp_path: Path) -> None:
    body = BODY.replace("    name: Beta Brigade\n", "    name: Beta Brigade\n    founded: 2001\n")
    facts = read_facts([write(tmp_path, body)])
    assert facts.entities["beta"].props["founded"] == "2001"
    attack = "attacks:\n  - id: att\n    name: Attack\n    sources: [art]\n    killed: {killed}\n    latitude: {lat}\n"
    facts = read_facts([write(tmp_path, BODY + attack.format(killed="010", lat="34.5"))])
    assert facts.entities["att"].props == {"killed": 10, "latitude": 34.5}  # not octal 8
    for killed, lat in (("1_000", "0"), ("0x10", "0"), ("1:30", "0"), ("3", "1_0.5"), ("3", ".nan")):
        found = problems_of(tmp_path, BODY + attack.format(killed=killed, lat=lat))
        assert {p.field for p in found} == {"killed" if killed != "3" else "latitude"}, (killed, lat)


# -- real calendar dates ----------------------------------------------------------------------


@pytest.mark.parametrize("date", ["2015-02-30", "0000", "2015-02-29", "2015-04-31", "0000-01-01"])
def test_impossible_dates_are_rejected(tmp_path: Path, date: str) -> None:
    found = planted(tmp_path, 'since: "2015-01"', f'since: "{date}"')
    assert [(p.field, "real partial date" in p.message) for p in found] == [("since", True)]


def test_real_dates_pass() -> None:
    assert all(is_partial_date(d) for d in ("0001", "2016-02-29", "2000-02-29", "2015-12-31", "1999-06"))
    assert not any(is_partial_date(d) for d in ("1900-02-29", "2015-00", "2015-06-00", "15", "2015-6"))


# -- strings every store and export can hold --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Beta\x00Brigade", "U+0000"),
        ("Beta\x1bBrigade", "U+001B"),
        ("Beta\x7fBrigade", "U+007F"),
        ("Beta\ud800Brigade", "lone surrogate U+D800"),
        ("Beta\uffffBrigade", "U+FFFF"),
    ],
)
def test_unstorable_characters_are_rejected_with_record_and_field(text: str, why: str) -> None:
    facts = Facts(
        {
            "art": Entity("art", "Source", "Article"),
            "beta": Entity("beta", "Group", "Beta", aliases=[text], sources=["art"]),
            "alpha": Entity("alpha", "Group", "Alpha", sources=["art"]),
        },
        [Relation("ALLIED_WITH", "alpha", "beta", ["art"], [f"quote {text}"])],
    )
    with pytest.raises(ValidationError) as info:
        validate(facts)
    got = {(p.record.split()[-1], p.field) for p in info.value.problems if why in p.message}
    assert got == {("beta", "aliases"), ("beta", "evidence")}


def test_escaped_control_characters_in_yaml_are_rejected(tmp_path: Path) -> None:
    found = planted(tmp_path, "name: Beta Brigade", 'name: "Beta\\0Brigade\\e"')
    assert [(p.record, p.field) for p in found] == [("beta", "name")]


def test_tabs_newlines_and_any_script_pass(tmp_path: Path) -> None:
    body = BODY.replace("name: Beta Brigade", 'name: "Beta\\tBrigade \\u062f\\u0627\\u0639\\u0634 \U0001f600"')
    assert read_facts([write(tmp_path, body)]).entities["beta"].name == "Beta\tBrigade داعش \U0001f600"


# -- bounded numbers --------------------------------------------------------------------------


@pytest.mark.parametrize("killed", [2**63, 10**30, -1])
def test_integers_beyond_int64_are_rejected(killed: int) -> None:
    facts = Facts(
        {
            "art": Entity("art", "Source", "Article"),
            "att": Entity("att", "Attack", "Attack", sources=["art"], props={"killed": killed}),
        }
    )
    with pytest.raises(ValidationError) as info:
        validate(facts)
    assert [(p.record, p.field) for p in info.value.problems] == [("att", "killed")]
    assert "9223372036854775807" in info.value.problems[0].message


def test_a_float_killed_from_a_dataset_is_rejected(tmp_path: Path) -> None:
    body = BODY + "attacks:\n  - id: att\n    name: Attack\n    sources: [art]\n    killed: 1e30\n"
    assert [p.field for p in problems_of(tmp_path, body)] == ["killed"]


# -- messages that name the right record ------------------------------------------------------


def test_relations_are_labelled_by_their_place_in_their_own_file(tmp_path: Path) -> None:
    write(tmp_path, GOOD, "a.yaml")
    rel = "relations:\n" + "".join(
        f"  - type: FOUGHT\n    from: {a}\n    to: {b}\n    confidence: sure\n    sources: [art]\n    evidence: [x]\n"
        for a, b in (("alpha", "pat"), ("beta", "pat"))
    )
    (tmp_path / "b.yaml").write_text(rel, encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_facts([tmp_path])
    records = {p.record for p in info.value.problems if p.file.endswith("b.yaml")}
    assert records == {"relations[0] FOUGHT alpha -> pat", "relations[1] FOUGHT beta -> pat"}


# -- no traceback -----------------------------------------------------------------------------


def _cli(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, list(args))
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    return res.exit_code, res.output


def test_yaml_nested_5000_deep_is_a_clear_error(tmp_path: Path) -> None:
    deep = tmp_path / "deep.yaml"
    deep.write_text("groups: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    block = tmp_path / "block.yaml"
    block.write_text("".join("  " * i + "x:\n" for i in range(5000)), encoding="utf-8")
    for path in (deep, block):
        code, out = _cli("validate", str(path))
        assert code == 2 and "nest" in out and "Traceback" not in out, out


def test_nesting_deeper_than_a_fact_file_needs_is_a_problem(tmp_path: Path) -> None:
    found = planted(tmp_path, "aliases: [AF]", "aliases: " + "[" * 40 + "]" * 40)
    assert any("levels deep" in p.message for p in found)


def test_a_directory_named_like_a_fact_file(tmp_path: Path) -> None:
    (tmp_path / "facts" / "x.yaml").mkdir(parents=True)
    write(tmp_path / "facts", GOOD, "good.yaml")
    code, out = _cli("validate", str(tmp_path / "facts"))
    assert code == 0, out  # the directory named x.yaml is not a fact file
    code, out = _cli("validate", str(tmp_path / "facts" / "good.yaml"), str(tmp_path / "facts" / "x.yaml"))
    assert code == 2 and "x.yaml: a directory without fact files" in out, out


def test_yaml_tags_and_recursive_aliases_are_problems(tmp_path: Path) -> None:
    found = planted(tmp_path, "aliases: [AF]", "aliases: !!python/object:os.system [AF]")
    assert any("tag" in p.message for p in found)
    found = planted(tmp_path, "aliases: [AF]", "aliases: &a [AF, *a]")
    assert any("alias" in p.message for p in found)


def test_aliases_of_plain_values_are_read(tmp_path: Path) -> None:
    body = BODY.replace("sources: [art]", "sources: &src [art]", 1).replace(
        "    name: Beta Brigade\n    sources: [art]", "    name: Beta Brigade\n    sources: *src"
    )
    assert read_facts([write(tmp_path, body)]).entities["beta"].sources == ["art"]


def test_the_default_seed_is_found_from_another_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out = _cli("validate")
    assert code == 0 and out.startswith("valid: "), out


# -- the fast reader says exactly what the pure-Python one says --------------------------------

HOSTILE = """\
sources:
  - id: art
    name: An article
groups:
  - id: 010
    name: yes
    sources: [art]
    name: again
  - {id: beta, name: "Beta\\ttab", sources: [art], aliases: &al [B, 'b''s']}
  - id: gamma
    name: Gamma
    aliases: *al
    sources:
      - art
    note: |
      two lines
      of note
groups:
  - id: delta
relations:
  - type: [ALLIED_WITH]
    from: beta
    to: 010
    sources: [art]
    evidence: [x]
    confidence: reported
  - type: ALLIED_WITH
    from: beta
    to: 010
    since: 2015-02-30
    sources: [art]
    evidence: ["a\\x01b"]
    confidence: sure
    ? [complex]
    : key
  - !!map {type: FOUGHT}
"""


def test_libyaml_and_pure_python_readers_report_the_same_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import graphkit.facts as facts_module

    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE, encoding="utf-8")

    def problems() -> list[str]:
        with pytest.raises(ValidationError) as info:
            read_facts([path])
        return [str(p) for p in info.value.problems]

    fast = problems()
    monkeypatch.setattr(facts_module, "_LOADER", facts_module._PY_LOADER)
    assert problems() == fast
    lines = HOSTILE.splitlines()
    assert any(f"hostile.yaml:{lines.index('groups:', 4) + 1}: field 'groups': section repeated" in p for p in fast)
    assert any(":8: record '010' field 'name': field repeated (first at line 6)" in p for p in fast)
    assert any("tag 'tag:yaml.org,2002:map'" in p for p in fast) and any(
        "a key must be a plain name" in p for p in fast
    )
