"""When a tie's origin, date and session agree (the evaluation's before / after rests on them): « Avant EI »
is dated before EI reached the territory of either person; a tie born at an EI session names it, is dated
that session's day, held in one of their territories, between two of its attendees when attendance was
taken; only such a tie names a session. No Flask, no graph: the
service reads the territories and the session."""

from __future__ import annotations

from datetime import date

from referral.directory import messages


def tie_faults(since: date, origin: str, session: dict | None, territories: list[dict],
               people: tuple[str, str] = ("", "")) -> dict:
    """{field: message} of what does not agree; `session` is {number, date, territory, territory_name,
    attendees} and `territories` the two people's current ones, each {id, name, start}."""
    faults = {}
    started = [t for t in territories if t.get("start")]
    if origin == "before_ei" and started:
        first = min(started, key=lambda t: t["start"])
        if since >= first["start"]:
            faults["since"] = messages.before_ei_too_late(first["name"], first["start"].isoformat())
    if origin == "ei_session" and not session:
        faults["session"] = messages.SESSION_NEEDED
    elif session and origin != "ei_session":
        faults["session"] = messages.SESSION_WITHOUT_ORIGIN
    elif session and session["territory"] not in {t["id"] for t in territories}:
        faults["session"] = messages.session_elsewhere(session["territory_name"])
    elif session and session.get("attendees") and not set(people) <= set(session["attendees"]):
        faults["session"] = messages.NOT_BOTH_PRESENT  # attendance was taken: it says who could meet there
    elif session and since != session["date"]:
        faults["since"] = messages.session_day(session["number"], session["date"].isoformat())
    return faults
