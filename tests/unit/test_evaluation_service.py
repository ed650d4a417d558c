"""The evaluation's service on its own, with stand-in repositories (no Neo4j, no Flask): it reads each
timeline once, lets a member see only the roster the policy allows, and refuses what its pages refuse."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from graph.repositories.evaluation import EvaluationRepository
from graph.repositories.waves import WaveError, WaveRepository
from referral.evaluation.service import Evaluation
from referral.policy import COORDINATOR, EVALUATOR, INTERVENANT, Principal
from referral.service_errors import CONFLICT, INVALID, MISSING, Refused, ServiceError

TERRITORIES = [
    {"id": "mn", "name": "Montréal-Nord", "cohort": 1, "start": date(2022, 10, 1), "end": date(2023, 6, 1),
     "sessions": {}},
    {"id": "vsp", "name": "Villeray", "cohort": 2, "start": date(2023, 10, 1), "end": date(2024, 6, 1),
     "sessions": {}},
]
WAVE = {"id": "w-1", "scope": "mn", "opens": date(2024, 1, 1), "closes": date(2024, 1, 31)}
ROSTER = [
    {"id": "listed-vsp", "territories": ["vsp"], "listed": True, "answer": None},
    {"id": "unlisted-vsp", "territories": ["vsp"], "listed": False, "answer": None},
    {"id": "unlisted-mn", "territories": ["mn"], "listed": False, "answer": None},
]


class Waves:
    def __init__(self, create_error: bool = False):
        self.create_error, self.created, self.saved = create_error, [], []

    def get(self, wave_id):
        return WAVE if wave_id == WAVE["id"] else None

    def questionnaire(self, wave_id, person_id):
        return [dict(p) for p in ROSTER] if person_id == "me" else None

    def create(self, **values):
        if self.create_error:
            raise WaveError("invalid", "roster")
        self.created.append(values)
        return {"id": "w-2", **values}

    def save_answers(self, wave_id, person_id, answers, today, now):
        self.saved.append((wave_id, person_id, answers))
        return len(answers)


class Territories:
    def territories(self):
        return TERRITORIES


def service(principal: Principal, waves: Waves | None = None, reads: list | None = None) -> Evaluation:
    repositories = {WaveRepository: waves or Waves(), EvaluationRepository: Territories()}
    reads = [] if reads is None else reads

    def read_timeline(details: bool) -> str:
        reads.append(details)
        return f"timeline {details}"

    return Evaluation(principal, repositories.__getitem__, read_timeline, "test-secret", date(2024, 6, 1))


def test_each_timeline_is_read_once_per_service():
    reads = []
    evaluation = service(Principal(EVALUATOR), reads=reads)
    assert [evaluation.timeline(), evaluation.timeline(), evaluation.timeline(details=True)] == [
        "timeline False", "timeline False", "timeline True"]
    assert reads == [False, True]


def test_a_member_sees_only_the_roster_the_policy_allows():
    sheet = service(Principal(INTERVENANT, person="me")).questionnaire("w-1", date(2024, 1, 10))
    assert [p["id"] for p in sheet.roster] == ["listed-vsp"]
    assert sheet.is_open
    coordinator = service(Principal(COORDINATOR, "mn", person="me")).questionnaire("w-1", date(2024, 2, 1))
    assert [p["id"] for p in coordinator.roster] == ["listed-vsp", "unlisted-mn"]
    assert not coordinator.is_open


def test_no_questionnaire_off_the_roster_or_for_an_unknown_wave():
    with pytest.raises(Refused):
        service(Principal(INTERVENANT, person="someone else")).questionnaire("w-1", date(2024, 1, 10))
    with pytest.raises(Refused):
        service(Principal(INTERVENANT)).questionnaire("w-1", date(2024, 1, 10))
    with pytest.raises(ServiceError) as error:
        service(Principal(INTERVENANT, person="me")).questionnaire("w-unknown", date(2024, 1, 10))
    assert (error.value.kind, error.value.code) == (MISSING, "unknown_wave")


@pytest.mark.parametrize(("today", "submitted", "expected"), [
    (date(2024, 2, 1), ["listed-vsp"], (CONFLICT, "wave_closed")),
    (date(2024, 1, 10), ["listed-vsp", "listed-vsp"], (INVALID, "invalid_roster")),
    (date(2024, 1, 10), ["unlisted-vsp"], (INVALID, "invalid_roster")),
])
def test_a_submission_is_taken_only_open_and_about_the_roster(today, submitted, expected):
    evaluation = service(Principal(INTERVENANT, person="me"))
    sheet = evaluation.questionnaire("w-1", today)
    with pytest.raises(ServiceError) as error:
        evaluation.check_submission(sheet, submitted)
    assert (error.value.kind, error.value.code) == expected


def test_answers_are_saved_for_the_principal():
    waves = Waves()
    evaluation = service(Principal(INTERVENANT, person="me"), waves)
    sheet = evaluation.questionnaire("w-1", date(2024, 1, 10))
    evaluation.check_submission(sheet, ["listed-vsp"])
    assert evaluation.save_answers(sheet, {"listed-vsp": None}, datetime(2024, 1, 10, 12)) == 1
    assert waves.saved == [("w-1", "me", {"listed-vsp": None})]


def test_waves_are_opened_only_where_the_principal_may_survey():
    waves = Waves()
    coordinator = service(Principal(COORDINATOR, "mn"), waves)
    assert [s.id for s in coordinator.survey_scopes()] == ["cohort-1", "mn"]
    with pytest.raises(Refused):
        coordinator.open_wave("vsp", "Vague", date(2024, 1, 1), date(2024, 2, 1), "attended", "u-1")
    with pytest.raises(Refused):
        service(Principal(EVALUATOR), waves).open_wave("all", "Vague", date(2024, 1, 1), date(2024, 2, 1),
                                                       "attended", "u-1")
    wave = coordinator.open_wave("mn", "  Vague  ", date(2024, 1, 1), date(2024, 2, 1), "attended", "u-1")
    assert (wave["title"], wave["territories"]) == ("Vague", ["mn"])


def test_a_wave_without_two_consenting_members_is_refused_about_its_scope():
    evaluation = service(Principal(EVALUATOR), Waves(create_error=True))
    with pytest.raises(ServiceError) as error:
        evaluation.open_wave("mn", "Vague", date(2024, 1, 1), date(2024, 2, 1), "attended", "u-1")
    assert (error.value.kind, error.value.code, list(error.value.fields)) == (INVALID, "small_roster", ["scope"])


def test_unknown_scope_format_and_rule():
    evaluation = service(Principal(EVALUATOR))
    for call, code in ((lambda: evaluation.scope("nowhere"), "unknown_scope"),
                       (lambda: evaluation.export(evaluation.scope("mn"), None, "xls"), "unknown_format"),
                       (lambda: evaluation.wave_figures("w-1", "neither"), "invalid_rule")):
        with pytest.raises(ServiceError) as error:
            call()
        assert error.value.code == code
