"""The referral service on its own, with stand-in repositories (no Neo4j, no Flask app): who sees a referral,
what each party may do next, when it is stale, and how a refusal of the graph is worded for the page and
the API."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from graph.repositories.contacts import ContactRepository
from graph.repositories.note_vocabulary import NoteVocabularyRepository
from graph.repositories.referrals import ReferralRepository
from referral.policy import Principal
from referral.referrals import machine
from referral.referrals.machine import InvalidReferral, ReferralNotFound, TransitionNotAllowed, WrongParty
from referral.referrals.service import NoPerson, Referrals, refusal
from referral.service_errors import CONFLICT, FORBIDDEN, INVALID, MISSING, NotFound, ServiceError

NOW = datetime(2025, 10, 8, 12, 0, tzinfo=UTC)
TODAY = date(2025, 10, 8)
SENDER, RECEIVER = Principal("intervenant", "mn", "s"), Principal("intervenant", "mn", "r")


def referral(status="sent", updated_at=NOW):
    return {"id": "ref-1", "status": status, "sender": {"id": "s"}, "receiver": {"id": "r"},
            "updated_at": updated_at}


class FakeReferrals:
    """The repository's side of the machine: what it found under the referral's lock (`outcome`)."""

    MOVED = {"is_party": True, "by_party": True, "changed": True, "current": "sent", "tie_created": False}

    def __init__(self, found=None, error=None, outcome=None, paused_until=None):
        self.found, self.error, self.calls = found, error, []
        self.outcome = outcome or self.MOVED
        self.paused_until = paused_until  # the receiver takes no referrals until then

    def get(self, referral_id):
        return self.found

    def boxes(self, person, names, statuses=None):
        self.calls.append(("boxes", person, tuple(names)))
        return {name: [referral(updated_at=NOW - timedelta(days=8)), referral(updated_at=NOW)] for name in names}

    def create(self, **kwargs):
        self.calls.append(("create", kwargs))
        if self.error:
            raise self.error
        if self.paused_until and self.paused_until >= kwargs["today"] and not kwargs["despite_pause"]:
            return {"name": "Rania", "accepting_until": self.paused_until}, False, "paused"  # nothing written
        return referral(), True, None

    def move(self, referral_id, **kwargs):
        self.calls.append(("change", referral_id, kwargs))
        if self.error:
            raise self.error
        self.found = referral(kwargs["status"])
        return self.outcome


def service(principal=SENDER, repositories=None):
    return Referrals(principal, lambda cls: repositories[cls], NOW, TODAY)


@pytest.mark.parametrize("principal,sees", [
    (SENDER, True), (RECEIVER, True), (Principal("admin"), True), (Principal("intervenant", "mn", "x"), False),
    (Principal("coordinator"), False), (Principal("coordinator", "mn"), False), (Principal("evaluator"), False)])
def test_only_the_two_parties_and_admins_see_a_referral(principal, sees):
    referrals = service(principal, {ReferralRepository: FakeReferrals(referral())})
    assert referrals.may_see(referral()) is sees
    if sees:
        assert referrals.referral("ref-1")["id"] == "ref-1"
    else:
        with pytest.raises(NotFound):
            referrals.referral("ref-1")


def test_each_party_has_its_own_next_steps():
    assert service(SENDER).next_statuses(referral()) == ["cancelled"]
    assert service(RECEIVER).next_statuses(referral()) == ["accepted", "declined"]
    assert service(Principal("admin")).next_statuses(referral()) == []


def test_an_open_referral_is_stale_after_a_week_unchanged():
    week_ago = NOW - timedelta(days=7)
    assert service().is_stale(referral(updated_at=week_ago))
    assert not service().is_stale(referral(updated_at=week_ago + timedelta(seconds=1)))
    assert not service().is_stale(referral("completed", updated_at=week_ago))


def test_an_account_that_is_no_person_has_no_referrals():
    fake = FakeReferrals()
    nobody = service(Principal("coordinator", "mn"), {ReferralRepository: fake})
    for ask in (nobody.me, lambda: nobody.box("trash"), lambda: nobody.change("ref-1", "accepted"),
                lambda: nobody.changeable("ref-1")):
        with pytest.raises(NoPerson):
            ask()
    assert fake.calls == []


def test_the_boxes_and_their_stale_referrals():
    fake = FakeReferrals()
    boxes, stale = service(SENDER, {ReferralRepository: fake}).inbox()
    assert set(boxes) == {"received", "sent"} and [len(rows) for rows in stale.values()] == [1, 1]
    assert ("boxes", "s", ("received", "sent")) in fake.calls  # both boxes in one read
    with pytest.raises(ServiceError) as error:
        service(SENDER, {ReferralRepository: fake}).box("trash")
    assert (error.value.kind, list(error.value.fields)) == (INVALID, ["box"])


def test_sending_trims_the_note_and_sends_as_me():
    fake = FakeReferrals()
    service(SENDER, {ReferralRepository: fake}).send(
        to="r", need="n", language="ar", urgency="normal", note="  ", request_key="")
    sent = fake.calls[0][1]
    assert (sent["sender"], sent["note"], sent["request_key"], sent["now"]) == ("s", None, None, NOW)


def test_a_paused_receiver_is_sent_a_referral_only_despite_the_pause():
    fake = FakeReferrals(paused_until=TODAY)
    ask = service(SENDER, {ReferralRepository: fake}).send
    with pytest.raises(ServiceError) as refused:
        ask(to="r", need="n", language="fr", urgency="normal", note=None, request_key="")
    assert (refused.value.kind, refused.value.code, list(refused.value.fields)) == (
        CONFLICT, "receiver_paused", ["despite_pause"])
    sent, created = ask(to="r", need="n", language="fr", urgency="normal", note=None, request_key="",
                        despite_pause=True)
    assert created and [call[1]["despite_pause"] for call in fake.calls] == [False, True]


@pytest.mark.parametrize("error,kind,code,field", [
    (ReferralNotFound("ref-1"), MISSING, "not_found", None),
    (WrongParty("cancelled"), FORBIDDEN, "not_your_change", "status"),
    (WrongParty("accepted"), FORBIDDEN, "not_your_change", "status"),
    (TransitionNotAllowed("completed", "accepted"), INVALID, "transition_not_allowed", "status"),
    (InvalidReferral("receiver", field="to"), INVALID, "invalid_referral", "to"),
    (InvalidReferral("self", field="to"), INVALID, "invalid_referral", "to"),
    (InvalidReferral("reason", field="reason"), INVALID, "invalid_referral", "reason"),
])
def test_a_refusal_of_the_graph_is_a_service_error_naming_the_field(error, kind, code, field):
    fake = FakeReferrals(error=error)
    with pytest.raises(ServiceError) as raised:
        service(SENDER, {ReferralRepository: fake}).change("ref-1", "accepted")
    assert (raised.value.kind, raised.value.code) == (kind, code)
    assert list(raised.value.fields) == ([field] if field else [])


@pytest.mark.parametrize("found,error", [
    ({"is_party": False, "by_party": False, "changed": False, "current": None}, ReferralNotFound),
    ({"is_party": True, "by_party": False, "changed": False, "current": "sent"}, WrongParty),
    ({"is_party": True, "by_party": True, "changed": False, "current": "completed"}, TransitionNotAllowed),
])
def test_what_the_repository_found_under_the_lock_is_the_machines_refusal(found, error):
    fake = FakeReferrals(outcome=found | {"tie_created": False})
    with pytest.raises(error):
        machine.change_status(fake, "ref-1", actor="r", status="accepted", now=NOW, today=TODAY)
    assert fake.calls[0][2]["sources"] == ("sent",) and fake.calls[0][2]["party"] == "receiver"


@pytest.mark.parametrize("status,extra,field", [
    ("declined", {}, "reason"), ("completed", {"outcome": "great"}, "outcome"), ("deleted", {}, "status")])
def test_a_change_missing_what_it_needs_never_reaches_the_graph(status, extra, field):
    fake = FakeReferrals()
    with pytest.raises(InvalidReferral) as refused:
        machine.change_status(fake, "ref-1", actor="r", status=status, now=NOW, today=TODAY, **extra)
    assert refused.value.field == field and fake.calls == []


def test_refusals_say_who_may_make_the_change_and_what_the_receiver_is():
    assert refusal(WrongParty("cancelled")).message == "Seule la personne qui a envoyé la référence peut l'annuler."
    assert refusal(WrongParty("accepted")).message == ("Seule la personne qui reçoit la référence peut faire ce "
                                                       "changement.")
    assert refusal(InvalidReferral("self", field="to")).message == "On ne se réfère pas une famille à soi-même."
    assert refusal(InvalidReferral("receiver", field="to")).message == "Cette personne n'est pas dans le répertoire."
    assert refusal(InvalidReferral("x", field="odd")).message == "Certaines données sont invalides."


class FakeContacts:
    def __init__(self, listed=True, accepting_until=None):
        self.listed, self.accepting_until = listed, accepting_until

    def card(self, person_id, *, me, today):
        person = {"id": person_id, "name": "Rania", "listed": self.listed, "accepting_until": self.accepting_until}
        return {"person": person} if person_id != "nowhere" else None


@pytest.mark.parametrize("receiver,listed,found", [
    ("r", True, True), ("r", False, False), ("s", True, False), ("", True, False), ("nowhere", True, False)])
def test_one_refers_to_a_listed_person_at_work_other_than_oneself(receiver, listed, found):
    referrals = service(SENDER, {ContactRepository: FakeContacts(listed)})
    if found:
        assert referrals.receiver(receiver)["person"]["id"] == receiver
    else:
        with pytest.raises(NotFound):
            referrals.receiver(receiver)


class FakeVocabulary:
    def __init__(self):
        self.parties = None

    def mentioned(self, note, parties):
        self.parties = parties
        return {"places": [], "workers": [], "parties": ["Rania Receiver", "Sandrine Sender"]}


def test_the_note_check_allows_the_two_parties_names_and_refuses_a_phone_number():
    vocabulary = FakeVocabulary()
    referrals = service(SENDER, {NoteVocabularyRepository: vocabulary})
    assert referrals.note_findings("Bonjour Rania, appelez la mère au 514 555-0199.", "r")[0].kind == "phone"
    assert vocabulary.parties == ["r", "s"]
    assert referrals.note_findings("", "r") == []
