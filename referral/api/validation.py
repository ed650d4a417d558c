"""Turning a WTForms form's errors, or a JSON body, into the API's JSON errors.

400 when the request is malformed (a required parameter missing, a number that is not one, a body
that is not a JSON object); 422 when it is well formed but refers to something that does not exist
or is out of range. Either way `fields` names every parameter at fault.

Every JSON body the app parses (`request.get_json`: the API here, Flask-WTF for a form sent as JSON)
goes through `BoundedJSONProvider`: nested deeper than JSON_MAX_DEPTH, it is a 400 like any body that
is not JSON, never a RecursionError.
"""

from __future__ import annotations

import re

from flask import request
from flask.json.provider import DefaultJSONProvider
from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields
from werkzeug.datastructures import MultiDict

from interop.bounded import load_json
from referral.errors import ApiError


class BoundedJSONProvider(DefaultJSONProvider):
    """The app's JSON provider (app.json): parsing refuses documents nested past JSON_MAX_DEPTH with a
    ValueError, which request.get_json turns into a 400 (or None when silent)."""

    def loads(self, s, **kwargs):
        return load_json(s, self._app.config["JSON_MAX_DEPTH"], **kwargs)


def _malformed(field) -> bool:
    if field.process_errors:
        return True
    raw = getattr(field, "raw_data", None)
    return bool(field.flags.required) and (not raw or not str(raw[0]).strip())


def form_error(form) -> ApiError:
    fields = {name: str(errors[0]) for name, errors in form.errors.items() if errors}
    if any(_malformed(getattr(form, name)) for name in fields if hasattr(form, name)):
        return ApiError(400, "bad_request", _("La requête est invalide."), fields)
    return ApiError(422, "invalid_input", _("Certaines données sont invalides."), fields)


def _json_object() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", _("Le corps de la requête doit être un objet JSON."),
                       {"body": _("objet JSON attendu")})
    return body


def json_body(booleans: tuple[str, ...] = ()) -> MultiDict:
    """The JSON object of the request as form data (scalars only), or a 400 naming the faulty key. The keys
    `booleans` hold JSON true or false (or null): a form's box reads the text "true" as ticked too."""
    body = _json_object()
    data = MultiDict()
    for key, value in body.items():
        if isinstance(value, dict | list):
            raise ApiError(400, "bad_request", _("La requête est invalide."),
                           {key: _("une valeur simple est attendue")})
        if key in booleans and not isinstance(value, bool | None):
            raise ApiError(400, "bad_request", _("La requête est invalide."), {key: _("true ou false est attendu")})
        if value is not None:
            data[key] = str(value).lower() if isinstance(value, bool) else str(value)
    return data


# What a key of the wrong type should have been, in the user's language (marshmallow's words are English).
EXPECTED = ((fields.List, _l("une liste est attendue")), (fields.Integer, _l("un nombre entier est attendu")),
            (fields.Date, _l("une date AAAA-MM-JJ est attendue")), (fields.String, _l("un texte est attendu")))


def _expected(schema: Schema, body: dict, key: str) -> str:
    if key not in body:
        return _("obligatoire")
    field = schema.fields.get(key)
    return next((str(text) for kind, text in EXPECTED if isinstance(field, kind)), _("clé inconnue"))


def schema_body(schema: Schema) -> dict:
    """The JSON object of the request as a marshmallow `schema` reads it (types only: the values are the
    service's to judge), or a 400 naming the keys at fault."""
    body = _json_object()
    try:
        return schema.load(body)
    except ValidationError as error:
        raise ApiError(400, "bad_request", _("La requête est invalide."),
                       {key: _expected(schema, body, key) for key in error.normalized_messages()}) from error


# A page number past this is refused: no list of ours is that long, and Neo4j's SKIP takes a 64-bit integer.
MAX_PAGE = 1_000_000
DIGITS = re.compile(r"[0-9]{1,9}")


def whole_number(name: str, default: int, most: int) -> int:
    """The query parameter `name`: a whole number from 1 to `most` in ASCII digits (`default` when absent).
    Else, naming it, a 400 when it is no such number (« deux », « -1 », « 1.5 », « １ ») and a 422 when it
    is out of range — the rule the module's docstring and docs/api.md state."""
    raw = request.args.get(name)
    if raw is None:
        return default
    message = _("Un entier de 1 à %(n)s.", n=format_number(most))
    if not DIGITS.fullmatch(raw):
        raise ApiError(400, "bad_request", _("La requête est invalide."), {name: message})
    if not 1 <= int(raw) <= most:
        raise ApiError(422, "invalid_input", _("Certaines données sont invalides."), {name: message})
    return int(raw)


def page_number() -> int:
    return whole_number("page", 1, MAX_PAGE)


def refused_together(errors: list[ApiError]) -> ApiError:
    """Several parameters' refusals as one answer naming them all: a 400 when any is malformed, else 422."""
    fields = {name: message for error in errors for name, message in error.fields.items()}
    if any(error.status == 400 for error in errors):
        return ApiError(400, "bad_request", _("La requête est invalide."), fields)
    return ApiError(422, "invalid_input", _("Certaines données sont invalides."), fields)
