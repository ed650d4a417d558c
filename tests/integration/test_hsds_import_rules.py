"""HSDS import rules: writing all or nothing, term mappings, placing organisations (coordinates, postal
code, the importer's scope), HSDS 2.0 names, contacts' consent, the CLI, relationships on a re-import."""

from __future__ import annotations

import shutil

import pytest

from graph.loader import load_reference
from graph.repositories.hsds import HsdsRepository
from interop.hsds.mapping import term_key
from referral.policy import Principal
from seed.reference.territories import fsa_table
from tests.conftest import graph_fingerprint
from tests.hsds_helpers import EXAMPLE_CSV, new_installation, run_import, write_csv, write_export


def _driver(app):
    return app.extensions["neo4j"]


def test_a_failure_while_writing_leaves_the_graph_as_it_was(app, demo):
    driver = _driver(app)
    before = graph_fingerprint(driver)
    repository = HsdsRepository(driver)
    organisation = {"id": "o-new", "hsds_id": "x", "name": "Nouvelle", "sector": "family", "kind": "community",
                    "territory": "mn", "serves": ["mn"], "languages": [], "latitude": None, "longitude": None}
    # A map is not a valid property value: the services step fails after the organisation was written.
    service_row = {"id": "s-new", "hsds_id": "y", "organisation": "o-new", "name": {"not": "a string"},
                   "needs": [], "languages": []}
    with pytest.raises(Exception):  # noqa: B017 — whichever error Neo4j raises, nothing must remain
        repository.plan_and_apply(lambda _: (None, {"organisations": [organisation], "services": [service_row]}),
                                  "hsds", "test")
    assert graph_fingerprint(driver) == before


def _small_package(directory, location=None, terms=None):
    """One organisation, one service, classified with the given (taxonomy, code, name) terms."""
    location = location if location is not None else {"latitude": "45.5936", "longitude": "-73.6373"}
    terms = terms or []
    files = {
        "organizations.csv": [{"id": "11111111-1111-4111-8111-111111111111", "name": "Maison d'entraide",
                               "description": "Entraide et dépannage."}],
        "locations.csv": [{"id": "22222222-2222-4222-8222-222222222222", "location_type": "physical",
                           "organization_id": "11111111-1111-4111-8111-111111111111", "name": "Local",
                           "latitude": location.get("latitude", ""), "longitude": location.get("longitude", "")}],
        "addresses.csv": [{"id": "33333333-3333-4333-8333-333333333333",
                           "location_id": "22222222-2222-4222-8222-222222222222", "address_1": "4000, rue Fleury Est",
                           "city": "Montréal", "state_province": "QC",
                           "postal_code": location.get("postal_code", "H1H 2R4"), "country": "CA",
                           "address_type": "physical"}],
        "services.csv": [{"id": "44444444-4444-4444-8444-444444444444",
                          "organization_id": "11111111-1111-4111-8111-111111111111", "name": "Épicerie solidaire",
                          "status": "active"}],
    }
    if terms:
        files["taxonomy_terms.csv"] = [
            {"id": f"5555555{n}-5555-4555-8555-555555555555", "code": code, "name": name, "description": name,
             "taxonomy": taxonomy} for n, (taxonomy, code, name) in enumerate(terms)]
        files["attributes.csv"] = [
            {"id": f"6666666{n}-6666-4666-8666-666666666666", "link_id": "44444444-4444-4444-8444-444444444444",
             "link_entity": "service", "taxonomy_term_id": f"5555555{n}-5555-4555-8555-555555555555"}
            for n in range(len(terms))]
    return write_csv(directory, files)


def test_unmapped_terms_are_reported_and_the_mapping_table_maps_them(app, graph, reference, tmp_path):
    directory = _small_package(tmp_path / "pkg", terms=[("211 LA County", "BD-1800.2000", "Food Pantries"),
                                                        ("211 LA County", "BH", "Housing")])

    first = run_import(app, graph, directory, apply=False)

    assert first.plan.unmapped == [{"taxonomy": "211 LA County", "code": "BD-1800.2000", "name": "Food Pantries",
                                    "services": 1}]
    service_item = next(i for i in first.plan.items if i["entity"] == "service")
    assert service_item["needs"] == ["housing"] and service_item["unmapped"] == ["Food Pantries"]

    assert HsdsRepository(graph).save_mapping(term_key("211 LA County", "BD-1800.2000"), "211 LA County",
                                              "BD-1800.2000", "no-such-need") is False  # not a seeded need
    run_import(app, graph, directory)
    assert HsdsRepository(graph).save_mapping(term_key("211 LA County", "BD-1800.2000"), "211 LA County",
                                              "BD-1800.2000", "food-aid")
    second = run_import(app, graph, directory)

    assert second.plan.unmapped == []
    assert [(i["action"], i["changes"]) for i in second.plan.items if i["entity"] == "service"] == [
        ("update", ["needs"])]
    assert HsdsRepository(graph).directory()["services"][0]["needs"] == ["food-aid", "housing"]


