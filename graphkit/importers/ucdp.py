"""Import the UCDP Actor Dataset (Uppsala Conflict Data Program's actor list, CSV).

One row per actor (``ActorId``, ``NameData``, the original and new names, ``Org``, ...) with
lineage columns that hold several actor ids per cell, comma-separated. Mapping, as the actor
list's codebook reads them (the dummy column is 1, or the id cell is filled):

===========================================  ====================================================
``Splinter`` = 1, ``ActorIdPrev``            the actor ``SPLINTER_OF`` each previous actor
``SplitTemp``, ``ActorIdSplitTemp``          the actor ``SPLINTER_OF`` each (note: temporary split)
``Alliance``, ``ActorIdAlliance``            the actor ``AFFILIATE_OF`` each alliance it joined
                                             (the row's actor is the member)
``JoinGroup``, ``ActorIdGroup``              the actor ``MERGED_INTO`` each group it joined
``Location``                                 the actor ``ACTIVE_IN`` each country named
===========================================  ====================================================

``ActorIdPrev`` without ``Splinter`` names the actor's predecessor under a previous name; the
model has no relation kind for succession, so those links are counted in the report's notes and
not loaded (and the previous name is not made an alias, since the predecessor is its own entity).

Actors become Groups named by ``NameData``, typed by ``Org`` (:data:`ORG_TYPES`: 4 a government,
1 and 2 formally organised armed groups, 3 informally organised groups such as a party's
supporters or an ethnic or religious community, typed ``community``, not militant groups), with
the other names (``NameOrig``, ``NameOrigFull``, ``NameOrigFullEng``, ``NewName``,
``NewNameFullEng``) as aliases. A name cell that packs several abbreviations (``TQJBR, ISI, ISIS,
IS``) gives one alias each; placeholders (``n/a``, ``-``) are not names. A ``Location`` cell lists
countries comma-separated, but some UCDP country names hold a comma (``Macedonia, FYR``): a part
that is only an upper-case qualifier joins the name before it. UCDP actors are distinct records
(their ids), so two of them matching one existing entity is a collision, not two spellings.
Provenance: the Source ``ucdp-actors``; ``records`` ``ucdp-actors:<ActorId>``; ``evidence`` the
row's own cells that state the link, quoted verbatim (``ActorId=...; Splinter=1; NamePrev=...;
ActorIdPrev=...``): the actor list has no prose.
"""

from __future__ import annotations

import re
from pathlib import Path

from graphkit.facts import Entity
from graphkit.importers.common import Importer, ImportResult

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
ALIAS_COLUMNS = ("NameOrig", "NameOrigFull", "NameOrigFullEng", "NewName", "NewNameFullEng")
#: (dummy column, names column, ids column, relation, note); the row's actor is the source
LINEAGE = (
    ("Splinter", "NamePrev", "ActorIdPrev", "SPLINTER_OF", None),
    ("SplitTemp", "NameSplitTemp", "ActorIdSplitTemp", "SPLINTER_OF", "temporary split (UCDP SplitTemp)"),
    ("Alliance", "NameAlliance", "ActorIdAlliance", "AFFILIATE_OF", "member of the alliance (UCDP Alliance)"),
    ("JoinGroup", "GroupName", "ActorIdGroup", "MERGED_INTO", "joined the group (UCDP JoinGroup)"),
)
#: ``Org`` code -> group type. 3 (informally organised: supporters of a party, an ethnic or
#: religious community) is not an armed organisation, so not a "militant group".
ORG_TYPES = {"1": "militant group", "2": "militant group", "3": "community", "4": "government"}
#: Cells that stand for "no name".
PLACEHOLDERS = frozenset({"n/a", "na", "-", "--", "none", "unknown", "?"})
_ABBR = re.compile(r"^[A-Z0-9][A-Za-z0-9'-]{0,9}$")
_QUALIFIER = re.compile(r"^[A-Z]{2,4}$")


def _ids(cell: str) -> list[str]:
    """The actor ids of a cell ("123, 456"); non-empty parts, stripped."""
    return [p.strip() for p in re.split(r"[,;]", cell) if p.strip()]


def split_names(cell: str) -> list[str]:
    """The names of a name cell: several comma-separated abbreviations are several names.

    Examples
    --------
    >>> split_names("TQJBR, ISI, ISIS, IS"), split_names("Government of Macedonia, FYR"), split_names("n/a")
    (['TQJBR', 'ISI', 'ISIS', 'IS'], ['Government of Macedonia, FYR'], [])
    """
    cell = " ".join(cell.split())
    if not cell or cell.casefold() in PLACEHOLDERS:
        return []
    parts = [p.strip() for p in cell.split(",")]
    if len(parts) > 1 and all(_ABBR.match(p) for p in parts):
        return [p for p in parts if p.casefold() not in PLACEHOLDERS]
    return [cell]


