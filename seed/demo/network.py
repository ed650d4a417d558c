"""The fictional demo network, built deterministically from the report's tables.

`build_demo(seed)` returns plain data (lists of dicts); graph.loader writes it. Same seed,
same network: every random choice goes through one `random.Random(seed)`.

What it reproduces exactly (report, tables 2 and 3): 42 organisations and 56 intervenant.es
across the six TIPs, by kind of institution and by sector. The rest is plausible fiction:
a sparse network before EI (mostly colleagues), ties formed at the six sessions (mostly across
organisations), a few declared after, a few referrals in every state.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import combinations

from shapely.geometry import Point

from seed.demo.people_names import ORIGINS
from seed.reference.rows import need_row
from seed.reference.taxonomy import NEEDS
from seed.reference.territories import (
    COHORTS,
    SESSION_THEMES,
    TERRITORIES,
    cohort_rows,
    fsa_table,
    territory_rows,
    territory_shape,
)

DEMO_MARKER = "demo"

# Sectors (table 3) and kinds of institution (table 2).
FAMILY, NEWCOMERS, OTHER, INSTITUTIONAL = "family", "newcomers", "community_other", "institutional"
SECTORS = (FAMILY, NEWCOMERS, OTHER, INSTITUTIONAL)
COMMUNITY, CIUSSS, LIBRARY, SCHOOL_CENTRE = "community", "ciusss", "library", "school_service_centre"

# Per TIP: community organisations by sector (family, newcomers, other), institutions, intervenant.es.
# Sums: family 20, newcomers 14, other 4, institutional 4 (table 3); 42 organisations, 56 people (table 2).
COMPOSITION = {
    "mn": ((4, 2, 1), (), 11),
    "vsp": ((3, 2, 1), (LIBRARY,), 10),
    "abc": ((3, 3, 0), (), 7),
    "asl": ((5, 3, 1), (CIUSSS,), 14),
    "prsl": ((3, 2, 1), (SCHOOL_CENTRE,), 9),
    "cdn": ((2, 2, 0), (LIBRARY,), 5),
}

# Roles in the report's proportions (table 5: 25 % community workers, 18 % social workers,
# 14 % school-family-community agents, 7 % mobilisation agents, 36 % others), over 56 people.
ROLES = (
    ("intervenant_communautaire", 14),
    ("intervenant_social", 10),
    ("agent_efc", 8),
    ("agent_mobilisation", 4),
    ("coordination", 6),
    ("educatrice", 5),
    ("conseillere_francisation", 3),
    ("conseillere_juridique", 2),
    ("travailleuse_milieu", 2),
    ("bibliothecaire", 2),
)

ORG_NAME_PARTS = {
    FAMILY: ("Maison des familles", "Carrefour familial", "Joujouthèque", "Centre de pédiatrie sociale",
             "Halte-garderie", "Regroupement des parents", "Maison de jeunes", "Ressources familles"),
    NEWCOMERS: ("Centre d'accueil des nouveaux arrivants", "Carrefour d'intégration", "Alliance immigrante",
                "Accueil et francisation", "Maison de l'amitié interculturelle"),
    OTHER: ("Clinique juridique communautaire", "Centre des femmes", "Info-droits"),
}
INSTITUTION_NAMES = {
    CIUSSS: "CIUSSS de l'Est-de-l'Île — CLSC",
    LIBRARY: "Bibliothèque",
    SCHOOL_CENTRE: "Centre de services scolaire — Services aux élèves",
}
STREETS = ("boulevard Henri-Bourassa", "rue Fleury", "rue Jarry", "boulevard Pie-IX", "rue Lacordaire",
           "boulevard Saint-Michel", "rue Jean-Talon", "boulevard Gouin", "avenue Papineau",
           "boulevard Décarie", "chemin de la Côte-des-Neiges", "boulevard Pierrefonds", "rue Sherbrooke Ouest")

# Services an organisation of each sector typically offers: (name, description, needs).
SERVICE_MENU = {
    FAMILY: (
        ("Ateliers parents-enfants", "Ateliers hebdomadaires de stimulation et de jeu pour les 0-5 ans.",
         ("early-childhood", "parenting")),
        ("Aide aux devoirs", "Soutien scolaire après l'école et lien avec l'école.", ("school-family",)),
        ("Halte-garderie", "Garde ponctuelle pendant les démarches des parents.", ("early-childhood",)),
        ("Cuisines collectives", "Cuisiner ensemble à petit prix.", ("food-aid",)),
        ("Écoute et accompagnement des familles", "Rencontres individuelles, soutien en situation de crise.",
         ("mental-health", "parenting")),
        ("Camp de jour et loisirs", "Activités pour les enfants et les ados.", ("recreation",)),
    ),
    NEWCOMERS: (
        ("Accueil et installation", "Premières démarches, RAMQ, logement, inscription scolaire, avec interprète "
         "ou traduction au besoin.",
         ("housing", "physical-health", "school-family")),
        ("Cours de francisation", "Cours de français à temps partiel, avec halte-garderie.", ("francisation",)),
        ("Clinique d'impôts", "Déclarations de revenus et prestations pour les familles à faible revenu.",
         ("taxes",)),
        ("Recherche d'emploi", "CV, reconnaissance des diplômes, stages.", ("employment",)),
        ("Information juridique en immigration", "Statut, parrainage, demandes d'asile.",
         ("legal-immigration",)),
        ("Dépannage matériel", "Meubles, vêtements d'hiver, articles pour bébé.", ("material-aid",)),
    ),
    OTHER: (
        ("Consultations juridiques gratuites", "Avocat.es bénévoles : logement, famille, immigration.",
         ("legal-immigration", "housing")),
        ("Accompagnement des femmes", "Écoute, hébergement d'urgence, violence conjugale.",
         ("women-violence", "mental-health")),
    ),
    CIUSSS: (
        ("Services psychosociaux courants", "Intervention psychosociale et santé mentale jeunesse et famille.",
         ("mental-health", "youth-protection")),
        ("Santé des nouveaux arrivants", "Vaccination, suivi de grossesse, santé des enfants.",
         ("physical-health", "early-childhood")),
    ),
    LIBRARY: (
        ("Heure du conte multilingue", "Lecture pour les tout-petits en plusieurs langues.",
         ("early-childhood", "recreation")),
        ("Cafés-rencontres en français", "Pratique du français en groupe.", ("francisation",)),
    ),
    SCHOOL_CENTRE: (
        ("Agent.es de liaison école-famille", "Lien entre les écoles et les familles immigrantes.",
         ("school-family",)),
        ("Classes d'accueil", "Intégration scolaire des élèves nouvellement arrivés.",
         ("school-family", "francisation")),
    ),
}
HOURS = ("lun-ven 09:00-17:00", "lun-jeu 09:00-20:00", "mar-sam 10:00-18:00", "lun-ven 08:30-16:30")
LEVELS = ("networking", "cooperation", "coordination", "coalition", "collaboration")
DEMO_PASSWORDS = {
    "intervenant": "demo-intervenant",
    "coordinator": "demo-coordination",
    "evaluator": "demo-evaluation",
    "admin": "demo-admin",
}


@dataclass
class Network:
    territories: list = field(default_factory=list)
    cohorts: list = field(default_factory=list)
    needs: list = field(default_factory=list)
    organisations: list = field(default_factory=list)
    services: list = field(default_factory=list)
    people: list = field(default_factory=list)
    works_at: list = field(default_factory=list)
    expertise: list = field(default_factory=list)
    sessions: list = field(default_factory=list)
    attended: list = field(default_factory=list)
    knows: list = field(default_factory=list)
    referrals: list = field(default_factory=list)
    users: list = field(default_factory=list)


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c if c.isalnum() else "-" for c in ascii_text.lower()).strip("-").replace("--", "-")


def _point_in(rng: random.Random, territory_id: str, fsa: str) -> tuple[float, float]:
    """A point inside the territory, near the postal area's centre when that is inside too."""
    polygon = territory_shape(territory_id)
    lat0, lon0, _ = fsa_table()[fsa]
    for spread in (0.006, 0.012, 0.03):
        for _ in range(50):
            lat, lon = lat0 + rng.uniform(-spread, spread), lon0 + rng.uniform(-spread, spread)
            if polygon.contains(Point(lon, lat)):
                return round(lat, 6), round(lon, 6)
    point = polygon.representative_point()
    return round(point.y, 6), round(point.x, 6)


