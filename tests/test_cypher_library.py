"""Every query of the Cypher library, run against the local server on a small graph with known answers.

``known_facts()`` is a small made-up but model-shaped graph (the ids echo real actors; the
sources are fictional); the store and Neo4j tests use it too. ``CASES`` gives each library file
(and the template) at least one parameter set and the rows it must answer, worked out by hand
from the facts below. A new query file without a case fails ``test_every_query_has_a_case``.
"""

from __future__ import annotations

import shlex
from typing import Any

import pytest

from graphkit import cypher, store
from graphkit.connection import ConnectionSettings
from graphkit.facts import Entity, Facts, Relation, read_facts
from graphkit.graph import SEED_DIR


def _rel(rtype: str, a: str, b: str, *, since: str | None = None, until: str | None = None, **kw: object) -> Relation:
    sources = kw.pop("sources", ["src-a"])
    confidence = kw.pop("confidence", "reported")
    note = kw.pop("note", None)
    assert not kw, kw
    return Relation(
        rtype,
        a,
        b,
        list(sources),  # type: ignore[call-overload]
        [f"{a} {rtype.lower().replace('_', ' ')} {b}"],
        confidence=str(confidence),
        since=since,
        until=until,
        note=note if note is None else str(note),
    )


def known_facts() -> Facts:
    """The known graph: 8 groups, 3 people, 4 places, 3 attacks, 3 sources; 34 relations."""
    ents = [
        Entity("src-a", "Source", "Monitoring report A", props={"publisher": "Monitor", "published": "2016-05"}),
        Entity("src-b", "Source", "News article B", props={"url": "https://example.org/b"}),
        Entity("src-c", "Source", "Research paper C", props={"publisher": "Institute", "published": "2022"}),
        Entity("ttp", "Group", "Tehrik-i-Taliban Pakistan", ["TTP"], ["src-a"], props={"group_type": "militant group"}),
        Entity("jua", "Group", "Jamaat-ul-Ahrar", ["JuA"], ["src-a"], props={"founded": "2014-08"}),
        Entity(
            "iskp",
            "Group",
            "Islamic State Khorasan Province",
            ["ISKP", "ISIS-K", "IS-K"],
            ["src-a", "src-b"],
            note="Announced in January 2015.",
            props={"group_type": "militant group", "founded": "2015-01"},
        ),
        Entity("hizb-ul-ahrar", "Group", "Hizb-ul-Ahrar", [], ["src-a"]),
        Entity("islamic-state", "Group", "Islamic State", ["ISIS", "ISIL"], ["src-a"]),
        Entity("taliban", "Group", "Afghan Taliban", [], ["src-a"]),
        Entity("al-qaeda", "Group", "al-Qaeda", ["AQ"], ["src-b"]),
        Entity("haqqani", "Group", "Haqqani Network", [], ["src-b"]),
        Entity("hafiz-saeed-khan", "Person", "Hafiz Saeed Khan", [], ["src-a"]),
        Entity("shahab-muhajir", "Person", "Shahab al-Muhajir", [], ["src-b"]),
        Entity("aslam-farooqi", "Person", "Aslam Farooqi", [], ["src-b"]),
        Entity("afghanistan", "Place", "Afghanistan", [], ["src-a"], props={"place_type": "country"}),
        Entity("nangarhar", "Place", "Nangarhar", [], ["src-a"], props={"place_type": "province"}),
        Entity("achin", "Place", "Achin", [], ["src-a"], props={"place_type": "district"}),
        Entity("kabul", "Place", "Kabul", [], ["src-b"], props={"place_type": "city"}),
        Entity(
            "kabul-airport-2021",
            "Attack",
            "Kabul airport bombing",
            [],
            ["src-b"],
            props={"date": "2021-08-26", "killed": 183, "attack_type": "suicide bombing"},
        ),
        Entity("kabul-2021-11", "Attack", "Kabul hospital attack", [], ["src-b"], props={"date": "2021-11-02"}),
        Entity("achin-2016", "Attack", "Achin attack", [], ["src-a"], props={"date": "2016-07", "killed": 10}),
    ]
    rels = [
        _rel("SPLINTER_OF", "jua", "ttp", since="2014"),
        _rel("SPLINTER_OF", "iskp", "ttp", since="2015", confidence="alleged"),
        _rel("SPLINTER_OF", "hizb-ul-ahrar", "jua", since="2017"),
        _rel("MERGED_INTO", "jua", "ttp", since="2020-08", sources=["src-c"]),
        _rel("RIVAL_OF", "jua", "ttp", since="2014", until="2020"),
        _rel("AFFILIATE_OF", "iskp", "islamic-state", since="2015-01", confidence="confirmed"),
        _rel("SUPPORTED", "islamic-state", "iskp", since="2015"),
        _rel("FOUGHT", "iskp", "taliban", since="2015", confidence="confirmed", sources=["src-a", "src-b"]),
        _rel("FOUGHT", "iskp", "taliban", since="2021-08", sources=["src-b", "src-c"]),
        _rel("ALLIED_WITH", "al-qaeda", "taliban", confidence="confirmed", sources=["src-b"]),
        _rel("ALLIED_WITH", "haqqani", "taliban", since="2001", sources=["src-b"]),
        _rel("ALLIED_WITH", "haqqani", "iskp", since="2017", confidence="alleged", sources=["src-b"]),
        _rel("LED_BY", "iskp", "hafiz-saeed-khan", since="2015-01", until="2016-07", confidence="confirmed"),
        _rel("LED_BY", "iskp", "aslam-farooqi", since="2019-04", until="2020-04", sources=["src-b"]),
        _rel("LED_BY", "iskp", "shahab-muhajir", since="2020-06", sources=["src-b"]),
        _rel("MEMBER_OF", "hafiz-saeed-khan", "ttp", since="2008", until="2014"),
        _rel("MEMBER_OF", "hafiz-saeed-khan", "iskp", since="2015", note="first governor"),
        _rel("MEMBER_OF", "aslam-farooqi", "ttp", since="2010", sources=["src-b"]),
        _rel("MEMBER_OF", "aslam-farooqi", "iskp", since="2016", sources=["src-b"]),
        _rel("MEMBER_OF", "shahab-muhajir", "iskp", since="2020", sources=["src-b"]),
        _rel("CARRIED_OUT", "iskp", "kabul-airport-2021", sources=["src-b"], confidence="confirmed"),
        _rel("CARRIED_OUT", "iskp", "kabul-2021-11", sources=["src-b"], confidence="alleged"),
        _rel("CARRIED_OUT", "iskp", "achin-2016"),
        _rel("CLAIMED", "iskp", "kabul-2021-11", sources=["src-b"]),
        _rel("CLAIMED", "islamic-state", "achin-2016", sources=["src-b"]),
        _rel("OCCURRED_IN", "kabul-airport-2021", "kabul", sources=["src-b"]),
        _rel("OCCURRED_IN", "kabul-2021-11", "kabul", sources=["src-b"]),
        _rel("OCCURRED_IN", "achin-2016", "achin"),
        _rel("ACTIVE_IN", "iskp", "nangarhar", since="2015"),
        _rel("ACTIVE_IN", "ttp", "achin", since="2010", until="2015"),
        _rel("ACTIVE_IN", "taliban", "afghanistan"),
        _rel("LOCATED_IN", "nangarhar", "afghanistan"),
        _rel("LOCATED_IN", "achin", "nangarhar"),
        _rel("LOCATED_IN", "kabul", "afghanistan"),
    ]
    return Facts({e.id: e for e in ents}, rels)


