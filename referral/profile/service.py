"""One's own profile as a person of the network: reading it, correcting it, erasing it (right to erasure:
the account goes too), and downloading everything held about oneself (« Mes données », right to
portability: MyData). The account's password and API tokens are referral/auth/service.py's.

No Flask, no Cypher: repositories come from `repository(cls)`. An account that is no person has no
profile (NotFound)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable
from datetime import date, datetime

from defusedcsv import csv

from graph.repositories.my_data import MyDataRepository
from graph.repositories.needs import NeedRepository
from graph.repositories.people import PersonRepository
from interop.cells import formula_like
from referral import policy
from referral.service_errors import NotFound


class Profile:
    def __init__(self, principal: policy.Principal, repository: Callable):
        self.principal = principal
        self.repository = repository

    def _me(self) -> str:
        if not self.principal.person:
            raise NotFound
        return self.principal.person

    def person(self) -> dict:
        found = self.repository(PersonRepository).get(self._me())
        if not found:
            raise NotFound(self.principal.person)
        return found

    def needs(self) -> list[dict]:
        """The needs one may have an expertise in."""
        return self.repository(NeedRepository).list()

    def update(self, values: dict, expertise: list[str]) -> None:
        """Contact details, languages, consents and availability; `expertise` replaces the current list.
        EmailTaken (nothing written) when someone else already has the e-mail."""
        self.repository(PersonRepository).update_profile(self._me(), values, expertise=expertise)

    def erase(self) -> None:
        """The person's details and account; an anonymous node keeps their ties for the published counts."""
        self.repository(PersonRepository).erase(self._me())


# The columns of each CSV file of the export, in the order the repository names them; a column the
# repository adds and this list lacks fails the export (DictWriter raises) rather than going missing.
CONSENT_COLUMNS = ("consent", "value", "confirmed_by", "confirmed_at", "journal_by", "journal_at")
REFERRAL_COLUMNS = ("id", "direction", "other_id", "other_name", "need", "need_label", "language", "urgency",
                    "status", "created_at", "updated_at", "note")
COLUMNS = {
    "jobs": ("organisation", "organisation_name", "territory", "since", "until"),
    "sessions": ("session", "number", "theme", "date", "territory"),
    "ties": ("other_id", "other_name", "origin", "since", "level", "confirmed", "declared_by", "declared_at",
             "confirmed_at", "session", "session_number", "session_theme", "referral"),
    "notifications": ("key", "kind", "referral", "status", "reason", "outcome", "state", "created_at", "sent_at"),
    "surveys": ("wave", "title", "opens", "closes", "other_id", "other_name", "knows", "level", "trust", "value",
                "knew_before", "answered_at"),
    "journal": ("at", "by", "action", "entity", "entity_id", "summary"),
}
# Accounts and tokens are read whole (every property but secrets): these first, then any other found.
ACCOUNT_COLUMNS = ("id", "email", "role", "territory", "active", "invited", "session_epoch")
TOKEN_COLUMNS = ("account", "id", "name", "scope", "created", "expires", "last_used")
EVENT_COLUMNS = ("referral", "seq", "status", "at", "by", "by_name", "reason", "outcome", "detail")
MESSAGE_COLUMNS = ("referral", "seq", "at", "text")
# The CSV files of the zip: names a person recognises in French (the JSON's keys are the English ones).
FILES = {"accounts": "compte.csv", "tokens": "jetons-api.csv", "profile": "profil.csv",
         "consents": "consentements.csv", "jobs": "emplois.csv", "sessions": "seances-ei.csv", "ties": "liens.csv",
         "referrals": "references.csv", "events": "references-evenements.csv",
         "messages": "references-messages.csv", "notifications": "courriels.csv", "surveys": "sondages.csv",
         "journal": "journal.csv"}
CONSENTS = ("listed", "research_consent")


