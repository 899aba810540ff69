"""Where the files graphkit ships beside its code (the Cypher library, the seed facts) are found."""

from __future__ import annotations

import sys
from pathlib import Path


def shipped_dir(name: str) -> Path:
    """The directory ``name`` (``cypher`` or ``seed``): a checkout's, else the copy a wheel installs.

    A wheel installs these files as data under ``<prefix>/share/graphkit/<name>`` (see
    ``[tool.setuptools.data-files]`` in pyproject.toml); in a checkout or an editable install they
    are read where they are edited.
    """
    checkout = Path(__file__).resolve().parents[1] / name
    installed = Path(sys.prefix) / "share" / "graphkit" / name
    return checkout if checkout.is_dir() or not installed.is_dir() else installed
