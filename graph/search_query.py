"""The Cypher of a search for a named contact: where candidates come from, and their score, written
from the ranking's terms (referral/ranking.py, passed in graph/search_criteria.py's `Ranking`).

Candidates are read from the search projection of graph/search_index.py, one row per (person, job)
with the columns of `CANDIDATE_COLUMNS`; each term's feature becomes a column named after it, and the
score their weighted sum: only the best rows leave the database. graph/repositories/contact_search.py
decides which of these queries a search runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from neo4j.spatial import WGS84Point

from graph import search_index
from graph.search_criteria import Ranking
from graph.search_index import HELPED


def trusted(tie: str) -> str:
    """Cypher: the KNOWS relationship `tie` counts as trust today: it began by today and, when one person
    declared it, the other confirmed it (an unconfirmed tie is shown on a card, never scored)."""
    return f"coalesce({tie}.since, $today) <= $today AND coalesce({tie}.confirmed, true)"


# The searcher's side, read once per search: their ties as of today (direct, and through one listed
# person, the introducer); the origin of distances when the family's position is not given — the
# searcher's current organisation; when searching everywhere, every territory; and how many entries the
# needs have in any territory, counted up to `$whole_up_to` + 1: a projection that small is read whole.
CONTEXT = """
OPTIONAL MATCH (me:Person {id: $me})
CALL (me) {
    OPTIONAL MATCH (me)-[k:KNOWS]-(friend:Person)
    WHERE """ + trusted("k") + """
    RETURN collect(DISTINCT friend.id) AS direct
}
CALL (me) {
    OPTIONAL MATCH (me)-[k1:KNOWS]-(via:Person)-[k2:KNOWS]-(other:Person)
    WHERE via.listed = true AND other <> me
      AND """ + trusted("k1") + " AND " + trusted("k2") + """
    RETURN collect(DISTINCT other.id) AS second
}
CALL (me) {
    OPTIONAL MATCH (me)-[here:WORKS_AT]->(workplace:Organisation)
    WHERE here.until IS NULL AND workplace.location IS NOT NULL
    WITH workplace ORDER BY here.since DESC
    RETURN head(collect(workplace.location)) AS workplace
}
CALL () {
    OPTIONAL MATCH (t:Territory) WHERE $everywhere AND t.id IS NOT NULL
    RETURN collect(t.id) AS territories
}
CALL () {
    MATCH ()-[c:CAN_HELP]->()
    USING INDEX c:CAN_HELP(need, person)
    WHERE c.need IN $need_ids AND c.person IS NOT NULL
    WITH c LIMIT $whole_up_to + 1
    RETURN count(c) AS candidates
}
RETURN direct, second, workplace, territories, candidates
"""

# Where candidates come from, each as the same columns of raw features:
# 1. the projection (graph/search_index.py), by need, territory and tier (expertise, service) through the
#    index `can_help_tier` — the people of the tiers asked for;
# 2. the searcher's acquaintances, from every tier and place: trust can lift them above any stranger
#    (read twice when also in the tiers read: one row per job merges them);
# 3. people working where a service named by the words (not by a need) is offered: a few hundred at most.
# Filters come first and properties are read only when needed (CASE): reading them is most of the cost.
# No parameter is ever null, nor its type changes from one search to another: Neo4j plans a statement
# once per kind of parameters (about a second each here), so « none » is a value of the same type —
# `$me` and `$home` "" (no such person or territory), `$language` "" (any), `$max_m` and `$reach_m`
# NO_LIMIT, `$origin` NOWHERE with `$has_origin` false; and a list of ids is never empty (a list of
# nothing is yet another kind): with none, it holds NO_ID (`ids`), which no record has.
NO_LIMIT = -1.0
NOWHERE = WGS84Point((0.0, 0.0))
NO_ID = "-"


def ids(values) -> list[str]:
    """`values` as a list for Cypher, never empty (see above)."""
    return list(values) or [NO_ID]


# `$language`: the family's language as the entries spell it, between spaces (search_index.language_word).
LANGUAGE_FILTER = """($language = '' OR c.spoken CONTAINS $language OR c.served_in CONTAINS $language)"""
# `$reach_m`: how far a stranger of a lower tier may be and still enter the page (see contact_search).
DISTANCE = """
WITH c, CASE WHEN NOT $has_origin OR c.location IS NULL THEN NULL ELSE point.distance(c.location, $origin) END
        AS metres
