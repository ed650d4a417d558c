"""« Mes données »: a person downloads everything held about them, as JSON and as a zip of CSV files (one per
section, as French Excel opens them); only their own notes, messages and survey answers, never a secret;
an account that is no person gets its account; nobody downloads anything without logging in."""

import csv
import io
import json
import re
import zipfile
from datetime import UTC, datetime, timedelta

import pytest

from graph.repositories.staff import StaffRepository
from graph.repositories.waves import WaveRepository
from referral import clock
from referral.profile.service import FILES
from tests.conftest import DEMO_ACCOUNTS

MY_NOTE = "Disponible les mardis pour un premier appel."
THEIR_NOTE = "Préférence pour une rencontre en après-midi."
MY_MESSAGE = "Merci, je vous rappelle demain matin."
THEIR_MESSAGE = "Parfait, la rencontre du matin convient."
FORMULA = '=HYPERLINK("https://exemple.org","ouvrir")'
DOWNLOADS = ("/profil/mes-donnees.json", "/profil/mes-donnees.zip")


@pytest.fixture
def held(demo, graph, client, auth):
    """The demo intervenant.e's person with one referral of each direction (each side's note and message), an
    API token named like a formula, a survey both answered, and a coordinator's change of their consent."""
    me = next(u["person"] for u in demo.users if u["email"] == DEMO_ACCOUNTS["intervenant"])
    jobs = {j["person"]: j["organisation"] for j in demo.works_at}
    other = next(p for p in demo.people if p["kind"] == "intervenant" and p["listed"] and p["research_consent"]
                 and p["territory"] == "mn" and p["id"] != me and jobs[p["id"]] != jobs[me])
    other_account = next(u["email"] for u in demo.users if u["person"] == other["id"])

    auth.login(other_account)
    received = refer(client, me, THEIR_NOTE)
    assert client.post(f"/references/{received}/messages", data={"text": THEIR_MESSAGE}).status_code == 302
    auth.logout()
    auth.as_role("intervenant")
    sent = refer(client, other["id"], MY_NOTE)
    assert client.post(f"/references/{received}/messages", data={"text": MY_MESSAGE}).status_code == 302
    assert client.post("/profil/jeton", data={"name": FORMULA, "scope": "read"}).status_code == 200

    today, now = clock.today(), datetime.now(UTC)
    waves = WaveRepository(graph)
    wave = waves.create(title="Sondage d'automne", scope="mn", territories=["mn"], opens=today,
                        closes=today + timedelta(days=14), roster_rule="working", created_by="u-demo-evaluator")
    waves.save_answers(wave["id"], me, {other["id"]: {"knows": True, "level": "cooperation", "trust": 3, "value": 4,
                                                      "knew_before": True}}, today, now)
    waves.save_answers(wave["id"], other["id"], {me: {"knows": True, "level": "coalition", "trust": 1, "value": 1,
                                                      "knew_before": False}}, today, now)
    StaffRepository(graph).update(me, {"research_consent": False}, user=DEMO_ACCOUNTS["coordinator"])
    return {"me": me, "other": other, "sent": sent, "received": received, "wave": wave["id"], "today": today}


def refer(client, to: str, note: str) -> str:
    response = client.post("/api/v1/referrals", json={"to": to, "need": "mental-health", "note": note})
    assert response.status_code == 201, response.json
    return response.json["referral"]["id"]


def secrets(graph, person: str) -> list[str]:
    """The password and token hashes of the person's accounts."""
    records, _, _ = graph.execute_query(
        """
        MATCH (u:User)-[:IS]->(:Person {id: $id}) OPTIONAL MATCH (u)-[:HAS_TOKEN]->(t:ApiToken)
        RETURN u.id AS account, u.password_hash AS password, collect(t.hash) AS tokens
        """, id=person)
    found = [h for r in records for h in [r["password"], *r["tokens"]]]
    assert len(found) >= 3  # two accounts (the demo's and the person's own), one token at least
    return found


def download(client, path: str):
    response = client.get(path)
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="reseau-ei-mes-donnees-\d{4}-\d\d-\d\d\.(json|zip)"', disposition)
    assert response.headers["Cache-Control"] == "no-store"
    return response


def tables(body: bytes) -> dict[str, list[dict]]:
    """Each CSV of the zip, read back as French Excel writes it: a byte-order mark, then `;`-separated rows."""
    found = {}
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            assert data.startswith("\ufeff".encode()), name
            found[name] = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    return found


