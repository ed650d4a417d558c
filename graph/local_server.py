"""Build, start, watch and stop the local embedded Neo4j (the launcher in graph/server/).

Used when no NEO4J_URI is configured: the project then runs its own Neo4j Community 5.26
on 127.0.0.1 with its data in a folder of the project (var/neo4j by default).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

MODULE_DIR = Path(__file__).resolve().parent / "server"
TARGET = MODULE_DIR / "target"
STAMP = TARGET / "build.sha256"
READY_LINE = "NEO4J READY"
JVM_FLAGS = [
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-XX:+UseG1GC",
]


class Neo4jServerError(RuntimeError):
    """A problem the user can fix; the message says how, on one line."""


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _sources_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted([MODULE_DIR / "pom.xml", *MODULE_DIR.glob("src/**/*.java")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _java() -> str:
    """Neo4j 5.26 needs Java 17 or 21; prefer JAVA_HOME, then a Java 17 on the machine."""
    candidates = []
    if os.environ.get("JAVA_HOME"):
        candidates.append(Path(os.environ["JAVA_HOME"]) / "bin" / "java")
    candidates += sorted(Path("/usr/lib/jvm").glob("java-17-openjdk*/bin/java"))
    candidates += sorted(Path("/usr/lib/jvm").glob("java-21-openjdk*/bin/java"))
    for candidate in candidates:
        if candidate.exists():
            return str(candidate)
    found = shutil.which("java")
    if not found:
        raise Neo4jServerError("Java 17 or 21 is missing: install it (e.g. apt-get install openjdk-17-jdk-headless).")
    return found


def build(force: bool = False) -> Path:
    """Build the launcher with Maven unless the sources are unchanged since the last build."""
    digest = _sources_digest()
    if not force and STAMP.exists() and STAMP.read_text() == digest and (TARGET / "lib").is_dir():
        return TARGET
    mvn = shutil.which("mvn")
    if not mvn:
        raise Neo4jServerError("Maven is missing: install it (e.g. apt-get install maven) to build the local Neo4j.")
    _say("Building the local Neo4j launcher with Maven (the first run downloads Neo4j, about 150 MB)…")
    log = MODULE_DIR / "maven-build.log"
    downloads = 0
    with open(log, "w") as out:
        process = subprocess.Popen([mvn, "-B", "package", "-DskipTests"], cwd=MODULE_DIR, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for line in process.stdout:
            out.write(line)
            if "Downloaded from" in line:
                downloads += 1
                if downloads % 25 == 0:
                    _say(f"  … {downloads} files downloaded from Maven Central")
        process.wait()
    if process.returncode != 0:
        raise Neo4jServerError(f"The Maven build of the Neo4j launcher failed: see {log}.")
    STAMP.write_text(digest)
    _say("Neo4j launcher built.")
    return TARGET


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class LocalNeo4j:
    """One local Neo4j server: its data folder holds the store, the log, the pid and the password."""

    home: Path
    port: int = 7687
    heap: str = "1g"
    pagecache: str = "512m"
    replan_interval: int | None = None  # seconds between Neo4j's plan refreshes (None: its default, 10 s)

    def __post_init__(self) -> None:
        self.home = Path(self.home).resolve()

    @property
    def log_file(self) -> Path:
        return self.home / "server.log"

    @property
    def state_file(self) -> Path:
        return self.home / "server.json"

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    def password(self) -> str:
        """Generated once per data folder and kept beside the store (mode 600)."""
        secret = self.home / "password"
        if not secret.exists():
            self.home.mkdir(parents=True, exist_ok=True)
            secret.write_text(secrets.token_urlsafe(24))
            secret.chmod(0o600)
        return secret.read_text().strip()

    def auth(self) -> tuple[str, str]:
        return ("neo4j", self.password())

    def _state(self) -> dict | None:
        try:
            return json.loads(self.state_file.read_text())
        except (OSError, ValueError):
            return None

    def status(self) -> dict:
        """The truth from the process table and the socket, not only from the pid file."""
        state = self._state()
        if not state or not _alive(state["pid"]):
            return {"running": False, "uri": self.uri, "home": str(self.home)}
        return {
            "running": True,
            "ready": _accepts(state["port"]),
            "pid": state["pid"],
            "uri": f"bolt://127.0.0.1:{state['port']}",
            "home": str(self.home),
            "log": str(self.log_file),
        }

    def start(self, timeout: float = 180.0) -> dict:
        current = self.status()
        if current["running"]:
            self.port = int(current["uri"].rsplit(":", 1)[1])
            return current
        if not port_is_free(self.port):
            raise Neo4jServerError(
                f"Port {self.port} is already taken: stop what uses it or choose another port (NEO4J_LOCAL_PORT)."
            )
        build()
        self.home.mkdir(parents=True, exist_ok=True)
        command = [
            _java(),
            f"-Xmx{self.heap}",
            *JVM_FLAGS,
            "-cp",
            f"{TARGET / 'neo4j-launcher-1.0.jar'}{os.pathsep}{TARGET / 'lib' / '*'}",
            "ei.Launcher",
            "--port", str(self.port),
            "--data", str(self.home),
            "--pagecache", self.pagecache,
            "--password", self.password(),
            *(["--replan-interval", str(self.replan_interval)] if self.replan_interval else []),
        ]
        _say(f"Starting Neo4j on {self.uri} (data in {self.home}, log in {self.log_file})…")
        started = time.monotonic()
        with open(self.log_file, "ab") as log:
            process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
            )
        self.state_file.write_text(json.dumps({"pid": process.pid, "port": self.port}))
        log_offset = self.log_file.stat().st_size
        while time.monotonic() - started < timeout:
            if process.poll() is not None:
                self.state_file.unlink(missing_ok=True)
                if "StoreLockException" in self._log_since(log_offset):
                    raise Neo4jServerError(
                        f"The store in {self.home} is locked by another process: stop that Neo4j first."
                    )
                raise Neo4jServerError(
                    f"Neo4j exited during start-up (code {process.returncode}): see {self.log_file}."
                )
            if READY_LINE in self._log_since(log_offset) and _accepts(self.port):
                _say(f"Neo4j ready in {time.monotonic() - started:.1f} s.")
                return self.status()
            time.sleep(0.25)
        self.stop()
        raise Neo4jServerError(f"Neo4j did not accept Bolt connections within {timeout:.0f} s: see {self.log_file}.")

    def _log_since(self, offset: int) -> str:
        with open(self.log_file, "rb") as log:
            log.seek(offset)
            return log.read().decode("utf-8", "replace")

    def stop(self, timeout: float = 60.0) -> bool:
        """SIGTERM lets the launcher's shutdown hook close the store cleanly; SIGKILL only as a last resort."""
        state = self._state()
        if not state or not _alive(state["pid"]):
            self.state_file.unlink(missing_ok=True)
            return False
        pid = state["pid"]
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not _alive(pid) or _zombie(pid):
                break
            time.sleep(0.2)
        else:
            os.kill(pid, signal.SIGKILL)
        _reap(pid)
        self.state_file.unlink(missing_ok=True)
        return True

    def kill(self) -> None:
        """SIGKILL, for fault tests: the store must recover on the next start."""
        state = self._state()
        if state and _alive(state["pid"]):
            os.kill(state["pid"], signal.SIGKILL)
            deadline = time.monotonic() + 10
            while _alive(state["pid"]) and not _zombie(state["pid"]) and time.monotonic() < deadline:
                time.sleep(0.1)
            _reap(state["pid"])
        self.state_file.unlink(missing_ok=True)


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    except OSError:
        return False


def _reap(pid: int) -> None:
    """Collect our own child so it does not linger as a zombie (no-op for other processes)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass
