"""The HTTP edge: security headers on every answer, no-store where a user or the API is involved, the
CSP nonce on the folium map documents, HSTS in production only, and the trusted proxy (ProxyFix)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import request, url_for

from app import create_app
from tests.api_helpers import bearer
from tests.conftest import make_config

ROOT = Path(__file__).resolve().parents[2]


def csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.partition(" ")[2] for part in policy.split("; ")}


def test_every_answer_carries_the_security_headers(client):
    response = client.get("/connexion")
    policy = csp(response)
    assert "'unsafe-inline'" not in policy["script-src"] and "'nonce-" in policy["script-src"]
    assert policy["frame-ancestors"] == "'self'" and policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'" and policy["form-action"] == "'self'"
    assert "https://tile.openstreetmap.org" in policy["img-src"]  # MAP_TILES' default
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "geolocation=()" in response.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response.headers  # dev and tests speak plain http
    assert response.headers["Cache-Control"] == "no-store"
    # Static files are the same for everyone: they stay cacheable.
    static = client.get("/static/style.css")
    assert static.status_code == 200 and "no-store" not in static.headers.get("Cache-Control", "")


def test_logged_in_pages_and_api_answers_are_never_stored(demo, graph, client, auth):
    auth.as_role("intervenant")
    for path in ("/references/", "/profil/", "/qui-appeler?need=mental-health&territory=mn"):
        response = client.get(path)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store", path
    api = client.get("/api/v1/me", headers=bearer(graph, "u-demo-intervenant"))
    assert api.status_code == 200 and api.headers["Cache-Control"] == "no-store"
    assert "nosniff" in api.headers["X-Content-Type-Options"]


@pytest.mark.parametrize("path", ["/territoires/carte", "/territoires/mn/carte/plan"])
def test_the_map_documents_scripts_carry_the_requests_nonce(demo, client, auth, path):
    auth.as_role("evaluator")
    response = client.get(path)
    assert response.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", csp(response)["script-src"]).group(1)
    tags = re.findall(r"<script[^>]*>", response.get_data(as_text=True), flags=re.IGNORECASE)
    assert len(tags) >= 2 and all(f'nonce="{nonce}"' in tag for tag in tags)
    assert client.get(path).headers["Content-Security-Policy"] != response.headers["Content-Security-Policy"]


def test_without_map_tiles_no_tile_host_is_allowed(neo4j_settings, neo4j_driver):
    app = create_app(make_config(neo4j_settings, MAP_TILES=""))
    assert csp(app.test_client().get("/connexion"))["img-src"] == "'self' data:"
    app.extensions["neo4j"].close()


def test_templates_and_scripts_need_no_unsafe_inline():
    """What the CSP would block: inline scripts without the nonce, on…= handlers, javascript: links."""
    for path in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("static/*.js")]:
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text, flags=re.IGNORECASE):
            assert "src=" in tag or "csp_nonce()" in tag, f"{path}: inline script without a nonce: {tag}"
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", text, flags=re.IGNORECASE), f"{path}: inline handler"
        assert "javascript:" not in text.lower(), f"{path}: javascript: link"


def test_production_sends_hsts_over_https_and_leaves_redirecting_to_the_proxy(neo4j_settings, neo4j_driver):
    app = create_app(make_config(neo4j_settings, ENV="production", TRUSTED_PROXIES=1))
    client = app.test_client()
    plain = client.get("/connexion")  # the server on loopback: health checks and the load test speak http
    assert plain.status_code == 200 and "Strict-Transport-Security" not in plain.headers
    secure = client.get("/connexion", headers={"X-Forwarded-Proto": "https"})
    assert secure.status_code == 200
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
    app.extensions["neo4j"].close()


def _probe_app(neo4j_settings, proxies: int):
    app = create_app(make_config(neo4j_settings, TRUSTED_PROXIES=proxies))
    app.add_url_rule("/_probe", "probe", lambda: {"client": request.remote_addr,
                                                 "home": url_for("main.index", _external=True)})
    return app


FORWARDED = {"X-Forwarded-For": "198.51.100.9, 203.0.113.7", "X-Forwarded-Proto": "https",
             "X-Forwarded-Host": "reseau-ei.example"}


def test_behind_the_trusted_proxy_the_client_address_and_https_links_are_real(neo4j_settings, neo4j_driver):
    app = _probe_app(neo4j_settings, 1)
    seen = app.test_client().get("/_probe", headers=FORWARDED).json
    # One proxy of ours: only its own hop (the last address) is believed, not what the client wrote before it.
    assert seen == {"client": "203.0.113.7", "home": "https://reseau-ei.example/"}
    app.extensions["neo4j"].close()


def test_without_a_trusted_proxy_forwarded_headers_are_ignored(neo4j_settings, neo4j_driver):
    app = _probe_app(neo4j_settings, 0)
    seen = app.test_client().get("/_probe", headers=FORWARDED).json
    assert seen == {"client": "127.0.0.1", "home": "http://localhost/"}
    app.extensions["neo4j"].close()


def test_login_limits_key_on_the_client_behind_the_proxy(demo, neo4j_settings):
    app = create_app(make_config(neo4j_settings, TRUSTED_PROXIES=1, RATELIMIT_ENABLED=True,
                                 LOGIN_RATE_LIMIT="2 per minute", LOGIN_ACCOUNT_RATE_LIMIT="100 per minute"))
    client = app.test_client()

    def attempt(address: str, n: int) -> int:
        return client.post("/connexion", headers={"X-Forwarded-For": address},
                           data={"email": f"x{n}@example.org", "password": "nope"}).status_code

    assert [attempt("203.0.113.7", n) for n in range(3)] == [200, 200, 429]
    assert attempt("203.0.113.8", 3) == 200  # another client behind the same proxy keeps its own count
    app.extensions["neo4j"].close()


def test_a_forged_host_is_refused_when_the_hosts_are_configured(demo, neo4j_settings):
    """Found by the outside pass: a Host header of evil.example made the referral message link there."""
    app = create_app(make_config(neo4j_settings, TRUSTED_HOSTS=["localhost", "127.0.0.1"]))
    client = app.test_client()
    assert client.get("/connexion").status_code == 200
    forged = client.get("/connexion", headers={"Host": "evil.example"})
    assert forged.status_code == 400 and "evil.example" not in forged.get_data(as_text=True)
    api = client.get("/api/v1/me", headers={"Host": "evil.example"})
    assert api.status_code == 400 and api.get_json()["error"]["code"] == "untrusted_host"
    app.extensions["neo4j"].close()
