"""Before / after comparisons of the network, per territory, per cohort and overall.

Pure functions of a Timeline (analysis.timeline): what an evaluator sees, in plain JSON-ready data,
with people and organisations already pseudonymous (analysis.pseudonyms) — no raw id, name or
contact detail ever leaves this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from scipy import sparse

from analysis import metrics
from analysis.disclosure import people_places
from analysis.pseudonyms import Pseudonyms
from analysis.timeline import ORIGINS, Snapshot, Timeline, tie_changes

SECTOR_ORDER = ("family", "newcomers", "community_other", "institutional")
SMALL_CELL = 5  # fewer people than this in a breakdown cell are shown as "< 5"


@dataclass(frozen=True)
class Scope:
    """All six territories, one cohort, or one territory, with the dates that define its stages."""

    id: str
    kind: str  # "all", "cohort" or "territory"
    territories: tuple[dict, ...]  # {id, name, cohort, start, end, sessions: {number: date}}
    cohort: int | None = None

    @property
    def territory_ids(self) -> list[str]:
        return [t["id"] for t in self.territories]

    @property
    def stages(self) -> tuple[str, ...]:
        """`before`, one stage per session number held in one of its territories (a cancelled or unscheduled
        one is none), `after`."""
        numbers = sorted({n for t in self.territories for n in t["sessions"]})
        return ("before", *(f"s{n}" for n in numbers), "after")

    def stage_dates(self, stage: str) -> dict[str, date]:
        """Per territory: `before` = the eve of the cohort's start (a first session may be held on its first
        day; the territory's map says « avant la cohorte » of the same eve), `sN` = the day of its Nth session
        (or the last session held before it), `after` = the cohort's end."""
        if stage == "before":
            return {t["id"]: t["start"] - timedelta(days=1) for t in self.territories}
        if stage == "after":
            return {t["id"]: t["end"] for t in self.territories}
        number = int(stage[1:])
        dates = {}
        for t in self.territories:
            held = [day for n, day in sorted(t["sessions"].items()) if n <= number]
            dates[t["id"]] = held[-1] if held else t["start"] - timedelta(days=1)
        return dates

    def on(self, day: date) -> dict[str, date]:
        return {t: day for t in self.territory_ids}


def build_scopes(territories: list[dict]) -> dict[str, Scope]:
    """`all`, `cohort-N` for each cohort, then each territory: `territories` holds each territory's part in
    each cohort (by cohort). A territory's id names its first cohort; a later part is `cohort-N-<id>`, each
    compared on its own cohort's dates; `all` takes each territory once, in its first cohort."""
    first: dict[str, dict] = {}
    for t in territories:
        first.setdefault(t["id"], t)
    scopes = {"all": Scope("all", "all", tuple(first.values()))}
    for cohort in sorted({t["cohort"] for t in territories}):
        members = tuple(t for t in territories if t["cohort"] == cohort)
        scopes[f"cohort-{cohort}"] = Scope(f"cohort-{cohort}", "cohort", members, cohort)
    for t in territories:
        scope_id = t["id"] if first[t["id"]] is t else f"cohort-{t['cohort']}-{t['id']}"
        scopes[scope_id] = Scope(scope_id, "territory", (t,), t["cohort"])
    return scopes


def cohort_points(scope: Scope, today: date) -> list[tuple[str, dict[str, date]]]:
    return [("before", scope.stage_dates("before")), ("after", scope.stage_dates("after")), ("now", scope.on(today))]


def stage_points(scope: Scope) -> list[tuple[str, dict[str, date]]]:
    return [(stage, scope.stage_dates(stage)) for stage in scope.stages]


def range_points(scope: Scope, start: date, end: date) -> list[tuple[str, dict[str, date]]]:
    if end < start:
        raise ValueError("The end of a range comes after its start.")
    return [("start", scope.on(start)), ("end", scope.on(end))]


def suppress_small(counts: Mapping[str, int]) -> dict[str, int | None]:
    """Cells under SMALL_CELL people become None ("< 5"). When that hides exactly one non-zero cell,
    the next smallest is hidden too, so that the total cannot give it back by subtraction."""
    shown: dict[str, int | None] = {k: (v if v >= SMALL_CELL else None) for k, v in counts.items()}
    hidden = [k for k, v in shown.items() if v is None]
    if len(hidden) == 1 and counts[hidden[0]] > 0:
        visible = sorted((v, k) for k, v in shown.items() if v is not None)
        if visible:
            shown[visible[0][1]] = None
    return shown


