"""The referral API: send, list by box, move on. The same service as the pages (referral/referrals/service.py);
an account that is no person of the network is told so (403 no_person)."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from referral import policy
from referral.api import bp
from referral.api.schemas import OneReferralSchema, ReferralBoxSchema, shared
from referral.api.validation import form_error, json_body, page_number
from referral.auth.users import role_required
from referral.errors import ApiError, error_response
from referral.referrals import messages
from referral.referrals.forms import StatusForm
from referral.referrals.service import NoPerson, Referrals
from referral.referrals.web import referral_form, referrals


def referral_json(referral: dict, service: Referrals) -> dict:
    """What a party sees (the API only ever shows a referral to its parties)."""
    body = {
        "id": referral["id"], "status": referral["status"], "need": referral["need"]["id"],
        "language": referral.get("language"), "urgency": referral.get("urgency"), "note": referral.get("note"),
        "from": {"id": referral["sender"]["id"], "name": referral["sender"].get("name")},
        "to": {"id": referral["receiver"]["id"], "name": referral["receiver"].get("name")},
        "created_at": referral["created_at"].isoformat(), "updated_at": referral["updated_at"].isoformat(),
        "stale": service.is_stale(referral), "next_statuses": service.next_statuses(referral),
    }
    if "history" in referral:
        body["history"] = [{"seq": e["seq"], "status": e["status"], "at": e["at"].isoformat(), "by": e["by"],
                            "reason": e.get("reason"), "detail": e.get("detail"), "outcome": e.get("outcome")}
                           for e in referral["history"]]
    return body


@bp.errorhandler(NoPerson)
def no_person(_error: NoPerson):
    return error_response(403, "no_person", str(messages.NO_PERSON))


@bp.route("/referrals", methods=["POST"])
@role_required(*policy.WORKERS)
def create_referral():
    """Send a referral to a listed person.
    ---
    post:
      summary: Send a referral to a listed person
      description: Send the same `request_key` (or `Idempotency-Key` header) again and the first referral is
        returned with 200 instead of a second one being created; the same key with another referral (another
        receiver, need, language, urgency or note) is refused with 409 `request_key_reused`, nothing sent. A
        receiver who takes no referrals until a later day gets one only with `despite_pause` true, else 409
        `receiver_paused`.
      parameters:
        - {name: Idempotency-Key, in: header, schema: {type: string}}
      requestBody:
        required: true
        content: {application/json: {schema: ReferralForm}}
      responses:
        201: {description: Created, content: {application/json: {schema: OneReferralSchema}}}
        200:
          description: Already created with this request key
          content: {application/json: {schema: OneReferralSchema}}
      errors: [400, 401, 403, 409, 422, 503]
    """
    service = referrals()
    service.me()  # an account that is no person is refused before its body is read
    data = json_body(booleans=("despite_pause",))
    if request.headers.get("Idempotency-Key") and "request_key" not in data:
        data["request_key"] = request.headers["Idempotency-Key"]
    form = referral_form(service, formdata=data, meta={"csrf": False})
    if not form.validate():
        error = form_error(form)
        if form.note_findings:  # `fields.note` says what was found, for the worker to rephrase
            raise ApiError(422, "identifying_note", _("La note semble identifier la famille."), error.fields)
        raise error
    referral, created = service.send(to=form.to.data, need=form.need.data, language=form.language.data,
                                     urgency=form.urgency.data, note=form.note.data,
                                     request_key=form.request_key.data, despite_pause=form.despite_pause.data)
    answer = shared(OneReferralSchema).dump({"referral": referral_json(referral, service)})
    return jsonify(answer), 201 if created else 200


@bp.route("/referrals")
@role_required(*policy.WORKERS)
def list_referrals():
    """The referrals I sent or received, a page at a time.
    ---
    get:
      summary: The referrals I sent or received, most recently changed first, 25 a page
      parameters:
        - {name: box, in: query, schema: {type: string, enum: [sent, received], default: received}}
        - {name: page, in: query, schema: {type: integer, minimum: 1, maximum: 1000000, default: 1}}
      responses:
        200: {description: Referrals, content: {application/json: {schema: ReferralBoxSchema}}}
      errors: [400, 401, 403, 422, 503]
    """
    service = referrals()
    box = request.args.get("box", "received")
    found = service.box(box, page_number())
    return jsonify(shared(ReferralBoxSchema).dump({**found, "box": box, "referrals": [referral_json(r, service)
                                                                                      for r in found["referrals"]]}))


@bp.route("/referrals/<referral_id>/status", methods=["POST"])
@role_required(*policy.WORKERS)
def change_referral_status(referral_id: str):
    """Move a referral on.
    ---
    post:
      summary: Move a referral on
      description: sent → accepted | declined (receiver, with a reason; `detail` says which when it is
        `other`); accepted → in_progress → completed, or accepted → completed (receiver, with an outcome);
        sent | accepted | in_progress → cancelled (sender). Any other change is refused with 422 (403 when
        it belongs to the other party).
      parameters:
        - {name: referral_id, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content: {application/json: {schema: StatusForm}}
      responses:
        200:
          description: The referral after the change
          content: {application/json: {schema: OneReferralSchema}}
      errors: [400, 401, 403, 404, 422, 503]
    """
    service = referrals()
    service.me()  # an account that is no person is refused before its body is read
    form = StatusForm(formdata=MultiDict(json_body()), meta={"csrf": False})
    if not form.validate():
        raise form_error(form)
    referral = service.change(referral_id, form.status.data, form.reason.data, form.outcome.data,
                              form.detail.data)
    return jsonify(shared(OneReferralSchema).dump({"referral": referral_json(referral, service),
                                                   "tie_created": referral["tie_created"]}))
