"""Importers of real datasets (GTD, UCDP actor list, MMP, UN consolidated list, ACLED, edge lists).

Each importer reads a file the user supplies (graphkit ships no dataset whose licence forbids
redistribution), streams its rows, and returns an :class:`~graphkit.importers.common.ImportResult`:
the validated facts, with the dataset as their Source, and a report of every repaired or rejected
row. :mod:`graphkit.aliases` then resolves the imported actors against existing facts.
"""

from __future__ import annotations

from graphkit.importers.acled import import_acled
from graphkit.importers.common import Defect, ImportReport, ImportResult, write_facts
from graphkit.importers.edgelist import import_edgelist
from graphkit.importers.gtd import import_gtd
from graphkit.importers.mmp import import_mmp
from graphkit.importers.ucdp import import_ucdp
from graphkit.importers.un import import_un

__all__ = [
    "Defect",
    "ImportReport",
    "ImportResult",
    "import_acled",
    "import_edgelist",
    "import_gtd",
    "import_mmp",
    "import_ucdp",
    "import_un",
    "write_facts",
]
