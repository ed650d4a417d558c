"""The ranking's rules that need no graph, from tests/integration/test_search_ranking.py: the weights, the
bound a stranger beyond the clearance cannot beat, the reach of a lower tier, the merge of several reads, and
a pause that has ended. Nothing here starts Neo4j."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest

from graph import search_query
from referral import clock
from referral.ranking import RANKING
from referral.search import results


def top(score: float, **row) -> dict:
    """A row of the top tier (expertise and a service), taking referrals, unless `row` says otherwise."""
    return {"score": score, "expert": True, "offers": True, "paused": False, **row}


def test_a_stranger_beyond_the_clearance_scores_at_most_the_bound():
    # Expertise and a service, no language, 1.5 km away, no successful referral, in the territory:
    # 35 + 10 / (1 + 0.75) + 5 = 45.71. A last row of 45.73 beats anyone farther than that.
    assert RANKING.clearance([top(45.73)], 1, None) < 1.5
    assert RANKING.clearance([top(45.71)], 1, None) > 1.5
    # Asked for a language, the bound has its 15 points too.
    assert RANKING.clearance([top(60.73)], 1, "ar") < 1.5
    assert RANKING.clearance([top(60.71)], 1, "ar") > 1.5
    assert RANKING.clearance([top(99.0)], 2, None) is None  # fewer rows than the page
    assert RANKING.clearance([top(40.0)], 1, None) is None  # no stranger is ever ruled out
    assert RANKING.clearance([top(55.0)], 1, None) == 0.0  # beats a stranger at the door


def test_the_reach_of_a_lower_tier():
    page = [top(36.0, offers=False)]  # no language: a stranger with expertise only scores at most 30 + distance
    reach = RANKING.reach(page, [(True, False), (False, True)], 1, None)
    assert reach[(True, False)] == pytest.approx(2.0 * (1 / 0.599 - 1))  # 10 × distance ≥ 5.99
    assert reach[(False, True)] is None  # 25 + 10 < 36
    assert RANKING.reach([top(20.0, offers=False)], [(True, False)], 1, "ar") == {(True, False): math.inf}
    assert RANKING.reach(page, [(True, False)], 2, None) is None  # fewer rows than the page


def test_rows_of_several_reads_merge_best_first_a_person_once():
    rows = [{"id": "x", "name": "X", "score": 10.0}, {"id": "y", "name": "Y", "score": 30.0},
            {"id": "x", "name": "X", "score": 40.0}, {"id": "z", "name": "A", "score": 30.0}]
    merged = search_query.best_first(rows, 3, RANKING)
    assert [(r["id"], r["score"]) for r in merged] == [("x", 40.0), ("z", 30.0), ("y", 30.0)]
    # Two jobs of equal score: the first organisation by id, as the database picks it.
    jobs = [{"id": "x", "name": "X", "score": 40.0, "organisation": "o9"},
            {"id": "x", "name": "X", "score": 40.0, "organisation": "o1"}]
    assert search_query.best_first(jobs, 1, RANKING)[0]["organisation"] == "o1"


def test_fit_comes_before_trust_and_a_pause_after_everything():
    colleague = {"id": "c", "name": "C", "score": 70.0, "expert": False, "offers": True, "known": True}
    stranger = {"id": "s", "name": "S", "score": 36.0, "expert": True, "offers": True}
    paused = {"id": "p", "name": "P", "score": 20.0, "expert": True, "offers": True, "paused": True}
    order = [r["id"] for r in search_query.best_first([paused, colleague, stranger], 3, RANKING)]
    assert order == ["s", "c", "p"]


def test_a_last_row_of_lower_fit_or_paused_lets_every_stranger_in():
    lower = top(80.0, offers=False)  # an acquaintance with expertise only closes the page
    assert RANKING.clearance([lower], 1, None) is None  # any stranger with both outranks it
    assert RANKING.reach([top(29.0, offers=True, expert=False)], [(True, False)], 1, None) == {
        (True, False): math.inf}  # same fit: by score, and 29 is beaten by expertise alone
    assert RANKING.reach([top(30.0)], [(True, False), (False, True)], 1, None) == {
        (True, False): None, (False, True): None}  # a lower fit never enters a page of the top tier
    assert RANKING.reach([top(20.0, paused=True)], [(True, False)], 1, None) is None
    assert RANKING.clearance([top(99.0, paused=True)], 1, None) is None


def test_pause_that_has_ended_does_not_lower():
    yesterday = clock.today() - timedelta(days=1)
    rows = [{"id": "x", "accepting_until": yesterday}, {"id": "y", "accepting_until": clock.today()}]
    shown = {r.id: r for r in results.ranked(rows, clock.today())}
    assert shown["x"].not_accepting_until is None and shown["y"].not_accepting_until == clock.today()
