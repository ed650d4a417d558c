"""The production server, started for a benchmark exactly as the Makefile's SERVER_OPTIONS line says (the line
`make run` and `make serve-production` use): a benchmark measures what is deployed, and changes with it."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

from graph.local_server import port_is_free

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def server_options(threads: int = 0) -> list[str]:
    """The Makefile's SERVER_OPTIONS, with another number of Python threads when `threads` is given."""
    line = re.search(r"^SERVER_OPTIONS = (.+)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.MULTILINE)
    options = shlex.split(line.group(1))
    if threads:
        options[options.index("--blocking-threads") + 1] = str(threads)
    return options


def production_threads() -> int:
    options = server_options()
    return int(options[options.index("--blocking-threads") + 1])


def production_command(port: int, threads: int = 0) -> list[str]:
    return [str(BIN / "granian"), "--host", "127.0.0.1", "--port", str(port), *server_options(threads)]


def start(command: list[str], port: int, env: dict, log: Path, timeout: float = 60) -> subprocess.Popen:
    """The server in its own process, its output to `log`, once it accepts connections on `port`."""
    with log.open("w") as out:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    while port_is_free(port):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"{command[0]} did not start: {log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.2)
    return process
