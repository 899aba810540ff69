"""Where the graph database is and how to log in: settings like Neo4j's own tools use.

A user's Neo4j is named by ``--uri/--user/--database`` flags or the ``NEO4J_URI``,
``NEO4J_USERNAME``, ``NEO4J_PASSWORD`` and ``NEO4J_DATABASE`` environment variables (flags win).
The password comes only from the environment, so it never appears on a command line, in a shell
history or in a process list. With no URI anywhere, the local default server is used and started
if needed (:func:`graphkit.local.ensure_running`). Every other module reaches the database through
:func:`open_driver`, so the local default and a user's Neo4j share one code path.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from graphkit import _lazy

if TYPE_CHECKING:
    import neo4j
    from neo4j import exceptions as neo4j_errors
else:  # imported when first used: the CLI starts without the driver
    neo4j = _lazy.module("neo4j")
    neo4j_errors = _lazy.module("neo4j.exceptions")

from graphkit.errors import GraphkitError, StoreError
from graphkit.settings import ConnectionSettings

# Neo4j warns (through this logger, printed to stderr when no handler is set) on every statement
# that names a label or relation type the graph lacks yet: graphkit's loads and reads name every
# kind of the model, so a fresh database drew a screenful per load. Errors still get through.
logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)

__all__ = ["ConnectionSettings", "open_driver", "resolve_settings"]

URI_ENV = "NEO4J_URI"
USER_ENV = "NEO4J_USERNAME"
PASSWORD_ENV = "NEO4J_PASSWORD"
DATABASE_ENV = "NEO4J_DATABASE"

URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
NEO4J_DEFAULT_USER = "neo4j"
NEO4J_DEFAULT_DATABASE = "neo4j"


def resolve_settings(
    uri: str | None = None,
    user: str | None = None,
    database: str | None = None,
    home: str | Path | None = None,
) -> ConnectionSettings:
    """Decide which database to use: flags, then ``NEO4J_*`` variables, then the local default.

    Parameters
    ----------
    uri, user, database
        Values of the ``--uri``, ``--user`` and ``--database`` flags (``None`` when not given).
    home
        Data directory of the local default server (default: ``GRAPHKIT_HOME`` or ``./.graphkit``).

    Returns
    -------
    ConnectionSettings
        For a user's Neo4j (a URI from the flag or ``NEO4J_URI``): the user from the flag,
        ``NEO4J_USERNAME`` or ``neo4j``; the password from ``NEO4J_PASSWORD`` (empty if unset);
        the database from the flag, ``NEO4J_DATABASE`` or ``neo4j``. Without a URI: the local
        server's own settings (database ``graphkit`` unless ``--database`` names another),
        starting the server if it is not running.

    Raises
    ------
    GraphkitError
        ``--user`` was given without a URI: the local server has its own login.
    ServerError
        The local server was needed and could not be started.
    """
    env = os.environ
    target = uri or env.get(URI_ENV) or None
    if target is None:
        if user is not None:
            raise GraphkitError(
                f"--user needs a server: give --uri or set {URI_ENV}; the local default server has its own login"
            )
        from graphkit.local import ensure_running

        local = ensure_running(home)
        if database is None:
            return local
        reader = dataclasses.replace(local.reader, database=database) if local.reader else None
        return dataclasses.replace(local, database=database, reader=reader)
    return ConnectionSettings(
        uri=target,
        user=user or env.get(USER_ENV) or NEO4J_DEFAULT_USER,
        password=env.get(PASSWORD_ENV, ""),
        database=database or env.get(DATABASE_ENV) or NEO4J_DEFAULT_DATABASE,
    )


def _scrub(text: str, settings: ConnectionSettings) -> str:
    """Remove the password from a message, should a driver ever echo it."""
    return text.replace(settings.password, "***") if settings.password else text


def open_driver(settings: ConnectionSettings, *, timeout: float = 10.0) -> neo4j.Driver:
    """Open a ``neo4j`` driver and check that it can log in and reach the database.

    Parameters
    ----------
    settings
        Where to connect and as whom.
    timeout
        Seconds to wait for a connection before giving up.

    Returns
    -------
    neo4j.Driver
        A connected driver; the caller closes it (it is a context manager). Pass
        ``database_=settings.database`` (or ``database=`` to sessions) on every query.

    Raises
    ------
    StoreError
        The URI is malformed, the server is unreachable, the login is refused or the database does
        not exist. The message names the URI, user and database, never the password.
    """
    where = settings.describe()
    scheme = settings.uri.split("://", 1)[0] if "://" in settings.uri else ""
    if scheme not in URI_SCHEMES:
        raise StoreError(
            f"invalid database URI {settings.uri!r}: expected one of {', '.join(s + '://' for s in URI_SCHEMES)}"
        )
    try:
        driver = neo4j.GraphDatabase.driver(
            settings.uri,
            auth=(settings.user, settings.password),
            connection_timeout=timeout,
        )
    except (neo4j_errors.ConfigurationError, ValueError) as exc:
        raise StoreError(f"invalid database URI {settings.uri!r}: {_scrub(str(exc), settings)}") from None
    try:
        with driver.session(database=settings.database) as session:  # auto-commit: no retries for a minute
            session.run("RETURN 1").consume()
    except neo4j_errors.AuthError:
        driver.close()
        if settings.password_from != PASSWORD_ENV:  # the local server's own login, from its password file
            raise StoreError(
                f"login refused at {where}: the server does not accept the password in {settings.password_from};"
                " restore that file, or restart the local server (`graphkit server stop`, then any command)"
            ) from None
        raise StoreError(
            f"login refused at {where}: check the user (--user or {USER_ENV}) and {PASSWORD_ENV}"
        ) from None
    except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, OSError) as exc:
        driver.close()
        raise StoreError(f"cannot reach the database at {where}: {_scrub(str(exc), settings)}") from None
    except neo4j_errors.Neo4jError as exc:
        driver.close()
        raise StoreError(f"the database at {where} refused a test query: {_scrub(str(exc), settings)}") from None
    except neo4j_errors.DriverError as exc:
        driver.close()
        raise StoreError(f"cannot use the database at {where}: {_scrub(str(exc), settings)}") from None
    return driver
