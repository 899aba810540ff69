"""Import START's Global Terrorism Database (GTD): a CSV (Windows-1252) or XLSX file the user supplies.

GTD's licence forbids redistribution, so graphkit ships no GTD data: it reads the user's copy.
Each row is an attack:

* an Attack ``gtd-<eventid>`` with ``date`` (``imonth``/``iday`` 0 = unknown, so a partial
  date), ``attack_type`` (``attacktype1_txt``), ``target`` (``targtype1_txt``), ``killed``
  (``nkill``) and ``wounded`` (``nwound``), ``latitude`` and ``longitude`` (when both are given
  and on the globe; otherwise left out and reported); its note keeps the citation fields
  (``scite1``-``scite3``, ``dbsource``), which the model has no property for;
* Places: ``country_txt`` > ``provstate`` > ``city``, each ``LOCATED_IN`` the next (values
  "Unknown" or empty are skipped), the attack ``OCCURRED_IN`` the most precise one. Province and
  city names are qualified by their parents ("Kabul, Kabul, Afghanistan") because entity names must
  be unique and city names repeat across the world;
* perpetrators ``gname``, ``gname2``, ``gname3``: a Group each, ``CARRIED_OUT`` the attack, with
  confidence ``uncertain`` where ``guncertainN`` is 1 and ``reported`` otherwise. "Unknown" and
  "Unaffiliated Individual(s)" are not groups: no node, no relation; they are counted in the
  report's notes. GTD's generic labels (``Left-Wing Militants``, ``Student Radicals``, ``Muslim
  extremists``: :func:`generic_label`) name no organisation either; the choice made here: no
  Group (so they do not join actor rankings or merge), the label is kept in the attack's note,
  and each label is counted in the report. A combined attribution ``X and/or Y`` gives two
  candidate perpetrators, each ``CARRIED_OUT`` with confidence ``uncertain``, never one group;
* ``doubtterr`` = 1 (GTD doubts the incident is terrorism): the attack is kept, its
  perpetrators' ``CARRIED_OUT`` become ``uncertain``, its note says why (with
  ``alternative_txt``), and the report counts those rows by line.

GTD's CSV files are Windows-1252 (curly quotes are bytes 0x93/0x94), so they are read as such
(ISO-8859-1 would turn those quotes into control characters U+0093/U+0094).

Provenance: the Source ``gtd``; ``records`` ``gtd:<eventid>``; ``evidence`` the row's ``summary``,
else its first citation (``scite1``), else (older events have neither) the row's own cells quoted
verbatim (``gname=...; iyear=...; country_txt=...``), since the dataset row is then the only text
that states the fact.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from graphkit.aliases import COMBINED
from graphkit.errors import DatasetError
from graphkit.facts import INT64_MAX, Entity, Origin
from graphkit.importers.common import (
    FactsBuilder,
    Importer,
    ImportReport,
    ImportResult,
    check_file,
    open_table,
    partial_date,
)

SOURCE = Entity(
    "gtd",
    "Source",
    "Global Terrorism Database (GTD)",
    aliases=["Global Terrorism Database"],
    props={
        "publisher": "National Consortium for the Study of Terrorism and Responses to Terrorism (START), University of Maryland",
        "url": "https://www.start.umd.edu/gtd",
        "citation": "National Consortium for the Study of Terrorism and Responses to Terrorism (START), University of "
        "Maryland. The Global Terrorism Database (GTD) [data file]. https://www.start.umd.edu/gtd",
    },
)

#: The columns this importer reads (a GTD file has 135; extra columns are ignored).
COLUMNS = (
    "eventid",
    "iyear",
    "imonth",
    "iday",
    "country_txt",
    "provstate",
    "city",
    "latitude",
    "longitude",
    "summary",
    "attacktype1_txt",
    "targtype1_txt",
    "gname",
    "gname2",
    "gname3",
    "guncertain1",
    "guncertain2",
    "guncertain3",
    "nkill",
    "nwound",
    "scite1",
    "scite2",
    "scite3",
    "dbsource",
)
#: Read when present (older extracts lack them).
OPTIONAL = ("doubtterr", "alternative_txt")
#: Perpetrator names that are not groups (compared case-insensitively).
NOT_GROUPS = frozenset({"unknown", "unaffiliated individual(s)", "unaffiliated individual"})
UNKNOWN = frozenset({"", "unknown"})
#: The encodings GTD CSVs come in: UTF-8 (recent extracts), else Windows-1252.
ENCODINGS = ("utf-8", "cp1252", "latin-1")
_GENERIC = re.compile(
    r"^(?:[\w'-]+[ -]){0,3}(?:militants?|extremists?|radicals?|separatists?|insurgents?|guerrillas?|rebels?|"
    r"gunmen|tribesmen|protesters?|protestors?|rioters?|activists?|nationalists?|sympathizers?|supporters?|"
    r"dissidents?|vigilantes?|anarchists?)$",
    re.IGNORECASE,
)


def generic_label(name: str) -> bool:
    """Whether a GTD perpetrator name is a generic label rather than an organisation.

    Examples
    --------
    >>> [generic_label(n) for n in ("Left-Wing Militants", "Student Radicals", "Muslim extremists")]
    [True, True, True]
    >>> [generic_label(n) for n in ("Haqqani Network", "Tehrik-i-Taliban Pakistan (TTP)", "Khorasan Group")]
    [False, False, False]
    """
    return "(" not in name and bool(_GENERIC.match(" ".join(name.split())))


def _xlsx_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and rows of the first sheet of an XLSX file, read in streaming mode."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise DatasetError(f"{path}: not a readable XLSX workbook: {exc}") from exc
    ws = wb.worksheets[0]
    it = ws.iter_rows(values_only=True)
    first = next(it, None)
    header = [str(h).strip() if h is not None else "" for h in (first or ())]

    def text(v: object) -> str:
        if v is None:
            return ""
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)

    def rows() -> Iterator[tuple[int, list[str]]]:
        for line, row in enumerate(it, start=2):
            if any(v is not None for v in row):
                cells = [text(v) for v in row]
                yield line, cells + [""] * (len(header) - len(cells))
        wb.close()

    return header, rows()


def _open(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """Header and row iterator of a GTD CSV or XLSX file, or DatasetError."""
    head = check_file(path, "GTD")
    if head.startswith(b"PK\x03\x04"):
        header, rows = _xlsx_rows(path)
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise DatasetError(f"{path}: not a GTD file: missing column(s) {', '.join(missing)}")
        return header, rows
    table = open_table(path, "GTD", COLUMNS, encodings=ENCODINGS)
    return table.header, table.rows()


def _count(text: str) -> int | None:
    """A casualty count ('12', '12.0'), or None for empty; ValueError if it is not one."""
    text = text.strip()
    if not text:
        return None
    value = float(text)
    if value < 0 or not value.is_integer() or value > INT64_MAX:  # 1e30 fits no database or export
        raise ValueError(text)
    return int(value)


def _coordinates(row: dict[str, str], line: int, eid: str, report: ImportReport) -> dict[str, float]:
    """The attack's latitude and longitude, when both are given and on the globe (else reported)."""
    out: dict[str, float] = {}
    for fld, limit in (("latitude", 90.0), ("longitude", 180.0)):
        text = row[fld].strip()
        if not text:
            return {}
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if not -limit <= value <= limit:
            report.repaired(line, eid, fld, f"{text!r} is not a {fld}: coordinates left out")
            return {}
        out[fld] = value
    return out


