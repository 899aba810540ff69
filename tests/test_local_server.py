"""The local server's lifecycle and the connection settings, against real JVM servers.

Starting a JVM takes about two seconds, so the lifecycle tests share one data directory
(``home``) and each brings the server to the state it needs.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import re
import shutil
import socket
import stat
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from graphkit import cypher, store
from graphkit.cli import main
from graphkit.cli.options import connection_options
from graphkit.cli.server import server as server_group
from graphkit.connection import ConnectionSettings, open_driver, resolve_settings
from graphkit.errors import GraphkitError, ServerError, StoreError
from graphkit.local import LocalServer, default_home, ensure_running

NEO4J_VARS = ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE", "GRAPHKIT_HOME")


def _gone(pid: int) -> bool:
    """Return whether no process (not even a zombie) has this pid."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _listen_addresses(pid: int) -> set[tuple[str, int]]:
    """Return the (address, port) pairs process ``pid`` listens on, read from /proc."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except FileNotFoundError:  # closed while we looked
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = set()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state != "0A" or inode not in inodes:  # 0A = LISTEN
                continue
            hex_ip, hex_port = local.split(":")
            raw = bytes.fromhex(hex_ip)
            if len(raw) == 16:  # IPv6: four little-endian words; IPv4-mapped ends in the IPv4 word
                words = [raw[i : i + 4][::-1] for i in range(0, 16, 4)]
                raw = words[3] if words[:3] == [b"\0" * 4, b"\0" * 4, b"\0\0\xff\xff"] else b"".join(words)
            else:
                raw = raw[::-1]
            address = socket.inet_ntop(socket.AF_INET if len(raw) == 4 else socket.AF_INET6, raw)
            found.add((address, int(hex_port, 16)))
    return found


def _count(settings: ConnectionSettings, label: str = "Probe") -> int:
    with open_driver(settings) as driver:
        records, _, _ = driver.execute_query(f"MATCH (n:{label}) RETURN count(n) AS c", database_=settings.database)
    return int(records[0]["c"])


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A data directory for lifecycle tests; whatever server runs in it is stopped at the end."""
    path = tmp_path_factory.mktemp("lifecycle-home")
    yield path
    LocalServer(path).stop()


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No NEO4J_* variables and no GRAPHKIT_HOME."""
    for name in NEO4J_VARS:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


# -- lifecycle -------------------------------------------------------------------------------------


@pytest.mark.slow
def test_start_status_stop_and_data_survives_restart(home: Path) -> None:
    server = LocalServer(home)
    settings = server.start(timeout=120)
    assert settings.uri.startswith("bolt://127.0.0.1:")
    assert (settings.user, settings.database) == ("root", "graphkit")
    status = server.status()
    assert status.running and status.healthy and status.uri == settings.uri
    pid = status.pid
    assert pid is not None

    # every listener is on loopback: Bolt, HTTP, nothing else
    addresses = _listen_addresses(pid)
    assert {address for address, _ in addresses} == {"127.0.0.1"}
    assert {port for _, port in addresses} == {int(settings.uri.rsplit(":", 1)[1]), status.http_port}

    with open_driver(settings) as driver:
        driver.execute_query("CREATE (:Probe {id: 'kept', name: $name})", name="survives", database_="graphkit")

    assert server.stop() is True
    assert _gone(pid), "the JVM is still there after stop()"
    assert not server.state_file.exists()
    assert not server.is_running() and not server.status().running
    with pytest.raises(ServerError, match="not running"):
        server.settings()
    assert server.stop() is False

    again = server.start(timeout=120)
    assert again.password == settings.password
    with open_driver(again) as driver:
        records, _, _ = driver.execute_query("MATCH (n:Probe {id: 'kept'}) RETURN n.name AS name", database_="graphkit")
    assert [r["name"] for r in records] == ["survives"]


@pytest.mark.slow
def test_secrets_stay_secret(home: Path) -> None:
    server = LocalServer(home)
    settings = server.start(timeout=120)
    password = settings.password
    assert len(password) >= 24
    assert stat.S_IMODE(server.password_file.stat().st_mode) == 0o600
    assert password not in repr(settings) and password not in settings.describe()
    assert password not in "\n".join(server.status().lines())
    pid = server.status().pid
    assert pid is not None
    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode()
    assert password not in cmdline, "the password is visible in the process list"
    assert password not in server.log_file.read_text()
    result = CliRunner().invoke(server_group, ["status", "--home", str(home)])
    assert result.exit_code == 0 and password not in result.output
    result = CliRunner().invoke(server_group, ["start", "--home", str(home)])
    assert result.exit_code == 0, result.output
    assert "already running" in result.output and password not in result.output


@pytest.mark.slow
def test_cli_start_status_stop(home: Path) -> None:
    runner = CliRunner()
    LocalServer(home).stop()
    result = runner.invoke(server_group, ["status", "--home", str(home)])
    assert result.exit_code == 3 and "stopped" in result.output
    result = runner.invoke(server_group, ["start", "--home", str(home)])
    assert result.exit_code == 0, result.output
    assert "started: bolt://127.0.0.1:" in result.output
    result = runner.invoke(server_group, ["status", "--home", str(home)])
    assert result.exit_code == 0 and "running" in result.output and "answering" in result.output
    pid = LocalServer(home).status().pid
    assert pid is not None
    result = runner.invoke(server_group, ["stop", "--home", str(home)])
    assert result.exit_code == 0 and "stopped" in result.output
    assert _gone(pid)
    result = runner.invoke(server_group, ["stop", "--home", str(home)])
    assert result.exit_code == 0 and "was not running" in result.output


@pytest.mark.slow
def test_stale_state_is_recovered_and_concurrent_starts_share_one_server(home: Path) -> None:
    server = LocalServer(home)
    server.stop()
    dead = subprocess.Popen(["true"])
    dead.wait()
    server.state_file.write_text(
        json.dumps({"pid": dead.pid, "bolt_port": 1, "http_port": 2, "https_port": 3, "started_at": 0.0, "ready": True})
    )
    status = server.status()
    assert not status.running and status.stale_pid == dead.pid
    assert "stale" in "\n".join(status.lines())

    results: list[ConnectionSettings | BaseException] = []

    def start() -> None:
        try:
            results.append(LocalServer(home).start(timeout=120))
        except BaseException as exc:
            results.append(exc)

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(r, ConnectionSettings) for r in results), results
    assert len({r.uri for r in results if isinstance(r, ConnectionSettings)}) == 1
    assert server.status().running
    assert ensure_running(home) == results[0]


# -- start-up failures (no JVM, or one that fails at once) -------------------------------------------


def test_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = LocalServer(tmp_path, bolt_port=port)
        with pytest.raises(ServerError, match=rf"port {port} on 127\.0\.0\.1 is already in use"):
            server.start(timeout=30)
    assert not server.state_file.exists()


def test_missing_java_is_a_clear_error(tmp_path: Path) -> None:
    server = LocalServer(tmp_path / "home", java=tmp_path / "no-jre" / "bin" / "java")
    with pytest.raises(ServerError, match=r"Java runtime not found at .*no-jre/bin/java.*arcadedb-embedded"):
        server.start(timeout=30)
    assert not server.state_file.exists()
    assert stat.S_IMODE(server.home.stat().st_mode) == 0o700  # the data directory is private


def test_unwritable_data_directory_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(ServerError, match=r"cannot use the data directory .*a-file/home: Not a directory"):
        LocalServer(blocker / "home").start(timeout=30)


def test_bad_heap_setting_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GRAPHKIT_SERVER_HEAP", "lots")
    with pytest.raises(ServerError, match=r"invalid server heap size 'lots' .*GRAPHKIT_SERVER_HEAP"):
        LocalServer(tmp_path)
    monkeypatch.setenv("GRAPHKIT_SERVER_HEAP", "768m")
    assert LocalServer(tmp_path).heap == "768m"


def _java_major(java: str) -> int | None:
    out = subprocess.run([java, "-version"], capture_output=True, text=True, check=False).stderr
    for token in out.split():
        token = token.strip('"')
        if token[:2].isdigit():
            return int(token.split(".")[0])
    return None


def test_too_old_java_is_a_clear_error(tmp_path: Path) -> None:
    java = shutil.which("java")
    major = _java_major(java) if java else None
    if java is None or major is None or major >= 21:
        pytest.skip("needs a system Java older than 21 to show the error")
    server = LocalServer(tmp_path, java=java)
    with pytest.raises(ServerError, match="too old for ArcadeDB") as info:
        server.start(timeout=60)
    assert "UnsupportedClassVersionError" in str(info.value)  # the log's last lines are included
    assert not server.state_file.exists()


def test_timeout_names_the_log_and_leaves_no_process(tmp_path: Path) -> None:
    fake = tmp_path / "java"
    fake.write_text('#!/bin/sh\necho "fake java pid $$ pretending to start"\nexec sleep 60\n')
    fake.chmod(0o755)
    server = LocalServer(tmp_path / "home", java=fake)
    with pytest.raises(ServerError, match="did not answer within 2 s") as info:
        server.start(timeout=2)
    message = str(info.value)
    assert "fake java pid" in message and str(server.log_file) in message
    pid = int(message.split("fake java pid ")[1].split()[0])
    assert _gone(pid)
    assert not server.state_file.exists()
    assert server.password_file.read_text().strip() not in message


# -- connection settings ---------------------------------------------------------------------------


def test_settings_repr_hides_the_password() -> None:
    settings = ConnectionSettings("bolt://h:7687", "u", "s3cret-value", "db")
    assert "s3cret-value" not in repr(settings) and "s3cret-value" not in str(settings)


def test_flags_win_over_environment(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("NEO4J_URI", "neo4j://env-host:7687")
    clean_env.setenv("NEO4J_USERNAME", "env-user")
    clean_env.setenv("NEO4J_PASSWORD", "env-pass")
    clean_env.setenv("NEO4J_DATABASE", "envdb")
    assert resolve_settings() == ConnectionSettings("neo4j://env-host:7687", "env-user", "env-pass", "envdb")
    flagged = resolve_settings(uri="bolt://flag-host:7688", user="flag-user", database="flagdb")
    assert flagged == ConnectionSettings("bolt://flag-host:7688", "flag-user", "env-pass", "flagdb")


def test_neo4j_defaults_when_only_a_uri_is_given(clean_env: pytest.MonkeyPatch) -> None:
    assert resolve_settings(uri="bolt://h:7687") == ConnectionSettings("bolt://h:7687", "neo4j", "", "neo4j")


def test_user_without_uri_is_refused(clean_env: pytest.MonkeyPatch) -> None:
    with pytest.raises(GraphkitError, match="--user needs a server"):
        resolve_settings(user="someone")


def test_connection_options_add_flags_but_no_password() -> None:
    seen: dict[str, object] = {}

    @click.command()
    @connection_options
    def probe(uri: str | None, user: str | None, database: str | None) -> None:
        seen.update(uri=uri, user=user, database=database)

    result = CliRunner().invoke(probe, ["--uri", "bolt://x:1", "--user", "u", "--database", "d"])
    assert result.exit_code == 0, result.output
    assert seen == {"uri": "bolt://x:1", "user": "u", "database": "d"}
    assert "--password" not in CliRunner().invoke(probe, ["--help"]).output
    assert CliRunner().invoke(probe, ["--password", "x"]).exit_code == 2


def test_no_uri_means_the_local_default(clean_env: pytest.MonkeyPatch, home: Path) -> None:
    expected = LocalServer(home).start(timeout=120)
    clean_env.setenv("GRAPHKIT_HOME", str(home))
    assert resolve_settings() == expected
    assert expected.reader is not None and expected.reader.user == "reader"
    other = resolve_settings(database="other")
    assert (other.uri, other.user, other.password, other.database) == (
        expected.uri,
        expected.user,
        expected.password,
        "other",
    )
    assert other.reader is not None and (other.reader.user, other.reader.database) == ("reader", "other")
    clean_env.setenv("NEO4J_URI", "bolt://elsewhere:7687")
    assert resolve_settings().uri == "bolt://elsewhere:7687"


def test_open_driver_reports_a_refused_login_without_the_password(db_server: ConnectionSettings) -> None:
    wrong = ConnectionSettings(db_server.uri, db_server.user, "wrong-password-123", db_server.database)
    with pytest.raises(StoreError, match="login refused") as info:
        open_driver(wrong)
    assert "wrong-password-123" not in str(info.value)
    assert db_server.uri in str(info.value)


def test_open_driver_reports_an_unreachable_server() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # bound but not listening: connections are refused
        with pytest.raises(StoreError, match=rf"cannot reach the database at .*127\.0\.0\.1:{port}"):
            open_driver(ConnectionSettings(f"bolt://127.0.0.1:{port}", "neo4j", "pw-xyz-987", "neo4j"), timeout=3)


@pytest.mark.parametrize("uri", ["http://nowhere:7474", "localhost:7687", "neo4j+x://host:7687"])
def test_open_driver_reports_a_bad_uri(uri: str) -> None:
    with pytest.raises(StoreError, match=re.escape(f"invalid database URI {uri!r}")):
        open_driver(ConnectionSettings(uri, "neo4j", "pw", "neo4j"))


# -- the shared fixtures ---------------------------------------------------------------------------


@pytest.mark.parametrize("round_", [1, 2])
def test_db_fixture_gives_an_empty_database(db: ConnectionSettings, round_: int) -> None:
    assert _count(db, "Probe") == 0
    with open_driver(db) as driver:
        driver.execute_query("CREATE (:Probe {round: $r})", r=round_, database_=db.database)
    assert _count(db, "Probe") == 1


# -- the server's state is robust (issue 10) ---------------------------------------------------------


def _loose_modes(root: Path) -> list[str]:
    """Files and directories under ``root`` that others may read or enter, with their modes."""
    found = []
    for top, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            path = Path(top) / name
            if not path.is_symlink() and stat.S_IMODE(path.stat().st_mode) & 0o077:
                found.append(f"{path} {stat.S_IMODE(path.stat().st_mode):o}")
    return found


@pytest.mark.slow
def test_an_existing_home_and_its_data_files_are_made_private(home: Path) -> None:
    server = LocalServer(home)
    server.start(timeout=120)  # so that the database files exist
    server.stop()
    home.chmod(0o755)
    for path in [server.password_file, *(home / "databases").rglob("*"), *(home / "logs").rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    notes = home / "notes.txt"  # not graphkit's: left as it is
    notes.write_text("mine")
    notes.chmod(0o644)
    assert _loose_modes(home / "databases"), "the test did not loosen anything"

    server.start(timeout=120)
    with open_driver(server.settings()) as driver:
        driver.execute_query("CREATE (:Probe {id: 'private'})", database_="graphkit")
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert [m for m in _loose_modes(home) if not m.startswith(str(notes))] == []
    assert stat.S_IMODE(notes.stat().st_mode) == 0o644
    notes.unlink()


@pytest.mark.slow
def test_a_corrupt_or_missing_state_file_finds_the_running_server(home: Path) -> None:
    server = LocalServer(home)
    settings = server.start(timeout=120)
    pid = server.status().pid
    assert pid is not None

    server.state_file.write_text("{not json", encoding="utf-8")
    status = server.status()
    assert status.running and status.pid == pid and status.uri == settings.uri and status.healthy
    assert "found by its process" in "\n".join(status.lines())
    result = CliRunner().invoke(server_group, ["status", "--home", str(home)])
    assert result.exit_code == 0 and f"pid {pid}" in result.output

    again = LocalServer(home).start(timeout=120)
    assert again == settings  # the same server, not a second one that fails on the database lock
    assert json.loads(server.state_file.read_text())["pid"] == pid

    server.state_file.unlink()
    assert ensure_running(home) == settings
    server.state_file.unlink()
    assert server.stop() is True
    assert _gone(pid)
    assert not server.status().running


@pytest.mark.slow
def test_a_reused_pid_is_not_gone_and_is_left_alone(home: Path) -> None:
    server = LocalServer(home)
    server.stop()
    other = subprocess.Popen(["sleep", "120"])
    try:
        server.state_file.write_text(
            json.dumps(
                {"pid": other.pid, "bolt_port": 1, "http_port": 2, "https_port": 3, "started_at": 0.0, "ready": True}
            )
        )
        status = server.status()
        assert not status.running and status.stale_pid == other.pid
        text = "\n".join(status.lines())
        assert "(gone)" not in text and "another program, sleep" in text
        assert server.stop() is False
        assert other.poll() is None, "stop() killed a process that is not the server"
        server.start(timeout=120)
        assert server.status().pid != other.pid
        assert other.poll() is None, "start() killed a process that is not the server"
    finally:
        other.kill()
        other.wait()


@pytest.mark.slow
def test_commands_in_a_subdirectory_use_the_projects_home(
    home: Path, tmp_path: Path, clean_env: pytest.MonkeyPatch
) -> None:
    server = LocalServer(home)
    server.start(timeout=120)
    pid = server.status().pid
    project = tmp_path / "project"
    project.mkdir()
    (project / ".graphkit").symlink_to(home, target_is_directory=True)
    deep = project / "notebooks" / "drafts"
    deep.mkdir(parents=True)
    clean_env.chdir(deep)

    assert default_home() == project / ".graphkit"
    assert LocalServer().home == home.resolve()
    with open_driver(server.settings()) as driver:
        driver.execute_query("MATCH (n:Probe) DELETE n", database_="graphkit")
        driver.execute_query("CREATE (:Probe {id: 'here'})", database_="graphkit")
    result = CliRunner().invoke(main, ["cypher", "MATCH (n:Probe) RETURN n.id AS id", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [{"id": "here"}]
    assert server.status().pid == pid, "a second server was started"
    assert not (deep / ".graphkit").exists()
    result = CliRunner().invoke(server_group, ["status"])
    assert result.exit_code == 0 and str(home.resolve()) in result.output


def test_a_new_home_is_announced_with_its_path(
    tmp_path: Path, clean_env: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Run where no project is, the implicit start says which (new, empty) home it makes."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    clean_env.chdir(elsewhere)
    server = LocalServer()
    assert server.home == (elsewhere / ".graphkit").resolve()
    try:
        with caplog.at_level(logging.WARNING, logger="graphkit.local"):
            settings = ensure_running(timeout=180)
        assert f"starting a new, empty one in {server.home}" in caplog.text
        assert "GRAPHKIT_HOME" in caplog.text
        assert settings.reader is not None
    finally:
        server.stop()


@pytest.mark.slow
def test_a_refused_local_login_names_the_password_file(home: Path) -> None:
    server = LocalServer(home)
    settings = server.start(timeout=120)
    assert settings.reader is not None
    for login, file in ((settings, server.password_file), (settings.reader, server.reader_password_file)):
        with pytest.raises(StoreError, match="login refused") as info:
            open_driver(dataclasses.replace(login, password="wrong-password-123456"))
        message = str(info.value)
        assert str(file) in message and "NEO4J_PASSWORD" not in message
        assert "wrong-password-123456" not in message


@pytest.mark.slow
def test_a_home_made_before_the_reader_gets_one(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = LocalServer(home)
    server.start(timeout=120)
    # a server that an older graphkit started: no reader-password file
    server.reader_password_file.unlink()
    old = server.settings()
    assert old.reader is None
    with pytest.raises(StoreError, match=r"need a login that it lets only read.*restart"):
        store.run_query(old, "RETURN 1 AS one")

    # the home as an older graphkit left it: no reader group, no reader user
    server.stop()
    groups_file = home / "arcadedb" / "config" / "server-groups.json"
    groups = json.loads(groups_file.read_text())
    del groups["databases"]["*"]["groups"]["reader"]
    groups_file.write_text(json.dumps(groups))
    users_file = home / "arcadedb" / "config" / "server-users.jsonl"
    users = [line for line in users_file.read_text().splitlines() if json.loads(line)["name"] != "reader"]
    users_file.write_text("\n".join(users) + "\n")

    settings = server.start(timeout=120)
    assert settings.reader is not None and settings.reader.user == "reader"
    assert stat.S_IMODE(server.reader_password_file.stat().st_mode) == 0o600
    assert json.loads(groups_file.read_text())["databases"]["*"]["groups"]["reader"]["types"] == {
        "*": {"access": ["readRecord"]}
    }
    assert store.run_query(settings, "MATCH (n:Probe) RETURN count(n) AS c").columns == ["c"]
    monkeypatch.setattr(cypher, "write_clauses", lambda statement: [])
    with pytest.raises(StoreError, match="read-only"):
        store.run_query(settings, "CREATE (:Probe {id: 'sneaky'})")
    with open_driver(settings) as driver:
        records, _, _ = driver.execute_query("MATCH (n:Probe {id: 'sneaky'}) RETURN n", database_="graphkit")
    assert records == []


@pytest.mark.slow
def test_a_full_disk_is_named(tmp_path: Path) -> None:
    """A write that fills the local server's disk says so, not only "Transaction error on commit"."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a small tmpfs as the full disk")
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=160m", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    server = LocalServer(disk / "home")
    try:
        settings = server.start(timeout=120)
        with open(disk / "filler", "wb") as filler, contextlib.suppress(OSError):
            while True:
                filler.write(b"\0" * 2**20)
        statement = "UNWIND range(1, 20000) AS i CREATE (:Probe {id: 'p' + toString(i), name: 'a name ' + toString(i)})"
        with pytest.raises(StoreError) as info:
            store.run_query(settings, statement, write=True)
        message = str(info.value)
        assert f"the disk holding the local database {server.home} is full" in message, message
    finally:
        server.stop()
        subprocess.run(["umount", "-l", str(disk)], check=False)
