"""The journal's words: each summary its writers store (graph/repositories/*.py — in French, with codes, ids
and ISO dates, as the record was at the time) parsed and said in the reader's language when read. One pattern
per format a writer stores; a summary no pattern knows is shown with the ids it holds named."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import format_date, format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from referral.labels import KIND_LABELS, LANGUAGE_LABELS, ORIGIN_LABELS, ROLE_LABELS, SECTOR_LABELS

FIELD_LABELS = {
    "name": _l("Nom"), "role": _l("Fonction"), "title": _l("Titre"), "email": _l("Courriel"),
    "phone": _l("Téléphone"), "languages": _l("Langues"), "listed": _l("Répertoire"),
    "research_consent": _l("Recherche (évaluation)"), "address": _l("Adresse"), "postal_code": _l("Code postal"),
    "website": _l("Site web"), "sector": _l("Secteur"), "kind": _l("Type"), "territory": _l("Territoire"),
    "served": _l("Territoires desservis"), "description": _l("Description"), "eligibility": _l("Admissibilité"),
    "hours": _l("Heures"), "needs": _l("Besoins"), "latitude": _l("Latitude"), "longitude": _l("Longitude"),
    "location_source": _l("Placement du point"), "organisation": _l("Organisation"), "WORKS_AT": _l("Emploi"),
    "accepting_until": _l("Pas de nouvelles références jusqu'au"),
    # A session's fields (sessions.py says them « key : value »)
    "date": _l("Date"), "theme": _l("Thème"), "place": _l("Lieu"), "facilitators": _l("Animation"),
}
CODED = {"languages": LANGUAGE_LABELS, "role": ROLE_LABELS, "sector": SECTOR_LABELS, "kind": KIND_LABELS,
         "location_source": {"postal_area": _l("centre du secteur postal"), "manual": _l("placé à la main"),
                             "nominatim": _l("d'après l'adresse")}}
NAMED = {"served", "territory", "needs"}  # codes of territories and needs, named
# Free text, quoted: whatever it holds (« x ; Recherche (évaluation) : oui → non ») reads as one value, never as
# another line (found by the third outside pass); a phone, an e-mail, a postal code or a website cannot hold it.
QUOTED = {"theme", "place", "name", "title", "address", "description", "eligibility", "hours"}
ARCHIVED = {"organisation": _l("Archivée le %(day)s"), "service": _l("Archivé le %(day)s"),
            "person": _l("Archivée le %(day)s")}
RESTORED = {"organisation": _l("Restaurée"), "service": _l("Restauré"), "person": _l("Restaurée")}
EMPTY = "∅"
INNER_QUOTES = str.maketrans({"«": "‹", "»": "›", "“": "‘", "”": "’", '"': "'", "≪": "‹", "≫": "›"})
DAY = r"\d{4}-\d{2}-\d{2}"
IDENTIFIER = re.compile(r"\b[a-z][a-z0-9]*(?:-[a-z0-9]+)+\b")
SEGMENT = re.compile(r"^(?P<field>[A-Za-z_]+): (?P<old>.*) → (?P<new>.*)$")
CSV_LINE = re.compile(r"^(?P<rest>.*) \(CSV, ligne (?P<line>\d+)\)$")
MERGE = re.compile(r"^(?P<keep>.*) ← (?P<gone>.*) \((?P<id>[^()\s]+)\) : (?P<ties>\d+) lien\(s\), "
                   r"(?P<jobs>\d+) emploi\(s\), (?P<referrals>\d+) référence\(s\) rattachés$")
COUNTS = {  # « 2 service(s) archivé(s) », as archive.py counts
    "service(s) archivé(s)": lambda n: ngettext("%(num)d service archivé", "%(num)d services archivés", n),
    "service(s)": lambda n: ngettext("%(num)d service restauré", "%(num)d services restaurés", n),
    "emploi(s) terminé(s)": lambda n: ngettext("%(num)d emploi terminé", "%(num)d emplois terminés", n),
    "emploi(s) repris": lambda n: ngettext("%(num)d emploi repris", "%(num)d emplois repris", n),
    "compte(s) fermé(s)": lambda n: ngettext("%(num)d compte fermé", "%(num)d comptes fermés", n),
    "compte(s) rouvert(s)": lambda n: ngettext("%(num)d compte rouvert", "%(num)d comptes rouverts", n),
}
COUNT = re.compile(r"(\d+) (" + "|".join(re.escape(key) for key in COUNTS) + ")")


def day(iso: str) -> str:
    return format_date(date.fromisoformat(iso), "long")


def quoted(text: str) -> str:
    """The reader's language's quotation marks (« » in French, “ ” in English) around a value that cannot close
    them: its own quotation marks become single ones and its line breaks « ⏎ » (a value « x » ; Recherche… »
    read as a line of its own: found by the fourth outside pass)."""
    inside = re.sub(r"\s*[\r\n\u2028\u2029]+\s*", " ⏎ ", text.translate(INNER_QUOTES))
    return _("« %(text)s »", text=inside)


def named(text: str, records: dict) -> str:
    """The text with each record id it holds replaced by the record's name."""
    return IDENTIFIER.sub(lambda m: records.get(m.group(0), {}).get("name") or m.group(0), text)


