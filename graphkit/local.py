"""The local default database: an ArcadeDB server speaking Bolt, started and stopped by graphkit.

Neo4j cannot be installed from the package registries, so the zero-config default is the ArcadeDB
server bundled by the ``arcadedb-embedded`` wheel (its own JRE and jars) with its Bolt plugin: the
official ``neo4j`` driver talks to it exactly as to Neo4j. It runs as a separate JVM process that
graphkit controls, so it outlives the command that started it (``graphkit server start``) and keeps
Java out of the Python process.

Everything lives in one data directory, the *home*: ``GRAPHKIT_HOME`` or an argument if given,
else the nearest ``.graphkit`` directory in the current directory or its parents (as git finds
``.git``), else a new ``./.graphkit``. The home is kept private (0700, its files 0600)::

    password        generated root password
    reader-password generated password of ``reader``, the login that may only read
    server.args     JVM argument file holding the passwords, so they are not in `ps`
    server.json     state of the running server: pid, ports, readiness
    server.lock     lock taken by start/stop so that concurrent starts do not race
    logs/server.log the server's output
    arcadedb/       the server's root (config, users, event log)
    databases/      the data; database ``graphkit`` is created on first start

Read-only commands connect as ``reader``, whose group may read records and nothing else: the
server itself refuses every write, schema change and security command they might smuggle in.

Every listener binds to 127.0.0.1 on ports chosen free at start. Should ``server.json`` be lost
or damaged while the server runs, the server is found again by its command line.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.util
import json
import logging
import os
import re
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from graphkit import _lazy

if TYPE_CHECKING:
    import neo4j
    from neo4j import exceptions as neo4j_errors
else:  # imported when first used: the CLI starts without the driver
    neo4j = _lazy.module("neo4j")
    neo4j_errors = _lazy.module("neo4j.exceptions")

from graphkit.errors import ServerError
from graphkit.settings import ConnectionSettings

HOME_ENV = "GRAPHKIT_HOME"
#: The JVM's collector. A load is one transaction, whose records stay live until it commits
#: (about 3 GB for GTD-scale data): G1's young collections copied that growing set again and again
#: (11 s of pauses in a 73 s load of 206k nodes and 378k relations); the throughput collector,
#: promoting what survives one collection at once, paused 5.8 s and loaded it in 49 s.
GC_OPTIONS = ("-XX:+UseParallelGC", "-XX:MaxTenuringThreshold=0")
HEAP_ENV = "GRAPHKIT_SERVER_HEAP"


def default_heap() -> str:
    """A quarter of the machine's memory, between 1g and 16g.

    A load is one transaction, so the server must hold the whole load in memory: about 8 GB for
    GTD-scale data (200k attacks). The heap is a ceiling; the JVM takes memory only as it needs it.
    """
    try:
        total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return "1g"
    return f"{max(1, min(16, total // 4 // 2**30))}g"


DATABASE = "graphkit"
ROOT_USER = "root"
READER_USER = "reader"
#: The group of ``reader`` in ``server-groups.json``: read records of every type, nothing else
#: (no schema, security or settings rights). Rewritten at every start, so it cannot drift.
READER_GROUP: dict[str, object] = {
    "resultSetLimit": -1,
    "readTimeout": -1,
    "access": [],
    "types": {"*": {"access": ["readRecord"]}},
}
#: The groups ArcadeDB writes on its first start, used when graphkit writes the file first.
_DEFAULT_GROUPS: dict[str, object] = {
    "admin": {
        "resultSetLimit": -1,
        "readTimeout": -1,
        "access": ["updateSecurity", "updateSchema", "updateDatabaseSettings"],
        "types": {"*": {"access": ["createRecord", "readRecord", "updateRecord", "deleteRecord"]}},
    },
    "*": {"resultSetLimit": -1, "readTimeout": -1, "access": [], "types": {"*": {"access": []}}},
}
#: What the home holds; only these are tightened (a home may be a directory that holds more).
_HOME_ENTRIES = ("password", "reader-password", "server.args", "server.json", "server.tmp", "server.lock")
_HOME_TREES = ("logs", "arcadedb", "databases")
_PASSWORD = re.compile(r"[A-Za-z0-9_-]{16,}")
HOST = "127.0.0.1"
MAIN_CLASS = "com.arcadedb.server.ArcadeDBServer"
MIN_FREE_BYTES = 100 * 1024 * 1024
MAX_LOG_BYTES = 5 * 1024 * 1024
LOG_TAIL_LINES = 15

log = logging.getLogger(__name__)

# Servers started by this process, by pid: polling them reaps them, so a stopped server
# never lingers as a zombie of a long-lived parent (a test session, a notebook).
_children: dict[int, subprocess.Popen[bytes]] = {}


def default_home(start: str | Path | None = None) -> Path:
    """Return the data directory: ``GRAPHKIT_HOME`` if set, else the nearest existing ``.graphkit``.

    The nearest ``.graphkit`` directory in ``start`` (default: the current directory) or one of
    its parents, as git finds ``.git``, so that a command run in a project's subdirectory uses the
    project's database; with none, ``.graphkit`` in ``start`` (created when the server starts).
    """
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser()
    here = Path(start if start is not None else Path.cwd()).absolute()
    for directory in (here, *here.parents):
        if (directory / ".graphkit").is_dir():
            return directory / ".graphkit"
    return here / ".graphkit"


def bundled_runtime() -> tuple[Path, Path]:
    """Return the ``java`` executable and the jar directory shipped in the ``arcadedb-embedded`` wheel.

    Found without importing the package, which would pull JPype into this process.
    """
    spec = importlib.util.find_spec("arcadedb_embedded")
    if spec is None or not spec.submodule_search_locations:
        raise ServerError("the package arcadedb-embedded is not installed: pip install arcadedb-embedded")
    package = Path(next(iter(spec.submodule_search_locations)))
    return package / "jre" / "bin" / "java", package / "jars"


def _free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _port_taken(port: int) -> bool:
    """Return whether ``port`` on 127.0.0.1 cannot be bound."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            return True
    return False


