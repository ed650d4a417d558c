"""Directory text that a spreadsheet would run as a formula is refused on the way in.

The CSV files the app writes go through defusedcsv, which escapes such cells; refusing them on input
as well (directory and profile forms, CSV and HSDS imports) keeps them out of the graph, so no other
reader of the data (a copy-paste, a future export) meets them. A phone may start with « + » when
digits follow (« +1 514 555-0100 »). No Flask here: the HSDS importer uses it too.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
INTERNATIONAL_PHONE = re.compile(r"^\+\d[\d\s().-]*$")
FORMULA = _l("Une valeur ne peut pas commencer par =, +, - ou @.")


def formula_like(value, phone: bool = False) -> bool:
    """True when a spreadsheet could read the text as a formula (spaces before it hide nothing: the
    value may be trimmed on its way)."""
    text = value.lstrip(" ") if isinstance(value, str) else ""
    if not text.startswith(TRIGGERS):
        return False
    return not (phone and INTERNATIONAL_PHONE.match(text))


def no_formula(phone: bool = False):
    """The WTForms validator of every free-text directory field."""

    def check(form, field):
        if formula_like(field.data, phone):
            raise ValidationError(FORMULA)

    return check
