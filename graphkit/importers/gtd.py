"""Import START's Global Terrorism Database (GTD): a CSV (ISO-8859-1) or XLSX file the user supplies.

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
  report's notes.

Provenance: the Source ``gtd``; ``records`` ``gtd:<eventid>``; ``evidence`` the row's ``summary``,
else its first citation (``scite1``), else (older events have neither) the row's own cells quoted
verbatim (``gname=...; iyear=...; country_txt=...``), since the dataset row is then the only text
that states the fact.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from graphkit.errors import DatasetError
from graphkit.facts import INT64_MAX, Entity, Origin, validate
from graphkit.importers.common import (
    FactsBuilder,
    ImportReport,
    ImportResult,
    check_file,
    open_table,
    partial_date,
    progress,
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
#: Perpetrator names that are not groups (compared case-insensitively).
NOT_GROUPS = frozenset({"unknown", "unaffiliated individual(s)", "unaffiliated individual"})
UNKNOWN = frozenset({"", "unknown"})


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
    table = open_table(path, "GTD", COLUMNS, encodings=("utf-8", "latin-1"))
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
    path = Path(path)
    header, rows = _open(path)
    col = {c: header.index(c) for c in COLUMNS}
    report = ImportReport(str(path), "GTD", strict=strict)
    builder = FactsBuilder(SOURCE)
    seen: set[str] = set()
    bar = progress(None, "GTD", show_progress)
    for line, cells in rows:
        bar.update()
        report.rows += 1
        if len(cells) != len(header):
            report.rejected(line, cells[0] if cells else "", "", f"{len(cells)} cell(s); the header has {len(header)}")
            continue
        row = {c: cells[i] for c, i in col.items()}
        _row(line, row, path, report, builder, seen)
    bar.close()
    facts = validate(builder.facts)
    return ImportResult(facts, report)


def _row(
    line: int, row: dict[str, str], path: Path, report: ImportReport, builder: FactsBuilder, seen: set[str]
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
    if notes:
        builder.facts.entities[attack].note = "; ".join(notes)
    evidence = row["summary"].strip() or (cites[0] if cites else "")
    if not evidence:
        evidence = "; ".join(
            f"{c}={row[c].strip()}"
            for c in (
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
            )
            if row[c].strip() and row[c].strip() != "0"
        )
        report.notes["attacks whose evidence quotes the row's cells (no summary or citation)"] += 1
    if place:
        builder.relate("OCCURRED_IN", attack, place, evidence, record, origin, accumulate=False)
    perpetrators = 0
    for gcol, ucol in (("gname", "guncertain1"), ("gname2", "guncertain2"), ("gname3", "guncertain3")):
        name = row[gcol].strip()
        if not name:
            continue
        if name.casefold() in NOT_GROUPS:
            report.notes[f"perpetrators {name!r} (not a group: no node)"] += 1
            continue
        flag = row[ucol].strip()
        if flag not in ("", "0", "1", "0.0", "1.0"):
            report.repaired(line, eid, ucol, f"{flag!r} is not 0 or 1: read as uncertain")
        confidence = "reported" if flag in ("", "0", "0.0") else "uncertain"
        group = builder.entity("Group", name, name, origin, group_type="militant group")
        builder.relate("CARRIED_OUT", group, attack, evidence, record, origin, confidence=confidence)
        perpetrators += 1
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
