"""The main navigation: the areas the policy opens to the logged-in user. Each area adds its entry when its
blueprint is registered."""

from __future__ import annotations

from flask import Flask, g
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from referral import policy

# (endpoint, label, roles the policy opens it to), in display order.
NAV_ITEMS = [
    ("search.search", _l("Qui appeler ?"), policy.WORKERS),
    ("referrals.inbox", _l("Mes références"), policy.PEOPLE),
    ("network.mine", _l("Mon réseau"), policy.PEOPLE),
    ("territories.overview", _l("Territoires"), policy.EVERYONE),
    ("directory.index", _l("Répertoire"), policy.MAINTAINERS),
    ("sessions.index", _l("Séances"), policy.MAINTAINERS),
    ("hsds.upload", _l("Import / export HSDS"), policy.MAINTAINERS),
    ("evaluation.index", _l("Évaluation"), policy.EVALUATION),
    ("evaluation.questionnaires", _l("Questionnaires"), policy.PEOPLE),
    ("admin.accounts", _l("Comptes"), policy.ADMINS),
    ("admin.mail", _l("Courriels"), policy.ADMINS),
]


def register(app: Flask) -> None:
    @app.context_processor
    def navigation():
        if not current_user.is_authenticated:
            return {"nav_items": []}
        principal = policy.Principal.of(current_user)
        return {"nav_items": [(endpoint, label) for endpoint, label, roles in NAV_ITEMS
                              if endpoint in app.view_functions and policy.may_open(principal, roles)],
                "nav_to_handle": _to_handle(principal)}


def _to_handle(principal: policy.Principal) -> int:
    """Received referrals still open, shown in the menu: counted by the page when it read them already
    (`g.to_handle`: the home page, the inbox), else with the session's account, else asked; nothing when
    Neo4j is down (the 503 page renders)."""
    if not principal.person or g.get("database_down"):
        return 0
    if "to_handle" in g:
        return g.to_handle
    if current_user.to_handle is not None:
        return current_user.to_handle
    from referral.referrals.web import referrals  # the referral area is a blueprint of its own

    try:
        return referrals().waiting()
    except Exception:  # noqa: BLE001 — a page never fails for its menu's count
        return 0