class MyData:
    """Everything held about the logged-in account and its person, as JSON or as a zip of CSV files.

    Why a zip of one CSV per section rather than one CSV with a `section` column: the sections have
    different columns (a job has dates and an organisation, a referral a need, a status and a note), so
    one file would be a wide, mostly empty table that nobody reads; one file per section opens in Excel
    with its own headers. A referral's events and messages are files of their own, a row each, named by
    the referral's id; the profile is one `field;value` row per property.

    CSV as French Excel opens it: UTF-8 with a byte-order mark, `;` between cells. No cell can run as a
    formula: a value interop.cells.formula_like finds is written with a leading apostrophe, and the
    writer is defusedcsv's, like every CSV the app writes.

    What comes out, and what does not (other people's notes and answers, secrets), is decided in the
    one read of graph/repositories/my_data.py."""

    def __init__(self, principal: policy.Principal, user_id: str, repository: Callable, now: datetime,
                 today: date):
        self.principal = principal
        self.user_id = user_id
        self.repository = repository
        self.now = now
        self.today = today

    def record(self) -> dict:
        """The sections as the JSON gives them; an account that is no person has its accounts only."""
        held = self.repository(MyDataRepository).record(self.principal.person, self.user_id)
        record = {"exported_at": self.now, "accounts": held["accounts"]}
        if held["person"] is None:
            return record
        return record | {
            "profile": {**held["person"], "expertise": held["expertise"]},
            "consents": _consents(held["person"], held["journal"]),
            **{name: held[name] for name in ("jobs", "sessions", "ties", "referrals", "notifications", "surveys",
                                             "journal")},
        }

    def file_name(self, extension: str) -> str:
        return f"reseau-ei-mes-donnees-{self.today.isoformat()}.{extension}"

    def as_json(self) -> bytes:
        return json.dumps(self.record(), ensure_ascii=False, indent=2, default=_json_value).encode("utf-8")

    def as_zip(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, (columns, rows) in _tables(self.record()).items():
                archive.writestr(FILES[name], _csv(columns, rows))
        return buffer.getvalue()


def _consents(person: dict, journal: list[dict]) -> list[dict]:
    """Each consent's value; who confirmed a listing (an imported contact's); and the latest journal entry
    that set it (the person's creation, or a coordinator's change naming it; one's own profile edits are
    not journaled)."""
    rows = []
    for consent in CONSENTS:
        named = re.compile(rf"\b{consent}\b")
        entry = next((c for c in journal if c["entity"] == "person" and (
            c["action"] == "create" or named.search(c["summary"] or ""))), None)  # journal: newest first
        rows.append({"consent": consent, "value": person.get(consent),
                     "confirmed_by": person.get("listing_confirmed_by_email") if consent == "listed" else None,
                     "confirmed_at": person.get("listing_confirmed_at") if consent == "listed" else None,
                     "journal_by": entry and entry["by"], "journal_at": entry and entry["at"]})
    return rows


def _tables(record: dict) -> dict[str, tuple[Iterable[str], list[dict]]]:
    """The record as CSV tables: name -> (columns, rows)."""
    accounts = [{k: v for k, v in a.items() if k != "tokens"} for a in record["accounts"]]
    tokens = [{"account": a["id"], **t} for a in record["accounts"] for t in a["tokens"]]
    tables = {"accounts": (_columns(ACCOUNT_COLUMNS, accounts), accounts),
              "tokens": (_columns(TOKEN_COLUMNS, tokens), tokens)}
    if "profile" not in record:
        return tables
    profile = {**record["profile"],
               "expertise": [f"{n['id']} ({n['label_fr']})" for n in record["profile"]["expertise"]]}
    referrals = record["referrals"]
    return tables | {
        "profile": (("field", "value"), [{"field": k, "value": v} for k, v in profile.items()]),
        "consents": (CONSENT_COLUMNS, record["consents"]),
        **{name: (COLUMNS[name], record[name]) for name in ("jobs", "sessions", "ties")},
        "referrals": (REFERRAL_COLUMNS, [{k: r[k] for k in REFERRAL_COLUMNS} for r in referrals]),
        "events": (EVENT_COLUMNS, [{"referral": r["id"], **e} for r in referrals for e in r["events"]]),
        "messages": (MESSAGE_COLUMNS, [{"referral": r["id"], **m} for r in referrals for m in r["messages"]]),
        **{name: (COLUMNS[name], record[name]) for name in ("notifications", "surveys", "journal")},
    }


def _columns(first: tuple[str, ...], rows: list[dict]) -> list[str]:
    """`first`, then any other key of the rows (properties read whole, as an account's)."""
    return list(dict.fromkeys([*first, *(key for row in rows for key in row)]))


def _csv(columns: Iterable[str], rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.DictWriter(buffer, fieldnames=list(columns), delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({key: _cell(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue().encode("utf-8")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, date):  # a datetime too
        return value.isoformat()
    if isinstance(value, (int, float)):  # numbers are never formulas
        return str(value)
    if isinstance(value, list):
        text = ", ".join(_cell(v) for v in value)
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False, default=_json_value)
    else:
        text = str(value)
    return "'" + text if formula_like(text) else text


def _json_value(value):
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)
