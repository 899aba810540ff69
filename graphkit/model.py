"""The graphkit data model, declared once.

Every other part of graphkit derives from the declarations in this module: validation
(:mod:`graphkit.facts`), the Cypher for constraints and batched loads (:mod:`graphkit.cypher`),
the exports, the colours and legend of the views, and the data-model table in the README
(``python -m graphkit.model`` prints it).

Adding a relation kind is one line in :data:`RELATION_KINDS` plus the facts that use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

FieldType = Literal["str", "int", "float", "date", "list[str]"]


@dataclass(frozen=True)
class Field:
    """One kind-specific property of an entity.

    ``type`` is one of ``str``, ``int`` (a whole number >= 0), ``float``, ``date`` (a partial
    date, see :data:`PARTIAL_DATE`) or ``list[str]``; ``choices`` restricts a ``str`` field to a
    closed set, ``bounds`` a ``float`` field to a closed interval.
    """

    name: str
    type: FieldType
    doc: str
    choices: tuple[str, ...] = ()
    bounds: tuple[float, float] | None = None


@dataclass(frozen=True)
class NodeKind:
    """A node label: its name, the YAML section that lists it, its fields, and how views draw it."""

    name: str
    section: str
    doc: str
    fields: tuple[Field, ...] = ()
    colour: str = "#888888"
    shape: str = "dot"

    @cached_property
    def field_names(self) -> tuple[str, ...]:
        """The names of this kind's own fields, in declaration order (computed once: validation asks per record)."""
        return tuple(f.name for f in self.fields)


@dataclass(frozen=True)
class RelationKind:
    """A relationship type with its allowed endpoint kinds.

    A symmetric kind (``ALLIED_WITH``, ``FOUGHT``) is stored once, in the canonical direction
    (the smaller id first), whichever way round the facts state it. ``counted`` says whether the
    metrics' projections (:mod:`graphkit.projection`) count it by default: intentions, plans and
    threats are not acts, so ``AIMED_AT`` and ``THREAT_TO`` stay in the graph but out of the
    fighting and presence that centrality measures.
    """

    name: str
    sources: frozenset[str]
    targets: frozenset[str]
    doc: str
    symmetric: bool = False
    colour: str = "#888888"
    counted: bool = True

    def canonical(self, source: str, target: str) -> tuple[str, str]:
        """The ends in stored order: for a symmetric kind the smaller id first, else as given."""
        return (target, source) if self.symmetric and target < source else (source, target)


@dataclass(frozen=True)
class Confidence:
    """One step of the confidence scale: its name, weight in weighted metrics, and meaning."""

    name: str
    weight: float
    doc: str


GROUP_TYPES = (
    "militant group",
    "militant network",
    "armed force",
    "government",
    "state",
    "coalition",
    "community",
)
#: Group types that are not actors (victim or social communities): kept in the graph, left out
#: of the actor projection by default (:func:`graphkit.projection.actor_network`).
NON_ACTOR_GROUP_TYPES = frozenset({"community"})
PLACE_TYPES = ("region", "country", "province", "district", "city", "site")

NODE_KINDS: tuple[NodeKind, ...] = (
    NodeKind(
        "Group",
        "groups",
        "An organisation: militant group, armed force, government or community.",
        (
            Field(
                "group_type",
                "str",
                "What kind of organisation it is; a `community` (victims, a social group) is not an actor.",
                GROUP_TYPES,
            ),
            Field("founded", "date", "When it was founded or announced, as stated."),
        ),
        colour="#0072b2",
        shape="dot",
    ),
    NodeKind("Person", "people", "A named individual.", (), colour="#e69f00", shape="diamond"),
    NodeKind(
        "Place",
        "places",
        "A region, country, province, district, city or site.",
        (Field("place_type", "str", "What kind of place it is.", PLACE_TYPES),),
        colour="#009e73",
        shape="triangle",
    ),
    NodeKind(
        "Attack",
        "attacks",
        "An attack, armed incident or operation against a target (or a campaign of them).",
        (
            Field("date", "date", "When it happened (partial dates allowed)."),
            Field("attack_type", "str", "How it was carried out, as stated."),
            Field("target", "str", "What or whom it targeted, as stated."),
            Field("killed", "int", "Deaths, where stated."),
            Field("wounded", "int", "Injuries, where stated."),
            Field("latitude", "float", "Where it happened, where a dataset gives coordinates.", bounds=(-90.0, 90.0)),
            Field(
                "longitude", "float", "Where it happened, where a dataset gives coordinates.", bounds=(-180.0, 180.0)
            ),
        ),
        colour="#d55e00",
        shape="star",
    ),
    NodeKind(
        "Source",
        "sources",
        "A document or dataset that facts cite.",
        (
            Field("publisher", "str", "Who published it."),
            Field("published", "date", "When it was published, as shown or best inferred (see `published_basis`)."),
            Field(
                "published_basis",
                "str",
                "Whether `published` is the date the document shows or an inference (explained in `note`).",
                ("shown", "inferred"),
            ),
            Field(
                "date_shown",
                "str",
                "The date the document itself shows, verbatim (a page's date may not be when it was written).",
            ),
            Field("url", "str", "Where it can be found."),
            Field("file", "str", "File name of its text, for verifying quotes (--sources DIR)."),
            Field("citation", "str", "How the publisher asks to be cited."),
        ),
        colour="#000000",
        shape="square",
    ),
)