def test_locations_without_coordinates_are_placed_by_their_postal_code(app, graph, reference, tmp_path):
    directory = _small_package(tmp_path / "pkg", location={"postal_code": "H1H 2R4"})

    result = run_import(app, graph, directory)

    organisation = next(i for i in result.plan.items if i["entity"] == "organisation")
    assert (organisation["territory"], organisation["territory_how"]) == ("mn", "postal_code")
    stored = HsdsRepository(graph).directory()["organisations"][0]
    assert (stored["latitude"], stored["longitude"]) == fsa_table()["H1H"][:2]  # the postal area's centre


def test_a_territory_comes_from_the_coordinates(app, graph, reference, tmp_path):
    result = run_import(app, graph, _small_package(tmp_path / "pkg"))

    organisation = next(i for i in result.plan.items if i["entity"] == "organisation")
    assert (organisation["territory"], organisation["territory_how"]) == ("mn", "coordinates")


def test_a_scoped_coordinator_imports_only_into_their_territory(app, demo, tmp_path):
    driver = _driver(app)
    write_export(app, driver, tmp_path / "pkg")
    new_installation(driver)

    result = run_import(app, driver, tmp_path / "pkg", principal=Principal("coordinator", "mn"))

    organisations = [i for i in result.plan.items if i["entity"] == "organisation"]
    created = [i for i in organisations if i["action"] == "create"]
    assert len(created) == 7 and {i["territory"] for i in created} == {"mn"}
    assert {i["reason"] for i in organisations if i["action"] == "skip"} == {"outside_scope"}
    assert len(HsdsRepository(driver).directory()["organisations"]) == 7


def test_hsds_2_column_names_are_tolerated(app, graph, reference, tmp_path):
    directory = write_csv(tmp_path / "v2", {
        "organizations.csv": [{"id": "1", "name": "Centre des femmes", "description": "Écoute.",
                               "url": "https://femmes.example.org"}],
        "locations.csv": [{"id": "1", "organization_id": "1", "name": "Centre",
                           "latitude": "45.5936", "longitude": "-73.6373"}],
        "physical_address.csv": [{"id": "1", "location_id": "1", "address_1": "10, rue Pascal", "city": "Montréal",
                                  "state_province": "QC", "postal_code": "H1H 1A1", "country": "CA"}],
        "services.csv": [{"id": "1", "organization_id": "1", "name": "Accompagnement", "status": "active"}],
        "services_at_location.csv": [{"id": "1", "service_id": "1", "location_id": "1"}],
        "eligibility.csv": [{"id": "1", "service_id": "1", "eligibility": "Femmes du quartier"}],
        "regular_schedule.csv": [{"id": "1", "service_id": "1", "weekday": "Tuesday", "opens_at": "09:00",
                                  "closes_at": "17:00"}],
        "taxonomy.csv": [{"id": "7", "name": "Logement", "vocabulary": "Répertoire municipal"}],
        "service_taxonomy.csv": [{"id": "1", "service_id": "1", "taxonomy_id": "7"}],
        "languages.csv": [{"id": "1", "service_id": "1", "language": "espagnol"}],
    })

    result = run_import(app, graph, directory)

    assert {w.code for w in result.warnings} == {"renamed_column", "location_type_assumed", "eligibility_joined"}
    directory_read = HsdsRepository(graph).directory()
    organisation, service_row = directory_read["organisations"][0], directory_read["services"][0]
    assert organisation["website"] == "https://femmes.example.org"
    assert organisation["address"] == "10, rue Pascal, Montréal (Québec)" and organisation["territory"] == "mn"
    assert (service_row["eligibility"], service_row["hours"]) == ("Femmes du quartier", "TU 09:00-17:00")
    assert (service_row["needs"], service_row["languages"]) == (["housing"], ["es"])


