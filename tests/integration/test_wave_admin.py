"""Running a survey wave (issue 19): the roster until it opens, closing early or extending, invitations and
reminders by e-mail, the follow-up of answers per member, and the answers exported under pseudonyms."""

import csv
import io
import re
from datetime import date, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import openpyxl

from analysis.pseudonyms import Pseudonyms
from graph.driver import MONTREAL_ZONE
from graph.repositories.waves import WaveRepository
from referral.auth.mail import wait_sent
from tests.conftest import graph_fingerprint
from tests.integration.test_evaluation_exports import csv_rows, download, personal_strings
from tests.integration.test_waves import NOW, TODAY, members, open_wave

YESTERDAY = TODAY - timedelta(days=1)


def roster(graph, wave_id) -> set[str]:
    return {m["id"] for m in WaveRepository(graph).responses(wave_id)["roster"]}


def wave_of(graph, wave_id) -> dict:
    return WaveRepository(graph).get(wave_id)


def page(client, wave_id) -> str:
    response = client.get(f"/evaluation/vagues/{wave_id}")
    assert response.status_code == 200
    return unescape(response.data.decode()).replace("\xa0", " ")


def address_of(graph, person_id) -> str:
    """Where a member is written to: their active account's address (the first, when they have two)."""
    return graph.execute_query("MATCH (u:User)-[:IS]->(:Person {id: $id}) WHERE coalesce(u.active, true) "
                               "RETURN min(u.email) AS email", id=person_id).records[0]["email"]


def flashed(response) -> list[str]:
    return re.findall(r'class="flash[^"]*"[^>]*>([^<]*)', unescape(response.data.decode()))


def answer_everyone(graph, wave_id, person_id, today=TODAY):
    others = roster(graph, wave_id) - {person_id}
    WaveRepository(graph).save_answers(wave_id, person_id, {
        o: {"knows": True, "level": "networking", "trust": 3, "value": 3, "knew_before": False} for o in others},
        today, NOW)


def test_the_roster_changes_until_the_wave_opens_then_is_frozen(app, demo, graph, client, auth):
    wave = open_wave(graph, opens=TODAY + timedelta(days=3), closes=TODAY + timedelta(days=20))
    first, second, *_ = members(demo)
    auth.as_role("coordinator")  # Montréal-Nord's: names, where the policy lets them read them
    shown = page(client, wave["id"])
    assert "Gestion de la vague" in shown and first["name"] in shown
    # A name is never shown beside its pseudonym: that would be a key to the evaluation's exports.
    assert Pseudonyms(app.config["SECRET_KEY"]).person(first["id"]) not in shown
    url = f"/evaluation/vagues/{wave['id']}/membres"
    assert client.post(f"{url}/{first['id']}/retirer").status_code == 302
    assert first["id"] not in roster(graph, wave["id"])
    assert first["name"] in page(client, wave["id"]).split("Ajouter une personne")[1]  # now offered back
    assert client.post(url, data={"person": first["id"]}).status_code == 302
    assert first["id"] in roster(graph, wave["id"])
    # Someone of another territory, or already on the list: refused, with its reason, nothing changed.
    before = graph_fingerprint(graph)
    stranger = members(demo, "vsp")[0]
    for person in (stranger["id"], second["id"], "p-nobody"):
        response = client.post(url, data={"person": person})
        assert response.status_code == 422 and "ne peut pas être ajoutée" in unescape(response.data.decode())
    assert graph_fingerprint(graph) == before
    # Open: the roster is frozen.
    graph.execute_query("MATCH (w:Wave {id: $id}) SET w.opens = $today", id=wave["id"], today=TODAY)
    before = graph_fingerprint(graph)
    for response in (client.post(f"{url}/{first['id']}/retirer"), client.post(url, data={"person": stranger["id"]})):
        assert response.status_code == 409 and "ne change plus" in unescape(response.data.decode())
    assert graph_fingerprint(graph) == before
    assert "Ajouter une personne" not in page(client, wave["id"])


def test_a_wave_keeps_two_members(app, demo, graph, client, auth):
    wave = open_wave(graph, opens=TODAY + timedelta(days=3))
    auth.as_role("evaluator")
    ids = sorted(roster(graph, wave["id"]))
    # The evaluator names people by their pseudonyms only, in links and forms too (found by the outside pass of
    # issue 19: « p-007 » beside « P-2678… » was a key from the exports to the directory).
    shown = client.get(f"/evaluation/vagues/{wave['id']}").get_data(as_text=True)
    assert not [person for person in ids if f"/{person}/" in shown or f'value="{person}"' in shown]
    assert client.post(f"/evaluation/vagues/{wave['id']}/membres/{ids[0]}/retirer").status_code == 422
    pseudonym = Pseudonyms(app.config["SECRET_KEY"]).person
    for person in ids[:-2]:
        assert client.post(f"/evaluation/vagues/{wave['id']}/membres/{pseudonym(person)}/retirer").status_code == 302
    response = client.post(f"/evaluation/vagues/{wave['id']}/membres/{pseudonym(ids[-1])}/retirer")
    assert response.status_code == 422 and "au moins deux membres" in unescape(response.data.decode())
    assert roster(graph, wave["id"]) == set(ids[-2:])


