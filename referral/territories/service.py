"""The territory maps' rules: which territory and network a viewer sees, and how each person is shown.

Evaluators see the research sample only, under the evaluation's keyed pseudonyms, with a sector — or
« autre secteur » where one organisation is alone in its sector — instead of an organisation; the others
see the names referral.policy lets them read. No Flask, no Cypher: repositories come from
`repository(cls)`, a territory's network from `read_network(territory, as_of, sample_only, hidden)`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from analysis.before_after import SMALL_CELL
from analysis.disclosure import shown_sectors
from analysis.pseudonyms import Pseudonyms
from analysis.territory_network import TerritoryNetwork
from graph.repositories.places import PlacesRepository
from graph.repositories.territories import TerritoryRepository
from graph.repositories.territory_map import TerritoryMapRepository
from referral import policy
from referral.service_errors import NotFound
from referral.territories import messages


@dataclass(frozen=True)
class MapView:
    """A territory's network as one viewer may see it, with what is said of each person."""

    territory: dict
    network: TerritoryNetwork
    labels: dict[str, str]
    place_heading: str
    places: dict[str, str]
    sectors: dict[str, str | None] | None  # evaluators: the sectors they may see (colours); None: the real ones
    milestones: list[tuple[str, date]]


class TerritoryMaps:
    def __init__(self, principal: policy.Principal, repository: Callable,
                 read_network: Callable[[str, date, bool, frozenset], TerritoryNetwork], secret: str,
                 keep: Callable[[tuple, Callable], object] = lambda key, compute: compute()):
        self.principal = principal
        self.repository = repository
        self.read_network = read_network
        self.keep = keep  # keep(key, compute): what compute() gives, which the caller may keep per graph version
        self.secret = secret
        self.sample_only = not policy.sees_names(principal)

    @property
    def small_cell(self) -> int | None:
        """Below this, counts between organisations are not told to evaluators."""
        return SMALL_CELL if self.sample_only else None

    def may_open_directory(self) -> bool:
        return policy.may_open(self.principal, policy.MAINTAINERS)

    def territories(self) -> list[dict]:
        return self.repository(TerritoryRepository).list()

    def shapes(self) -> dict:
        """Each territory's polygon (shapely), by id, as seeded into the graph."""
        return self.repository(PlacesRepository).territory_shapes()

    def territory(self, territory_id: str) -> dict:
        territory = self.repository(TerritoryRepository).get(territory_id)
        if territory is None:
            raise NotFound(territory_id)
        return territory

    def network(self, territory_id: str, as_of: date) -> TerritoryNetwork:
        return self.read_network(territory_id, as_of, self.sample_only, self.hidden_people())

    def hidden_people(self) -> frozenset[str]:
        """The unlisted people the principal may not read: left out of the network they are shown (counted
        nowhere, drawn nowhere), so that no tie or figure tells of them. Evaluators' sample is by consent."""
        if self.sample_only:
            return frozenset()
        unlisted = self.keep(("unlisted_people",), self.repository(TerritoryMapRepository).unlisted_people)
        return frozenset(person for person, territories in unlisted.items()
                         if not policy.may_read_person(self.principal, territories, False, person))

    def view(self, territory_id: str, as_of: date, today: date) -> MapView:
        territory = self.territory(territory_id)
        network = self.network(territory_id, as_of)
        sectors = person_sectors(network) if self.sample_only else None
        labels = self.person_labels(network)
        heading, places = self.person_places(network, sectors)
        places = {person: place for person, place in places.items() if person in labels}
        return MapView(territory, network, labels, heading, places, sectors, milestones(territory, network, today))

    def person_labels(self, network: TerritoryNetwork) -> dict[str, str]:
        """What the page calls each person: their name when the viewer may see it, else a pseudonym.
        Evaluators see the keyed pseudonyms of the evaluation's exports (the same person, the same P-…);
        the others see the names the policy lets them read (unlisted people: only their own territories'
        coordinators and admins) and numbers for listed people without a name (an erased profile). Unlisted
        people the viewer may not read get no label (hidden_people already keeps them out of the network)."""
        ids = sorted(network.people.nodes())
        if self.sample_only:
            pseudonyms = Pseudonyms(self.secret)
            return {person: pseudonyms.person(person) for person in ids}
        labels = {}
        records = self.repository(TerritoryMapRepository).people(ids)
        for number, person in enumerate(ids, 1):
            record = records.get(person, {"name": None, "territories": [], "listed": False})
            if policy.may_read_person(self.principal, record["territories"], record["listed"], person):
                labels[person] = record["name"] or str(messages.person_number(number))
        return labels

    def person_places(self, network: TerritoryNetwork,
                      sectors: dict[str, str | None] | None = None) -> tuple[str, dict[str, str]]:
        """What is said beside each person, with its column heading: their organisation, or for evaluators
        its sector (person_sectors, unless already computed) — an organisation of fewer than five sampled people
        would single them out."""
        people = network.people.nodes
        if self.sample_only:
            sectors = sectors if sectors is not None else person_sectors(network)
            return str(messages.SECTOR), {p: str(messages.sector(sector)) for p, sector in sectors.items()}
        return str(messages.ORGANISATION), {p: network.organisation_names.get(people[p].get("organisation"), "")
                                            for p in people}


def person_sectors(network: TerritoryNetwork) -> dict[str, str | None]:
    """Each person's sector as an evaluator may see it (analysis.disclosure.shown_sectors): None
    (« autre secteur ») where the sector would name the organisation."""
    people = network.people.nodes
    org_sectors = {record["id"]: record.get("sector") for record in network.organisations}
    for person in people:
        org_sectors.setdefault(people[person].get("organisation"), people[person].get("sector"))
    shown = shown_sectors(org_sectors)
    return {p: people[p].get("sector") if people[p].get("sector") in shown else None for p in people}


def milestones(territory: dict, network: TerritoryNetwork, today: date) -> list[tuple[str, date]]:
    """The dates the page offers to jump to: before the cohort, each session, its end, today (none to come)."""
    found = [(messages.BEFORE_COHORT, territory["start"] - timedelta(days=1))] if territory.get("start") else []
    found += [(messages.session(layer["number"]), layer["date"]) for layer in network.layers if layer.get("date")]
    found += [(messages.END_OF_COHORT, territory["end"])] if territory.get("end") else []
    found += [(messages.TODAY, today)]
    return [(str(text), day) for text, day in found if day <= today]
