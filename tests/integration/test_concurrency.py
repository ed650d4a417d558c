"""Fifty people pressing « Envoyer » or changing a status at the same moment: nothing is lost or doubled."""

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from itertools import combinations, permutations

import pytest

from graph.driver import create_driver
from graph.loader import load_network
from graph.repositories.referrals import ReferralRepository
from graph.repositories.ties import TieError, TieRepository
from referral.referrals import machine
from tests.api_helpers import a_receiver, bearer, referrals_in
from tests.integration.test_referrals import NOW, TODAY, knows, pair_network

N = 50


def all_at_once(calls):
    with ThreadPoolExecutor(max_workers=N) as pool:
        return list(pool.map(lambda call: call(), calls))


def test_fifty_simultaneous_creations_and_status_changes_lose_nothing(graph, demo, app):
    headers = bearer(graph, "u-demo-intervenant")
    receiver = a_receiver(app.test_client(), headers)
    before = referrals_in(graph)

    def create(n):
        return lambda: app.test_client().post("/api/v1/referrals", headers=headers, json={
            "to": receiver, "need": "mental-health", "request_key": f"concurrent-{n:03d}"})

    created = all_at_once([create(n) for n in range(N)])
    assert [r.status_code for r in created] == [201] * N
    ids = {r.json["referral"]["id"] for r in created}
    after = referrals_in(graph)
    assert len(ids) == N and set(after) - set(before) == ids
    assert all(after[i] == ("sent", True, [0]) for i in ids)

    # The same requests again (a network retry): the request keys give back the 50 referrals, no new ones.
    replayed = all_at_once([create(n) for n in range(N)])
    assert [r.status_code for r in replayed] == [200] * N
    assert {r.json["referral"]["id"] for r in replayed} == ids and len(referrals_in(graph)) == len(after)

    def cancel(referral_id):
        return lambda: app.test_client().post(f"/api/v1/referrals/{referral_id}/status", headers=headers,
                                              json={"status": "cancelled"})

    changed = all_at_once([cancel(i) for i in sorted(ids)])
    assert [r.status_code for r in changed] == [200] * N
    final = referrals_in(graph)
    assert all(final[i] == ("cancelled", True, [0, 1]) for i in ids)


def test_fifty_simultaneous_changes_of_one_referral_apply_once(graph, demo, app):
    headers = bearer(graph, "u-demo-intervenant")
    receiver = a_receiver(app.test_client(), headers)
    sent = app.test_client().post("/api/v1/referrals", headers=headers, json={"to": receiver, "need": "mental-health"})
    referral_id = sent.json["referral"]["id"]

    answers = all_at_once([lambda: app.test_client().post(f"/api/v1/referrals/{referral_id}/status",
                                                          headers=headers, json={"status": "cancelled"})] * N)
    assert sorted(r.status_code for r in answers) == [200] + [422] * (N - 1)
    assert referrals_in(graph)[referral_id] == ("cancelled", True, [0, 1])


def declare(ties: TieRepository, me: str, other: str) -> str:
    """Whether the tie was made ("made"), else the TieError's reason ("exists")."""
    try:
        ties.declare(me, other, since=TODAY, level="networking", now=NOW)
    except TieError as error:
        return str(error)
    return "made"


@pytest.fixture
def no_retry_driver(neo4j_settings):
    """A driver that does not retry: one deadlock between two transactions fails the test instead of being
    retried away."""
    driver = create_driver(neo4j_settings["uri"], neo4j_settings["user"], neo4j_settings["password"],
                           max_transaction_retry_time=0)
    yield driver
    driver.close()


def test_people_referring_and_declaring_ties_both_ways_at_once_never_deadlock(graph, no_retry_driver):
    load_network(graph, pair_network())  # s, r and x are listed; s and x are already tied
    referrals, ties = ReferralRepository(no_retry_driver), TieRepository(no_retry_driver)

    # r and x declare each other at the same time, as do r and s: one tie each, the others told it exists.
    declarations = [("r", "x"), ("x", "r"), ("r", "s"), ("s", "r")] * 3
    assert Counter(all_at_once([lambda p=p: declare(ties, *p) for p in declarations])) == {"made": 2, "exists": 10}

    def send(sender, receiver):
        referral, _ = machine.send(referrals, sender=sender, receiver=receiver, need="mental-health", language=None,
                                   urgency="normal", note=None, request_key=None, now=NOW, today=TODAY)
        return referral["id"], receiver

    sent = all_at_once([lambda p=p: send(*p) for p in permutations(("r", "s", "x"), 2)] * 8)
    assert len(set(sent)) == 48

    accepted = all_at_once([lambda i=i, to=to: machine.change_status(referrals, i, actor=to, status="accepted", now=NOW,
                                                                     today=TODAY)["status"] for i, to in sent])
    assert accepted == ["accepted"] * 48
    assert all(len(knows(graph, a, b)) == 1 for a, b in combinations(("r", "s", "x"), 2))


def test_a_tie_recorded_by_a_coordinator_while_the_pair_declares_it_is_made_once(graph, no_retry_driver):
    load_network(graph, pair_network())  # r and x are not tied yet
    ties = TieRepository(no_retry_driver)

    def record(a, b):
        made = ties.create(a, b, since=TODAY, origin="ei_session", level="networking", session=None,
                           user="u-coordinator")
        return "made" if made else "exists"

    calls = [lambda: record("r", "x"), lambda: record("x", "r"), lambda: declare(ties, "r", "x"),
             lambda: declare(ties, "x", "r")] * 6
    assert Counter(all_at_once(calls)) == {"made": 1, "exists": 23}
    assert len(knows(graph, "r", "x")) == 1


def test_referrals_completed_at_once_each_count_in_the_receivers_successes(graph, demo):
    """Ten referrals to one person completed with « got help » at the same moment: the search's count of
    their successes says ten more (computed side by side, the refreshes each missed the others': 10 at once
    counted 5, found by the outside pass)."""
    referrals = ReferralRepository(graph)
    receiver, *senders = [r["id"] for r in graph.execute_query(
        "MATCH (p:Person {listed: true})-[w:WORKS_AT]->() WHERE w.until IS NULL "
        "RETURN DISTINCT p.id AS id ORDER BY id LIMIT 11").records]
    ids = []
    for sender in senders:
        referral, created, _ = referrals.create(sender=sender, receiver=receiver, need="mental-health", language=None,
                                                urgency="normal", note=None, request_key=None, now=NOW, today=TODAY)
        assert created
        machine.change_status(referrals, referral["id"], actor=receiver, status="accepted", now=NOW, today=TODAY)
        ids.append(referral["id"])
    helped = "MATCH (:Person {id: $id})-[c:CAN_HELP]->() RETURN collect(DISTINCT c.helped) AS helped"
    before = graph.execute_query(helped, id=receiver).records[0]["helped"]
    all_at_once([lambda referral_id=referral_id: machine.change_status(
        referrals, referral_id, actor=receiver, status="completed", outcome="got_help", now=NOW, today=TODAY)
        for referral_id in ids])
    assert graph.execute_query(helped, id=receiver).records[0]["helped"] == [before[0] + 10]
