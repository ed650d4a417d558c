"""How HSDS words become ours and back: taxonomy terms -> needs, sector and kind, languages,
opening hours, addresses, and the HSDS 2.0 names still found in older packages."""

from __future__ import annotations

import re

from interop.cells import web_url
from interop.folding import fold
from interop.hsds.errors import Problem

# --- HSDS 2.0 tolerance: file -> (3.0 resource, columns renamed, values implied by the file) ---------

FILE_ALIASES = {
    "physical_address.csv": ("address", {}, {"address_type": "physical"}),
    "postal_address.csv": ("address", {}, {"address_type": "postal"}),
    "regular_schedule.csv": ("schedule", {"weekday": "byday"}, {"freq": "WEEKLY"}),
    "service_area.csv": ("service_area", {"service_area": "name"}, {}),
    "services_at_location.csv": ("service_at_location", {}, {}),
    "taxonomy.csv": ("taxonomy_term", {"vocabulary": "taxonomy"}, {}),
    "service_taxonomy.csv": (
        "attribute", {"service_id": "link_id", "taxonomy_id": "taxonomy_term_id", "taxonomy_detail": "value"},
        {"link_entity": "service"},
    ),
    "eligibility.csv": ("eligibility", {}, {}),
}
# HSDS 1.x named some of these files in the plural (Open211 Miami's package, for one).
FILE_ALIASES |= {"physical_addresses.csv": FILE_ALIASES["physical_address.csv"],
                 "postal_addresses.csv": FILE_ALIASES["postal_address.csv"],
                 "regular_schedules.csv": FILE_ALIASES["regular_schedule.csv"],
                 "services_taxonomy.csv": FILE_ALIASES["service_taxonomy.csv"]}
# Tables of HSDS 1.x and 2.0 the directory has no use for (file name -> table): noted « ignorée », as 3.0's.
LEGACY_TABLES = {f"{name}.csv": name for name in (
    "accessibility_for_disabilities", "holiday_schedule", "holiday_schedules", "payment_accepted",
    "payments_accepted", "mail_address", "mail_addresses", "service_attribute", "service_attributes",
    "other_attribute", "other_attributes", "program", "funding", "required_document", "interpretation_services")}
