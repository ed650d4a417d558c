"""Referrals: the status machine (allowed and forbidden changes, concurrency), double submit and the tie a
first accepted referral creates. The pages and the API (who sees the note, stale flags, every API error) are
in test_referrals_api.py, which shares this module's network, fixture and helpers."""

import threading
from datetime import UTC, date, datetime

import pytest

from graph.repositories.referrals import ReferralRepository
from referral.referrals import machine
from referral.referrals.machine import (
    STATUSES,
    TRANSITIONS,
    InvalidReferral,
    ReferralNotFound,
    TransitionNotAllowed,
    WrongParty,
)
from seed.demo.network import Network
from tests.conftest import graph_fingerprint, quick_hash

PASSWORD = "pair-network-pw"
HASH = quick_hash(PASSWORD)
NOW = datetime(2025, 10, 1, 12, 0, tzinfo=UTC)
TODAY = date(2025, 10, 1)

# The shortest path from `sent` to each status, with who makes each step.
PATHS = {
    "sent": [],
    "accepted": [("accepted", "r")],
    "declined": [("declined", "r")],
    "in_progress": [("accepted", "r"), ("in_progress", "r")],
    "completed": [("accepted", "r"), ("in_progress", "r"), ("completed", "r")],
    "cancelled": [("cancelled", "s")],
}


def pair_network() -> Network:
    """S refers to R; X is a third person (S's acquaintance); U did not consent to be listed."""
    net = Network()
    net.territories = [{"id": "mn", "name": "Montréal-Nord", "cohort": 1, "boroughs": [], "start": date(2022, 11, 1),
                        "end": date(2023, 4, 30), "latitude": 45.6, "longitude": -73.63}]
    net.needs = [{"id": "mental-health", "label_fr": "Santé mentale", "label_en": "Mental health", "keywords": ""}]
    net.organisations = [
        {"id": oid, "name": f"Organisme {oid}", "sector": "family", "kind": "community", "territory": "mn",
         "address": "1, rue Test", "postal_code": "H1G 1A1", "latitude": 45.6 + i / 100, "longitude": -73.63,
         "phone": "514 555-0100", "website": None, "languages": ["fr"], "source": "test"}
        for i, oid in enumerate(("o1", "o2"))]
    net.people = [
        {"id": pid, "name": name, "role": "intervenant_social", "kind": "intervenant", "email": f"{pid}@example.org",
         "phone": "514 555-0101", "languages": ["fr", "ar"], "listed": pid != "u", "research_consent": True,
         "born_in": None, "accepting_until": None}
        for pid, name in (("s", "Sandrine Sender"), ("r", "Rania Receiver"), ("x", "Xavier Tiers"),
                          ("u", "Ursule Unlisted"))]
    net.works_at = [{"person": p, "organisation": "o1" if p in ("s", "x") else "o2", "since": date(2020, 1, 1),
                     "until": None} for p in ("s", "r", "x", "u")]
    net.knows = [{"a": "s", "b": "x", "since": date(2021, 5, 1), "origin": "before_ei", "level": "coordination",
                  "session": None}]
    net.users = [{"id": f"u-{p}", "email": f"{p}@example.org", "role": "intervenant", "territory": "mn",
                  "person": p, "password_hash": HASH} for p in ("s", "r", "x")]
    net.users += [{"id": f"u-{role}", "email": f"{role}@example.org", "role": role, "territory": None,
                   "person": None, "password_hash": HASH} for role in ("admin", "evaluator", "coordinator")]
    return net


# Named apart from the fixture so that test_referrals_api.py can import it without shadowing it.
@pytest.fixture(name="referrals")
def fixture_referrals(pair):
    return ReferralRepository(pair)


def send(referrals, key=None, sender="s", receiver="r", note="Deux enfants d'âge scolaire."):
    referral, _ = machine.send(referrals, sender=sender, receiver=receiver, need="mental-health", language="ar",
                               urgency="normal", note=note, request_key=key, now=NOW, today=TODAY)
    return referral


def move(referrals, referral_id, status, who):
    return machine.change_status(referrals, referral_id, actor=who, status=status, now=NOW, today=TODAY,
                                  reason="no_capacity" if status == "declined" else None,
                                  outcome="got_help" if status == "completed" else None)


def at_status(referrals, status):
    referral = send(referrals)
    for step, who in PATHS[status]:
        move(referrals, referral["id"], step, who)
    return referral["id"]


# Also used by the HTTP tests: test_referrals_api.py, test_inbox.py, test_notifications.py, test_network.py.
def login(client, who):
    return client.post("/connexion", data={"email": f"{who}@example.org", "password": PASSWORD})


def knows(driver, a, b):
    records, _, _ = driver.execute_query(
        "MATCH (:Person {id: $a})-[k:KNOWS]-(:Person {id: $b}) RETURN k {.*} AS k", a=a, b=b)
    return [r["k"] for r in records]


# ── the status machine ──────────────────────────────────────────────────────────────────────────

def test_the_whole_loop_is_kept_in_an_append_only_history(referrals):
    referral_id = at_status(referrals, "completed")
    referral = referrals.get(referral_id)
    assert referral["status"] == "completed"
    assert [(e["seq"], e["status"], e["by"]) for e in referral["history"]] == [
        (0, "sent", "s"), (1, "accepted", "r"), (2, "in_progress", "r"), (3, "completed", "r")]
    assert referral["history"][3]["outcome"] == "got_help"


