"""Import the UCDP Actor Dataset (Uppsala Conflict Data Program's actor list, CSV).

One row per actor (``ActorId``, ``NameData``, the original and new names, ``Org``, ...) with
lineage columns that hold several actor ids per cell, comma-separated. Mapping (the dummy column
is 1, or the id cell is filled):

===========================================  ====================================================
``Splinter`` = 1, ``ActorIdPrev``            the actor ``SPLINTER_OF`` each previous actor
``SplitTemp``, ``ActorIdSplitTemp``          the actor ``SPLINTER_OF`` each (note: temporary split)
``Alliance``, ``ActorIdAlliance``            each member ``AFFILIATE_OF`` the actor (an alliance)
``JoinGroup``, ``ActorIdGroup``              the actor ``MERGED_INTO`` each group it joined
``Location``                                 the actor ``ACTIVE_IN`` each country named
===========================================  ====================================================

``ActorIdPrev`` without ``Splinter`` names the actor's predecessor under a previous name; the
model has no relation kind for succession, so those links are counted in the report's notes and
not loaded (and the previous name is not made an alias, since the predecessor is its own entity).

Actors become Groups (``Org`` 4 = a government, otherwise a militant group) named by ``NameData``,
with the other names (``NameOrig``, ``NameOrigFull``, ``NameOrigFullEng``, ``NewName``,
``NewNameFullEng``) as aliases. Provenance: the Source ``ucdp-actors``; ``records``
``ucdp-actors:<ActorId>``; ``evidence`` the row's own cells that state the link, quoted verbatim
(``ActorId=...; Splinter=1; NamePrev=...; ActorIdPrev=...``): the actor list has no prose.
"""

from __future__ import annotations

import re
from pathlib import Path

from graphkit.facts import Entity, Origin, validate
from graphkit.importers.common import FactsBuilder, ImportReport, ImportResult, open_table, progress

SOURCE = Entity(
    "ucdp-actors",
    "Source",
    "UCDP Actor Dataset",
    aliases=["UCDP actor list"],
    props={
        "publisher": "Uppsala Conflict Data Program, Department of Peace and Conflict Research, Uppsala University",
        "url": "https://ucdp.uu.se/downloads/",
        "citation": "Uppsala Conflict Data Program (UCDP). UCDP Actor Dataset. Department of Peace and Conflict "
        "Research, Uppsala University. https://ucdp.uu.se/downloads/",
    },
)

#: Columns this importer requires (the actor list has more; they are ignored).
COLUMNS = ("ActorId", "NameData", "Org", "Splinter", "ActorIdPrev", "SplitTemp", "ActorIdSplitTemp")
#: Optional columns read when present.
OPTIONAL = (
    "NameOrig",
    "NameOrigFull",
    "NameOrigFullEng",
    "NewName",
    "NewNameFullEng",
    "NamePrev",
    "NameSplitTemp",
    "Alliance",
    "NameAlliance",
    "ActorIdAlliance",
    "JoinGroup",
    "GroupName",
    "ActorIdGroup",
    "Location",
)
ALIAS_COLUMNS = ("NameOrig", "NameOrigFull", "NameOrigFullEng", "NewName", "NewNameFullEng")
#: (dummy column, names column, ids column, relation, actor is the relation's source, note)
LINEAGE = (
    ("Splinter", "NamePrev", "ActorIdPrev", "SPLINTER_OF", True, None),
    ("SplitTemp", "NameSplitTemp", "ActorIdSplitTemp", "SPLINTER_OF", True, "temporary split (UCDP SplitTemp)"),
    ("Alliance", "NameAlliance", "ActorIdAlliance", "AFFILIATE_OF", False, "member of the alliance (UCDP Alliance)"),
    ("JoinGroup", "GroupName", "ActorIdGroup", "MERGED_INTO", True, "joined the group (UCDP JoinGroup)"),
)
GOVERNMENT_ORG = "4"


def _ids(cell: str) -> list[str]:
    """The actor ids of a cell ("123, 456"); non-empty parts, stripped."""
    return [p.strip() for p in re.split(r"[,;]", cell) if p.strip()]


