"""Archiving (never erasing) organisations, services and people, restoring them, and merging two records of one
person — through the pages, against the demo in Neo4j: out of search and maps from today, the past kept, who
may, and what a merge moves."""

import html
from datetime import timedelta

import pytest

from graph.repositories.territory_map import TerritoryMapRepository
from graph.repositories.users import UserRepository
from graph.timeline_reader import people_network
from referral import clock
from tests.conftest import graph_fingerprint, quick_hash
from tests.integration.test_directory import organisation_form

ORGANISATION, PERSON = "o-mn-06", "p-008"  # p-008 works at o-mn-06: santé mentale, in Arabic (test_search)


def found(client, person_id, need="santé mentale", territory="mn"):
    results = client.get("/api/v1/contacts", query_string={"need": need, "territory": territory}).json["results"]
    return person_id in {r["id"] for r in results}


def count(graph, query, **params) -> int:
    return graph.execute_query(query, **params).records[0][0]


def one_of_each(client, graph, organisation: str, service: str, person: str) -> tuple[str, str, str]:
    """A new organisation of Montréal-Nord with one service (for taxes) and one listed worker: their ids."""
    client.post("/repertoire/organisations/nouvelle", data=organisation_form(name=organisation))
    organisation_id = count(graph, "MATCH (o:Organisation {name: $name}) RETURN o.id", name=organisation)
    client.post(f"/repertoire/organisations/{organisation_id}/services/nouveau",
                data={"name": service, "needs": ["taxes"], "languages": ["fr"]})
    client.post("/repertoire/personnes/nouvelle", data={
        "name": person, "kind": "intervenant", "organisation": organisation_id, "since": "2024-01-01",
        "languages": ["fr"], "listed": "y"})
    return (organisation_id,
            count(graph, "MATCH (:Organisation {id: $o})-[:OFFERS]->(s) RETURN s.id", o=organisation_id),
            count(graph, "MATCH (p:Person {name: $name}) RETURN p.id", name=person))


@pytest.fixture
def coordinator(demo, client, auth):
    auth.as_role("coordinator")  # Montréal-Nord's
    return client


def as_intervenant(client, auth, check):
    auth.logout()
    auth.as_role("intervenant")
    result = check()
    auth.logout()
    auth.as_role("coordinator")
    return result


def test_an_archived_organisation_leaves_search_and_map_from_today_and_keeps_its_past(coordinator, auth, graph):
    today, yesterday = clock.today(), clock.today() - timedelta(days=1)
    staff = count(graph, "MATCH (:Organisation {id: $o})<-[w:WORKS_AT]-() WHERE w.until IS NULL RETURN count(w)",
                  o=ORGANISATION)
    network_before = people_network(graph, "mn", as_of=yesterday)
    assert as_intervenant(coordinator, auth, lambda: found(coordinator, PERSON))

    page = coordinator.get(f"/repertoire/organisations/{ORGANISATION}/archiver").get_data(as_text=True)
    assert "efface rien" in page and "prend fin aujourd" in page, page[page.find("<main"):][:3000]
    response = coordinator.post(f"/repertoire/organisations/{ORGANISATION}/archiver", follow_redirects=True)
    assert f"{staff} emploi(s) terminé(s)" in response.get_data(as_text=True)
    assert "Archivée le" in response.get_data(as_text=True)

    assert not as_intervenant(coordinator, auth, lambda: found(coordinator, PERSON))
    assert as_intervenant(coordinator, auth, lambda: coordinator.get(f"/contacts/{PERSON}").status_code) == 404
    places = TerritoryMapRepository(graph)
    assert ORGANISATION not in {o["id"] for o in places.organisations("mn", today)}
    assert ORGANISATION in {o["id"] for o in places.organisations("mn", yesterday)}
    network_after = people_network(graph, "mn", as_of=yesterday)
    assert (network_after.number_of_nodes(), network_after.number_of_edges()) == (
        network_before.number_of_nodes(), network_before.number_of_edges())
    assert ORGANISATION not in coordinator.get("/repertoire/").get_data(as_text=True)
    assert ORGANISATION in coordinator.get("/repertoire/?archives=1").get_data(as_text=True)

    # Archived: read-only until restored, and no new person or job there.
    assert coordinator.get(f"/repertoire/organisations/{ORGANISATION}/modifier").status_code == 409
    assert coordinator.get(f"/repertoire/organisations/{ORGANISATION}/services/nouveau").status_code == 409
    refused = coordinator.post("/repertoire/personnes/nouvelle", data={"languages": ["fr"],
        "name": "X", "kind": "intervenant", "organisation": ORGANISATION, "since": "2024-01-01"})
    assert refused.status_code == 200 and "Cette organisation est archivée" in refused.get_data(as_text=True)

    response = coordinator.post(f"/repertoire/organisations/{ORGANISATION}/restaurer", follow_redirects=True)
    assert f"{staff} emploi(s)" in response.get_data(as_text=True)
    assert as_intervenant(coordinator, auth, lambda: found(coordinator, PERSON))
    journal = coordinator.get("/repertoire/journal").get_data(as_text=True)
    assert "archivage" in journal and "restauration" in journal


