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

from analysis.columns import Codes, columns, day_ordinals, per_index
from analysis.metrics import Arrays

NEVER = 10**8  # `until` of a job that has not ended: after any date (date.max is day 3,652,059)
ALWAYS = 0  # `since` unknown: before any date (date.min is day 1)
JOB_FIELDS = ("person", "organisation", "sector", "kind", "territory", "since", "until", "research_consent", "role",
              "erased")
TIE_FIELDS = ("a", "b", "since", "origin", "level", "session")
ANSWER_FIELDS = ("a", "b", "effective", "knows")
ORIGINS = ("before_ei", "ei_session", "declared", "referral")
LOST_LEFT, LOST_ENDED = "left", "ended"


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
        """From plain rows (see `from_columns` for the fields); for tests and small networks."""
        return cls.from_columns(columns(jobs, JOB_FIELDS), columns(ties, TIE_FIELDS),
                                columns(wave_answers, ANSWER_FIELDS))

    @classmethod
    def from_columns(cls, jobs: Mapping[str, list], ties: Mapping[str, list], answers: Mapping[str, list]) -> Timeline:
        """From columns (one list per field, as the projection reads them, a million ties at once):
        jobs    person, organisation, sector, kind, territory, since, until, research_consent, role, erased
        ties    a, b, since, origin, level, session — ties whose ends have no job are dropped; a pair
                given twice keeps its earliest tie
        answers a, b, effective, knows — one per answer of a survey wave, `effective` being the
                first day its verdict holds (the day after the wave closes)
        Dates are `date`s or proleptic ordinals (ints); empty strings count as missing."""
        job_fields, people = _job_fields(jobs)
        tie_fields, pair_keys = _tie_fields(ties, people)
        return cls(**job_fields, **tie_fields, endings=_endings(answers, people, pair_keys))

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
        return None if since <= ALWAYS else date.fromordinal(since)

    def _ended(self, tie: int, events: list[tuple[int, bool]], on: int) -> bool:
        """Whether the last wave whose verdict holds by `on` (and came after the tie formed) found it gone."""
        verdict = None
        for effective, knows in events:
            if self.tie_since[tie] < effective <= on:
                verdict = knows
        return verdict is False


def _job_fields(jobs: Mapping[str, list]) -> tuple[dict, dict]:
    """The Timeline's people, organisations and jobs (sorted by start), and each person's index."""
    people, orgs, sectors, territories, roles = Codes(), Codes(), Codes(), Codes(), Codes()
    job_person = np.array([people.code(x) for x in jobs["person"]], dtype=np.int64)
    job_org = np.array([orgs.code(x) for x in jobs["organisation"]], dtype=np.int64)
    n, n_orgs = len(people.values), len(orgs.values)
    org_kind = [None] * n_orgs
    for o, kind in zip(job_org.tolist(), jobs["kind"], strict=True):
        org_kind[o] = kind or None
    job_since, job_until = day_ordinals(jobs["since"], ALWAYS), day_ordinals(jobs["until"], NEVER)
    order = np.lexsort((job_person, job_since))
    return {
        "person_ids": people.values,
        "person_consent": per_index(job_person, n, [bool(c) for c in jobs["research_consent"]], bool),
        "person_role": per_index(job_person, n, [roles.code(r or None) for r in jobs["role"]]),
        "person_erased": per_index(job_person, n, [bool(e) for e in jobs["erased"]], bool),
        "roles": roles.values, "org_ids": orgs.values, "org_kind": org_kind,
        "org_sector": per_index(job_org, n_orgs, [sectors.code(x or None) for x in jobs["sector"]]),
        "org_territory": per_index(job_org, n_orgs, [territories.code(x) for x in jobs["territory"]]),
        "sectors": sectors.values, "territories": territories.values,
        "job_person": job_person[order], "job_org": job_org[order],
        "job_since": job_since[order], "job_until": job_until[order],
    }, people.index


def _pair_key(i, j, n: int):
    return np.minimum(i, j) * max(n, 1) + np.maximum(i, j)


def _tie_fields(ties: Mapping[str, list], people: dict) -> tuple[dict, np.ndarray]:
    """The Timeline's ties between people with a job, a pair's earliest only, sorted by pair; and their pairs' keys."""
    origins = Codes(ORIGINS)
    a = np.array([people.get(x, -1) for x in ties["a"]], dtype=np.int64)
    b = np.array([people.get(x, -1) for x in ties["b"]], dtype=np.int64)
    since = day_ordinals(ties["since"], ALWAYS)
    known = origins.index
    origin = np.array([known[o] if o in known else origins.code(o or None) for o in ties["origin"]], dtype=np.int64)
    candidates = np.flatnonzero((a >= 0) & (b >= 0) & (a != b))
    key = _pair_key(a[candidates], b[candidates], len(people))
    earliest = np.lexsort((since[candidates], key))
    first = np.ones(len(earliest), dtype=bool)
    first[1:] = key[earliest][1:] != key[earliest][:-1]
    kept = candidates[earliest[first]]

    def detail(name: str) -> list:
        return [ties[name][i] or None for i in kept.tolist()] if name in ties else [None] * len(kept)

    return {
        "tie_u": np.minimum(a, b)[kept], "tie_v": np.maximum(a, b)[kept], "tie_since": since[kept],
        "tie_origin": origin[kept], "origins": origins.values, "tie_level": detail("level"),
        "tie_session": detail("session"),
    }, key[earliest[first]]


def _endings(answers: Mapping[str, list], people: dict, pair_keys: np.ndarray) -> dict:
    """Tie index → [(day a wave's verdict holds from, whether the pair still knew each other)], by day: a pair
    knew each other in a wave when any answer about it says so."""
    evidence: dict[int, dict[int, bool]] = {}
    effective_days = day_ordinals(answers["effective"], NEVER).tolist()
    for x, y, day, knows in zip(answers["a"], answers["b"], effective_days, answers["knows"], strict=True):
        i, j = people.get(x), people.get(y)
        if i is None or j is None:
            continue
        key = int(_pair_key(i, j, len(people)))
        position = int(np.searchsorted(pair_keys, key))
        if position < len(pair_keys) and pair_keys[position] == key:
            by_wave = evidence.setdefault(position, {})
            by_wave[day] = by_wave.get(day, False) or bool(knows)
    return {tie: sorted(by_wave.items()) for tie, by_wave in evidence.items()}


_EPOCH = date(1970, 1, 1).toordinal()


def ordinals(yyyymmdd: list[int], missing: int) -> np.ndarray:
    """Dates written as yyyymmdd integers (0 when missing) to proleptic ordinals, vectorised."""
    values = np.asarray(yyyymmdd, dtype=np.int64)
    years, months, days = values // 10000, values // 100 % 100, values % 100
    present = values > 0
    months_since_epoch = (np.where(present, years, 1970) - 1970) * 12 + np.where(present, months, 1) - 1
    first_of_month = months_since_epoch.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    result = first_of_month + np.where(present, days, 1) - 1 + _EPOCH
    return np.where(present, result, missing)


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
            "organisations": int(np.count_nonzero(np.bincount(self.node_org[self.active],
                                                              minlength=len(self.timeline.org_ids)))),
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
