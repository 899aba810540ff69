"""Import Stanford's Mapping Militant Organizations (MMP) relationship data.

Two CSV files (UTF-8): the relationships (``unique_id, type, group1_id, group2_id, date,
description, group1_name, group2_name``) and, optionally, the group key (``group_id, name``), which
adds the groups that have no relationship. Mapping:

========  ==============================================================================
``all``   ``ALLIED_WITH`` (symmetric)
``riv``   ``RIVAL_OF`` (symmetric)
``spl``   ``SPLINTER_OF``: group2 split from group1, so group2 ``SPLINTER_OF`` group1
``mer``   ``MERGED_INTO``: group1 merged into group2, unless the description names group1
          as the one joined ("... was incorporated into <group1>", "<group2> joined
          <group1>", "<group1> absorbed ..."): then group2 ``MERGED_INTO`` group1
``aff``   ``AFFILIATE_OF``: group1 affiliate of group2, reversed by the same textual rule
          ("pledged allegiance to <group1>")
========  ==============================================================================

Provenance: the Source ``mmp``; ``records`` ``mmp:<unique_id>``; ``evidence`` the description.
Rows stating the same relation (type, groups, date) become one relation with every quote and
record. The published files are dirty (see the data's README); each defect is repaired and reported
with its line number, or the row is rejected and reported:

* names with surrounding spaces: stripped;
* HTML entities (``&#039;``) and backslash escapes (``\\'``): decoded;
* mojibake (UTF-8 read as Windows-1252, ``â€™``; lone Windows-1252 bytes, ``\\x92``): decoded;
* an empty description: the evidence is the row's own cells, quoted verbatim
  (``type=spl; group1_name=...; group2_name=...; date=...``), since the dataset itself asserts
  the relation and those cells are its only words for it;
* a date in neither ``YYYY-MM-DD`` (``00`` = unknown) nor ``m/d/yy``: the relation loads undated;
* an unknown type, a missing group, a group related to itself, a duplicate ``unique_id``: rejected;
* in the group key, the missing-value id ``-99`` shared by several groups: each is imported by name.

Two-digit years (``m/d/yy``) are read as 19yy from 20 to 99 and 20yy below 20: the data was
scraped in 2019 and its years run from the 1960s.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from graphkit.facts import Entity, Origin
from graphkit.importers.common import (
    FactsBuilder,
    Importer,
    ImportReport,
    ImportResult,
    open_table,
    partial_date,
    progress,
)

SOURCE = Entity(
    "mmp",
    "Source",
    "Mapping Militant Organizations (MMP)",
    aliases=["Mapping Militant Organizations"],
    props={
        "publisher": "Center for International Security and Cooperation, Stanford University",
        "url": "https://cisac.fsi.stanford.edu/mappingmilitants",
        "citation": "Mapping Militant Organizations. Center for International Security and Cooperation, Stanford University.",
    },
)

RELATION_TYPES = {
    "all": "ALLIED_WITH",
    "riv": "RIVAL_OF",
    "aff": "AFFILIATE_OF",
    "spl": "SPLINTER_OF",
    "mer": "MERGED_INTO",
}
REL_COLUMNS = ("unique_id", "type", "group1_id", "group2_id", "date", "description", "group1_name", "group2_name")
KEY_COLUMNS = ("group_id", "name")
#: The group key's code for "no id".
MISSING_ID = "-99"
#: Two-digit years below this are 20yy, the rest 19yy (the data was scraped in 2019).
PIVOT = 20


# --------------------------------------------------------------------------------------------
# Text repairs
# --------------------------------------------------------------------------------------------

_UTF8_AS_LATIN = re.compile(r"[\xc2-\xf4][\x80-\xbf]{1,3}")
_C1 = re.compile(r"[\x80-\x9f]")


def repair_text(text: str) -> tuple[str, list[str]]:
    """Undo the encoding damage of a published cell; return the text and what was repaired.

    Examples
    --------
    >>> repair_text("al-Zarqawi\\\\&#039;s death")
    ("al-Zarqawi's death", ['HTML entities decoded', 'backslash escapes removed'])
    >>> repair_text("Hezbollahâ\\x80\\x99s campaigns")[0]
    'Hezbollah’s campaigns'
    >>> repair_text("Kata\\x92ib")[0]
    'Kata’ib'
    """
    fixes: list[str] = []
    out = text
    if re.search(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);", out):
        decoded = html.unescape(out)
        if decoded != out:
            out = decoded
            fixes.append("HTML entities decoded")
    if re.search(r"\\['\"]", out):
        out = re.sub(r"\\(['\"])", r"\1", out)
        fixes.append("backslash escapes removed")

    def utf8(m: re.Match[str]) -> str:
        try:
            return m.group().encode("latin-1").decode("utf-8")
        except UnicodeDecodeError:
            return m.group()

    fixed = _UTF8_AS_LATIN.sub(utf8, out)

    def cp1252(m: re.Match[str]) -> str:
        try:
            return m.group().encode("latin-1").decode("cp1252")
        except UnicodeDecodeError:
            return m.group()

    fixed = _C1.sub(cp1252, fixed)
    if fixed != out:
        out = fixed
        fixes.append("mojibake (UTF-8 or Windows-1252 read as Latin-1) decoded")
    return out, fixes


def parse_date(text: str) -> str | None:
    """An MMP date (``YYYY-MM-DD`` with ``00`` unknown, or ``m/d/yy``) as a partial date, or None.

    Examples
    --------
    >>> parse_date("2014-02-00"), parse_date("2005-00-00"), parse_date("2/18/10"), parse_date("1/1/68")
    ('2014-02', '2005', '2010-02-18', '1968-01-01')
    """
    text = text.strip()
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        return partial_date(int(m[1]), int(m[2]), int(m[3]))
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2})", text)
    if m:
        yy = int(m[3])
        return partial_date(2000 + yy if yy < PIVOT else 1900 + yy, int(m[1]), int(m[2]))
    return None


# --------------------------------------------------------------------------------------------
# Which group a description names, and which way a merger or affiliation runs
# --------------------------------------------------------------------------------------------


def _phrase(text: str) -> str:
    """A case-insensitive regex for a name whose words may be joined by spaces or hyphens."""
    words = re.findall(r"[^\s-]+", text)
    return r"(?i:\b" + r"[\s-]+".join(re.escape(w) for w in words) + r"\b)"


def _forms(name: str, description: str) -> list[str]:
    """Regexes for the ways ``description`` may name the group ``name``.

    The name with or without a leading "The" and a parenthesised part, the parenthesised
    abbreviation, an abbreviation the description gives right after the name ("Ansar al-Islam (AI)"),
    and acronyms of the capitalised words ("AQIM", "LeT", matched case-sensitively).
    """
    bare = re.sub(r"^the\s+", "", name.strip(), flags=re.I)
    core = re.sub(r"\s*\([^)]*\)", "", bare).strip()
    phrases = {bare, core}
    abbreviations = set(re.findall(r"\(([A-Za-z0-9-]{2,10})\)", bare))
    if core:
        for m in re.finditer(_phrase(core) + r"\s*\(([A-Za-z0-9-]{2,10})\)", description):
            abbreviations.add(m[1])
    parts = re.findall(r"[^\s-]+", core)
    capitals = "".join(w[0] for w in parts if w[0].isupper())
    connected = "".join(
        w[0] if w[0].isupper() or len(w) <= 2 else "" for w in parts if w.lower() not in ("the", "of", "in")
    )
    abbreviations.update(a for a in (capitals, connected) if len(a) >= 2 and sum(c.isupper() for c in a) >= 2)
    out = [_phrase(p) for p in sorted(phrases, key=len, reverse=True) if p]
    out += [rf"\b{re.escape(a)}\b" for a in sorted(abbreviations, key=len, reverse=True)]
    return out


def _named_at(window: str, g1: list[str], g2: list[str], last: bool = False) -> int:
    """1 or 2: the group named first (or ``last``) in ``window``; 0 if neither is named."""
    best, which = (-1 if last else len(window) + 1), 0
    for n, forms in ((1, g1), (2, g2)):
        for f in forms:
            for m in re.finditer(f, window):
                if (m.start() > best) if last else (m.start() < best):
                    best, which = m.start(), n
                if not last:
                    break
    return which


_FORWARD = re.compile(
    r"\b(?:into|(?:re)?joined|joins?|realign(?:ed)? with|allegiance to|loyalty to|loyal to|"
    r"affiliate of|branch of|pledged support to)\b",
    re.I,
)
_BACKWARD = re.compile(r"\b(?:absorbed|incorporated|annexed)\b(?!\s+into)", re.I)


def joined_group(description: str, name1: str, name2: str) -> int:
    """Which group the description says the other joined, merged into or pledged to: 1, 2 or 0.

    Examples
    --------
    >>> joined_group("The Shariat Jamaat was incorporated into the Caucasus Emirate.", "Caucasus Emirate", "Shariat Jamaat")
    1
    >>> joined_group("ART merges into the Al Akhtar Trust", "Al Rashid Trust (ART)", "Al Akhtar Trust")
    2
    """
    g1, g2 = _forms(name1, description), _forms(name2, description)
    for m in _FORWARD.finditer(description):
        which = _named_at(description[m.end() : m.end() + 90], g1, g2)
        if which:
            return which
    for m in _BACKWARD.finditer(description):
        which = _named_at(description[max(0, m.start() - 90) : m.start()], g1, g2, last=True)
        if which:
            return which
    return 0


# --------------------------------------------------------------------------------------------
# The importer
# --------------------------------------------------------------------------------------------


def _read_key(path: Path, report: ImportReport, builder: FactsBuilder, show: bool) -> dict[str, str]:
    """Read the group key; return group_id -> entity id (ids shared by several groups are left out)."""
    table = open_table(path, "MMP group key", KEY_COLUMNS)
    col = {c: i for i, c in enumerate(table.header)}
    rows = list(table.rows())
    counts = Counter(cells[col["group_id"]].strip() for _, cells in rows if len(cells) > col["group_id"])
    ids: dict[str, str] = {}
    bar = progress(len(rows), "MMP group key", show)
    for line, cells in rows:
        bar.update()
        report.rows += 1
        if len(cells) < len(KEY_COLUMNS):
            report.rejected(line, "", "", f"{len(cells)} cell(s); the key has {len(table.header)} columns")
            continue
        gid, raw = cells[col["group_id"]].strip(), cells[col["name"]]
        name, fixes = repair_text(raw)
        for fix in fixes:
            report.repaired(line, gid, "name", fix)
        if name != name.strip():
            report.repaired(line, gid, "name", "surrounding spaces removed")
            name = name.strip()
        if not name:
            report.rejected(line, gid, "name", "empty group name")
            continue
        ident = builder.entity("Group", name, name, Origin(str(path), line), group_type="militant group")
        if gid == MISSING_ID or counts[gid] > 1:
            report.repaired(
                line,
                gid,
                "group_id",
                f"id {gid} is shared by {counts[gid]} groups (a missing-value code): imported by name",
            )
            continue
        ids[gid] = ident
    bar.close()
    return ids


def import_mmp(
    relationships: Path | str,
    group_key: Path | str | None = None,
    *,
    strict: bool = False,
    show_progress: bool = False,
) -> ImportResult:
    """Import MMP relationships (and optionally the group key) as validated facts.

    Parameters
    ----------
    relationships : path
        The relationships CSV.
    group_key : path, optional
        The group key CSV; its groups are imported too (also those without relationships).
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
        If a file is not an MMP file (type, encoding, columns); nothing is imported.
    """
    return MmpImporter(relationships, group_key, strict=strict, show_progress=show_progress).run()


class MmpImporter(Importer):
    """MMP: the group key's groups (when given), then one relation per relationships row."""

    dataset = "MMP relationships"
    source = SOURCE
    columns = REL_COLUMNS
    #: MMP groups are distinct records (their group ids)
    identified = True

    def __init__(
        self, path: Path | str, group_key: Path | str | None, *, strict: bool = False, show_progress: bool = False
    ) -> None:
        super().__init__(path, strict=strict, show_progress=show_progress)
        self.group_key = Path(group_key) if group_key is not None else None
        self.key_ids: dict[str, str] = {}
        self.seen: dict[str, int] = {}
        self.col: dict[str, int] = {}

    def get(self) -> Iterator[tuple[int, dict[str, str]]]:
        """The relationships rows, after the group key's groups are read."""
        table = open_table(self.path, self.dataset, self.columns)
        if self.group_key is not None:
            key_report = ImportReport(str(self.group_key), "MMP group key", strict=self.report.strict)
            self.key_ids = _read_key(self.group_key, key_report, self.builder, self.show_progress)
            self.report.defects.extend(key_report.defects)
            self.report.notes[f"groups read from the key ({key_report.rows} rows)"] += len(self.key_ids)
        self.col = {c: i for i, c in enumerate(table.header)}
        yield from self.table_rows(table.header, table.rows())

    def transform(self, line: int, row: dict[str, str]) -> None:
        """One relationship row."""
        _row(line, list(row.values()), self.col, self.path, self.report, self.builder, self.key_ids, self.seen)

    def finish(self) -> None:
        """Count the relations."""
        self.report.notes["relations"] = len(self.builder.facts.relations)