def test_the_json_holds_every_section_with_the_graphs_values(held, demo, graph, client):
    me, other = held["me"], held["other"]
    response = download(client, "/profil/mes-donnees.json")
    assert response.mimetype == "application/json"
    record = json.loads(response.get_data(as_text=True))
    person = next(p for p in demo.people if p["id"] == me)
    assert {"exported_at", "accounts", "profile", "consents", "jobs", "sessions", "ties", "referrals",
            "notifications", "surveys", "journal"} <= set(record)
    assert record["profile"]["name"] == person["name"] and record["profile"]["email"] == person["email"]
    assert {n["id"] for n in record["profile"]["expertise"]} == {e["need"] for e in demo.expertise
                                                                 if e["person"] == me}
    assert {a["email"] for a in record["accounts"]} == {DEMO_ACCOUNTS["intervenant"], person["email"]}
    assert FORMULA in [t["name"] for a in record["accounts"] for t in a["tokens"]]

    organisations = {o["id"]: o["name"] for o in demo.organisations}
    assert {j["organisation_name"] for j in record["jobs"]} == {
        organisations[j["organisation"]] for j in demo.works_at if j["person"] == me}
    assert len(record["sessions"]) == len([a for a in demo.attended if a["person"] == me]) > 0
    ties = graph.execute_query("MATCH (:Person {id: $id})-[k:KNOWS]-(o) RETURN o.name AS name", id=me).records
    assert sorted(t["other_name"] for t in record["ties"]) == sorted(r["name"] for r in ties)
    assert all(t["origin"] and t["since"] and t["level"] for t in record["ties"])

    referrals = {r["id"]: r for r in record["referrals"]}
    sent, received = referrals[held["sent"]], referrals[held["received"]]
    assert (sent["direction"], sent["other_name"], sent["note"]) == ("sent", other["name"], MY_NOTE)
    assert (received["direction"], received["other_name"], received["note"]) == ("received", other["name"], None)
    assert [e["status"] for e in received["events"]] == ["sent"] and received["status"] == "sent"
    assert [m["text"] for m in received["messages"]] == [MY_MESSAGE]
    assert any(n["referral"] == held["received"] for n in record["notifications"])

    answers = [s for s in record["surveys"] if s["wave"] == held["wave"]]
    assert [(a["other_name"], a["level"], a["trust"]) for a in answers] == [(other["name"], "cooperation", 3)]
    consents = {c["consent"]: c for c in record["consents"]}
    assert consents["research_consent"]["value"] is False and consents["listed"]["value"] is True
    assert consents["research_consent"]["journal_by"] == DEMO_ACCOUNTS["coordinator"]
    assert [(j["by"], j["entity_id"]) for j in record["journal"]] == [(DEMO_ACCOUNTS["coordinator"], me)]
    assert "research_consent: True → False" in record["journal"][0]["summary"]

    text = response.get_data(as_text=True)
    assert THEIR_NOTE not in text and THEIR_MESSAGE not in text
    assert '"password_hash"' not in text and '"hash"' not in text
    assert not any(secret in text for secret in secrets(graph, me))


def test_the_zip_holds_one_csv_per_section(held, demo, graph, client):
    me, other = held["me"], held["other"]
    response = download(client, "/profil/mes-donnees.zip")
    assert response.mimetype == "application/zip"
    found = tables(response.get_data())
    assert set(found) == set(FILES.values())
    profile = {row["field"]: row["value"] for row in found["profil.csv"]}
    person = next(p for p in demo.people if p["id"] == me)
    assert profile["name"] == person["name"] and profile["research_consent"] == "false"
    assert "fr" in profile["languages"]
    assert {row["email"] for row in found["compte.csv"]} == {DEMO_ACCOUNTS["intervenant"], person["email"]}
    # A token's name that a spreadsheet would run is written as text.
    assert "'" + FORMULA in [row["name"] for row in found["jetons-api.csv"]]
    assert found["emplois.csv"] and all(row["organisation_name"] and row["since"] for row in found["emplois.csv"])
    assert len(found["liens.csv"]) == len(graph.execute_query(
        "MATCH (:Person {id: $id})-[k:KNOWS]-() RETURN k", id=me).records)
    assert len(found["seances-ei.csv"]) == len([a for a in demo.attended if a["person"] == me])

    referrals = {row["id"]: row for row in found["references.csv"]}
    assert referrals[held["sent"]]["note"] == MY_NOTE and referrals[held["received"]]["note"] == ""
    assert referrals[held["received"]]["other_name"] == other["name"]
    assert {(row["referral"], row["status"]) for row in found["references-evenements.csv"]} >= {
        (held["sent"], "sent"), (held["received"], "sent")}
    assert [(row["referral"], row["text"]) for row in found["references-messages.csv"]] == [
        (held["received"], MY_MESSAGE)]
    assert [row["level"] for row in found["sondages.csv"] if row["wave"] == held["wave"]] == ["cooperation"]
    consents = {row["consent"]: row for row in found["consentements.csv"]}
    assert consents["research_consent"]["journal_by"] == DEMO_ACCOUNTS["coordinator"]
    assert [row["entity_id"] for row in found["journal.csv"]] == [me]
    assert any(row["referral"] == held["received"] for row in found["courriels.csv"])

    assert not {"password_hash", "hash"} & {column for rows in found.values() for row in rows for column in row}
    every_cell = "\n".join(v or "" for rows in found.values() for row in rows for v in row.values())
    assert THEIR_NOTE not in every_cell and THEIR_MESSAGE not in every_cell
    assert not any(secret in every_cell for secret in secrets(graph, me))


def test_the_page_explains_and_links_both_downloads(demo, client, auth):
    auth.as_role("intervenant")
    assert 'href="/profil/mes-donnees"' in client.get("/profil/").get_data(as_text=True)
    page = client.get("/profil/mes-donnees").get_data(as_text=True)
    assert "Loi 25" in page and all(f'href="{path}"' in page for path in DOWNLOADS)
    assert "Seulement vos propres notes et messages" in page


def test_an_account_that_is_no_person_gets_its_account_only(demo, client, auth):
    auth.as_role("admin")
    assert 'href="/profil/mes-donnees"' in client.get("/profil/").get_data(as_text=True)
    assert "aucune personne du répertoire" in client.get("/profil/mes-donnees").get_data(as_text=True)
    record = download(client, "/profil/mes-donnees.json").json
    assert set(record) == {"exported_at", "accounts"}
    assert [(a["email"], a["role"]) for a in record["accounts"]] == [(DEMO_ACCOUNTS["admin"], "admin")]
    assert "password_hash" not in record["accounts"][0]
    found = tables(download(client, "/profil/mes-donnees.zip").get_data())
    assert set(found) == {FILES["accounts"], FILES["tokens"]}
    assert [row["email"] for row in found["compte.csv"]] == [DEMO_ACCOUNTS["admin"]]


@pytest.mark.parametrize("path", ("/profil/mes-donnees", *DOWNLOADS))
def test_anonymous_visitors_are_sent_to_log_in(demo, client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]
