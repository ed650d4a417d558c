"""The app's request class: a body sent without a Content-Length (chunked) and longer than
MAX_CONTENT_LENGTH is refused with a 413, as one that declares its length is from its headers.

Werkzeug reads such a body up to the maximum and hands it on cut short there: a JSON document then read
as malformed (outside pass 16f: « objet JSON attendu » for a 2.2 MB referral), a form with its last field
cut. waitress set a Content-Length once it had the whole body; Granian streams it to the app."""

from __future__ import annotations

from functools import cached_property
from typing import IO

from flask import Request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wsgi import LimitedStream


class _AtMost(LimitedStream):
    """Reads one byte past the maximum: that byte means too large."""

    def __init__(self, stream: IO[bytes], maximum: int) -> None:
        super().__init__(stream, maximum + 1, is_max=True)

    def readinto(self, buffer) -> int | None:
        read = super().readinto(buffer)
        if self.tell() >= self.limit:
            raise RequestEntityTooLarge()
        return read


class BoundedRequest(Request):
    @cached_property
    def stream(self) -> IO[bytes]:
        maximum = self.max_content_length
        if self.content_length is None and maximum is not None and "wsgi.input_terminated" in self.environ:
            return _AtMost(self.environ["wsgi.input"], maximum)
        return super().stream
