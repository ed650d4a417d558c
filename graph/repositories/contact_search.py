"""One search for a named contact, in one read transaction, for needs already matched
(graph/repositories/needs.py): the searcher's ties (direct and through one person, as of today); the
best candidates, scored in Cypher (graph/search_query.py) and read no further than the page needs;
then the details of the people shown (graph/repositories/contacts.py).
"""

from __future__ import annotations

import math

from neo4j import ManagedTransaction
from neo4j.spatial import WGS84Point

from graph import search_index, search_query
from graph.driver import plain
from graph.search_criteria import Reading, SearchCriteria
from graph.search_index import NO_TERRITORY
from graph.search_query import NO_ID, ids

# The tiers of the projection, best first: expertise and a service for the need, then either alone.
TOP_TIER = ([True], [True])
EVERY_TIER = ([True, False], [True, False])
LOWER_TIERS = ((True, False), (False, True))
# A lower tier searched everywhere holds tens of thousands of people; when only those within a few
# hundred metres can still enter the page (`$reach_m`), the point index finds them faster.
NEAR_REACH_M = 300.0
# The blocks of cells read around the family before the whole top tier: first 5 × 5 cells, about
# 2.5 km wide; when its rows say that a block of up to 13 × 13 cells (6.5 km) would settle the page,
# that one in one territory — a wider block, or one in several territories, seeks as many cells as it
# would take to read a whole tier.
FIRST_RINGS, WIDEST_RINGS = 2, 6


def parameters(tx: ManagedTransaction, criteria: SearchCriteria, context) -> dict:
    """The parameters every ranked read of the search shares, never null (graph/search_query.py says why)."""
    territories = (list(criteria.territories) if criteria.territories is not None
                   else context["territories"] + [NO_TERRITORY])
    origin = WGS84Point((criteria.origin[1], criteria.origin[0])) if criteria.origin else context["workplace"]
    params = dict(
        me=criteria.me or "", need_ids=ids(criteria.need_ids), service_ids=ids(criteria.service_ids),
        territories=territories, home=criteria.home or "",
        language=search_index.language_word(criteria.language) or "",
        origin=origin or search_query.NOWHERE, has_origin=origin is not None,
        max_m=search_query.NO_LIMIT if criteria.max_km is None else float(criteria.max_km) * 1000.0,
        today=criteria.today, no_territory=NO_TERRITORY, direct=ids(context["direct"]), second=ids(context["second"]),
        limit=criteria.limit, open_only=criteria.is_open is not None, open_hours=[NO_ID], reach_m=search_query.NO_LIMIT,
    )
    if criteria.is_open is not None:
        hours = tx.run(search_query.HOURS, need_ids=params["need_ids"], service_ids=params["service_ids"],
                       territories=territories).single()["hours"]
        params["open_hours"] = ids(h for h in hours if criteria.is_open(h))
    return params


def ranked(tx: ManagedTransaction, criteria: SearchCriteria) -> tuple[dict, dict]:
    """The best `limit` rows, best first, with the total (exact, or a lower bound when `exact` is false);
    and the searcher's context (ties, workplace)."""
    context = tx.run(search_query.CONTEXT, me=criteria.me or "", today=criteria.today,
                     everywhere=criteria.territories is None, need_ids=ids(criteria.need_ids),
                     whole_up_to=criteria.whole_up_to).single()
    params = parameters(tx, criteria, context)
    queries = search_query.queries(criteria.ranking)
    one_need = len(criteria.need_ids) == 1 and not criteria.service_ids
    small = context["candidates"] <= criteria.whole_up_to
    found = None
    if criteria.reading is not Reading.EVERY_TIER and one_need and not small:
        found = _by_tiers(tx, queries, params, context, criteria)
    if found is None:  # every tier at once: exact order and total
        record = tx.run(queries.ranked if one_need else queries.merged, **params, experts=EVERY_TIER[0],
                        offers=EVERY_TIER[1], neighbours=[NO_ID]).single()
        found = {"rows": plain(record["rows"]), "total": record["total"], "exact": True}
    return found, context


