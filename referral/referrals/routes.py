"""The referral pages: HTTP only, the rules in referral/referrals/service.py (shared with the API).
Everyone who works with families refers; evaluators never see referrals."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from referral import policy
from referral.auth.users import role_required
from referral.errors import show_on_form
from referral.labels import STATUS_LABELS
from referral.referrals import bp, messages
from referral.referrals.forms import StatusForm
from referral.referrals.introduction import introduction, mailto
from referral.referrals.note_detector import warm_up
from referral.referrals.service import BOXES
from referral.referrals.web import referral_form, referrals
from referral.service_errors import INVALID, MISSING, ServiceError


@bp.route("/")
@role_required(*policy.WORKERS)
def inbox():
    service = referrals()
    boxes, stale = service.inbox()
    g.to_handle = len(service.open_ones(boxes["received"]))  # the menu's count, read already
    box = request.args.get("boite")
    if box not in BOXES:  # open where the activity is: received ones to handle, else sent ones under way
        box = "sent" if not service.open_ones(boxes["received"]) and service.open_ones(boxes["sent"]) \
            else "received"
    return render_template("referrals/inbox.html", box=box, referrals=boxes[box], counts={
        name: len(rows) for name, rows in boxes.items()}, stale=stale, stale_ids={
        r["id"] for rows in stale.values() for r in rows})


@bp.route("/nouvelle", methods=["GET", "POST"])
@role_required(*policy.WORKERS)
def new():
    service = referrals()
    receiver_id = request.values.get("to", "")
    contact = service.receiver(receiver_id)
    warm_up()  # the note is checked when the form comes back: have the checker ready by then
    form = referral_form(service, data={"to": receiver_id, "need": request.args.get("need"),
                                        "language": request.args.get("language") or "fr"})
    if form.validate_on_submit():
        try:
            referral, created = service.send(to=form.to.data, need=form.need.data, language=form.language.data,
                                             urgency=form.urgency.data, note=form.note.data,
                                             request_key=form.request_key.data, despite_pause=form.despite_pause.data)
        except ServiceError as error:
            if error.code == "request_key_reused":  # an old copy of the form (the back button): a new one
                form.renew_key()
                flash(str(messages.FORM_USED), "error")
            else:
                show_on_form(form, error, fallback=form.to)
        else:
            flash(_("Référence envoyée à %(name)s.", name=referral["receiver"]["name"]) if created
                  else _("Cette référence était déjà enregistrée : elle n'a pas été envoyée deux fois."), "success")
            return redirect(url_for("referrals.show", referral_id=referral["id"]))
    return render_template("referrals/new.html", form=form, contact=contact, today=service.today)


@bp.route("/<referral_id>")
@role_required(*policy.WORKERS)
def show(referral_id: str):
    return _page(referral_id, StatusForm(formdata=None))


def _page(referral_id: str, form: StatusForm, status: int = 200, draft: str | None = None,
          draft_error: str | None = None):
    """The referral's page; `form` is a refused change coming back with its choices and errors, `draft` a
    refused message with `draft_error`."""
    service = referrals()
    referral = service.referral(referral_id)
    role = service.party(referral)
    message = None
    if role == "sender" and referral["status"] == "sent":  # a personal word, while it waits for an answer
        subject, body = introduction(referral, url_for("referrals.show", referral_id=referral_id, _external=True))
        message = {"subject": subject, "body": body,
                   "mailto": mailto(referral["receiver"].get("email"), subject, body)}
    return render_template("referrals/show.html", referral=referral, role=role, message=message,
                           thread=service.thread(referral),
                           actions=service.next_statuses(referral), stale=service.is_stale(referral),
                           nudge=service.nudge_state(referral), form=form, draft=draft, draft_error=draft_error,
                           told=service.receiver_told(referral) if message else None), status


def _refused_change(referral_id: str, form: StatusForm):
    flash(_("La référence n'a pas été mise à jour : corrigez le formulaire plus bas."), "error")
    return _page(referral_id, form, 422)


@bp.route("/<referral_id>/statut", methods=["POST"])
@role_required(*policy.WORKERS)
def change_status(referral_id: str):
    service = referrals()
    service.changeable(referral_id)
    form = StatusForm()
    if not form.validate():
        if "status" in form.errors:  # no form of the page to show it beside
            for error in form.errors["status"]:
                flash(error, "error")
            return redirect(url_for("referrals.show", referral_id=referral_id))
        return _refused_change(referral_id, form)
    try:
        referral = service.change(referral_id, form.status.data, form.reason.data, form.outcome.data,
                                  form.detail.data)
    except ServiceError as error:
        if error.kind == MISSING:
            abort(404)
        if error.fields.get("detail"):
            form.detail.errors = [error.fields["detail"]]
            return _refused_change(referral_id, form)
        flash(error.message, "error")
        return redirect(url_for("referrals.show", referral_id=referral_id))
    flash(_("Référence mise à jour : %(status)s.", status=STATUS_LABELS[referral["status"]]), "success")
    if referral.get("tie_created"):
        flash(_("Vous êtes maintenant en lien avec %(name)s dans le réseau.", name=referral["sender"]["name"]),
              "success")
    return redirect(url_for("referrals.show", referral_id=referral_id))


@bp.route("/<referral_id>/relancer", methods=["POST"])
@role_required(*policy.WORKERS)
def nudge(referral_id: str):
    """« Relancer »: the other person of a referral left open a week gets a reminder by e-mail now."""
    state = referrals().nudge(referral_id)
    if state == "sent":
        flash(_("Relance envoyée par courriel."), "success")
    elif state == "already":
        flash(_("Votre collègue a déjà reçu un rappel de cette référence aujourd'hui."), "info")
    else:
        flash(_("Votre collègue ne reçoit pas de courriels de Réseau EI : téléphonez-lui plutôt."), "info")
    return redirect(url_for("referrals.show", referral_id=referral_id))


@bp.route("/<referral_id>/messages", methods=["POST"])
@role_required(*policy.WORKERS)
def post_message(referral_id: str):
    """A message to the other worker of the referral, checked like the note."""
    text = request.form.get("text", "")
    try:
        referrals().post(referral_id, text)
    except ServiceError as error:
        if error.kind == MISSING:
            abort(404)
        if error.kind == INVALID:
            flash(_("Le message n'a pas été envoyé : voyez pourquoi sous le champ."), "error")
            return _page(referral_id, StatusForm(formdata=None), 422, draft=text[:1000],
                         draft_error=error.fields.get("text", error.message))
        flash(error.message, "error")
    else:
        flash(_("Message envoyé."), "success")
    return redirect(url_for("referrals.show", referral_id=referral_id) + "#thread-title")
