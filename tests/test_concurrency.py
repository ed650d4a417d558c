"""Fifty people pressing « Envoyer » or changing a status at the same moment: nothing is lost or doubled."""

from concurrent.futures import ThreadPoolExecutor

from tests.api_helpers import a_receiver, bearer, referrals_in

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