def test_restoring_brings_back_only_what_the_archive_ended(coordinator, graph):
    other = count(graph, "MATCH (p:Person)-[w:WORKS_AT]->(:Organisation {id: $o}) WHERE w.until IS NULL "
                         "AND p.id <> $p RETURN p.id LIMIT 1", o=ORGANISATION, p=PERSON)
    assert coordinator.post(f"/repertoire/personnes/{other}/emplois/fin",
                            data={"organisation": ORGANISATION, "until": clock.today().isoformat()}).status_code == 302
    coordinator.post(f"/repertoire/organisations/{ORGANISATION}/archiver")
    coordinator.post(f"/repertoire/organisations/{ORGANISATION}/restaurer")
    assert count(graph, "MATCH (:Person {id: $p})-[w:WORKS_AT]->(:Organisation {id: $o}) WHERE w.until IS NULL "
                        "RETURN count(w)", p=other, o=ORGANISATION) == 0
    assert count(graph, "MATCH (:Person {id: $p})-[w:WORKS_AT]->(:Organisation {id: $o}) WHERE w.until IS NULL "
                        "RETURN count(w)", p=PERSON, o=ORGANISATION) == 1


def test_an_archived_service_no_longer_finds_its_people(coordinator, auth, graph):
    organisation, service, person = one_of_each(coordinator, graph, "Impôts du Nord", "Rapports d'impôts du Nord",
                                                "Odile Comptable")
    assert as_intervenant(coordinator, auth, lambda: found(coordinator, person, need="taxes"))

    response = coordinator.post(f"/repertoire/services/{service}/archiver", follow_redirects=True)
    assert "archivé" in response.get_data(as_text=True)
    assert not as_intervenant(coordinator, auth, lambda: found(coordinator, person, need="taxes"))
    assert coordinator.get(f"/repertoire/services/{service}/modifier").status_code == 409
    assert coordinator.post(f"/repertoire/services/{service}/archiver").status_code == 302  # said, not redone
    coordinator.post(f"/repertoire/services/{service}/restaurer")
    assert as_intervenant(coordinator, auth, lambda: found(coordinator, person, need="taxes"))


