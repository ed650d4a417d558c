"""Flask-Mailman's backend when no SMTP server is configured (MAIL_BACKEND = "referral.notify.eml_backend"):
each message a standard .eml file of its own in MAIL_FILE_PATH, which any mail client opens."""

from __future__ import annotations

import secrets
from datetime import datetime
from pathlib import Path

from flask_mailman.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    """Each message in a file of its own, written under a temporary name then renamed: a reader never
    sees half a message."""

    def send_messages(self, messages) -> int:
        folder = Path(self.mailman.file_path)
        folder.mkdir(parents=True, exist_ok=True)
        for message in messages:
            name = f"{datetime.now():%Y%m%d-%H%M%S-%f}-{secrets.token_hex(3)}.eml"
            partial = folder / (name + ".part")
            partial.write_bytes(message.message().as_bytes(linesep="\r\n"))
            partial.rename(folder / name)
        return len(messages)
