"""What person-level data may say about a person's organisation without naming it.

Evaluators read people under pseudonyms, but a sector held by one organisation of a territory names
that organisation, and an organisation code shared by fewer than MIN_GROUP people narrows a person
down to a handful. These rules decide what is shown beside a person on the map and in the exports.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping

MIN_GROUP = 5  # the smallest group a person-level cell may describe
HIDDEN_SECTOR = "other_sector"  # what person-level exports say where the sector would name the organisation


def shown_sectors(org_sectors: Mapping[Hashable, str | None]) -> set[str]:
    """The sectors that may be shown for one territory's organisations (organisation → sector): those
    held by two organisations or more. « Autre secteur » (every other sector) must itself cover two
    organisations or none, else it names the one it hides: the smallest shown sectors join it until it does."""
    organisations: dict[str | None, set] = {}
    for organisation, sector in org_sectors.items():
        organisations.setdefault(sector, set()).add(organisation)
    shown = {sector for sector, ids in organisations.items() if sector and len(ids) >= 2}
    hidden = set().union(*(ids for sector, ids in organisations.items() if sector not in shown))
    for sector in sorted(shown, key=lambda s: (len(organisations[s]), s)):
        if not hidden or len(hidden) >= 2:
            break
        shown.discard(sector)
        hidden |= organisations[sector]
    return shown


def shown_sectors_by_territory(orgs: Iterable[tuple[Hashable, Hashable, str | None]]) -> dict[Hashable, set[str]]:
    """shown_sectors for each territory, from (organisation, territory, sector) triples."""
    by_territory: dict[Hashable, dict] = {}
    for organisation, territory, sector in orgs:
        by_territory.setdefault(territory, {})[organisation] = sector
    return {territory: shown_sectors(found) for territory, found in by_territory.items()}


def large_groups(memberships: Iterable[Hashable]) -> set:
    """The organisations (one entry a person) that at least MIN_GROUP people share."""
    return {group for group, count in Counter(memberships).items() if count >= MIN_GROUP}


def people_places(timeline, snapshot, people: list[int], pseudonyms) -> dict[int, dict]:
    """What person-level data may say of where each person of a snapshot works (timeline indices):
    `organisation` (its pseudonym, or None in a group under MIN_GROUP), `sector` (HIDDEN_SECTOR where it
    would name the organisation) and `territory`."""
    t = timeline
    shown = shown_sectors_by_territory(
        (org, int(t.org_territory[org]), t.sectors[t.org_sector[org]]) for org in range(len(t.org_ids)))
    large = large_groups(int(snapshot.node_org[person]) for person in people)
    places = {}
    for person in people:
        org = int(snapshot.node_org[person])
        sector, territory = t.sectors[t.org_sector[org]], int(t.org_territory[org])
        places[person] = {
            "organisation": pseudonyms.organisation(t.org_ids[org]) if org in large else None,
            "sector": str(sector) if sector in shown[territory] else HIDDEN_SECTOR,
            "territory": str(t.territories[territory]),
        }
    return places
