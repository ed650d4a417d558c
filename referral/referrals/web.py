"""The referrals on the Flask side, shared by the pages (routes.py) and the API (referral/api/referrals.py):
the service for the logged-in user and this request, and the referral form it feeds."""

from __future__ import annotations

from flask import current_app
from flask_login import current_user

from referral import clock
from referral.clock import utc_now
from referral.graphdb import repo
from referral.labels import need_label
from referral.policy import Principal
from referral.referrals.forms import ReferralForm
from referral.referrals.service import Referrals


def referrals() -> Referrals:
    return Referrals(Principal.of(current_user), repo, utc_now(), clock.today(),
                     notified=current_app.extensions["notify"].kick)


def referral_form(service: Referrals, **kwargs) -> ReferralForm:
    """The referral form with the needs to choose from and the service's note check."""
    return ReferralForm([(n["id"], need_label(n)) for n in service.needs()], service.note_findings, **kwargs)
