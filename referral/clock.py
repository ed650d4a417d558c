"""The time, as the app reads it: stored instants in UTC, days and opening hours in Montréal's time."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from graph.driver import MONTREAL_ZONE


def utc_now() -> datetime:
    return datetime.now(UTC)


def local_now() -> datetime:
    zone = current_app.config.get("BABEL_DEFAULT_TIMEZONE", MONTREAL_ZONE) if has_app_context() else MONTREAL_ZONE
    return datetime.now(ZoneInfo(zone))


def today():
    """Montréal's day (a server on UTC is a day ahead from 19:00 or 20:00): what « today » means on every page."""
    return local_now().date()
