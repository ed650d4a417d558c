"""Per-request wiring of the HSDS area, shared by its pages and the API: the service for the user logged in."""

from flask_login import current_user

from referral.graphdb import repo
from referral.hsds.service import HsdsExchange
from referral.policy import Principal


def current_exchange() -> HsdsExchange:
    return HsdsExchange(Principal.of(current_user), repo, current_user.email)