def _postal_code(rng: random.Random, fsa: str) -> str:
    letters = "ABCEGHJKLMNPRSTVWXYZ"
    return f"{fsa} {rng.randint(1, 9)}{rng.choice(letters)}{rng.randint(1, 9)}"


def _phone(rng: random.Random) -> str:
    # 555-01xx numbers are reserved for fiction in the North American numbering plan.
    return f"514 555-01{rng.randint(0, 99):02d}"


def build_demo(seed: int = 2022) -> Network:
    rng = random.Random(seed)
    net = Network()
    net.needs = [need_row(n) for n in NEEDS]
    _territories_and_sessions(net)
    _organisations(net, rng)
    _people(net, rng)
    _attendance_and_ties(net, rng)
    _referrals(net, rng)
    _users(net)
    return net


def _territories_and_sessions(net: Network) -> None:
    net.territories, net.cohorts = territory_rows(), cohort_rows()
    for t in TERRITORIES:
        cohort = COHORTS[t.cohort]
        sessions = zip(cohort.session_dates, SESSION_THEMES, strict=True)
        for number, (day, (theme_fr, theme_en)) in enumerate(sessions, 1):
            net.sessions.append({
                "id": f"{t.id}-s{number}", "territory": t.id, "number": number,
                "theme": theme_fr, "theme_en": theme_en, "date": day, "cohort": f"cohort-{t.cohort}",
            })