def _dates_json(dates: Mapping[str, date]) -> dict[str, str]:
    return {t: d.isoformat() for t, d in dates.items()}


def _sector_codes(timeline: Timeline) -> list[str]:
    known = [s for s in SECTOR_ORDER if s in timeline.sectors]
    return known + sorted(str(s) for s in timeline.sectors if s not in SECTOR_ORDER)


def sector_matrix(snapshot: Snapshot, sectors: list[str]) -> list[list[int]]:
    """Pairs of distinct organisations linked by at least one tie of the research sample, by the
    sectors of the two organisations (symmetric; the diagonal counts pairs within a sector)."""
    t = snapshot.timeline
    a = snapshot.sample().arrays
    ou, ov = a.organisation[a.u], a.organisation[a.v]
    keep = ou != ov
    n_orgs = max(1, len(t.org_ids))
    # A sparse organisation × organisation matrix merges the ties of the same pair (much faster
    # than numpy.unique on a million pairs).
    linked = sparse.coo_array((np.ones(int(keep.sum()), dtype=np.int8),
                               (np.minimum(ou[keep], ov[keep]), np.maximum(ou[keep], ov[keep]))),
                              shape=(n_orgs, n_orgs)).tocsr()
    linked.sum_duplicates()
    first, second = linked.nonzero()
    position = np.array([sectors.index(str(s)) if str(s) in sectors else -1 for s in t.sectors], dtype=np.int64)
    size = len(sectors)
    cells = np.zeros((size, size), dtype=np.int64)
    si, sj = position[t.org_sector[first]], position[t.org_sector[second]]
    np.add.at(cells, (si, sj), 1)
    np.add.at(cells, (sj, si), 1)
    cells[np.diag_indices(size)] //= 2
    return cells.tolist()


def _breakdown(snapshot: Snapshot, sample_nodes: np.ndarray, by: str) -> dict[str, int | None]:
    """People of the sample per sector of their organisation, or per role; small cells suppressed.
    Sectors are always all listed; roles only those present."""
    t = snapshot.timeline
    if by == "sector":
        codes, names = t.org_sector[snapshot.node_org[sample_nodes]], t.sectors
        vocabulary = _sector_codes(t)
    else:
        codes, names = t.person_role[sample_nodes], t.roles
        vocabulary = sorted({str(names[c]) for c in np.flatnonzero(np.bincount(codes, minlength=len(names)))})
    counts = np.bincount(codes, minlength=len(names))
    by_name = {str(name): int(counts[i]) for i, name in enumerate(names)}
    return suppress_small({k: by_name.get(k, 0) for k in vocabulary})


def describe(snapshot: Snapshot, pseudonyms: Pseudonyms, brokers: bool = True) -> dict:
    """One snapshot: totals (everyone), figures of the research sample, ties by origin, brokers."""
    t = snapshot.timeline
    sample = snapshot.sample()
    found, methods = metrics.measure(sample.arrays)
    by_origin = np.bincount(t.tie_origin[sample.ties], minlength=len(t.origins))
    result = {
        "totals": snapshot.totals(),
        "figures": found,
        "methods": methods,
        "ties_by_origin": {o: int(by_origin[t.origins.index(o)]) for o in ORIGINS},
        "breakdowns": {by: _breakdown(snapshot, sample.nodes, by) for by in ("sector", "role")},
    }
    if brokers:
        scores, info = metrics.betweenness_scores(sample.arrays)
        top = metrics.top_brokers(scores, _LazyNames(t, sample.nodes, pseudonyms))
        result["brokers"] = [{"id": name, "betweenness": score} for name, score in top]
        result["methods"]["betweenness"] = info
    return result


class _LazyNames:
    """Pseudonyms computed only for the nodes asked for: a large network ranks 100,000 people to
    name five."""

    def __init__(self, timeline: Timeline, nodes: np.ndarray, pseudonyms: Pseudonyms):
        self.timeline, self.nodes, self.pseudonyms = timeline, nodes, pseudonyms

    def __getitem__(self, i: int) -> str:
        return self.pseudonyms.person(self.timeline.person_ids[self.nodes[i]])


