"""referral.hsds.service: the one exchange behind the HSDS pages, the API and the CLI, within the
principal's scope, without Flask."""

from __future__ import annotations

import pytest

from referral.policy import OPERATOR, Principal
from referral.service_errors import MISSING, NotFound, Refused, ServiceError
from tests.hsds_helpers import EXAMPLE_CSV, exchange, run_import


def test_the_import_territories_follow_the_importers_scope(app, demo, graph):
    with app.test_request_context():
        everyone = exchange(graph).territory_choices()
        scoped = exchange(graph, Principal("coordinator", "mn")).territory_choices()
    assert everyone[0] == ("", "D'après les coordonnées de chaque lieu") and len(everyone) == 7
    assert scoped == [("mn", "Montréal-Nord")]


def test_the_import_options_carry_the_importers_principal():
    coordinator = Principal("coordinator", "mn")
    options = exchange(None, coordinator).options("", "family", "library")
    assert (options.territory, options.principal, options.sector, options.kind) == (None, coordinator, "family",
                                                                                  "library")
    assert exchange(None).options("vsp").principal == OPERATOR


def test_a_coordinator_confirms_consent_only_in_their_territory(app, graph, reference):
    run_import(app, graph, EXAMPLE_CSV, territory="mn")
    with app.app_context():
        outsider = exchange(graph, Principal("coordinator", "cdn"))
        assert outsider.pending_contacts() == []
        person = exchange(graph, Principal("coordinator", "mn")).pending_contacts()[0]
        with pytest.raises(Refused):
            outsider.confirm_listing(person["id"], "u-cdn")
        assert exchange(graph).pending_contacts() == [person]
        exchange(graph, Principal("coordinator", "mn")).confirm_listing(person["id"], "u-mn")
        assert exchange(graph).pending_contacts() == []
        with pytest.raises(NotFound):  # consent already given: nobody waits under that id
            exchange(graph).confirm_listing(person["id"], "u-admin")


def test_a_mapping_is_saved_trimmed_under_its_key(demo, graph):
    service = exchange(graph)
    assert service.save_mapping("  211 LA ", " BD-1800 ", "food-aid")
    assert not service.save_mapping("211 LA", "BD-1900", "no-such-need")
    rows = service.mappings()
    assert [(r["taxonomy"], r["term"], r["need"]) for r in rows] == [("211 LA", "BD-1800", "food-aid")]
    assert service.delete_mapping(rows[0]["id"]) and service.mappings() == []


def test_the_api_serves_the_exchanges_records(app, client, auth, demo, graph):
    with app.test_request_context():
        service = exchange(graph)
        organization = service.organizations(full_service=False)[0]
        own = service.services(organization["id"], None, full=False)
        with pytest.raises(ServiceError) as missing:
            service.taxonomy("00000000-0000-4000-8000-000000000000")
    assert own and {s["organization_id"] for s in own} == {organization["id"]}
    assert (missing.value.kind, missing.value.code) == (MISSING, "not_found") and "taxonomy" in missing.value.message
    auth.as_role("intervenant")
    served = client.get(f"/api/v1/hsds/services?organization_id={organization['id']}&per_page=500").get_json()
    assert [s["id"] for s in served["contents"]] == [s["id"] for s in own]
    answer = client.get("/api/v1/hsds/taxonomies/00000000-0000-4000-8000-000000000000").get_json()
    assert answer["error"]["message"] == missing.value.message