# --------------------------------------------------------------------------------------------
# Expected answers: (query name, parameters, expected rows, whether row order is part of the answer)
# --------------------------------------------------------------------------------------------

HSK, AF, SM = "Hafiz Saeed Khan", "Aslam Farooqi", "Shahab al-Muhajir"
ISKP, TTP = "Islamic State Khorasan Province", "Tehrik-i-Taliban Pakistan"

CASES: list[tuple[str, dict[str, str], list[tuple[Any, ...]], bool]] = [
    (
        "_template",
        {"kind": "Group", "text": "TALIBAN"},
        [("taliban", "Afghan Taliban", ()), ("ttp", TTP, ("TTP",))],
        True,
    ),
    ("find-entity", {"name": "isis-k"}, [("iskp", "Group", ISKP)], True),
    ("find-entity", {"name": "Islamic State Khorasan Province"}, [("iskp", "Group", ISKP)], True),
    (
        "neighbourhood",
        {"id": "jua"},
        [
            ("MERGED_INTO", "out", "ttp", "Group", "2020-08", None),
            ("RIVAL_OF", "out", "ttp", "Group", "2014", "2020"),
            ("SPLINTER_OF", "in", "hizb-ul-ahrar", "Group", "2017", None),
            ("SPLINTER_OF", "out", "ttp", "Group", "2014", None),
        ],
        True,
    ),
    (
        "splinter-lineage",
        {"group": "ttp"},
        [
            ("offshoot", "jua", "Jamaat-ul-Ahrar", 1),
            ("offshoot", "iskp", ISKP, 1),
            ("offshoot", "hizb-ul-ahrar", "Hizb-ul-Ahrar", 2),
        ],
        False,
    ),
    (
        "splinter-lineage",
        {"group": "jua"},
        [("parent", "ttp", TTP, 1), ("offshoot", "hizb-ul-ahrar", "Hizb-ul-Ahrar", 1)],
        False,
    ),
    (
        "leaders-of-group",
        {"group": "iskp"},
        [
            ("hafiz-saeed-khan", HSK, "2015-01", "2016-07", "confirmed"),
            ("aslam-farooqi", AF, "2019-04", "2020-04", "reported"),
            ("shahab-muhajir", SM, "2020-06", None, "reported"),
        ],
        True,
    ),
    (
        "members-of-group",
        {"group": "ttp"},
        [("hafiz-saeed-khan", HSK, "2008", "2014", None), ("aslam-farooqi", AF, "2010", None, None)],
        True,
    ),
    (
        "members-of-group",
        {"group": "iskp"},
        [
            ("hafiz-saeed-khan", HSK, "2015", None, "first governor"),
            ("aslam-farooqi", AF, "2016", None, None),
            ("shahab-muhajir", SM, "2020", None, None),
        ],
        True,
    ),
    (
        "allies-of-enemies",
        {"group": "iskp"},
        [("taliban", "al-qaeda", "al-Qaeda"), ("taliban", "haqqani", "Haqqani Network")],
        True,
    ),
    ("allies-of-enemies", {"group": "taliban"}, [("iskp", "haqqani", "Haqqani Network")], True),
    ("attacks-by-group", {"group": "iskp"}, [("achin", "2016", 1, 10), ("kabul", "2021", 2, 183)], True),
    (
        "groups-active-in-place",
        {"place": "nangarhar"},
        [("iskp", ISKP, "nangarhar", "2015", None), ("ttp", TTP, "achin", "2010", "2015")],
        True,
    ),
    (
        "groups-active-in-place",
        {"place": "afghanistan"},
        [
            ("iskp", ISKP, "nangarhar", "2015", None),
            ("taliban", "Afghan Taliban", "afghanistan", None, None),
            ("ttp", TTP, "achin", "2010", "2015"),
        ],
        True,
    ),
    (
        "shortest-path",
        {"from_id": "al-qaeda", "to_id": "haqqani"},
        [(("al-qaeda", "taliban", "haqqani"), ("ALLIED_WITH", "ALLIED_WITH"), 2)],
        True,
    ),
    (
        "relations-by-confidence",
        {"confidence": "confirmed", "source": "src-a"},
        [
            ("AFFILIATE_OF", "iskp", "islamic-state", "2015-01", ("src-a",)),
            ("FOUGHT", "iskp", "taliban", "2015", ("src-a", "src-b")),
            ("LED_BY", "iskp", "hafiz-saeed-khan", "2015-01", ("src-a",)),
        ],
        True,
    ),
    (
        "relations-by-confidence",
        {"confidence": "alleged"},
        [
            ("ALLIED_WITH", "haqqani", "iskp", "2017", ("src-b",)),
            ("CARRIED_OUT", "iskp", "kabul-2021-11", None, ("src-b",)),
            ("SPLINTER_OF", "iskp", "ttp", "2015", ("src-a",)),
        ],
        True,
    ),
    (
        "source-assertions",
        {"source": "src-c"},
        [
            ("FOUGHT", "iskp", "taliban", "2021-08", None, "reported", ("iskp fought taliban",)),
            ("MERGED_INTO", "jua", "ttp", "2020-08", None, "reported", ("jua merged into ttp",)),
        ],
        True,
    ),
    ("fought-but-shared-ally", {}, [("iskp", "taliban", "haqqani")], True),
    (
        "people-who-moved",
        {},
        [("aslam-farooqi", AF, ("ttp", "iskp")), ("hafiz-saeed-khan", HSK, ("ttp", "iskp"))],
        True,
    ),
    (
        "relations-by-type",
        {"type": "FOUGHT"},
        [("iskp", "taliban", "2015", None, "confirmed"), ("iskp", "taliban", "2021-08", None, "reported")],
        True,
    ),
    ("affiliates-of-group", {"group": "islamic-state"}, [("iskp", ISKP, "2015-01", None)], True),
    (
        "relations-in-year",
        {"year": "2016", "type": "MEMBER_OF"},
        [
            ("MEMBER_OF", "aslam-farooqi", "iskp", "2016", None),
            ("MEMBER_OF", "aslam-farooqi", "ttp", "2010", None),
            ("MEMBER_OF", "hafiz-saeed-khan", "iskp", "2015", None),
        ],
        True,
    ),
    (
        "relations-in-year",
        {"year": "2020", "type": "LED_BY"},
        [
            ("LED_BY", "iskp", "aslam-farooqi", "2019-04", "2020-04"),
            ("LED_BY", "iskp", "shahab-muhajir", "2020-06", None),
        ],
        True,
    ),
    ("most-connected", {"limit": "3"}, [("iskp", "Group", 17), ("ttp", "Group", 7), ("taliban", "Group", 5)], True),
    (
        "claimed-vs-attributed",
        {},
        [
            ("achin-2016", "Achin attack", "2016-07", ("islamic-state",), ("iskp",), "claimed and attributed"),
            ("kabul-2021-11", "Kabul hospital attack", "2021-11-02", ("iskp",), ("iskp",), "claimed and attributed"),
            ("kabul-airport-2021", "Kabul airport bombing", "2021-08-26", (), ("iskp",), "attributed only"),
        ],
        True,
    ),
    (
        "claimed-vs-attributed",
        {"group": "islamic-state"},
        [("achin-2016", "Achin attack", "2016-07", ("islamic-state",), ("iskp",), "claimed and attributed")],
        True,
    ),
]


