"""The search's statements reach Neo4j with one kind of parameters each, the kinds the warm-up plans.

Neo4j plans a statement once per kind of parameters (null, a string, an empty list, a list of strings…:
its plan-cache key), about a second each on this machine; the first searches of a fresh server waited
1–10 s for it. So no search parameter is ever null or an empty list, and ContactRepository.warm runs
each statement once with those kinds: a search of any kind then finds its plans made.
"""

import threading
from datetime import date

import neo4j._sync.work.transaction as transaction
import pytest

from graph.repositories.contacts import ContactRepository
from graph.repositories.needs import MATCH_NEEDS, NeedRepository
from graph.search_criteria import SearchCriteria
from referral.ranking import RANKING
from referral.search import service

TODAY = date(2026, 12, 3)


def kind(value) -> str:
    """A parameter's kind as the plan cache tells them apart."""
    if isinstance(value, list):
        return "empty list" if not value else "list of " + "/".join(sorted({kind(v) for v in value}))
    return type(value).__name__


@pytest.fixture(name="statements")
def fixture_statements(monkeypatch):
    """Every statement run in a transaction, with the kinds of its parameters: {(query, kinds): the parameters
    of its first run} (test_statements_use_indexes.py EXPLAINs them)."""
    seen = {}
    run = transaction.TransactionBase.run

    def recording(self, query, parameters=None, **kwargs):
        every = {**(parameters or {}), **kwargs}
        seen.setdefault((query, tuple(sorted((name, kind(value)) for name, value in every.items()))), every)
        return run(self, query, parameters, **kwargs)

    monkeypatch.setattr(transaction.TransactionBase, "run", recording)
    return seen


def searches(person: str):
    """Searches of every kind: with and without a searcher, a territory, a language, a position, a
    distance, « open now »; one need, several, a service named by its words; read whole or by tiers."""
    for me, whole_up_to in ((person, service.WHOLE_UP_TO), (None, 0), (person, 0)):
        for territories in (("montreal-nord",), None):
            for language, origin, max_km in (("ar", (45.59, -73.63), 3.0), (None, None, None), ("fr", None, 5.0)):
                for is_open in (None, lambda hours: True):
                    yield SearchCriteria(ranking=RANKING, today=TODAY, limit=10, me=me, territories=territories,
                                         home=territories[0] if territories else None, language=language,
                                         origin=origin, max_km=max_km, is_open=is_open, whole_up_to=whole_up_to)


def test_every_search_finds_the_kinds_of_parameters_the_warm_up_planned(demo, graph, statements):
    service.warm(lambda cls: cls(graph), TODAY)
    planned = set(statements)
    person = graph.execute_query("MATCH (p:Person {listed: true})-[:KNOWS]-() RETURN p.id AS id LIMIT 1"
                                 ).records[0]["id"]
    NeedRepository(graph).list()  # the taxonomy a search by id reads is kept: read once a minute
    statements.clear()
    contacts = ContactRepository(graph)
    for criteria in searches(person):
        for words in ("santé mentale", "logement emploi", "banque alimentaire", "xylophone"):
            contacts.find(words, criteria)
    contacts.card(person, me=None, today=TODAY)
    contacts.card(person, me=person, today=TODAY)
    texts = {query for query, _ in planned}
    searched = {entry for entry in statements if entry[0] in texts}
    assert len({query for query, _ in searched}) >= 6  # matching, context, hours, tiers, details
    assert searched - planned == set()
    # Only the card's own first read (where the person works) is not a search's.
    assert len({query for query, _ in statements} - texts) == 1
    assert not any(kinds_of == "NoneType" or kinds_of == "empty list"
                   for _, kinds in statements for _, kinds_of in kinds)


def test_a_served_app_warms_the_search_at_its_first_request(demo, neo4j_settings, monkeypatch, caplog):
    # The warm-up runs in a thread of its own, outside any app context: it once failed there, every time.
    from app import create_app
    from referral.search import web
    from tests.conftest import make_config

    done, days, warm = threading.Event(), [], service.warm

    def watched(repository, today):
        try:
            warm(repository, today)
            days.append(today)
        finally:
            done.set()

    monkeypatch.setattr(web.service, "warm", watched)
    app = create_app(make_config(neo4j_settings, WARM_SEARCH=True))
    try:
        app.test_client().get("/connexion")
        assert done.wait(timeout=60) and len(days) == 1
        assert "warming the search's plans failed" not in caplog.text
    finally:
        app.extensions["notify"].stop()
        app.extensions["neo4j"].close()


def test_a_search_by_a_taxonomy_id_sends_no_matching_statement(demo, graph, statements):
    # The form's list and the API send ids: the kept taxonomy knows them, Neo4j need not match words.
    criteria = SearchCriteria(ranking=RANKING, today=TODAY, limit=10)
    contacts = ContactRepository(graph)
    NeedRepository(graph).list()  # kept from here on, as every search page has read it
    statements.clear()
    by_id = contacts.find(" mental-health ", criteria)
    assert not any("Need {id: $text}" in query or query == MATCH_NEEDS for query, _ in statements)
    assert by_id["needs"] == NeedRepository(graph).match("mental-health")["needs"]
    assert by_id["rows"] and by_id["details"]
    statements.clear()
    assert contacts.find("xylophone", criteria) is None  # not an id: its words are matched, and name nothing
    assert any(query == MATCH_NEEDS for query, _ in statements)