def _not_after(dates: Mapping[str, date], today: date | None) -> Mapping[str, date]:
    return dates if today is None else {territory: min(day, today) for territory, day in dates.items()}


def compare(timeline: Timeline, points: list[tuple[str, Mapping[str, date]]], pseudonyms: Pseudonyms,
            origins: list[str] | None = None, brokers: bool = True, today: date | None = None) -> dict:
    """Figures at each point (name, dates by territory), tie changes between consecutive points and
    the organisation-level sector × sector matrix at each point. A point after `today` is not `reached`:
    its figures are today's (the future is not known), and the pages say « à venir »."""
    # A point to come is drawn as of today (found by the outside pass of issue 19: it was drawn on its own
    # future date, where jobs already set to end have ended, and differed from today's figures).
    snapshots = [(name, timeline.snapshot(_not_after(dates, today), origins)) for name, dates in points]
    sectors = _sector_codes(timeline)
    described = []
    for (name, dates), (_, snapshot) in zip(points, snapshots, strict=True):
        described.append({"name": name, "dates": _dates_json(dates),
                          "reached": today is None or max(dates.values(), default=today) <= today,
                          **describe(snapshot, pseudonyms, brokers)})
    # A change towards a point still to come is today's, as its figures are: it says so too.
    changes = [
        {"from": a_name, "to": b_name, "reached": to["reached"], **tie_changes(a, b, list(ORIGINS))}
        for (a_name, a), (b_name, b), to in zip(snapshots, snapshots[1:], described[1:], strict=False)
    ]
    return {
        "origins": list(origins) if origins is not None else list(ORIGINS),
        "snapshots": described,
        "changes": changes,
        "sectors": sectors,
        "sector_matrix": {name: sector_matrix(snapshot, sectors) for name, snapshot in snapshots},
    }


def curve(timeline: Timeline, scope: Scope, origins: list[str] | None = None,
          today: date | None = None) -> list[dict]:
    """The figures of the research sample at each stage reached by `today` (every one when None): before,
    after each session, after; with each stage's date in each territory."""
    series = []
    for name, dates in stage_points(scope):
        if today is not None and max(dates.values(), default=today) > today:
            continue
        snapshot = timeline.snapshot(dates, origins)
        series.append({"name": name, "dates": _dates_json(dates), "totals": snapshot.totals(),
                       "figures": metrics.figures(snapshot.sample().arrays)})
    return series


def difference(timeline: Timeline, first: Snapshot, second: Snapshot, pseudonyms: Pseudonyms) -> dict:
    """What changed between two snapshots, node by node and tie by tie (research sample only):
    people `new`, `kept` or `left`, with their degree in each; ties `new`, `kept` or `lost`."""
    t = timeline
    a, b = first.sample(), second.sample()
    degree_a = np.zeros(len(t.person_ids), dtype=np.int64)
    degree_b = np.zeros(len(t.person_ids), dtype=np.int64)
    degree_a[a.nodes] = a.arrays.degrees()
    degree_b[b.nodes] = b.arrays.degrees()
    in_a = np.zeros(len(t.person_ids), dtype=bool)
    in_b = np.zeros(len(t.person_ids), dtype=bool)
    in_a[a.nodes], in_b[b.nodes] = True, True
    places = {**people_places(t, first, a.nodes.tolist(), pseudonyms),
              **people_places(t, second, b.nodes.tolist(), pseudonyms)}
    nodes = []
    for p in np.flatnonzero(in_a | in_b):
        nodes.append({
            "id": pseudonyms.person(t.person_ids[p]),
            "status": "kept" if in_a[p] and in_b[p] else ("new" if in_b[p] else "left"),
            "degree_from": int(degree_a[p]), "degree_to": int(degree_b[p]),
            "organisation": places[int(p)]["organisation"], "sector": places[int(p)]["sector"],
        })
    ties_a, ties_b = set(a.ties.tolist()), set(b.ties.tolist())
    edges = []
    for tie in sorted(ties_a | ties_b):
        edges.append({
            "a": pseudonyms.person(t.person_ids[t.tie_u[tie]]), "b": pseudonyms.person(t.person_ids[t.tie_v[tie]]),
            "status": "kept" if tie in ties_a and tie in ties_b else ("new" if tie in ties_b else "lost"),
            "origin": t.origins[t.tie_origin[tie]],
        })
    return {"nodes": nodes, "edges": edges}
