"""The time, as the app reads it: stored instants in UTC, days and opening hours in Montréal's time."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def utc_now() -> datetime:
    return datetime.now(UTC)


def local_now() -> datetime:
    return datetime.now(ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "America/Toronto")))
