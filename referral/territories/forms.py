from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField
from wtforms.validators import Optional, ValidationError

from referral import clock

EARLIEST = date(2000, 1, 1)


class AsOfForm(FlaskForm):
    """The "as of" date of the map: read from the query string, so that a view can be bookmarked."""

    class Meta:
        csrf = False

    date = DateField(_l("Le réseau au"), validators=[Optional()])

    def validate_date(self, field):
        if field.data and not EARLIEST <= field.data <= clock.today():
            raise ValidationError(_l("Choisissez une date entre le 1er janvier 2000 et aujourd'hui."))
