"""Turning a WTForms form's errors, or a JSON body, into the API's JSON errors.

400 when the request is malformed (a required parameter missing, a number that is not one, a body
that is not a JSON object); 422 when it is well formed but refers to something that does not exist
or is out of range. Either way `fields` names every parameter at fault.
"""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from referral.errors import ApiError


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


def json_body() -> MultiDict:
    """The JSON object of the request as form data (scalars only), or a 400 naming the faulty key."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", _("Le corps de la requête doit être un objet JSON."),
                       {"body": _("objet JSON attendu")})
    data = MultiDict()
    for key, value in body.items():
        if isinstance(value, dict | list):
            raise ApiError(400, "bad_request", _("La requête est invalide."),
                           {key: _("une valeur simple est attendue")})
        if value is not None:
            data[key] = str(value).lower() if isinstance(value, bool) else str(value)
    return data