def test_imported_contacts_wait_for_consent_before_being_listed(app, graph, reference, tmp_path):
    run_import(app, graph, EXAMPLE_CSV, territory="mn")
    repository = HsdsRepository(graph)
    pending = repository.pending_contacts(["mn"])
    assert [p["name"] for p in pending] == ["Ann Persona"]
    assert repository.pending_contacts(["cdn"]) == []
    assert not repository.confirm_listing(pending[0]["id"], ["cdn"], "u-x")  # not in that coordinator's scope

    assert repository.confirm_listing(pending[0]["id"], ["mn"], "u-coordinator")

    assert repository.pending_contacts(None) == []
    assert [p["name"] for p in repository.directory(listed_only=True)["people"]] == ["Ann Persona"]


def test_the_cli_import_previews_then_writes(app, graph, reference, runner, tmp_path):
    shutil.copytree(EXAMPLE_CSV, tmp_path / "example")
    dry = runner.invoke(args=["hsds", "import", str(tmp_path / "example"), "--territory", "mn", "--dry-run"])
    assert dry.exit_code == 0 and "Essai : rien n'a été écrit." in dry.output
    assert HsdsRepository(graph).directory()["organisations"] == []

    done = runner.invoke(args=["hsds", "import", str(tmp_path / "example"), "--territory", "mn"])
    assert done.exit_code == 0, done.output
    assert "Importé." in done.output
    again = runner.invoke(args=["hsds", "import", str(tmp_path / "example"), "--territory", "mn"])
    assert "Rien à changer" in again.output
    # The territories offered are the graph's.
    unknown = runner.invoke(args=["hsds", "import", str(tmp_path / "example"), "--territory", "nowhere"])
    assert unknown.exit_code == 2 and "'nowhere' is not one of: abc, mn, vsp" in unknown.output


def test_a_reimport_moves_relationships_to_exactly_the_new_targets(graph):
    repository = HsdsRepository(graph)
    load_reference(graph, {"territories": [{"id": t, "name": t, "latitude": 45.5, "longitude": -73.6}
                                           for t in ("t1", "t2", "t3")],
                           "needs": [{"id": n, "label_fr": n} for n in ("n1", "n2")], "postal_areas": []})

    def rows(territory: str, serves: list[str], organisation: str, service_needs: list[str]) -> dict:
        return {"organisations": [{"id": "o1", "name": "Un", "territory": territory, "serves": serves},
                                  {"id": "o2", "name": "Deux", "territory": "t3", "serves": []}],
                "services": [{"id": "s1", "name": "Service", "organisation": organisation,
                              "needs": service_needs}]}

    def links() -> dict:
        directory = repository.directory()
        return {"organisations": {o["id"]: (o["territory"], o["serves"]) for o in directory["organisations"]},
                "services": {s["id"]: (s["organisation"], s["needs"]) for s in directory["services"]}}

    repository.plan_and_apply(lambda _: (None, rows("t1", ["t1", "t2"], "o1", ["n1"])), "hsds", "test")
    assert links() == {"organisations": {"o1": ("t1", ["t1", "t2"]), "o2": ("t3", [])},
                       "services": {"s1": ("o1", ["n1"])}}

    repository.plan_and_apply(lambda _: (None, rows("t2", ["t2", "t3"], "o2", ["n2"])), "hsds", "test")
    assert links() == {"organisations": {"o1": ("t2", ["t2", "t3"]), "o2": ("t3", [])},
                       "services": {"s1": ("o2", ["n2"])}}

    repository.plan_and_apply(lambda _: (None, rows("t2", [], "o2", [])), "hsds", "test")
    assert links() == {"organisations": {"o1": ("t2", []), "o2": ("t3", [])}, "services": {"s1": ("o2", [])}}


def test_the_hsds_import_reads_the_titles_people_write_like_the_csv_import(app):
    # Found in review: the functions' labels were renamed, and only the CSV import knew the old ones.
    from interop.folding import fold
    from referral.hsds import messages

    with app.app_context():
        labels = messages.labels()
    assert labels["role_aliases"][fold("Intervenant.e social.e")] == "intervenant_social"
    assert labels["role_aliases"][fold("Éducatrice")] == "educatrice"