def merged_name(summary: str, record: str) -> str | None:
    """The name a record merged away had, from the merge's summary (the record itself is gone)."""
    found = MERGE.match(summary)
    return _("%(name)s (fiche fusionnée)", name=found["gone"]) if found and found["id"] == record else None


def field_line(field: str, old: str, new: str, records: dict) -> str:
    return _("%(field)s : %(old)s → %(new)s", field=FIELD_LABELS.get(field, field),
             old=value(field, old, records), new=value(field, new, records))


def value(field: str, text: str, records: dict) -> str:
    if text in (EMPTY, "None", ""):
        return _("(vide)")
    if text in ("True", "False"):
        return _("oui") if text == "True" else _("non")
    if field in CODED:
        return ", ".join(str(CODED[field].get(part, part)) for part in text.split(", "))
    if field in NAMED:
        return ", ".join(records.get(part, {}).get("name") or part for part in text.split(", "))
    if field in ("latitude", "longitude"):
        return coordinate(text)
    if field in ("date", "accepting_until") and re.fullmatch(DAY, text):
        return day(text)
    return quoted(text) if field in QUOTED else named(text, records)


def coordinate(text: str) -> str:
    """A latitude or longitude in the reader's number format, to 5 decimals (about a metre)."""
    try:
        return format_decimal(Decimal(text), format="0.#####")
    except InvalidOperation:
        return text


def changed_fields(segments: list, records: dict) -> list[str]:
    """One line per field changed; a point's latitude and longitude together as one « Position »."""
    by_field = {m["field"]: (m["old"], m["new"]) for m in segments}
    lines = []
    for m in segments:
        if m["field"] in ("latitude", "longitude") and {"latitude", "longitude"} <= by_field.keys():
            if m["field"] == "latitude":
                (lat_old, lat_new), (lon_old, lon_new) = by_field["latitude"], by_field["longitude"]
                lines.append(_("%(field)s : %(old)s → %(new)s", field=_("Position"),
                               old=_position(lat_old, lon_old), new=_position(lat_new, lon_new)))
        else:
            lines.append(field_line(m["field"], m["old"], m["new"], records))
    return lines


def _position(latitude: str, longitude: str) -> str:
    if EMPTY in (latitude, longitude):
        return _("(vide)")
    return _("%(latitude)s ; %(longitude)s", latitude=coordinate(latitude), longitude=coordinate(longitude))


def _counts(text: str) -> list[str]:
    return [COUNTS[kind](int(n)) for n, kind in COUNT.findall(text)]


def _session_fields(said: str, records: dict) -> list[str]:
    """« date : 2025-03-04, theme : Atelier, place : None » (sessions.py), one line per field."""
    pairs = re.split(r", (?=(?:date|theme|theme_en|place|facilitators|cancelled) : )", said)
    lines = []
    for pair in pairs:
        field, _sep, text = pair.partition(" : ")
        if field == "cancelled":  # only ever set: a session is cancelled, never brought back
            lines.append(_("Annulée"))
        elif field != "theme_en":  # the English theme was the template's: not the session's own
            lines.append(_("%(field)s : %(value)s", field=FIELD_LABELS.get(field, field),
                           value=value(field, text, records)))
    return lines


