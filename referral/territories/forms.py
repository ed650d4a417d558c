from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, SubmitField
from wtforms.validators import InputRequired, Optional, ValidationError

from referral import clock
from referral.form_fields import MultiCheckboxField

EARLIEST = date(2000, 1, 1)


class AsOfForm(FlaskForm):
    """The "as of" date of the map: read from the query string, so that a view can be bookmarked."""

    class Meta:
        csrf = False

    date = DateField(_l("Le réseau au"), validators=[Optional()])

    def validate_date(self, field):
        if field.data and not EARLIEST <= field.data <= clock.today():
            raise ValidationError(_l("Choisissez une date entre le 1er janvier 2000 et aujourd'hui."))


class TerritoryForm(FlaskForm):
    """A territory as an admin makes it: an id (new ones only), a name, the boroughs and neighbourhoods it is
    made of."""

    territory_id = StringField(_l("Identifiant"), validators=[Optional()],
                               render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"})
    name = StringField(_l("Nom du territoire"), validators=[InputRequired(message=_l("Indiquez un nom."))])
    boroughs = MultiCheckboxField(_l("Arrondissements et villes liées"), validate_choice=False)
    neighbourhoods = MultiCheckboxField(_l("Ou des quartiers (parties d'un arrondissement)"), validate_choice=False)
    submit = SubmitField(_l("Enregistrer le territoire"))
