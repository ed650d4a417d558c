"""The documented server (the Makefile's WAITRESS_OPTIONS, which `make run` and `make serve-production` use)
keeps answering a room: browsers hold several connections each, and waitress's default of 100 stopped
accepting new ones — requests then waited, silent, for idle ones to time out (outside pass 16b: 15–60 s)."""

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

from graph.local_server import free_port, port_is_free

ROOT = Path(__file__).resolve().parents[2]
IDLE_CONNECTIONS = 300  # 50 browsers holding six each


def waitress_options() -> list[str]:
    found = re.search(r"^WAITRESS_OPTIONS = (.+)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.MULTILINE)
    return shlex.split(found.group(1))


def test_the_documented_server_answers_while_a_room_holds_its_connections(neo4j_settings, tmp_path):
    port = free_port()
    env = {**os.environ, "NEO4J_URI": neo4j_settings["uri"], "NEO4J_USER": neo4j_settings["user"],
           "NEO4J_PASSWORD": neo4j_settings["password"], "SECRET_KEY": "production-server-test",
           "EI_VAR_DIR": str(tmp_path)}
    server = subprocess.Popen([str(Path(sys.executable).parent / "waitress-serve"), "--host", "127.0.0.1",
                               "--port", str(port), *waitress_options(), "--call", "app:create_app"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    held = []
    try:
        deadline = time.monotonic() + 60
        while port_is_free(port):
            assert server.poll() is None and time.monotonic() < deadline, server.stderr.read().decode()[-2000:]
            time.sleep(0.2)
        for _ in range(IDLE_CONNECTIONS):
            held.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        time.sleep(1)  # waitress has taken them all in: past its limit it would stop accepting here
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/connexion", timeout=10) as answer:
            assert answer.status == 200
    finally:
        for connection in held:
            connection.close()
        server.terminate()
        server.wait(30)
        server.stderr.close()