def _organisations(net: Network, rng: random.Random) -> None:
    used_names: set[str] = set()
    service_counter = 0
    for t in TERRITORIES:
        (family, newcomers, other), institutions, _ = COMPOSITION[t.id]
        plan = [(FAMILY, COMMUNITY)] * family + [(NEWCOMERS, COMMUNITY)] * newcomers + [(OTHER, COMMUNITY)] * other
        plan += [(INSTITUTIONAL, kind) for kind in institutions]
        short = t.name.split("–")[-1]
        for index, (sector, kind) in enumerate(plan, 1):
            if kind == COMMUNITY:
                base = rng.choice([n for n in ORG_NAME_PARTS[sector] if f"{n} {short}" not in used_names]
                                  or ORG_NAME_PARTS[sector])
                name = f"{base} {short}" if f"{base} {short}" not in used_names else f"{base} de {t.name}"
            else:
                name = f"{INSTITUTION_NAMES[kind]} {t.name}"
            used_names.add(name)
            fsa = rng.choice(t.fsas)
            lat, lon = _point_in(rng, t.id, fsa)
            languages = ["fr"] + sorted(rng.sample(["en", "ar", "es", "ht", "vi", "fa", "zh", "pa", "ta"], 2))
            org_id = f"o-{t.id}-{index:02d}"
            net.organisations.append({
                "id": org_id, "name": name, "sector": sector, "kind": kind, "territory": t.id,
                "address": f"{rng.randint(1000, 12999)}, {rng.choice(STREETS)}, Montréal (Québec)",
                "postal_code": _postal_code(rng, fsa), "latitude": lat, "longitude": lon,
                "phone": _phone(rng), "website": f"https://{slug(name)[:40]}.example.org",
                "languages": languages, "source": DEMO_MARKER,
            })
            menu = SERVICE_MENU[kind if kind != COMMUNITY else sector]
            for name_s, description, needs in rng.sample(menu, min(len(menu), rng.randint(2, 3))):
                service_counter += 1
                net.services.append({
                    "id": f"s-{service_counter:03d}", "organisation": org_id, "name": name_s,
                    "description": description, "needs": list(needs),
                    "eligibility": "Familles du territoire; aucune carte requise.",
                    "languages": languages, "hours": rng.choice(HOURS),
                })


def _role_sequence(rng: random.Random) -> list[str]:
    roles = [role for role, count in ROLES for _ in range(count)]
    rng.shuffle(roles)
    return roles


