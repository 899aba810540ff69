"""The one exception family of graphkit.

Every error a user can cause derives from :class:`GraphkitError`; the CLI prints its message
(without a traceback unless ``--debug``) and exits with its ``exit_code``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One defect in the input: where it is (file, line, record, field) and why it is wrong."""

    file: str
    record: str
    field: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        rec = f" record {self.record!r}" if self.record else ""
        fld = f" field {self.field!r}" if self.field else ""
        return f"{where}:{rec}{fld}: {self.message}" if rec or fld else f"{where}: {self.message}"


class GraphkitError(Exception):
    """Base class of every error graphkit raises on purpose."""

    exit_code = 1


class ValidationError(GraphkitError):
    """The facts are invalid. Carries every problem found, not only the first."""

    exit_code = 2

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        lines = [str(p) for p in self.problems]
        super().__init__(f"{len(lines)} problem(s) found:\n" + "\n".join(lines))


class StoreError(GraphkitError):
    """The database could not be reached, or refused a statement."""


class LoadRefused(StoreError):
    """A load would remove most of what its scope holds; refused (and rolled back) unless asked for."""


class ServerError(GraphkitError):
    """The local database server could not be started, stopped or found."""


class DatasetError(GraphkitError):
    """An input dataset cannot be imported at all (wrong type, encoding or columns)."""

    exit_code = 2