def test_extend_or_shorten_an_open_wave_and_rename_it(demo, graph, client, auth):
    wave = open_wave(graph, opens=TODAY - timedelta(days=5), closes=TODAY + timedelta(days=5))
    auth.as_role("evaluator")
    url = f"/evaluation/vagues/{wave['id']}/modifier"
    later = TODAY + timedelta(days=30)
    assert client.post(url, data={"title": "Printemps (prolongée)", "closes": later.isoformat()}).status_code == 302
    assert (wave_of(graph, wave["id"])["title"], wave_of(graph, wave["id"])["closes"]) == ("Printemps (prolongée)",
                                                                                           later)
    before = graph_fingerprint(graph)
    for closes in (TODAY - timedelta(days=2), TODAY - timedelta(days=9)):  # before yesterday; before the opening
        response = client.post(url, data={"title": "x", "closes": closes.isoformat()})
        assert response.status_code == 422 and "ne peut pas précéder" in unescape(response.data.decode())
    response = client.post(url, data={"title": "", "closes": later.isoformat()})
    assert response.status_code == 422
    assert graph_fingerprint(graph) == before


def test_a_survey_answered_in_part_is_taken_up_again_and_a_wave_closed_early_has_its_figures(
        demo, graph, client, auth):
    wave = open_wave(graph, opens=TODAY - timedelta(days=3), closes=TODAY + timedelta(days=10))
    me, other, third, *_ = members(demo)
    auth.login(me["email"], "demo-intervenant")
    answer = f"/evaluation/questionnaires/{wave['id']}"
    blank = {f"rows-{i}-{f}": "" for i in (0, 1) for f in ("knows", "level", "trust", "value", "knew_before")}
    rows = {**blank, "rows-0-person": other["id"], "rows-0-knows": "yes", "rows-1-person": third["id"]}
    assert client.post(answer, data=rows).status_code == 302  # « Oui », its level to come
    assert "1 réponse à compléter" in unescape(client.get(answer).data.decode())
    assert client.post(answer, data={**rows, "rows-0-level": "coordination", "rows-1-knows": "no"}).status_code == 302
    auth.logout()

    auth.as_role("evaluator")
    assert "fermée" not in page(client, wave["id"]).split("</h1>")[1].split("</p>")[0]
    response = client.post(f"/evaluation/vagues/{wave['id']}/fermer")
    assert response.status_code == 302
    assert wave_of(graph, wave["id"])["closes"] == YESTERDAY
    shown = page(client, wave["id"])
    assert "fermée" in shown.split("</h1>")[1].split("</p>")[0]
    assert "Ont répondu</dt><dd>1 (" in shown and "Fermer la vague maintenant" not in shown
    # The figures of the closed wave: me said they know other, so one tie under « either ».
    figures = client.get(f"/api/v1/evaluation/waves/{wave['id']}").get_json()
    assert figures["response"]["respondents"] == 1 and figures["figures"]["ties"] == 1
    assert figures["levels"]["coordination"] == 1
    # Closed for good: no more answers, and its dates no longer move (its title still may).
    before = graph_fingerprint(graph)
    for response in (client.post(f"/evaluation/vagues/{wave['id']}/fermer"),
                     client.post(f"/evaluation/vagues/{wave['id']}/modifier",
                                 data={"title": "x", "closes": (TODAY + timedelta(days=9)).isoformat()})):
        assert response.status_code == 409 and "ses dates ne changent plus" in unescape(response.data.decode())
    assert graph_fingerprint(graph) == before
    assert client.post(f"/evaluation/vagues/{wave['id']}/modifier", data={"title": "Bilan"}).status_code == 302
    assert wave_of(graph, wave["id"])["title"] == "Bilan" and wave_of(graph, wave["id"])["closes"] == YESTERDAY
    auth.logout()
    auth.login(me["email"], "demo-intervenant")
    assert client.post(answer, data=rows).status_code == 409


