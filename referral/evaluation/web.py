"""The evaluation's HTTP side, shared by its pages, the API and the `export` command: one service per
request (the scopes and the timeline are then read once per request), the comparison's options read from a
query string, and the export download — one handler for the page's link and the API's endpoint."""

from __future__ import annotations

from flask import Response, current_app, g, request
from flask_babel import get_locale
from flask_login import current_user

from analysis.timeline import ORIGINS
from graph.timeline_reader import read_timeline
from referral import clock, policy
from referral.auth.users import role_required
from referral.evaluation import messages
from referral.evaluation.forms import QueryForm
from referral.evaluation.service import Evaluation, Query
from referral.graphdb import driver, kept, repo
from referral.service_errors import INVALID, ServiceError


def build(principal: policy.Principal) -> Evaluation:
    database = current_app.config["NEO4J_DATABASE"]
    return Evaluation(principal, repo, lambda details: read_timeline(driver(), None, database, details),
                      current_app.config["SECRET_KEY"], clock.today(), kept)


def evaluation() -> Evaluation:
    """The logged-in user's service for this request."""
    if "evaluation" not in g:
        g.evaluation = build(policy.Principal.of(current_user))
    return g.evaluation


def parse_query(args) -> tuple[Query, QueryForm]:
    """Validate the comparison's options; ServiceError (invalid, with the fields at fault) when they are not: the
    pages, the API and the export command each answer it their way."""
    form = QueryForm(formdata=args)
    if not form.validate():
        raise ServiceError(INVALID, "invalid_query", str(messages.INVALID_QUERY),
                       {name: " ".join(str(e) for e in errors) for name, errors in form.errors.items()})
    origins = tuple(o for o in ORIGINS if o in (form.origin.data or [])) or None
    return Query(form.start.data, form.end.data, origins), form


def query_or_default(args) -> tuple[Query, QueryForm, int]:
    """A page's options; invalid ones are shown with their message and the default view instead (422)."""
    form = QueryForm(formdata=args)
    if not form.validate():
        return Query(), form, 422
    query, form = parse_query(args)
    return query, form, 200


@role_required(*policy.EVALUATION)
def export_download(scope_id: str, fmt: str) -> Response:
    """The export as a file download."""
    service = evaluation()
    scope = service.scope(scope_id)
    query, _form = parse_query(request.args)
    return attachment(*service.export(scope, query, fmt, str(get_locale() or "fr")))


def attachment(content: str | bytes, mimetype: str, name: str) -> Response:
    """A download. Werkzeug adds the charset of a text mimetype itself (it was written twice)."""
    return Response(content, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})