def _people(net: Network, rng: random.Random) -> None:
    roles = _role_sequence(rng)
    weights = [origin[1] for origin in ORIGINS]
    taken: set[str] = set()
    person_number = 0
    for t in TERRITORIES:
        orgs = [o for o in net.organisations if o["territory"] == t.id]
        headcount = COMPOSITION[t.id][2]
        # Every organisation sent at least one person; the rest went where groups were larger.
        placement = list(orgs) + rng.sample(orgs * 2, headcount - len(orgs))
        for org in placement:
            person_number += 1
            origin = rng.choices(ORIGINS, weights=weights)[0]
            country, _, extra_languages, women, men, last_names = origin
            first = rng.choice(men) if men and rng.random() < 0.1 else rng.choice(women)
            name = f"{first} {rng.choice(last_names)}"
            while name in taken:
                name = f"{first} {rng.choice(last_names)}-{rng.choice(ORIGINS)[5][0]}"
            taken.add(name)
            person_id = f"p-{person_number:03d}"
            org_needs = sorted({n for s in net.services if s["organisation"] == org["id"] for n in s["needs"]})
            expertise = rng.sample(org_needs, min(len(org_needs), rng.randint(1, 3)))
            net.people.append({
                "id": person_id, "name": name, "role": roles.pop(), "kind": "intervenant",
                "email": f"{slug(name).replace('-', '.')}@{slug(org['name'])[:24].strip('-')}.example.org",
                "phone": _phone(rng), "languages": ["fr", *extra_languages[: rng.randint(1, len(extra_languages))]],
                "listed": True, "research_consent": True, "born_in": country, "territory": t.id,
                "accepting_until": None,
            })
            net.works_at.append({
                "person": person_id, "organisation": org["id"],
                "since": COHORTS[t.cohort].start - timedelta(days=rng.randint(120, 3000)), "until": None,
            })
            net.expertise += [{"person": person_id, "need": need} for need in expertise]
    walkthrough = {net.people[0]["id"], _arabic_speaking_mental_health_worker(net)}
    # A few people did not consent to be listed, or to be counted individually by researchers.
    for person in rng.sample([p for p in net.people if p["id"] not in walkthrough], 4):
        person["listed"] = False
    for person in rng.sample(net.people, 5):
        person["research_consent"] = False
    # Two partner parents per territory joined session 4; they are not listed and work nowhere.
    for t in TERRITORIES:
        for n in (1, 2):
            origin = rng.choices(ORIGINS, weights=weights)[0]
            net.people.append({
                "id": f"pp-{t.id}-{n}", "name": f"{rng.choice(origin[3])} {rng.choice(origin[5])}",
                "role": "parent_partenaire", "kind": "parent", "email": None, "phone": None,
                "languages": ["fr", *origin[2][:1]], "listed": False, "research_consent": True,
                "born_in": origin[0], "territory": t.id, "accepting_until": None,
            })


def _arabic_speaking_mental_health_worker(net: Network) -> str:
    """The walkthrough in the README searches « santé mentale » in Montréal-Nord for an
    Arabic-speaking family: make sure the fiction holds such a person, a social worker
    (roles are swapped, not changed, so the report's proportions stay exact)."""
    person = next(p for p in net.people if p["territory"] == "mn" and "ar" in p["languages"])
    if person["role"] != "intervenant_social":
        other = next(p for p in net.people if p["role"] == "intervenant_social")
        other["role"], person["role"] = person["role"], "intervenant_social"
    if not any(e["person"] == person["id"] and e["need"] == "mental-health" for e in net.expertise):
        net.expertise.append({"person": person["id"], "need": "mental-health"})
    return person["id"]


def _tie(a: str, b: str, since: date, origin: str, level: str, session: str | None = None) -> dict:
    first, second = sorted((a, b))
    return {"a": first, "b": second, "since": since, "origin": origin, "level": level, "session": session}


