"""The family sheet's page: HTTP only, the rules in referral/family/service.py. Only GET: nothing about
the family is asked, and nothing is written."""

from flask import flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from referral import policy
from referral.auth.users import role_required
from referral.family import bp
from referral.family.service import FamilySheets, language_names
from referral.referrals.web import referrals
from referral.search import web
from referral.search.hours import LANGUAGES


@bp.route("/<person_id>")
@role_required(*policy.WORKERS)
def sheet(person_id: str):
    search = web.searching()
    sheets = FamilySheets(search, referrals().referral, sender=current_user.person_name, now=search.now)
    language, referral_id = request.args.get("langue") or None, request.args.get("reference") or None
    need = (request.args.get("besoin") or "")[:100] or None
    # The services a search's words named (no need understood): their hours, not the organisation's.
    services = tuple(filter(None, (request.args.get("service") or "")[:1000].split(",")[:20]))
    if language and language not in LANGUAGES:
        flash(_("Cette fiche n'est pas traduite dans cette langue : elle est affichée en français."), "error")
        language = "fr"
    found = sheets.sheet(person_id, language, referral_id, need, services)
    return render_template("family/sheet.html", sheet=found, languages=language_names(), need=need,
                           services=",".join(services),
                           text=render_template("family/sheet.txt", sheet=found))
