"""How a person's contact details are checked, by the forms and the CSV import alike (no WTForms here: the
import runs without a form)."""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

PHONE = re.compile(r"^\+?[\d\s().-]{7,25}$")
# One person per e-mail: the profile and the directory's forms say so alike, and in words that do not tell
# whether (nor that an unlisted) person has it.
EMAIL_TAKEN = _l("Ce courriel ne peut pas être utilisé ; vérifiez-le ou écrivez à votre coordination.")


def valid_email(value: str) -> bool:
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True
