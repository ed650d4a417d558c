"""Statements run at every search or by the e-mail worker at every round read through an index, never a scan
of every node of a label (or every relationship of a type): their cost must not grow with the graph.

Neo4j plans a statement once and keeps the plan, so a plan chosen on a small graph stays when it grows:
a search read whole scanned every need and their entries (738 database hits for one search of the demo
where the index takes 86), and the worker's claim scanned every notification ever sent (so did the admins'
list of the latest). Plans are read
with EXPLAIN (nothing runs, nothing is timed). And the small directory's one read gives the pages the
tiers give.
"""

from dataclasses import replace
from datetime import UTC, datetime

from graph.repositories.contacts import ContactRepository
from graph.repositories.needs import NeedRepository
from graph.repositories.notifications import NotificationRepository
from graph.schema import init_schema
from graph.search_criteria import SearchCriteria
from graph.search_index import HELPED
from referral.ranking import RANKING
from referral.search.service import WHOLE_UP_TO
from tests.integration.test_search_plans import fixture_statements  # noqa: F401 — `statements`, for pytest

SCANS = ("NodeByLabelScan", "AllNodesScan", "RelationshipTypeScan")


def operators(plan: dict):
    """Every operator of a plan: (type, details)."""
    yield plan["operatorType"], plan.get("args", {}).get("Details", "")
    for child in plan.get("children", []):
        yield from operators(child)


def scans(driver, statements: dict[tuple, dict]) -> list[str]:
    found = []
    with driver.session() as session:
        for (query, _kinds), parameters in statements.items():
            plan = session.run("EXPLAIN " + query, parameters).consume().plan
            found += [f"{kind} {details} in {' '.join(query.split())[:120]}" for kind, details in operators(plan)
                      if any(scan in kind for scan in SCANS)]
    return found


def test_a_search_read_whole_or_by_tiers_seeks_its_entries(demo, graph, statements):
    person = graph.execute_query("MATCH (p:Person {listed: true})-[:WORKS_AT]->() RETURN p.id AS id LIMIT 1"
                                 ).records[0]["id"]
    NeedRepository(graph).list()  # the taxonomy, kept a minute: the one read of every need, not a search's
    statements.clear()
    contacts = ContactRepository(graph)
    for whole_up_to in (WHOLE_UP_TO, 0):
        for territories in (("mn",), None):
            criteria = SearchCriteria(ranking=RANKING, today=datetime.now(UTC).date(), limit=10, me=person,
                                      territories=territories, home="mn", whole_up_to=whole_up_to)
            contacts.find("mental-health", criteria)
            contacts.find("logement emploi", criteria)  # two needs: their rows merged
    assert scans(graph, statements) == []
    # The plan of this graph may seek where a larger one's would not, and the other way round: every read
    # of the projection names its index, so that the plan never depends on the size of the graph at warm-up.
    reads = [part for query, _ in statements for part in query.split("MATCH (:Person)-[c:CAN_HELP]->(:Need)")[1:]]
    assert len(reads) >= 5 and all(part.lstrip().startswith("USING INDEX c:CAN_HELP(") for part in reads)


def test_the_e_mail_workers_claim_and_the_admins_list_seek(graph, statements):
    NotificationRepository(graph).claim(datetime.now(UTC))
    NotificationRepository(graph).recent()
    assert len(statements) == 2 and scans(graph, statements) == []


WAYS = ((("mn",), None, None), (None, "ar", None), (("mn",), "es", (45.59, -73.63)))  # territories, language, origin


def test_read_whole_or_by_tiers_the_demos_pages_are_the_same(demo, graph):
    """Every need of the demo, one territory or all, with a family's language or not, from a position or
    the searcher's workplace: the two readings give the same people in the same order, page after page
    (only the total differs: exact when read whole, a lower bound by tiers)."""
    person = graph.execute_query("MATCH (u:User {email: 'intervenant@demo.reseau-ei.ca'})-[:IS]->(p) "
                                 "RETURN p.id AS id").records[0]["id"]
    contacts, compared = ContactRepository(graph), 0
    for need in NeedRepository(graph).list():
        for territories, language, origin in WAYS:
            for limit in (10, 20):
                criteria = SearchCriteria(ranking=RANKING, today=datetime.now(UTC).date(), limit=limit, me=person,
                                          territories=territories, home="mn", language=language, origin=origin)
                whole = contacts.find(need["id"], replace(criteria, whole_up_to=WHOLE_UP_TO))
                tiers = contacts.find(need["id"], criteria)
                assert [r["id"] for r in whole["rows"]] == [r["id"] for r in tiers["rows"]], (need["id"], criteria)
                assert whole["exact"] and whole["total"] >= tiers["total"]
                compared += bool(whole["rows"])
    assert compared > 50


def test_a_persons_successful_referrals_are_counted_from_the_person(graph):
    """The count the projection and a contact's card carry walks the person's referrals received: the cost of
    a refresh or a card grows with what the person received, never with the referrals of everyone. With the
    referral's label in its pattern, Neo4j may start from the referrals' status index instead, whenever its
    statistics make that look cheaper: just after a load (the index sampled empty), it did so for every person,
    3.8 million database hits to refresh a 1,000-row import where walking from each person takes 30,000. Here
    the indexes made on the empty graph, as `graph init` leaves them, then 3,000 referrals for two people."""
    graph.execute_query("DROP CONSTRAINT person_id")
    graph.execute_query("DROP INDEX referral_status")
    init_schema(graph)
    statuses = ["sent", "accepted", "in_progress", "completed", "declined", "cancelled"]
    graph.execute_query("""
        UNWIND ['p1', 'p2'] AS id CREATE (p:Person {id: id})
        WITH p UNWIND range(1, 1500) AS i
        CREATE (p)<-[:TO]-(:Referral {id: p.id + '-' + i, status: $statuses[i % 6]})
        """, statuses=statuses)
    graph.execute_query("CALL db.clearQueryCaches()")
    with graph.session() as session:
        plan = session.run("EXPLAIN MATCH (p:Person {id: $id}) RETURN " + HELPED + " AS helped", id="p1"
                           ).consume().plan
    # The person's own seek is the only one.
    assert [f"{kind} {details}" for kind, details in operators(plan)
            if ("Scan" in kind or "Seek" in kind) and "p:Person(id)" not in details] == []