def _pid_alive(pid: int) -> bool:
    """Return whether process ``pid`` exists and is not a zombie (reaping it if it is our child)."""
    child = _children.get(pid)
    if child is not None:
        if child.poll() is None:
            return True
        del _children[pid]
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    with contextlib.suppress(OSError):
        # state is the field after the parenthesised command name
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return True


def _ps(*args: str) -> list[tuple[int, list[str]]]:
    """Processes as ``(pid, arguments)`` from ``ps`` (arguments split on blanks), where /proc is missing."""
    try:
        out = subprocess.run(["ps", *args, "-o", "pid=,command="], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    rows = []
    for line in out.splitlines():
        pid, _, command = line.strip().partition(" ")
        if pid.isdigit():
            rows.append((int(pid), command.split()))
    return rows


def _cmdline(pid: int) -> list[str] | None:
    """Return the arguments of process ``pid``, or ``None`` if they cannot be read (or it is gone)."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        if Path("/proc/self").exists():
            return None  # /proc works: the process is gone
    except OSError:
        pass
    else:
        return [arg.decode(errors="replace") for arg in raw.split(b"\0")[:-1]]
    rows = _ps("-p", str(pid))
    return rows[0][1] if rows else None


def _processes() -> Iterator[tuple[int, list[str]]]:
    """Every process this user can see, as ``(pid, arguments)``."""
    proc = Path("/proc")
    if not (proc / "self").exists():
        yield from _ps("-ax", "-ww")
        return
    for entry in proc.iterdir():
        if entry.name.isdigit():
            args = _cmdline(int(entry.name))
            if args:
                yield int(entry.name), args


def _option(args: list[str], name: str) -> str | None:
    """The value of ``-Darcadedb.NAME=value`` in a server's arguments, or ``None``."""
    prefix = f"-Darcadedb.{name}="
    return next((arg[len(prefix) :] for arg in args if arg.startswith(prefix)), None)


def _is_server_of(args: list[str], root: Path) -> bool:
    """Return whether ``args`` are those of an ArcadeDB server whose root directory is ``root``."""
    return MAIN_CLASS in args and _option(args, "server.rootPath") == str(root)


@dataclass(frozen=True)
class ServerState:
    """What ``server.json`` records about a started server."""

    pid: int
    bolt_port: int
    http_port: int
    https_port: int
    started_at: float
    ready: bool


@dataclass(frozen=True)
class ServerStatus:
    """What ``status()`` reports. Never holds the password."""

    home: Path
    running: bool
    pid: int | None = None
    uri: str | None = None
    http_port: int | None = None
    database: str = DATABASE
    user: str = ROOT_USER
    healthy: bool | None = None
    started_at: float | None = None
    stale_pid: int | None = None
    stale_reason: str | None = None
    recovered: bool = False

    def lines(self) -> list[str]:
        """Return a human-readable report, one fact per line."""
        out = [f"home:     {self.home}"]
        if not self.running:
            out.append("status:   stopped")
            if self.stale_pid is not None:
                out.append(
                    f"note:     stale state file of process {self.stale_pid} ({self.stale_reason or 'gone'});"
                    " the next start cleans it"
                )
            return out
        health = {True: "answering", False: "NOT answering", None: "not checked"}[self.healthy]
        started = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.started_at or 0))
        out += [
            f"status:   running (pid {self.pid}, since {started}, Bolt {health})",
            f"uri:      {self.uri}",
            f"database: {self.database}",
            f"user:     {self.user}",
            f"password: in {self.home / 'password'} (readable only by you)",
            f"reader:   user {READER_USER!r}, password in {self.home / 'reader-password'} (read-only commands use it)",
            f"http:     http://{HOST}:{self.http_port}",
            f"log:      {self.home / 'logs' / 'server.log'}",
        ]
        if self.recovered:
            out.append("note:     the state file was missing or unreadable: the server was found by its process")
        return out