def import_ucdp(path: Path | str, *, strict: bool = False, show_progress: bool = False) -> ImportResult:
    """Import a UCDP actor list as validated facts.

    Parameters
    ----------
    path : path
        The actor list CSV (UTF-8 or Latin-1).
    strict : bool
        Raise :class:`~graphkit.errors.ValidationError` on the first defect instead of reporting it.
    show_progress : bool
        Show a progress bar on stderr.

    Raises
    ------
    DatasetError
        If the file is not a UCDP actor list (type, encoding, columns); nothing is imported.
    """
    path = Path(path)
    table = open_table(path, "UCDP actor list", COLUMNS, encodings=("utf-8", "latin-1"))
    col = {c: i for i, c in enumerate(table.header)}
    report = ImportReport(str(path), "UCDP actor list", strict=strict)
    builder = FactsBuilder(SOURCE)
    rows: list[tuple[int, dict[str, str]]] = []
    actors: dict[str, str] = {}
    bar = progress(None, "UCDP actors", show_progress)
    for line, cells in table.rows():
        bar.update()
        report.rows += 1
        if len(cells) != len(col):
            report.rejected(line, cells[0] if cells else "", "", f"{len(cells)} cell(s); the header has {len(col)}")
            continue
        row = {c: cells[i].strip() for c, i in col.items()}
        aid = row["ActorId"]
        if not aid.isdigit():
            report.rejected(line, aid, "ActorId", "missing or not a number")
            continue
        if aid in actors:
            report.rejected(line, aid, "ActorId", "duplicate actor id")
            continue
        name = row["NameData"] or row.get("NameOrigFullEng", "")
        if not name:
            report.rejected(line, aid, "NameData", "no name")
            continue
        if not row["NameData"]:
            report.repaired(line, aid, "NameData", "empty: named by NameOrigFullEng")
        group_type = "government" if row["Org"] == GOVERNMENT_ORG else "militant group"
        ident = builder.entity("Group", f"ucdp:{aid}", name, Origin(str(path), line), slug=name, group_type=group_type)
        for c in ALIAS_COLUMNS:
            if row.get(c):
                builder.add_alias(ident, row[c])
        actors[aid] = ident
        rows.append((line, row))
    bar.close()
    for line, row in rows:
        _lineage(line, row, path, report, builder, actors)
    return ImportResult(validate(builder.facts), report)


def _lineage(
    line: int, row: dict[str, str], path: Path, report: ImportReport, builder: FactsBuilder, actors: dict[str, str]
) -> None:
    """The relations one actor row states, each quoting the cells that state it."""
    aid = row["ActorId"]
    actor = actors[aid]
    origin, record = Origin(str(path), line), f"ucdp-actors:{aid}"
    prev = _ids(row["ActorIdPrev"])
    if prev and row["Splinter"] not in ("1",):
        report.notes["predecessors under a previous name (ActorIdPrev without Splinter; no relation kind)"] += len(prev)
    for dummy, names, ids_col, rtype, forward, note in LINEAGE:
        if ids_col not in row or (dummy == "Splinter" and row["Splinter"] != "1"):
            continue
        cells = [c for c in ("ActorId", dummy, names, ids_col) if row.get(c)]
        evidence = "; ".join(f"{c}={row[c]}" for c in cells)
        for other_id in _ids(row[ids_col]):
            other = actors.get(other_id)
            if other is None:
                report.repaired(line, aid, ids_col, f"actor id {other_id!r} is not in the file: that link is left out")
                continue
            if other == actor:
                report.repaired(line, aid, ids_col, "the actor's own id: that link is left out")
                continue
            source, target = (actor, other) if forward else (other, actor)
            builder.relate(rtype, source, target, evidence, record, origin, note=note)
    for country in (c.strip() for c in row.get("Location", "").split(",")):
        if country:
            place = builder.entity("Place", f"country:{country}", country, origin, slug=country, place_type="country")
            builder.relate("ACTIVE_IN", actor, place, f"ActorId={aid}; Location={row['Location']}", record, origin)
