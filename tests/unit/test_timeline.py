"""The network replayed through time, on a small timeline whose every answer is known by hand:
people who join, leave or move; ties that form, end (a survey wave says so) and come back."""

from datetime import date

import pytest

from analysis import metrics
from analysis.timeline import Timeline, tie_changes

D = date.fromisoformat
ORIGINS = ["before_ei", "ei_session", "declared", "referral"]


def job(person, org, sector="family", territory="t1", since=None, until=None, consent=True, role="agent_efc"):
    return {"person": person, "organisation": org, "sector": sector, "territory": territory, "kind": "community",
            "since": D(since) if since else None, "until": D(until) if until else None,
            "research_consent": consent, "role": role}


def tie(a, b, since, origin="ei_session", level="networking", session=None):
    return {"a": a, "b": b, "since": D(since), "origin": origin, "level": level, "session": session}


def verdict(a, b, effective, knows):
    return {"a": a, "b": b, "effective": D(effective), "knows": knows}


JOBS = [
    job("a", "o1"), job("b", "o1"),
    job("c", "o2", "newcomers"),
    job("d", "o3", since="2023-01-15"),                         # joins during the cohort
    job("e", "o2", "newcomers", until="2023-03-01"),            # leaves during the cohort
    job("f", "o1", consent=False),                              # counted in totals only
    job("g", "o1", until="2023-01-01"), job("g", "o3", since="2023-01-01"),  # moves
]
TIES = [
    tie("a", "b", "2020-01-01", "before_ei"),
    tie("c", "e", "2022-10-01", "before_ei"),    # lost: e leaves
    tie("c", "b", "2022-10-15", "before_ei"),    # lost: a wave says it ended, a later one that it is back
    tie("a", "c", "2022-11-16", "ei_session", session="t1-s1"),
    tie("d", "b", "2023-02-01", "declared"),
    tie("a", "f", "2022-12-01"),                 # with a non-consenting person
    tie("a", "g", "2022-12-14"),
    tie("a", "b", "2023-01-01", "declared"),     # the same pair again: the earliest tie stays
    tie("a", "z", "2022-12-14"),                 # z works nowhere in the scope: dropped
]
WAVES = [
    verdict("b", "c", "2023-04-01", False), verdict("c", "b", "2023-04-01", False),
    verdict("c", "b", "2024-01-01", True),
    verdict("a", "c", "2023-04-01", False), verdict("c", "a", "2023-04-01", True),  # one still knows: kept
]
BEFORE, AFTER, NOW = D("2022-11-01"), D("2023-04-30"), D("2024-06-01")


@pytest.fixture
def timeline():
    return Timeline.build(JOBS, TIES, WAVES)


def pairs(timeline, snapshot):
    t = timeline
    return {frozenset((t.person_ids[t.tie_u[i]], t.person_ids[t.tie_v[i]])) for i in snapshot.tie_mask.nonzero()[0]}


def p(*names):
    return {frozenset(pair) for pair in names}


def test_who_is_there_and_which_ties_on_each_date(timeline):
    before, after, now = (timeline.snapshot(d) for d in (BEFORE, AFTER, NOW))
    t = timeline
    people = lambda s: {t.person_ids[i] for i in s.active.nonzero()[0]}  # noqa: E731
    assert people(before) == {"a", "b", "c", "e", "f", "g"}
    assert people(after) == {"a", "b", "c", "d", "f", "g"}
    assert pairs(t, before) == p("ab", "ce", "bc")
    assert pairs(t, after) == p("ab", "ac", "bd", "af", "ag")
    assert pairs(t, now) == p("ab", "ac", "bd", "af", "ag", "bc")
    # g moved from o1 to o3 on 2023-01-01.
    g = t.person_ids.index("g")
    assert t.org_ids[before.node_org[g]] == "o1" and t.org_ids[after.node_org[g]] == "o3"