def test_a_wave_opened_today_closes_tonight(demo, graph, client, auth):
    wave = open_wave(graph)
    auth.as_role("admin")
    page = unescape(client.post(f"/evaluation/vagues/{wave['id']}/fermer", follow_redirects=True).data.decode())
    assert wave_of(graph, wave["id"])["closes"] == TODAY
    # Found by the outside pass: it said « Vague fermée … chiffres définitifs » while it stayed open all day.
    assert "se ferme ce soir" in page and "Vague fermée" not in page


def test_invitations_and_reminders_by_e_mail(app, demo, graph, client, auth, mailbox):
    wave = open_wave(graph, opens=TODAY - timedelta(days=1), closes=TODAY + timedelta(days=7))
    ids = sorted(roster(graph, wave["id"]))
    expected = {address_of(graph, p): p for p in ids}
    auth.as_role("coordinator")
    response = client.post(f"/evaluation/vagues/{wave['id']}/invitations", follow_redirects=True)
    assert f"{len(ids)} invitations envoyées" in unescape(response.data.decode())
    wait_sent(app)
    received = mailbox.wait_for(len(ids))
    assert sorted(m["To"] for m in received) == sorted(expected)
    names = {p["id"]: p["name"] for p in demo.people}
    for message in received:
        body = message.get_body(preferencelist=("plain",)).get_content()
        person = expected[message["To"]]
        assert f"/evaluation/questionnaires/{wave['id']}" in body and "Printemps" in message["Subject"]
        assert names[person] in body
        assert not [names[o] for o in ids if o != person and names[o] in body]  # nobody else's name
    # A second click sends nothing more.
    response = client.post(f"/evaluation/vagues/{wave['id']}/invitations", follow_redirects=True)
    assert "Aucune invitation à envoyer" in unescape(response.data.decode())
    wait_sent(app)
    assert len(mailbox.messages) == len(ids)
    # One member answers about everyone: the reminder goes to the others only, once a day.
    done = ids[0]
    answer_everyone(graph, wave["id"], done)
    mailbox.messages.clear()
    response = client.post(f"/evaluation/vagues/{wave['id']}/relances", follow_redirects=True)
    assert f"{len(ids) - 1} relances envoyées" in unescape(response.data.decode()), flashed(response)
    wait_sent(app)
    reminded = mailbox.wait_for(len(ids) - 1)
    assert sorted(m["To"] for m in reminded) == sorted(a for a, p in expected.items() if p != done)
    assert all("Rappel" in m["Subject"] for m in reminded)
    assert "Aucune relance" in unescape(client.post(f"/evaluation/vagues/{wave['id']}/relances",
                                                    follow_redirects=True).data.decode())
    wait_sent(app)
    assert len(mailbox.messages) == len(ids) - 1
    # The follow-up table: invited and reminded on, answers given, complete or not.
    shown = page(client, wave["id"])
    table = shown.split("Membres et suivi des réponses")[2].split("</table>")[0]
    assert table.count("<tr>") == len(ids) + 1
    done_row = table.split(names[done])[1].split("</tr>")[0]
    assert f"{len(ids) - 1} sur {len(ids) - 1}" in done_row and ">oui<" in done_row
    other_row = table.split(names[ids[1]])[1].split("</tr>")[0]
    assert f"0 sur {len(ids) - 1}" in other_row and ">non<" in other_row and other_row.count("—") == 0


def test_no_e_mail_after_closing_nor_reminder_before_opening(app, demo, graph, client, auth, mailbox):
    closed = open_wave(graph, opens=date(2024, 1, 1), closes=date(2024, 2, 1))
    upcoming = open_wave(graph, opens=TODAY + timedelta(days=2))
    auth.as_role("evaluator")
    before = graph_fingerprint(graph)
    for url, words in ((f"/evaluation/vagues/{closed['id']}/invitations", "plus d'invitation"),
                       (f"/evaluation/vagues/{closed['id']}/relances", "plus d'invitation"),
                       (f"/evaluation/vagues/{upcoming['id']}/relances", "pas encore ouverte")):
        response = client.post(url)
        assert response.status_code == 409 and words in unescape(response.data.decode())
    assert graph_fingerprint(graph) == before
    # Before it opens, the invitation already goes (it says when the wave opens).
    assert client.post(f"/evaluation/vagues/{upcoming['id']}/invitations").status_code == 302
    wait_sent(app)
    body = mailbox.wait_for(1)[0].get_body(preferencelist=("plain",)).get_content()
    assert str((TODAY + timedelta(days=2)).year) in body and "ouvert du" in body


