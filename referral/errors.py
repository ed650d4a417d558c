"""Errors: JSON `{"error": {"code", "message", "fields"}}` under /api/, a translated page elsewhere.

Neo4j being down or restarting is a 503 with a clear message, never a stack trace; the driver
reconnects by itself once Neo4j is back.
"""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, current_app, flash, g, jsonify, make_response, render_template, request
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from neo4j.exceptions import ConnectionAcquisitionTimeoutError, ServiceUnavailable, SessionExpired, TransientError
from werkzeug.exceptions import Forbidden, HTTPException, SecurityError
from werkzeug.exceptions import NotFound as HttpNotFound

from referral.extensions import limiter, login_manager
from referral.service_errors import CONFLICT, FORBIDDEN, INVALID, MISSING, NotFound, Refused, ServiceError

log = logging.getLogger(__name__)

# A service's reason for turning a request down, as HTTP says it.
STATUS = {INVALID: 422, CONFLICT: 409, FORBIDDEN: 403, MISSING: 404}

# Neo4j away, restarting or saturated: each is a 503, never a 500.
DATABASE_DOWN = (ServiceUnavailable, SessionExpired, TransientError, ConnectionAcquisitionTimeoutError)


class ApiError(Exception):
    """An HTTP-level refusal of the web layer (a malformed API request, a read-only token): its status, a
    stable code, a translated message and the fields at fault. Services raise ServiceError instead."""

    def __init__(self, status: int, code: str, message: str, fields: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_response(status: int, code: str, message: str, fields: dict | None = None):
    if wants_json():
        body = jsonify({"error": {"code": code, "message": message, "fields": fields or {}}})
    else:
        try:
            body = render_template("errors/error.html", status=status, message=message, fields=fields or {})
        except DATABASE_DOWN as error:  # the page's header asked who the user is (a 404 with Neo4j down)
            if g.get("database_down"):
                raise
            return database_down(error)
    return make_response(body, status)


def show_on_form(form, error: ServiceError, fallback=None) -> None:
    """A service's refusal on the page's form: each field's words under that field (under `fallback`, else
    flashed, when the form has no such field), and the message flashed unless a field already says it."""
    said = set(error.fields.values())
    for name, text in error.fields.items():
        field = getattr(form, name, None)
        field = fallback if field is None else field
        if field is None:
            flash(text, "error")
        else:
            field.errors.append(text)
    if error.message not in said:
        flash(error.message, "error")


def redraws_when_too_large(view):
    """Mark a page that takes a file: an upload over MAX_CONTENT_LENGTH draws that page again (its access
    checks first), its refusal saying the limit, instead of a bare error page without the form. The body is
    never read: the view asks too_large_upload() before its form and then builds the form empty."""
    view.redraws_when_too_large = True
    return view


def too_large_upload() -> str | None:
    """The limit's message when this request's upload was over it, else None."""
    return g.get("upload_too_large")


def _redraw_too_large(message: str):
    """The marked page drawn again for an upload over the limit; None for any other request (the API's
    JSON included) or if the page itself hit the limit again."""
    view = current_app.view_functions.get(request.endpoint)
    if wants_json() or not getattr(view, "redraws_when_too_large", False) or "upload_too_large" in g:
        return None
    g.upload_too_large = message
    # CSRF's check read the body first and raised before the other before-request hooks: an expired session
    # must still end here, as it would have, so that the page's role check sees who is really signed in.
    from referral.auth.sessions import end_expired_session  # referral.auth imports this module

    end_expired_session()
    try:
        return view(**(request.view_args or {}))
    except Exception as error:  # noqa: BLE001 — the page's own refusals (401, 403, 503) as any request's
        return current_app.handle_user_exception(error)


def database_down(error: Exception):
    """503 without asking Neo4j anything more: the page is drawn for an anonymous visitor unless the
    user was already loaded, and the template globals keep their cached values."""
    log.warning("Neo4j unavailable: %s", error)
    g.database_down = True
    if "_login_user" not in g:  # Flask-Login's per-request user: set, current_user needs no user loader
        g._login_user = login_manager.anonymous_user()
    response = error_response(503, "database_unavailable", _messages()[503])
    response.headers["Retry-After"] = "5"
    return response


def _messages() -> dict[int, str]:
    return {
        400: _("La requête est invalide."),
        401: _("Veuillez vous connecter."),
        403: _("Vous n'avez pas accès à cette page."),
        404: _("Cette page n'existe pas."),
        405: _("Méthode non permise."),
        409: _("Cette donnée existe déjà."),
        413: _("Le fichier dépasse %(size)s Mo, la taille qu'un envoi peut avoir : découpez-le ; des fichiers CSV "
               "se compressent bien en .zip (un paquet HSDS).",
               size=format_decimal(round(current_app.config["MAX_CONTENT_LENGTH"] / 1024 / 1024, 1))),
        422: _("Certaines données sont invalides."),
        503: _("La base de données est momentanément indisponible. Réessayez dans quelques instants."),
    }


def _rate_limited() -> str:
    """How long to wait, as the limit that was hit says it (the same as Retry-After): a reset link limited
    for the hour must not say « une minute »."""
    current = limiter.current_limit
    minutes = max(1, round((current.reset_at - time.time()) / 60)) if current else 1
    if current and "login-account:" in current.key:
        return ngettext("Trop de tentatives pour ce compte : réessayez dans %(num)d minute. Les autres comptes "
                        "peuvent se connecter.", "Trop de tentatives pour ce compte : réessayez dans %(num)d minutes. "
                        "Les autres comptes peuvent se connecter.", minutes)
    if current and request.endpoint == "auth.login":
        # Failures from the whole address: on a shared network, maybe someone else's.
        return ngettext("Trop de tentatives depuis ce réseau (les vôtres ou celles d'autres personnes branchées "
                        "au même réseau) : réessayez dans %(num)d minute.",
                        "Trop de tentatives depuis ce réseau (les vôtres ou celles d'autres personnes branchées "
                        "au même réseau) : réessayez dans %(num)d minutes.", minutes)
    return ngettext("Trop de tentatives : réessayez dans %(num)d minute.",
                    "Trop de tentatives : réessayez dans %(num)d minutes.", minutes)


def init_app(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def handle_api_error(error: ApiError):
        return error_response(error.status, error.code, error.message, error.fields)

    @app.errorhandler(ServiceError)
    def handle_service_error(error: ServiceError):
        return error_response(STATUS[error.kind], error.code, error.message, error.fields)

    @app.errorhandler(Refused)
    def handle_refused(_error: Refused):
        return handle_http(Forbidden())

    @app.errorhandler(NotFound)
    def handle_not_found(_error: NotFound):
        return handle_http(HttpNotFound())

    @app.errorhandler(SecurityError)
    def handle_untrusted_host(_error: SecurityError):
        # A Host outside TRUSTED_HOSTS: no URL can be built for it, so no page; the API's envelope still.
        if wants_json():
            return error_response(400, "untrusted_host", _("La requête est invalide."))
        return Response(_("La requête est invalide."), 400, mimetype="text/plain")

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException):
        message = _messages().get(error.code, error.description)
        if error.code == 400 and getattr(error, "description", "").startswith("The CSRF"):
            message = _("Le formulaire a expiré : rechargez la page et réessayez.")
        if error.code == 429:
            message = _rate_limited()
        if error.code == 413 and (page := _redraw_too_large(message)) is not None:
            return page
        return error_response(error.code, error.name.lower().replace(" ", "_"), message)

    for error_class in DATABASE_DOWN:
        app.register_error_handler(error_class, database_down)

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return handle_http(error)
        log.exception("Unexpected error")
        return error_response(500, "internal_error", _("Une erreur inattendue est survenue."))