ACTORS = frozenset({"Group", "Person"})
GROUP = frozenset({"Group"})
PERSON = frozenset({"Person"})
PLACE = frozenset({"Place"})
ATTACK = frozenset({"Attack"})

RELATION_KINDS: tuple[RelationKind, ...] = (
    RelationKind("SPLINTER_OF", GROUP, GROUP, "The first group split or emerged from the second.", colour="#77aadd"),
    RelationKind("MERGED_INTO", GROUP, GROUP, "The first group merged into the second.", colour="#666666"),
    RelationKind(
        "AFFILIATE_OF",
        GROUP,
        GROUP,
        "The first group is a branch, province or affiliate of the second.",
        colour="#332288",
    ),
    RelationKind(
        "ALLIED_WITH", ACTORS, ACTORS, "The two actors cooperated or were allied.", symmetric=True, colour="#33bbee"
    ),
    RelationKind("SUPPORTED", ACTORS, ACTORS, "The first actor supported or aided the second.", colour="#99ddff"),
    RelationKind(
        "RIVAL_OF",
        GROUP,
        GROUP,
        "The two groups were rivals (competition short of stated fighting).",
        symmetric=True,
        colour="#cc79a7",
    ),
    RelationKind("FOUGHT", ACTORS, ACTORS, "The two actors fought each other.", symmetric=True, colour="#882255"),
    RelationKind("LED_BY", GROUP, PERSON, "The group was led by the person.", colour="#117733"),
    RelationKind("MEMBER_OF", PERSON, GROUP, "The person was a member or commander of the group.", colour="#ddcc77"),
    RelationKind(
        "CARRIED_OUT",
        ACTORS,
        ATTACK,
        "The source attributes the attack to the actor (a claim alone is CLAIMED).",
        colour="#aa3377",
    ),
    RelationKind(
        "CLAIMED",
        ACTORS,
        ATTACK,
        "The actor claimed responsibility for the attack; a claim, not proof it carried it out.",
        colour="#ee99aa",
    ),
    RelationKind("TARGETED", ATTACK, ACTORS, "The attack targeted the actor.", colour="#ffaabb"),
    RelationKind("OCCURRED_IN", ATTACK, PLACE, "The attack happened at the place.", colour="#eedd88"),
    RelationKind("ACTIVE_IN", ACTORS, PLACE, "The actor was active or present in the place.", colour="#bbbbbb"),
    RelationKind(
        "LOCATED_IN",
        PLACE,
        PLACE,
        "The first place lies within the second (at most one place of each place type).",
        colour="#dddddd",
    ),
    RelationKind(
        "SPANS",
        PLACE,
        PLACE,
        "The first place (a region) extends across or into the second, without lying within it.",
        colour="#555555",
    ),
    RelationKind(
        "AIMED_AT",
        ACTORS,
        ACTORS | PLACE,
        "The actor planned, sought, threatened or claimed to strike or control the second: an aim, no act.",
        colour="#4b0092",
        counted=False,
    ),
    RelationKind(
        "THREAT_TO",
        ACTORS,
        ACTORS | PLACE,
        "The source, or a party it names, judges the actor a threat to the second: an assessment, no act.",
        colour="#66ccee",
        counted=False,
    ),
)

