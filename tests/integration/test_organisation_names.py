"""An organisation's name is unique in its territory (compared folded: case, accents, dashes), checked in the
transaction that writes it: two coordinators saving one name at the same moment make one organisation, and
the other is told beside the name field."""

import html
import threading
from functools import partial

from graph.repositories.organisations import OrganisationRepository
from referral.directory import messages
from referral.directory.service import Directory, OrganisationEntry
from referral.geocode import locate_address
from referral.policy import Principal
from tests.conftest import graph_fingerprint
from tests.integration.test_directory import MN_ORG, organisation_form

COORDINATOR = "coordination.mn@demo.reseau-ei.ca"


def directory(graph, territory="mn"):
    return Directory(Principal("coordinator", territory), lambda cls: cls(graph), COORDINATOR)


def entry(name, territory="mn"):
    return OrganisationEntry(name=name, sector="family", kind="community", address=None, postal_code="H1H 1J5",
                             phone=None, website=None, languages=["fr"], territory=territory, served=[territory])


def locate(graph):
    """The offline geocoder the page uses: the centre of the postal area."""
    return partial(locate_address, postal_area=directory(graph).postal_area)


def named(graph, name, territory="mn"):
    return [o for o in OrganisationRepository(graph).list(territory) if o["name"] == name]


def save_twice_at_once(graph, name):
    """Two coordinators press « Enregistrer » on a new organisation of one name at the same moment."""
    start, results = threading.Barrier(2), []

    def save():
        start.wait()
        results.append(directory(graph).save_organisation(entry(name), None, locate(graph)))

    threads = [threading.Thread(target=save) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_coordinators_saving_one_name_at_once_make_one_organisation(demo, graph):
    for round_number in range(5):  # several rounds: each is a fresh race between the two
        name = f"Maison des familles {round_number}"
        results = save_twice_at_once(graph, name)
        saved = [r for r in results if r.id]
        refused = [r for r in results if not r.id]
        assert len(saved) == 1 and len(refused) == 1, results
        assert refused[0].errors == {"name": messages.NAME_TAKEN}
        assert [o["id"] for o in named(graph, name)] == [saved[0].id]


def test_names_are_compared_folded_and_within_the_territory(demo, graph):
    service = directory(graph)
    first = service.save_organisation(entry("Café-Rencontre Saint-Michel"), None, locate(graph))
    assert first.id and not first.errors
    before = graph_fingerprint(graph)
    for namesake in ("cafe rencontre saint michel", "CAFÉ–RENCONTRE  SAINT-MICHEL", "Café rencontre Saint’Michel"):
        refused = service.save_organisation(entry(namesake), None, locate(graph))
        assert (refused.id, refused.errors) == (None, {"name": messages.NAME_TAKEN}), namesake
    assert graph_fingerprint(graph) == before
    # The same name in another territory is another organisation.
    elsewhere = Directory(Principal("coordinator"), lambda cls: cls(graph), COORDINATOR).save_organisation(
        entry("Café-Rencontre Saint-Michel", "vsp"), None, locate(graph))
    assert elsewhere.id and not elsewhere.errors
    assert len(named(graph, "Café-Rencontre Saint-Michel", "vsp")) == 1


def test_editing_keeps_or_changes_the_name_but_never_takes_anothers(demo, graph, client, auth):
    auth.as_role("coordinator")
    current = OrganisationRepository(graph).get(MN_ORG)
    data = organisation_form(name=current["name"], sector=current["sector"], kind=current["kind"],
                             address=current["address"], postal_code=current["postal_code"], phone="514 555-0177",
                             website=current["website"], languages=current["languages"])
    assert client.post(f"/repertoire/organisations/{MN_ORG}/modifier", data=data).status_code == 302
    assert OrganisationRepository(graph).get(MN_ORG)["phone"] == "514 555-0177"
    # Only its case changed: still its own name.
    assert client.post(f"/repertoire/organisations/{MN_ORG}/modifier",
                       data={**data, "name": current["name"].upper()}).status_code == 302
    other = next(o["name"] for o in demo.organisations if o["territory"] == "mn" and o["id"] != MN_ORG)
    before = graph_fingerprint(graph)
    response = client.post(f"/repertoire/organisations/{MN_ORG}/modifier", data={**data, "name": other.lower()})
    assert response.status_code == 200 and graph_fingerprint(graph) == before
    page = html.unescape(response.get_data(as_text=True))
    assert '<p class="error" id="name-error">Une organisation porte déjà ce nom dans ce territoire.</p>' in page


def test_the_page_shows_the_name_error_beside_the_field_and_warns_outside_the_territory(demo, graph, client, auth):
    auth.as_role("coordinator")
    taken = next(o["name"] for o in demo.organisations if o["territory"] == "mn")
    response = client.post("/repertoire/organisations/nouvelle", data=organisation_form(name=taken))
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    assert '<p class="error" id="name-error">Une organisation porte déjà ce nom dans ce territoire.</p>' in page
    assert 'aria-invalid="true"' in page
    # Placed by hand at an organisation of Villeray–Saint-Michel–Parc-Extension but said to be in Montréal-Nord:
    # saved, with a warning.
    vsp = next(o for o in demo.organisations if o["territory"] == "vsp")
    page = client.post("/repertoire/organisations/nouvelle", follow_redirects=True, data=organisation_form(
        name="Halte du Nord", manual_position="y", latitude=str(vsp["latitude"]), longitude=str(vsp["longitude"])))
    assert "le point est hors du territoire choisi" in html.unescape(page.get_data(as_text=True))
    assert len(named(graph, "Halte du Nord")) == 1