WHERE ($max_m < 0 OR metres <= $max_m) AND ($reach_m < 0 OR metres <= $reach_m)
"""
COLUMNS = """c.person AS id, c.organisation AS organisation, c.name AS name, metres, c.expert AS expert,
       c.offers AS offers,
       CASE WHEN $language = '' THEN false ELSE c.spoken CONTAINS $language END AS speaks,
       CASE WHEN $language = '' THEN false ELSE c.served_in CONTAINS $language END AS service_speaks,
       coalesce(c.located_in = $home, false) AS located, coalesce($home IN c.serves, false) AS serves,
       c.accepting_until AS accepting_until, c.helped AS successes,
       CASE WHEN $open_only THEN any(h IN c.hours WHERE h IN $open_hours) ELSE true END AS open"""
# What the ranking's features may read in a candidate's row (known, introduced: the searcher's ties).
CANDIDATE_COLUMNS = frozenset({"known", "introduced", "expert", "offers", "speaks", "service_speaks", "metres",
                               "successes", "located", "serves"})


# Without it, a small graph's plan (made once, at the warm-up) reads every need's entries from a scan of
# the needs: 738 database hits for a whole read of the demo where the index takes 86.
BY_TIER = "USING INDEX c:CAN_HELP(need, territory, expert, offers)"


def _listed(restriction: str = "", hint: str = BY_TIER) -> str:
    """People of the tiers asked for, from the projection, with a further `restriction` on the index."""
    return f"""
    MATCH (:Person)-[c:CAN_HELP]->(:Need)
    {hint}
    WHERE c.need IN $need_ids AND c.territory IN $territories AND c.expert IN $experts AND c.offers IN $offers
      {restriction} AND c.person <> $me AND {LANGUAGE_FILTER}
    {DISTANCE}
    RETURN {COLUMNS}"""


ACQUAINTANCES = f"""
    MATCH (:Person)-[c:CAN_HELP]->(:Need)
    USING INDEX c:CAN_HELP(need, person)
    WHERE c.need IN $need_ids AND c.person IN $neighbours AND c.territory IN $territories
      AND {LANGUAGE_FILTER}
    {DISTANCE}
    RETURN {COLUMNS}"""
NAMED_SERVICES = f"""
    UNWIND $service_ids AS service_id
    MATCH (s:Service {{id: service_id}})<-[:OFFERS]-(o:Organisation)<-[w:WORKS_AT]-(p:Person)
    WHERE w.until IS NULL AND p.listed = true AND p.id <> $me
    WITH p, o, s, [(o)-[:LOCATED_IN]->(t:Territory) | t.id][0] AS located_in,
         COLLECT {{ MATCH (o)-[:SERVES]->(t:Territory) RETURN t.id AS id ORDER BY id }} AS serves
    WHERE coalesce(located_in, $no_territory) IN $territories OR any(t IN serves WHERE t IN $territories)
    // The same columns as a CAN_HELP relationship would hold, so that the same filters and columns apply.
    WITH p {{person: p.id, organisation: o.id, name: p.name, location: o.location, expert: false, offers: true,
            spoken: {search_index.spaced("coalesce(p.languages, [])")},
            served_in: {search_index.spaced("coalesce(s.languages, [])")},
            located_in: located_in, serves: serves, accepting_until: p.accepting_until, helped: {HELPED},
            hours: [h IN [s.hours] WHERE h IS NOT NULL]}} AS c
    WHERE {LANGUAGE_FILTER}
    {DISTANCE}
    RETURN {COLUMNS}"""


def _sources(*listed: str) -> str:
    return "CALL () {" + "\n  UNION ALL".join([*listed, ACQUAINTANCES, NAMED_SERVICES]) + "\n}\n"


NEAR = _listed("AND point.distance(c.location, $origin) <= $reach_m", "USING INDEX c:CAN_HELP(location)")
# The top tier read by position cell around the family (`$cells`), and everyone of it with successful
# referrals: beyond the cells, a stranger's score can only differ by distance.
BY_CELL = "USING INDEX c:CAN_HELP(need, territory, expert, offers, successful, cell)"
SUCCESSFUL = "\n  UNION ALL" + _listed("AND c.successful = true AND c.cell IS NOT NULL", BY_CELL)
IN_CELLS = _listed("AND c.successful = false AND c.cell IN $cells", BY_CELL) + SUCCESSFUL
# Beyond the widest block, the rows read still say how far a stranger of the tier may be and enter the
# page (`$within_m`): of the others, only the position is read.
WITHIN = _listed("AND c.successful = false AND c.cell IS NOT NULL "
                 "AND point.distance(c.location, $origin) <= $within_m", BY_CELL) + SUCCESSFUL

# The hours of the services of every candidate, for "open now": Python, which knows the clock, says
# which are open, and the ranking keeps those.
HOURS = """
CALL () {
    MATCH (:Person)-[c:CAN_HELP]->(:Need)
    WHERE c.need IN $need_ids AND c.territory IN $territories AND c.expert IN [true, false]
      AND c.offers IN [true, false]
    UNWIND c.hours AS hour
    RETURN hour
  UNION
    UNWIND $service_ids AS service_id
    MATCH (s:Service {id: service_id})
    WHERE s.hours IS NOT NULL
    RETURN s.hours AS hour
}
RETURN collect(hour) AS hours
"""

# One row per person, at their better job; best first, ties by name. With one need and no service named
# by the words, a job's rows differ only by where they were found (a territory, the acquaintances); with
# several, one job can be an expert in one need and offer a service for another: its rows merge first
# (`MERGED`), an aggregation that costs milliseconds on a large tier.
ROWS = """WITH id, organisation, name, metres, speaks, located, serves, accepting_until,
     coalesce(successes, 0) AS successes"""
BY_ROW = ROWS + """, expert, offers, service_speaks, open"""
MERGED = ROWS + """,
     true IN collect(expert) AS expert, true IN collect(offers) AS offers,
     true IN collect(service_speaks) AS service_speaks, true IN collect(open) AS open"""
RANKING = """
WHERE open
WITH *, id IN $direct AS known, id IN $second AS introduced
WITH *, {features}
WITH *, {points} AS points
WITH *, round(points * CASE WHEN accepting_until >= $today THEN {paused} ELSE 1.0 END, 2) AS score,
     {fit} AS fit, coalesce(accepting_until >= $today, false) AS paused