CONFIDENCE: tuple[Confidence, ...] = (
    Confidence("confirmed", 1.0, "Stated as fact by several independent sources, or an official record."),
    Confidence("reported", 0.75, "Stated as fact by one source."),
    Confidence(
        "alleged", 0.5, "Hedged by the source: 'reportedly', 'there were reports', 'according to sources', a claim."
    ),
    Confidence("uncertain", 0.25, "Speculative or doubtful: 'possibly', 'may have', a dataset's uncertainty flag."),
)

#: Properties every relation carries (besides its type and endpoints).
RELATION_PROPERTIES: tuple[Field, ...] = (
    Field("sources", "list[str]", "Ids of the Source records the relation comes from (one or more)."),
    Field("evidence", "list[str]", "Short verbatim quotes from those sources (one or more)."),
    Field("since", "date", "When the relation began (partial date)."),
    Field("until", "date", "When it ended (partial date)."),
    Field(
        "as_of",
        "date",
        "When a source observed or reported it holding (held at least then): not a start or an end.",
    ),
    Field("confidence", "str", "How sure the sources are, on the confidence scale.", tuple(c.name for c in CONFIDENCE)),
    Field("note", "str", "Anything a reader should know: role, caveats."),
    Field("records", "list[str]", "Ids of the rows or events in a dataset source, where it is one."),
    Field(
        "weight",
        "float",
        "Strength of the tie, where a dataset gives one; multiplies the confidence weight.",
        bounds=(0.0, float("inf")),
    ),
)

#: Properties every entity carries (besides its kind's own fields).
ENTITY_PROPERTIES: tuple[Field, ...] = (
    Field("id", "str", "Stable slug: lower-case letters, digits and hyphens."),
    Field("name", "str", "The usual name."),
    Field("aliases", "list[str]", "Other names, abbreviations, transliterations."),
    Field(
        "weak_aliases",
        "list[str]",
        "Weak names: labels, insults, low-quality aliases (the UN list's Low quality, FollowTheMoney's "
        "weakAlias). Shown and exported, never used to match or merge entities.",
    ),
    Field("sources", "list[str]", "Ids of the Source records that mention it (not for Sources)."),
    Field("note", "str", "Anything a reader should know."),
)

#: Partial dates: a year, a year and month, or a full date.
PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$")
#: Entity ids: lower-case slugs.
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

NODE_KIND = {k.name: k for k in NODE_KINDS}
RELATION_KIND = {r.name: r for r in RELATION_KINDS}
CONFIDENCE_WEIGHT = {c.name: c.weight for c in CONFIDENCE}
#: Relation types the metrics' projections leave out unless asked (intentions, plans, threats).
UNCOUNTED_TYPES = frozenset(r.name for r in RELATION_KINDS if not r.counted)
SECTION_KIND = {k.section: k for k in NODE_KINDS}


def data_model_markdown() -> str:
    """Render the model as the Markdown tables the README embeds (between its model markers)."""
    lines = ["| Node | YAML section | Fields | Meaning |", "|---|---|---|---|"]
    for k in NODE_KINDS:
        fields = ", ".join(f"`{f.name}`" for f in k.fields) or "—"
        lines.append(f"| `{k.name}` | `{k.section}` | {fields} | {k.doc} |")
    lines += [
        "",
        "| Relation | From | To | Symmetric | Counted by metrics | Meaning |",
        "|---|---|---|---|---|---|",
    ]
    for r in RELATION_KINDS:
        src = ", ".join(sorted(r.sources))
        dst = ", ".join(sorted(r.targets))
        flags = f"{'yes' if r.symmetric else 'no'} | {'yes' if r.counted else 'no (opt in)'}"
        lines.append(f"| `{r.name}` | {src} | {dst} | {flags} | {r.doc} |")
    lines += ["", "| Relation property | Meaning |", "|---|---|"]
    lines += [f"| `{f.name}` | {f.doc} |" for f in RELATION_PROPERTIES]
    lines += ["", "| Confidence | Weight | Meaning |", "|---|---|---|"]
    lines += [f"| `{c.name}` | {c.weight} | {c.doc} |" for c in CONFIDENCE]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(data_model_markdown(), end="")
