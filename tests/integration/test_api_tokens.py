"""API tokens open the API only, within their scope and lifetime; the profile lists and revokes them."""

from graph.schema import init_schema
from tests.api_helpers import bearer
from tests.conftest import DEMO_ACCOUNTS, graph_fingerprint


def _accounts(graph) -> set[str]:
    return {r["email"] for r in graph.execute_query("MATCH (u:User) RETURN u.email AS email").records}


def test_a_token_never_opens_an_html_page(demo, app, graph):
    headers = bearer(graph, "u-demo-admin")
    client = app.test_client()
    assert client.get("/api/v1/me", headers=headers).json["role"] == "admin"  # the token is good
    page = client.get("/admin/comptes", headers=headers)
    assert page.status_code == 302 and "/connexion" in page.headers["Location"]
    before = _accounts(graph)
    created = client.post("/admin/comptes", headers=headers, data={
        "email": "intrus@example.org", "role": "admin", "territory": "", "person": "",
        "password": "cèdre-marée-vélo-tambour"})
    assert created.status_code == 302 and "/connexion" in created.headers["Location"]
    assert _accounts(graph) == before


def test_a_read_token_cannot_write(demo, app, graph):
    client = app.test_client()
    read = bearer(graph, "u-demo-intervenant", scope="read")
    assert client.get("/api/v1/contacts?need=mental-health&territory=mn", headers=read).status_code == 200
    before = graph_fingerprint(graph)
    refused = client.post("/api/v1/referrals", headers=read, json={"to": "p-002", "need": "mental-health"})
    assert refused.status_code == 403 and refused.json["error"]["code"] == "read_only_token"
    assert graph_fingerprint(graph) == before
    # the same request with a read-write token goes past the scope (to the referral's own checks)
    write = bearer(graph, "u-demo-intervenant", scope="read-write")
    assert client.post("/api/v1/referrals", headers=write, json={}).status_code in (400, 422)


def test_expired_unknown_and_revoked_tokens_are_401_json(demo, app, graph, client, auth):
    script = app.test_client()
    for headers in (bearer(graph, "u-demo-intervenant", days=-1), {"Authorization": "Bearer ei_made-up"}):
        response = script.get("/api/v1/me", headers=headers)
        assert response.status_code == 401 and response.json["error"]["code"] == "unauthorized"
    auth.login()
    page = client.post("/profil/jeton", data={"name": "export nocturne", "scope": "read"}).get_data(as_text=True)
    token = page.split('class="token"')[0].rsplit('value="', 1)[1].split('"')[0]
    headers = {"Authorization": f"Bearer {token}"}
    assert script.get("/api/v1/me", headers=headers).status_code == 200
    token_id = graph.execute_query("MATCH (t:ApiToken {name: 'export nocturne'}) RETURN t.id AS id").records[0]["id"]
    client.post("/profil/jeton/revoquer", data={"token_id": token_id})
    response = script.get("/api/v1/me", headers=headers)
    assert response.status_code == 401 and response.is_json


def test_the_profile_lists_tokens_shows_a_new_one_once_and_stores_only_its_hash(demo, app, graph, client, auth):
    auth.login()
    response = client.post("/profil/jeton", data={"name": "tableau de bord", "scope": "read-write"})
    assert response.headers["Cache-Control"] == "no-store"
    token = response.get_data(as_text=True).split('class="token"')[0].rsplit('value="', 1)[1].split('"')[0]
    app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    profile = client.get("/profil/").get_data(as_text=True)
    assert "tableau de bord" in profile and "lecture et écriture" in profile and token not in profile
    assert "jamais" not in profile  # its last use is shown
    # Found by the outside pass: « <jeton> » was written as markup and vanished from the help.
    assert "<code>Authorization: Bearer &lt;jeton&gt;</code>" in profile
    stored = graph.execute_query("MATCH (t:ApiToken) RETURN properties(t) AS p").records[0]["p"]
    assert token not in str(stored) and {"hash", "name", "scope", "created", "expires", "last_used"} <= set(stored)
    assert (stored["expires"].to_native() - stored["created"].to_native()).days == 90