def test_an_archived_person_cannot_log_in_and_is_restored_by_their_territory(demo, client, auth, graph):
    me = count(graph, "MATCH (:User {email: 'intervenant@demo.reseau-ei.ca'})-[:IS]->(p) RETURN p.id")
    intervenant = client.application.test_client()
    auth_intervenant = type(auth)(intervenant)
    auth_intervenant.as_role("intervenant")
    auth.as_role("coordinator")
    page = client.get(f"/repertoire/personnes/{me}/archiver").get_data(as_text=True)
    assert "compte" in page
    assert "Fiche archivée" in client.post(f"/repertoire/personnes/{me}/archiver", follow_redirects=True).get_data(
        as_text=True)

    assert intervenant.get("/qui-appeler").status_code == 302  # the open session ended
    assert auth_intervenant.as_role("intervenant").status_code == 200  # the login form again, refused
    assert intervenant.get("/qui-appeler").status_code == 302
    assert me in client.get("/repertoire/personnes?archives=1").get_data(as_text=True)
    assert client.get(f"/repertoire/personnes/{me}/modifier").status_code == 409

    client.post(f"/repertoire/personnes/{me}/restaurer")
    auth_intervenant.as_role("intervenant")
    assert intervenant.get("/qui-appeler").status_code == 200


def test_another_territorys_records_are_neither_archived_nor_merged(coordinator, graph):
    vsp_people = [r["id"] for r in graph.execute_query(
        "MATCH (p:Person)-[w:WORKS_AT]->(:Organisation)-[:LOCATED_IN]->(:Territory {id: 'vsp'}) "
        "WHERE w.until IS NULL AND p.listed RETURN DISTINCT p.id AS id ORDER BY id LIMIT 2").records]
    vsp_service = count(graph, "MATCH (:Organisation {id: 'o-vsp-01'})-[:OFFERS]->(s) RETURN s.id LIMIT 1")
    before = graph_fingerprint(graph)
    for url in ["/repertoire/organisations/o-vsp-01/archiver", "/repertoire/organisations/o-vsp-01/restaurer",
                f"/repertoire/services/{vsp_service}/archiver", f"/repertoire/personnes/{vsp_people[0]}/archiver",
                f"/repertoire/personnes/{vsp_people[0]}/fusionner/{vsp_people[1]}",
                f"/repertoire/personnes/{PERSON}/fusionner/{vsp_people[0]}"]:
        assert coordinator.post(url).status_code == 403, url
    assert coordinator.get("/repertoire/organisations/o-vsp-01/archiver").status_code == 403
    assert graph_fingerprint(graph) == before


def test_merging_moves_everything_to_the_kept_record(coordinator, graph):
    keep, gone = [r["id"] for r in graph.execute_query(
        "MATCH (p:Intervenant)-[w:WORKS_AT]->(:Organisation)-[:LOCATED_IN]->(:Territory {id: 'mn'}) "
        "WHERE w.until IS NULL AND p.id <> $person "
        "WITH DISTINCT p ORDER BY COUNT { (p)-[:KNOWS]-() } DESC RETURN p.id AS id LIMIT 2",
        person=PERSON).records]
    partners = {r["id"]: r["since"] for r in graph.execute_query(
        "MATCH (p:Person)-[k:KNOWS]-(o) WHERE p.id IN [$a, $b] AND NOT o.id IN [$a, $b] "
        "RETURN o.id AS id, min(k.since) AS since", a=keep, b=gone).records}
    referrals = count(graph, "MATCH (r:Referral)-[:FROM|TO]->(p:Person) WHERE p.id IN [$a, $b] "
                             "RETURN count(DISTINCT r)", a=keep, b=gone)
    graph.execute_query("MATCH (p:Person {id: $gone}) SET p.research_consent = false", gone=gone)
    gone_name = count(graph, "MATCH (p:Person {id: $id}) RETURN p.name", id=gone)

    page = coordinator.get(f"/repertoire/personnes/{keep}/fusionner/{gone}").get_data(as_text=True)
    assert "Fiche conservée" in page and "ne se défait pas" in page
    response = coordinator.post(f"/repertoire/personnes/{keep}/fusionner/{gone}", follow_redirects=True)
    assert "Fiches fusionnées" in response.get_data(as_text=True)

    assert count(graph, "MATCH (p:Person {id: $id}) RETURN count(p)", id=gone) == 0
    ties = {r["id"]: (r["n"], r["since"]) for r in graph.execute_query(
        "MATCH (:Person {id: $id})-[k:KNOWS]-(o) RETURN o.id AS id, count(k) AS n, min(k.since) AS since",
        id=keep).records}
    assert ties == {other: (1, since) for other, since in partners.items()}  # one tie each, the earlier one
    assert count(graph, "MATCH (r:Referral)-[:FROM|TO]->(:Person {id: $id}) RETURN count(DISTINCT r)",
                 id=keep) == referrals
    assert count(graph, "MATCH (p:Person {id: $id}) RETURN p.research_consent", id=keep) is False
    assert count(graph, "MATCH ()-[r]-(:MergedPerson {id: $id}) RETURN count(r)", id=gone) == 0
    assert coordinator.get(f"/repertoire/personnes/{gone}").headers["Location"].endswith(f"/personnes/{keep}")
    rows = html.unescape(coordinator.get("/repertoire/journal").get_data(as_text=True)).split("<tbody>")[1]
    assert "fusion" in rows and f"{gone_name} (fiche fusionnée)" in rows and gone not in rows  # named (issue 21)