def _tuples(value: Any) -> Any:
    """Lists (rows and list values) as tuples, so rows can be compared and hashed."""
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value


def all_queries() -> dict[str, cypher.Query]:
    """The library's questions plus the template (which must work like any of them)."""
    return {**cypher.library(), "_template": cypher.parse_query(cypher.LIBRARY_DIR / "_template.cypher")}


def answer(settings: ConnectionSettings, name: str, params: dict[str, str]) -> list[tuple[Any, ...]]:
    """Run one library query with command-line style parameters; rows as tuples."""
    q = all_queries()[name]
    result = store.run_query(settings, q.cypher, q.bind(params))
    return [_tuples(row) for row in result.rows]


def check_case(
    settings: ConnectionSettings, name: str, params: dict[str, str], expected: list[Any], ordered: bool
) -> None:
    """Assert that a query answers the expected rows (in order, if the order is part of the answer)."""
    rows = answer(settings, name, params)
    if ordered:
        assert rows == expected
    else:
        assert sorted(rows, key=repr) == sorted(expected, key=repr)


def test_every_query_has_a_case() -> None:
    assert len(cypher.library()) >= 12
    assert set(all_queries()) == {name for name, *_ in CASES}


@pytest.mark.db
@pytest.mark.parametrize(
    ("name", "params", "expected", "ordered"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_query_answers(
    db: ConnectionSettings, name: str, params: dict[str, str], expected: list[Any], ordered: bool
) -> None:
    store.load(known_facts(), db)
    check_case(db, name, params, expected, ordered)


def _example_params(q: cypher.Query) -> dict[str, str]:
    """The ``--param``/``-p`` values of a query's example command line."""
    words = shlex.split(q.example)
    assert words[:3] == ["graphkit", "query", q.name], q.example
    out: dict[str, str] = {}
    for flag, value in zip(words[3::2], words[4::2], strict=True):
        assert flag in ("--param", "-p"), q.example
        key, _, val = value.partition("=")
        out[key] = val
    return out


#: Library questions the seed has no answer to (yet): their examples must run, but may answer nothing.
NO_ANSWER_ON_SEED = {"fought-but-shared-ally"}


@pytest.mark.db
def test_examples_answer_on_the_seed(db: ConnectionSettings) -> None:
    """Every header's example command line parses, runs on the seed facts and answers something."""
    if not any(SEED_DIR.glob("*.yaml")):
        pytest.skip("no seed/*.yaml yet")
    store.load(read_facts([SEED_DIR]), db)
    empty = []
    for q in all_queries().values():
        result = store.run_query(db, q.cypher, q.bind(_example_params(q)))
        if not result.rows:
            empty.append(q.name)
    assert sorted(empty) == sorted(NO_ANSWER_ON_SEED & set(empty))
