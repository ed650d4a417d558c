"""Cohorts, shared by the pages and the API: opening one for territories one may run (a coordinator: theirs),
scheduling its sessions — the program's six, monthly from its start, or one at a time —, renaming it, moving
its dates until one of its sessions is held, deleting one opened by mistake. No Flask, no Cypher."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable
from datetime import date, timedelta

from graph.repositories.cohorts import CohortHeld, CohortNameTaken, CohortOverlap, CohortRepository, SessionsOutside
from graph.repositories.territories import TerritoryRepository
from referral import policy
from referral.service_errors import CONFLICT, INVALID, NotFound, Refused, ServiceError
from referral.sessions import messages

LONGEST_COHORT_DAYS = 3 * 366


class Cohorts:
    """A maintainer's cohorts: those with one of their territories (see the module's docstring)."""

    def __init__(self, principal: policy.Principal, repository: Callable, *, user: str):
        if principal.role not in policy.MAINTAINERS:
            raise Refused
        self.principal, self.repository, self.user = principal, repository, user

    def list(self) -> list[dict]:
        allowed = policy.scope(self.principal)
        return [c for c in self.repository(CohortRepository).list()
                if allowed is None or {t["id"] for t in c["territories"]} & allowed]

    def territories(self) -> list[dict]:
        """The territories one may open a cohort for."""
        return [t for t in self.repository(TerritoryRepository).names()
                if policy.may_change_territory(self.principal, t["id"])]

    def cohort(self, cohort_id: str) -> dict:
        found = next((c for c in self.list() if c["id"] == cohort_id), None)
        if found is None:
            raise NotFound(cohort_id)
        return found

    @staticmethod
    def _name_and_dates(name: str, start: date | None, end: date | None) -> dict:
        faults = {}
        if not 2 <= len(name) <= 80:
            faults["name"] = str(messages.COHORT_NAME)
        if start is None or end is None or not start < end <= start + timedelta(days=LONGEST_COHORT_DAYS):
            faults["end"] = str(messages.COHORT_DATES)
        return faults

    def _written(self, write: Callable):
        """`write()`, its refusals as the fields at fault."""
        try:
            return write()
        except CohortOverlap as error:
            message = messages.cohort_overlap(error.overlaps)
            raise ServiceError(CONFLICT, "cohort_overlap", message, {"territories": message}) from error
        except CohortNameTaken as error:
            message = str(messages.COHORT_NAME_TAKEN)
            raise ServiceError(CONFLICT, "cohort_name_taken", message, {"name": message}) from error
        except CohortHeld as error:
            message = str(messages.COHORT_HELD)
            raise ServiceError(CONFLICT, "cohort_held", message, {"start": message}) from error
        except SessionsOutside as error:
            message = str(messages.sessions_outside(list(error.sessions.values())))
            raise ServiceError(CONFLICT, "sessions_outside", message, {"start": message}) from error

    def open(self, name: str, territories: Iterable[str], start: date | None, end: date | None,
             template: bool) -> dict:
        """The new cohort (with how many sessions: the program's, when `template`). ServiceError naming the
        fields at fault."""
        name, territories = (name or "").strip(), sorted(set(territories))
        faults = self._name_and_dates(name, start, end)
        mine = {t["id"] for t in self.territories()}
        if not territories:
            faults["territories"] = str(messages.COHORT_TERRITORIES)
        elif not set(territories) <= mine:
            faults["territories"] = messages.not_yours_to_open(sorted(set(territories) - mine))
        if "end" not in faults and template and self._monthly(start)[-1] > end:
            faults["end"] = str(messages.COHORT_TOO_SHORT)
        if faults:
            raise ServiceError(INVALID, "invalid_cohort", str(messages.COHORT_INVALID), faults)
        cohort = self._written(lambda: self.repository(CohortRepository).create(name, territories, start, end,
                                                                               self.user))
        if template:
            cohort["sessions"] = len(self._schedule(cohort, None))
        return cohort

    def may_change(self, cohort: dict) -> bool:
        """Renaming, moving or deleting a cohort needs the right over each of its territories."""
        return all(policy.may_change_territory(self.principal, t["id"]) for t in cohort["territories"])

    def change(self, cohort_id: str, name: str, start: date | None, end: date | None) -> None:
        """Rename it, or move its dates while none of its sessions is held and all stay inside them."""
        cohort, name = self.cohort(cohort_id), (name or "").strip()
        if not self.may_change(cohort):
            raise Refused
        if faults := self._name_and_dates(name, start, end):
            raise ServiceError(INVALID, "invalid_cohort", str(messages.COHORT_NOT_CHANGED), faults)
        if not self._written(lambda: self.repository(CohortRepository).update(cohort_id, name, start, end, self.user)):
            raise NotFound(cohort_id)

    def delete(self, cohort_id: str) -> None:
        """A cohort opened by mistake, with its sessions, while none of them is held."""
        cohort = self.cohort(cohort_id)
        if not self.may_change(cohort):
            raise Refused
        if not self._written(lambda: self.repository(CohortRepository).delete(cohort_id, self.user)):
            raise NotFound(cohort_id)

    def schedule(self, cohort_id: str, one: dict | None = None) -> list[dict]:
        """The program's sessions for each territory of the cohort (`one`: {number, date, theme} alone)."""
        return self._schedule(self.cohort(cohort_id), one)

    def _schedule(self, cohort: dict, one: dict | None) -> list[dict]:
        if one is None:
            themes = self.repository(CohortRepository).themes()
            days = self._monthly(cohort["start"], len(themes))
            plan = [(t["number"], day, t["theme"], t["theme_en"]) for t, day in zip(themes, days, strict=True)]
        else:
            faults = {}
            if not 1 <= one["number"] <= 12:
                faults["number"] = str(messages.SESSION_NUMBER)
            if one["date"] is None or not cohort["start"] <= one["date"] <= cohort["end"]:
                faults["date"] = messages.session_dates(cohort["start"], cohort["end"])
            if not 2 <= len(one["theme"].strip()) <= 120:
                faults["theme"] = str(messages.THEME)
            if faults:
                raise ServiceError(INVALID, "invalid_session", str(messages.SESSION_INVALID), faults)
            plan = [(one["number"], one["date"], one["theme"].strip(), None)]
        rows = [{"territory": t["id"], "number": n, "date": day, "theme": theme, "theme_en": theme_en}
                for t in cohort["territories"] for n, day, theme, theme_en in plan]
        return self.repository(CohortRepository).add_sessions(cohort["id"], rows, self.user)

    @staticmethod
    def _monthly(start: date, count: int = 6) -> list[date]:
        """`count` days a month apart from `start` (the 31st falls on a shorter month's last day)."""
        days = []
        for k in range(count):
            year, month = divmod(start.month - 1 + k, 12)
            year, month = start.year + year, month + 1
            days.append(date(year, month, min(start.day, calendar.monthrange(year, month)[1])))
        return days
