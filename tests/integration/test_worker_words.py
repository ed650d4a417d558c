"""The words workers use (tests/data/worker_queries.tsv): each query, as typed, reaches its need first, or
a service when it names none; and every hint the search form shows finds people, in French and English."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from graph.repositories.needs import NeedRepository
from referral.search.forms import SearchForm

TABLE = Path(__file__).parent.parent / "data" / "worker_queries.tsv"


def worker_queries() -> list[tuple[str, str]]:
    lines = [line for line in TABLE.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return [(row["query"], row["reaches"]) for row in csv.DictReader(lines, delimiter="\t")]


def test_the_table_holds_at_least_80_queries_in_both_languages():
    queries = worker_queries()
    assert len(queries) >= 80 and len({q for q, _ in queries}) == len(queries)
    assert {"lawyer", "daycare", "job", "psy", "interprète"} <= {q for q, _ in queries}


@pytest.fixture
def needs(demo, graph):
    return NeedRepository(graph)


@pytest.mark.parametrize("query,reaches", worker_queries())
def test_each_query_reaches_its_need(needs, query, reaches):
    matched = needs.match(query)
    if reaches == "service":
        assert matched["needs"] == [] and matched["services"], matched
    else:
        assert [n["id"] for n in matched["needs"]][:1] == [reaches], matched


def hints(app, language: str) -> list[str]:
    """The examples the need field's description gives, in that interface language."""
    with app.test_request_context(headers={"Accept-Language": language}):
        text = str(SearchForm.need.kwargs["description"])
    return [word.strip(" .…") for word in re.split(r"[,:]", text)[1:] if word.strip(" .…")]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_hint_of_the_form_finds_people(demo, app, client, auth, language):
    auth.as_role("intervenant")
    examples = hints(app, language)
    assert len(examples) >= 3
    for example in examples:
        found = client.get("/api/v1/contacts", query_string={"need": example, "territory": "all"})
        assert found.status_code == 200 and found.json["total"] > 0, example


def test_a_need_typed_or_picked_brings_the_same_people(demo, client, auth):
    # Found by the outside pass: « Francisation » (not the taxonomy id) also named the organisation
    # « Accueil et francisation », whose every service then brought its staff in.
    auth.as_role("intervenant")
    found = [client.get("/api/v1/contacts", query_string={"need": words, "territory": "all"}).json
             for words in ("francisation", "Francisation", "FRANCISATION")]
    assert len({tuple(r["id"] for r in page["results"]) for page in found}) == 1


def test_an_organisations_full_name_finds_its_staff(needs, demo):
    # Found by the second outside pass: « l'amitié » is one token in the index, so the full name found
    # nothing with every word, and the any-word fallback brought needs named by « maison ».
    organisation = next(o for o in demo.organisations if "l'amitié" in o["name"])
    matched = needs.match(organisation["name"])
    offered = {s["id"] for s in demo.services if s["organisation"] == organisation["id"]}
    assert matched["needs"] == [] and offered and offered <= set(matched["services"])