def split_countries(cell: str) -> list[str]:
    """The countries of a ``Location`` cell, keeping ``Macedonia, FYR`` one country.

    Examples
    --------
    >>> split_countries("Macedonia, FYR, Albania"), split_countries("Iraq, Syria")
    (['Macedonia, FYR', 'Albania'], ['Iraq', 'Syria'])
    """
    out: list[str] = []
    for part in (p.strip() for p in cell.split(",")):
        if not part:
            continue
        if out and _QUALIFIER.match(part):
            out[-1] = f"{out[-1]}, {part}"
        else:
            out.append(part)
    return out


class UcdpImporter(Importer):
    """The UCDP actor list: one Group per actor row, then the lineage every row states."""

    dataset = "UCDP actor list"
    source = SOURCE
    columns = COLUMNS
    encodings = ("utf-8", "latin-1")
    identified = True

    def __init__(self, path: Path | str, *, strict: bool = False, show_progress: bool = False) -> None:
        super().__init__(path, strict=strict, show_progress=show_progress)
        self.rows: list[tuple[int, dict[str, str]]] = []
        self.actors: dict[str, str] = {}

    def transform(self, line: int, row: dict[str, str]) -> None:
        """One actor: its Group, names and type (lineage waits for every actor: :meth:`finish`)."""
        row = {c: v.strip() for c, v in row.items()}
        report, aid = self.report, row["ActorId"]
        if not aid.isdigit():
            report.rejected(line, aid, "ActorId", "missing or not a number")
            return
        if aid in self.actors:
            report.rejected(line, aid, "ActorId", "duplicate actor id")
            return
        name = row["NameData"] if row["NameData"].casefold() not in PLACEHOLDERS else ""
        fallback = next(iter(split_names(row.get("NameOrigFullEng", ""))), "")
        if not (name or fallback):
            report.rejected(line, aid, "NameData", "no name")
            return
        if not name:
            report.repaired(line, aid, "NameData", f"empty or {row['NameData']!r}: named by NameOrigFullEng")
            name = fallback
        group_type = ORG_TYPES.get(row["Org"])
        if group_type is None:
            report.repaired(line, aid, "Org", f"{row['Org']!r} is not a UCDP organisation code: group type left out")
        ident = self.builder.entity("Group", f"ucdp:{aid}", name, self.origin(line), slug=name, group_type=group_type)
        for c in ALIAS_COLUMNS:
            cell = row.get(c, "")
            names = split_names(cell)
            if cell and not names:
                report.notes[f"placeholder names ({cell!r}) not taken as aliases"] += 1
            if len(names) > 1:
                report.notes["name cells packing several names, split into one alias each"] += 1
            for alias in names:
                self.builder.add_alias(ident, alias)
        self.actors[aid] = ident
        self.rows.append((line, row))

    def finish(self) -> None:
        """The relations every actor row states, each quoting the cells that state it."""
        for line, row in self.rows:
            self._lineage(line, row)

    def _lineage(self, line: int, row: dict[str, str]) -> None:
        report, builder = self.report, self.builder
        aid = row["ActorId"]
        actor = self.actors[aid]
        origin, record = self.origin(line), f"ucdp-actors:{aid}"
        prev = _ids(row["ActorIdPrev"])
        if prev and row["Splinter"] != "1":
            report.notes["predecessors under a previous name (ActorIdPrev without Splinter; no relation kind)"] += len(
                prev
            )
        for dummy, names, ids_col, rtype, note in LINEAGE:
            if ids_col not in row or (dummy == "Splinter" and row["Splinter"] != "1"):
                continue
            evidence = self.quote(row, ("ActorId", dummy, names, ids_col))
            for other_id in _ids(row[ids_col]):
                other = self.actors.get(other_id)
                if other is None:
                    report.repaired(
                        line, aid, ids_col, f"actor id {other_id!r} is not in the file: that link is left out"
                    )
                    continue
                if other == actor:
                    report.repaired(line, aid, ids_col, "the actor's own id: that link is left out")
                    continue
                builder.relate(rtype, actor, other, evidence, record, origin, note=note)
        for country in split_countries(row.get("Location", "")):
            place = builder.entity("Place", f"country:{country}", country, origin, slug=country, place_type="country")
            builder.relate("ACTIVE_IN", actor, place, f"ActorId={aid}; Location={row['Location']}", record, origin)


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
    return UcdpImporter(path, strict=strict, show_progress=show_progress).run()
