"""Packages waiting between their preview and their confirmation: kept as files under VAR_DIR (a session
cookie cannot hold megabytes), named by a random token, deleted once confirmed or a day later."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

STALE_AFTER = 24 * 3600  # an upload never confirmed is deleted a day later


class PendingUploads:
    def __init__(self, directory: Path):
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    def keep(self, data: bytes, filename: str) -> str:
        """Store the package; its stored name (the suffix says how to read it again)."""
        suffix = ".json" if filename.lower().endswith(".json") else ".zip"
        stored = f"{secrets.token_urlsafe(16)}{suffix}"
        (self.directory / stored).write_bytes(data)
        return stored

    def read(self, stored: str) -> bytes:
        """The package's bytes; FileNotFoundError once it was forgotten."""
        return (self.directory / Path(stored).name).read_bytes()

    def forget(self, stored: str | None = None) -> None:
        """Delete `stored` and anyone's stale uploads."""
        for path in self.directory.iterdir():
            if path.name == stored or time.time() - path.stat().st_mtime > STALE_AFTER:
                path.unlink(missing_ok=True)
