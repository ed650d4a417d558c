"""Every summary the directory's writers store, read in the journal in words (issue 21, outside pass 2): ties,
sessions and their attendance, cohorts, territories, merges, archives and restores, HSDS and CSV imports, a
point moved — no code, id, ISO date or field name left, in French or in English."""

import base64
import html
import io
import re
from datetime import date

from graph.repositories.sessions import SessionRepository
from graph.repositories.ties import TieRepository
from tests.conftest import DEMO_ACCOUNTS
from tests.integration.test_directory import organisation_form
from tests.integration.test_hsds_web import _example_zip, _pending_token, _upload

RAW = {
    "ISO date": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    "record id": re.compile(r"\b(?:[opsu]|cohort)-[a-z0-9]+(?:-[a-z0-9]+)*\b|\b[a-z]{2,4}-(?:c\d+-)?s\d+\b"),
    "code": re.compile(r"\b(?:ei_session|before_ei|declared|referral|postal_area|nominatim|manual|WORKS_AT)\b"),
    "field name": re.compile(r"\b(?:name|phone|email|languages|latitude|longitude|location_source|theme|theme_en|"
                             r"place|facilitators|cancelled|listed|role)\b ?:"),
    "plural in brackets": re.compile(r"\w\(s\)"),
}


def journal_rows(client) -> str:
    """The journal's rows as text (no markup, no links' addresses)."""
    page = client.get("/repertoire/journal").get_data(as_text=True)
    return html.unescape(re.sub(r"<[^>]+>", " ", page.split("<tbody>")[1].split("</tbody>")[0]))


def untied_pair(graph, territory: str) -> tuple[str, str]:
    record = graph.execute_query(
        """
        MATCH (a:Intervenant)-[w:WORKS_AT]->(:Organisation)-[:LOCATED_IN]->(:Territory {id: $t}) WHERE w.until IS NULL
        MATCH (b:Intervenant)-[v:WORKS_AT]->(:Organisation)-[:LOCATED_IN]->(:Territory {id: $t})
        WHERE v.until IS NULL AND a.id < b.id AND NOT EXISTS { (a)-[:KNOWS]-(b) }
        RETURN a.id AS a, b.id AS b ORDER BY a, b LIMIT 1
        """, t=territory).records[0]
    return record["a"], record["b"]


def import_participants(client, text: str) -> None:
    data = text.encode("utf-8-sig")
    preview = client.post("/repertoire/import", data={"kind": "participants", "file": (io.BytesIO(data), "c.csv")},
                          content_type="multipart/form-data")
    assert preview.status_code == 200, html.unescape(preview.get_data(as_text=True))[-800:]
    done = client.post("/repertoire/import/confirmer", data={"kind": "participants",
                                                             "content": base64.b64encode(data).decode()})
    assert done.status_code == 302


