"""The HSDS exchange's rules, shared by the CLI, the pages and the API: the export and its records as the
HSDS API serves them, an import previewed then applied (each record asked of referral.policy by the plan),
the taxonomy-term -> need mappings, and the consent of imported contacts, within the principal's scope
(the export and the API's records: records.py).
No Flask, no Cypher: the repositories come from `repository(cls)`; the wording is messages.py's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from graph.repositories.hsds import HsdsRepository
from graph.repositories.needs import NeedRepository
from graph.repositories.places import PlacesRepository
from graph.repositories.territories import TerritoryRepository
from interop.hsds import package, validate
from interop.hsds.errors import PackageError, Problem
from interop.hsds.mapping import DEFAULT_KIND, DEFAULT_SECTOR, term_key
from interop.hsds.plan import ImportOptions, Plan, plan_import
from interop.hsds.planning import Places
from referral import policy
from referral.hsds import messages
from referral.hsds.records import HsdsRecords
from referral.service_errors import NotFound, Refused

TITLE = "Réseau EI — répertoire (HSDS 3)"


@dataclass
class Preview:
    """A package read, checked and planned: what confirming would write."""

    plan: Plan
    warnings: list[Problem] = field(default_factory=list)


def _checked(data: package.Package) -> list:
    """The package's warnings; PackageError when it cannot be imported."""
    errors, warnings = validate.check_package(data)
    if errors:
        raise PackageError(errors)
    return warnings


class HsdsExchange(HsdsRecords):
    """The import, the mappings and the consent here; the export and the API's records: HsdsRecords."""

    def __init__(self, principal: policy.Principal, repository: Callable, user: str):
        self.principal = principal
        self.repository = repository
        self.user = user  # who the journal says made the change

    def scope(self) -> list[str] | None:
        """The territories the principal may import into and keep; None: all of them."""
        allowed = policy.scope(self.principal)
        return None if allowed is None else sorted(allowed)

    # --- the import ----------------------------------------------------------------------------------

    def territory_choices(self) -> list[tuple[str, str]]:
        """The import's territories; placing each organisation from its location only when unscoped."""
        allowed = self.scope()
        choices = [(t["id"], t["name"]) for t in self.repository(TerritoryRepository).list()
                   if allowed is None or t["id"] in allowed]
        return choices if allowed else [("", messages.automatic_territory())] + choices

    def options(self, territory: str | None = None, sector: str = DEFAULT_SECTOR,
                kind: str = DEFAULT_KIND) -> ImportOptions:
        """The import's options: its plan asks the policy about this principal. `territory` None or blank:
        each organisation's from its location (the territories' polygons and the postal areas as the graph holds
        them); `sector` and `kind`: of those the package does not classify."""
        places = self.repository(PlacesRepository)
        return ImportOptions(territory=territory or None, places=Places(places.postal_area, places.territory_at),
                             principal=self.principal, sector=sector, kind=kind)

    def preview(self, data: package.Package, options: ImportOptions) -> Preview:
        """Raises PackageError (file, row, field of each problem) when the package cannot be imported."""
        warnings = _checked(data)
        plan = plan_import(data, self.repository(HsdsRepository).import_state(), options, messages.labels())
        return Preview(plan, warnings + plan.warnings)

    def apply(self, data: package.Package, options: ImportOptions) -> Preview:
        """All or nothing, planned again inside the write against the directory as it is then (someone may
        have changed it since the preview): the records (into the territories and needs `seed reference`
        wrote), each in the journal as the user's change — or nothing at all when the plan would change a
        record the principal may not (`plan.refused`). EmailTaken when a contact's e-mail was taken meanwhile;
        PackageError as `preview`."""
        warnings, labels = _checked(data), messages.labels()

        def planner(state: dict):
            plan = plan_import(data, state, options, labels)
            rows = {"organisations": plan.organisations, "services": plan.services, "people": plan.people}
            return plan, None if plan.refused else rows

        plan = self.repository(HsdsRepository).plan_and_apply(planner, options.source, self.user)
        return Preview(plan, warnings + plan.warnings)

    # --- term -> need mappings -----------------------------------------------------------------------

    def needs(self) -> list[dict]:
        return self.repository(NeedRepository).list()

    def mappings(self) -> list[dict]:
        return self.repository(HsdsRepository).mappings()

    def save_mapping(self, taxonomy: str, term: str, need: str) -> bool:
        """`taxonomy` blank: the term in every taxonomy. False when the need does not exist."""
        taxonomy, term = taxonomy.strip(), term.strip()
        return self.repository(HsdsRepository).save_mapping(term_key(taxonomy, term), taxonomy, term, need)

    def delete_mapping(self, key: str) -> bool:
        return self.repository(HsdsRepository).delete_mapping(key)

    # --- imported contacts waiting for their consent -------------------------------------------------

    def pending_contacts(self) -> list[dict]:
        return self.repository(HsdsRepository).pending_contacts(self.scope())

    def confirm_listing(self, person_id: str, confirmed_by: str) -> None:
        """Record an imported person's consent to be listed: NotFound when nobody waits under that id, Refused
        when they work in none of the principal's territories (asked of the policy, nothing written)."""
        repository = self.repository(HsdsRepository)
        territories = repository.pending_territories(person_id)
        if territories is None:
            raise NotFound(person_id)
        if not policy.may_change_person(self.principal, territories):
            raise Refused(person_id)
        # The scope again in the write: a job ended meanwhile cannot widen what was allowed.
        if not repository.confirm_listing(person_id, self.scope(), confirmed_by):
            raise Refused(person_id)