class GtdImporter(Importer):
    """GTD: one Attack per row, with its places and perpetrators."""

    dataset = "GTD"
    source = SOURCE
    columns = COLUMNS
    encodings = ENCODINGS

    def __init__(self, path: Path | str, *, strict: bool = False, show_progress: bool = False) -> None:
        super().__init__(path, strict=strict, show_progress=show_progress)
        self.seen: set[str] = set()
        self.doubted: list[int] = []

    def get(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Rows of the CSV or XLSX file (only the columns read)."""
        header, rows = _open(self.path)
        wanted = [(c, header.index(c)) for c in (*COLUMNS, *(c for c in OPTIONAL if c in header))]
        width = len(header)
        for line, cells in rows:
            self.report.rows += 1
            if len(cells) != width:
                self.report.rejected(
                    line, cells[0] if cells else "", "", f"{len(cells)} cell(s); the header has {width}"
                )
                continue
            yield line, {c: cells[i] for c, i in wanted}

    def transform(self, line: int, row: dict[str, str]) -> None:
        """One GTD row: an attack, its places and perpetrators."""
        _row(line, row, self.path, self.report, self.builder, self.seen, self.doubted)

    def finish(self) -> None:
        """Say which rows GTD doubts are terrorism."""
        if self.doubted:
            self.report.notes[
                "attacks GTD doubts are terrorism (doubtterr=1): kept, perpetrators uncertain; lines "
                + ", ".join(map(str, self.doubted[:20]))
                + (" ..." if len(self.doubted) > 20 else "")
            ] = len(self.doubted)


def import_gtd(path: Path | str, *, strict: bool = False, show_progress: bool = False) -> ImportResult:
    """Import a GTD file (CSV or XLSX) as validated facts.

    Parameters
    ----------
    path : path
        The GTD file as distributed by START (or any file with its columns).
    strict : bool
        Raise :class:`~graphkit.errors.ValidationError` on the first defect instead of reporting it.
    show_progress : bool
        Show a progress bar on stderr.

    Returns
    -------
    ImportResult
        The facts and the report of every repaired or rejected row.

    Raises
    ------
    DatasetError
        If the file is not a GTD file (type, encoding, columns); nothing is imported.
    """
    return GtdImporter(path, strict=strict, show_progress=show_progress).run()


def _row(
    line: int,
    row: dict[str, str],
    path: Path,
    report: ImportReport,
    builder: FactsBuilder,
    seen: set[str],
    doubted: list[int],
) -> None:
    """Turn one GTD row into an attack, its places and perpetrators, reporting its defects."""
    eid = row["eventid"].strip()
    if not eid.isdigit():
        report.rejected(line, eid, "eventid", "missing or not a number")
        return
    if eid in seen:
        report.rejected(line, eid, "eventid", "duplicate event id")
        return
    seen.add(eid)
    record, origin = f"gtd:{eid}", Origin(str(path), line)
    try:
        year = int(row["iyear"].strip())
        month = int(row["imonth"].strip() or 0)
        day = int(row["iday"].strip() or 0)
    except ValueError:
        report.rejected(line, eid, "iyear", f"date is not numbers: {row['iyear']!r}/{row['imonth']!r}/{row['iday']!r}")
        return
    date = partial_date(year, month, day)
    if date is None:
        date = partial_date(year, month) or partial_date(year)
        if date is None:
            report.rejected(line, eid, "iyear", f"{year} is not a year")
            return
        report.repaired(line, eid, "iday", f"no such date {year}-{month}-{day}: kept {date}")
    numbers: dict[str, int | None] = {}
    for fld, prop in (("nkill", "killed"), ("nwound", "wounded")):
        try:
            numbers[prop] = _count(row[fld])
        except ValueError:
            report.repaired(line, eid, fld, f"{row[fld]!r} is not a count of people: left out")
            numbers[prop] = None
    place = _places(row, record, origin, builder)
    where = builder.facts.entities[place].name if place else "unknown place"
    attack_type = row["attacktype1_txt"].strip() or None
    notes = []
    doubt = row.get("doubtterr", "").strip() in ("1", "1.0")
    if doubt:
        alt = row.get("alternative_txt", "").strip()
        notes.append("GTD doubts this incident is terrorism (doubtterr=1" + (f"; alternative: {alt})" if alt else ")"))
        doubted.append(line)
    coordinates = _coordinates(row, line, eid, report)
    cites = [row[c].strip() for c in ("scite1", "scite2", "scite3") if row[c].strip()]
    if cites:
        notes.append("GTD sources: " + " | ".join(cites))
    if row["dbsource"].strip():
        notes.append(f"dbsource: {row['dbsource'].strip()}")
    attack = builder.entity(
        "Attack",
        eid,
        f"{attack_type or 'Attack'} in {where}, {date} (GTD {eid})",
        origin,
        slug=f"gtd-{eid}",
        date=date,
        attack_type=attack_type,
        target=row["targtype1_txt"].strip() or None,
        **coordinates,
        **numbers,
    )
    evidence = row["summary"].strip() or (cites[0] if cites else "")
    if not evidence:
        evidence = Importer.quote(
            {c: v for c, v in row.items() if v.strip() != "0"},
            (
                "gname",
                "gname2",
                "gname3",
                "iyear",
                "imonth",
                "iday",
                "country_txt",
                "provstate",
                "city",
                "attacktype1_txt",
            ),
        )
        report.notes["attacks whose evidence quotes the row's cells (no summary or citation)"] += 1
    if place:
        builder.relate("OCCURRED_IN", attack, place, evidence, record, origin, accumulate=False)
    perpetrators = 0
    for gcol, ucol in (("gname", "guncertain1"), ("gname2", "guncertain2"), ("gname3", "guncertain3")):
        name = " ".join(row[gcol].split())
        if not name:
            continue
        if name.casefold() in NOT_GROUPS:
            report.notes[f"perpetrators {name!r} (not a group: no node)"] += 1
            continue
        if generic_label(name):
            report.notes[f"perpetrators {name!r} (a generic label, not a group: no node; kept in the note)"] += 1
            notes.append(f"GTD perpetrator label {gcol}={name} (generic: no group)")
            continue
        flag = row[ucol].strip()
        if flag not in ("", "0", "1", "0.0", "1.0"):
            report.repaired(line, eid, ucol, f"{flag!r} is not 0 or 1: read as uncertain")
        confidence = "reported" if flag in ("", "0", "0.0") and not doubt else "uncertain"
        candidates = [n.strip() for n in COMBINED.split(name) if n.strip()]
        note = None
        if len(candidates) > 1:
            confidence = "uncertain"
            note = f"a candidate of the combined attribution {gcol}={name}"
            report.notes["combined attributions ('X and/or Y') split into uncertain candidates"] += 1
        elif doubt:
            note = "GTD doubts this incident is terrorism (doubtterr=1)"
        for candidate in candidates:
            group = builder.entity("Group", candidate, candidate, origin, group_type="militant group")
            builder.relate("CARRIED_OUT", group, attack, evidence, record, origin, confidence=confidence, note=note)
            perpetrators += 1
    if notes:
        builder.facts.entities[attack].note = "; ".join(notes)
    if not perpetrators:
        report.notes["attacks without a known perpetrator group"] += 1


def _places(row: dict[str, str], record: str, origin: Origin, builder: FactsBuilder) -> str | None:
    """The most precise place of the row (creating country > province > city), or None."""
    parts = [
        (col, ptype, row[col].strip())
        for col, ptype in (("country_txt", "country"), ("provstate", "province"), ("city", "city"))
    ]
    path: list[str] = []
    names: list[str] = []
    place: str | None = None
    for col, ptype, value in parts:
        if value.casefold() in UNKNOWN:
            continue
        path.append(value)
        names.insert(0, value)
        key = " > ".join(path)
        ident = builder.entity("Place", key, ", ".join(names), origin, place_type=ptype)
        if place is not None:
            cells = "; ".join(f"{c}={row[c].strip()}" for c, _, v in parts[: parts.index((col, ptype, value)) + 1] if v)
            builder.relate("LOCATED_IN", ident, place, cells, record, origin, accumulate=False)
        place = ident
    return place
