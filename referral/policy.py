"""Who may open which area, and read or change which record: the one authorisation policy.

Pure functions over a principal (role, territory scope, person) and a record's CURRENT territories as
the graph holds them when the question is asked — never the territory a form or a file asks for alone.
No Flask, no Cypher: pages, API routes and both importers ask it; tests/unit/test_policy.py states its
matrix as literal expectations.

- Admins, and coordinators without a territory, change everything.
- A coordinator of a territory changes what belongs to it: an organisation located there, its services,
  a person who currently works there (someone working in several territories belongs to each of them),
  a tie of such a person. Moving a record (an organisation elsewhere, a person to a new job) needs the
  right over where it is and where it goes.
- A person with no current job belongs to the territories of their last jobs (archived: those they worked in
  then), whose coordinators keep the record; one who never had a job, to none (admins, unscoped coordinators).
- Unlisted people are seen by themselves, admins and the coordinators of a territory they work in;
  evaluators see no one by name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ADMIN, COORDINATOR, INTERVENANT, EVALUATOR = "admin", "coordinator", "intervenant", "evaluator"

# Who opens an area (role_required and the main navigation ask these).
EVERYONE = (INTERVENANT, COORDINATOR, EVALUATOR, ADMIN)
WORKERS = (INTERVENANT, COORDINATOR, ADMIN)  # the network's names: search, referrals, HSDS reads
MAINTAINERS = (COORDINATOR, ADMIN)  # the directory and its imports
EVALUATION = (EVALUATOR, COORDINATOR, ADMIN)
PEOPLE = (INTERVENANT,)  # a person of the network: their referrals, network, questionnaires
ADMINS = (ADMIN,)


@dataclass(frozen=True)
class Principal:
    role: str
    territory: str | None = None  # a coordinator's scope; None: every territory
    person: str | None = None  # the person of the network the account is, if any

    @classmethod
    def of(cls, user) -> Principal:
        """From the logged-in user (anything with role, territory and person_id)."""
        return cls(user.role, user.territory, user.person_id)


# The command line: whoever runs it holds the server.
OPERATOR = Principal(ADMIN)


def may_open(principal: Principal, roles: tuple[str, ...]) -> bool:
    return principal.role in roles


def sees_names(principal: Principal) -> bool:
    """Evaluators work on pseudonymous data only."""
    return principal.role != EVALUATOR


def may_refer(principal: Principal) -> bool:
    """Referrals go from a person of the network to another: an intervenant.e account tied to a person."""
    return principal.role in PEOPLE and principal.person is not None


def scope(principal: Principal) -> frozenset[str] | None:
    """The territories the principal may change: None for every one, empty for none."""
    if principal.role == ADMIN or (principal.role == COORDINATOR and principal.territory is None):
        return None
    return frozenset({principal.territory}) if principal.role == COORDINATOR else frozenset()


def may_change_territory(principal: Principal, territory: str | None) -> bool:
    """A record located in `territory` (None: in none, so everywhere-principals only)."""
    allowed = scope(principal)
    return allowed is None or territory in allowed


def may_change_organisation(principal: Principal, territory: str | None, moved_to: str | None = None) -> bool:
    """An organisation located in `territory` (for a new one: where it is created), moved to `moved_to`."""
    return may_change_territory(principal, territory) and (
        moved_to is None or may_change_territory(principal, moved_to))


def may_change_service(principal: Principal, organisation_territory: str | None,
                       moved_to: str | None = None) -> bool:
    """A service, by its organisation's territory (and, when it changes organisation, the new one's)."""
    return may_change_organisation(principal, organisation_territory, moved_to)


def may_change_person(principal: Principal, territories: Iterable[str]) -> bool:
    """A person, by the territories of their current jobs: one of them is enough."""
    allowed = scope(principal)
    return allowed is None or bool(allowed & set(territories))


def may_invite(principal: Principal, person_territories: Iterable[str] | None, role: str) -> bool:
    """Give a person of the directory an account by e-mail: admins invite anyone, with any role; a
    coordinator invites, as an intervenant.e only, a person they may change (granting wider rights is the
    admins'). `person_territories` is None when the address is no person of the directory."""
    if principal.role == ADMIN:
        return True
    return (principal.role == COORDINATOR and role == INTERVENANT and person_territories is not None
            and may_change_person(principal, person_territories))


def may_change_job(principal: Principal, person_territories: Iterable[str], organisation_territory: str | None) -> bool:
    """Start or end a person's job: the right over the person AND over the organisation."""
    return may_change_person(principal, person_territories) and may_change_territory(principal,
                                                                                     organisation_territory)


def may_create_person(principal: Principal, organisation_territory: str | None) -> bool:
    """A new person, created with a first job at an organisation of this territory."""
    return may_change_territory(principal, organisation_territory)


def may_tie(principal: Principal, a_territories: Iterable[str], b_territories: Iterable[str]) -> bool:
    """A tie between two people: the right over one of them (ties cross territories)."""
    return may_change_person(principal, a_territories) or may_change_person(principal, b_territories)


def may_read_person(principal: Principal, territories: Iterable[str], listed: bool | None,
                    person_id: str | None = None) -> bool:
    """A person by name: themselves; nobody for evaluators; listed people for everyone else; unlisted ones
    for admins and the coordinators of a territory they currently work in."""
    if person_id is not None and person_id == principal.person:
        return True
    if principal.role == EVALUATOR:
        return False
    return bool(listed) or may_change_person(principal, territories)


def may_shape_territories(principal: Principal) -> bool:
    """Make a territory or redraw one's limits: it moves organisations, postal areas and every scope."""
    return principal.role == ADMIN


def may_survey(principal: Principal, territories: Iterable[str]) -> bool:
    """Open a survey wave over these territories: evaluators any group; coordinators their own territories."""
    return principal.role == EVALUATOR or (
        principal.role in MAINTAINERS and all(may_change_territory(principal, t) for t in territories))