def every_writer_writes(demo, graph, client, auth) -> None:
    """One change of each format the journal reads, made as the app makes it, by an administrator."""
    auth.as_role("admin")
    user = DEMO_ACCOUNTS["admin"]
    a, b = untied_pair(graph, "mn")
    session = graph.execute_query("MATCH (s:Session {id: 'mn-s2'}) RETURN s.date AS day").records[0]["day"]
    TieRepository(graph).create(a, b, date(2022, 12, 14), "ei_session", "networking", "mn-s1", user)
    c, d = untied_pair(graph, "vsp")
    tie = {"person_a": c, "person_b": d, "since": "2021-05-03", "origin": "before_ei", "level": "networking"}
    assert client.post("/repertoire/liens/nouveau", data=tie).status_code == 302
    assert client.post(f"/repertoire/personnes/{c}/emplois", data={"organisation": "o-mn-01",
                                                                   "since": "2025-01-01"}).status_code == 302
    assert client.post(f"/repertoire/personnes/{c}/emplois/fin", data={"organisation": "o-mn-01",
                                                                       "until": "2025-06-30"}).status_code == 302
    sessions = SessionRepository(graph)
    present = [r["id"] for r in graph.execute_query(
        "MATCH (p:Intervenant)-[:ATTENDED]->(:Session {id: 'mn-s2'}) RETURN p.id AS id").records]
    sessions.set_attendance("mn-s2", present, 2, user)
    e, f = untied_pair(graph, "mn")
    assert sessions.record_ties("mn-s2", [(e, f)], "networking", user) == 1
    sessions.update("mn-s2", {"date": session.to_native(), "theme": "Budget familial", "place": None,
                              "facilitators": None, "theme_en": None}, user)
    assert client.post("/seances/cohortes/nouvelle", data={"name": "Cohorte du journal", "territories": ["mn"],
                                                          "start": "2031-01-10", "end": "2031-08-31",
                                                          "template": "y"}).status_code == 302
    cohort = graph.execute_query("MATCH (c:Cohort {name: 'Cohorte du journal'}) RETURN c.id AS id").records[0]["id"]
    assert client.post(f"/seances/cohortes/{cohort}/modifier", data={
        "name": "Cohorte renommée", "start": "2031-01-10", "end": "2031-08-31"}).status_code == 302
    last = graph.execute_query("MATCH (s:Session)-[:OF]->(:Cohort {id: $id}) RETURN s.id AS id ORDER BY s.number DESC "
                               "LIMIT 1", id=cohort).records[0]["id"]
    assert client.post(f"/seances/{last}/annuler").status_code == 302
    assert client.post("/territoires/nouveau", data={"territory_id": "verdun", "name": "Verdun",
                                                    "boroughs": ["Verdun"]}).status_code == 302
    assert client.post("/repertoire/organisations/o-mn-01/modifier", data=organisation_form(
        name="Halte-garderie Montréal-Nord", manual_position="y", latitude="45.536027", longitude="-73.6378123"
    )).status_code == 302
    assert client.post("/repertoire/organisations/o-mn-03/archiver").status_code == 302
    assert client.post("/repertoire/organisations/o-mn-03/restaurer").status_code == 302
    _upload(client, _example_zip())
    assert client.post("/hsds/import/confirmer", data={"token": _pending_token(client)}).status_code == 302
    someone = graph.execute_query("MATCH (p:Person {id: $id}) RETURN p.email AS email", id=a).records[0]["email"]
    organisation = next(o["name"] for o in demo.organisations if o["id"] == "o-mn-02")
    import_participants(client, "nom;courriel;telephone;organisation;territoire;role;langues;repertoire;depuis\n"
                                f"Import Journal;import.journal@exemple.org;;{organisation};mn;;fr;oui;\n"
                                f"Changé Par Import;{someone};438 555-0100;{organisation};mn;;fr;oui;\n")


def test_every_summary_reads_in_words_in_french(demo, graph, client, auth):
    every_writer_writes(demo, graph, client, auth)
    french = journal_rows(client)
    for kind, pattern in RAW.items():
        assert not pattern.search(french), (kind, pattern.search(french), french)
    assert "lors d'une séance EI, depuis le 14 décembre 2022" in french
    assert "avant EI, depuis le 3 mai 2021" in french and "terminé le 30 juin 2025" in french
    assert "Emploi à Halte-garderie Montréal-Nord depuis le 1 janvier 2025" in french
    assert "→ 45,53603 ; -73,63781" in french and "Position : " in french and "Latitude" not in french
    assert "Annulée" in french
    assert "Séance 2" in french and "Thème : « Budget familial »" in french and "Lieu : (vide)" in french
    assert "1 lien né en séance" in french and "2 parents partenaires" in french
    assert "Verdun — arrondissements : Verdun" in french and "du 10 janvier 2031 au 31 août 2031" in french
    assert "Restaurée" in french and re.search(r"Archivée le \d+ \w+ \d{4}", french)
    assert "(import HSDS)" in french and "(CSV, ligne 2)" in french
    assert "→ 438 555-0100" in french and "Téléphone :" in french  # an import's update, in words (pass21c)


def test_every_summary_reads_in_words_in_english(demo, graph, client, auth):
    """English words, spacing and quotation marks (red until the catalogue holds the journal's new strings)."""
    every_writer_writes(demo, graph, client, auth)
    client.get("/langue/en")
    english = journal_rows(client)
    for kind, pattern in RAW.items():
        assert not pattern.search(english), (kind, pattern.search(english), english)
    assert "at an EI session, since December 14, 2022" in english and "ended on June 30, 2025" in english
    assert "→ 45.53603, -73.63781" in english and "Location: " in english and "(CSV, line 2)" in english
    assert "Theme: “Budget familial”" in english and "Cancelled" in english and "«" not in english
    for french_only in (" : ", "ligne", "depuis le", "Séance", "archivée", "(vide)"):
        assert french_only not in english, french_only