class LocalServer:
    """The local ArcadeDB server of one data directory.

    Parameters
    ----------
    home
        Data directory (default :func:`default_home`).
    java
        Java executable (default: the JRE bundled in ``arcadedb-embedded``).
    heap
        JVM maximum heap, e.g. ``"1g"`` (default ``GRAPHKIT_SERVER_HEAP`` or :func:`default_heap`).
    bolt_port, http_port
        Fixed ports; by default free ports are chosen at each start.
    """

    def __init__(
        self,
        home: str | Path | None = None,
        *,
        java: str | Path | None = None,
        heap: str | None = None,
        bolt_port: int | None = None,
        http_port: int | None = None,
    ) -> None:
        self.home = (Path(home).expanduser() if home is not None else default_home()).resolve()
        #: Whether the home existed when this object was made (a start in a new home says so).
        self.existed = self.home.is_dir()
        self._java = Path(java) if java is not None else None
        self.heap = heap or os.environ.get(HEAP_ENV) or default_heap()
        if not re.fullmatch(r"[1-9][0-9]*[kKmMgG]?", self.heap):
            raise ServerError(f"invalid server heap size {self.heap!r} (from {HEAP_ENV} or heap=): use e.g. 512m or 2g")
        self.bolt_port = bolt_port
        self.http_port = http_port

    # -- paths -----------------------------------------------------------------------------------

    @property
    def password_file(self) -> Path:
        """The file holding the generated root password (mode 0600)."""
        return self.home / "password"

    @property
    def reader_password_file(self) -> Path:
        """The file holding the generated password of the read-only ``reader`` login (mode 0600)."""
        return self.home / "reader-password"

    @property
    def state_file(self) -> Path:
        """The file describing the running server (pid, ports)."""
        return self.home / "server.json"

    @property
    def log_file(self) -> Path:
        """The server's output."""
        return self.home / "logs" / "server.log"

    @property
    def _args_file(self) -> Path:
        return self.home / "server.args"

    @property
    def _lock_file(self) -> Path:
        return self.home / "server.lock"

    @property
    def _root(self) -> Path:
        return self.home / "arcadedb"

    @property
    def _config(self) -> Path:
        return self._root / "config"

    # -- public API ------------------------------------------------------------------------------

    def is_running(self) -> bool:
        """Return whether this data directory's server process is alive."""
        return self._live_state() is not None

    def status(self, *, check: bool = True) -> ServerStatus:
        """Describe the server; with ``check``, also ask it ``RETURN 1`` over Bolt."""
        state = self._read_state()
        recovered = False
        if state is None or not self._owns(state.pid):
            found = self._recover_state()
            if found is None:
                if state is None:
                    return ServerStatus(self.home, running=False)
                return ServerStatus(
                    self.home, running=False, stale_pid=state.pid, stale_reason=self._why_not_ours(state.pid)
                )
            state, recovered = found, True
        healthy = self._answers(self._settings_for(state), 3.0) if check else None
        return ServerStatus(
            self.home,
            running=True,
            pid=state.pid,
            uri=self._uri(state),
            http_port=state.http_port,
            healthy=healthy,
            started_at=state.started_at,
            recovered=recovered,
        )

    def settings(self) -> ConnectionSettings:
        """Return the connection settings of the running server.

        Raises
        ------
        ServerError
            The server is not running.
        """
        state = self._live_state()
        if state is None:
            raise ServerError(f"the local server of {self.home} is not running: start it with `graphkit server start`")
        return self._settings_for(state)

    def start(self, timeout: float = 60.0) -> ConnectionSettings:
        """Start the server unless it runs already, and return its settings once it answers.

        Parameters
        ----------
        timeout
            Seconds to wait for the server to answer ``RETURN 1`` on database ``graphkit``.

        Raises
        ------
        ServerError
            With the reason: a port in use, Java missing or unusable, the data directory not
            writable or the disk full, or no answer within ``timeout`` (with the log's last lines).
        """
        self._prepare_home()
        with self._locked(timeout + 30):
            state = self._read_state()
            if state is None or not self._owns(state.pid):
                found = self._recover_state()
                if found is not None:
                    log.warning(
                        "the state file %s was missing or stale: found the running server (pid %s) by its process",
                        self.state_file,
                        found.pid,
                    )
                    self._write_state(found)
                    state = found
            if state is not None:
                if self._owns(state.pid):
                    settings = self._settings_for(state)
                    if state.ready or self._answers(settings, timeout):
                        self._write_state(ServerState(**{**asdict(state), "ready": True}))
                        return settings
                    log.warning("server pid %s of %s does not answer: restarting it", state.pid, self.home)
                    self._terminate(state.pid, 10.0)
                else:
                    log.info("removing stale state of server pid %s in %s", state.pid, self.home)
                self.state_file.unlink(missing_ok=True)
            attempts = 1 if self.bolt_port or self.http_port else 3
            for attempt in range(1, attempts + 1):
                try:
                    return self._launch(timeout)
                except _PortClash:
                    if attempt == attempts:
                        raise ServerError(
                            f"could not start the local server of {self.home}: a port was taken while it started"
                            f"\n{self._log_tail()}"
                        ) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def stop(self, timeout: float = 20.0) -> bool:
        """Stop the server: SIGTERM, then SIGKILL after ``timeout`` seconds; remove its state.

        Returns
        -------
        bool
            Whether a running server was stopped (``False`` if none ran).
        """
        if not self.home.is_dir():
            return False
        with self._locked(timeout + 30):
            state = self._read_state()
            if state is None or not self._owns(state.pid):
                state = self._recover_state() or state
            if state is None:
                return False
            stopped = False
            if self._owns(state.pid):
                self._terminate(state.pid, timeout)
                stopped = True
            self.state_file.unlink(missing_ok=True)
            return stopped

    # -- internals -------------------------------------------------------------------------------

    def _uri(self, state: ServerState) -> str:
        return f"bolt://{HOST}:{state.bolt_port}"

    def _settings_for(self, state: ServerState) -> ConnectionSettings:
        """Root's settings for the server ``state`` describes, with ``reader``'s attached as ``reader``.

        A server started before graphkit made a reader login has no ``reader-password`` file: its
        settings carry no reader, and read-only commands say to restart it.
        """
        try:
            password = self.password_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ServerError(f"cannot read the local server's password file {self.password_file}: {exc}") from None
        reader = None
        with contextlib.suppress(FileNotFoundError):
            reader = ConnectionSettings(
                self._uri(state),
                READER_USER,
                self._read_secret(self.reader_password_file),
                DATABASE,
                password_from=str(self.reader_password_file),
                home=self.home,
            )
        return ConnectionSettings(
            self._uri(state),
            ROOT_USER,
            password,
            DATABASE,
            password_from=str(self.password_file),
            reader=reader,
            home=self.home,
        )

    def _read_secret(self, path: Path) -> str:
        """Read a generated password file, refusing one that is empty or was edited into something else."""
        try:
            secret = path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            raise
        except (OSError, UnicodeDecodeError) as exc:
            raise ServerError(f"cannot read the local server's password file {path}: {exc}") from None
        if not _PASSWORD.fullmatch(secret):
            raise ServerError(
                f"the password file {path} does not hold a password graphkit generated (16 or more of A-Z a-z 0-9 _ -):"
                f" delete it and restart the local server (`graphkit server stop`, then any command) to make a new one"
            )
        return secret

    def _read_state(self) -> ServerState | None:
        try:
            data = json.loads(self.state_file.read_text(encoding="utf-8"))
            return ServerState(**data)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError) as exc:
            log.warning("ignoring unreadable state file %s: %s", self.state_file, exc)
            return None

    def _write_state(self, state: ServerState) -> None:
        tmp = self.state_file.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(asdict(state), indent=2) + "\n")
        tmp.replace(self.state_file)

    def _owns(self, pid: int) -> bool:
        """Return whether ``pid`` is alive and is this directory's server (not a reused pid).

        A process whose arguments cannot be read at all (neither /proc nor ``ps``) is taken to be
        the server, as before graphkit could tell.
        """
        if not _pid_alive(pid):
            return False
        args = _cmdline(pid)
        return args is None or _is_server_of(args, self._root)

    def _why_not_ours(self, pid: int) -> str:
        """Why the server a state file names is not running: gone, or its pid now another program's."""
        if not _pid_alive(pid):
            return "gone"
        args = _cmdline(pid) or ["?"]
        return f"pid now used by another program, {Path(args[0]).name}: left alone"

    def _recover_state(self) -> ServerState | None:
        """The state of a running server of this home found by its command line, or ``None``.

        This is how a server whose ``server.json`` was deleted or damaged is found again: its
        arguments name this home's root directory and its ports.

        Raises
        ------
        ServerError
            Several servers of this home run (the pids to stop are named), or one runs whose
            ports cannot be read from its arguments.
        """
        found = [(pid, args) for pid, args in _processes() if _is_server_of(args, self._root) and _pid_alive(pid)]
        if not found:
            return None
        pids = ", ".join(str(pid) for pid, _ in found)
        if len(found) > 1:
            raise ServerError(
                f"several servers of {self.home} run (pids {pids}) and its state file {self.state_file} names none"
                f" of them: stop them (kill {pids.replace(',', '')}), then start again"
            )
        pid, args = found[0]
        ports = [_option(args, key) for key in ("bolt.port", "server.httpIncomingPort", "server.httpsIncomingPort")]
        if not all(p and p.isdigit() for p in ports):
            raise ServerError(
                f"a server of {self.home} runs as pid {pid} but its ports cannot be read and {self.state_file} is"
                f" missing or unreadable: stop it (kill {pid}), then start again"
            )
        bolt, http, https = (int(p) for p in ports if p)
        started = time.time()
        with contextlib.suppress(OSError):
            started = Path(f"/proc/{pid}").stat().st_mtime  # when the process began, on Linux
        return ServerState(pid, bolt, http, https, started, ready=False)

    def _live_state(self) -> ServerState | None:
        state = self._read_state()
        if state is not None and self._owns(state.pid):
            return state
        return self._recover_state()

    @contextlib.contextmanager
    def _locked(self, timeout: float) -> Iterator[None]:
        """Hold the data directory's lock file, waiting up to ``timeout`` seconds for it."""
        fd = os.open(self._lock_file, os.O_RDWR | os.O_CREAT, 0o600)
        with os.fdopen(fd, "r+b") as handle:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise ServerError(
                            f"another graphkit process is starting or stopping the server of {self.home}"
                            f" (lock {self._lock_file} held for {timeout:.0f} s)"
                        ) from None
                    time.sleep(0.1)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _prepare_home(self) -> None:
        """Create the data directory, make it private, and check it is writable with room to spare."""
        try:
            self.home.mkdir(mode=0o700, parents=True, exist_ok=True)
            self.log_file.parent.mkdir(mode=0o700, exist_ok=True)
            self._root.mkdir(mode=0o700, exist_ok=True)
            (self.home / "databases").mkdir(mode=0o700, exist_ok=True)
            self._tighten()
            fd, probe = tempfile.mkstemp(prefix=".write-test-", dir=self.home)
            os.close(fd)
            os.unlink(probe)
        except OSError as exc:
            raise ServerError(f"cannot use the data directory {self.home}: {exc.strerror or exc}") from None
        free = shutil.disk_usage(self.home).free
        if free < MIN_FREE_BYTES:
            raise ServerError(
                f"not enough free disk space for the local server in {self.home}: "
                f"{free // 2**20} MiB free, at least {MIN_FREE_BYTES // 2**20} MiB needed"
            )

    def _tighten(self) -> None:
        """Make the home 0700 and what graphkit keeps in it private: directories 0700, files 0600.

        A home made by an older graphkit, by hand or under a loose umask may be readable by
        others; only graphkit's own entries are changed, since a home may hold other things.
        """

        def private(path: Path, mode: int) -> None:
            with contextlib.suppress(FileNotFoundError, PermissionError):
                info = path.lstat()
                if not stat.S_ISLNK(info.st_mode) and stat.S_IMODE(info.st_mode) & 0o077:
                    path.chmod(stat.S_IMODE(info.st_mode) & ~0o077 | mode)

        private(self.home, 0o700)
        for name in _HOME_ENTRIES:
            private(self.home / name, 0o600)
        for name in _HOME_TREES:
            tree = self.home / name
            private(tree, 0o700)
            for top, dirs, files in os.walk(tree):
                for d in dirs:
                    private(Path(top) / d, 0o700)
                for f in files:
                    private(Path(top) / f, 0o600)

    def _password(self) -> str:
        """Return the root password, generating it (mode 0600) on first start."""
        if self.password_file.exists():
            return self._read_secret(self.password_file)
        if (self._config / "server-users.jsonl").exists():
            raise ServerError(
                f"the password file {self.password_file} is missing but the server's users exist: restore the file,"
                f" or delete {self._config / 'server-users.jsonl'} to set a new root password"
            )
        return _new_secret(self.password_file)

    def _prepare_reader(self) -> str:
        """Set up the read-only login before a start, and return its password.

        The ``reader`` group is written into ``server-groups.json`` (made with ArcadeDB's default
        groups if it does not exist yet, as in a new home), and any earlier ``reader`` user is
        removed from ``server-users.jsonl``, so that the server makes it again, with the password
        in ``reader-password`` (generated if missing) and only the ``reader`` group. A home made
        before graphkit had a reader gets one at its next start.
        """
        try:
            password = self._read_secret(self.reader_password_file)
        except FileNotFoundError:
            password = _new_secret(self.reader_password_file)
        groups_file = self._config / "server-groups.json"
        try:
            config = json.loads(groups_file.read_text(encoding="utf-8")) if groups_file.exists() else None
            if config is None:
                config = {"databases": {"*": {"groups": dict(_DEFAULT_GROUPS)}}, "version": 2}
            config["databases"]["*"]["groups"][READER_USER] = READER_GROUP
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise ServerError(
                f"cannot set up the read-only login in {groups_file}: {exc} (repair the file, or delete it to"
                " get ArcadeDB's default groups back)"
            ) from None
        users_file = self._config / "server-users.jsonl"
        users = users_file.read_text(encoding="utf-8").splitlines() if users_file.exists() else []
        kept = [line for line in users if not _is_user(line, READER_USER)]
        self._config.mkdir(mode=0o700, parents=True, exist_ok=True)
        _write_private(groups_file, json.dumps(config, indent=2) + "\n")
        if kept != users:
            _write_private(users_file, "".join(line + "\n" for line in kept))
        return password

    def _java_path(self) -> tuple[Path, Path]:
        java, jars = bundled_runtime()
        if self._java is not None:
            java = self._java
        if not java.is_file():
            raise ServerError(
                f"Java runtime not found at {java}: graphkit uses the JRE bundled in the arcadedb-embedded package;"
                " reinstall it with `pip install --force-reinstall arcadedb-embedded`"
            )
        if not os.access(java, os.X_OK):
            raise ServerError(f"Java runtime at {java} is not executable (check its permissions)")
        if not any(jars.glob("arcadedb-server-*.jar")):
            raise ServerError(f"ArcadeDB jars not found in {jars}: reinstall the arcadedb-embedded package")
        return java, jars

    def _command(self, java: Path, jars: Path, bolt: int, http: int, https: int) -> list[str]:
        root = self._root
        settings = {
            "server.rootPath": root,
            "server.databaseDirectory": self.home / "databases",
            "server.mode": "development",
            "server.httpIncomingHost": HOST,
            "server.httpIncomingPort": http,
            "server.httpsIncomingPort": https,
            "ssl.enabled": "false",
            "server.plugins": "Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
            "bolt.host": HOST,
            "bolt.port": bolt,
        }
        return [
            str(java),
            f"-Xmx{self.heap}",
            *GC_OPTIONS,
            "-XX:+ExitOnOutOfMemoryError",
            "-cp",
            str(jars / "*"),
            f"@{self._args_file}",  # the passwords, kept out of the process list
            *(f"-Darcadedb.{key}={value}" for key, value in settings.items()),
            MAIN_CLASS,
        ]

    def _open_log(self) -> int:
        """Open the log for appending (rotating a large one) and return its descriptor."""
        with contextlib.suppress(OSError):
            if self.log_file.stat().st_size > MAX_LOG_BYTES:
                self.log_file.replace(self.log_file.with_suffix(".log.1"))
        fd = os.open(self.log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.write(fd, f"\n==== graphkit: starting the local server at {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode())
        return fd

    def _launch(self, timeout: float) -> ConnectionSettings:
        java, jars = self._java_path()
        password = self._password()
        reader = self._prepare_reader()
        # users are separated by commas inside the brackets; the passwords hold only [A-Za-z0-9_-]
        databases = f"{DATABASE}[{ROOT_USER},{READER_USER}:{reader}:{READER_USER}]"
        _write_private(
            self._args_file,
            f'"-Darcadedb.server.rootPassword={password}"\n"-Darcadedb.server.defaultDatabases={databases}"\n',
        )
        for port in (self.bolt_port, self.http_port):
            if port and _port_taken(port):
                raise ServerError(f"port {port} on {HOST} is already in use: choose another or stop what uses it")
        bolt = self.bolt_port or _free_port()
        http = self.http_port or _free_port()
        https = _free_port()
        if len({bolt, http, https}) < 3:
            raise _PortClash
        command = self._command(java, jars, bolt, http, https)
        log_fd = self._open_log()
        log_start = os.fstat(log_fd).st_size
        try:
            proc = subprocess.Popen(
                command,
                cwd=self._root,  # its java.util.logging files go to ./log
                stdin=subprocess.DEVNULL,
                stdout=log_fd,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # not killed by the terminal's ^C; outlives the CLI
                umask=0o077,  # the database files it makes are the user's alone
            )
        except OSError as exc:
            raise ServerError(f"cannot run Java at {java}: {exc.strerror or exc}") from None
        finally:
            os.close(log_fd)
        _children[proc.pid] = proc
        state = ServerState(proc.pid, bolt, http, https, time.time(), ready=False)
        self._write_state(state)
        settings = self._settings_for(state)
        try:
            self._wait_ready(proc, settings, timeout, log_start)
        except BaseException:
            self._terminate(proc.pid, 5.0)
            self.state_file.unlink(missing_ok=True)
            raise
        self._write_state(ServerState(**{**asdict(state), "ready": True}))
        log.info("local server of %s started: pid %s, %s", self.home, proc.pid, settings.uri)
        return settings

    def _wait_ready(
        self, proc: subprocess.Popen[bytes], settings: ConnectionSettings, timeout: float, log_start: int
    ) -> None:
        """Poll ``RETURN 1`` until it answers; raise a classified error if the start fails or time runs out.

        A failed start does not always end the JVM (a plugin that cannot bind its port leaves
        non-daemon threads behind), so the new part of the log is watched as well.
        """
        deadline = time.monotonic() + timeout
        with _health_driver(settings, 5.0) as driver:
            while True:
                text = self._read_log(log_start)
                if proc.poll() is not None or any(sign in text for sign in _FATAL_SIGNS):
                    raise self._startup_failure(proc.poll(), text, log_start)
                reader_refused = False
                try:
                    _ping(driver, settings)
                    if settings.reader is not None:
                        _ping_reader(settings.reader)
                    return
                except neo4j_errors.AuthError:
                    raise ServerError(
                        f"the local server of {self.home} refused the password in {self.password_file}:"
                        " restore the original file, or delete the server's users file to set a new one"
                    ) from None
                except _ReaderRefused:
                    reader_refused = True
                except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError):
                    pass  # not listening yet, or database not created yet
                if time.monotonic() > deadline and reader_refused:
                    raise ServerError(
                        f"the local server of {self.home} refused its read-only login from {self.reader_password_file}:"
                        " stop it (`graphkit server stop`) and start it again, which makes the login anew"
                    )
                if time.monotonic() > deadline:
                    raise ServerError(
                        f"the local server of {self.home} did not answer within {timeout:.0f} s"
                        f" (raise the timeout, or see the log)\n{self._log_tail(log_start)}"
                    )
                time.sleep(0.2)

    def _startup_failure(self, code: int | None, text: str, log_start: int) -> Exception:
        """Turn a failed start into the error that names its cause."""
        tail = self._log_tail(log_start)
        if any(sign in text for sign in _PORT_SIGNS):
            if not (self.bolt_port or self.http_port):
                return _PortClash()
            return ServerError(f"the local server could not listen on its ports on {HOST}: already in use\n{tail}")
        if "UnsupportedClassVersionError" in text:
            return ServerError(
                "the Java runtime is too old for ArcadeDB (it needs Java 21 or newer); graphkit uses the JRE"
                f" bundled in arcadedb-embedded unless told otherwise\n{tail}"
            )
        if "No space left on device" in text:
            return ServerError(f"the disk holding {self.home} is full\n{tail}")
        if "AccessDeniedException" in text or "Permission denied" in text:
            return ServerError(f"the local server cannot write in {self.home}: permission denied\n{tail}")
        status = "failed to start" if code is None else f"exited during start-up (exit code {code})"
        return ServerError(f"the local server of {self.home} {status}\n{tail}")

    def _read_log(self, start: int = 0) -> str:
        try:
            with open(self.log_file, "rb") as handle:
                handle.seek(start)
                text = handle.read().decode(errors="replace")
        except OSError:
            return ""
        for secret_file in (self.password_file, self.reader_password_file):
            with contextlib.suppress(OSError):
                secret = secret_file.read_text().strip()
                if secret:
                    text = text.replace(secret, "***")
        return text

    def _log_tail(self, start: int = 0) -> str:
        lines = self._read_log(start).strip().splitlines()[-LOG_TAIL_LINES:]
        body = "\n".join(f"  | {line}" for line in lines) if lines else "  | (empty)"
        return f"last lines of {self.log_file}:\n{body}"

    def _answers(self, settings: ConnectionSettings, timeout: float) -> bool:
        """Return whether the server answers ``RETURN 1`` within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with _health_driver(settings, min(timeout, 3.0)) as driver:
            while True:
                try:
                    _ping(driver, settings)
                    return True
                except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError):
                    if time.monotonic() > deadline:
                        return False
                time.sleep(0.2)

    def _terminate(self, pid: int, timeout: float) -> None:
        """Stop ``pid`` gracefully (SIGTERM runs ArcadeDB's shutdown hook), then kill its process group."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while _pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _pid_alive(pid):
            log.warning("server pid %s ignored SIGTERM for %.0f s: killing it", pid, timeout)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + 10.0
            while _pid_alive(pid) and time.monotonic() < deadline:
                time.sleep(0.05)


def _health_driver(settings: ConnectionSettings, timeout: float) -> neo4j.Driver:
    """Open a driver whose every wait is bounded: a foreign listener on our port must not hang it for a minute."""
    return neo4j.GraphDatabase.driver(
        settings.uri,
        auth=(settings.user, settings.password),
        connection_timeout=timeout,
        connection_acquisition_timeout=timeout,
    )


def _ping(driver: neo4j.Driver, settings: ConnectionSettings) -> None:
    """Run ``RETURN 1`` once, without the driver's retries (the callers poll on their own clock)."""
    with driver.session(database=settings.database) as session:
        session.run("RETURN 1").consume()


def _ping_reader(reader: ConnectionSettings) -> None:
    """Run ``RETURN 1`` as the read-only login; raise ``_ReaderRefused`` if the server refuses it."""
    with _health_driver(reader, 5.0) as driver:
        try:
            _ping(driver, reader)
        except neo4j_errors.AuthError:
            raise _ReaderRefused from None


# Log lines that mean the start failed even if the JVM lingers, and those that mean a port was taken.
_PORT_SIGNS = ("Address already in use", "BindException", "Unable to listen")
_FATAL_SIGNS = (*_PORT_SIGNS, 'Exception in thread "main"', "Error occurred during initialization of VM")


class _PortClash(Exception):
    """An automatically chosen port was taken between choosing it and binding it: retry."""


class _ReaderRefused(Exception):
    """The server does not (yet) accept the read-only login."""


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable by the user alone (mode 0600), replacing it whole."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    tmp.replace(path)


def _new_secret(path: Path) -> str:
    """Generate a password into the new file ``path`` (mode 0600) and return it."""
    secret = secrets.token_urlsafe(24)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secret + "\n")
    return secret


def _is_user(line: str, name: str) -> bool:
    """Return whether a line of ``server-users.jsonl`` describes the user ``name``."""
    try:
        record = json.loads(line)
    except ValueError:
        return False
    return isinstance(record, dict) and record.get("name") == name


def ensure_running(home: str | Path | None = None, timeout: float = 60.0) -> ConnectionSettings:
    """Return the local server's settings, starting it first (waiting up to ``timeout`` s) if it is not running.

    Used by the commands that need a database when no URI is configured. An implicit start says
    which home it starts, and when that home is new, that it is empty and how to choose another.
    """
    server = LocalServer(home)
    state = server._live_state()
    if state is not None and state.ready:
        return server._settings_for(state)
    if server.existed:
        log.warning("starting the local database server of %s", server.home)
    else:
        log.warning(
            "no local database in %s or its parents: starting a new, empty one in %s (set %s to use another)",
            server.home.parent,
            server.home,
            HOME_ENV,
        )
    return server.start(timeout=timeout)


def reader_for(uri: str) -> ConnectionSettings | None:
    """The read-only login of the graphkit-managed server that listens at ``uri``, or ``None``.

    For settings that name a local server by its URI only (``--uri``, ``NEO4J_URI``): the server
    is found among this user's processes by its Bolt port, and its home by its root directory.
    ``None`` when no such server runs, it is not on this machine, or it has no reader login.
    """
    parsed = urllib.parse.urlsplit(uri)
    try:
        port = parsed.port
    except ValueError:
        return None
    if parsed.hostname not in ("127.0.0.1", "localhost", "::1") or port is None:
        return None
    for pid, args in _processes():
        root = _option(args, "server.rootPath")
        if MAIN_CLASS not in args or _option(args, "bolt.port") != str(port) or root is None:
            continue
        server = LocalServer(Path(root).parent)
        if not _is_server_of(args, server._root) or not _pid_alive(pid):
            continue
        try:
            password = server._read_secret(server.reader_password_file)
        except (FileNotFoundError, PermissionError, ServerError):
            return None
        return ConnectionSettings(
            uri, READER_USER, password, DATABASE, password_from=str(server.reader_password_file), home=server.home
        )
    return None