# Columns 3.0 requires that a 2.0 file lacks, filled from another column of the same row.
COPIED_COLUMNS = {"taxonomy.csv": {"description": "name"}}
# Columns renamed between 2.0 and 3.0 in files that kept their name.
COLUMN_ALIASES = {
    "organization": {"url": "website"},
    "language": {"language": "name"},
    "service_area": {"service_area": "name"},
    "taxonomy_term": {"vocabulary": "taxonomy"},
    "schedule": {"weekday": "byday"},
}
# Values a file before 3.0 may omit that 3.0 requires, when their meaning is unambiguous (legacy.py fills them).
IMPLIED_DEFAULTS = {"location": {"location_type": "physical"}, "service": {"status": "active"}}
# Fields our pages show as links: http(s) only, whatever the schema's "uri" format lets through
# (`javascript:…` is a valid URI). Checked by link_problems() below.
LINK_FIELDS = {"organization": ("website",)}

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = {
    **{d.lower(): d for d in DAYS},
    **dict(zip(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"), DAYS, strict=True)),
    **dict(zip(("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"), DAYS, strict=True)),
    **dict(zip(("lun", "mar", "mer", "jeu", "ven", "sam", "dim"), DAYS, strict=True)),
    **{str(i): d for i, d in enumerate(DAYS, 1)},  # ISO 8601: 1 is Monday
}


def weekday_code(value) -> str | None:
    """'Monday', 'lundi', 'MO' or 1 -> 'MO' (HSDS 2.0 regular_schedule.weekday)."""
    if value is None:
        return None
    return DAY_NAMES.get(str(value).strip().lower().removesuffix(".0"))


# --- Links ---------------------------------------------------------------------------------------


def link_problems(package) -> list[Problem]:
    """A `format` problem for each link that is not http(s); the others normalised in place
    (« www.exemple.org » becomes « https://www.exemple.org »)."""
    problems = []
    for table, fields in LINK_FIELDS.items():
        for row in package.rows(table):
            for name in fields:
                if row.values.get(name) is None:
                    continue
                try:
                    row.values[name] = web_url(str(row.values[name]))
                except ValueError:
                    problems.append(Problem(row.file, row.row, name, "format", str(row.values[name])[:60]))
    return problems


# --- Text ----------------------------------------------------------------------------------------


# --- Languages -----------------------------------------------------------------------------------

# ISO 639-2/3 codes (HSDS allows them) -> the 639-1 codes we store, for the languages of the territories.
ISO_639_3 = {
    "fra": "fr", "fre": "fr", "eng": "en", "ara": "ar", "spa": "es", "hat": "ht", "vie": "vi", "fas": "fa",
    "per": "fa", "zho": "zh", "chi": "zh", "pan": "pa", "hin": "hi", "tam": "ta", "ron": "ro", "rum": "ro",
    "que": "qu", "por": "pt", "rus": "ru", "urd": "ur", "ben": "bn", "tgl": "tl", "lin": "ln",
}


def language_code(code: str | None, name: str | None = None, names: dict | None = None) -> str | None:
    """A language row's code, or its name looked up in `names` (code -> label), as we store it."""
    if code and code.strip():
        value = code.strip().lower().replace("_", "-").split("-")[0]
        return ISO_639_3.get(value, value)
    wanted = fold(name)
    for known, label in (names or {}).items():
        if wanted and fold(str(label)) == wanted:
            return known
    return None


# --- Opening hours: our free text <-> an HSDS schedule ------------------------------------------------

_HOURS = re.compile(
    r"^\s*(?P<days>[a-zé,\s-]+?)\s+(?P<opens>\d{1,2})[:h](?P<om>\d{2})\s*-\s*(?P<closes>\d{1,2})[:h](?P<cm>\d{2})\s*$"
)


def _days(spec: str) -> list[str] | None:
    days = []
    for part in spec.split(","):
        bounds = [weekday_code(b) for b in part.strip().split("-")]
        if not bounds or None in bounds or len(bounds) > 2:
            return None
        first, last = DAYS.index(bounds[0]), DAYS.index(bounds[-1])
        if last < first:
            return None
        days += DAYS[first:last + 1]
    return days


def schedule_from_hours(hours: str | None) -> dict | None:
    """'lun-ven 09:00-17:00' -> weekly schedule fields; the text is always kept as description."""
    if not hours:
        return None
    schedule = {"description": hours}
    match = _HOURS.match(hours.lower())
    days = _days(match["days"]) if match else None
    if days:
        schedule.update(
            freq="WEEKLY", byday=",".join(days),
            opens_at=f"{int(match['opens']):02d}:{match['om']}:00",
            closes_at=f"{int(match['closes']):02d}:{match['cm']}:00",
        )
    return schedule


def hours_from_schedules(schedules: list[dict]) -> str | None:
    """Our one line of hours: the schedules' descriptions, else their days and times."""
    lines = []
    for schedule in schedules:
        if schedule.get("description"):
            lines.append(str(schedule["description"]).strip())
        elif schedule.get("opens_at") and schedule.get("closes_at"):
            days = schedule.get("byday") or ""
            lines.append(f"{days} {str(schedule['opens_at'])[:5]}-{str(schedule['closes_at'])[:5]}".strip())
    return "; ".join(dict.fromkeys(line for line in lines if line)) or None


# --- Addresses ----------------------------------------------------------------------------------------

_ADDRESS = re.compile(r"^(?P<street>.+?),\s*(?P<city>[^,()]+?)\s*\((?P<province>[^()]+)\)\s*$")
QUEBEC = ("qc", "quebec", "québec", "que")


def split_address(address: str | None) -> tuple[str, str]:
    """'1234, rue Fleury, Montréal (Québec)' -> ('1234, rue Fleury', 'Montréal')."""
    match = _ADDRESS.match(address or "")
    if match and match["province"].strip().lower() in QUEBEC:
        return match["street"].strip(), match["city"].strip()
    return (address or "").strip(), "Montréal"


def join_address(row: dict) -> str | None:
    """An HSDS address row -> our one-line address, written the way our forms write it."""
    street = ", ".join(str(row[k]).strip() for k in ("address_1", "address_2") if row.get(k))
    if not street:
        return None
    province = str(row.get("state_province") or "").strip()
    province = "Québec" if province.lower() in QUEBEC else province
    city = str(row.get("city") or "").strip()
    if city and province:
        return f"{street}, {city} ({province})"
    return ", ".join(part for part in (street, city) if part)


# --- Sector and kind of an organisation ------------------------------------------------------------------

SECTORS = ("family", "newcomers", "community_other", "institutional")
KINDS = ("community", "ciusss", "library", "school_service_centre")
DEFAULT_SECTOR, DEFAULT_KIND = "community_other", "community"
# Names that say what an institution is, in French or English: (words, sector, kind).
INSTITUTION_WORDS = (
    (("ciusss", "clsc", "cisss"), "institutional", "ciusss"),
    (("bibliotheque", "library"), "institutional", "library"),
    (("centre de services scolaire", "school service centre", "commission scolaire"),
     "institutional", "school_service_centre"),
)


def sector_and_kind(name: str, default_sector: str = DEFAULT_SECTOR, default_kind: str = DEFAULT_KIND):
    """A guess from the name for institutions; otherwise the defaults chosen for the import."""
    folded = fold(name)
    for words, sector, kind in INSTITUTION_WORDS:
        if any(word in folded for word in words):
            return sector, kind
    return default_sector, default_kind


# --- Taxonomy terms -> our needs -----------------------------------------------------------------------


def term_key(taxonomy: str | None, code_or_name: str | None) -> str:
    """The key of a row of the mapping table: taxonomy (may be empty: any) and code or name, folded."""
    return f"{fold(taxonomy)}|{fold(code_or_name)}"


def map_term(term: dict, taxonomy: str | None, mappings: dict[str, str], needs: list[dict]) -> str | None:
    """The need a taxonomy term stands for: the coordinators' table first (this taxonomy, then any),
    by code then by name; then a term whose code is a need id or whose name is a need's label."""
    need_ids = {n["id"] for n in needs}
    for key in (term_key(taxonomy, term.get("code")), term_key(taxonomy, term.get("name")),
                term_key("", term.get("code")), term_key("", term.get("name"))):
        if not key.endswith("|") and mappings.get(key) in need_ids:
            return mappings[key]
    code = (term.get("code") or "").strip()
    if code in need_ids:
        return code
    name = fold(term.get("name"))
    for need in needs:
        if name and name in (fold(need.get("label_fr")), fold(need.get("label_en"))):
            return need["id"]
    return None


# --- Nested JSON ---------------------------------------------------------------------------------


def json_kind(item: dict) -> str:
    if "status" in item or "service_at_locations" in item:
        return "service"
    if "location_type" in item:
        return "location"
    if "location" in item and isinstance(item["location"], dict):
        return "service_at_location"
    return "organization"
