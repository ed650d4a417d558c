"""The collaboration network through time, held as arrays so that any date replays in milliseconds.

A Timeline holds every membership (a person working at an organisation, from `since` to `until`)
and every tie (one KNOWS per pair, from `since`, with its origin). A Snapshot is the network as it
stood on a date — or on one date per territory, because "after session 3" or "before the cohort"
falls on a different day for each cohort.

On a given day:
- a person is in the network when one of their jobs in a territory of the scope runs that day
  (`since` ≤ day < `until`); the latest such job gives their organisation;
- a tie is there when both people are, it was formed on or before the day (on or before each end's
  day, when the two ends' territories have different days), and no survey wave closed since then
  found it gone.

Ties are never deleted (except when a person is erased), so a tie is *lost* between two snapshots
for one of two reasons: one of its people left (their job ended, or they moved out of the scope),
or a network survey wave that closed in between found that the two no longer know each other —
every answer about the pair in that wave says "does not know". A later wave in which either says
"knows" brings the tie back.

Only people who consented to research are counted as individuals (`Snapshot.sample`); the others
count in the totals only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from graph.metrics import Arrays

NEVER = np.iinfo(np.int64).max  # `until` of a job that has not ended
ALWAYS = np.iinfo(np.int64).min  # `since` of a job whose start is unknown
ORIGINS = ("before_ei", "ei_session", "declared", "referral")
LOST_LEFT, LOST_ENDED = "left", "ended"


class _Codes:
    """Strings to small integers, in order of first appearance."""

    def __init__(self, initial: Iterable[str] = ()):
        self.index: dict = {}
        self.values: list = []
        for value in initial:
            self.code(value)

    def code(self, value) -> int:
        found = self.index.get(value)
        if found is None:
            found = self.index[value] = len(self.values)
            self.values.append(value)
        return found


@dataclass
class Timeline:
    person_ids: list[str]
    person_consent: np.ndarray
    person_role: np.ndarray
    person_erased: np.ndarray
    roles: list
    org_ids: list[str]
    org_kind: list
    org_sector: np.ndarray
    org_territory: np.ndarray
    sectors: list
    territories: list
    job_person: np.ndarray
    job_org: np.ndarray
    job_since: np.ndarray
    job_until: np.ndarray
    tie_u: np.ndarray
    tie_v: np.ndarray
    tie_since: np.ndarray
    tie_origin: np.ndarray
    origins: list
    tie_level: list
    tie_session: list
    # tie index → [(day a wave's verdict holds from, whether the pair still knew each other)], by day
    endings: dict = field(default_factory=dict)

    @classmethod
    def build(cls, jobs: Iterable[Mapping], ties: Iterable[Mapping], wave_answers: Iterable[Mapping] = ()) -> Timeline:
        """From plain rows:
        jobs  {person, organisation, sector, kind, territory, since, until, research_consent, role, erased}
        ties  {a, b, since, origin, level, session} — ties whose ends have no job are dropped;
              a pair given twice keeps its earliest tie
        wave_answers {a, b, effective, knows} — one per answer of a survey wave, `effective` being
              the first day its verdict holds (the day after the wave closes)
        Dates may be `date`s or proleptic ordinals (ints), as the projection reads them."""
        people, orgs = _Codes(), _Codes()
        sectors, territories, roles = _Codes(), _Codes(), _Codes()
        consent: dict[int, bool] = {}
        role_of: dict[int, int] = {}
        erased: dict[int, bool] = {}
        org_kind: dict[int, str] = {}
        org_sector: dict[int, int] = {}
        org_territory: dict[int, int] = {}
        job_rows = []
        for job in jobs:
            p, o = people.code(job["person"]), orgs.code(job["organisation"])
            consent[p] = bool(job.get("research_consent"))
            role_of[p] = roles.code(job.get("role"))
            erased[p] = bool(job.get("erased"))
            org_kind[o] = job.get("kind")
            org_sector[o] = sectors.code(job.get("sector"))
            org_territory[o] = territories.code(job["territory"])
            job_rows.append((p, o, _ordinal(job.get("since"), ALWAYS), _ordinal(job.get("until"), NEVER)))
        job_rows.sort(key=lambda row: (row[2], row[0]))
        n, n_orgs = len(people.values), len(orgs.values)

        origin_codes = _Codes(ORIGINS)
        best: dict[tuple[int, int], tuple] = {}
        for tie in ties:
            a, b = people.index.get(tie["a"]), people.index.get(tie["b"])
            if a is None or b is None or a == b:
                continue
            pair = (min(a, b), max(a, b))
            since = _ordinal(tie.get("since"), ALWAYS)
            if pair not in best or since < best[pair][0]:
                best[pair] = (since, origin_codes.code(tie.get("origin")), tie.get("level"), tie.get("session"))
        pairs = sorted(best)
        index_of_pair = {pair: i for i, pair in enumerate(pairs)}

        evidence: dict[tuple[int, int], dict[int, bool]] = {}
        for answer in wave_answers:
            a, b = people.index.get(answer["a"]), people.index.get(answer["b"])
            pair = (min(a, b), max(a, b)) if a is not None and b is not None else None
            if pair in index_of_pair:
                by_wave = evidence.setdefault(pair, {})
                effective = _ordinal(answer["effective"], NEVER)
                by_wave[effective] = by_wave.get(effective, False) or bool(answer["knows"])
        endings = {index_of_pair[pair]: sorted(by_wave.items()) for pair, by_wave in evidence.items()}

        def column(rows, i, dtype=np.int64):
            return np.array([row[i] for row in rows], dtype=dtype)

        return cls(
            person_ids=people.values,
            person_consent=np.array([consent[i] for i in range(n)], dtype=bool),
            person_role=np.array([role_of[i] for i in range(n)], dtype=np.int64),
            person_erased=np.array([erased[i] for i in range(n)], dtype=bool),
            roles=roles.values,
            org_ids=orgs.values,
            org_kind=[org_kind[i] for i in range(n_orgs)],
            org_sector=np.array([org_sector[i] for i in range(n_orgs)], dtype=np.int64),
            org_territory=np.array([org_territory[i] for i in range(n_orgs)], dtype=np.int64),
            sectors=sectors.values,
            territories=territories.values,
            job_person=column(job_rows, 0), job_org=column(job_rows, 1),
            job_since=column(job_rows, 2), job_until=column(job_rows, 3),
            tie_u=np.array([p[0] for p in pairs], dtype=np.int64),
            tie_v=np.array([p[1] for p in pairs], dtype=np.int64),
            tie_since=np.array([best[p][0] for p in pairs], dtype=np.int64),
            tie_origin=np.array([best[p][1] for p in pairs], dtype=np.int64),
            origins=origin_codes.values,
            tie_level=[best[p][2] for p in pairs],
            tie_session=[best[p][3] for p in pairs],
            endings=endings,
        )

    def snapshot(self, at: date | Mapping[str, date], origins: Iterable[str] | None = None) -> Snapshot:
        """The network on a date, or on one date per territory (territories left out are out of scope).
        `origins` keeps only the ties of those origins."""
        if isinstance(at, date):
            territory_day = np.full(len(self.territories), at.toordinal(), dtype=np.int64)
        else:
            territory_day = np.array([at[t].toordinal() if t in at else -1 for t in self.territories], dtype=np.int64)
        n = len(self.person_ids)
        reference = territory_day[self.org_territory[self.job_org]] if len(self.job_org) else np.zeros(0, np.int64)
        running = (reference >= 0) & (self.job_since <= reference) & (reference < self.job_until)
        # Jobs are sorted by start: for a person with two running jobs, the later one wins.
        rows = np.flatnonzero(running)
        node_org = np.full(n, -1, dtype=np.int64)
        node_day = np.full(n, -1, dtype=np.int64)
        order = np.lexsort((self.job_since[rows], self.job_person[rows]))
        rows = rows[order]
        last = np.ones(len(rows), dtype=bool)
        last[:-1] = self.job_person[rows][:-1] != self.job_person[rows][1:]
        rows = rows[last]
        node_org[self.job_person[rows]] = self.job_org[rows]
        node_day[self.job_person[rows]] = reference[rows]

        active = node_org >= 0
        u, v = self.tie_u, self.tie_v
        both = active[u] & active[v]
        first_day = np.minimum(node_day[u], node_day[v])
        ties = both & (self.tie_since <= first_day)
        if origins is not None:
            wanted = [self.origins.index(o) for o in origins if o in self.origins]
            ties &= np.isin(self.tie_origin, wanted)
        for tie, events in self.endings.items():
            if ties[tie] and (self._ended(tie, events, node_day[u[tie]]) or self._ended(tie, events, node_day[v[tie]])):
                ties[tie] = False
        return Snapshot(self, node_org, ties)

    def since_date(self, tie: int) -> date | None:
        since = int(self.tie_since[tie])
        return None if since == ALWAYS else date.fromordinal(since)

    def _ended(self, tie: int, events: list[tuple[int, bool]], on: int) -> bool:
        """Whether the last wave whose verdict holds by `on` (and came after the tie formed) found it gone."""
        verdict = None
        for effective, knows in events:
            if self.tie_since[tie] < effective <= on:
                verdict = knows
        return verdict is False


def _ordinal(value, missing: int) -> int:
    if value is None:
        return missing
    return value if isinstance(value, int) else value.toordinal()


@dataclass
class Sample:
    """The research sample of a snapshot: consenting people (global indices `nodes`), the ties
    among them (global tie indices `ties`), and the same as Arrays for the figures."""

    nodes: np.ndarray
    ties: np.ndarray
    arrays: Arrays


@dataclass
class Snapshot:
    timeline: Timeline
    node_org: np.ndarray  # organisation index per person, -1 when not in the network that day
    tie_mask: np.ndarray  # which ties are there that day

    @property
    def active(self) -> np.ndarray:
        return self.node_org >= 0

    def totals(self) -> dict:
        """Everyone, consenting or not: the only figures in which non-consenting people count."""
        return {
            "people": int(np.count_nonzero(self.active)),
            "organisations": int(len(np.unique(self.node_org[self.active]))),
            "ties": int(np.count_nonzero(self.tie_mask)),
        }

    def sample(self) -> Sample:
        t = self.timeline
        individual = self.active & t.person_consent
        nodes = np.flatnonzero(individual)
        local = np.full(len(individual), -1, dtype=np.int64)
        local[nodes] = np.arange(len(nodes))
        ties = np.flatnonzero(self.tie_mask & individual[t.tie_u] & individual[t.tie_v])
        orgs = self.node_org[nodes]
        arrays = Arrays(len(nodes), local[t.tie_u[ties]], local[t.tie_v[ties]], orgs, t.org_sector[orgs])
        return Sample(nodes, ties, arrays)


def tie_changes(before: Snapshot, after: Snapshot, origins: list[str]) -> dict:
    """New, kept and lost ties of the research sample from one snapshot to a later one; new ties by
    origin, lost ties by reason (a person left, or a survey wave found the tie gone)."""
    t = before.timeline
    consenting = t.person_consent[t.tie_u] & t.person_consent[t.tie_v]
    a, b = before.tie_mask & consenting, after.tie_mask & consenting
    new, kept, lost = b & ~a, a & b, a & ~b
    left = lost & ~(after.active[t.tie_u] & after.active[t.tie_v])
    new_origins = np.bincount(t.tie_origin[new], minlength=len(t.origins))
    return {
        "new": int(np.count_nonzero(new)),
        "kept": int(np.count_nonzero(kept)),
        "lost": int(np.count_nonzero(lost)),
        "new_by_origin": {o: int(new_origins[t.origins.index(o)]) if o in t.origins else 0 for o in origins},
        "lost_by_reason": {LOST_LEFT: int(np.count_nonzero(left)), LOST_ENDED: int(np.count_nonzero(lost & ~left))},
    }