@pytest.mark.parametrize("current", STATUSES)
@pytest.mark.parametrize("target", list(TRANSITIONS))
def test_every_transition_is_allowed_or_refused(referrals, pair, current, target):
    referral_id = at_status(referrals, current)
    sources, party = TRANSITIONS[target]
    who = "s" if party == "sender" else "r"
    if current in sources:
        assert move(referrals, referral_id, target, who)["status"] == target
    else:
        before = graph_fingerprint(pair)
        with pytest.raises(TransitionNotAllowed) as refused:
            move(referrals, referral_id, target, who)
        assert (refused.value.current, refused.value.target) == (current, target)
        assert graph_fingerprint(pair) == before


@pytest.mark.parametrize("target,wrong", [("accepted", "s"), ("declined", "s"), ("in_progress", "s"),
                                          ("completed", "s"), ("cancelled", "r")])
def test_each_change_belongs_to_one_party(referrals, target, wrong):
    referral_id = at_status(referrals, TRANSITIONS[target][0][0])
    with pytest.raises(WrongParty):
        move(referrals, referral_id, target, wrong)


def test_a_third_person_cannot_touch_it(referrals):
    referral_id = at_status(referrals, "sent")
    with pytest.raises(ReferralNotFound):
        move(referrals, referral_id, "accepted", "x")
    with pytest.raises(ReferralNotFound):
        move(referrals, "r-nope", "accepted", "r")


def test_reasons_and_outcomes_are_required(referrals):
    referral_id = at_status(referrals, "sent")
    with pytest.raises(InvalidReferral) as error:
        machine.change_status(referrals, referral_id, actor="r", status="declined", now=NOW, today=TODAY)
    assert error.value.field == "reason"
    move(referrals, referral_id, "accepted", "r")
    move(referrals, referral_id, "in_progress", "r")
    with pytest.raises(InvalidReferral) as error:
        machine.change_status(referrals, referral_id, actor="r", status="completed", outcome="great", now=NOW,
                              today=TODAY)
    assert error.value.field == "outcome"


def test_concurrent_acceptances_make_one_change(referrals, pair):
    referral_id = at_status(referrals, "sent")
    outcomes = []

    def accept():
        try:
            move(referrals, referral_id, "accepted", "r")
            outcomes.append("ok")
        except TransitionNotAllowed:
            outcomes.append("refused")

    threads = [threading.Thread(target=accept) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["ok"] + ["refused"] * 7
    assert [e["status"] for e in referrals.get(referral_id)["history"]] == ["sent", "accepted"]
    assert len(knows(pair, "s", "r")) == 1


@pytest.mark.parametrize("attempt", range(4))
def test_accept_and_cancel_at_once_lose_nothing(referrals, attempt):
    referral_id = at_status(referrals, "sent")
    done = []
    barrier = threading.Barrier(2)

    def change(status, who):
        barrier.wait()
        try:
            move(referrals, referral_id, status, who)
            done.append(status)
        except TransitionNotAllowed:
            pass

    threads = [threading.Thread(target=change, args=("accepted", "r")),
               threading.Thread(target=change, args=("cancelled", "s"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    referral = referrals.get(referral_id)
    history = [e["status"] for e in referral["history"]]
    # Every acknowledged change is in the history, in order, and the status is the last one.
    assert history[0] == "sent" and sorted(history[1:]) == sorted(done) and history[-1] == referral["status"]
    assert [e["seq"] for e in referral["history"]] == list(range(len(history)))
    assert history in (["sent", "cancelled"], ["sent", "accepted", "cancelled"])


def test_a_double_submitted_request_creates_one_referral(referrals, pair):
    results = []

    def submit():
        results.append(machine.send(referrals, sender="s", receiver="r", need="mental-health", language="ar",
                                        urgency="high", note=None, request_key="same-form-1234", now=NOW, today=TODAY))

    threads = [threading.Thread(target=submit) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len({referral["id"] for referral, _ in results}) == 1
    assert sorted(created for _, created in results) == [False] * 5 + [True]
    records, _, _ = pair.execute_query("MATCH (r:Referral) RETURN count(r) AS n")
    assert records[0]["n"] == 1
    # Another key is another referral.
    assert send(referrals, key="another-form-5678")["id"] != results[0][0]["id"]


def test_referrals_to_oneself_unlisted_or_unknown_people_are_refused(referrals, pair):
    before = graph_fingerprint(pair)
    for receiver, field in (("s", "to"), ("u", "to"), ("nobody", "to")):
        with pytest.raises(InvalidReferral) as error:
            send(referrals, receiver=receiver)
        assert error.value.field == field
    with pytest.raises(InvalidReferral):
        machine.send(referrals, sender="s", receiver="r", need="nothing", language="ar", urgency="normal", note=None,
                         request_key=None, now=NOW, today=TODAY)
    assert graph_fingerprint(pair) == before


# ── the network grows from use ──────────────────────────────────────────────────────────────────

def test_accepting_between_strangers_creates_a_referral_tie(referrals, pair):
    assert knows(pair, "s", "r") == []
    referral = move(referrals, at_status(referrals, "sent"), "accepted", "r")
    assert referral["tie_created"] is True
    [tie] = knows(pair, "s", "r")
    assert tie["origin"] == "referral" and tie["since"].to_native() == TODAY and tie["level"] == "networking"
    # A second accepted referral between them changes nothing.
    again = move(referrals, at_status(referrals, "sent"), "accepted", "r")
    assert again["tie_created"] is False and len(knows(pair, "s", "r")) == 1


def test_an_existing_tie_is_never_rewritten(referrals, pair):
    before = knows(pair, "s", "x")
    referral = move(referrals, send(referrals, receiver="x")["id"], "accepted", "x")
    assert referral["tie_created"] is False and knows(pair, "s", "x") == before


def test_declining_creates_no_tie(referrals, pair):
    move(referrals, at_status(referrals, "sent"), "declined", "r")
    assert knows(pair, "s", "r") == []
