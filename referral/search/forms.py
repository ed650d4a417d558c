"""The search form: one WTForms class for the page (GET) and for GET /api/v1/contacts.

Only what the request itself says is checked here; the territories to choose from come from the
search service, and what needs the data (the need must name something, the postal code must place the
family, a distance needs somewhere to measure from) is the service's (referral/search/service.py):
its faults are put on the fields at fault (`add_errors`), so pages and API report them the same way.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FloatField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, StopValidation, ValidationError

from referral.form_fields import StrictBooleanField
from referral.labels import LANGUAGE_LABELS
from referral.search.service import Question

ALL_TERRITORIES = "all"
MAX_KM = 50


class KilometresField(FloatField):
    """A distance in km; accepts the French decimal comma (« 2,5 »)."""

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0].strip():
            try:
                self.data = float(valuelist[0].strip().replace(",", "."))
            except ValueError as error:
                self.data = None
                raise ValueError(_l("Distance invalide : un nombre de kilomètres est attendu (ex. 5).")) from error


class PageField(IntegerField):
    def process_formdata(self, valuelist):
        if valuelist and valuelist[0].strip():
            try:
                self.data = int(valuelist[0])
            except ValueError as error:
                self.data = None
                raise ValueError(_l("Numéro de page invalide.")) from error


def readable(form, field):
    """First in a chain: a value that could not be read says so once, without the range checks after it."""
    if field.process_errors:
        raise StopValidation()


def stripped(value):
    return value.strip() if isinstance(value, str) else value


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    need = StringField(
        _l("Besoin de la famille"),
        filters=[stripped],  # a need of spaces only is no need
        validators=[DataRequired(message=_l("Indiquez un besoin (ex. santé mentale, avocat, impôts).")),
                    Length(max=120, message=_l("120 caractères au plus."))],
        description=_l("Un besoin ou des mots-clés : santé mentale, avocat, impôts, francisation…"),
    )
    territory = SelectField(_l("Territoire"), validate_choice=False)
    language = SelectField(_l("Langue de la famille"), validate_choice=False, default="",
                           choices=[("", _l("Toutes les langues"))] + list(LANGUAGE_LABELS.items()))
    near = StringField(_l("Près de (code postal)"), validators=[Optional(), Length(max=120)],
                       render_kw={"autocomplete": "off", "autocapitalize": "characters"},
                       description=_l("Code postal de la famille, ex. H1G 3T4 (par défaut : votre organisme)."))
    max_km = KilometresField(
        _l("Distance maximale (km)"),
        render_kw={"inputmode": "decimal"},  # text, not type=number: « 2,5 » is welcome
        validators=[readable, Optional(), NumberRange(min=0.5, max=MAX_KM,
                                            message=_l("La distance doit être comprise entre 0,5 et 50 km."))],
    )
    open_now = StrictBooleanField(_l("Ouvert maintenant"), yes=("y", "true", "1", "oui", "yes", "on"),
                                  no=("false", "", "0", "non", "no", "off"))
    page = PageField(_l("Page"), default=1, validators=[
        readable, Optional(), NumberRange(min=1, max=1000, message=_l("La page doit être comprise entre 1 et 1000."))])

    def __init__(self, *args, territories: list[dict], default_territory: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.territory.choices = [(ALL_TERRITORIES, _l("Tous les territoires"))] + [
            (t["id"], t["name"]) for t in territories]
        if not getattr(self.territory, "raw_data", None):
            self.territory.data = default_territory or ALL_TERRITORIES

    @property
    def territory_id(self) -> str | None:
        return None if self.territory.data == ALL_TERRITORIES else self.territory.data

    def validate_territory(self, field):
        if field.data not in {value for value, _ in field.choices}:
            raise ValidationError(_l("Territoire inconnu : choisissez un des territoires de la liste, ou « Tous les "
                                     "territoires »."))

    def validate_language(self, field):
        if field.data and field.data not in LANGUAGE_LABELS:
            raise ValidationError(_l("Langue inconnue : un code ISO 639 est attendu (ex. ar, es, ht)."))

    @property
    def near_text(self) -> str | None:
        """The postal code or address typed; None when blank (which `Optional` lets through)."""
        return self.near.data if self.near.data and self.near.data.strip() else None

    def question(self) -> Question:
        """What a valid form asks the search service."""
        return Question(need=self.need.data, territory=self.territory_id, language=self.language.data or None,
                        near=self.near_text, max_km=self.max_km.data, open_now=bool(self.open_now.data),
                        page=self.page.data or 1)

    def add_errors(self, faults: dict) -> None:
        """The search service's faults ({field name: message}), each on its field."""
        for name, message in faults.items():
            self[name].errors.append(message)