def test_when_both_records_have_an_account_the_other_one_closes(coordinator, graph, auth):
    keep = count(graph, "MATCH (:User {email: 'intervenant@demo.reseau-ei.ca'})-[:IS]->(p) RETURN p.id")
    gone = count(graph, "MATCH (u:User)-[:IS]->(p:Person) WHERE p.id <> $id "
                        "AND EXISTS { (p)-[:WORKS_AT]->(:Organisation)-[:LOCATED_IN]->(:Territory {id: 'mn'}) } "
                        "RETURN p.id LIMIT 1", id=keep)
    UserRepository(graph).update(count(graph, "MATCH (u:User)-[:IS]->(:Person {id: $id}) RETURN u.id", id=gone),
                                 password_hash=quick_hash("doublon-doublon"))
    other_email = count(graph, "MATCH (u:User)-[:IS]->(:Person {id: $id}) RETURN u.email", id=gone)
    page = coordinator.get(f"/repertoire/personnes/{keep}/fusionner/{gone}").get_data(as_text=True)
    assert "Les deux fiches ont un compte" in page
    response = coordinator.post(f"/repertoire/personnes/{keep}/fusionner/{gone}", follow_redirects=True)
    assert "Le compte de l&#39;autre fiche est fermé" in response.get_data(as_text=True)
    auth.logout()
    assert auth.login(other_email, "doublon-doublon").status_code == 200  # refused: the form again
    assert auth.login("intervenant@demo.reseau-ei.ca").status_code == 302


def test_a_record_is_not_merged_with_itself(coordinator, graph):
    before = graph_fingerprint(graph)
    response = coordinator.post(f"/repertoire/personnes/{PERSON}/fusionner/{PERSON}", follow_redirects=True)
    assert "elle-même" in response.get_data(as_text=True)
    assert graph_fingerprint(graph) == before


def test_the_merge_search_proposes_records_the_coordinator_may_change(coordinator, graph):
    name = count(graph, "MATCH (p:Person {id: $id}) RETURN p.name", id=PERSON)
    other = count(graph, "MATCH (p:Person)-[w:WORKS_AT]->(:Organisation)-[:LOCATED_IN]->(:Territory {id: 'mn'}) "
                         "WHERE w.until IS NULL AND p.id <> $id RETURN p.id LIMIT 1", id=PERSON)
    page = coordinator.get(f"/repertoire/personnes/{other}/fusionner", query_string={"q": name.upper()})
    assert f"/fusionner/{PERSON}" in page.get_data(as_text=True)
    page = coordinator.get(f"/repertoire/personnes/{other}/fusionner", query_string={"q": "zzzz"})
    assert "Aucune autre fiche" in page.get_data(as_text=True)


# --- what the outside pass (audit 18c) found, each kept as a test ---------------------------------------