def test_revoking_someone_elses_token_does_nothing(demo, app, graph, client, auth):
    headers = bearer(graph, "u-demo-admin")
    token_id = graph.execute_query("MATCH (t:ApiToken) RETURN t.id AS id").records[0]["id"]
    auth.login()
    page = client.post("/profil/jeton/revoquer", data={"token_id": token_id}, follow_redirects=True)
    assert "déjà été révoqué" in page.get_data(as_text=True)
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 200


def test_a_token_acts_under_the_accounts_current_role(demo, app, graph, runner):
    headers = bearer(graph, "u-demo-admin")
    assert runner.invoke(args=["user", "disable", DEMO_ACCOUNTS["admin"]]).exit_code == 0
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401


def test_cli_token_with_scope_and_lifetime(demo, app, graph, runner):
    result = runner.invoke(args=["user", "token", DEMO_ACCOUNTS["intervenant"], "--name", "sync",
                                 "--scope", "read-write", "--days", "7"])
    assert result.exit_code == 0, result.output
    stored = graph.execute_query("MATCH (t:ApiToken {name: 'sync'}) RETURN t.scope AS scope, "
                                 "duration.inDays(t.created, t.expires).days AS days").records[0]
    assert stored["scope"] == "read-write" and stored["days"] == 7
    refused = runner.invoke(args=["user", "token", DEMO_ACCOUNTS["intervenant"], "--scope", "admin"])
    assert refused.exit_code != 0


def test_graph_init_drops_the_old_account_tokens(graph, runner):
    graph.execute_query("CREATE CONSTRAINT user_token IF NOT EXISTS FOR (u:User) REQUIRE u.api_token_hash IS UNIQUE")
    graph.execute_query("CREATE (:User {id: 'u-old', email: 'old@example.org', api_token_hash: 'abc'})")
    try:
        assert runner.invoke(args=["graph", "init"]).exit_code == 0
        left = graph.execute_query("MATCH (u:User) WHERE u.api_token_hash IS NOT NULL RETURN count(u) AS n")
        assert left.records[0]["n"] == 0
        names = {r["name"] for r in graph.execute_query("SHOW CONSTRAINTS YIELD name RETURN name").records}
        assert "user_token" not in names and "api_token_hash" in names
    finally:
        graph.execute_query("MATCH (u:User {id: 'u-old'}) DELETE u")
        init_schema(graph)


def test_erasing_a_profile_deletes_its_tokens(demo, app, graph, client, auth):
    headers = bearer(graph, "u-demo-intervenant")
    auth.login()
    assert client.post("/profil/effacer", data={"confirm": "EFFACER"}).status_code == 302
    assert graph.execute_query("MATCH (t:ApiToken) RETURN count(t) AS n").records[0]["n"] == 0
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401


def test_a_tokens_last_use_is_written_once_a_minute_and_an_expired_one_opens_nothing(demo, app, graph):
    """The account's read compares the instants in Cypher (sent as milliseconds): the token's last use is
    written at its first use, not again within the minute, again after it; a token one second past its
    expiry is refused."""
    headers, script = bearer(graph, "u-demo-intervenant"), app.test_client()

    def last_used():
        return graph.execute_query("MATCH (t:ApiToken {name: 'test'}) RETURN t.last_used AS at").records[0]["at"]

    assert last_used() is None
    assert script.get("/api/v1/me", headers=headers).status_code == 200
    lower = {"Authorization": headers["Authorization"].replace("Bearer", "bearer")}  # outside pass 16c: 401
    assert script.get("/api/v1/me", headers=lower).status_code == 200  # a scheme is case-insensitive
    first = last_used()
    assert first is not None
    assert script.get("/api/v1/me", headers=headers).status_code == 200 and last_used() == first
    graph.execute_query("MATCH (t:ApiToken {name: 'test'}) SET t.last_used = t.last_used - duration('PT61S')")
    assert script.get("/api/v1/me", headers=headers).status_code == 200 and last_used() > first
    graph.execute_query("MATCH (t:ApiToken {name: 'test'}) SET t.expires = datetime() - duration('PT1S')")
    assert script.get("/api/v1/me", headers=headers).status_code == 401
