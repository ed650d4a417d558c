"""Every `next=` leads to a path of this site only: the language switch, the login and the end of a job."""

from __future__ import annotations

import pytest

from referral.security import local_target
from seed.demo.network import DEMO_PASSWORDS
from tests.conftest import graph_fingerprint

OFF_SITE = ["//evil.example/x", "/\\evil.example", "https://evil.example", "\\\\evil", "/%2F%2Fevil.example",
            "/%252F%252Fevil.example", "/\t/evil.example", "/\\/evil.example", "http:/evil.example",
            "javascript:alert(1)", "evil.example", "/%5Cevil.example"]
SAME_SITE = ["/", "/territoires/", "/qui-appeler?need=mental-health&territory=mn", "/repertoire/?q=a%2Fb"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_off_site_targets_are_refused(target):
    assert local_target(target) is None


@pytest.mark.parametrize("target", SAME_SITE)
def test_paths_of_this_site_are_kept(target):
    assert local_target(target) == target


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_language_switch_stays_on_the_site(client, target):
    response = client.get("/langue/en", query_string={"next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_the_language_switch_goes_back_to_the_page(client):
    assert client.get("/langue/en?next=/territoires/").headers["Location"] == "/territoires/"
    back = client.get("/langue/fr", headers={"Referer": "http://localhost/territoires/?x=1"})
    assert back.headers["Location"] == "/territoires/?x=1"
    assert client.get("/langue/fr", headers={"Referer": "https://evil.example/"}).headers["Location"] == "/"


def test_login_goes_on_only_to_a_page_of_the_site(app, demo):
    for target, expected in [*((t, "/") for t in OFF_SITE), ("/territoires/", "/territoires/")]:
        client = app.test_client()  # a fresh visitor each time: a logged-in one is sent home anyway
        response = client.post("/connexion", query_string={"next": target}, data={
            "email": "intervenant@demo.reseau-ei.ca", "password": DEMO_PASSWORDS["intervenant"]})
        assert (response.status_code, response.headers["Location"]) == (302, expected), target


def test_the_end_of_a_job_goes_back_only_to_a_page_of_the_site(demo, graph, client, auth):
    person = next(w["person"] for w in demo.works_at if w["organisation"] == "o-mn-02")
    auth.as_role("coordinator")
    before = graph_fingerprint(graph)
    for target in [*OFF_SITE, "/repertoire/organisations/o-mn-02"]:
        # Leaving before arriving: refused, nothing changes, but the answer still goes back somewhere.
        response = client.post(f"/repertoire/personnes/{person}/emplois/fin",
                               data={"organisation": "o-mn-02", "until": "1990-01-01", "next": target})
        expected = target if target.startswith("/repertoire/") else f"/repertoire/personnes/{person}"
        assert (response.status_code, response.headers.get("Location")) == (302, expected), target
    assert graph_fingerprint(graph) == before
