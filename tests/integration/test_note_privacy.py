"""The referral note check on notes written as community workers write them (tests/note_table.py: half
must go through, half must be refused with what was found), then through the form and the API on the
demo: the referral is not created and the worker is told what to remove."""

import pytest

from referral.referrals.note_check import identifying_details
from tests.conftest import graph_fingerprint
from tests.note_table import ALLOWED, PASSING, REFUSED


def test_the_table_is_balanced_and_large_enough():
    assert len(PASSING) >= 30 and len(REFUSED) >= 30


@pytest.mark.parametrize("note", PASSING)
def test_a_note_that_names_no_family_goes_through(note):
    assert identifying_details(note, ALLOWED) == []


@pytest.mark.parametrize("note,kind,text", REFUSED)
def test_a_note_that_identifies_the_family_is_refused_with_what_was_found(note, kind, text):
    assert (kind, text) in [(f.kind, f.text) for f in identifying_details(note, ALLOWED)]


@pytest.fixture
def parties(demo):
    """The demo intervenant.e's person, and a listed colleague of another organisation to refer to."""
    sender = next(u["person"] for u in demo.users if u["email"] == "intervenant@demo.reseau-ei.ca")
    jobs = {j["person"]: j["organisation"] for j in demo.works_at}
    receiver = next(p for p in demo.people if p["kind"] == "intervenant" and p["listed"]
                    and p["id"] != sender and jobs.get(p["id"]) != jobs[sender])
    return sender, receiver


def test_form_and_api_refuse_a_note_naming_the_family(demo, graph, client, auth, parties):
    _sender, receiver = parties
    first_name = receiver["name"].split()[0]
    note = f"Bonjour {first_name}, le père, Mohamed, habite au 1234 rue Lacordaire. Merci!"
    auth.as_role("intervenant")
    before = graph_fingerprint(graph)
    page = client.post("/references/nouvelle", data={"to": receiver["id"], "need": "mental-health",
                                                     "language": "ar", "urgency": "normal", "note": note})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Nous avons repéré : un prénom (Mohamed), une adresse (1234 rue Lacordaire)" in html
    assert f"un prénom ({first_name})" not in html  # the receiver's name is no family's
    api = client.post("/api/v1/referrals", json={"to": receiver["id"], "need": "mental-health", "note": note})
    assert api.status_code == 422 and api.json["error"]["code"] == "identifying_note"
    assert "un prénom (Mohamed), une adresse (1234 rue Lacordaire)" in api.json["error"]["fields"]["note"]
    assert graph_fingerprint(graph) == before  # no referral, nothing else either
    sent = client.post("/api/v1/referrals", json={"to": receiver["id"], "need": "mental-health",
                                                  "note": f"Bonjour {first_name}, mère monoparentale, 2 enfants."})
    assert sent.status_code == 201
