"""Running a survey wave, for whoever may open one for its group (policy.may_survey: evaluators, admins, the
coordinators of its territories): its roster until it opens, its title and closing day, invitations and
reminders, the follow-up of answers per member, and its answers exported under the evaluation's pseudonyms.

No Flask, no Cypher. Members are named only to those the policy lets read them; everyone else, evaluators
first, reads the pseudonyms of the evaluation's exports (one person, one pseudonym, in every file)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from analysis import export_formats
from graph.driver import MONTREAL_ZONE
from graph.repositories.wave_admin import WaveAdministration
from graph.repositories.waves import WaveError
from referral import policy
from referral.evaluation import messages
from referral.evaluation.service import Evaluation
from referral.service_errors import CONFLICT, INVALID, MISSING, Refused, ServiceError

EXPORT_COLUMNS = ["rater", "rated", "knows", "level", "trust", "value", "knew_before", "answered_on"]
EXPORTS = {"csv": "text/csv", "xlsx": export_formats.FORMATS["xlsx"]}
UPCOMING, OPEN, CLOSED = "upcoming", "open", "closed"
# A refusal of the repository, as the page says it: (kind, message) by its code (`invalid`: by what was refused).
REFUSALS = {
    "unknown": (MISSING, messages.UNKNOWN_WAVE), "opened": (CONFLICT, messages.ROSTER_FROZEN),
    "closed": (CONFLICT, messages.DATES_FROZEN), "roster": (INVALID, messages.ROSTER_MINIMUM),
    "closes": (INVALID, messages.BAD_CLOSING),
}


def status(wave: dict, today: date) -> str:
    if today < wave["opens"]:
        return UPCOMING
    return OPEN if today <= wave["closes"] else CLOSED


def _refused(error: WaveError, about_person=messages.NOT_A_CANDIDATE) -> ServiceError:
    key = str(error) if error.code == "invalid" else error.code
    kind, message = REFUSALS.get(key, (INVALID, about_person))
    return ServiceError(kind, f"wave_{key}", str(message))


class WaveAdmin:
    def __init__(self, evaluation: Evaluation):
        self.evaluation = evaluation
        self.principal = evaluation.principal
        self.today = evaluation.today
        self.repository = evaluation.repository(WaveAdministration)

    def may_manage(self, wave: dict) -> bool:
        return policy.may_survey(self.principal, wave["territories"])

    def managed(self, wave_id: str) -> dict:
        """The wave, when the principal may manage it (else Refused; unknown: ServiceError missing)."""
        wave = self.evaluation.wave(wave_id)
        if not self.may_manage(wave):
            raise Refused(wave_id)
        return wave

    def _label(self, person: dict) -> str:
        """The name, or else the pseudonym — never both side by side: that would be a key to the exports."""
        if policy.may_read_person(self.principal, person["territories"], person["listed"], person["id"]):
            return person["name"]
        return self.evaluation.pseudonyms.person(person["id"])

    def _handle(self, person: dict) -> str:
        """What a page names a person by in its forms and links: their id beside their name, their pseudonym
        where only that is shown (found by the outside pass of issue 19: an id beside a pseudonym is a key
        from the exports to the directory)."""
        if policy.may_read_person(self.principal, person["territories"], person["listed"], person["id"]):
            return person["id"]
        return self.evaluation.pseudonyms.person(person["id"])

    def _person_of(self, people: list[dict], handle: str) -> str | None:
        return next((p["id"] for p in people if self._handle(p) == handle), None)

    def members(self, wave: dict) -> list[dict]:
        """The follow-up table: per member, their label, when invited and reminded, answers given of those due,
        and whether they are complete (an answer about every other member, none waiting for its level)."""
        found = self.repository.members(wave["id"])
        due = len(found) - 1
        return [{
            "id": self._handle(m), "label": self._label(m),
            "reachable": m["reachable"], "invited_at": m["invited_at"], "reminded_at": m["reminded_at"],
            "answered": m["answered"], "due": due, "to_complete": m["to_complete"],
            "complete": _complete(m, due),
        } for m in sorted(found, key=lambda m: self._label(m).casefold())]

    def candidates(self, wave: dict) -> list[tuple[str, str]]:
        """(id, label) of who may still join the roster."""
        return sorted(((self._handle(p), self._label(p)) for p in self.repository.candidates(wave["id"])),
                      key=lambda choice: choice[1].casefold())

    def add_member(self, wave_id: str, handle: str) -> None:
        self.managed(wave_id)
        person_id = self._person_of(self.repository.candidates(wave_id), handle) or ""  # refused below
        try:
            self.repository.add_member(wave_id, person_id, self.today)
        except WaveError as error:
            raise _refused(error) from error

    def remove_member(self, wave_id: str, handle: str) -> None:
        self.managed(wave_id)
        person_id = self._person_of(self.repository.members(wave_id), handle) or ""
        try:
            self.repository.remove_member(wave_id, person_id, self.today)
        except WaveError as error:
            raise _refused(error, messages.NOT_A_MEMBER) from error

    def change(self, wave_id: str, title: str, closes: date | None) -> dict:
        self.managed(wave_id)
        try:
            self.repository.change(wave_id, title.strip(), closes, self.today)
        except WaveError as error:
            raise _refused(error) from error
        return self.evaluation.wave(wave_id)

    def close_now(self, wave_id: str) -> dict:
        """Close an open wave: its last day becomes yesterday (today, for a wave that opened today), so nobody
        answers any more and its figures are final; the answers already saved all count."""
        wave = self.managed(wave_id)
        if status(wave, self.today) != OPEN:
            raise ServiceError(CONFLICT, "wave_not_open", str(
                messages.DATES_FROZEN if status(wave, self.today) == CLOSED else messages.NO_REMINDER_YET))
        return self.change(wave_id, wave["title"], max(wave["opens"], self.today - timedelta(days=1)))

    def _send_to(self, wave: dict, field: str, person_ids: list[str] | None, now: datetime) -> list[dict]:
        # In UTC, as stamps are stored (the driver is not given a zoneinfo time: it crashed packing one).
        start = datetime.combine(self.today, datetime.min.time(), ZoneInfo(MONTREAL_ZONE)).astimezone(UTC)
        claimed = self.repository.mark(wave["id"], field, person_ids, now, start)
        return self.repository.recipients(claimed) if claimed else []

    def invite(self, wave_id: str, now: datetime) -> tuple[dict, list[dict]]:
        """(wave, recipients): the members with an account not invited yet, now stamped as invited."""
        wave = self.managed(wave_id)
        if status(wave, self.today) == CLOSED:
            raise ServiceError(CONFLICT, "wave_closed", str(messages.NO_MAIL_CLOSED))
        return wave, self._send_to(wave, "invited_at", None, now)

    def remind(self, wave_id: str, now: datetime) -> tuple[dict, list[dict]]:
        """(wave, recipients): the incomplete members with an account not reminded today, now stamped."""
        wave = self.managed(wave_id)
        state = status(wave, self.today)
        if state != OPEN:
            raise ServiceError(CONFLICT, f"wave_{state}", str(
                messages.NO_MAIL_CLOSED if state == CLOSED else messages.NO_REMINDER_YET))
        found = self.repository.members(wave["id"])
        incomplete = [m["id"] for m in found if not _complete(m, len(found) - 1)]
        return wave, self._send_to(wave, "reminded_at", incomplete, now) if incomplete else []

    def export(self, wave_id: str, fmt: str, language: str = "fr") -> tuple[str | bytes, str, str]:
        """(content, mimetype, file name): one row per answer, both people as their evaluation pseudonyms."""
        if fmt not in EXPORTS:
            raise ServiceError(MISSING, "unknown_format", str(messages.UNKNOWN_FORMAT))
        wave = self.managed(wave_id)
        key = self.evaluation.pseudonyms
        zone = ZoneInfo(MONTREAL_ZONE)
        rows = [{
            "rater": key.person(a["a"]), "rated": key.person(a["b"]), "knows": a["knows"], "level": a["level"],
            "trust": a["trust"], "value": a["value"], "knew_before": a["knew_before"],
            "answered_on": a["at"].astimezone(zone).date().isoformat() if a["at"] else None,
        } for a in self.repository.answers(wave_id)]
        table = (EXPORT_COLUMNS, sorted(rows, key=lambda r: (r["rater"], r["rated"])))
        if fmt == "csv":
            content: str | bytes = export_formats.to_csv(table, language)
        else:
            content = export_formats.workbook({"reponses" if language == "fr" else "answers": table})
        return content, EXPORTS[fmt], f"reseau-ei-{wave['id']}-reponses.{fmt}"


def _complete(member: dict, due: int) -> bool:
    """An answer about every other member, none waiting for its level."""
    return member["answered"] >= due and not member["to_complete"]
