from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from graph.repositories.contacts import ContactRepository
from graph.repositories.referrals import ReferralError, ReferralRepository
from referral import policy
from referral.auth.users import role_required
from referral.clock import local_now, utc_now
from referral.graphdb import repo
from referral.labels import STATUS_LABELS
from referral.referrals import bp
from referral.referrals.actions import actions_for, can_see, change, is_stale, party, refusal, send
from referral.referrals.forms import ReferralForm, StatusForm
from referral.referrals.message import introduction, mailto

# Everyone who works with families refers; evaluators never see referrals.
BOXES = ("received", "sent")



def _own_person() -> str:
    if not current_user.person_id:
        abort(403)
    return current_user.person_id


def _visible_referral(referral_id: str) -> dict:
    referral = repo(ReferralRepository).get(referral_id)
    # To anyone but the two parties and admins, a referral does not exist.
    if not referral or not can_see(referral, current_user):
        abort(404)
    return referral


@bp.route("/")
@role_required(*policy.WORKERS)
def inbox():
    me = _own_person()
    box = request.args.get("boite", "received")
    if box not in BOXES:
        box = "received"
    now = utc_now()
    boxes = {name: repo(ReferralRepository).box(me, name) for name in BOXES}
    stale = {name: [r for r in rows if is_stale(r, now)] for name, rows in boxes.items()}
    return render_template("referrals/inbox.html", box=box, referrals=boxes[box], counts={
        name: len(rows) for name, rows in boxes.items()}, stale=stale, stale_ids={
        r["id"] for rows in stale.values() for r in rows})


@bp.route("/nouvelle", methods=["GET", "POST"])
@role_required(*policy.WORKERS)
def new():
    me = _own_person()
    receiver_id = request.values.get("to", "")
    contact = repo(ContactRepository).card(receiver_id, me=me, today=local_now().date()) if receiver_id else None
    if not contact or not contact["person"].get("listed") or receiver_id == me:
        abort(404)
    form = ReferralForm(data={"to": receiver_id, "need": request.args.get("need"),
                              "language": request.args.get("language") or "fr"})
    if form.validate_on_submit():
        try:
            referral, created = send(current_user, to=form.to.data, need=form.need.data, language=form.language.data,
                                     urgency=form.urgency.data, note=form.note.data,
                                     request_key=form.request_key.data)
        except ReferralError as error:
            _status, _code, message, fields = refusal(error)
            for name, text in fields.items():
                getattr(form, name, form.to).errors.append(text)
            flash(message, "error")
        else:
            flash(_("Référence envoyée à %(name)s.", name=referral["receiver"]["name"]) if created
                  else _("Cette référence était déjà enregistrée : elle n'a pas été envoyée deux fois."), "success")
            return redirect(url_for("referrals.show", referral_id=referral["id"]))
    return render_template("referrals/new.html", form=form, contact=contact, today=local_now().date())


@bp.route("/<referral_id>")
@role_required(*policy.WORKERS)
def show(referral_id: str):
    referral = _visible_referral(referral_id)
    role = party(referral, current_user)
    message = None
    if role == "sender":
        subject, body = introduction(referral, url_for("referrals.show", referral_id=referral_id, _external=True))
        message = {"subject": subject, "body": body,
                   "mailto": mailto(referral["receiver"].get("email"), subject, body)}
    return render_template("referrals/show.html", referral=referral, role=role, message=message,
                           actions=actions_for(referral, current_user), stale=is_stale(referral),
                           form=StatusForm(formdata=None))


@bp.route("/<referral_id>/statut", methods=["POST"])
@role_required(*policy.WORKERS)
def change_status(referral_id: str):
    _own_person()
    _visible_referral(referral_id)
    form = StatusForm()
    if not form.validate():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(url_for("referrals.show", referral_id=referral_id))
    try:
        referral = change(current_user, referral_id, form.status.data, form.reason.data, form.outcome.data)
    except ReferralError as error:
        status, _code, message, _fields = refusal(error)
        if status == 404:
            abort(404)
        flash(message, "error")
        return redirect(url_for("referrals.show", referral_id=referral_id))
    flash(_("Référence mise à jour : %(status)s.", status=STATUS_LABELS[referral["status"]]), "success")
    if referral.get("tie_created"):
        flash(_("Vous êtes maintenant lié.es à %(name)s dans le réseau.", name=referral["sender"]["name"]), "success")
    return redirect(url_for("referrals.show", referral_id=referral_id))