def _attendance_and_ties(net: Network, rng: random.Random) -> None:
    org_of = {w["person"]: w["organisation"] for w in net.works_at}
    known: set[tuple[str, str]] = set()

    def add(tie: dict) -> None:
        if (tie["a"], tie["b"]) not in known:
            known.add((tie["a"], tie["b"]))
            net.knows.append(tie)

    for t in TERRITORIES:
        cohort = COHORTS[t.cohort]
        members = [p["id"] for p in net.people if p["territory"] == t.id and p["kind"] == "intervenant"]
        # Before EI: colleagues know each other; a few knew someone in another organisation.
        for a, b in combinations(members, 2):
            if org_of[a] == org_of[b]:
                since = cohort.start - timedelta(days=rng.randint(60, 1500))
                add(_tie(a, b, since, "before_ei", rng.choice(("coordination", "collaboration"))))
        for _ in range(max(1, len(members) // 5)):
            a, b = rng.sample(members, 2)
            if org_of[a] != org_of[b]:
                add(_tie(a, b, cohort.start - timedelta(days=rng.randint(30, 900)), "before_ei", "networking"))
        # At the sessions: attendance, and new ties, mostly across organisations.
        sessions = [s for s in net.sessions if s["territory"] == t.id]
        for session in sessions:
            present = [m for m in members if rng.random() < 0.85]
            net.attended += [{"person": m, "session": session["id"]} for m in present]
            if session["number"] == 4:
                net.attended += [{"person": f"pp-{t.id}-{n}", "session": session["id"]} for n in (1, 2)]
            new_ties = max(1, round(len(present) * 0.35))
            for _ in range(new_ties):
                a, b = rng.sample(present, 2)
                if org_of[a] != org_of[b]:
                    level = LEVELS[min(4, session["number"] // 2 + rng.randint(0, 1))]
                    add(_tie(a, b, session["date"], "ei_session", level, session["id"]))
    # After the program: the follow-up committee linked a few people across territories.
    intervenants = [p["id"] for p in net.people if p["kind"] == "intervenant"]
    for _ in range(6):
        a, b = rng.sample(intervenants, 2)
        add(_tie(a, b, date(2024, 3, 1) + timedelta(days=rng.randint(0, 200)), "declared", "networking"))


def _referrals(net: Network, rng: random.Random) -> None:
    """A handful of referrals in every state, each with its append-only history."""
    listed = [p for p in net.people if p["kind"] == "intervenant" and p["listed"]]
    expertise = {}
    for e in net.expertise:
        expertise.setdefault(e["person"], []).append(e["need"])
    linked = {(t["a"], t["b"]) for t in net.knows}
    paths = (
        ["sent"],
        ["sent"],
        ["sent", "accepted"],
        ["sent", "accepted", "in_progress"],
        ["sent", "accepted", "in_progress", "completed"],
        ["sent", "accepted", "in_progress", "completed"],
        ["sent", "declined"],
        ["sent", "cancelled"],
        ["sent", "accepted", "in_progress", "completed"],
    )
    start = datetime(2025, 9, 1, 9, 0, tzinfo=UTC)
    for number, path in enumerate(paths, 1):
        sender, receiver = rng.sample(listed, 2)
        need = rng.choice(expertise.get(receiver["id"], ["parenting"]))
        at = start + timedelta(days=number * 5, hours=rng.randint(0, 8))
        history = []
        for step, status in enumerate(path):
            by = sender["id"] if status in ("sent", "cancelled") else receiver["id"]
            event = {"status": status, "at": at + timedelta(days=step * 2), "by": by, "reason": None, "outcome": None}
            if status == "declined":
                event["reason"] = "no_capacity"
            if status == "completed":
                event["outcome"] = rng.choice(("got_help", "got_help", "could_not_reach"))
            history.append(event)
        net.referrals.append({
            "id": f"r-demo-{number:02d}", "from": sender["id"], "to": receiver["id"], "need": need,
            "language": rng.choice(sender["languages"]), "urgency": rng.choice(("low", "normal", "high")),
            "note": "Famille arrivée récemment, deux enfants d'âge scolaire.",
            "status": path[-1], "created_at": history[0]["at"], "updated_at": history[-1]["at"],
            "history": history,
        })
        pair = tuple(sorted((sender["id"], receiver["id"])))
        if "accepted" in path and pair not in linked:
            linked.add(pair)
            net.knows.append(_tie(*pair, history[1]["at"].date(), "referral", "networking"))


def _users(net: Network) -> None:
    """One account per intervenant.e (their own e-mail), and one per other role."""
    for person in net.people:
        if person["kind"] == "intervenant":
            net.users.append({"id": f"u-{person['id']}", "email": person["email"], "role": "intervenant",
                              "territory": person["territory"], "person": person["id"]})
    first_mn = next(p for p in net.people if p["territory"] == "mn" and p["kind"] == "intervenant" and p["listed"])
    net.users += [
        {"id": "u-demo-intervenant", "email": "intervenant@demo.reseau-ei.ca", "role": "intervenant",
         "territory": "mn", "person": first_mn["id"]},
        {"id": "u-demo-coord-mn", "email": "coordination.mn@demo.reseau-ei.ca", "role": "coordinator",
         "territory": "mn", "person": None},
        {"id": "u-demo-coord", "email": "coordination@demo.reseau-ei.ca", "role": "coordinator",
         "territory": None, "person": None},
        {"id": "u-demo-evaluator", "email": "evaluation@demo.reseau-ei.ca", "role": "evaluator",
         "territory": None, "person": None},
        {"id": "u-demo-admin", "email": "admin@demo.reseau-ei.ca", "role": "admin",
         "territory": None, "person": None},
    ]
