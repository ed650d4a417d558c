"""Directory text that a spreadsheet would run as a formula is refused on the way in: the forms' message and
validator, on interop.cells.formula_like (the CSV and HSDS imports ask the same function)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from interop.cells import formula_like

FORMULA = _l("Une valeur ne peut pas commencer par =, +, - ou @.")


def no_formula(phone: bool = False):
    """The WTForms validator of every free-text directory field."""

    def check(form, field):
        if formula_like(field.data, phone):
            raise ValidationError(FORMULA)

    return check
