"""Import the UN Security Council Consolidated List (XML) that the user downloads from the UN.

The list (``consolidated.xml``; root ``CONSOLIDATED_LIST``) has ``INDIVIDUALS/INDIVIDUAL`` and
``ENTITIES/ENTITY`` records, each with ``DATAID``, ``FIRST_NAME`` (an entity's whole name;
``SECOND_NAME``..``FOURTH_NAME`` complete an individual's), ``UN_LIST_TYPE`` (the sanctions
regime, e.g. ``Al-Qaida``), ``REFERENCE_NUMBER`` (``QDe.161``), ``LISTED_ON`` (a date),
``NAME_ORIGINAL_SCRIPT``, ``COMMENTS1`` and ``LAST_DAY_UPDATED/VALUE``, and aliases
(``INDIVIDUAL_ALIAS`` / ``ENTITY_ALIAS``) each with a ``QUALITY`` and an ``ALIAS_NAME``.

Mapping: an ENTITY is a Group (the list does not say what kind of organisation, so no
``group_type``), an INDIVIDUAL a Person, named as listed. Alias quality decides the name's
strength: ``Good``, ``a.k.a.`` and ``f.k.a.`` (a former name) give aliases; ``Low`` gives weak
names (``weak_aliases``: shown, never matched, as the UN itself marks them unreliable). An
``ALIAS_NAME`` holding several names separated by ``"; "`` gives one each. The original-script
name is an alias. Provenance: the Source ``un-sc-consolidated``; each record's note states its
list, reference number, listing date and last update (entities have no records field; the
reference number is the record). The list states names, not relations, so this importer makes
no relation: its value is the names it gives existing entities when merged (``--merge-with``).
UN records are distinct (their reference numbers): two landing on one entity is a collision.

Only plain XML is read: a DOCTYPE (entity declarations) is refused, so no entity
expansion or external fetch can happen.
"""

from __future__ import annotations

import xml.parsers.expat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graphkit.errors import DatasetError
from graphkit.facts import Entity, alias_key
from graphkit.importers.common import Importer, ImportResult, check_file

SOURCE = Entity(
    "un-sc-consolidated",
    "Source",
    "United Nations Security Council Consolidated List",
    aliases=["UN Security Council Consolidated List"],
    props={
        "publisher": "United Nations Security Council",
        "url": "https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list",
        "citation": "United Nations Security Council Consolidated List. "
        "https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list",
    },
)

RECORDS = {"INDIVIDUAL": "Person", "ENTITY": "Group"}
NAME_FIELDS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
#: alias QUALITY -> where the name goes ("" and unknown qualities: aliases, reported)
QUALITY = {"good": "aliases", "a.k.a.": "aliases", "f.k.a.": "aliases", "low": "weak_aliases"}


def _parse(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Stream the list's records as ``(line, fields)`` with expat, refusing any DOCTYPE."""
    records: list[tuple[int, dict[str, Any]]] = []
    stack: list[str] = []
    current: dict[str, Any] | None = None
    alias: dict[str, str] | None = None
    text: list[str] = []
    seen_root: list[str] = []
    parser = xml.parsers.expat.ParserCreate()

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal current, alias
        if not stack:
            seen_root.append(tag)
        stack.append(tag)
        text.clear()
        if tag in RECORDS and current is None:
            current = {"_kind": RECORDS[tag], "_aliases": [], "_updated": []}
            records.append((parser.CurrentLineNumber, current))
        elif current is not None and tag.endswith("_ALIAS"):
            alias = {}

    def end(tag: str) -> None:
        nonlocal current, alias
        value = " ".join("".join(text).split())
        stack.pop()
        if current is None:
            return
        if tag in RECORDS:
            current = None
        elif alias is not None and tag in ("QUALITY", "ALIAS_NAME"):
            alias[tag] = value
        elif alias is not None and tag.endswith("_ALIAS"):
            current["_aliases"].append((alias.get("QUALITY", ""), alias.get("ALIAS_NAME", "")))
            alias = None
        elif tag == "VALUE" and len(stack) >= 1 and stack[-1] == "LAST_DAY_UPDATED":
            current["_updated"].append(value)
        elif len(stack) >= 1 and stack[-1] in RECORDS:
            current[tag] = value
        text.clear()

    def doctype(*_: Any) -> None:
        raise DatasetError(f"{path}: XML with a DOCTYPE is refused (the UN list has none)")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text.append
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    try:
        with path.open("rb") as fh:
            parser.ParseFile(fh)
    except xml.parsers.expat.ExpatError as exc:
        raise DatasetError(f"{path}: not well-formed XML: {exc}") from None
    if seen_root != ["CONSOLIDATED_LIST"]:
        raise DatasetError(
            f"{path}: not the UN consolidated list (root element {seen_root[0] if seen_root else 'none'!r}, "
            "expected 'CONSOLIDATED_LIST')"
        )
    yield from records


class UnImporter(Importer):
    """The UN consolidated list: one Group or Person per record, with its names."""

    dataset = "UN consolidated list"
    source = SOURCE
    identified = True

    def get(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """The list's records (the XML is parsed before any is yielded, so a broken file imports nothing)."""
        check_file(self.path, self.dataset)
        for line, rec in _parse(self.path):
            self.report.rows += 1
            yield line, rec

    def transform(self, line: int, row: dict[str, Any]) -> None:
        """One listed individual or entity."""
        report = self.report
        ref = row.get("REFERENCE_NUMBER", "") or row.get("DATAID", "")
        if not ref:
            report.rejected(line, row.get("DATAID", ""), "REFERENCE_NUMBER", "no reference number or DATAID")
            return
        name = " ".join(row[f] for f in NAME_FIELDS if row.get(f))
        if not name:
            report.rejected(line, ref, "FIRST_NAME", "no name")
            return
        kind = row["_kind"]
        listed = row.get("LISTED_ON", "")[:10]
        parts = [f"UN Security Council consolidated list ({row.get('UN_LIST_TYPE') or 'list not given'}): {ref}"]
        if listed:
            parts.append(f"listed on {listed}")
        if row["_updated"]:
            parts.append(f"updated {', '.join(v[:10] for v in row['_updated'] if v)}")
        ident = self.builder.entity(kind, f"un:{ref}", name, self.origin(line), slug=name)
        ent = self.builder.facts.entities[ident]
        ent.note = "; ".join(parts)
        if row.get("NAME_ORIGINAL_SCRIPT"):
            self.builder.add_alias(ident, row["NAME_ORIGINAL_SCRIPT"])
        for quality, names in row["_aliases"]:
            where = QUALITY.get(quality.casefold())
            if where is None:
                if names:
                    report.repaired(line, ref, "QUALITY", f"alias quality {quality!r} unknown: {names!r} kept as alias")
                where = "aliases"
            for alias in (n.strip() for n in names.split("; ")):
                if not alias:
                    continue
                if where == "weak_aliases":
                    strong = {alias_key(n) for n in [ent.name, *ent.aliases, *ent.weak_aliases]}
                    if alias_key(alias) not in strong:
                        ent.weak_aliases.append(alias)
                else:
                    self.builder.add_alias(ident, alias)
        if kind == "Person":
            report.notes["individuals"] += 1
        else:
            report.notes["entities"] += 1


def import_un(path: Path | str, *, strict: bool = False, show_progress: bool = False) -> ImportResult:
    """Import the UN Security Council consolidated list (XML) as validated facts.

    Raises
    ------
    DatasetError
        If the file is not well-formed XML of the consolidated list; nothing is imported.
    """
    return UnImporter(path, strict=strict, show_progress=show_progress).run()
