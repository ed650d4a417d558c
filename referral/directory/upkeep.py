"""Keeping the directory current: archive (never erase) an organisation, a service or a person, restore one,
and merge two records of one person. No Flask, no Cypher; the policy decides from the records as the graph
holds them now (an archived person belongs to the territories they worked in when archived).

What each change does to the graph is graph/repositories/archive.py's and merge.py's; here are the rules a
coordinator meets: who may, what must be true first, and what the page says when it is not."""

from __future__ import annotations

from collections.abc import Callable

from graph.repositories.archive import ArchiveRepository, NotArchivable
from graph.repositories.merge import MergeRefused, MergeRepository
from graph.repositories.staff import current_territories
from interop.folding import fold
from referral import clock, policy
from referral.directory import messages
from referral.service_errors import CONFLICT, NotFound, Refused, ServiceError

# How many people a merge search proposes: a name typed is enough to narrow it.
CANDIDATES = 20


def still_open(record: dict, message=messages.ARCHIVED) -> None:
    """A record is changed only while it is not archived: restore it first (ServiceError otherwise)."""
    if record.get("archived_on"):
        raise ServiceError(CONFLICT, "archived", str(message))


class Upkeep:
    def __init__(self, principal: policy.Principal, repository: Callable, user: str):
        self.principal, self.repository, self.user = principal, repository, user

    def _require(self, allowed: bool) -> None:
        if not allowed:
            raise Refused

    def _archive(self) -> ArchiveRepository:
        return self.repository(ArchiveRepository)

    def _done(self, change: Callable[[], dict]) -> dict:
        """`change()`'s account of what it did; a conflict when it had nothing to do (archived or restored by
        someone else meanwhile: the page shows the record as it is now)."""
        try:
            return change()
        except NotArchivable as error:
            raise ServiceError(CONFLICT, "unchanged", str(messages.ALREADY_DONE)) from error

    # --- organisations and services --------------------------------------------------------------

    def may_archive_organisation(self, organisation: dict) -> bool:
        return policy.may_change_organisation(self.principal, organisation["territory"])

    def archive_organisation(self, organisation: dict) -> dict:
        """Archived from today, with its services; its current jobs end today."""
        self._require(self.may_archive_organisation(organisation))
        return self._done(lambda: self._archive().archive_organisation(
            organisation["id"], clock.today(), self.user))

    def restore_organisation(self, organisation: dict) -> dict:
        """Back, with the services and jobs its archive ended (not those ended another way)."""
        self._require(self.may_archive_organisation(organisation))
        return self._done(lambda: self._archive().restore_organisation(organisation["id"], self.user))

    def archive_service(self, service: dict) -> dict:
        self._require(policy.may_change_service(self.principal, service["territory"]))
        return self._done(lambda: self._archive().archive_service(
            service["id"], clock.today(), self.user))

    def restore_service(self, service: dict) -> dict:
        self._require(policy.may_change_service(self.principal, service["territory"]))
        if service.get("organisation_archived_on"):
            raise ServiceError(CONFLICT, "organisation_archived", str(messages.ORGANISATION_ARCHIVED))
        return self._done(lambda: self._archive().restore_service(service["id"], self.user))

    # --- people ----------------------------------------------------------------------------------

    def may_archive_person(self, person: dict) -> bool:
        return policy.may_change_person(self.principal, current_territories(person))

    def archive_person(self, person: dict) -> dict:
        """Archived from today: their jobs end today, their account closes, they leave search and maps."""
        self._require(self.may_archive_person(person))
        return self._done(lambda: self._archive().archive_person(
            person["id"], clock.today(), self.user))

    def restore_person(self, person: dict) -> dict:
        self._require(self.may_archive_person(person))
        return self._done(lambda: self._archive().restore_person(person["id"], self.user))

    def merge_candidates(self, person: dict, people: list[dict], query: str) -> list[dict]:
        """Among `people` (those the principal may read), the other records the principal may merge into
        `person`, whose name holds every word of `query` (accents and case aside)."""
        words = fold(query).split()
        if not words:
            return []
        found = [p for p in people if p["id"] != person["id"] and self.may_archive_person(p)
                 and all(w in fold(p["name"] or "") for w in words)]
        return sorted(found, key=lambda p: fold(p["name"] or ""))[:CANDIDATES]

    def check_merge(self, keep: dict, gone: dict | None = None) -> None:
        """Refused without the right over both records (`keep` alone, before the other is chosen); a conflict
        for one record twice."""
        self._require(self.may_archive_person(keep) and (gone is None or self.may_archive_person(gone)))
        if gone is not None and gone["id"] == keep["id"]:
            raise ServiceError(CONFLICT, "same", str(messages.MERGE_SAME))

    def merge(self, keep: dict, gone: dict) -> dict:
        """`gone` merged into `keep` (the right over both is needed): what moved."""
        self.check_merge(keep, gone)
        try:
            return self.repository(MergeRepository).merge(keep["id"], gone["id"], clock.today(), self.user)
        except MergeRefused as error:
            if error.reason == "missing":
                raise NotFound(gone["id"]) from error
            raise ServiceError(CONFLICT, error.reason, str(messages.MERGE_SAME)) from error

    def merged_into(self, person_id: str) -> str | None:
        return self.repository(MergeRepository).merged_into(person_id)