def test_an_archived_service_is_no_keyword_hit(coordinator, auth, graph):
    """Found by the outside pass (18c): words naming an archived service still found its organisation's people."""
    organisation, service, person = one_of_each(coordinator, graph, "Maison Zébulon",
                                                "Atelier Zébulon des bricoleurs", "Zoé Bricole")
    words = "atelier zébulon bricoleurs"
    assert as_intervenant(coordinator, auth, lambda: found(coordinator, person, need=words))
    coordinator.post(f"/repertoire/services/{service}/archiver")
    assert not as_intervenant(coordinator, auth, lambda: found(coordinator, person, need=words))
    coordinator.post(f"/repertoire/services/{service}/restaurer")
    assert as_intervenant(coordinator, auth, lambda: found(coordinator, person, need=words))
    assert as_intervenant(coordinator, auth, lambda: found(coordinator, person, need="maison zébulon"))
    coordinator.post(f"/repertoire/organisations/{organisation}/archiver")
    assert not as_intervenant(coordinator, auth, lambda: found(coordinator, person, need="maison zébulon"))


def test_the_coordinator_keeps_people_who_left_their_territory(coordinator, graph):
    """Found: once their job in Montréal-Nord had ended (by hand, or with their organisation's archive), its
    coordinator could neither archive, nor restore, nor hire them again."""
    staff = [r["id"] for r in graph.execute_query(
        "MATCH (p:Person)-[w:WORKS_AT]->(:Organisation {id: $o}) WHERE w.until IS NULL RETURN p.id AS id",
        o=ORGANISATION).records]
    coordinator.post(f"/repertoire/organisations/{ORGANISATION}/archiver")
    for person in staff:
        assert coordinator.post(f"/repertoire/personnes/{person}/archiver").status_code == 302
        assert "Restaurer la fiche" in coordinator.get(f"/repertoire/personnes/{person}").get_data(as_text=True)
        assert coordinator.post(f"/repertoire/personnes/{person}/restaurer").status_code == 302
        assert coordinator.post(f"/repertoire/personnes/{person}/emplois",
                                data={"organisation": "o-mn-01", "since": clock.today().isoformat()}
                                ).status_code == 302


def test_merge_pages_need_the_right_over_both_records(coordinator, graph):
    vsp = count(graph, "MATCH (p:Person)-[w:WORKS_AT]->(:Organisation {id: 'o-vsp-01'}) WHERE w.until IS NULL "
                       "AND p.listed RETURN p.id LIMIT 1")
    assert coordinator.get(f"/repertoire/personnes/{PERSON}/fusionner/{vsp}").status_code == 403
    assert coordinator.get(f"/repertoire/personnes/{vsp}/fusionner?q=a").status_code == 403
    same = coordinator.get(f"/repertoire/personnes/{PERSON}/fusionner/{PERSON}", follow_redirects=True)
    assert "elle-même" in same.get_data(as_text=True) and "Fiche conservée" not in same.get_data(as_text=True)


def test_other_territories_archived_people_are_not_shown(demo, client, auth, graph):
    vsp = count(graph, "MATCH (p:Person)-[w:WORKS_AT]->(:Organisation {id: 'o-vsp-01'}) WHERE w.until IS NULL "
                       "AND p.listed RETURN p.id LIMIT 1")
    auth.as_role("admin")
    client.post(f"/repertoire/personnes/{vsp}/archiver")
    auth.logout()
    auth.as_role("coordinator")
    assert vsp not in client.get("/repertoire/personnes?archives=1&territoire=vsp").get_data(as_text=True)
    assert client.get(f"/repertoire/personnes/{vsp}").status_code == 404


def test_an_archived_duplicate_is_found_and_merged(coordinator, graph):
    name = count(graph, "MATCH (p:Person {id: $id}) RETURN p.name", id=PERSON)
    other = count(graph, "MATCH (p:Person)-[w:WORKS_AT]->(:Organisation {id: 'o-mn-01'}) WHERE w.until IS NULL "
                         "RETURN p.id LIMIT 1")
    coordinator.post(f"/repertoire/personnes/{PERSON}/archiver")
    page = coordinator.get(f"/repertoire/personnes/{other}/fusionner", query_string={"q": name}).get_data(
        as_text=True)
    assert f"/fusionner/{PERSON}" in page and "archivée" in page


