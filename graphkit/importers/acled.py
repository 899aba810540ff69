"""Import an ACLED event export (Armed Conflict Location & Event Data), a CSV the user downloads.

ACLED's terms forbid redistribution, so graphkit ships no ACLED data. One row per event, with
the export's columns (``event_id_cnty``, ``event_date``, ``time_precision``, ``event_type``,
``sub_event_type``, ``actor1``, ``assoc_actor_1``, ``inter1``, ``actor2``, ``assoc_actor_2``,
``inter2``, ``country``, ``admin1``, ``admin2``, ``location``, ``latitude``, ``longitude``,
``source``, ``notes``, ``fatalities``). ACLED's codebook says actor1 and actor2 "do not imply
directionality (e.g. attacker or defender)", so:

* ``Battles``: an Attack (an armed incident) ``acled-<event_id_cnty>`` that ``OCCURRED_IN`` its
  place, and the two actors ``FOUGHT`` (one undated relation per pair: each battle adds its
  record and quote);
* ``Violence against civilians`` and ``Explosions/Remote violence``: the Attack, which actor1
  ``CARRIED_OUT`` (these one-sided events code the perpetrator as actor1) and which
  ``TARGETED`` actor2 when actor2 is a named organisation;
* ``Protests``, ``Riots``, ``Strategic developments`` are not attacks or armed incidents: the
  rows are read and counted in the report, nothing is made of them;
* associated actors (``assoc_actor_1``/``assoc_actor_2``, ``;``-separated) were involved
  without a stated role: each is ``ACTIVE_IN`` the event's place;
* a combined attribution ``X and/or Y`` gives each candidate with confidence ``uncertain``;
* generic actors (civilians, protesters, rioters, ``Unidentified ...`` groups; inter codes 5-7)
  are not Groups: the Attack's ``target`` keeps an actor2 of that kind;
* actors are Groups typed from the inter code (state and external forces ``armed force``,
  rebels and militias ``militant group``), named as ACLED writes them (``TTP: Tehreek-i-Taliban
  Pakistan``, ``Taliban - Red Unit``; alias resolution reads prefixes and sub-units).

Dates: ``event_date`` as ``YYYY-MM-DD`` or ``26 August 2021``; ``time_precision`` 3 (within a
month) keeps only the month. Places: ``country`` > ``admin1`` > ``admin2`` > ``location``, each
``LOCATED_IN`` the next, named with their parents. Provenance: the Source ``acled``; ``records``
``acled:<event_id_cnty>``; ``evidence`` the row's ``notes`` verbatim (else its cells).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from graphkit.aliases import COMBINED
from graphkit.facts import Entity
from graphkit.importers.common import Importer, ImportResult

SOURCE = Entity(
    "acled",
    "Source",
    "Armed Conflict Location & Event Data (ACLED)",
    aliases=["ACLED"],
    props={
        "publisher": "Armed Conflict Location & Event Data (ACLED)",
        "url": "https://acleddata.com/",
        "citation": "Armed Conflict Location & Event Data (ACLED). https://acleddata.com/",
    },
)
COLUMNS = (
    "event_id_cnty",
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "assoc_actor_2",
    "country",
    "admin1",
    "location",
    "notes",
)
ATTACKS = {"Battles", "Violence against civilians", "Explosions/Remote violence"}
#: inter codes (numbers in older exports, words in newer) -> group type; None: not a group
INTER = {
    "1": "armed force",
    "state forces": "armed force",
    "2": "militant group",
    "rebel group": "militant group",
    "3": "militant group",
    "political militia": "militant group",
    "4": "militant group",
    "identity militia": "militant group",
    "5": None,
    "rioters": None,
    "6": None,
    "protesters": None,
    "7": None,
    "civilians": None,
    "8": "armed force",
    "external/other forces": "armed force",
}
_GENERIC = re.compile(
    r"^(?:unidentified\b|civilians\b|protesters\b|rioters\b|health workers\b|journalists\b|students\b|"
    r"teachers\b|aid workers\b|refugees|prisoners\b|farmers\b|women\b|children\b|labou?r group\b)",
    re.IGNORECASE,
)


def event_date(text: str, precision: str = "") -> str | None:
    """ACLED's ``event_date`` as a partial date (the month only at ``time_precision`` 3).

    Examples
    --------
    >>> event_date("2021-08-26"), event_date("26 August 2021"), event_date("26 August 2021", "3")
    ('2021-08-26', '2021-08-26', '2021-08')
    """
    text = " ".join(text.replace("-", " ").split()) if not re.match(r"^\d{4}-", text) else text.strip()
    for fmt in ("%Y-%m-%d", "%d %B %Y", "%d %b %Y"):
        try:
            day = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return day.strftime("%Y-%m") if precision.strip() == "3" else day.isoformat()
    return None


def _actors(cell: str) -> list[str]:
    """The actors of a cell: ``;``-separated, whitespace collapsed."""
    return [" ".join(p.split()) for p in cell.split(";") if p.strip()]


class AcledImporter(Importer):
    """ACLED events: attacks and armed incidents, their places and actors."""

    dataset = "ACLED export"
    source = SOURCE
    columns = COLUMNS
    encodings = ("utf-8", "cp1252")

    def __init__(self, path: Path | str, *, strict: bool = False, show_progress: bool = False) -> None:
        super().__init__(path, strict=strict, show_progress=show_progress)
        self.seen: set[str] = set()

    def _group(self, name: str, inter: str | None, line: int) -> str | None:
        """The Group of a named actor, or None for a generic one (counted).

        ``inter`` None: an associated actor, which ACLED gives no type for (so neither does this).
        """
        code = (inter or "").strip().casefold()
        if _GENERIC.match(name) or (code in INTER and INTER[code] is None):
            self.report.notes[f"generic actors ({name!r}): not a group"] += 1
            return None
        group_type = None if inter is None else INTER.get(code, "militant group")
        return self.builder.entity("Group", name, name, self.origin(line), slug=name, group_type=group_type)

    def transform(self, line: int, row: dict[str, str]) -> None:
        """One event."""
        report, builder = self.report, self.builder
        eid = row["event_id_cnty"].strip()
        if not eid:
            report.rejected(line, "", "event_id_cnty", "missing event id")
            return
        if eid in self.seen:
            report.rejected(line, eid, "event_id_cnty", "duplicate event id")
            return
        self.seen.add(eid)
        etype = row["event_type"].strip()
        if etype not in ATTACKS:
            report.notes[f"events of type {etype or '(none)'!r} (not attacks or armed incidents: nothing made)"] += 1
            return
        date = event_date(row["event_date"], row.get("time_precision", ""))
        if date is None:
            report.rejected(line, eid, "event_date", f"{row['event_date']!r} is not a date")
            return
        origin, record = self.origin(line), f"acled:{eid}"
        evidence = " ".join(row["notes"].split()) or self.quote(row, ("event_date", "event_type", "actor1", "actor2"))
        place = self._places(row, line, record)
        killed = None
        if row.get("fatalities", "").strip():
            try:
                killed = int(row["fatalities"])
            except ValueError:
                report.repaired(line, eid, "fatalities", f"{row['fatalities']!r} is not a count: left out")
        coords: dict[str, float] = {}
        try:
            lat, lon = float(row.get("latitude", "")), float(row.get("longitude", ""))
            if -90 <= lat <= 90 and -180 <= lon <= 180:
                coords = {"latitude": lat, "longitude": lon}
        except ValueError:
            pass
        where = builder.facts.entities[place].name if place else "unknown place"
        sub = row["sub_event_type"].strip() or etype
        actor2 = " ".join(row["actor2"].split())
        attack = builder.entity(
            "Attack",
            eid,
            f"{sub} in {where}, {date} (ACLED {eid})",
            origin,
            slug=f"acled-{eid}",
            date=date,
            attack_type=sub,
            target=actor2 or None,
            killed=killed,
            **coords,
        )
        notes = [f"ACLED event type: {etype}"]
        if row.get("source", "").strip():
            notes.append(f"ACLED sources: {row['source'].strip()}")
        if row.get("time_precision", "").strip() == "2":
            notes.append("date within a week (ACLED time_precision 2)")
        builder.facts.entities[attack].note = "; ".join(notes)
        if place:
            builder.relate("OCCURRED_IN", attack, place, evidence, record, origin, accumulate=False)
        ones = self._candidates(row["actor1"], row.get("inter1", ""), line)
        twos = self._candidates(actor2, row.get("inter2", ""), line)
        if etype == "Battles":
            for a, ca in ones:
                for b, cb in twos:
                    if a != b:
                        confidence = "uncertain" if "uncertain" in (ca, cb) else "reported"
                        note = "ACLED battles (each battle's event id in records)"
                        builder.relate("FOUGHT", a, b, evidence, record, origin, confidence=confidence, note=note)
        else:
            for a, ca in ones:
                builder.relate("CARRIED_OUT", a, attack, evidence, record, origin, confidence=ca)
            for b, cb in twos:
                builder.relate("TARGETED", attack, b, evidence, record, origin, confidence=cb)
        if place:
            for col in ("assoc_actor_1", "assoc_actor_2"):
                for name in _actors(row.get(col, "")):
                    for g, c in self._candidates(name, None, line):
                        note = f"associated actor of an ACLED event ({col})"
                        builder.relate("ACTIVE_IN", g, place, evidence, record, origin, confidence=c, note=note)

    def _candidates(self, cell: str, inter: str | None, line: int) -> list[tuple[str, str]]:
        """The groups a cell names, each with its confidence (``uncertain`` for "X and/or Y")."""
        name = " ".join(cell.split())
        if not name:
            return []
        parts = [p.strip() for p in COMBINED.split(name) if p.strip()]
        confidence = "uncertain" if len(parts) > 1 else "reported"
        if len(parts) > 1:
            self.report.notes["combined attributions ('X and/or Y') split into uncertain candidates"] += 1
        out = []
        for part in parts:
            g = self._group(part, inter, line)
            if g is not None:
                out.append((g, confidence))
        return out

    def _places(self, row: dict[str, str], line: int, record: str) -> str | None:
        """country > admin1 > admin2 > location, each LOCATED_IN the one before."""
        levels = (("country", "country"), ("admin1", "province"), ("admin2", "district"), ("location", "city"))
        names: list[str] = []
        path: list[str] = []
        place: str | None = None
        cells: list[str] = []
        for col, ptype in levels:
            value = " ".join(row.get(col, "").split())
            if not value or (names and value == names[0]):
                continue
            path.append(value)
            names.insert(0, value)
            cells.append(f"{col}={value}")
            ident = self.builder.entity(
                "Place", " > ".join(path), ", ".join(names), self.origin(line), place_type=ptype
            )
            if place is not None:
                self.builder.relate(
                    "LOCATED_IN", ident, place, "; ".join(cells), record, self.origin(line), accumulate=False
                )
            place = ident
        return place


def import_acled(path: Path | str, *, strict: bool = False, show_progress: bool = False) -> ImportResult:
    """Import an ACLED event export (CSV) as validated facts.

    Raises
    ------
    DatasetError
        If the file is not an ACLED export (type, encoding, columns); nothing is imported.
    """
    return AcledImporter(path, strict=strict, show_progress=show_progress).run()
