"""The documented server (Granian with the Makefile's SERVER_OPTIONS, which `make run` and `make serve-production`
use) keeps answering a room: browsers hold several connections each, and the server before it (waitress, 100 by
default) stopped accepting new ones — requests then waited, silent, for idle ones to time out (outside pass 16b:
15–60 s). A body declared over the limit is refused from its headers, before anything is read; one sent in
chunks once it passes the limit (outside pass 16f: it was read cut there)."""

from __future__ import annotations

import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from graph.local_server import free_port, port_is_free

ROOT = Path(__file__).resolve().parents[2]
IDLE_CONNECTIONS = 300  # 50 browsers holding six each


def server_options() -> list[str]:
    found = re.search(r"^SERVER_OPTIONS = (.+)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.MULTILINE)
    return shlex.split(found.group(1))


@pytest.fixture(scope="module")
def served(neo4j_settings, tmp_path_factory):
    port = free_port()
    env = {**os.environ, "NEO4J_URI": neo4j_settings["uri"], "NEO4J_USER": neo4j_settings["user"],
           "NEO4J_PASSWORD": neo4j_settings["password"], "SECRET_KEY": "production-server-test",
           "EI_VAR_DIR": str(tmp_path_factory.mktemp("served"))}
    server = subprocess.Popen([str(Path(sys.executable).parent / "granian"), "--host", "127.0.0.1",
                               "--port", str(port), *server_options()],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while port_is_free(port):
        assert server.poll() is None and time.monotonic() < deadline, server.stderr.read().decode()[-2000:]
        time.sleep(0.2)
    yield port
    server.terminate()
    assert server.wait(30) == 0  # SIGTERM: the server stops cleanly, as `Ctrl-C` on `make run` does
    server.stderr.close()


def test_the_documented_server_answers_while_a_room_holds_its_connections(served):
    held = []
    try:
        for _ in range(IDLE_CONNECTIONS):
            held.append(socket.create_connection(("127.0.0.1", served), timeout=5))
        time.sleep(1)  # all taken in: a server with a connection limit would stop accepting here
        with urllib.request.urlopen(f"http://127.0.0.1:{served}/connexion", timeout=10) as answer:
            assert answer.status == 200
    finally:
        for connection in held:
            connection.close()


def test_a_body_declared_over_the_limit_is_refused_before_it_is_sent(served):
    with socket.create_connection(("127.0.0.1", served), timeout=10) as connection:
        connection.sendall(b"POST /connexion HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000000\r\n"
                           b"Content-Type: application/x-www-form-urlencoded\r\n\r\nemail=a")
        assert connection.recv(4096).startswith(b"HTTP/1.1 413 ")


def chunked_post(port: int, size: int) -> bytes:
    """A form sent in 64 KiB chunks, no Content-Length: the server streams it to the app."""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as connection:
        connection.sendall(b"POST /connexion HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                           b"Content-Type: application/x-www-form-urlencoded\r\n\r\n")
        body = b"email=" + b"a" * size
        try:
            for start in range(0, len(body), 65536):
                chunk = body[start:start + 65536]
                connection.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            connection.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused before the end: the answer is waiting
        return connection.recv(4096)


def test_a_chunked_body_over_the_limit_is_refused_not_cut(served):
    assert chunked_post(served, 3 * 1024 * 1024).startswith(b"HTTP/1.1 413 ")
    assert chunked_post(served, 1024).startswith(b"HTTP/1.1 400 ")  # read whole: the form lacks its CSRF token
