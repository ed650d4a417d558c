"""The search form: one WTForms class for the page (GET) and for GET /api/v1/contacts.

Checks that need the graph (the need must name something, the territory must exist, the postal
code must place the family) are inline validators, so pages and API report them the same way,
on the field at fault.
"""

from __future__ import annotations

import math
import time

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FloatField, IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from graph.repositories.contacts import ContactRepository
from graph.repositories.needs import NeedRepository
from graph.repositories.territories import TerritoryRepository
from referral.geocode import GeocodeError, locate
from referral.graphdb import repo
from referral.labels import LANGUAGE_LABELS

ALL_TERRITORIES = "all"
MAX_KM = 50
# The six territories change only when an import adds one: every search need not read them again.
TERRITORIES_KEPT_SECONDS = 60


def territory_names() -> list[dict]:
    """The territories' ids and names, read at most once a minute per app (a search is read-mostly)."""
    kept = current_app.extensions.setdefault("territory_names", {"at": -math.inf, "names": []})
    if time.monotonic() - kept["at"] > TERRITORIES_KEPT_SECONDS:
        kept["names"] = repo(TerritoryRepository).names()
        kept["at"] = time.monotonic()
    return kept["names"]


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


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    need = StringField(
        _l("Besoin de la famille"),
        validators=[InputRequired(message=_l("Indiquez un besoin (ex. santé mentale, avocat, impôts).")),
                    Length(max=120, message=_l("120 caractères au plus."))],
        description=_l("Un besoin ou des mots-clés : santé mentale, avocat, impôts, francisation…"),
    )
    territory = SelectField(_l("Territoire"), validate_choice=False)
    language = SelectField(_l("Langue de la famille"), validate_choice=False, default="")
    near = StringField(_l("Près de (code postal)"), validators=[Optional(), Length(max=120)],
                       description=_l("Code postal de la famille, ex. H1G 3T4 (par défaut : votre organisme)."))
    max_km = KilometresField(
        _l("Distance maximale (km)"),
        validators=[Optional(), NumberRange(min=0.5, max=MAX_KM,
                                            message=_l("La distance doit être comprise entre 0,5 et 50 km."))],
    )
    open_now = BooleanField(_l("Ouvert maintenant"), false_values=(False, "false", "", "0", "non", "no"))
    page = PageField(_l("Page"), default=1, validators=[
        Optional(), NumberRange(min=1, max=1000, message=_l("La page doit être comprise entre 1 et 1000."))])

    def __init__(self, *args, default_territory: str | None = None, person_id: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person_id = person_id
        territories = territory_names()
        self.territory.choices = [(ALL_TERRITORIES, _l("Tous les territoires"))] + [
            (t["id"], t["name"]) for t in territories]
        if not getattr(self.territory, "raw_data", None):
            self.territory.data = default_territory or ALL_TERRITORIES
        self.language.choices = [("", _l("Toutes les langues"))] + list(LANGUAGE_LABELS.items())
        self.position = None
        self.origin: tuple[float, float] | None = None

    def validate(self, extra_validators=None) -> bool:
        """Then the origin of distances: the family's postal code (`origin`), else the searcher's
        organisation, which the search reads itself; a distance limit needs one or the other.
        The need's words are matched by the search, in its own transaction (ContactRepository.find,
        which may then call `need_not_understood`); here only when another field is wrong, so that
        every error is told at once."""
        if not super().validate(extra_validators):
            if not self.need.errors:
                matched = repo(NeedRepository).match(self.need.data)
                if not matched["needs"] and not matched["services"]:
                    self.need_not_understood()
            return False
        if self.position:
            self.origin = self.position.pair
        elif self.max_km.data is not None and not (
                self.person_id and repo(ContactRepository).workplace(self.person_id)):
            self.max_km.errors.append(_l("Indiquez un code postal pour limiter la distance."))
            return False
        return True

    @property
    def territory_id(self) -> str | None:
        return None if self.territory.data == ALL_TERRITORIES else self.territory.data

    def validate_territory(self, field):
        if field.data not in {value for value, _ in field.choices}:
            raise ValidationError(_l("Territoire inconnu : utilisez l'identifiant d'un des six territoires, ou all."))

    def validate_language(self, field):
        if field.data and field.data not in LANGUAGE_LABELS:
            raise ValidationError(_l("Langue inconnue : un code ISO 639 est attendu (ex. ar, es, ht)."))

    def need_not_understood(self) -> None:
        """The need's words name no need nor service: said on its field. (Too long or missing, they are
        refused before any of this: 10,000 characters took the full-text index seconds.)"""
        self.need.errors.append(_l("Aucun besoin ni service ne correspond à « %(text)s ».", text=self.need.data))

    def validate_near(self, field):
        if not field.data:
            return
        try:
            config = current_app.config
            self.position = locate(field.data, config["GEOCODER"], config["GEOCODER_TIMEOUT"],
                                   config["GEOCODER_SERVER"])
        except GeocodeError as error:
            raise ValidationError(str(error)) from error
