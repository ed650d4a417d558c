"""The ranking's one definition (referral/ranking.py), without Neo4j: the documented scores, the Cypher
written from it, the bounds that decide what a search reads, and a sentence for every term."""

from __future__ import annotations

from dataclasses import replace

import pytest

from graph import search_query
from referral.ranking import RANKING, Fading, Levels, Ranking, Saturating, Term

# The small network of tests/integration/test_search_ranking.py, as rows (no language asked: nobody `speaks`; o1 is
# the origin).
A = {"known": True, "expert": True, "metres": 5000.0, "located": True}
B = {"expert": True, "offers": True, "metres": 1000.0, "located": True}
C = {"introduced": True, "expert": True, "metres": 5000.0, "located": True}
I = {"offers": True, "metres": 1000.0, "successes": 2, "located": True}  # noqa: E741
H = {"offers": True, "metres": 1000.0, "located": True}


def test_the_documented_scores():
    assert [RANKING.score(row) for row in (A, B, C, I, H)] == [57.86, 46.67, 42.86, 29.17, 26.67]
    # Not taking referrals for now: a quarter of the score.
    assert RANKING.score(B, paused=True) == 11.67  # F


def test_weights_add_up_to_a_hundred_and_features_stay_between_0_and_1():
    assert sum(RANKING.weights.values()) == 100 and list(RANKING.weights) == [t.name for t in RANKING.terms]
    for term in RANKING.terms:
        for row in ({}, A, B, C, I, {"metres": 0.0, "successes": 10 ** 9, "known": True, "speaks": True}):
            assert 0.0 <= term.feature.value(row) <= 1.0
        assert term.why  # and its explanation beside it


def test_the_features():
    assert Levels((("a", 1.0), ("b", 0.5))).value({"a": False, "b": True}) == 0.5
    assert Levels((("a", 1.0), ("b", 0.5))).value({"a": True, "b": True}) == 1.0
    assert Fading("metres", half=2.0, per=1000.0).value({"metres": 2000.0}) == 0.5
    assert Fading("metres", half=2.0, per=1000.0).value({"metres": None}) == 0.0
    assert Fading("metres", half=2.0, per=1000.0).within(0.5) == 2.0
    assert Saturating("successes", half=2).value({"successes": 6}) == 0.75


def test_the_cypher_is_written_from_the_terms():
    cypher = search_query.scoring(RANKING.terms, RANKING.not_accepting_factor, RANKING.fit_columns)
    assert """WITH *, CASE WHEN known THEN 1.0 WHEN introduced THEN 0.5 ELSE 0.0 END AS trust,
        CASE WHEN expert THEN 1.0 ELSE 0.0 END AS expertise,
        CASE WHEN offers THEN 1.0 ELSE 0.0 END AS service,
        CASE WHEN speaks THEN 1.0 WHEN service_speaks THEN 0.5 ELSE 0.0 END AS language,
        CASE WHEN metres IS NULL THEN 0.0 ELSE 1.0 / (1.0 + metres / 1000.0 / 2.0) END AS distance,
        toFloat(successes) / (successes + 2) AS outcomes,
        CASE WHEN located THEN 1.0 WHEN serves THEN 0.5 ELSE 0.0 END AS territory
WITH *, 30 * trust
        + 20 * expertise
        + 15 * service
        + 15 * language
        + 10 * distance
        + 5 * outcomes
        + 5 * territory AS points
WITH *, round(points * CASE WHEN accepting_until >= $today THEN 0.25 ELSE 1.0 END, 2) AS score,
     CASE WHEN expert THEN 1 ELSE 0 END + CASE WHEN offers THEN 1 ELSE 0 END AS fit, \
coalesce(accepting_until >= $today, false) AS paused
ORDER BY paused, fit DESC, score DESC, organisation""" in cypher
    # A weight changed in the definition is the weight the database uses.
    heavier = tuple(replace(t, weight=40) if t.name == "trust" else t for t in RANKING.terms)
    assert "40 * trust" in search_query.scoring(heavier, 0.25, RANKING.fit_columns)
    assert search_query.queries(RANKING).ranked.endswith(cypher)


@pytest.mark.parametrize("term", [
    Term("trust", 30, Levels((("nowhere", 1.0),)), ""),  # a column no candidate row has
    Term("trust", 30, Fading("metres; MATCH (n) DETACH DELETE n", 2.0), ""),
    Term("expert", 30, Levels((("expert", 1.0),)), ""),  # a name that hides a column
    Term("trust", "30", Levels((("known", 1.0),)), ""),  # a weight that is no number
])
def test_a_definition_the_query_cannot_hold_is_refused(term):
    with pytest.raises(ValueError):
        search_query.scoring((term,), 0.25, RANKING.fit_columns)


@pytest.mark.parametrize("expert,offers,language", [(True, True, None), (True, False, "ar"), (False, True, None)])
def test_a_tier_bound_is_the_best_a_stranger_of_the_tier_can_score(expert, offers, language):
    best = {"expert": expert, "offers": offers, "speaks": bool(language), "metres": 0.0, "successes": 10 ** 9,
            "located": True}
    assert RANKING.tier_bound(expert, offers, language) == pytest.approx(RANKING.score(best), abs=0.01)


@pytest.mark.parametrize("last", [41.04, 45.73, 50.0])
def test_beyond_the_clearance_a_stranger_without_successes_scores_less_than_the_last_row(last):
    km = RANKING.clearance([{"score": last, "expert": True, "offers": True}], 1, None)
    stranger = {"expert": True, "offers": True, "located": True}
    assert RANKING.score({**stranger, "metres": km * 1000 + 1}) < last
    assert RANKING.score({**stranger, "metres": max(0.0, km * 1000 - 200)}) >= last - 0.01


def test_beyond_its_reach_a_stranger_of_a_lower_tier_scores_less_than_the_last_row():
    km = RANKING.reach([{"score": 36.0, "expert": True}], [(True, False)], 1, None)[(True, False)]
    stranger = {"expert": True, "located": True, "successes": 10 ** 9}
    assert RANKING.score({**stranger, "metres": km * 1000 + 1}) < 36.0
    assert RANKING.score({**stranger, "metres": km * 1000 - 200}) >= 35.99


def test_every_term_is_told_to_the_searcher():
    from referral.search.reasons import TOLD

    assert list(TOLD) == [term.name for term in RANKING.terms]


def test_a_ranking_is_data_the_query_cache_can_key_on():
    assert search_query.queries(Ranking(RANKING.terms, 0.25)) is search_query.queries(RANKING)
