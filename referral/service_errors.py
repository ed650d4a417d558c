"""What a service (referral/<area>/service.py) raises, without Flask and without HTTP: referral/errors.py
answers each one, as a page or as JSON, and alone decides its status."""

from __future__ import annotations

# Why a service turned a request down, in its own words (referral.errors.STATUS maps each to HTTP).
INVALID, CONFLICT, FORBIDDEN, MISSING = "invalid", "conflict", "forbidden", "missing"


class ServiceError(Exception):
    """A request turned down with a reason the user reads: its `kind` (above), a stable `code`, a translated
    `message` and, when it is about input, the `fields` at fault."""

    def __init__(self, kind: str, code: str, message: str, fields: dict | None = None):
        super().__init__(message)
        self.kind, self.code, self.message, self.fields = kind, code, message, fields or {}


class Refused(Exception):
    """The principal may not make this change: nothing was written (a page or the API says it is forbidden)."""


class NotFound(Exception):
    """No such record, or none the principal may read (an unreadable record is not revealed: « not found »)."""
