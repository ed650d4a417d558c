"""The referrals' rules, shared by their pages and the API (referral/api/referrals.py): who sees a referral
(its two parties, and admins), what each party may do next, when it is stale, sending one — its note
checked so that it does not identify the family — and moving it on.

No Flask, no Cypher: repositories come from `repository(cls)`. An account that is no person of the network
has no referrals (NoPerson, a refusal); a referral the principal may not see does not exist (NotFound); a
request the graph refuses raises ServiceError, worded by messages.py."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from datetime import date, datetime, timedelta

from graph.repositories.contacts import ContactRepository
from graph.repositories.needs import NeedRepository
from graph.repositories.referral_messages import ReferralMessageRepository
from graph.repositories.referrals import ReferralRepository
from referral import policy
from referral.notify.service import Notices
from referral.plain_text import without_controls
from referral.referrals import machine, messages
from referral.referrals.machine import (
    OPEN_STATUSES,
    RECEIVER,
    SENDER,
    TRANSITIONS,
    InvalidReferral,
    KeyReused,
    ReceiverPaused,
    ReferralError,
    ReferralNotFound,
    TransitionNotAllowed,
    WrongParty,
    next_statuses,
)
from referral.referrals.note_check import Finding, check_note, describe
from referral.service_errors import CONFLICT, FORBIDDEN, INVALID, MISSING, NotFound, Refused, ServiceError

log = logging.getLogger(__name__)
# A referral nobody acted on for a week is flagged to both parties.
STALE_AFTER = timedelta(days=7)
BOXES = ("received", "sent")
BOX_PAGE_SIZE = 25  # the API's box, one page at a time
MESSAGE_MAX = 1000


class NoPerson(Refused):
    """The account is no person of the network, so it sends and receives no referral."""


def refusal(error: ReferralError) -> ServiceError:
    """A refused referral request as a ServiceError (kind, code, message, fields), in the user's language:
    the API answers it, the pages show its message and fields."""
    if isinstance(error, ReferralNotFound):
        return ServiceError(MISSING, "not_found", str(messages.NOT_FOUND))
    if isinstance(error, WrongParty):
        message = str(messages.SENDER_ONLY if TRANSITIONS[str(error)][1] == SENDER else messages.RECEIVER_ONLY)
        return ServiceError(FORBIDDEN, "not_your_change", message, {"status": message})
    if isinstance(error, KeyReused):  # no field: the page's key is hidden, its message is flashed
        return ServiceError(CONFLICT, "request_key_reused", str(messages.KEY_REUSED))
    if isinstance(error, ReceiverPaused):
        text = messages.paused(error.name, error.until)
        return ServiceError(CONFLICT, "receiver_paused", text, {"despite_pause": text})
    if isinstance(error, TransitionNotAllowed):
        message = messages.transition_not_allowed(error.current, error.target)
        return ServiceError(INVALID, "transition_not_allowed", message, {"status": message})
    if error.field == "to":
        message = str(messages.UNKNOWN_RECEIVER if str(error) == "receiver" else messages.SELF_REFERRAL)
    else:
        message = str(messages.FIELD_ERRORS.get(error.field, messages.INVALID))
    code = "invalid_referral" if isinstance(error, InvalidReferral) else "invalid_input"
    return ServiceError(INVALID, code, message, {error.field or "referral": message})


class Referrals:
    def __init__(self, principal: policy.Principal, repository: Callable, now: datetime, today: date,
                 notified: Callable[[], None] = lambda: None):
        self.principal = principal
        self.repository = repository
        self.now = now  # when a change happens (UTC)
        self.today = today  # the day in Montréal: of a new tie, of whether a receiver works somewhere
        self.notified = notified  # wakes the sender of the outbox (referral/notify/dispatch.py)

    def _tell(self, told: Callable[[Notices], int]) -> None:
        """Write the notifications of a change already committed. A failure here is logged, never the
        change's: the referral stands, and the person sees it in their box."""
        try:
            if told(Notices(self.repository, self.now, self.today)):
                self.notified()
        except Exception:  # noqa: BLE001
            log.exception("notification not written")

    def me(self) -> str:
        """The principal's person; NoPerson when the account is none."""
        if not self.principal.person:
            raise NoPerson
        return self.principal.person

    # --- reading -------------------------------------------------------------------------------------

    def party(self, referral: dict) -> str | None:
        """SENDER or RECEIVER when the principal is one of the referral's two people."""
        me = self.principal.person
        if me and me == referral["sender"]["id"]:
            return SENDER
        if me and me == referral["receiver"]["id"]:
            return RECEIVER
        return None

    def may_see(self, referral: dict) -> bool:
        """Only the two parties, and admins, see a referral (admins follow it for support)."""
        return self.party(referral) is not None or policy.may_open(self.principal, policy.ADMINS)

    def referral(self, referral_id: str) -> dict:
        """To anyone but the two parties and admins, a referral does not exist; its note (and thread) are the
        two parties' only."""
        found = self.repository(ReferralRepository).get(referral_id)
        if not found or not self.may_see(found):
            raise NotFound(referral_id)
        return found if self.party(found) else {**found, "note": None}

    def changeable(self, referral_id: str) -> dict:
        """A referral I may ask to move on: NoPerson when I am none, NotFound when I may not see it."""
        self.me()
        return self.referral(referral_id)

    def next_statuses(self, referral: dict) -> list[str]:
        return next_statuses(referral["status"], self.party(referral))

    def is_stale(self, referral: dict) -> bool:
        return referral["status"] in OPEN_STATUSES and referral["updated_at"] <= self.now - STALE_AFTER

    def box(self, name: str, page: int = 1) -> dict:
        """One page of the referrals I sent or received, most recently changed first: {referrals, total,
        page, pages} (a page past the last is empty)."""
        me = self.me()
        if name not in BOXES:
            message = str(messages.UNKNOWN_BOX)
            raise ServiceError(INVALID, "invalid_input", message, {"box": message})
        found = self.repository(ReferralRepository).box_page(me, name, (page - 1) * BOX_PAGE_SIZE, BOX_PAGE_SIZE)
        return {**found, "page": page, "pages": max(1, math.ceil(found["total"] / BOX_PAGE_SIZE))}

    @staticmethod
    def open_ones(rows: list[dict]) -> list[dict]:
        return [r for r in rows if r["status"] in OPEN_STATUSES]

    def under_way(self) -> dict[str, list[dict]]:
        """The home page's boxes: only the referrals still open, received (« à traiter ») and sent."""
        return self.repository(ReferralRepository).boxes(self.me(), BOXES, OPEN_STATUSES)

    def waiting(self) -> int:
        """Received referrals still open (« à traiter »); 0 for an account that is no person."""
        if not self.principal.person:
            return 0
        return self.repository(ReferralRepository).waiting_for(self.principal.person, OPEN_STATUSES)

    def inbox(self) -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
        """(box → its referrals, box → its stale ones), for both boxes."""
        boxes = self.repository(ReferralRepository).boxes(self.me(), BOXES)
        return boxes, {name: [r for r in rows if self.is_stale(r)] for name, rows in boxes.items()}

    # --- sending -------------------------------------------------------------------------------------

    def needs(self) -> list[dict]:
        return self.repository(NeedRepository).list()

    def receiver(self, person_id: str) -> dict:
        """The contact card of a listed person working somewhere today, other than me, to refer to."""
        me = self.me()
        card = self.repository(ContactRepository).card(person_id, me=me, today=self.today) if person_id else None
        if not card or not card["person"].get("listed") or person_id == me:
            raise NotFound(person_id)
        return card

    def note_findings(self, note: str | None, receiver: str | None) -> list[Finding]:
        """What in the note could identify the family; the receiver's and my names are no family's
        (« Bonjour Souad »)."""
        return check_note(note, [receiver, self.principal.person], self.repository)

    def send(self, *, to: str, need: str, language: str | None, urgency: str, note: str | None,
             request_key: str | None, despite_pause: bool = False) -> tuple[dict, bool]:
        """(the referral, True) when created; (the earlier one, False) when `request_key` was used already.
        The note is the one the form checked (note_findings). A receiver who takes no referrals until a
        date gets one only when the sender says they know (`despite_pause`)."""
        sender = self.me()
        if not policy.may_refer(self.principal):
            raise Refused(sender)  # a coordinator or admin tied to a person receives referrals, never sends
        try:
            referral, created = machine.send(
                self.repository(ReferralRepository), sender=sender, receiver=to, need=need, language=language,
                urgency=urgency, note=(note or "").strip() or None, request_key=request_key or None,
                now=self.now, today=self.today, despite_pause=despite_pause,
            )
        except ReferralError as error:
            raise refusal(error) from error
        if created:
            self._tell(lambda notices: notices.referral_sent(referral))
        return referral, created

    # --- moving on -----------------------------------------------------------------------------------

    def change(self, referral_id: str, status: str, reason: str | None = None, outcome: str | None = None,
               detail: str | None = None) -> dict:
        """The referral after the change; `tie_created` when accepting tied the two people. The words of an
        « autre raison » are checked like the note."""
        detail = without_controls(detail) or None  # one line: a NUL byte or a bell is no part of it
        findings = check_note(detail, [self.me()], self.repository) if detail else []
        if findings:  # one analysis of the words (Presidio and spaCy), not one to ask and one to say
            message = describe(findings)
            raise ServiceError(INVALID, "identifying_detail", message, {"detail": message})
        try:
            referral = machine.change_status(
                self.repository(ReferralRepository), referral_id, actor=self.me(), status=status,
                reason=reason or None, outcome=outcome or None, detail=detail, now=self.now, today=self.today,
            )
        except ReferralError as error:
            raise refusal(error) from error
        self._tell(lambda notices: notices.status_changed(referral))
        return referral

    # --- the thread between the two workers ----------------------------------------------------------

    def thread(self, referral: dict) -> list[dict]:
        """The messages, for the two parties only (like the note)."""
        return self.repository(ReferralMessageRepository).thread(referral["id"]) if self.party(referral) else []

    def post(self, referral_id: str, text: str) -> int:
        """A message to the other worker: checked like the note (nothing that identifies the family); only
        the two parties write. ServiceError (invalid) when it is empty, too long or identifying."""
        referral = self.changeable(referral_id)
        if not self.party(referral):
            raise Refused(referral_id)
        text = without_controls(text, keep="\n")  # a message keeps its lines, never a NUL byte or a bell
        if not text or len(text) > MESSAGE_MAX:
            message = str(messages.MESSAGE_LENGTH)
            raise ServiceError(INVALID, "invalid_input", message, {"text": message})
        findings = check_note(text, [referral["sender"]["id"], referral["receiver"]["id"]], self.repository)
        if findings:
            message = describe(findings)
            raise ServiceError(INVALID, "identifying_message", message, {"text": message})
        seq = self.repository(ReferralMessageRepository).add(referral_id, self.me(), text, self.now)
        self._tell(lambda notices: notices.message_posted(referral, seq, self.me()))
        return seq

    def nudge_state(self, referral: dict) -> str | None:
        """For the sender of a stale referral: "ready" to « relancer » the receiver, "already" (they were
        reminded of it today) or "unreachable" (they receive no e-mail: call them); None otherwise (the
        receiver has nobody to relancer: the next step is theirs)."""
        if self.party(referral) != SENDER or not self.is_stale(referral):
            return None
        return Notices(self.repository, self.now, self.today).nudge_state(referral)

    def receiver_told(self, referral: dict) -> str | None:
        """For the sender: whether the receiver was told by e-mail ("sent", "waiting", "not")."""
        if self.party(referral) != SENDER:
            return None
        return Notices(self.repository, self.now, self.today).receiver_told(referral)

    def nudge(self, referral_id: str) -> str:
        """« Relancer » a referral left open a week: "sent" when the receiver gets a reminder now, else
        "already" or "unreachable" (nudge_state); Refused when I am not its sender or it is not stale."""
        referral = self.changeable(referral_id)
        if self.party(referral) != SENDER or not self.is_stale(referral):
            raise Refused(referral_id)
        state = Notices(self.repository, self.now, self.today).nudge(referral)
        if state == "sent":
            self.notified()
        return state
