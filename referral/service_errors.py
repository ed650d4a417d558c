"""What a service (referral/<area>/service.py) raises, without Flask: referral/errors.py answers each one,
as a page or as JSON, with its status."""

from __future__ import annotations


class ApiError(Exception):
    """A client error with a translated message and, when it is about input, the fields at fault."""

    def __init__(self, status: int, code: str, message: str, fields: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


class Refused(Exception):
    """The principal may not make this change (403): nothing was written."""


class NotFound(Exception):
    """No such record, or none the principal may read (404: an unreadable record is not revealed)."""