def _row(
    line: int,
    cells: list[str],
    col: dict[str, int],
    path: Path,
    report: ImportReport,
    builder: FactsBuilder,
    key_ids: dict[str, str],
    seen: dict[str, int],
) -> None:
    """Turn one relationship row into a relation, reporting its defects."""
    if len(cells) != len(col):
        report.rejected(line, cells[0] if cells else "", "", f"{len(cells)} cell(s); the header has {len(col)}")
        return
    uid = cells[col["unique_id"]].strip()
    record = f"mmp:{uid}"
    if not uid:
        report.rejected(line, "", "unique_id", "empty id")
        return
    if uid in seen:
        report.rejected(line, uid, "unique_id", f"duplicate id (first on line {seen[uid]})")
        return
    seen[uid] = line
    rtype = RELATION_TYPES.get(cells[col["type"]].strip().lower())
    if rtype is None:
        report.rejected(
            line, uid, "type", f"unknown type {cells[col['type']]!r}; expected one of {', '.join(RELATION_TYPES)}"
        )
        return
    origin = Origin(str(path), line)
    ends: list[str] = []
    names: list[str] = []
    for n in ("1", "2"):
        raw = cells[col[f"group{n}_name"]]
        name, fixes = repair_text(raw)
        for fix in fixes:
            report.repaired(line, uid, f"group{n}_name", fix)
        if name != name.strip():
            report.repaired(line, uid, f"group{n}_name", "surrounding spaces removed")
            name = name.strip()
        gid = cells[col[f"group{n}_id"]].strip()
        ident = key_ids.get(gid)
        if ident is None:
            if not name:
                report.rejected(line, uid, f"group{n}_name", "empty group name and no group key entry")
                return
            ident = builder.entity("Group", name, name, origin, group_type="militant group")
        names.append(name or builder.facts.entities[ident].name)
        ends.append(ident)
    if ends[0] == ends[1]:
        report.rejected(line, uid, "group2_id", "a group cannot be related to itself")
        return
    raw_date = cells[col["date"]].strip()
    since = parse_date(raw_date) if raw_date else None
    if raw_date and since is None:
        report.repaired(line, uid, "date", f"{raw_date!r} is not a date (YYYY-MM-DD or m/d/yy): loaded undated")
    elif "/" in raw_date:
        report.notes["dates read from m/d/yy"] += 1
    description, fixes = repair_text(cells[col["description"]])
    for fix in fixes:
        report.repaired(line, uid, "description", fix)
    description = description.strip()
    note = None
    if not description:
        evidence = "; ".join(
            f"{c}={cells[col[c]].strip()}"
            for c in ("type", "group1_name", "group2_name", "date")
            if cells[col[c]].strip()
        )
        report.repaired(line, uid, "description", "empty description: the evidence quotes the row's cells")
    else:
        evidence = description
    source, target = ends
    if rtype == "SPLINTER_OF":
        source, target = target, source
    elif rtype in ("MERGED_INTO", "AFFILIATE_OF") and description and joined_group(description, *names) == 1:
        source, target = target, source
        note = "direction from the description (MMP lists the groups the other way round)"
        report.notes[f"{rtype} directions taken from the description"] += 1
    before = len(builder.facts.relations)
    builder.relate(rtype, source, target, evidence, record, origin, since=since, note=note)
    if len(builder.facts.relations) == before:
        report.notes["rows restating an earlier row's relation (merged into it)"] += 1