def _by_tiers(tx: ManagedTransaction, queries, params: dict, context, criteria: SearchCriteria) -> dict | None:
    """One need, no service named by the words: read the top tier (and the people the searcher knows,
    from every tier: trust can lift them above any stranger); then, of each lower tier, only the
    strangers close enough to the family to still enter the page — the ranking's `reach` says how
    close. The order is exact; the total counts what was read (a lower bound). None when the top tier
    is too small to say: every tier must be read."""
    neighbours = sorted(set(context["direct"]) | set(context["second"]))
    top = _top_tier(tx, queries, params, neighbours, criteria)
    rows = top["rows"]
    reaches = criteria.ranking.reach(rows, LOWER_TIERS, criteria.limit, criteria.language)
    if reaches is None:
        return None
    for (expert, offers), km in reaches.items():
        if km is None or (km != math.inf and not params["has_origin"]):
            continue  # nobody of this tier can enter the page (without a position, nobody is near)
        reach_m = search_query.NO_LIMIT if km == math.inf else km * 1000.0
        near = 0 <= reach_m <= NEAR_REACH_M and len(params["territories"]) > 1
        more = tx.run(queries.near if near else queries.ranked, **{**params, "reach_m": reach_m},
                      experts=[expert], offers=[offers], neighbours=[NO_ID]).single()
        rows += plain(more["rows"])
    rows = search_query.best_first(rows, criteria.limit, criteria.ranking)
    return {"rows": rows, "total": top["total"], "exact": False}


def _top_tier(tx: ManagedTransaction, queries, params: dict, neighbours: list[str], criteria: SearchCriteria) -> dict:
    """The top tier's best rows (and how many people were read). Read by cells, with a position: first
    only a block of cells around it (and the people with successful referrals, and acquaintances): a
    stranger of the tier without successes can only score less by distance, so once the ranking's
    `clearance` says how far every stranger not read must be, a block reaching that far holds the tier's
    best; beyond the widest block, the strangers within that distance. Else the whole tier. Only the
    first read brings the acquaintances, from every tier (a seek each, hundreds of them): the best rows
    of the reads merge."""
    origin, limit = params["origin"], criteria.limit
    tier = dict(experts=TOP_TIER[0], offers=TOP_TIER[1])
    read = None
    if params["has_origin"] and criteria.reading is Reading.BY_CELLS:
        widest = WIDEST_RINGS if len(params["territories"]) == 1 else FIRST_RINGS
        rings = FIRST_RINGS
        while True:
            cells, reached_km = search_index.block(origin.latitude, origin.longitude, rings)
            block = tx.run(queries.in_cells, **params, **tier, neighbours=ids(neighbours if read is None else []),
                           cells=cells + [search_index.NO_CELL]).single()
            read = _merged(read, block, limit, criteria.ranking)
            needed_km = criteria.ranking.clearance(read["rows"], limit, criteria.language)
            if needed_km is None:
                break
            if needed_km < reached_km:
                return read
            rings = next((wider for wider in range(rings + 1, widest + 1)
                          if search_index.clearance(origin.latitude, origin.longitude, wider) > needed_km), None)
            if rings is None:
                within = tx.run(queries.within, **params, **tier, neighbours=[NO_ID],
                                within_m=needed_km * 1000.0).single()
                return _merged(read, within, limit, criteria.ranking)
    whole = tx.run(queries.ranked, **params, **tier, neighbours=ids(neighbours if read is None else [])).single()
    return _merged(read, whole, limit, criteria.ranking)


def _merged(before: dict | None, then, limit: int, ranking) -> dict:
    """The best rows of a read and of the reads before it (None: none); as a count, the larger of
    theirs and of the rows kept (each counts distinct people)."""
    if before is None:
        return {"rows": plain(then["rows"]), "total": then["total"]}
    rows = search_query.best_first(before["rows"] + plain(then["rows"]), limit, ranking)
    return {"rows": rows, "total": max(before["total"], then["total"], len(rows))}


def warm(tx: ManagedTransaction, criteria: SearchCriteria) -> None:
    """Run each statement of a search once, with the kinds of parameters of every search (`criteria`
    names only NO_ID, which no need, person nor territory has): Neo4j plans a statement the first time
    it meets it, about a second each, and keeps the plan — at start, so that the first people to search
    do not wait for it."""
    context = {"territories": [NO_ID], "direct": [], "second": [], "workplace": None}
    tx.run(search_query.CONTEXT, me=NO_ID, today=criteria.today, everywhere=True, need_ids=[NO_ID],
           whole_up_to=criteria.whole_up_to).consume()
    params = parameters(tx, criteria, context)
    queries = search_query.queries(criteria.ranking)
    tier = dict(experts=TOP_TIER[0], offers=TOP_TIER[1], neighbours=[NO_ID])
    for query, more in ((queries.in_cells, {"cells": [NO_ID]}), (queries.within, {"within_m": 1.0}),
                        (queries.near, {}), (queries.ranked, {}), (queries.merged, {})):
        tx.run(query, **params, **tier, **more).consume()
