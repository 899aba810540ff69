"""Heavy dependencies imported where they are first used, so that the CLI starts fast.

``graphkit --help`` must not pay for networkx, the neo4j driver, pandas or scipy (together
seconds on a busy machine); modules whose names the CLI needs at start-up (their constants and
click options) bind those packages through :func:`module` instead of a top-level import. Type
checkers still see the real import::

    if TYPE_CHECKING:
        import networkx as nx
    else:
        nx = _lazy.module("networkx")

tests/test_startup.py checks that starting the CLI imports none of them.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import Any


class _Module:
    """Stands for a module; imports it on the first attribute read, then forwards every read."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        real = sys.modules.get(self._name) or importlib.import_module(self._name)
        return getattr(real, attr)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"


def module(name: str) -> ModuleType:
    """A stand-in for the module ``name`` that imports it when one of its attributes is first read.

    Examples
    --------
    >>> json = module("json")
    >>> json.dumps([1])
    '[1]'
    """
    return _Module(name)  # type: ignore[return-value]
