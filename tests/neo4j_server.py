"""Real Neo4j servers for graphkit's tests and benchmarks, run from Neo4j's own jars on Maven Central.

Nothing is downloaded outside the package registries and nothing is vendored: Maven resolves the
jars of ``org.neo4j:neo4j`` (the Community server) for a version (``tests/neo4j/pom.xml``), and
:class:`Neo4jServer` runs the server's own entry point from them, bound to 127.0.0.1 on a free
port, with authentication on and a generated password, its data and logs in a directory of the
caller's. The entry point's class is read from the jar's service file, since it moved between
releases (``CommunityEntryPoint`` in 5.x, ``Neo4jCommunity`` in the calendar releases).

Each Neo4j release needs its own Java: 5.26 LTS runs on Java 17, the 2025.01–2025.09 releases on
Java 21, and 2025.10 onwards on Java 25. :func:`find_java` picks the oldest JDK on the machine
that is new enough (``JAVA_HOME``, ``/usr/lib/jvm/*``, ``java`` on ``PATH``).

Run as a script, it resolves the jars of every tested version ahead of time (``make test`` does)::

    python tests/neo4j_server.py fetch [--profile gds]
    python tests/neo4j_server.py run 5.26.30        # a server in the foreground, for trying things
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path

#: The versions the suite runs on, by engine name: the LTS line, and the newest calendar release
#: that runs on the machine's newer JDK.
ENGINES: dict[str, str] = {"neo4j": "5.26.30", "neo4j-latest": "2026.08.1"}
POM = Path(__file__).resolve().parent / "neo4j" / "pom.xml"
CACHE = POM.parent / "target"
ENTRY_POINT_SERVICE = "META-INF/services/org.neo4j.server.startup.EntryPoint"
USER = "neo4j"


class Neo4jUnavailable(RuntimeError):
    """Neo4j cannot be run here: no suitable Java, no Maven, or the server did not start."""


def required_java(version: str) -> int:
    """The oldest Java major version that runs this Neo4j release.

    >>> required_java("5.26.30"), required_java("2025.06.1"), required_java("2026.08.1")
    (17, 21, 25)
    """
    major, minor = (int(part) for part in version.split(".")[:2])
    if major < 2025:
        return 17
    return 21 if (major, minor) < (2025, 10) else 25


def _java_major(java_home: Path) -> int | None:
    """The major version of the JDK or JRE in ``java_home``, from its ``release`` file."""
    release = java_home / "release"
    if not (java_home / "bin" / "java").is_file() or not release.is_file():
        return None
    found = re.search(r'^JAVA_VERSION="(\d+)', release.read_text(errors="replace"), re.M)
    return int(found.group(1)) if found else None


def find_java(major: int) -> Path:
    """The ``java`` of the oldest JDK on this machine whose major version is at least ``major``."""
    homes: list[Path] = []
    if os.environ.get("JAVA_HOME"):
        homes.append(Path(os.environ["JAVA_HOME"]))
    on_path = shutil.which("java")
    if on_path:
        homes.append(Path(os.path.realpath(on_path)).parent.parent)
    jvm = Path("/usr/lib/jvm")
    if jvm.is_dir():
        homes.extend(sorted(p for p in jvm.iterdir() if p.is_dir()))
    found = sorted({(v, str(h)) for h in homes if (v := _java_major(h)) is not None and v >= major})
    if not found:
        raise Neo4jUnavailable(f"Neo4j needs Java {major} or newer; none found in JAVA_HOME, PATH or /usr/lib/jvm")
    return Path(found[0][1]) / "bin" / "java"


def classpath(version: str, profiles: Sequence[str] = ()) -> str:
    """The server's classpath for ``version`` (with Maven ``profiles``), resolved once and cached.

    The cache (``tests/neo4j/target/``) is rebuilt when the pom is newer than it.
    """
    suffix = "".join(f"-{p}" for p in sorted(profiles))
    cached = CACHE / f"classpath-{version}{suffix}.txt"
    if cached.is_file() and cached.stat().st_mtime >= POM.stat().st_mtime and cached.stat().st_size:
        return cached.read_text().strip()
    mvn = shutil.which("mvn")
    if mvn is None:
        raise Neo4jUnavailable("Maven (mvn) is needed to fetch Neo4j's jars from Maven Central; it is not on PATH")
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(".part")
    command = [mvn, "-q", "-B", "-f", str(POM), "dependency:build-classpath"]
    command += [f"-Dneo4j.version={version}", f"-Dmdep.outputFile={partial}"]
    if profiles:
        command.append("-P" + ",".join(profiles))
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False)
    if done.returncode != 0 or not partial.is_file():
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-15:])
        raise Neo4jUnavailable(f"Maven could not resolve Neo4j {version}: {tail}")
    partial.replace(cached)
    return cached.read_text().strip()


def entry_point(cp: str, version: str) -> str:
    """The server's main class, as the ``org.neo4j:neo4j`` jar of ``cp`` declares it."""
    jar = next((p for p in cp.split(os.pathsep) if Path(p).name == f"neo4j-{version}.jar"), None)
    if jar is None:
        raise Neo4jUnavailable(f"the classpath of Neo4j {version} has no neo4j-{version}.jar")
    with zipfile.ZipFile(jar) as archive:
        lines = archive.read(ENTRY_POINT_SERVICE).decode().splitlines()
    return next(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Neo4jServer:
    """One Neo4j Community server run from Maven's jars, in a directory of its own.

    Parameters
    ----------
    version
        A Neo4j release on Maven Central, e.g. ``"5.26.30"``.
    root
        Its home: configuration, data, logs (``root/logs``: ``neo4j.log``, ``debug.log``,
        ``console.log``).
    heap, pagecache
        JVM heap and page cache sizes (``1g``, ``512m``).
    profiles
        Maven profiles of ``tests/neo4j/pom.xml`` to add, e.g. ``("gds",)``.
    config
        Extra ``neo4j.conf`` settings.
    """

    def __init__(
        self,
        version: str,
        root: Path,
        *,
        heap: str = "1g",
        pagecache: str = "256m",
        profiles: Sequence[str] = (),
        config: dict[str, str] | None = None,
    ) -> None:
        self.version = version
        self.root = Path(root)
        self.heap = heap
        self.pagecache = pagecache
        self.profiles = tuple(profiles)
        self.config = dict(config or {})
        # never starting with "-": neo4j-admin would read a password like "-x9…" as an option (1 run in 64)
        self.password = "gk" + secrets.token_urlsafe(18)
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def uri(self) -> str:
        """The server's Bolt URI."""
        return f"bolt://127.0.0.1:{self.port}"

    @property
    def logs(self) -> Path:
        """Where the server writes its logs."""
        return self.root / "logs"

    def _environment(self) -> dict[str, str]:
        return {**os.environ, "NEO4J_HOME": str(self.root), "NEO4J_CONF": str(self.root / "conf")}

    def _java(self) -> tuple[Path, str]:
        return find_java(required_java(self.version)), classpath(self.version, self.profiles)

    def _write_config(self) -> None:
        settings = {
            "server.default_listen_address": "127.0.0.1",
            "server.bolt.listen_address": f"127.0.0.1:{self.port}",
            "server.http.enabled": "false",
            "server.https.enabled": "false",
            "server.directories.data": str(self.root / "data"),
            "server.directories.logs": str(self.logs),
            "server.directories.run": str(self.root / "run"),
            "server.directories.import": str(self.root / "import"),
            "server.memory.pagecache.size": self.pagecache,
            "dbms.security.auth_enabled": "true",
            "dbms.usage_report.enabled": "false",
            "db.tx_log.rotation.retention_policy": "1 files",
            **self._plugins(),
            **self.config,
        }
        conf = self.root / "conf"
        conf.mkdir(parents=True, exist_ok=True)
        (self.root / "import").mkdir(exist_ok=True)
        self.logs.mkdir(exist_ok=True)
        (conf / "neo4j.conf").write_text("".join(f"{k}={v}\n" for k, v in settings.items()))

    def _plugins(self) -> dict[str, str]:
        """Link the jars the profiles add into ``root/plugins``, and the setting that names it.

        Neo4j registers procedures only from jars in its plugins directory, while their kernel
        extension (GDS's) must be on the classpath: the profiles' jars are in both. GDS's
        procedures also need to be unrestricted (they use the kernel's internal API).
        """
        if not self.profiles:
            return {}
        base = set(classpath(self.version).split(os.pathsep))
        plugins = self.root / "plugins"
        plugins.mkdir(parents=True, exist_ok=True)
        for jar in classpath(self.version, self.profiles).split(os.pathsep):
            link = plugins / Path(jar).name
            if jar not in base and not link.exists():
                link.symlink_to(jar)
        settings = {"server.directories.plugins": str(plugins)}
        if "gds" in self.profiles:
            settings["dbms.security.procedures.unrestricted"] = "gds.*"
        return settings

    def admin(self, *args: str, timeout: float = 1800) -> subprocess.CompletedProcess[str]:
        """Run ``neo4j-admin ARGS`` (Neo4j's own admin tool, from the same jars) on this server's home."""
        java, cp = self._java()
        command = [str(java), "-Xmx2g", "-cp", cp, "org.neo4j.cli.AdminTool", *args]
        return subprocess.run(
            command, env=self._environment(), capture_output=True, text=True, timeout=timeout, check=False
        )

    def start(self) -> None:
        """Write the configuration, set the password and launch the server (without waiting for it)."""
        java, cp = self._java()
        self.port = free_port()
        self._write_config()
        if not (self.root / "data" / "dbms").exists():
            done = self.admin("dbms", "set-initial-password", self.password, timeout=300)
            if done.returncode != 0:
                raise Neo4jUnavailable(f"neo4j-admin could not set the password: {done.stdout}{done.stderr}")
        command = [
            str(java),
            f"-Xmx{self.heap}",
            "-XX:+UseG1GC",
            "-Dfile.encoding=UTF-8",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            cp,
            entry_point(cp, self.version),
            f"--home-dir={self.root}",
            f"--config-dir={self.root / 'conf'}",
        ]
        console = (self.logs / "console.log").open("ab")
        try:
            self.process = subprocess.Popen(
                command,
                env=self._environment(),
                stdin=subprocess.DEVNULL,
                stdout=console,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            console.close()

    def _log_tail(self, lines: int = 25) -> str:
        text = ""
        for name in ("console.log", "neo4j.log"):
            path = self.logs / name
            if path.is_file():
                text += f"--- {path}\n" + "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) + "\n"
        return text

    def wait(self, timeout: float = 240) -> None:
        """Wait until the server answers a query over Bolt as ``neo4j``; raise with its logs if it cannot."""
        import neo4j

        deadline = time.monotonic() + timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                code = None if self.process is None else self.process.returncode
                raise Neo4jUnavailable(f"Neo4j {self.version} exited ({code}) before it was ready:\n{self._log_tail()}")
            try:
                with (
                    neo4j.GraphDatabase.driver(self.uri, auth=(USER, self.password), connection_timeout=2) as drv,
                    drv.session(database="neo4j") as session,  # auto-commit: no retries of its own
                ):
                    session.run("RETURN 1").consume()
                return
            except Exception as exc:  # not up yet: refused, unavailable, or the database still starting
                last = exc
                time.sleep(0.5)
        self.stop()
        raise Neo4jUnavailable(f"Neo4j {self.version} did not answer in {timeout:.0f} s ({last}):\n{self._log_tail()}")

    def stop(self, timeout: float = 60) -> None:
        """Stop the server: SIGTERM (a clean shutdown), then SIGKILL after ``timeout`` seconds."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def main(argv: Sequence[str] | None = None) -> int:
    """``fetch``: resolve the jars of every tested version; ``run VERSION``: a server in the foreground."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    fetch = sub.add_parser("fetch", help="resolve the Neo4j jars of every tested version from Maven Central")
    fetch.add_argument("--profile", action="append", default=[], help="a Maven profile to add (e.g. gds)")
    run = sub.add_parser("run", help="run one server in the foreground until Ctrl-C")
    run.add_argument("version", nargs="?", default=ENGINES["neo4j"])
    run.add_argument("--profile", action="append", default=[])
    args = parser.parse_args(argv)
    try:
        if args.command == "fetch":
            for version in ENGINES.values():
                for profiles in ([], args.profile) if args.profile else ([],):
                    classpath(version, profiles)
                    java = find_java(required_java(version))
                    print(f"Neo4j {version} {' '.join(profiles)}: jars resolved; runs on {java}")
            return 0
        with tempfile.TemporaryDirectory(prefix="neo4j-") as home:
            server = Neo4jServer(args.version, Path(home), profiles=args.profile)
            server.start()
            server.wait()
            print(f"Neo4j {args.version} at {server.uri}, user {USER}, password {server.password}; Ctrl-C stops it")
            try:
                while server.process is not None and server.process.poll() is None:
                    time.sleep(1)
            except KeyboardInterrupt:
                pass
            finally:
                server.stop()
        return 0
    except Neo4jUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