ORDER BY paused, fit DESC, score DESC, organisation
WITH id, collect({{id: id, name: name, organisation: organisation, metres: metres, expert: expert, offers: offers,
                  speaks: speaks, service_speaks: service_speaks, located: located, serves: serves AND NOT located,
                  accepting_until: accepting_until, successes: successes, known: known,
                  introduced: introduced AND NOT known, score: score, fit: fit, paused: paused}})[0] AS best
ORDER BY best.paused, best.fit DESC, best.score DESC, best.name, id
WITH collect(best) AS ranked
RETURN size(ranked) AS total, ranked[..$limit] AS rows
"""


def best_first(rows: list[dict], limit: int, ranking: Ranking) -> list[dict]:
    """Rows of several reads merged as RANKING orders them: people taking referrals first, then best fit,
    then best score, then name; a person once, at their best row (of equal ones, at the first organisation
    by id)."""
    seen, merged = set(), []
    for row in sorted(rows, key=lambda r: (*ranking.order(r), r["name"] or "", r["id"], r.get("organisation") or "")):
        if row["id"] not in seen:
            seen.add(row["id"])
            merged.append(row)
    return merged[:limit]


def _number(value) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"A ranking constant must be a number: {value!r}")
    return repr(value)


def _column(name: str) -> str:
    if name not in CANDIDATE_COLUMNS:
        raise ValueError(f"A ranking feature reads an unknown column: {name!r}")
    return name


def feature(definition) -> str:
    """A term's feature (referral/ranking.py: Levels, Fading, Saturating) as a Cypher expression."""
    if definition.kind == "levels":
        levels = " ".join(f"WHEN {_column(column)} THEN {_number(value)}" for column, value in definition.levels)
        return f"CASE {levels} ELSE 0.0 END"
    if definition.kind == "fading":
        column = _column(definition.column)
        return (f"CASE WHEN {column} IS NULL THEN 0.0 "
                f"ELSE 1.0 / (1.0 + {column} / {_number(definition.per)} / {_number(definition.half)}) END")
    if definition.kind == "saturating":
        column = _column(definition.column)
        return f"toFloat({column}) / ({column} + {_number(definition.half)})"
    raise ValueError(f"Unknown kind of ranking feature: {definition.kind!r}")


def scoring(terms: tuple, not_accepting_factor: float, fit_columns: tuple[str, ...]) -> str:
    """The Cypher that scores a candidate row: each term's feature as a column named after it, then their
    weighted sum, lowered by the pause factor, rounded to the hundredth, and its fit (how many of
    `fit_columns` hold); then one row per person: people taking referrals first, then by fit, then score."""
    for term in terms:
        if not term.name.isidentifier() or term.name in CANDIDATE_COLUMNS:
            raise ValueError(f"A ranking term needs a name of its own: {term.name!r}")
    return RANKING.format(
        features=",\n        ".join(f"{feature(term.feature)} AS {term.name}" for term in terms),
        points="\n        + ".join(f"{_number(term.weight)} * {term.name}" for term in terms),
        paused=_number(not_accepting_factor),
        fit=" + ".join(f"CASE WHEN {_column(column)} THEN 1 ELSE 0 END" for column in fit_columns))


@dataclass(frozen=True)
class Queries:
    """The ranked reads of a search (see graph/repositories/contact_search.py)."""

    ranked: str  # the tiers asked for, with the acquaintances and the people of the services named
    merged: str  # the same, a job's rows merged first (several needs, or services named)
    near: str  # a lower tier within a short reach of the origin, through the point index
    in_cells: str  # the top tier in the cells around the origin, and its people with successes
    within: str  # the top tier within a distance of the origin, and its people with successes


@lru_cache(maxsize=8)
def _queries(terms: tuple, not_accepting_factor: float, fit_columns: tuple[str, ...]) -> Queries:
    ranking = scoring(terms, not_accepting_factor, fit_columns)
    return Queries(ranked=_sources(_listed()) + BY_ROW + ranking, merged=_sources(_listed()) + MERGED + ranking,
                   near=_sources(NEAR) + BY_ROW + ranking, in_cells=_sources(IN_CELLS) + BY_ROW + ranking,
                   within=_sources(WITHIN) + BY_ROW + ranking)


def queries(ranking: Ranking) -> Queries:
    """The queries scoring with `ranking`, written once per definition."""
    return _queries(tuple(ranking.terms), ranking.not_accepting_factor, tuple(ranking.fit_columns))
