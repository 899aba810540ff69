"""The one exception family of graphkit.

Every error a user can cause derives from :class:`GraphkitError`; the CLI prints its message
(without a traceback unless ``--debug``) and exits with its ``exit_code``.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


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


class InputError(GraphkitError, ValueError):
    """An argument a user gave is not usable (an unknown projection, a bad option value).

    Also a ValueError, so code that caught the ValueError these cases used to raise still works.
    """


class GraphTypeError(GraphkitError, TypeError):
    """A function got a graph of the wrong kind (a multigraph where a simple graph is needed)."""


class OutputError(GraphkitError):
    """An output file or directory cannot be written (missing, a directory, read-only, disk full)."""


#: Plain words for the file system errors a user meets when writing outputs.
_WHY = {
    errno.ENOSPC: "no space left on the device (the disk is full)",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EISDIR: "it is a directory; give a file name",
    errno.ENOTDIR: "a part of the path is a file, not a directory",
    errno.EEXIST: "it is a file, not a directory",
    errno.ENOENT: "the directory does not exist",
}


def os_error_message(exc: OSError, path: Path | str | None = None, doing: str = "write") -> str:
    """``cannot write PATH: why`` for an OSError, in plain words where the error is a common one."""
    where = path if path is not None else (exc.filename or "the output")
    why = _WHY.get(exc.errno or 0, exc.strerror or str(exc))
    return f"cannot {doing} {where}: {why}"


@contextmanager
def writing(path: Path | str) -> Iterator[None]:
    """Turn an OSError raised while writing ``path`` into an :class:`OutputError` that names it."""
    try:
        yield
    except OSError as exc:
        raise OutputError(os_error_message(exc, exc.filename or path)) from exc


class DatasetError(GraphkitError):
    """An input dataset cannot be imported at all (wrong type, encoding or columns)."""

    exit_code = 2
