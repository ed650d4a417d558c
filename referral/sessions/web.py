"""The sessions on the Flask side, shared by the pages (routes.py) and the API (referral/api/sessions.py,
cohorts.py): the services for the logged-in user."""

from __future__ import annotations

from flask_login import current_user

from referral import clock, policy
from referral.graphdb import repo
from referral.sessions.cohorts import Cohorts
from referral.sessions.service import Sessions


def sessions() -> Sessions:
    return Sessions(policy.Principal.of(current_user), repo, today=clock.today(), user=current_user.id)


def cohorts() -> Cohorts:
    return Cohorts(policy.Principal.of(current_user), repo, user=current_user.id)
