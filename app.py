"""Réseau EI: the application factory. `flask --app app run`."""

from __future__ import annotations

import time

from flask import Flask, g
from flask_babel import get_locale

from config import Config


def create_app(config: Config | None = None) -> Flask:
    app = Flask(__name__, template_folder="templates", static_folder="static")
    app.config.from_object(config or Config())

    from referral.api.validation import BoundedJSONProvider
    from referral.bounded_request import BoundedRequest

    app.json = BoundedJSONProvider(app)  # request bodies parsed within JSON_MAX_DEPTH
    app.request_class = BoundedRequest  # chunked bodies within MAX_CONTENT_LENGTH too

    from referral import errors, graphdb, security
    from referral.extensions import babel, csrf, limiter, login_manager, select_locale

    graphdb.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    errors.init_app(app)
    security.init_app(app)

    from referral.notify import dispatch

    dispatch.init_app(app)

    from referral.admin import bp as admin_bp
    from referral.api import bp as api_bp
    from referral.auth import bp as auth_bp
    from referral.directory import bp as directory_bp
    from referral.evaluation import bp as evaluation_bp
    from referral.family import bp as family_bp
    from referral.hsds import bp as hsds_bp
    from referral.main import bp as main_bp
    from referral.network import bp as network_bp
    from referral.notify import bp as notify_bp
    from referral.profile import bp as profile_bp
    from referral.referrals import bp as referrals_bp
    from referral.search import bp as search_bp
    from referral.sessions import bp as sessions_bp
    from referral.territories import bp as territories_bp

    for blueprint in (main_bp, auth_bp, profile_bp, admin_bp, api_bp, search_bp, referrals_bp, network_bp,
                      territories_bp, directory_bp, sessions_bp, evaluation_bp, hsds_bp, notify_bp, family_bp):
        app.register_blueprint(blueprint)
    # The API takes JSON bodies only (no cross-site form can send them) and SameSite session
    # cookies, or a bearer token: CSRF tokens are for the HTML forms.
    csrf.exempt(api_bp)

    from referral import labels, navigation

    labels.register(app)
    navigation.register(app)

    from referral.cli import register_commands

    register_commands(app)
    _register_template_globals(app)
    return app


def _register_template_globals(app: Flask) -> None:
    from flask_babel.speaklater import LazyString

    from graph.loader import is_demo
    from referral.graphdb import driver

    # Flask-Babel's lazy strings claim to be safe HTML (__html__), so a lazy message carrying
    # user input (« Territoire inconnu : <script>… ») would skip autoescaping: make them plain text.
    app.jinja_env.finalize = lambda value: str(value) if isinstance(value, LazyString) else value

    # The "données fictives" notice needs one read; cache it so a page with Neo4j down still renders,
    # and the 503 page (g.database_down) never waits for Neo4j a second time.
    cache = {"at": 0.0, "demo": False}

    @app.context_processor
    def globals_for_templates():
        if time.monotonic() - cache["at"] > 30 and not g.get("database_down"):
            try:
                cache["demo"] = is_demo(driver(), app.config["NEO4J_DATABASE"])
            except Exception:  # noqa: BLE001 — an error page must still render without Neo4j
                pass
            cache["at"] = time.monotonic()
        return {"demo_data": cache["demo"], "current_locale": str(get_locale())}
