"""The authorisation policy as a literal matrix (no Neo4j): each expectation is written here, never read
from the policy, so a change of rule fails a line of this file."""

from __future__ import annotations

import pytest

from referral.policy import (
    MAINTAINERS,
    Principal,
    may_change_job,
    may_change_organisation,
    may_change_person,
    may_change_service,
    may_change_territory,
    may_create_person,
    may_open,
    may_read_person,
    may_refer,
    may_survey,
    scope,
    sees_names,
)

ADMIN = Principal("admin")
ALL = Principal("coordinator")  # a coordinator of every territory
MN = Principal("coordinator", "mn")
INTERVENANT = Principal("intervenant", "mn", "p-001")
EVALUATOR = Principal("evaluator")
PRINCIPALS = {"admin": ADMIN, "coordinator_all": ALL, "coordinator_mn": MN, "intervenant": INTERVENANT,
              "evaluator": EVALUATOR}

# Records by where they are now: an organisation's territory; a person's current territories.
MN_ORG, VSP_ORG, NO_ORG = "mn", "vsp", None
MN_PERSON, VSP_PERSON, BOTH, JOBLESS = {"mn"}, {"vsp"}, {"mn", "vsp"}, set()

# principal: (MN record, VSP record, record in both / moved MN→VSP, record in no territory)
ORGANISATIONS = {
    "admin": (True, True, True, True),
    "coordinator_all": (True, True, True, True),
    "coordinator_mn": (True, False, False, False),
    "intervenant": (False, False, False, False),
    "evaluator": (False, False, False, False),
}
PEOPLE = {
    "admin": (True, True, True, True),
    "coordinator_all": (True, True, True, True),
    "coordinator_mn": (True, False, True, False),
    "intervenant": (False, False, False, False),
    "evaluator": (False, False, False, False),
}


@pytest.mark.parametrize("who", ORGANISATIONS)
def test_organisations_and_services_by_their_current_territory(who):
    principal = PRINCIPALS[who]
    got = (may_change_organisation(principal, MN_ORG), may_change_organisation(principal, VSP_ORG),
           may_change_organisation(principal, MN_ORG, moved_to=VSP_ORG), may_change_organisation(principal, NO_ORG))
    assert got == ORGANISATIONS[who]
    assert (may_change_service(principal, MN_ORG), may_change_service(principal, VSP_ORG)) == ORGANISATIONS[who][:2]


@pytest.mark.parametrize("who", PEOPLE)
def test_people_by_every_territory_they_work_in(who):
    principal = PRINCIPALS[who]
    got = tuple(may_change_person(principal, t) for t in (MN_PERSON, VSP_PERSON, BOTH, JOBLESS))
    assert got == PEOPLE[who]


@pytest.mark.parametrize("person, organisation, expected", [
    (MN_PERSON, MN_ORG, True),
    (VSP_PERSON, MN_ORG, False),  # the issue: only the target organisation's territory was checked
    (MN_PERSON, VSP_ORG, False),
    (BOTH, MN_ORG, True),
    (BOTH, VSP_ORG, False),
    (JOBLESS, MN_ORG, False),
])
def test_a_new_job_needs_the_person_and_the_organisation(person, organisation, expected):
    assert may_change_job(MN, person, organisation) is expected
    assert may_change_job(ALL, person, organisation) is True
    assert may_change_job(ADMIN, person, organisation) is True
    assert may_change_job(INTERVENANT, person, organisation) is False


def test_new_people_and_scopes():
    assert may_create_person(MN, "mn") is True and may_create_person(MN, "vsp") is False
    assert may_create_person(ALL, "vsp") is True and may_create_person(INTERVENANT, "mn") is False
    assert scope(ADMIN) is None and scope(ALL) is None
    assert scope(MN) == {"mn"} and scope(INTERVENANT) == set() and scope(EVALUATOR) == set()
    assert may_change_territory(MN, "mn") and not may_change_territory(MN, None)


# principal: (listed VSP, unlisted MN, unlisted VSP, unlisted in both, unlisted jobless, p-001 unlisted in MN)
READING = {
    "admin": (True, True, True, True, True, True),
    "coordinator_all": (True, True, True, True, True, True),
    "coordinator_mn": (True, True, False, True, False, True),
    "intervenant": (True, False, False, False, False, True),
    "evaluator": (False, False, False, False, False, False),
}


@pytest.mark.parametrize("who", READING)
def test_unlisted_people_are_seen_by_themselves_admins_and_their_coordinators(who):
    principal = PRINCIPALS[who]
    got = (may_read_person(principal, VSP_PERSON, True, "p-1"), may_read_person(principal, MN_PERSON, False, "p-2"),
           may_read_person(principal, VSP_PERSON, False, "p-3"), may_read_person(principal, BOTH, False, "p-4"),
           may_read_person(principal, JOBLESS, False, "p-5"), may_read_person(principal, MN_PERSON, False, "p-001"))
    assert got == READING[who]


def test_areas_and_survey_waves():
    assert [who for who, p in PRINCIPALS.items() if may_open(p, MAINTAINERS)] == [
        "admin", "coordinator_all", "coordinator_mn"]
    assert may_survey(EVALUATOR, ["mn", "vsp"]) and may_survey(ALL, ["mn", "vsp"])
    assert may_survey(MN, ["mn"]) and not may_survey(MN, ["mn", "vsp"]) and not may_survey(INTERVENANT, ["mn"])


def test_names_and_referrals():
    assert [who for who, p in PRINCIPALS.items() if not sees_names(p)] == ["evaluator"]
    assert [who for who, p in PRINCIPALS.items() if may_refer(p)] == ["intervenant"]
    assert not may_refer(Principal("intervenant"))  # an account with no person of the network