def test_archiving_twice_and_archived_organisations_say_so(coordinator, graph):
    coordinator.post(f"/repertoire/organisations/{ORGANISATION}/archiver")
    again = coordinator.get(f"/repertoire/organisations/{ORGANISATION}/archiver", follow_redirects=True)
    assert "déjà archivée" in again.get_data(as_text=True)
    page = coordinator.post("/repertoire/personnes/nouvelle", data={"languages": ["fr"],
        "name": "Nouvelle Personne", "kind": "intervenant", "organisation": ORGANISATION, "since": "2024-01-01"})
    assert page.status_code == 200 and "Cette organisation est archivée" in page.get_data(as_text=True)
    assert 'value="Nouvelle Personne"' in page.get_data(as_text=True)  # the form kept


def test_an_archive_revokes_the_api_tokens(demo, client, auth, graph):
    me = count(graph, "MATCH (:User {email: 'intervenant@demo.reseau-ei.ca'})-[:IS]->(p) RETURN p.id")
    auth.as_role("intervenant")
    client.post("/profil/jeton", data={"name": "script", "scope": "read"})
    assert count(graph, "MATCH (:User {email: 'intervenant@demo.reseau-ei.ca'})-[:HAS_TOKEN]->(t) "
                        "RETURN count(t)") == 1
    auth.logout()
    auth.as_role("coordinator")
    client.post(f"/repertoire/personnes/{me}/archiver")
    client.post(f"/repertoire/personnes/{me}/restaurer")
    assert count(graph, "MATCH (:User {email: 'intervenant@demo.reseau-ei.ca'})-[:HAS_TOKEN]->(t) "
                        "RETURN count(t)") == 0


def test_a_merged_away_account_is_not_reactivated(coordinator, auth, graph):
    keep = count(graph, "MATCH (:User {email: 'intervenant@demo.reseau-ei.ca'})-[:IS]->(p) RETURN p.id")
    gone, account = graph.execute_query(
        "MATCH (u:User)-[:IS]->(p:Person)-[w:WORKS_AT]->(:Organisation)-[:LOCATED_IN]->(:Territory {id: 'mn'}) "
        "WHERE p.id <> $id AND w.until IS NULL RETURN p.id, u.id LIMIT 1", id=keep).records[0]
    coordinator.post(f"/repertoire/personnes/{keep}/fusionner/{gone}")
    auth.logout()
    auth.as_role("admin")
    response = coordinator.post(f"/admin/comptes/{account}/actif", follow_redirects=True)
    assert "ne se réactive pas" in response.get_data(as_text=True)
    assert count(graph, "MATCH (u:User {id: $id}) RETURN u.active", id=account) is False


def test_a_language_ticked_twice_is_kept_once(coordinator, graph):
    coordinator.post(f"/repertoire/personnes/{PERSON}/modifier", data={
        "name": "Nom", "languages": ["ht", "ht", "fr"], "email": count(
            graph, "MATCH (p:Person {id: $id}) RETURN p.email", id=PERSON)})
    assert count(graph, "MATCH (p:Person {id: $id}) RETURN p.languages", id=PERSON) == ["ht", "fr"]


