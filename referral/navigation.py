"""The main navigation, per role. Each area adds its entry when its blueprint is registered."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

ALL = ("intervenant", "coordinator", "evaluator", "admin")

# (endpoint, label, roles that see it), in display order.
NAV_ITEMS = [
    ("search.search", _l("Qui appeler ?"), ("intervenant", "coordinator", "admin")),
    ("referrals.inbox", _l("Mes références"), ("intervenant",)),
    ("network.mine", _l("Mon réseau"), ("intervenant",)),
    ("territories.overview", _l("Territoires"), ALL),
    ("directory.index", _l("Répertoire"), ("coordinator", "admin")),
    ("hsds.upload", _l("Import / export HSDS"), ("coordinator", "admin")),
    ("evaluation.index", _l("Évaluation"), ("evaluator", "coordinator", "admin")),
    ("evaluation.questionnaires", _l("Questionnaires"), ("intervenant",)),
    ("admin.accounts", _l("Comptes"), ("admin",)),
]


def register(app: Flask) -> None:
    @app.context_processor
    def navigation():
        return {"nav_items": [item for item in NAV_ITEMS if item[0] in app.view_functions]}
