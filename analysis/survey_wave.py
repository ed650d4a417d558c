"""Figures of one network survey wave, as the PARTNER tool reports them.

Each member of the roster rated each other member: knows them or not, level of collaboration on
the Frey et al. (2006) scale, trust and value (1–4), and whether they knew them before the program.
A dyad's two answers are combined by the evaluator's symmetrisation rule:
- `either`: the pair is tied when at least one of the two says so (non-respondents can still be
  named by others);
- `both`: only when both say so (a non-respondent then has no tie).
The tie's level is the higher of the reported levels under `either`, the lower under `both`.

Reciprocity: among the pairs where both answered and at least one reported knowing the other, the
share where both did. Trust and value are the means of the ratings people *received*, by
territory and by organisation; a mean resting on fewer than 5 raters is withheld ("< 5").
Only research-consenting members count as individuals.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from analysis import metrics
from analysis.before_after import SMALL_CELL
from analysis.pseudonyms import Pseudonyms

# The PARTNER tool's vocabulary: the Frey et al. levels, the 1–4 rating scale, who is on a wave's roster.
LEVELS = ("none", "networking", "cooperation", "coordination", "coalition", "collaboration")
SCALE = (1, 2, 3, 4)
ROSTER_RULES = ("attended", "working")
RULES = ("either", "both")


def _combine(reports: list[bool], rule: str) -> bool:
    return any(reports) if rule == "either" else len(reports) == 2 and all(reports)


def _network(members: list[dict], dyads: dict, rule: str, key: str) -> tuple[metrics.Arrays, list[tuple]]:
    index = {m["id"]: i for i, m in enumerate(members)}
    organisations: dict = {}
    sectors: dict = {}
    org_codes = np.array([organisations.setdefault(m["organisation"], len(organisations)) for m in members])
    sector_codes = np.array([sectors.setdefault(m["sector"], len(sectors)) for m in members])
    ties = []
    for (a, b), answers in sorted(dyads.items()):
        reports = [bool(answer.get(key)) for answer in answers.values()]
        if _combine(reports, rule):
            levels = [LEVELS.index(ans["level"]) for ans in answers.values() if ans.get(key) and ans.get("level")]
            level = None
            if levels:
                level = LEVELS[max(levels) if rule == "either" else min(levels)]
            ties.append((index[a], index[b], level))
    u = np.array([t[0] for t in ties], dtype=np.int64)
    v = np.array([t[1] for t in ties], dtype=np.int64)
    return metrics.Arrays(len(members), u, v, org_codes, sector_codes), ties


def _means(ratings: list[tuple[str, str, int]]) -> dict:
    """(group, rater, score) → {group: {"mean": … or None, "raters": n}}; None under SMALL_CELL raters."""
    scores, raters = defaultdict(list), defaultdict(set)
    for group, rater, score in ratings:
        scores[group].append(score)
        raters[group].add(rater)
    return {
        group: {"mean": (sum(values) / len(values)) if len(raters[group]) >= SMALL_CELL else None,
                "raters": len(raters[group])}
        for group, values in sorted(scores.items())
    }


def wave_figures(roster: list[dict], answers: list[dict], rule: str, pseudonyms: Pseudonyms) -> dict:
    """roster [{id, organisation, sector, territory, research_consent}];
    answers [{a, b, knows, level, trust, value, knew_before}] (a rated b)."""
    if rule not in RULES:
        raise ValueError(f"Unknown symmetrisation rule {rule!r}.")
    members = sorted((m for m in roster if m.get("research_consent")), key=lambda m: m["id"])
    ids = {m["id"] for m in members}
    answers = [a for a in answers if a["a"] in ids and a["b"] in ids and a["a"] != a["b"]]
    respondents = {a["a"] for a in answers}
    dyads: dict[tuple[str, str], dict[str, dict]] = defaultdict(dict)
    for answer in answers:
        dyads[tuple(sorted((answer["a"], answer["b"])))][answer["a"]] = answer

    now_arrays, now_ties = _network(members, dyads, rule, "knows")
    before_arrays, before_ties = _network(members, dyads, rule, "knew_before")
    now_pairs = {(a, b) for a, b, _ in now_ties}
    before_pairs = {(a, b) for a, b, _ in before_ties}
    levels = {level: 0 for level in LEVELS}
    for _, _, level in now_ties:
        if level:
            levels[level] += 1
    by_id = {m["id"]: m for m in members}
    return {
        "rule": rule,
        "response": _response(ids, answers, respondents),
        "figures": metrics.figures(now_arrays),
        "baseline": metrics.figures(before_arrays),
        "changes": {"new": len(now_pairs - before_pairs), "kept": len(now_pairs & before_pairs),
                    "lost": len(before_pairs - now_pairs)},
        "reciprocity": _reciprocity(dyads, respondents),
        "levels": levels,
        **{field: _ratings(answers, by_id, field, pseudonyms) for field in ("trust", "value")},
    }


def _response(ids: set[str], answers: list[dict], respondents: set[str]) -> dict:
    """How many members answered, and how many answered about every other member."""
    answered = defaultdict(set)
    for answer in answers:
        answered[answer["a"]].add(answer["b"])
    complete = {p for p in respondents if answered[p] >= ids - {p}}
    roster_size = len(ids)
    return {
        "roster": roster_size, "respondents": len(respondents), "complete": len(complete),
        "rate": len(respondents) / roster_size if roster_size else 0.0,
        "complete_rate": len(complete) / roster_size if roster_size else 0.0,
    }


def _reciprocity(dyads: dict, respondents: set[str]) -> dict:
    """Among the pairs where both answered and one at least knows the other: those where both do."""
    mutual = asymmetric = 0
    for (a, b), pair_answers in dyads.items():
        if a in respondents and b in respondents and len(pair_answers) == 2:
            reports = [bool(x.get("knows")) for x in pair_answers.values()]
            mutual += all(reports)
            asymmetric += any(reports) and not all(reports)
    return {"mutual": mutual, "asymmetric": asymmetric,
            "rate": mutual / (mutual + asymmetric) if mutual + asymmetric else None}


def _ratings(answers: list[dict], by_id: dict, field: str, pseudonyms: Pseudonyms) -> dict:
    """The means of the `field` ratings (trust or value) people received: overall, by territory and by
    (pseudonymous) organisation."""
    bucket = [(by_id[answer["b"]], answer["a"], answer[field]) for answer in answers
              if answer.get("knows") and answer.get(field) is not None]
    by_organisation = [(pseudonyms.organisation(r["organisation"]) if r["organisation"] else "", rater, score)
                       for r, rater, score in bucket]
    return {
        "overall": _means([("all", rater, s) for _, rater, s in bucket]).get("all", {"mean": None, "raters": 0}),
        "by_territory": _means([(r["territory"] or "", rater, s) for r, rater, s in bucket]),
        "by_organisation": _means(by_organisation),
    }