def test_the_attendance_page_names_who_came_and_left_since(coordinator, graph):
    person, name = graph.execute_query(
        "MATCH (p:Intervenant)-[:ATTENDED]->(:Session {id: 'mn-s1'}) WHERE p.listed "
        "AND EXISTS { (p)-[w:WORKS_AT]->() WHERE w.until IS NULL } RETURN p.id, p.name LIMIT 1").records[0]
    present = count(graph, "MATCH (:Intervenant)-[:ATTENDED]->(:Session {id: 'mn-s1'}) RETURN count(*)")
    coordinator.post(f"/repertoire/personnes/{person}/archiver")
    page = coordinator.get("/seances/mn-s1").get_data(as_text=True)
    assert "Aussi présent" in page and html.escape(name) in page
    ticked = [p["id"] for p in graph.execute_query(
        "MATCH (p:Intervenant)-[:ATTENDED]->(:Session {id: 'mn-s1'}) WHERE p.id <> $id RETURN p.id AS id",
        id=person).records]
    saved = coordinator.post("/seances/mn-s1", data={"people": ticked, "parents": "0"}, follow_redirects=True)
    assert f"Présences enregistrées : {present} personnes" in saved.get_data(as_text=True)


def test_an_import_does_not_undo_an_archive(coordinator, demo, graph):
    """Found by the second outside pass (18d): a CSV row gave a job at an archived organisation, or a new job to
    an archived person, and brought them back to search and maps; both rows are now refused, nothing written."""
    from tests.integration.test_directory_import import HEADER, preview

    archived_org = next(o for o in demo.organisations if o["id"] == ORGANISATION)
    coordinator.post(f"/repertoire/organisations/{ORGANISATION}/archiver")
    email = count(graph, "MATCH (p:Person {id: $id}) RETURN p.email", id="p-002")
    coordinator.post("/repertoire/personnes/p-002/archiver")
    other = next(o["name"] for o in demo.organisations if o["id"] == "o-mn-02")
    before = graph_fingerprint(graph)
    for row in (f"Nouvelle Venue;nouvelle.venue@exemple.org;;{archived_org['name']};mn;;fr;oui;",
                f"Revenue;{email};;{other};mn;;fr;oui;"):
        page = preview(coordinator, f"{HEADER}\r\n{row}\r\n")
        assert page.status_code == 422, row
        assert "archivée" in page.get_data(as_text=True) and "/repertoire/import/confirmer" not in page.get_data(
            as_text=True), row
    organisations = preview(coordinator, "nom;territoire;secteur;code_postal;telephone\r\n"
                                         f"{archived_org['name']};mn;family;H1H 1J5;514 555-0199\r\n",
                            kind="organisations")
    assert organisations.status_code == 422 and "Organisation archivée" in organisations.get_data(as_text=True)
    assert graph_fingerprint(graph) == before


def test_forms_name_people_by_what_they_do_now(coordinator, demo, graph):
    """Found by the second outside pass (18d): the tie form still named people by their archived organisation,
    and two namesakes of a territory could not be told apart on the attendance page."""
    archived_name = next(o["name"] for o in demo.organisations if o["id"] == ORGANISATION)
    coordinator.post(f"/repertoire/organisations/{ORGANISATION}/archiver")
    assert html.escape(archived_name) not in coordinator.get("/repertoire/liens/nouveau").get_data(as_text=True)
    name = count(graph, "MATCH (p:Person {id: 'p-001'}) RETURN p.name")
    coordinator.post("/repertoire/personnes/nouvelle", data={"languages": ["fr"],
        "name": name, "kind": "intervenant", "organisation": "o-mn-02", "since": "2020-01-01", "listed": "y"})
    page = coordinator.get("/seances/mn-s1").get_data(as_text=True)
    second = next(o["name"] for o in demo.organisations if o["id"] == "o-mn-02")
    assert f"{html.escape(name)} — {html.escape(second)}" in page


def test_a_job_at_an_archived_organisation_is_said_beside_the_field(coordinator):
    coordinator.post(f"/repertoire/organisations/{ORGANISATION}/archiver")
    page = coordinator.post(f"/repertoire/personnes/{PERSON}/emplois",
                            data={"organisation": ORGANISATION, "since": "2024-03-01"})
    assert page.status_code == 422 and "Cette organisation est archivée" in page.get_data(as_text=True)
    assert 'value="2024-03-01"' in page.get_data(as_text=True)
