"""`flask user create|list|disable` and `graph init` from the command line."""

from graph.schema import STATEMENTS, init_schema
from tests.conftest import person_with_email


def test_create_list_disable(demo, runner):
    result = runner.invoke(args=["user", "create", "nouvelle@example.org", "--role", "coordinator",
                                 "--territory", "asl", "--password-stdin"], input="un-mot-de-passe-long\n")
    assert result.exit_code == 0, result.output
    listing = runner.invoke(args=["user", "list"]).output
    assert "nouvelle@example.org" in listing and "coordinator" in listing and "asl" in listing
    assert runner.invoke(args=["user", "disable", "nouvelle@example.org"]).exit_code == 0
    assert "disabled" in [line for line in runner.invoke(args=["user", "list"]).output.splitlines()
                          if "nouvelle@" in line][0]


def test_create_refuses_bad_input(demo, runner):
    cases = [
        (["user", "create", "pas-un-courriel", "--role", "admin", "--password-stdin"], "long-enough-pw\n",
         "valid e-mail"),
        (["user", "create", "a@example.org", "--role", "admin", "--password-stdin"], "court\n", "10 caractères"),
        (["user", "create", "a@example.org", "--role", "coordinator", "--territory", "nowhere", "--password-stdin"],
         "long-enough-pw\n", "Unknown territory"),
        (["user", "create", "admin@demo.reseau-ei.ca", "--role", "admin", "--password-stdin"], "long-enough-pw\n",
         "already exists"),
        (["user", "create", "b@example.org", "--role", "intervenant", "--person", "p-999", "--password-stdin"],
         "long-enough-pw\n", "Unknown person"),
    ]
    for args, stdin, message in cases:
        result = runner.invoke(args=args, input=stdin)
        assert result.exit_code == 1 and message in result.output, (args, result.output)


def test_graph_init_is_idempotent(graph, runner):
    for _ in range(2):
        result = runner.invoke(args=["graph", "init"])
        assert result.exit_code == 0, result.output
    records, _, _ = graph.execute_query("SHOW INDEXES YIELD name RETURN name")
    names = {r["name"] for r in records}
    assert {"search_text", "organisation_location", "person_id", "need_id"} <= names
    assert len(STATEMENTS) > 10


def test_graph_init_names_the_emails_people_of_an_older_graph_share(graph, runner):
    # A graph made before e-mails were unique: the constraint cannot be created until each person has theirs.
    graph.execute_query("DROP CONSTRAINT person_email")
    graph.execute_query("UNWIND $people AS person CREATE (p:Person) SET p = person", people=[
        {"id": "p-1", "email": "a@example.org"}, {"id": "p-2", "email": "a@example.org"},
        {"id": "p-3", "email": "b@example.org"}, {"id": "p-4"}, {"id": "p-5"}])
    try:
        result = runner.invoke(args=["graph", "init"])
        assert result.exit_code == 1
        assert "a@example.org: p-1, p-2" in result.output and "b@example.org" not in result.output
        assert "person_email" not in constraints(graph)
        assert {"person_id", "api_token_hash", "can_help_tier"} <= constraints(graph) | indexes(graph)

        graph.execute_query("MATCH (p:Person {id: 'p-2'}) SET p.email = 'c@example.org'")
        result = runner.invoke(args=["graph", "init"])
        assert result.exit_code == 0, result.output
        assert "person_email" in constraints(graph)
    finally:
        graph.execute_query("MATCH (p:Person) DETACH DELETE p")
        init_schema(graph)


def test_graph_init_lowercases_the_emails_stored_before_and_names_those_then_shared(graph, runner):
    # Stored before every writer lower-cased them: found by an exact seek only once lower-cased.
    graph.execute_query("UNWIND $people AS person CREATE (p:Person) SET p = person", people=[
        {"id": "p-1", "email": " Mixed.Case@Example.org"}, {"id": "p-2", "email": "B@example.org"},
        {"id": "p-3", "email": "b@example.org"}])
    try:
        result = runner.invoke(args=["graph", "init"])
        assert result.exit_code == 1 and "b@example.org: p-2, p-3" in result.output
        emails = {r["id"]: r["email"] for r in graph.execute_query(
            "MATCH (p:Person) RETURN p.id AS id, p.email AS email").records}
        assert emails == {"p-1": "mixed.case@example.org", "p-2": "B@example.org", "p-3": "b@example.org"}
        assert person_with_email(graph, "MIXED.case@example.org ") == "p-1"
    finally:
        graph.execute_query("MATCH (p:Person) DETACH DELETE p")
        init_schema(graph)


def constraints(driver) -> set[str]:
    return {r["name"] for r in driver.execute_query("SHOW CONSTRAINTS YIELD name RETURN name").records}


def indexes(driver) -> set[str]:
    return {r["name"] for r in driver.execute_query("SHOW INDEXES YIELD name RETURN name").records}


def test_full_text_search_folds_accents_and_case(demo, graph):
    records, _, _ = graph.execute_query(
        "CALL db.index.fulltext.queryNodes('search_text', $q) YIELD node RETURN node.id AS id", q="SANTE mentale")
    assert "mental-health" in {r["id"] for r in records}


def test_admin_creates_an_account_in_the_page(demo, client, auth):
    auth.as_role("admin")
    response = client.post("/admin/comptes", data={"email": "x@example.org", "role": "evaluator", "territory": "",
                                                   "person": "", "password": "assez-long-mdp"})
    assert response.status_code == 302
    assert "x@example.org" in client.get("/admin/comptes").get_data(as_text=True)
    again = client.post("/admin/comptes", data={"email": "x@example.org", "role": "evaluator", "territory": "",
                                                "person": "", "password": "assez-long-mdp"})
    assert "Un compte existe déjà" in again.get_data(as_text=True)