def test_new_kept_and_lost_ties_with_their_reasons(timeline):
    before, after, now = (timeline.snapshot(d) for d in (BEFORE, AFTER, NOW))
    change = tie_changes(before, after, ORIGINS)
    # New a–c (session), b–d (declared), a–g (session); kept a–b; lost c–e (e left) and b–c (wave).
    assert (change["new"], change["kept"], change["lost"]) == (3, 1, 2)
    assert change["new_by_origin"] == {"before_ei": 0, "ei_session": 2, "declared": 1, "referral": 0}
    assert change["lost_by_reason"] == {"left": 1, "ended": 1}
    later = tie_changes(after, now, ORIGINS)
    assert (later["new"], later["kept"], later["lost"]) == (1, 4, 0)  # b–c is back
    assert later["new_by_origin"]["before_ei"] == 1


def test_the_earliest_tie_of_a_pair_is_kept(timeline):
    t = timeline
    ab = [i for i in range(len(t.tie_u)) if {t.person_ids[t.tie_u[i]], t.person_ids[t.tie_v[i]]} == {"a", "b"}]
    assert len(ab) == 1 and t.since_date(ab[0]) == D("2020-01-01") and t.origins[t.tie_origin[ab[0]]] == "before_ei"


def test_a_wave_counts_only_after_the_tie_formed_and_from_its_effective_day(timeline):
    assert frozenset("bc") in pairs(timeline, timeline.snapshot(D("2023-03-31")))
    assert frozenset("bc") not in pairs(timeline, timeline.snapshot(D("2023-04-01")))
    # A tie formed after the wave is not ended by it.
    later = Timeline.build(JOBS, [tie("b", "c", "2023-06-01")], [verdict("b", "c", "2023-04-01", False)])
    assert pairs(later, later.snapshot(NOW)) == p("bc")


def test_non_consenting_people_count_in_totals_only(timeline):
    after = timeline.snapshot(AFTER)
    assert after.totals() == {"people": 6, "organisations": 3, "ties": 5}
    sample = after.sample()
    assert sample.arrays.n == 5 and sample.arrays.m == 4  # f and a–f left out
    figures = metrics.figures(sample.arrays)
    assert figures["density"] == pytest.approx(4 / 10)
    # a–b, a–c, a–g, b–d: one component of five, a tree (no triangle), no isolate.
    assert (figures["components"], figures["largest_component"], figures["isolates"]) == (1, 5, 0)
    assert figures["average_clustering"] == 0.0 and figures["organisations"] == 3


def test_origins_filter(timeline):
    after = timeline.snapshot(AFTER, origins=["ei_session"])
    assert pairs(timeline, after) == p("ac", "af", "ag")


def test_each_territory_on_its_own_date():
    jobs = [job("a", "o1", territory="t1"), job("b", "o2", territory="t2"), job("c", "o3", territory="t2")]
    ties = [tie("a", "b", "2023-01-01"), tie("b", "c", "2023-06-01")]
    timeline = Timeline.build(jobs, ties)
    # t1 is seen on 2023-02-01, t2 on 2023-07-01: a–b is there on both ends' days, b–c on t2's day.
    both = timeline.snapshot({"t1": D("2023-02-01"), "t2": D("2023-07-01")})
    assert pairs(timeline, both) == p("ab", "bc")
    # With t1 seen before a–b formed, the cross-territory tie is not there yet.
    early = timeline.snapshot({"t1": D("2022-12-01"), "t2": D("2023-07-01")})
    assert pairs(timeline, early) == p("bc")
    # A territory left out of the mapping is out of scope.
    only_t2 = timeline.snapshot({"t2": D("2023-07-01")})
    assert pairs(timeline, only_t2) == p("bc") and only_t2.totals()["people"] == 2


def test_empty_timeline():
    timeline = Timeline.build([], [])
    snapshot = timeline.snapshot(NOW)
    assert snapshot.totals() == {"people": 0, "organisations": 0, "ties": 0}
    assert metrics.figures(snapshot.sample().arrays)["people"] == 0
    assert tie_changes(snapshot, snapshot, ORIGINS)["new"] == 0