# (action, entity) → [(pattern, its lines from the match and the records named)]
Said = Callable[[re.Match, dict, str], list[str]]
PATTERNS: dict[tuple[str, str], list[tuple[re.Pattern, Said]]] = {
    ("create", "tie"): [
        (re.compile(r"^(?P<a>.+) — (?P<b>.+) \((?P<origin>[a-z_]+), (?P<day>" + DAY + r")\)$"),
         lambda m, r, e: [_("%(first)s — %(second)s, %(origin)s, depuis le %(day)s", first=m["a"], second=m["b"],
                            origin=_lower(ORIGIN_LABELS.get(m["origin"], m["origin"])), day=day(m["day"]))]),
        (re.compile(r"^séance (?P<number>\d+) : (?P<count>\d+) lien\(s\) né\(s\) en séance$"),
         lambda m, r, e: [_("Séance %(n)s", n=m["number"]),
                          ngettext("%(num)d lien né en séance", "%(num)d liens nés en séance", int(m["count"]))]),
    ],
    ("attendance", "session"): [
        (re.compile(r"^séance (?P<number>\d+) : (?P<present>\d+) présent\.es \(\+(?P<added>\d+), −(?P<removed>\d+)\),"
                    r" (?P<parents>\d+) parent\(s\) partenaire\(s\)$"),
         lambda m, r, e: [_("Séance %(n)s", n=m["number"]),
                          _("%(present)s (+%(added)s, −%(removed)s)", added=m["added"], removed=m["removed"],
                            present=ngettext("%(num)d présent.e", "%(num)d présent.es", int(m["present"]))),
                          ngettext("%(num)d parent partenaire", "%(num)d parents partenaires", int(m["parents"]))]),
    ],
    ("update", "session"): [
        (re.compile(r"^séance (?P<number>\d+) : (?P<said>.*)$"),
         lambda m, r, e: [_("Séance %(n)s", n=m["number"]), *_session_fields(m["said"], r)]),
    ],
    ("create", "session"): [
        (re.compile(r"^(?P<count>\d+) séance\(s\) planifiée\(s\)$"),
         lambda m, r, e: [ngettext("%(num)d séance planifiée", "%(num)d séances planifiées", int(m["count"]))]),
    ],
    ("create", "cohort"): [
        (re.compile(r"^(?P<name>.+) : (?P<start>" + DAY + r") – (?P<end>" + DAY + r")$"),
         lambda m, r, e: [_("%(name)s : du %(start)s au %(end)s", name=m["name"], start=day(m["start"]),
                            end=day(m["end"]))]),
    ],
    ("update", "cohort"): [
        (re.compile(r"^(?P<old>.+) → (?P<new>.+) : (?P<start>" + DAY + r") – (?P<end>" + DAY + r")$"),
         lambda m, r, e: [_("%(name)s : du %(start)s au %(end)s", start=day(m["start"]), end=day(m["end"]),
                            name=m["new"] if m["old"] == m["new"] else f"{m['old']} → {m['new']}")]),
    ],
    ("create", "person"): [
        (re.compile(r"^(?P<name>.+) \((?P<organisation>[a-z0-9-]+), (?P<day>" + DAY + r")\)$"),
         lambda m, r, e: [_("%(name)s, à %(organisation)s depuis le %(day)s", name=quoted(m["name"]),
                            organisation=named(m["organisation"], r), day=day(m["day"]))]),
    ],
    ("merge", "person"): [
        (MERGE, lambda m, r, e: [
            _("%(keep)s ← %(gone)s (fiche fusionnée)", keep=m["keep"], gone=m["gone"]),
            _("Rattachés : %(ties)s, %(jobs)s, %(referrals)s",
              ties=ngettext("%(num)d lien", "%(num)d liens", int(m["ties"])),
              jobs=ngettext("%(num)d emploi", "%(num)d emplois", int(m["jobs"])),
              referrals=ngettext("%(num)d référence", "%(num)d références", int(m["referrals"])))]),
    ],
    ("archive", "*"): [
        (re.compile(r"^.+ — archivée? le (?P<day>" + DAY + r")(?: : (?P<counts>.*))?$"),
         lambda m, r, e: [str(ARCHIVED.get(e, ARCHIVED["service"]) % {"day": day(m["day"])}),
                          *_counts(m["counts"] or "")]),
    ],
    ("restore", "*"): [
        (re.compile(r"^.+ — restaurée?(?: : (?P<counts>.*))?$"),
         lambda m, r, e: [str(RESTORED.get(e, RESTORED["service"])), *_counts(m["counts"] or "")]),
    ],
    ("*", "territory"): [
        (re.compile(r"^(?P<name>.+?) : (?P<boroughs>.*)$"),
         lambda m, r, e: [_("%(name)s — arrondissements : %(boroughs)s", name=m["name"],
                            boroughs=m["boroughs"] or _("(vide)"))]),
    ],
    ("*", "*"): [
        (re.compile(r"^(?P<name>.+) \(HSDS\)$"),
         lambda m, r, e: [_("%(name)s (import HSDS)", name=named(m["name"], r))]),
    ],
    ("csv", "*"): [  # a record a CSV import updated: its fields named (imports.py, before « (CSV, ligne n) »)
        (re.compile(r"^(?P<name>.+) — (?P<fields>[a-z_]+(?:, [a-z_]+)*)$"),
         lambda m, r, e: [_("%(name)s — champs mis à jour : %(fields)s", name=named(m["name"], r), fields=", ".join(
             str(FIELD_LABELS.get(f, f)) for f in m["fields"].split(", ")))]),
    ],
}


def _lower(label) -> str:
    """« Lors d'une séance EI » inside a sentence: « lors d'une séance EI »."""
    text = str(label)
    return text[:1].lower() + text[1:]


def said(action: str, entity: str, summary: str, records: dict) -> list[str]:
    """The lines a summary (without the update's field changes and jobs, which journal.py says) reads as."""
    imported = CSV_LINE.match(summary)
    text = imported["rest"] if imported else summary
    lines = None
    keys = [("csv", "*")] if imported else []
    for key in (*keys, (action, entity), (action, "*"), ("*", entity), ("*", "*")):
        for pattern, words in PATTERNS.get(key, []):
            if found := pattern.match(text):
                lines = words(found, records, entity)
                break
        if lines is not None:
            break
    lines = lines or [quoted(named(text, records))]  # a summary no pattern knows: one value, quoted
    if imported:
        where = _("(CSV, ligne %(line)s)", line=imported["line"])
        lines[-1] = f"{lines[-1]} {where}"
    return lines