def test_the_evaluator_sees_pseudonyms_and_exports_them(app, demo, graph, client, auth):
    wave = open_wave(graph)
    ids = sorted(roster(graph, wave["id"]))
    answer_everyone(graph, wave["id"], ids[0])
    WaveRepository(graph).save_answers(wave["id"], ids[1], {ids[0]: {"knows": False, "knew_before": True}}, TODAY,
                                       NOW)
    auth.as_role("evaluator")
    key = Pseudonyms(app.config["SECRET_KEY"])
    forbidden = personal_strings(demo)
    shown = page(client, wave["id"])
    assert all(key.person(p) in shown for p in ids) and not [s for s in forbidden if s in shown.split("<main")[1]]
    response = client.get(f"/evaluation/vagues/{wave['id']}/reponses.csv")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8")
    rows = csv_rows(text)
    assert not [s for s in forbidden if s in text]
    assert len(rows) == len(ids) - 1 + 1
    refusal = next(r for r in rows if r["rater"] == key.person(ids[1]))
    assert (refusal["rated"], refusal["knows"], refusal["level"], refusal["knew_before"]) == (
        key.person(ids[0]), "false", "", "true")
    assert {r["answered_on"] for r in rows} == {NOW.astimezone(ZoneInfo(MONTREAL_ZONE)).date().isoformat()}
    # The same person has the same pseudonym in the evaluation's own export.
    nodes = {r["id"] for r in csv_rows(download(client, "mn", "nodes.csv"))}
    assert {r["rater"] for r in rows} <= nodes
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/evaluation/vagues/{wave['id']}/reponses.xlsx").data))
    sheet = list(book.active.iter_rows(values_only=True))
    assert sheet[0][:2] == ("rater", "rated") and len(sheet) == len(rows) + 1
    english = client.get(f"/evaluation/vagues/{wave['id']}/reponses.csv", headers={"Accept-Language": "en"})
    assert list(csv.reader(io.StringIO(english.data.decode().lstrip("\ufeff"))))[0][0] == "rater"
    assert client.get(f"/evaluation/vagues/{wave['id']}/reponses.pdf").status_code == 404


def test_another_territorys_coordinator_and_intervenants_manage_nothing(demo, graph, client, auth):
    upcoming = open_wave(graph, territory="vsp", opens=TODAY + timedelta(days=2))
    running = open_wave(graph, territory="vsp", opens=YESTERDAY)
    someone = members(demo, "vsp")[0]["id"]
    posts = [(f"/evaluation/vagues/{upcoming['id']}/membres/{someone}/retirer", {}),
             (f"/evaluation/vagues/{upcoming['id']}/membres", {"person": someone}),
             (f"/evaluation/vagues/{running['id']}/modifier", {"title": "Prise", "closes": "2099-01-01"}),
             (f"/evaluation/vagues/{running['id']}/fermer", {}),
             (f"/evaluation/vagues/{running['id']}/invitations", {}),
             (f"/evaluation/vagues/{running['id']}/relances", {})]
    before = graph_fingerprint(graph)
    for role in ("coordinator", "intervenant"):
        auth.as_role(role)
        for url, data in posts:
            assert client.post(url, data=data).status_code == 403, (role, url)
        assert client.get(f"/evaluation/vagues/{running['id']}/reponses.csv").status_code == 403
        if role == "coordinator":  # reads the figures, not the administration
            assert "Gestion de la vague" not in page(client, running["id"])
        auth.logout()
    assert graph_fingerprint(graph) == before



def test_a_wave_in_the_past_or_opened_twice_is_refused_and_said_first(demo, graph, client, auth):
    """Found by the outside pass of issue 19: a wave closed before it opened was created, a double submit made
    two waves, and the form's errors were only under the list, far down the page."""
    auth.as_role("coordinator")
    form = {"title": "Double envoi", "scope": "mn", "opens": TODAY.isoformat(),
            "closes": (TODAY + timedelta(days=20)).isoformat(), "roster_rule": "working"}
    assert client.post("/evaluation/vagues", data=form).status_code == 302
    again = unescape(client.post("/evaluation/vagues", data=form).data.decode())
    assert "Cette vague existe déjà" in again
    assert again.index("La vague n'est pas ouverte") < again.index("<table")  # said before the list
    count = graph.execute_query("MATCH (w:Wave {title: 'Double envoi'}) RETURN count(w) AS n").records[0]["n"]
    assert count == 1
    past = unescape(client.post("/evaluation/vagues", data={
        **form, "title": "Passée", "opens": "2020-01-01", "closes": "2020-02-01"}).data.decode())
    assert "La fermeture est passée" in past
    assert not graph.execute_query("MATCH (w:Wave {title: 'Passée'}) RETURN w").records
